/*
 * The presence's JSON representation.  Input is first checked against
 * RFC 8259 by a strict scanner of our own (json-c accepts NaN, single
 * quotes, lone surrogates and duplicate keys), then read with json-c.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "codec.h"
#include "error.h"
#include "utf8.h"

/* A key seen in the object being scanned: where it is and its hash. */
struct codec_key {
	size_t		start;	/* just after the opening quote */
	uint32_t	hash;
};

/* The strict scanner's state over one document. */
struct codec_scan {
	const unsigned char	*s;
	size_t			 len;
	size_t			 pos;
	int			 depth;
	struct presence_fault	*fault;
};

static int codec_scan_value(struct codec_scan *);

/* Fail the scan with a message naming the byte offset. */
static int
codec_scan_fail(struct codec_scan *sc, const char *what)
{
	presence_fault_set(sc->fault, NULL, "invalid JSON at byte %zu: %s",
	    sc->pos, what);
	return STORE_EINVAL;
}

/* Skip JSON white space. */
static void
codec_scan_ws(struct codec_scan *sc)
{
	while (sc->pos < sc->len && (sc->s[sc->pos] == ' ' ||
	    sc->s[sc->pos] == '\t' || sc->s[sc->pos] == '\n' ||
	    sc->s[sc->pos] == '\r'))
		sc->pos++;
}

/* Read four hex digits at pos into *out; 0 or -1. */
static int
codec_hex4(const unsigned char *s, size_t len, size_t pos, uint32_t *out)
{
	uint32_t	v = 0;
	size_t		i;
	unsigned char	c;

	if (len < 4 || pos > len - 4)
		return -1;
	for (i = 0; i < 4; i++) {
		c = s[pos + i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * Decode the code point at *pos inside a string already checked, advance
 * *pos, and return the code point, or -1 at the closing quote.
 */
static int32_t
codec_string_next(const unsigned char *s, size_t len, size_t *pos)
{
	uint32_t	cp, lo;
	size_t		n;

	if (s[*pos] == '"')
		return -1;
	if (s[*pos] != '\\') {
		n = utf8_next(s + *pos, len - *pos, &cp);
		*pos += n ? n : 1;
		return (int32_t)cp;
	}
	(*pos)++;
	switch (s[(*pos)++]) {
	case 'b':	return '\b';
	case 'f':	return '\f';
	case 'n':	return '\n';
	case 'r':	return '\r';
	case 't':	return '\t';
	case 'u':
		codec_hex4(s, len, *pos, &cp);
		*pos += 4;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			codec_hex4(s, len, *pos + 2, &lo);
			*pos += 6;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		}
		return (int32_t)cp;
	default:	return s[*pos - 1];	/* '"', '\\' or '/' */
	}
}

/* Whether two checked strings starting at a and b decode equal. */
static int
codec_string_equal(const unsigned char *s, size_t len, size_t a, size_t b)
{
	int32_t	ca, cb;

	do {
		ca = codec_string_next(s, len, &a);
		cb = codec_string_next(s, len, &b);
		if (ca != cb)
			return 0;
	} while (ca != -1);
	return 1;
}

/* Hash a checked string by its decoded code points (FNV-1a). */
static uint32_t
codec_string_hash(const unsigned char *s, size_t len, size_t pos)
{
	uint32_t	h = 2166136261u;
	int32_t		cp;

	while ((cp = codec_string_next(s, len, &pos)) != -1)
		h = (h ^ (uint32_t)cp) * 16777619u;
	return h;
}

/* Check a \u escape at pos (just after the 'u'), pairing surrogates. */
static int
codec_scan_unicode(struct codec_scan *sc)
{
	uint32_t	cp, lo;

	if (codec_hex4(sc->s, sc->len, sc->pos, &cp) != 0)
		return codec_scan_fail(sc, "bad \\u escape");
	if (cp == 0)
		return codec_scan_fail(sc, "NUL character in string");
	sc->pos += 4;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return codec_scan_fail(sc, "lone low surrogate");
	if (cp < 0xd800 || cp > 0xdbff)
		return 0;
	if (sc->pos + 6 > sc->len || sc->s[sc->pos] != '\\' ||
	    sc->s[sc->pos + 1] != 'u' ||
	    codec_hex4(sc->s, sc->len, sc->pos + 2, &lo) != 0 ||
	    lo < 0xdc00 || lo > 0xdfff)
		return codec_scan_fail(sc, "lone high surrogate");
	sc->pos += 6;
	return 0;
}

/* Check a string at pos (the opening quote) and move past it. */
static int
codec_scan_string(struct codec_scan *sc)
{
	unsigned char	c;
	uint32_t	cp;
	size_t		n;

	sc->pos++;
	while (sc->pos < sc->len) {
		c = sc->s[sc->pos];
		if (c == '"') {
			sc->pos++;
			return 0;
		}
		if (c < 0x20)
			return codec_scan_fail(sc,
			    "control character in string");
		if (c == '\\') {
			if (++sc->pos >= sc->len)
				break;
			c = sc->s[sc->pos++];
			if (c == 'u') {
				if (codec_scan_unicode(sc) != 0)
					return STORE_EINVAL;
			} else if (strchr("\"\\/bfnrt", c) == NULL || c == 0)
				return codec_scan_fail(sc, "bad escape");
			continue;
		}
		n = utf8_next(sc->s + sc->pos, sc->len - sc->pos, &cp);
		if (n == 0)
			return codec_scan_fail(sc, "invalid UTF-8");
		sc->pos += n;
	}
	return codec_scan_fail(sc, "unterminated string");
}

/* Move past a run of decimal digits; how many there were. */
static size_t
codec_scan_digits(struct codec_scan *sc)
{
	size_t	start = sc->pos;

	while (sc->pos < sc->len && sc->s[sc->pos] >= '0' &&
	    sc->s[sc->pos] <= '9')
		sc->pos++;
	return sc->pos - start;
}

/* Check a number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
codec_scan_number(struct codec_scan *sc)
{
	if (sc->s[sc->pos] == '-')
		sc->pos++;
	if (sc->pos < sc->len && sc->s[sc->pos] == '0')
		sc->pos++;
	else if (codec_scan_digits(sc) == 0)
		return codec_scan_fail(sc, "bad number");
	if (sc->pos < sc->len && sc->s[sc->pos] == '.') {
		sc->pos++;
		if (codec_scan_digits(sc) == 0)
			return codec_scan_fail(sc, "bad number");
	}
	if (sc->pos < sc->len && (sc->s[sc->pos] | 0x20) == 'e') {
		sc->pos++;
		if (sc->pos < sc->len && (sc->s[sc->pos] == '+' ||
		    sc->s[sc->pos] == '-'))
			sc->pos++;
		if (codec_scan_digits(sc) == 0)
			return codec_scan_fail(sc, "bad number");
	}
	return 0;
}

/* Check one of the literals true, false and null. */
static int
codec_scan_literal(struct codec_scan *sc, const char *word)
{
	size_t	n = strlen(word);

	if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, word, n) != 0)
		return codec_scan_fail(sc, "unexpected character");
	sc->pos += n;
	return 0;
}

