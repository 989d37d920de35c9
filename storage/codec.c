/*
 * The presence's JSON representation.  Input is read into a json-c tree
 * by reader.c, then mapped onto the presence with typed accessors.
 * Output is written directly, through the project's one JSON string
 * escaper.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "codec.h"
#include "error.h"
#include "guid.h"
#include "note.h"
#include "reader.h"
#include "utf8.h"
#include "walk.h"

/* Check that text is one strict JSON value. */
int
codec_json_check(const char *text, size_t len, struct fault *fault)
{
	struct json_object	*root;
	int			 rc = reader_parse(text, len, &root, fault);

	json_object_put(root);
	return rc;
}

/* The properties of presence the codec knows, in the API's order. */
enum codec_prop {
	CODEC_TYPE, CODEC_ID, CODEC_AVAILABILITY, CODEC_ACTIVITY,
	CODEC_SEQUENCE, CODEC_CREATED, CODEC_MODIFIED, CODEC_NPROPS
};

static const struct {
	const char	*name;
	int		 read_only;
} codec_props[CODEC_NPROPS] = {
	{ "@odata.type", 0 }, { "id", 0 }, { "availability", 0 },
	{ "activity", 0 }, { "sequenceNumber", 1 }, { "createdDateTime", 1 },
	{ "lastModifiedDateTime", 1 },
};

/* Which properties a create request must hold. */
#define CODEC_CREATE_REQUIRED \
	((1u << CODEC_AVAILABILITY) | (1u << CODEC_ACTIVITY))
#define CODEC_EXPORT_REQUIRED	((1u << CODEC_NPROPS) - 1)
#define CODEC_IMPORT_REQUIRED	CODEC_CREATE_REQUIRED

/* Parse a sequence as presence_format_sequence writes it; 0 or -1. */
static int
codec_parse_sequence(const char *s, uint64_t *seq)
{
	char	back[PRESENCE_SEQUENCE_LEN + 1];

	if (strlen(s) != PRESENCE_SEQUENCE_LEN || sscanf(s, "%" SCNx64, seq) != 1)
		return -1;
	presence_format_sequence(*seq, back);
	return strcmp(back, s) == 0 ? 0 : -1;
}

/* Refuse a member that is not a property, or is one the client may not set. */
static int
codec_refuse(const char *key, int read_only, struct fault *fault)
{
	if (fault != NULL) {
		snprintf(fault->name, sizeof fault->name, "%s", key);
		key = fault->name;
	}
	if (read_only)
		fault_set(fault, key, "property '%s' is read-only",
		    key);
	else
		fault_set(fault, key, "property '%s' does not exist "
		    "on type 'microsoft.graph.presence'", key);
	return STORE_EINVAL;
}

/* Check and store the text of one known property into p. */
static int
codec_take_text(enum codec_prop prop, const char *text, struct presence *p,
    struct fault *fault)
{
	const char	*name = codec_props[prop].name;
	int		 bad = 0;

	switch (prop) {
	case CODEC_TYPE:
		if (strcmp(text, PRESENCE_ODATA_TYPE) != 0) {
			fault_set(fault, name, "'%s' must be '%s'",
			    name, PRESENCE_ODATA_TYPE);
			return STORE_EINVAL;
		}
		return 0;
	case CODEC_ID:
		bad = guid_parse(text, strlen(text), p->id) != 0;
		break;
	case CODEC_SEQUENCE:
		bad = codec_parse_sequence(text, &p->sequence) != 0;
		break;
	case CODEC_CREATED:
		bad = presence_parse_time(text, &p->created) != 0;
		break;
	case CODEC_MODIFIED:
		bad = presence_parse_time(text, &p->modified) != 0;
		break;
	default:
		break;
	}
	if (bad) {
		fault_set(fault, name, "'%s' is not a valid %s", name,
		    prop == CODEC_ID ? "GUID" : prop == CODEC_SEQUENCE ?
		    "sequence number" : "date-time");
		return STORE_EINVAL;
	}
	return 0;
}

/*
 * Refuse what an export line says of a session or the preferred
 * presence: "'<where>.<key>' <what>" (only where when key is NULL), the
 * property named so in fault->name, cut at a character.
 */
