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

#define CODEC_MAX_DEPTH 32	/* deeper documents are refused */
#define CODEC_MAX_VALUES 16384	/* and so are documents of more values */

/* The most bytes codec_presence_to_json appends for one presence. */
#define CODEC_PRESENCE_JSON_MAX	2048

/*
 * Append p as the API returns it: compact JSON with "@odata.type", "id",
 * "availability", "activity" first, then "sequenceNumber",
 * "createdDateTime" and "lastModifiedDateTime".  Returns 0 or STORE_ENOMEM;
 * it cannot fail once buf_reserve(out, CODEC_PRESENCE_JSON_MAX) succeeded.
 */
int codec_presence_to_json(const struct presence *p, struct buf *out);

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
    struct presence *p, struct presence_fault *fault);

/*
 * Parse one presence as codec_presence_to_json wrote it (a line of
 * `presence-console export`): the same strict JSON, every property present,
 * read-only ones included and taken as they are, nothing else.  The values
 * are not validated here: store_import does that.
 * Returns 0, STORE_EINVAL with fault filled, or STORE_ENOMEM.
 */
int codec_presence_from_export(const char *text, size_t len,
    struct presence *p, struct presence_fault *fault);

/*
 * Parse one line of an import: as codec_presence_from_export, except that
 * only "availability" and "activity" are required, so a create request's
 * body is a line too.  What is absent stays 0 in p: id "", sequence 0 and
 * both times 0.  The values are not validated here: store_import does that.
 * Returns 0, STORE_EINVAL with fault filled, or STORE_ENOMEM.
 */
int codec_presence_from_import(const char *text, size_t len,
    struct presence *p, struct presence_fault *fault);

/*
 * Check that text of len bytes is one strict JSON value (the rules above,
 * any top-level type).  Returns 0 or STORE_EINVAL with fault->message
 * saying what and where.
 */
int codec_json_check(const char *text, size_t len,
    struct presence_fault *fault);

/*
 * Append len bytes of s as a quoted JSON string: the project's one rule
 * for how a string becomes JSON.  '"' and '\\' are escaped, control
 * characters and DEL become \b \f \n \r \t or \u00XX, and a byte that
 * does not start well-formed UTF-8 becomes \ufffd; nothing else changes
 * ('/' included).  At most 6 * len + 2 bytes: after buf_reserve of that
 * much it cannot fail.  0 or STORE_ENOMEM.
 */
int codec_put_string(struct buf *out, const char *s, size_t len);

#endif
