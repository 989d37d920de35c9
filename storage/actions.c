/*
 * The bodies of the actions bound to a presence, ISO 8601 durations, and
 * the presence as GET and export write it.
 */
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "error.h"
#include "guid.h"
#include "walk.h"

#define ACTIONS_DURATION_LIMIT	(36525 * SESSION_DAY_MS)	/* 100 years */

/* Append a string member's value: the string, or null when it is "". */
static void
actions_put_nullable(struct buf *out, const char *s)
{
	codec_put_nullable(out, *s != '\0' ? s : NULL);
}

/* Append a status message as Graph shows it. */
static void
actions_put_status(struct buf *out, const struct note_status *s)
{
	char	t[PRESENCE_TIME_LEN + 1];

	presence_format_time(s->published, t);
	buf_adds(out, "{\"message\":{\"content\":");
	codec_put_string(out, s->content, strlen(s->content));
	buf_adds(out, ",\"contentType\":\"text\"},\"publishedDateTime\":\"");
	buf_adds(out, t);
	buf_adds(out, "\",\"expiryDateTime\":");
	if (s->expires == 0) {
		buf_adds(out, "null}");
		return;
	}
	buf_adds(out, "{\"dateTime\":");
	codec_put_string(out, s->expiry_time, strlen(s->expiry_time));
	buf_adds(out, ",\"timeZone\":");
	codec_put_string(out, s->expiry_zone, strlen(s->expiry_zone));
	buf_adds(out, "}}");
}

/* Append the out-of-office settings. */
static void
actions_put_ooo(struct buf *out, const struct note_ooo *o)
{
	buf_adds(out, o->on ? "{\"isOutOfOffice\":true,\"message\":" :
	    "{\"isOutOfOffice\":false,\"message\":");
	actions_put_nullable(out, o->message);
	buf_adds(out, "}");
}

/* Append one work location layer: type, the source when given, place. */
static void
actions_put_location(struct buf *out, const struct note_location *l,
    const char *source)
{
	buf_adds(out, "{\"workLocationType\":\"");
	buf_adds(out, note_work_names[l->type < NOTE_NWORK ? l->type : 0]);
	if (source != NULL) {
		buf_adds(out, "\",\"source\":\"");
		buf_adds(out, source);
	}
	buf_adds(out, "\",\"placeId\":");
	actions_put_nullable(out, l->place);
	buf_adds(out, "}");
}

/* Append what p says beside its availability, as view shows it. */
static void
actions_put_notes(struct buf *out, const struct presence *p,
    const struct presence_view *view)
{
	static const struct note_location none;
	const struct note_location	*l = &none;

	buf_adds(out, ",\"statusMessage\":");
	if (view->status_shown)
		actions_put_status(out, &p->status);
	else
		buf_adds(out, "null");
	buf_adds(out, ",\"outOfOfficeSettings\":");
	actions_put_ooo(out, &p->ooo);
	if (view->location == NOTE_SOURCE_MANUAL)
		l = &p->manual;
	else if (view->location == NOTE_SOURCE_AUTOMATIC)
		l = &p->automatic;
	buf_adds(out, ",\"workLocation\":");
	actions_put_location(out, l, note_source_names[view->location <
	    NOTE_NSOURCE ? view->location : 0]);
}

