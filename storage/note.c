/* The status message, out of office and work location: names and checks. */
#include <stdio.h>
#include <string.h>

#include "note.h"
#include "presence.h"
#include "utf8.h"

const char *const note_work_names[NOTE_NWORK] = {
	"unspecified", "office", "remote", "timeOff"
};

const char *const note_source_names[NOTE_NSOURCE] = {
	"none", "manual", "automatic"
};

/* The index of a workLocationType's wire name, or -1. */
int
note_work_find(const char *name, size_t len)
{
	int	i;

	for (i = 0; i < NOTE_NWORK; i++)
		if (strlen(note_work_names[i]) == len &&
		    memcmp(note_work_names[i], name, len) == 0)
			return i;
	return -1;
}

/* Check the text of a message or a placeId. */
int
note_check_text(const char *property, const char *s, size_t len,
    size_t max, int lines, struct fault *fault)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, n;
	uint32_t		 cp;

	if (len > max) {
		fault_set(fault, property, "'%s' is longer than %zu bytes",
		    property, max);
		return STORE_EINVAL;
	}
	for (i = 0; i < len; i += n) {
		if ((n = utf8_next(u + i, len - i, &cp)) == 0) {
			fault_set(fault, property, "'%s' is not valid UTF-8",
			    property);
			return STORE_EINVAL;
		}
		if ((cp < 0x20 && !(lines && (cp == '\t' || cp == '\n'))) ||
		    (cp >= 0x7f && cp < 0xa0)) {
			fault_set(fault, property, "'%s' must not contain "
			    "control characters", property);
			return STORE_EINVAL;
		}
	}
	return 0;
}

/* Set a fault for a zone_instant error. */
int
note_zone_fault(int zone_error, const char *prefix, const char *zone,
    struct fault *fault)
{
	char	name[FAULT_NAME_MAX + 1];

	switch (zone_error) {
	case ZONE_ENOMEM:
		return STORE_ENOMEM;
	case ZONE_EUNKNOWN:
		if (fault != NULL) {
			snprintf(fault->name, sizeof fault->name,
			    "%s.timeZone", prefix);
			snprintf(name, sizeof name, "%.64s", zone);
			fault_set(fault, fault->name, "'%s': '%s' is not a "
			    "time zone (a Windows name such as 'Pacific "
			    "Standard Time', an IANA name such as "
			    "'Europe/Berlin', or 'UTC')", fault->name, name);
		}
		return STORE_EINVAL;
	}
	if (fault != NULL) {
		snprintf(fault->name, sizeof fault->name, "%s.dateTime",
		    prefix);
		if (zone_error == ZONE_EOFFSET)
			fault_set(fault, fault->name, "'%s' must not carry "
			    "an offset or 'Z': the zone goes in timeZone",
			    fault->name);
		else
			fault_set(fault, fault->name, "'%s' must be a local "
			    "date-time such as 2026-08-28T17:00:00",
			    fault->name);
	}
	return STORE_EINVAL;
}

/* Check a status message as it would be stored. */
int
note_status_check(const struct note_status *s, struct fault *fault)
{
	size_t	tlen = strnlen(s->expiry_time, sizeof s->expiry_time);
	size_t	zlen = strnlen(s->expiry_zone, sizeof s->expiry_zone);
	int64_t	at;
	int	rc;

	if (s->content[0] == '\0') {
		fault_set(fault, "statusMessage.message.content",
		    "'statusMessage.message.content' must not be empty");
		return STORE_EINVAL;
	}
	if ((rc = note_check_text("statusMessage.message.content", s->content,
	    strnlen(s->content, sizeof s->content), NOTE_MESSAGE_MAX, 1,
	    fault)) != 0)
		return rc;
	if (s->published <= 0) {
		fault_set(fault, "statusMessage.publishedDateTime",
		    "'statusMessage.publishedDateTime' must lie after 1970");
		return STORE_EINVAL;
	}
	if (s->expires == 0 && tlen == 0 && zlen == 0)
		return 0;
	if ((rc = zone_instant(s->expiry_time, tlen, s->expiry_zone, zlen,
	    &at)) != 0)
		return note_zone_fault(rc, "statusMessage.expiryDateTime",
		    s->expiry_zone, fault);
	if (at != s->expires) {
		fault_set(fault, "statusMessage.expiryDateTime",
		    "'statusMessage.expiryDateTime' does not match its "
		    "stored instant");
		return STORE_EINVAL;
	}
	return 0;
}