/* Remember a key of the current object, refusing a duplicate. */
static int
codec_scan_key(struct codec_scan *sc, struct codec_key **keys, size_t *n,
    size_t *cap, size_t start)
{
	struct codec_key	*grown;
	uint32_t		 h;
	size_t			 i;

	h = codec_string_hash(sc->s, sc->len, start);
	for (i = 0; i < *n; i++) {
		if ((*keys)[i].hash == h &&
		    codec_string_equal(sc->s, sc->len, (*keys)[i].start, start)) {
			sc->pos = start - 1;
			return codec_scan_fail(sc, "duplicate key");
		}
	}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		grown = realloc(*keys, *cap * sizeof **keys);
		if (grown == NULL)
			return STORE_ENOMEM;
		*keys = grown;
	}
	(*keys)[*n].start = start;
	(*keys)[(*n)++].hash = h;
	return 0;
}

/* Check an object's members after its '{'. */
static int
codec_scan_members(struct codec_scan *sc)
{
	struct codec_key	*keys = NULL;
	size_t			 n = 0, cap = 0, start;
	int			 rc;

	codec_scan_ws(sc);
	if (sc->pos < sc->len && sc->s[sc->pos] == '}') {
		sc->pos++;
		return 0;
	}
	for (;;) {
		if (sc->pos >= sc->len || sc->s[sc->pos] != '"') {
			rc = codec_scan_fail(sc, "expected a key");
			goto free_keys;
		}
		start = sc->pos + 1;
		if ((rc = codec_scan_string(sc)) != 0 ||
		    (rc = codec_scan_key(sc, &keys, &n, &cap, start)) != 0)
			goto free_keys;
		codec_scan_ws(sc);
		if (sc->pos >= sc->len || sc->s[sc->pos++] != ':') {
			rc = codec_scan_fail(sc, "expected ':'");
			goto free_keys;
		}
		if ((rc = codec_scan_value(sc)) != 0)
			goto free_keys;
		codec_scan_ws(sc);
		if (sc->pos < sc->len && sc->s[sc->pos] == ',') {
			sc->pos++;
			codec_scan_ws(sc);
			continue;
		}
		if (sc->pos < sc->len && sc->s[sc->pos] == '}') {
			sc->pos++;
			break;
		}
		rc = codec_scan_fail(sc, "expected ',' or '}'");
		goto free_keys;
	}
	rc = 0;
free_keys:
	free(keys);
	return rc;
}