/* Append p as GET answers it. */
int
codec_presence_view_to_json(const struct presence *p,
    const struct presence_view *view, const char *context, struct buf *out)
{
	char	seq[PRESENCE_SEQUENCE_LEN + 1];
	char	created[PRESENCE_TIME_LEN + 1];
	char	modified[PRESENCE_TIME_LEN + 1];
	size_t	len = out->len;
	size_t	clen = context != NULL ? strlen(context) : 0;
	int	rc;

	presence_format_sequence(view->sequence, seq);
	presence_format_time(p->created, created);
	presence_format_time(p->modified, modified);
	if ((rc = buf_reserve(out, CODEC_VIEW_JSON_MAX + 6 * clen + 2)) != 0)
		return rc;
	/* Within the reservation nothing below can fail. */
	buf_adds(out, "{");
	if (context != NULL) {
		buf_adds(out, "\"@odata.context\":");
		codec_put_string(out, context, clen);
		buf_adds(out, ",");
	}
	buf_adds(out, "\"@odata.type\":\"" PRESENCE_ODATA_TYPE "\",\"id\":");
	codec_put_string(out, p->id, strlen(p->id));
	buf_adds(out, ",\"availability\":");
	codec_put_string(out, view->availability, strlen(view->availability));
	buf_adds(out, ",\"activity\":");
	codec_put_string(out, view->activity, strlen(view->activity));
	actions_put_notes(out, p, view);
	/* Plain appends: a printf here cost as much as the rest. */
	buf_adds(out, ",\"sequenceNumber\":\"");
	buf_adds(out, seq);
	buf_adds(out, "\",\"createdDateTime\":\"");
	buf_adds(out, created);
	buf_adds(out, "\",\"lastModifiedDateTime\":\"");
	buf_adds(out, modified);
	buf_adds(out, "\"}");
	return out->len > len ? 0 : STORE_ENOMEM;
}

/* Append a time member: ,"name":"...". */
static void
actions_put_time(struct buf *out, const char *name, int64_t ms)
{
	char	t[PRESENCE_TIME_LEN + 1];

	presence_format_time(ms, t);
	buf_printf(out, ",\"%s\":\"%s\"", name, t);
}

/* Append the status message, out of office and locations, for export. */
static void
actions_put_stored_notes(struct buf *out, const struct presence *p)
{
	if (p->status.set) {
		buf_adds(out, ",\"statusMessage\":");
		actions_put_status(out, &p->status);
	}
	if (p->ooo.on || p->ooo.message[0] != '\0') {
		buf_adds(out, ",\"outOfOfficeSettings\":");
		actions_put_ooo(out, &p->ooo);
	}
	if (p->manual.set) {
		buf_adds(out, ",\"manualLocation\":");
		actions_put_location(out, &p->manual, NULL);
	}
	if (p->automatic.set) {
		buf_adds(out, ",\"automaticLocation\":");
		actions_put_location(out, &p->automatic, NULL);
	}
}

/* Append p as stored, for export. */
int
codec_presence_to_export(const struct presence *p, struct buf *out)
{
	const struct presence_pair	*pair;
	size_t				 i, len = out->len;
	int				 rc;

	if ((rc = buf_reserve(out, CODEC_EXPORT_JSON_MAX)) != 0 ||
	    (rc = codec_presence_to_json(p, out)) != 0)
		return rc;
	if (!p->sessions_seen && p->nsessions == 0 && !p->preferred.set &&
	    !p->status.set && !p->ooo.on && p->ooo.message[0] == '\0' &&
	    !p->manual.set && !p->automatic.set)
		return 0;
	out->len--;	/* the closing brace, written again below */
	if (p->sessions_seen)
		buf_adds(out, ",\"sessionsSeen\":true");
	if (p->nsessions > 0)
		buf_adds(out, ",\"sessions\":[");
	for (i = 0; i < p->nsessions; i++) {
		pair = &session_pairs[p->sessions[i].pair];
		buf_adds(out, i > 0 ? ",{\"sessionId\":" : "{\"sessionId\":");
		codec_put_string(out, p->sessions[i].id,
		    strlen(p->sessions[i].id));
		buf_printf(out, ",\"availability\":\"%s\",\"activity\":\"%s\"",
		    pair->availability, pair->activity);
		actions_put_time(out, "refreshedDateTime",
		    p->sessions[i].refreshed);
		actions_put_time(out, "expirationDateTime",
		    p->sessions[i].expires);
		buf_adds(out, "}");
	}
	if (p->nsessions > 0)
		buf_adds(out, "]");
	if (p->preferred.set) {
		pair = &preferred_pairs[p->preferred.pair];
		buf_printf(out, ",\"preferredPresence\":{\"availability\":\"%s\","
		    "\"activity\":\"%s\"", pair->availability, pair->activity);
		actions_put_time(out, "expirationDateTime",
		    p->preferred.expires);
		buf_adds(out, "}");
	}
	actions_put_stored_notes(out, p);
	buf_adds(out, "}");
	return out->len > len ? 0 : STORE_ENOMEM;
}