static int
codec_sub_fail(struct fault *fault, const char *where,
    const char *key, const char *what)
{
	size_t	n;

	if (fault == NULL)
		return STORE_EINVAL;
	if (key != NULL)
		snprintf(fault->name, sizeof fault->name, "%s.%s", where, key);
	else
		snprintf(fault->name, sizeof fault->name, "%s", where);
	n = strlen(fault->name);
	if (n == sizeof fault->name - 1) {	/* cut: drop a partial character */
		while (n > 0 && (fault->name[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 0 && (fault->name[n - 1] & 0x80))
			n--;
		fault->name[n] = '\0';
	}
	fault_set(fault, fault->name, "'%s' %s", fault->name, what);
	return STORE_EINVAL;
}

/* The members of an exported session and preferred presence. */
enum codec_sub_prop {
	CODEC_SUB_ID, CODEC_SUB_AVAILABILITY, CODEC_SUB_ACTIVITY,
	CODEC_SUB_REFRESHED, CODEC_SUB_EXPIRES, CODEC_SUB_NPROPS
};

static const char *const codec_sub_props[CODEC_SUB_NPROPS] = {
	"sessionId", "availability", "activity", "refreshedDateTime",
	"expirationDateTime",
};

/* Which of them a session and a preferred presence hold (all required). */
#define CODEC_SESSION_PROPS	((1u << CODEC_SUB_NPROPS) - 1)
#define CODEC_PREFERRED_PROPS	((1u << CODEC_SUB_AVAILABILITY) | \
	(1u << CODEC_SUB_ACTIVITY) | (1u << CODEC_SUB_EXPIRES))

/* One session or preferred presence of an export line, read. */
struct codec_sub {
	char	id[SESSION_ID_MAX + 1];
	char	availability[PRESENCE_VALUE_MAX + 1];
	char	activity[PRESENCE_VALUE_MAX + 1];
	int64_t	refreshed;
	int64_t	expires;
};

/* Read one member of a session or preferred presence into sub. */
static int
codec_sub_member(const char *where, const char *key, struct json_object *v,
    unsigned props, struct codec_sub *sub, unsigned *seen,
    struct fault *fault)
{
	char		 stamp[PRESENCE_TIME_LEN + 2];
	char		*dst;
	size_t		 size, len;
	int64_t		*ms = NULL;
	int		 i;

	for (i = 0; i < CODEC_SUB_NPROPS; i++)
		if ((props & (1u << i)) && strcmp(key, codec_sub_props[i]) == 0)
			break;
	if (i == CODEC_SUB_NPROPS)
		return codec_sub_fail(fault, where, key, "is not a property "
		    "of an exported presence");
	switch (i) {
	case CODEC_SUB_ID:
		dst = sub->id, size = sizeof sub->id;
		break;
	case CODEC_SUB_AVAILABILITY:
		dst = sub->availability, size = sizeof sub->availability;
		break;
	case CODEC_SUB_ACTIVITY:
		dst = sub->activity, size = sizeof sub->activity;
		break;
	default:
		dst = stamp, size = sizeof stamp;
		ms = i == CODEC_SUB_REFRESHED ? &sub->refreshed : &sub->expires;
		break;
	}
	if (!json_object_is_type(v, json_type_string))
		return codec_sub_fail(fault, where, key, "must be a string");
	len = (size_t)json_object_get_string_len(v);
	if (len >= size)
		return codec_sub_fail(fault, where, key, ms != NULL ?
		    "is not a valid date-time" : "is too long");
	memcpy(dst, json_object_get_string(v), len);
	dst[len] = '\0';
	if (ms != NULL && presence_parse_time(stamp, ms) != 0)
		return codec_sub_fail(fault, where, key,
		    "is not a valid date-time");
	*seen |= 1u << i;
	return 0;
}

/* Read a session or preferred presence (props) named where into sub. */
static int
codec_take_sub(struct json_object *v, const char *where, unsigned props,
    struct codec_sub *sub, struct fault *fault)
{
	unsigned	seen = 0;
	int		i, rc;

	memset(sub, 0, sizeof *sub);
	if (!json_object_is_type(v, json_type_object))
		return codec_sub_fail(fault, where, NULL,
		    "must be an object");
	json_object_object_foreach(v, key, m) {
		if ((rc = codec_sub_member(where, key, m, props, sub, &seen,
		    fault)) != 0)
			return rc;
	}
	for (i = 0; i < CODEC_SUB_NPROPS; i++)
		if ((props & (1u << i)) && !(seen & (1u << i)))
			return codec_sub_fail(fault, where, codec_sub_props[i],
			    "is required");
	return 0;
}

/* Refuse a pair of sub that is not in its table, naming the member at fault. */
static int
codec_sub_pair_fail(const char *where, int known_availability,
    const char *table, struct fault *fault)
{
	char	what[64];

	snprintf(what, sizeof what, "is not in a pair %s accepts", table);
	return codec_sub_fail(fault, where, known_availability ? "activity" :
	    "availability", what);
}

/* Read "sessions": an array of at most PRESENCE_SESSIONS_MAX sessions. */
static int
codec_take_sessions(struct json_object *v, struct presence *p,
    struct fault *fault)
{
	struct presence_session	*s;
	struct codec_sub	 sub;
	char			 where[32];
	size_t			 i, n;
	int			 pair, rc;

	if (!json_object_is_type(v, json_type_array))
		return codec_sub_fail(fault, "sessions", NULL,
		    "must be an array");
	n = json_object_array_length(v);
	if (n > PRESENCE_SESSIONS_MAX) {
		snprintf(where, sizeof where, "holds more than %d sessions",
		    PRESENCE_SESSIONS_MAX);
		return codec_sub_fail(fault, "sessions", NULL, where);
	}
	for (i = 0; i < n; i++) {
		snprintf(where, sizeof where, "sessions[%zu]", i);
		if ((rc = codec_take_sub(json_object_array_get_idx(v, i),
		    where, CODEC_SESSION_PROPS, &sub, fault)) != 0)
			return rc;
		if ((pair = session_pair_find(sub.availability,
		    sub.activity)) < 0)
			return codec_sub_pair_fail(where,
			    session_pair_has_availability(sub.availability),
			    "setPresence", fault);
		s = &p->sessions[i];
		memcpy(s->id, sub.id, sizeof s->id);
		s->pair = (unsigned char)pair;
		s->refreshed = sub.refreshed;
		s->expires = sub.expires;
	}
	p->nsessions = n;
	return 0;
}

/* Read "preferredPresence". */
static int
codec_take_preferred(struct json_object *v, struct presence *p,
    struct fault *fault)
{
	struct codec_sub	sub;
	int			pair, rc;

	if ((rc = codec_take_sub(v, "preferredPresence",
	    CODEC_PREFERRED_PROPS, &sub, fault)) != 0)
		return rc;
	if ((pair = preferred_pair_find(sub.availability, sub.activity)) < 0)
		return codec_sub_pair_fail("preferredPresence",
		    preferred_pair_has_availability(sub.availability),
		    "setUserPreferredPresence", fault);
	p->preferred.set = 1;
	p->preferred.pair = (unsigned char)pair;
	p->preferred.expires = sub.expires;
	return 0;
}

/*
 * Read a member only an export line has: "sessionsSeen", "sessions",
 * "preferredPresence", "statusMessage", "outOfOfficeSettings",
 * "manualLocation" or "automaticLocation".  1 when key is none of them.
 */
static int
codec_take_stored(const char *key, struct json_object *v, struct presence *p,
    struct fault *fault)
{
	struct walk_value	wv;

	walk_from_json(v, &wv);
	if (strcmp(key, "statusMessage") == 0)
		return note_status_take(&wv, &p->status, fault);
	if (strcmp(key, "outOfOfficeSettings") == 0)
		return note_ooo_take(&wv, &p->ooo, fault);
	if (strcmp(key, "manualLocation") == 0)
		return note_location_take(&wv, key, &p->manual, fault);
	if (strcmp(key, "automaticLocation") == 0)
		return note_location_take(&wv, key, &p->automatic, fault);
	if (strcmp(key, "sessions") == 0)
		return codec_take_sessions(v, p, fault);
	if (strcmp(key, "preferredPresence") == 0)
		return codec_take_preferred(v, p, fault);
	if (strcmp(key, "sessionsSeen") != 0)
		return 1;
	if (!json_object_is_type(v, json_type_boolean))
		return codec_sub_fail(fault, "sessionsSeen", NULL,
		    "must be true or false");
	p->sessions_seen = json_object_get_boolean(v) ? 1 : 0;
	return 0;
}

/* A body being read into p: all admits the read-only properties. */
struct codec_read {
	struct presence	*p;
	int		 all;
	unsigned	 seen;		/* the properties read, as bits */
};

/* Read one member into the presence, noting it as seen. */
static int
codec_take_member(void *arg, const char *key, struct json_object *v,
    struct fault *fault)
{
	struct codec_read	*rd = arg;
	struct presence		*p = rd->p;
	char			 text[PRESENCE_VALUE_MAX + 1];
	char			*dst = text;
	size_t			 size = sizeof text;
	int			 all = rd->all, i, rc;

	if (all && (rc = codec_take_stored(key, v, p, fault)) != 1)
		return rc;
	for (i = 0; i < CODEC_NPROPS; i++)
		if (strcmp(key, codec_props[i].name) == 0)
			break;
	if (i == CODEC_NPROPS || (codec_props[i].read_only && !all))
		return codec_refuse(key, i < CODEC_NPROPS, fault);
	if (i == CODEC_AVAILABILITY) {
		dst = p->availability;
		size = sizeof p->availability;
	} else if (i == CODEC_ACTIVITY) {
		dst = p->activity;
		size = sizeof p->activity;
	}
	if ((rc = reader_take_string(v, codec_props[i].name, dst, size,
	    fault)) != 0)
		return rc;
	rd->seen |= 1u << i;
	return codec_take_text((enum codec_prop)i, dst, p, fault);
}

/* Name the first required property that is missing. */
static int
codec_require(unsigned seen, unsigned required, struct fault *fault)
{
	int	i;

	for (i = 0; i < CODEC_NPROPS; i++) {
		if ((required & (1u << i)) && !(seen & (1u << i))) {
			fault_set(fault, codec_props[i].name,
			    "'%s' is required", codec_props[i].name);
			return STORE_EINVAL;
		}
	}
	return 0;
}

/*
 * Parse a strict JSON object of known properties into p; all admits the
 * read-only ones, required says which must be there.
 */
static int
codec_parse(const char *body, size_t len, int all, unsigned required,
    struct presence *p, struct fault *fault)
{
	struct codec_read	rd = { p, all, 0 };
	int			rc;

	memset(p, 0, sizeof *p);
	if ((rc = reader_members(body, len, codec_take_member, &rd,
	    fault)) != 0)
		return rc;
	return codec_require(rd.seen, required, fault);
}

/* Parse a create request's body into p. */
int
codec_presence_from_json(const char *body, size_t len, struct presence *p,
    struct fault *fault)
{
	return codec_parse(body, len, 0, CODEC_CREATE_REQUIRED, p, fault);
}

/* Parse one presence as codec_presence_to_json wrote it. */
int
codec_presence_from_export(const char *text, size_t len, struct presence *p,
    struct fault *fault)
{
	return codec_parse(text, len, 1, CODEC_EXPORT_REQUIRED, p, fault);
}

/* Parse one import line: an export line, or a create request's body. */
int
codec_presence_from_import(const char *text, size_t len, struct presence *p,
    struct fault *fault)
{
	return codec_parse(text, len, 1, CODEC_IMPORT_REQUIRED, p, fault);
}

/* Append one byte below 0x20, or DEL, as a JSON escape. */
static int
codec_put_control(struct buf *out, unsigned char c)
{
	static const char	hex[] = "0123456789abcdef";
	char			esc[6] = { '\\', 'u', '0', '0' };

	switch (c) {
	case '\b':	return buf_add(out, "\\b", 2);
	case '\f':	return buf_add(out, "\\f", 2);
	case '\n':	return buf_add(out, "\\n", 2);
	case '\r':	return buf_add(out, "\\r", 2);
	case '\t':	return buf_add(out, "\\t", 2);
	}
	esc[4] = hex[c >> 4];
	esc[5] = hex[c & 0xf];
	return buf_add(out, esc, 6);
}

/* Append len bytes of s as a quoted JSON string. */
int
codec_put_string(struct buf *out, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;
	uint32_t		 cp;
	int			 rc = buf_add(out, "\"", 1);

	while (rc == 0 && i < len) {
		if ((n = utf8_next(p + i, len - i, &cp)) == 0) {
			rc = buf_add(out, "\\ufffd", 6);
			n = 1;
		} else if (p[i] == '"' || p[i] == '\\') {
			rc = buf_add(out, p[i] == '"' ? "\\\"" : "\\\\", 2);
		} else if (p[i] < 0x20 || p[i] == 0x7f)
			rc = codec_put_control(out, p[i]);
		else
			rc = buf_add(out, p + i, n);
		i += n;
	}
	return rc == 0 ? buf_add(out, "\"", 1) : rc;
}

/* Append s as a JSON string, or null. */
int
codec_put_nullable(struct buf *out, const char *s)
{
	if (s == NULL)
		return buf_adds(out, "null");
	return codec_put_string(out, s, strlen(s));
}

/* Append p as the API returns it. */
int
codec_presence_to_json(const struct presence *p, struct buf *out)
{
	char	seq[PRESENCE_SEQUENCE_LEN + 1];
	char	created[PRESENCE_TIME_LEN + 1];
	char	modified[PRESENCE_TIME_LEN + 1];
	size_t	len = out->len;
	int	rc;

	presence_format_sequence(p->sequence, seq);
	presence_format_time(p->created, created);
	presence_format_time(p->modified, modified);
	if ((rc = buf_reserve(out, CODEC_PRESENCE_JSON_MAX)) != 0)
		return rc;
	/* Within the reservation nothing below can fail. */
	buf_adds(out, "{\"@odata.type\":\"" PRESENCE_ODATA_TYPE "\",\"id\":");
	codec_put_string(out, p->id, strlen(p->id));
	buf_adds(out, ",\"availability\":");
	codec_put_string(out, p->availability,
	    strlen(p->availability));
	buf_adds(out, ",\"activity\":");
	codec_put_string(out, p->activity, strlen(p->activity));
	buf_printf(out, ",\"sequenceNumber\":\"%s\",\"createdDateTime\":\"%s\","
	    "\"lastModifiedDateTime\":\"%s\"}", seq, created, modified);
	return out->len > len ? 0 : STORE_ENOMEM;
}
