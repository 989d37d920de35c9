/*
 * The bodies of the actions bound to a presence, ISO 8601 durations, and
 * the presence as GET and export write it.
 */
#include <string.h>

#include "codec.h"
#include "error.h"

/* Append p as GET answers it. */
int
codec_presence_view_to_json(const struct presence *p,
    const struct presence_view *view, const char *context, struct buf *out)
{
	(void)p; (void)view; (void)context; (void)out;
	return STORE_EINTERNAL;
}

/* Append p as stored, for export. */
int
codec_presence_to_export(const struct presence *p, struct buf *out)
{
	return codec_presence_to_json(p, out);
}

/* Parse an ISO 8601 duration. */
int
codec_duration_parse(const char *s, size_t len, int64_t *ms)
{
	(void)s; (void)len; (void)ms;
	return STORE_EINTERNAL;
}

/* Parse a setPresence body. */
int
codec_session_set_from_json(const char *body, size_t len,
    struct session_set *out, struct presence_fault *fault)
{
	(void)body; (void)len; (void)out; (void)fault;
	return STORE_EINTERNAL;
}

/* Parse a clearPresence body. */
int
codec_session_clear_from_json(const char *body, size_t len,
    char session_id[SESSION_ID_MAX + 1], struct presence_fault *fault)
{
	(void)body; (void)len; (void)session_id; (void)fault;
	return STORE_EINTERNAL;
}

/* Parse a setUserPreferredPresence body. */
int
codec_preferred_set_from_json(const char *body, size_t len,
    struct preferred_set *out, struct presence_fault *fault)
{
	(void)body; (void)len; (void)out; (void)fault;
	return STORE_EINTERNAL;
}

/* Parse a clearUserPreferredPresence body. */
int
codec_preferred_clear_from_json(const char *body, size_t len,
    struct presence_fault *fault)
{
	(void)body; (void)len; (void)fault;
	return STORE_EINTERNAL;
}

/* Parse a getPresencesByUserId body. */
int
codec_ids_from_json(const char *body, size_t len, struct codec_ids *out,
    struct presence_fault *fault)
{
	(void)body; (void)len; (void)fault;
	out->n = 0;
	return STORE_EINTERNAL;
}