/* Read up to 9 digits at s[*i]; -1 when there is none. */
static int64_t
actions_number(const char *s, size_t len, size_t *i)
{
	int64_t	v = 0;
	size_t	start = *i;

	while (*i < len && s[*i] >= '0' && s[*i] <= '9' && *i - start < 9)
		v = v * 10 + (s[(*i)++] - '0');
	if (*i == start || (*i < len && s[*i] >= '0' && s[*i] <= '9'))
		return -1;
	return v;
}

/* Parse an ISO 8601 duration into milliseconds. */
int
codec_duration_parse(const char *s, size_t len, int64_t *ms)
{
	static const struct { char unit; int64_t ms; int time; } units[] = {
		{ 'D', SESSION_DAY_MS, 0 }, { 'H', 60 * SESSION_MINUTE_MS, 1 },
		{ 'M', SESSION_MINUTE_MS, 1 }, { 'S', 1000, 1 },
	};
	size_t	i = 1, u = 0, parts = 0;
	int64_t	v, frac, total = 0;
	int	in_time = 0;

	if (len < 3 || s[0] != 'P')
		return STORE_EINVAL;
	while (i < len) {
		if (s[i] == 'T' && !in_time) {
			in_time = 1;
			i++;
			if (i == len)
				return STORE_EINVAL;
			continue;
		}
		if ((v = actions_number(s, len, &i)) < 0 || i == len)
			return STORE_EINVAL;
		frac = 0;
		if (s[i] == '.') {
			size_t	start = ++i, d;

			while (i < len && s[i] >= '0' && s[i] <= '9' &&
			    i - start < 3)
				frac = frac * 10 + (s[i++] - '0');
			if (i == start || i == len || s[i] != 'S')
				return STORE_EINVAL;
			for (d = i - start; d < 3; d++)
				frac *= 10;
		}
		while (u < 4 && (units[u].unit != s[i] ||
		    units[u].time != in_time))
			u++;
		if (u == 4)
			return STORE_EINVAL;	/* unknown, repeated, misplaced */
		total += v * units[u].ms + frac;
		if (total > ACTIONS_DURATION_LIMIT)
			return STORE_EINVAL;
		u++;
		i++;
		parts++;
	}
	if (parts == 0 || (in_time && s[len - 1] == 'T'))
		return STORE_EINVAL;
	*ms = total;
	return 0;
}

/* What a body's parameters hold, and which were seen. */
struct actions_body {
	const char	*const *names;	/* the parameters, NULL-terminated */
	const char	*action;	/* for the fault of an unknown one */
	unsigned	 seen;
	char		 availability[PRESENCE_VALUE_MAX + 1];
	char		 activity[PRESENCE_VALUE_MAX + 1];
	char		 session_id[SESSION_ID_MAX + 1];
	int64_t		 duration;
	struct codec_ids *ids;
	struct fault *fault;
};

enum { P_SESSION, P_AVAILABILITY, P_ACTIVITY, P_DURATION, P_IDS };
static const char *const actions_params[] = {
	"sessionId", "availability", "activity", "expirationDuration", "ids"
};

/* Refuse a member that is not a parameter of the action. */
static int
actions_unknown(struct actions_body *b, const char *key)
{
	struct fault		*f = b->fault;

	if (f != NULL) {
		snprintf(f->name, sizeof f->name, "%s", key);
		key = f->name;
	}
	fault_set(f, key, "'%s' is not a parameter of %s", key,
	    b->action);
	return STORE_EINVAL;
}

/* Copy a string parameter into dst (size bytes with its NUL). */
static int
actions_string(struct actions_body *b, const char *name,
    const struct walk_value *v, char *dst, size_t size)
{
	if (v->kind != WALK_STRING) {
		fault_set(b->fault, name, "'%s' must be a string",
		    name);
		return STORE_EINVAL;
	}
	if (v->len >= size) {
		fault_set(b->fault, name, "'%s' is longer than %zu "
		    "bytes", name, size - 1);
		return STORE_EINVAL;
	}
	memcpy(dst, v->s, v->len + 1);
	return 0;
}

