/*
 * The presence's JSON representation: the one codec used by the API, the
 * console's inspect view, export and import, read with json-c.  It takes
 * and returns plain bytes; no json-c type crosses this header.
 */
#ifndef PRESENCE_STORAGE_CODEC_H
#define PRESENCE_STORAGE_CODEC_H

#include <stddef.h>

#include "buf.h"
#include "presence.h"
#include "store.h"

#define CODEC_MAX_DEPTH 32	/* deeper documents are refused */
#define CODEC_MAX_VALUES 16384	/* and so are documents of more values */

/* The most bytes codec_presence_to_json appends for one presence. */
#define CODEC_PRESENCE_JSON_MAX	2048

/*
 * The most bytes the status message, out-of-office settings and work
 * location add to a presence's JSON (every string escaped at worst).
 */
#define CODEC_NOTES_JSON_MAX	(6 * (2 * NOTE_MESSAGE_MAX + ZONE_LOCAL_MAX + \
	ZONE_NAME_MAX + 2 * NOTE_PLACE_MAX) + 1024)

/* The most bytes codec_presence_view_to_json appends, context aside. */
#define CODEC_VIEW_JSON_MAX	(CODEC_PRESENCE_JSON_MAX + CODEC_NOTES_JSON_MAX)

/*
 * Append p's base state as stored, the head of an export line: compact
 * JSON with "@odata.type", "id", "availability", "activity" first, then
 * "sequenceNumber", "createdDateTime" and "lastModifiedDateTime" (a read
 * and a create's 201 use codec_presence_view_to_json).  Returns 0 or
 * STORE_ENOMEM;
 * it cannot fail once buf_reserve(out, CODEC_PRESENCE_JSON_MAX) succeeded.
 */
int codec_presence_to_json(const struct presence *p, struct buf *out);

/*
 * Append p as GET answers it, showing view (presence_view of p): compact
 * JSON starting with "@odata.context" (when context is not NULL: the
 * caller's URL, written escaped, e.g.
 * "https://host/graph/v1.0/$metadata#users('ID')/presence/$entity"),
 * then "@odata.type", "id", view's "availability" and "activity",
 * "statusMessage" (null unless view->status_shown, else {"message":
 * {"content", "contentType": "text"}, "publishedDateTime",
 * "expiryDateTime": {"dateTime", "timeZone"} as sent, or null}),
 * "outOfOfficeSettings" ({"isOutOfOffice", "message": string or null}),
 * "workLocation" ({"workLocationType", "source", "placeId": string or
 * null} of view->location's layer; "unspecified", "none", null when
 * none), view's "sequenceNumber", "createdDateTime" and
 * "lastModifiedDateTime".  Returns 0 or STORE_ENOMEM; it cannot fail
 * once buf_reserve(out, CODEC_VIEW_JSON_MAX + 6 * strlen(context) + 2)
 * succeeded.
 */
int codec_presence_view_to_json(const struct presence *p,
    const struct presence_view *view, const char *context, struct buf *out);

/* The most bytes codec_presence_to_export appends for one presence. */
#define CODEC_EXPORT_JSON_MAX	(CODEC_VIEW_JSON_MAX + \
	PRESENCE_SESSIONS_MAX * (6 * SESSION_ID_MAX + 256) + 256)

/*
 * Append p as stored, one line of `presence-console export`: as
 * codec_presence_to_json, followed (only when there is something to say)
 * by "sessionsSeen":true, "sessions":[{"sessionId", "availability",
 * "activity", "refreshedDateTime", "expirationDateTime"}, ...] and
 * "preferredPresence":{"availability", "activity",
 * "expirationDateTime"}, "statusMessage" (as GET shows it, expired or
 * not), "outOfOfficeSettings" (as GET shows it, when on or with a
 * message), "manualLocation" and "automaticLocation"
 * ({"workLocationType", "placeId": string or null}).  Returns 0 or
 * STORE_ENOMEM; it cannot fail once buf_reserve(out,
 * CODEC_EXPORT_JSON_MAX) succeeded.
 */
int codec_presence_to_export(const struct presence *p, struct buf *out);

/*
 * Parse an ISO 8601 duration of len bytes, as Edm.Duration: "P", then
 * days ("nD"), then optionally "T" with hours, minutes and seconds ("nH",
 * "nM", "nS", in that order, each at most once, at least one), the
 * seconds with at most 3 decimals ("PT1.5S").  Years, months, weeks,
 * signs and fractions of other units are refused.  *ms gets the length
 * in milliseconds (at most 100 years).  Returns 0 or STORE_EINVAL.
 */
int codec_duration_parse(const char *s, size_t len, int64_t *ms);

/*
 * The bodies of the actions bound to a presence.  Each must be a strict
 * JSON object as for codec_presence_from_json, of the named parameters
 * only (another is refused by name: fault->property); the pairs are always
 * checked against Graph's tables (session.h), whatever the value mode,
 * the fault naming "availability" when no pair has that availability,
 * "activity" otherwise.  Each returns 0, STORE_EINVAL with fault filled,
 * or STORE_ENOMEM.
 *
 * setPresence: "sessionId" (required, session_id_valid), "availability",
 * "activity" (required), "expirationDuration" (optional; within
 * SESSION_DURATION_MIN..MAX; out->duration is SESSION_DURATION_DEFAULT
 * when absent).
 */
