/*
 * A presence's sessions and preferred presence, kept inside its record:
 * setPresence, clearPresence, the preferred presence, and reads of many.
 */
#include <string.h>

#include "db.h"
#include "error.h"
#include "record.h"

/* Read the presence id with what it shows now. */
int
store_get_view(struct store *st, const char *id, struct presence *out,
    struct presence_view *view)
{
	(void)st; (void)id; (void)out; (void)view;
	return STORE_EINTERNAL;
}

/* Read many presences in one read transaction. */
int
store_get_many(struct store *st, const char *const *ids, size_t n,
    struct presence *out, struct presence_view *views, size_t *found)
{
	(void)st; (void)ids; (void)n; (void)out; (void)views;
	*found = 0;
	return STORE_EINTERNAL;
}

/* Create or refresh a session. */
int
store_session_set(struct store *st, const char *id,
    const struct session_set *req, struct presence_fault *fault)
{
	(void)st; (void)id; (void)req; (void)fault;
	return STORE_EINTERNAL;
}

/* End a session. */
int
store_session_clear(struct store *st, const char *id, const char *session_id)
{
	(void)st; (void)id; (void)session_id;
	return STORE_EINTERNAL;
}

/* Set the preferred presence. */
int
store_preferred_set(struct store *st, const char *id,
    const struct preferred_set *req, struct presence_fault *fault)
{
	(void)st; (void)id; (void)req; (void)fault;
	return STORE_EINTERNAL;
}

/* Clear the preferred presence. */
int
store_preferred_clear(struct store *st, const char *id)
{
	(void)st; (void)id;
	return STORE_EINTERNAL;
}