/* Read getPresencesByUserId's ids. */
static int
actions_ids(struct actions_body *b, const struct walk_value *v)
{
	struct codec_ids	*ids = b->ids;
	struct walk_value	 item;
	size_t			 i;

	if (v->kind != WALK_ARRAY) {
		fault_set(b->fault, "ids", "'ids' must be an array of "
		    "strings");
		return STORE_EINVAL;
	}
	if (v->n > CODEC_IDS_MAX) {
		fault_set(b->fault, "ids", "'ids' holds %zu ids; at "
		    "most %d are allowed", v->n, CODEC_IDS_MAX);
		return STORE_EINVAL;
	}
	for (i = 0; i < v->n; i++) {
		walk_item(v, i, &item);
		if (item.kind != WALK_STRING) {
			fault_set(b->fault, "ids", "'ids' must be an "
			    "array of strings");
			return STORE_EINVAL;
		}
		if (guid_parse(item.s, item.len, ids->text[i]) != 0)
			ids->text[i][0] = '\0';
		ids->ids[i] = ids->text[i];
	}
	ids->n = v->n;
	return 0;
}

/* Take one member of an action's body. */
static int
actions_member(void *arg, const char *key, const struct walk_value *v)
{
	struct actions_body	*b = arg;
	int			 i, p;

	for (i = 0; b->names[i] != NULL; i++)
		if (strcmp(b->names[i], key) == 0)
			break;
	if (b->names[i] == NULL)
		return actions_unknown(b, key);
	for (p = 0; strcmp(actions_params[p], key) != 0; p++)
		;
	b->seen |= 1u << p;
	switch (p) {
	case P_SESSION:
		return actions_string(b, actions_params[p], v, b->session_id,
		    sizeof b->session_id);
	case P_AVAILABILITY:
		return actions_string(b, actions_params[p], v, b->availability,
		    sizeof b->availability);
	case P_ACTIVITY:
		return actions_string(b, actions_params[p], v, b->activity,
		    sizeof b->activity);
	case P_DURATION:
		if (v->kind == WALK_NULL) {
			b->seen &= ~(1u << p);
			return 0;
		}
		if (v->kind != WALK_STRING ||
		    codec_duration_parse(v->s, v->len, &b->duration) != 0) {
			fault_set(b->fault, actions_params[p], "'%s' must "
			    "be an ISO 8601 duration such as PT5M or PT1H30M",
			    actions_params[p]);
			return STORE_EINVAL;
		}
		return 0;
	default:
		return actions_ids(b, v);
	}
}

/* Parse a body and check the parameters in required are there. */
static int
actions_parse(struct actions_body *b, const char *body, size_t len,
    unsigned required)
{
	int	rc, p;

	rc = walk_object(body, len, required == 0, actions_member, b,
	    b->fault);
	if (rc != 0)
		return rc;
	for (p = 0; p <= P_IDS; p++) {
		if ((required & (1u << p)) && !(b->seen & (1u << p))) {
			fault_set(b->fault, actions_params[p],
			    "'%s' is required", actions_params[p]);
			return STORE_EINVAL;
		}
	}
	return 0;
}

/* Refuse a pair that the action does not accept, naming the property. */
static int
actions_bad_pair(struct actions_body *b, int known_availability)
{
	const char	*prop = known_availability ? "activity" : "availability";

	fault_set(b->fault, prop, "'%s': %s/%s is not a pair %s accepts",
	    prop, b->availability, b->activity, b->action);
	return STORE_EINVAL;
}

/* Parse a setPresence body. */
int
codec_session_set_from_json(const char *body, size_t len,
    struct session_set *out, struct fault *fault)
{
	static const char *const names[] = { "sessionId", "availability",
	    "activity", "expirationDuration", NULL };
	struct actions_body	b = { .names = names, .action = "setPresence",
	    .fault = fault };
	int			rc;