/*
 * Refuse a member: "'<where>.<key>' <what>" (where or key may be ""),
 * the member named so in fault->name.
 */
static int
note_fail(struct fault *fault, const char *where, const char *key,
    const char *what)
{
	if (fault == NULL)
		return STORE_EINVAL;
	snprintf(fault->name, sizeof fault->name, "%s%s%s", where,
	    *where != '\0' && *key != '\0' ? "." : "", key);
	fault_set(fault, fault->name, "'%s' %s", fault->name, what);
	return STORE_EINVAL;
}

/* Why len bytes of s cannot be a message or placeId, into what; or 0. */
static int
note_text_problem(const char *s, size_t len, size_t max, int lines,
    char *what, size_t size)
{
	struct fault	f;

	if (note_check_text("", s, len, max, lines, &f) == 0)
		return 0;
	/* The message reads "'' is ...": keep what follows the name. */
	snprintf(what, size, "%.64s", f.message + 3);
	return -1;
}

/* One object being read: what it holds, where it sits, what was seen. */
struct note_reader {
	const char		*where;		/* its path, for faults */
	const char *const	*names;		/* its members, NULL-terminated */
	const char		*action;	/* the action whose body it is */
	unsigned		 seen;
	int			 stored;	/* an export line's */
	struct note_status	*status;
	struct note_ooo		*ooo;
	struct note_location	*location;
	struct fault		*fault;
	char			 time[ZONE_LOCAL_MAX + 1];
	char			 zone[ZONE_NAME_MAX + 1];
	int			 has_expiry;
};

/* Copy a string member of at most max bytes into dst ("" for null). */
static int
note_copy(struct note_reader *r, const char *key, const struct walk_value *v,
    char *dst, size_t max, int lines, int nullable)
{
	char	what[96];

	if (v->kind == WALK_NULL && nullable) {
		*dst = '\0';
		return 0;
	}
	if (v->kind != WALK_STRING)
		return note_fail(r->fault, r->where, key, nullable ?
		    "must be a string or null" : "must be a string");
	if (note_text_problem(v->s, v->len, max, lines, what,
	    sizeof what) != 0)
		return note_fail(r->fault, r->where, key, what);
	memcpy(dst, v->s, v->len + 1);
	return 0;
}

/* Find key among r's members and mark it seen; -1 when it is not one. */
static int
note_member(struct note_reader *r, const char *key)
{
	int	i;

	for (i = 0; r->names[i] != NULL; i++) {
		if (strcmp(r->names[i], key) == 0) {
			r->seen |= 1u << i;
			return i;
		}
	}
	if (r->stored)
		note_fail(r->fault, r->where, key, "is not a property of an "
		    "exported presence");
	else if (*r->where == '\0')
		note_fail(r->fault, r->where, key, "is not a parameter of "
		    "setStatusMessage");
	else
		note_fail(r->fault, r->where, key, "is not a known property");
	return -1;
}

/* Walk an object's members with fn, then check the required ones. */
static int
note_walk(struct note_reader *r, const struct walk_value *v,
    const char *const *names,
    int (*fn)(void *, const char *, const struct walk_value *),
    unsigned required)
{
	int	i, rc;

	if (v->kind != WALK_OBJECT)
		return note_fail(r->fault, r->where, "", "must be an object");
	r->names = names;
	r->seen = 0;
	if ((rc = walk_members(v, fn, r)) != 0)
		return rc;
	for (i = 0; r->names[i] != NULL; i++)
		if ((required & (1u << i)) && !(r->seen & (1u << i)))
			return note_fail(r->fault, r->where, r->names[i],
			    "is required");
	return 0;
}

static const char *const note_body_names[] = {
	"content", "contentType", NULL
};

/* A member of an itemBody: content, contentType. */
static int
note_body_member(void *arg, const char *key, const struct walk_value *v)
{
	struct note_reader	*r = arg;
	int			 i;

	if ((i = note_member(r, key)) < 0)
		return STORE_EINVAL;
	if (i == 0)
		return note_copy(r, key, v, r->status->content,
		    NOTE_MESSAGE_MAX, 1, 0);
	if (v->kind != WALK_STRING || strcmp(v->s, "text") != 0)
		return note_fail(r->fault, r->where, key, "must be 'text' (the "
		    "only content type of a status message)");
	return 0;
}

static const char *const note_expiry_names[] = {
	"dateTime", "timeZone", NULL
};

