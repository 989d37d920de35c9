/*
 * The presence's JSON representation, read and written here without a
 * JSON library: input is checked against RFC 8259 by a strict scanner,
 * then its top-level members are read in a second walk.  (json-c 0.16
 * accepts NaN, single quotes, lone surrogates and duplicate keys, drops a
 * member it finds no memory for and crashes on some allocation failures.)
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* Write a code point as UTF-8 into out (room for 4); return the length. */
static size_t
codec_utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Refuse a duplicate key, naming it (decoded, cut to fit) as the property. */
static int
codec_scan_duplicate(struct codec_scan *sc, size_t start)
{
	struct presence_fault	*f = sc->fault;
	size_t			 pos = start, n = 0;
	int32_t			 cp;

	sc->pos = start - 1;
	if (f == NULL)
		return STORE_EINVAL;
	while ((cp = codec_string_next(sc->s, sc->len, &pos)) != -1 &&
	    n + 4 < sizeof f->name)
		n += codec_utf8_put((uint32_t)cp, f->name + n);
	f->name[n] = '\0';
	presence_fault_set(f, f->name, "invalid JSON at byte %zu: duplicate "
	    "property '%s'", sc->pos, f->name);
	return STORE_EINVAL;
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
		    codec_string_equal(sc->s, sc->len, (*keys)[i].start, start))
			return codec_scan_duplicate(sc, start);
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

/*
 * A member's value as the walk found it: a string decoded into text (cut
 * at PRESENCE_VALUE_MAX bytes, len telling how long it really was), or
 * another type.
 */
struct codec_value {
	int	 is_string;
	char	 text[PRESENCE_VALUE_MAX + 1];
	size_t	 len;
};

/*
 * Decode the checked string whose opening quote is at *pos into out (cut
 * to fit, NUL-terminated) and move *pos past its closing quote; the full
 * decoded length goes into *len.
 */
static void
codec_decode(const unsigned char *s, size_t slen, size_t *pos, char *out,
    size_t size, size_t *len)
{
	char	u[4];
	size_t	i = *pos + 1, n = 0, k;
	int32_t	cp;

	while ((cp = codec_string_next(s, slen, &i)) != -1) {
		k = codec_utf8_put((uint32_t)cp, u);
		if (n + k < size)
			memcpy(out + n, u, k);
		n += k;
	}
	out[n < size ? n : size - 1] = '\0';
	*len = n;
	*pos = i + 1;
}

/* Copy a string member into a fixed field, refusing wrong types. */
static int
codec_take_string(const struct codec_value *v, const char *key, char *dst,
    size_t size, struct presence_fault *fault)
{
	if (!v->is_string) {
		presence_fault_set(fault, key, "'%s' must be a string", key);
		return STORE_EINVAL;
	}
	if (v->len >= size) {
		presence_fault_set(fault, key, "'%s' is longer than %zu bytes",
		    key, size - 1);
		return STORE_EINVAL;
	}
	memcpy(dst, v->text, v->len + 1);
	return 0;
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

/* Parse a time as presence_format_time writes it; 0 or -1. */
static int
codec_parse_time(const char *s, int64_t *ms)
{
	struct tm	tm;
	char		back[PRESENCE_TIME_LEN + 1];
	int		y, mo, d, h, mi, sec, milli;

	if (strlen(s) != PRESENCE_TIME_LEN ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &y, &mo, &d, &h, &mi,
	    &sec, &milli) != 7)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*ms = (int64_t)timegm(&tm) * 1000 + milli;
	presence_format_time(*ms, back);
	return strcmp(back, s) == 0 ? 0 : -1;	/* only the canonical form */
}

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
codec_refuse(const char *key, int read_only, struct presence_fault *fault)
{
	if (fault != NULL) {
		snprintf(fault->name, sizeof fault->name, "%s", key);
		key = fault->name;
	}
	if (read_only)
		presence_fault_set(fault, key, "property '%s' is read-only",
		    key);
	else
		presence_fault_set(fault, key, "property '%s' does not exist "
		    "on type 'microsoft.graph.presence'", key);
	return STORE_EINVAL;
}

/* Check and store the text of one known property into p. */
static int
codec_take_text(enum codec_prop prop, const char *text, struct presence *p,
    struct presence_fault *fault)
{
	const char	*name = codec_props[prop].name;
	int		 bad = 0;