	memset(out, 0, sizeof *out);
	if ((rc = actions_parse(&b, body, len, (1u << P_SESSION) |
	    (1u << P_AVAILABILITY) | (1u << P_ACTIVITY))) != 0)
		return rc;
	if (!session_id_valid(b.session_id, strlen(b.session_id))) {
		fault_set(fault, "sessionId", "'sessionId' must be 1 "
		    "to %d bytes of printable ASCII", SESSION_ID_MAX);
		return STORE_EINVAL;
	}
	if ((out->pair = session_pair_find(b.availability, b.activity)) < 0)
		return actions_bad_pair(&b,
		    session_pair_has_availability(b.availability));
	if (!(b.seen & (1u << P_DURATION)))
		b.duration = SESSION_DURATION_DEFAULT;
	if (b.duration < SESSION_DURATION_MIN ||
	    b.duration > SESSION_DURATION_MAX) {
		fault_set(fault, "expirationDuration",
		    "'expirationDuration' must be from PT5M to PT4H");
		return STORE_EINVAL;
	}
	memcpy(out->session_id, b.session_id, sizeof out->session_id);
	out->duration = b.duration;
	return 0;
}

/* Parse a clearPresence body. */
int
codec_session_clear_from_json(const char *body, size_t len,
    char session_id[SESSION_ID_MAX + 1], struct fault *fault)
{
	static const char *const names[] = { "sessionId", NULL };
	struct actions_body	b = { .names = names, .action = "clearPresence",
	    .fault = fault };
	int			rc;

	session_id[0] = '\0';
	if ((rc = actions_parse(&b, body, len, 1u << P_SESSION)) != 0)
		return rc;
	memcpy(session_id, b.session_id, SESSION_ID_MAX + 1);
	return 0;
}

/* Parse a setUserPreferredPresence body. */
int
codec_preferred_set_from_json(const char *body, size_t len,
    struct preferred_set *out, struct fault *fault)
{
	static const char *const names[] = { "availability", "activity",
	    "expirationDuration", NULL };
	struct actions_body	b = { .names = names,
	    .action = "setUserPreferredPresence", .fault = fault };
	int			rc;

	memset(out, 0, sizeof *out);
	if ((rc = actions_parse(&b, body, len, (1u << P_AVAILABILITY) |
	    (1u << P_ACTIVITY))) != 0)
		return rc;
	if ((out->pair = preferred_pair_find(b.availability, b.activity)) < 0)
		return actions_bad_pair(&b,
		    preferred_pair_has_availability(b.availability));
	if (!(b.seen & (1u << P_DURATION)))
		b.duration = out->pair == PREFERRED_BUSY ||
		    out->pair == PREFERRED_DO_NOT_DISTURB ?
		    PREFERRED_DURATION_SHORT : PREFERRED_DURATION_LONG;
	if (b.duration <= 0 || b.duration > PREFERRED_DURATION_MAX) {
		fault_set(fault, "expirationDuration",
		    "'expirationDuration' must be positive and at most P365D");
		return STORE_EINVAL;
	}
	out->duration = b.duration;
	return 0;
}

/* Parse a clearUserPreferredPresence body. */
int
codec_preferred_clear_from_json(const char *body, size_t len,
    struct fault *fault)
{
	static const char *const names[] = { NULL };
	struct actions_body	b = { .names = names,
	    .action = "clearUserPreferredPresence", .fault = fault };

	return actions_parse(&b, body, len, 0);
}

/* Parse the body of an action of no parameters. */
int
codec_no_params_from_json(const char *body, size_t len, const char *action,
    struct fault *fault)
{
	static const char *const names[] = { NULL };
	struct actions_body	b = { .names = names, .action = action,
	    .fault = fault };

	return actions_parse(&b, body, len, 0);
}

/* Parse a getPresencesByUserId body. */
int
codec_ids_from_json(const char *body, size_t len, struct codec_ids *out,
    struct fault *fault)
{
	static const char *const names[] = { "ids", NULL };
	struct actions_body	b = { .names = names,
	    .action = "getPresencesByUserId", .ids = out, .fault = fault };
	int			rc;

	out->n = 0;
	if ((rc = actions_parse(&b, body, len, 1u << P_IDS)) != 0)
		out->n = 0;
	return rc;
}