int codec_session_set_from_json(const char *body, size_t len,
    struct session_set *out, struct fault *fault);

/* clearPresence: "sessionId" (required), into session_id. */
int codec_session_clear_from_json(const char *body, size_t len,
    char session_id[SESSION_ID_MAX + 1], struct fault *fault);

/*
 * setUserPreferredPresence: "availability", "activity" (required),
 * "expirationDuration" (optional, positive, at most
 * PREFERRED_DURATION_MAX; out->duration is the pair's default when
 * absent).
 */
int codec_preferred_set_from_json(const char *body, size_t len,
    struct preferred_set *out, struct fault *fault);

/* clearUserPreferredPresence: no body (len 0) or "{}". */
int codec_preferred_clear_from_json(const char *body, size_t len,
    struct fault *fault);

/*
 * An action of no parameters (clearAutomaticLocation, clearLocation,
 * named by action for the fault): no body (len 0) or "{}".
 */
int codec_no_params_from_json(const char *body, size_t len,
    const char *action, struct fault *fault);

/* getPresencesByUserId's bound on ids. */
#define CODEC_IDS_MAX	650

/*
 * getPresencesByUserId's ids, in request order.  ids[i] points into
 * text, a NUL-terminated canonical GUID, or "" for an id that is a string
 * but not a GUID (an unknown id: store_get_many leaves it out).
 */
struct codec_ids {
	size_t		 n;
	const char	*ids[CODEC_IDS_MAX];
	char		 text[CODEC_IDS_MAX][GUID_LEN + 1];
};

/*
 * getPresencesByUserId: {"ids":[...]}, required, an array of at most
 * CODEC_IDS_MAX strings (a GUID in any case is taken lowercase).  A
 * missing, null or non-array "ids", an element that is not a string, or
 * more than CODEC_IDS_MAX elements: STORE_EINVAL naming "ids".  out is
 * large (about 30 KiB): allocate it rather than keep it on a thread's
 * stack.
 */
int codec_ids_from_json(const char *body, size_t len, struct codec_ids *out,
    struct fault *fault);

/*
 * Parse a create request's body of len bytes into p.  The body must be
 * strict JSON (RFC 8259: one object, no duplicate keys, no NaN or
 * Infinity, valid UTF-8, no NUL in strings, nothing after the object,
 * at most CODEC_MAX_DEPTH deep, at most CODEC_MAX_VALUES values).  It may
 * hold "@odata.type" (which must be PRESENCE_ODATA_TYPE), "id" (a GUID in
 * any case, stored lowercase),
 * "availability" and "activity" (strings); a read-only or unknown property
 * is refused by name.  The values are not validated here: store_create does
 * that.  p->id is "" when the body has no id.
 * Returns 0, STORE_EINVAL with fault filled, or STORE_ENOMEM.
 */
int codec_presence_from_json(const char *body, size_t len,
    struct presence *p, struct fault *fault);

/*
 * Parse one presence as codec_presence_to_export wrote it (a line of
 * `presence-console export`): the same strict JSON, every property of
 * codec_presence_to_json present, read-only ones included and taken as
 * they are, "sessionsSeen", "sessions", "preferredPresence",
 * "statusMessage", "outOfOfficeSettings", "manualLocation" and
 * "automaticLocation" optional (a line of an earlier release has none),
 * nothing else (note.h reads the last four).  "sessionsSeen"
 * is a boolean; "sessions" an array of at most PRESENCE_SESSIONS_MAX
 * objects of exactly the members codec_presence_to_export writes, and
 * "preferredPresence" one such object; each pair must be one of its
 * table's (it is stored as an index) and each time in the canonical form.
 * A fault names the member, e.g. "sessions[1].refreshedDateTime".  The
 * other values are not validated here: store_import_check does that.
 * Returns 0, STORE_EINVAL with fault filled, or STORE_ENOMEM.
 */
int codec_presence_from_export(const char *text, size_t len,
    struct presence *p, struct fault *fault);

/*
 * Parse one line of an import: as codec_presence_from_export, except that
 * only "availability" and "activity" are required, so a create request's
 * body is a line too.  What is absent stays 0 in p: id "", sequence 0 and
 * both times 0.  The values are not validated here: store_import does that.
 * Returns 0, STORE_EINVAL with fault filled, or STORE_ENOMEM.
 */
int codec_presence_from_import(const char *text, size_t len,
    struct presence *p, struct fault *fault);

/*
 * Check that text of len bytes is one strict JSON value (the rules above,
 * any top-level type).  Returns 0 or STORE_EINVAL with fault->message
 * saying what and where.
 */
int codec_json_check(const char *text, size_t len,
    struct fault *fault);

/*
 * Append len bytes of s as a quoted JSON string: the project's one rule
 * for how a string becomes JSON.  '"' and '\\' are escaped, control
 * characters and DEL become \b \f \n \r \t or \u00XX, and a byte that
 * does not start well-formed UTF-8 becomes \ufffd; nothing else changes
 * ('/' included).  At most 6 * len + 2 bytes: after buf_reserve of that
 * much it cannot fail.  0 or STORE_ENOMEM.
 */
int codec_put_string(struct buf *out, const char *s, size_t len);

/*
 * Append s as codec_put_string does, or null when s is NULL.  0 or
 * STORE_ENOMEM.
 */
int codec_put_nullable(struct buf *out, const char *s);

#endif