/* Check an array's elements after its '['. */
static int
codec_scan_elements(struct codec_scan *sc)
{
	int	rc;

	codec_scan_ws(sc);
	if (sc->pos < sc->len && sc->s[sc->pos] == ']') {
		sc->pos++;
		return 0;
	}
	for (;;) {
		if ((rc = codec_scan_value(sc)) != 0)
			return rc;
		codec_scan_ws(sc);
		if (sc->pos < sc->len && sc->s[sc->pos] == ',') {
			sc->pos++;
			continue;
		}
		if (sc->pos < sc->len && sc->s[sc->pos] == ']') {
			sc->pos++;
			return 0;
		}
		return codec_scan_fail(sc, "expected ',' or ']'");
	}
}

/* Check one value with the white space around it. */
static int
codec_scan_value(struct codec_scan *sc)
{
	int	rc;

	codec_scan_ws(sc);
	if (sc->pos >= sc->len)
		return codec_scan_fail(sc, "unexpected end of input");
	switch (sc->s[sc->pos]) {
	case '{':
	case '[':
		if (++sc->depth > CODEC_MAX_DEPTH)
			return codec_scan_fail(sc, "nested too deeply");
		rc = sc->s[sc->pos++] == '{' ? codec_scan_members(sc) :
		    codec_scan_elements(sc);
		sc->depth--;
		return rc;
	case '"':
		return codec_scan_string(sc);
	case 't':
		return codec_scan_literal(sc, "true");
	case 'f':
		return codec_scan_literal(sc, "false");
	case 'n':
		return codec_scan_literal(sc, "null");
	default:
		if (sc->s[sc->pos] == '-' ||
		    (sc->s[sc->pos] >= '0' && sc->s[sc->pos] <= '9'))
			return codec_scan_number(sc);
		return codec_scan_fail(sc, "unexpected character");
	}
}

/* Check that text is one strict JSON value. */
int
codec_json_check(const char *text, size_t len, struct presence_fault *fault)
{
	struct codec_scan	sc = {
		.s = (const unsigned char *)text, .len = len, .fault = fault
	};
	int			rc;

	if ((rc = codec_scan_value(&sc)) != 0)
		return rc;
	codec_scan_ws(&sc);
	if (sc.pos != sc.len)
		return codec_scan_fail(&sc, "trailing characters");
	return 0;
}

/* Copy a string member into a fixed field, refusing wrong types. */
static int
codec_take_string(struct json_object *v, const char *key, char *dst,
    size_t size, struct presence_fault *fault)
{
	size_t	len;

	if (!json_object_is_type(v, json_type_string)) {
		presence_fault_set(fault, key, "'%s' must be a string", key);
		return STORE_EINVAL;
	}
	len = (size_t)json_object_get_string_len(v);
	if (len >= size) {
		presence_fault_set(fault, key, "'%s' is longer than %zu bytes",
		    key, size - 1);
		return STORE_EINVAL;
	}
	memcpy(dst, json_object_get_string(v), len);
	dst[len] = '\0';
	return 0;
}

/* Refuse a member that is not a writable property of presence. */
static int
codec_refuse(const char *key, struct presence_fault *fault)
{
	static const char *const read_only[] = {
		"sequenceNumber", "createdDateTime", "lastModifiedDateTime",
		NULL
	};
	const char *const	*ro;

	if (fault != NULL) {
		snprintf(fault->name, sizeof fault->name, "%s", key);
		key = fault->name;
	}
	for (ro = read_only; *ro != NULL; ro++) {
		if (strcmp(key, *ro) == 0) {
			presence_fault_set(fault, key,
			    "property '%s' is read-only", key);
			return STORE_EINVAL;
		}
	}
	presence_fault_set(fault, key,
	    "property '%s' does not exist on type 'microsoft.graph.presence'",
	    key);
	return STORE_EINVAL;
}

/* Read one member of a create request into p. */
static int
codec_take_member(const char *key, struct json_object *v, struct presence *p,
    struct presence_fault *fault)
{
	char	 raw[GUID_LEN + 2];
	char	 type[sizeof PRESENCE_ODATA_TYPE + 1];
	int	 rc;