	switch (prop) {
	case CODEC_TYPE:
		if (strcmp(text, PRESENCE_ODATA_TYPE) != 0) {
			presence_fault_set(fault, name, "'%s' must be '%s'",
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
		bad = codec_parse_time(text, &p->created) != 0;
		break;
	case CODEC_MODIFIED:
		bad = codec_parse_time(text, &p->modified) != 0;
		break;
	default:
		break;
	}
	if (bad) {
		presence_fault_set(fault, name, "'%s' is not a valid %s", name,
		    prop == CODEC_ID ? "GUID" : prop == CODEC_SEQUENCE ?
		    "sequence number" : "date-time");
		return STORE_EINVAL;
	}
	return 0;
}

/* Read one member into p, noting it in *seen. */
static int
codec_take_member(const char *key, const struct codec_value *v,
    struct presence *p, int all, unsigned *seen, struct presence_fault *fault)
{
	char	 text[PRESENCE_VALUE_MAX + 1];
	char	*dst = text;
	size_t	 size = sizeof text;
	int	 i, rc;

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
	if ((rc = codec_take_string(v, codec_props[i].name, dst, size,
	    fault)) != 0)
		return rc;
	*seen |= 1u << i;
	return codec_take_text((enum codec_prop)i, dst, p, fault);
}

/* Name the first required property that is missing. */
static int
codec_require(unsigned seen, unsigned required, struct presence_fault *fault)
{
	int	i;

	for (i = 0; i < CODEC_NPROPS; i++) {
		if ((required & (1u << i)) && !(seen & (1u << i))) {
			presence_fault_set(fault, codec_props[i].name,
			    "'%s' is required", codec_props[i].name);
			return STORE_EINVAL;
		}
	}
	return 0;
}

/*
 * Walk the members of the top-level object of a document codec_json_check
 * accepted, reading each into p in document order.
 */
static int
codec_members(struct codec_scan *sc, struct presence *p, int all,
    unsigned *seen)
{
	char			key[PRESENCE_VALUE_MAX + 1];
	struct codec_value	v;
	size_t			klen;
	int			rc;

	codec_scan_ws(sc);
	sc->pos++;				/* '{' */
	codec_scan_ws(sc);
	while (sc->s[sc->pos] == '"') {
		codec_decode(sc->s, sc->len, &sc->pos, key, sizeof key, &klen);
		codec_scan_ws(sc);
		sc->pos++;			/* ':' */
		codec_scan_ws(sc);
		if ((v.is_string = sc->s[sc->pos] == '"'))
			codec_decode(sc->s, sc->len, &sc->pos, v.text,
			    sizeof v.text, &v.len);
		else if ((rc = codec_scan_value(sc)) != 0)
			return rc;		/* checked: cannot happen */
		if ((rc = codec_take_member(key, &v, p, all, seen,
		    sc->fault)) != 0)
			return rc;
		codec_scan_ws(sc);
		if (sc->s[sc->pos] != ',')
			break;
		sc->pos++;
		codec_scan_ws(sc);
	}
	return 0;
}

/*
 * Parse a strict JSON object of known properties into p; all admits the
 * read-only ones, required says which must be there.
 */
static int
codec_parse(const char *body, size_t len, int all, unsigned required,
    struct presence *p, struct presence_fault *fault)
{
	struct codec_scan	sc = {
		.s = (const unsigned char *)body, .len = len, .fault = fault
	};
	unsigned		seen = 0;
	int			rc;

	memset(p, 0, sizeof *p);
	if ((rc = codec_json_check(body, len, fault)) != 0)
		return rc;
	codec_scan_ws(&sc);
	if (sc.s[sc.pos] != '{') {
		presence_fault_set(fault, NULL,
		    "the request body must be a JSON object");
		return STORE_EINVAL;
	}
	if ((rc = codec_members(&sc, p, all, &seen)) != 0)
		return rc;
	return codec_require(seen, required, fault);
}

/* Parse a create request's body into p. */
int
codec_presence_from_json(const char *body, size_t len, struct presence *p,
    struct presence_fault *fault)
{
	return codec_parse(body, len, 0, CODEC_CREATE_REQUIRED, p, fault);
}

/* Parse one presence as codec_presence_to_json wrote it. */
int
codec_presence_from_export(const char *text, size_t len, struct presence *p,
    struct presence_fault *fault)
{
	return codec_parse(text, len, 1, CODEC_EXPORT_REQUIRED, p, fault);
}

/* Parse one import line: an export line, or a create request's body. */
int
codec_presence_from_import(const char *text, size_t len, struct presence *p,
    struct presence_fault *fault)
{
	return codec_parse(text, len, 1, CODEC_IMPORT_REQUIRED, p, fault);
}

/* Append s as a JSON string: '"', '\\' and control characters escaped. */
static int
codec_put_string(struct buf *out, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p = (const unsigned char *)s;
	char			 esc[7] = "\\u00";
	int			 rc = buf_add(out, "\"", 1);

	for (; rc == 0 && *p != '\0'; p++) {
		switch (*p) {
		case '"':	rc = buf_add(out, "\\\"", 2); break;
		case '\\':	rc = buf_add(out, "\\\\", 2); break;
		case '\b':	rc = buf_add(out, "\\b", 2); break;
		case '\f':	rc = buf_add(out, "\\f", 2); break;
		case '\n':	rc = buf_add(out, "\\n", 2); break;
		case '\r':	rc = buf_add(out, "\\r", 2); break;
		case '\t':	rc = buf_add(out, "\\t", 2); break;
		default:
			if (*p >= 0x20) {
				rc = buf_add(out, p, 1);
				break;
			}
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 0xf];
			rc = buf_add(out, esc, 6);
		}
	}
	return rc == 0 ? buf_add(out, "\"", 1) : rc;
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
	codec_put_string(out, p->id);
	buf_adds(out, ",\"availability\":");
	codec_put_string(out, p->availability);
	buf_adds(out, ",\"activity\":");
	codec_put_string(out, p->activity);
	buf_printf(out, ",\"sequenceNumber\":\"%s\",\"createdDateTime\":\"%s\","
	    "\"lastModifiedDateTime\":\"%s\"}", seq, created, modified);
	return out->len > len ? 0 : STORE_ENOMEM;
}