/* A member of a dateTimeTimeZone: dateTime, timeZone. */
static int
note_expiry_member(void *arg, const char *key, const struct walk_value *v)
{
	struct note_reader	*r = arg;
	int			 i;

	if ((i = note_member(r, key)) < 0)
		return STORE_EINVAL;
	if (v->kind != WALK_STRING)
		return note_fail(r->fault, r->where, key, "must be a string");
	if (i == 0 && v->len > ZONE_LOCAL_MAX)
		return note_fail(r->fault, r->where, key, "must be a local "
		    "date-time such as 2026-08-28T17:00:00");
	if (i == 1 && v->len > ZONE_NAME_MAX)
		return note_zone_fault(ZONE_EUNKNOWN, r->where, v->s,
		    r->fault);
	memcpy(i == 0 ? r->time : r->zone, v->s, v->len + 1);
	return 0;
}

/* Read a sub-object at r->where + "." + key with fn. */
static int
note_sub(struct note_reader *r, const char *key, const struct walk_value *v,
    const char *const *names,
    int (*fn)(void *, const char *, const struct walk_value *),
    unsigned required)
{
	struct note_reader	sub = *r;
	char			where[FAULT_NAME_MAX + 1];

	snprintf(where, sizeof where, "%s.%s", r->where, key);
	sub.where = where;
	if (note_walk(&sub, v, names, fn, required) != 0)
		return STORE_EINVAL;
	memcpy(r->time, sub.time, sizeof r->time);
	memcpy(r->zone, sub.zone, sizeof r->zone);
	return 0;
}

static const char *const note_status_names[] = {
	"message", "expiryDateTime", "publishedDateTime", NULL
};

/* A member of a presenceStatusMessage. */
static int
note_status_member(void *arg, const char *key, const struct walk_value *v)
{
	struct note_reader	*r = arg;
	char			 t[PRESENCE_TIME_LEN + 2];
	int			 i;

	if ((i = note_member(r, key)) < 0)
		return STORE_EINVAL;
	switch (i) {
	case 0:
		return note_sub(r, key, v, note_body_names, note_body_member,
		    1u << 0);
	case 1:
		if (v->kind == WALK_NULL)
			return 0;
		r->has_expiry = 1;
		return note_sub(r, key, v, note_expiry_names,
		    note_expiry_member, 3u);
	}
	if (!r->stored)
		return note_fail(r->fault, r->where, key, "is read-only");
	if (v->kind != WALK_STRING || v->len >= sizeof t ||
	    presence_parse_time(v->s, &r->status->published) != 0)
		return note_fail(r->fault, r->where, key,
		    "is not a valid date-time");
	return 0;
}

/* Read a presenceStatusMessage object into r->status. */
static int
note_status_read(struct note_reader *r, const struct walk_value *v)
{
	struct note_status	*s = r->status;
	int			 rc;

	memset(s, 0, sizeof *s);
	r->has_expiry = 0;
	if ((rc = note_walk(r, v, note_status_names, note_status_member,
	    r->stored ? 5u : 1u)) != 0)
		return rc;
	s->set = s->content[0] != '\0';
	if (!r->has_expiry)
		return 0;
	memcpy(s->expiry_time, r->time, sizeof s->expiry_time);
	memcpy(s->expiry_zone, r->zone, sizeof s->expiry_zone);
	if ((rc = zone_instant(r->time, strlen(r->time), r->zone,
	    strlen(r->zone), &s->expires)) != 0) {
		char	prefix[FAULT_NAME_MAX + 1];

		snprintf(prefix, sizeof prefix, "%s.expiryDateTime", r->where);
		return note_zone_fault(rc, prefix, r->zone, r->fault);
	}
	return 0;
}

/* The one member of setStatusMessage's body. */
static int
note_status_param(void *arg, const char *key, const struct walk_value *v)
{
	static const char *const names[] = { "statusMessage", NULL };
	struct note_reader	*r = arg;
	struct note_reader	 sub = *r;

	r->names = names;
	if (note_member(r, key) < 0)
		return STORE_EINVAL;
	sub.where = "statusMessage";
	return note_status_read(&sub, v);
}

/* Parse setStatusMessage's body. */
int
note_status_from_json(const char *body, size_t len, struct note_status *out,
    struct fault *fault)
{
	struct note_reader	r = { .where = "", .status = out,
	    .fault = fault };
	static const char *const names[] = { "statusMessage", NULL };
	int			rc;