	if (strcmp(key, "availability") == 0)
		return codec_take_string(v, "availability", p->availability,
		    sizeof p->availability, fault);
	if (strcmp(key, "activity") == 0)
		return codec_take_string(v, "activity", p->activity,
		    sizeof p->activity, fault);
	if (strcmp(key, "id") == 0) {
		rc = codec_take_string(v, "id", raw, sizeof raw, fault);
		if (rc == 0 && guid_parse(raw, strlen(raw), p->id) != 0) {
			presence_fault_set(fault, "id", "'id' must be a GUID");
			rc = STORE_EINVAL;
		}
		return rc;
	}
	if (strcmp(key, "@odata.type") == 0) {
		rc = codec_take_string(v, "@odata.type", type, sizeof type,
		    fault);
		if (rc == 0 && strcmp(type, PRESENCE_ODATA_TYPE) != 0) {
			presence_fault_set(fault, "@odata.type",
			    "'@odata.type' must be '%s'", PRESENCE_ODATA_TYPE);
			rc = STORE_EINVAL;
		}
		return rc;
	}
	return codec_refuse(key, fault);
}

/* Parse a create request's body into p. */
int
codec_presence_from_json(const char *body, size_t len, struct presence *p,
    struct presence_fault *fault)
{
	struct json_tokener	*tok;
	struct json_object	*root;
	int			 rc;

	memset(p, 0, sizeof *p);
	if (len > INT_MAX) {
		presence_fault_set(fault, NULL, "the request body is too large");
		return STORE_EINVAL;
	}
	if ((rc = codec_json_check(body, len, fault)) != 0)
		return rc;
	while (len > 0 && (*body == ' ' || *body == '\t' || *body == '\n' ||
	    *body == '\r')) {
		body++;
		len--;
	}
	if (*body != '{') {
		presence_fault_set(fault, NULL,
		    "the request body must be a JSON object");
		return STORE_EINVAL;
	}
	if ((tok = json_tokener_new_ex(CODEC_MAX_DEPTH + 1)) == NULL)
		return STORE_ENOMEM;
	root = json_tokener_parse_ex(tok, body, (int)len);
	json_tokener_free(tok);
	if (root == NULL || !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return STORE_ENOMEM;	/* checked above: only memory fails */
	}
	json_object_object_foreach(root, key, v) {
		if ((rc = codec_take_member(key, v, p, fault)) != 0)
			goto put_root;
	}
	rc = 0;
	if (p->availability[0] == '\0' &&
	    !json_object_object_get_ex(root, "availability", NULL)) {
		presence_fault_set(fault, "availability",
		    "'availability' is required");
		rc = STORE_EINVAL;
	} else if (p->activity[0] == '\0' &&
	    !json_object_object_get_ex(root, "activity", NULL)) {
		presence_fault_set(fault, "activity", "'activity' is required");
		rc = STORE_EINVAL;
	}
put_root:
	json_object_put(root);
	return rc;
}

/* Add a string member; 0 or STORE_ENOMEM. */
static int
codec_add_string(struct json_object *obj, const char *key, const char *value)
{
	struct json_object	*v;

	if ((v = json_object_new_string(value)) == NULL)
		return STORE_ENOMEM;
	if (json_object_object_add(obj, key, v) != 0) {
		json_object_put(v);
		return STORE_ENOMEM;
	}
	return 0;
}

/* Append p as the API returns it. */
int
codec_presence_to_json(const struct presence *p, struct buf *out)
{
	struct json_object	*obj;
	char			 seq[PRESENCE_SEQUENCE_LEN + 1];
	char			 created[PRESENCE_TIME_LEN + 1];
	char			 modified[PRESENCE_TIME_LEN + 1];
	const char		*text;
	int			 rc = STORE_ENOMEM;

	presence_format_sequence(p->sequence, seq);
	presence_format_time(p->created, created);
	presence_format_time(p->modified, modified);
	if ((obj = json_object_new_object()) == NULL)
		return STORE_ENOMEM;
	if (codec_add_string(obj, "@odata.type", PRESENCE_ODATA_TYPE) != 0 ||
	    codec_add_string(obj, "id", p->id) != 0 ||
	    codec_add_string(obj, "availability", p->availability) != 0 ||
	    codec_add_string(obj, "activity", p->activity) != 0 ||
	    codec_add_string(obj, "sequenceNumber", seq) != 0 ||
	    codec_add_string(obj, "createdDateTime", created) != 0 ||
	    codec_add_string(obj, "lastModifiedDateTime", modified) != 0)
		goto put_obj;
	text = json_object_to_json_string_ext(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text != NULL)
		rc = buf_adds(out, text);
put_obj:
	json_object_put(obj);
	return rc;
}