	memset(out, 0, sizeof *out);
	r.names = names;
	if ((rc = walk_object(body, len, 0, note_status_param, &r,
	    fault)) != 0)
		return rc;
	if (!(r.seen & 1u))
		return note_fail(fault, "", "statusMessage", "is required");
	return 0;
}

static const char *const note_location_names[] = {
	"workLocationType", "placeId", NULL
};

/* A member of a work location: workLocationType, placeId. */
static int
note_location_member(void *arg, const char *key, const struct walk_value *v)
{
	struct note_reader	*r = arg;
	int			 i, type;

	if ((i = note_member(r, key)) < 0)
		return STORE_EINVAL;
	if (i == 1)
		return note_copy(r, key, v, r->location->place, NOTE_PLACE_MAX,
		    0, 1);
	if (v->kind != WALK_STRING ||
	    (type = note_work_find(v->s, v->len)) < 0)
		return note_fail(r->fault, r->where, key, "must be one of "
		    "unspecified, office, remote, timeOff");
	r->location->type = (unsigned char)type;
	return 0;
}

/* The parameters of a location action, at the body's top level. */
static int
note_location_param(void *arg, const char *key, const struct walk_value *v)
{
	struct note_reader	*r = arg;

	if (strcmp(key, "workLocationType") != 0 &&
	    strcmp(key, "placeId") != 0) {
		if (r->fault != NULL) {
			snprintf(r->fault->name, sizeof r->fault->name, "%s",
			    key);
			fault_set(r->fault, r->fault->name, "'%s' is not a "
			    "parameter of %s", r->fault->name, r->action);
		}
		return STORE_EINVAL;
	}
	return note_location_member(arg, key, v);
}

/* Parse setManualLocation's or setAutomaticLocation's body. */
int
note_location_from_json(const char *body, size_t len, const char *action,
    struct note_location *out, struct fault *fault)
{
	struct note_reader	r = { .where = "", .location = out,
	    .fault = fault };
	int			rc;

	memset(out, 0, sizeof *out);
	r.action = action;
	r.names = note_location_names;
	if ((rc = walk_object(body, len, 0, note_location_param, &r,
	    fault)) != 0)
		return rc;
	if (!(r.seen & 1u))
		return note_fail(fault, "", "workLocationType", "is required");
	out->set = 1;
	return 0;
}

/* Read an export line's "statusMessage". */
int
note_status_take(const struct walk_value *v, struct note_status *out,
    struct fault *fault)
{
	struct note_reader	r = { .where = "statusMessage", .status = out,
	    .stored = 1, .fault = fault };
	int			rc;

	if ((rc = note_status_read(&r, v)) != 0)
		return rc;
	if (!out->set)
		return note_fail(fault, "statusMessage.message", "content",
		    "must not be empty");
	return note_status_check(out, fault);
}

static const char *const note_ooo_names[] = {
	"isOutOfOffice", "message", NULL
};

/* A member of the out-of-office settings. */
static int
note_ooo_member(void *arg, const char *key, const struct walk_value *v)
{
	struct note_reader	*r = arg;
	int			 i;

	if ((i = note_member(r, key)) < 0)
		return STORE_EINVAL;
	if (i == 1)
		return note_copy(r, key, v, r->ooo->message, NOTE_MESSAGE_MAX,
		    1, 1);
	if (v->kind != WALK_BOOL)
		return note_fail(r->fault, r->where, key,
		    "must be true or false");
	r->ooo->on = v->b;
	return 0;
}

/* Read an export line's "outOfOfficeSettings". */
int
note_ooo_take(const struct walk_value *v, struct note_ooo *out,
    struct fault *fault)
{
	struct note_reader	r = { .where = "outOfOfficeSettings",
	    .ooo = out, .stored = 1, .fault = fault };

	memset(out, 0, sizeof *out);
	return note_walk(&r, v, note_ooo_names, note_ooo_member, 3u);
}

/* Read an export line's "manualLocation" or "automaticLocation". */
int
note_location_take(const struct walk_value *v, const char *where,
    struct note_location *out, struct fault *fault)
{
	struct note_reader	r = { .where = where, .location = out,
	    .stored = 1, .fault = fault };
	int			rc;

	memset(out, 0, sizeof *out);
	if ((rc = note_walk(&r, v, note_location_names, note_location_member,
	    3u)) != 0)
		return rc;
	out->set = 1;
	return 0;
}
