/*
 * The strictness json-c 0.16 lacks, checked token by token in one pass.
 * json-c's tokener (JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8)
 * checks the grammar and the depth; each rule here exists for something
 * it lets through:
 *
 *   - single-quoted names: json-c reads {'a':1} even in strict mode;
 *   - NaN, Infinity, -Infinity: json-c reads them as numbers;
 *   - raw control characters (and a raw tab) inside strings: accepted;
 *   - \u0000: accepted, and it would cut a C string short;
 *   - escaped lone surrogates (\ud800, \udc00, \ud800\u0041): json-c
 *     writes U+FFFD in their place;
 *   - non-shortest UTF-8 (C0 AF), encoded surrogates (ED A0 80) and code
 *     points above U+10FFFF: JSON_TOKENER_VALIDATE_UTF8 only checks the
 *     shape of each sequence;
 *   - numbers: json-c reads -01 and 1. as numbers (it refuses only 01),
 *     saturates an integer beyond 64 bits to UINT64_MAX and makes 1e400
 *     infinity, so a number must have RFC 8259's form and fit;
 *   - duplicate names: json-c keeps the last value.  That is not checked
 *     here but counted: the codec compares the names counted here with the
 *     members of json-c's tree, and looks for the duplicate only when they
 *     differ (strict_names).  The same counts (values, decoded string
 *     bytes) show a member json-c dropped or a string it emptied when it
 *     ran out of memory, which it does not report.
 *
 * json-c also stops at a NUL byte outside a string and ignores what
 * follows; the codec refuses anything after the value (trailing data).
 * One rule bounds json-c's cost rather than its leniency: json-c builds a
 * tree node for each value (an array takes a 32-slot list), so a 1 MiB
 * body of tiny values costs it hundreds of milliseconds; the check
 * refuses a text of more values than the caller allows before json-c sees
 * it.
 *
 * Everything else (brackets, commas, colons, bad escapes, comments,
 * nesting) is json-c's to refuse; strict_expected turns where it stopped
 * into a message that says what was expected there.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "strict.h"
#include "utf8.h"

/* The last token outside a string, which says what may come next. */
enum strict_prev {
	PREV_NONE,	/* nothing yet */
	PREV_OPEN,	/* '{' or '[' */
	PREV_COMMA,
	PREV_COLON,
	PREV_NAME,	/* a member name */
	PREV_VALUE	/* a complete value */
};

#define STRICT_KINDS	64	/* containers whose kind is remembered */

/* The check's state over one text. */
struct strict_lex {
	const unsigned char	*s;
	size_t			 len;
	size_t			 pos;
	size_t			 depth;
	uint64_t		 objects;	/* bit d: container d+1 is an object */
	enum strict_prev	 prev;
	int			 open_string;	/* the text ends inside a string */
	struct strict_counts	 c;
	size_t			 max_values;	/* 0: no bound */
	struct fault		*fault;
	int			(*fn)(void *, enum strict_event, size_t, size_t);
	void			*arg;
};

/* Fail at byte at with a message. */
static int
strict_fail(struct strict_lex *lx, size_t at, const char *what)
{
	fault_set(lx->fault, NULL, "invalid JSON at byte %zu: %s", at,
	    what);
	return STORE_EINVAL;
}

/* Whether the innermost open container is an object. */
static int
strict_in_object(const struct strict_lex *lx)
{
	return lx->depth > 0 && lx->depth <= STRICT_KINDS &&
	    (lx->objects >> (lx->depth - 1) & 1);
}

/* What the grammar expects after the token lx->prev, at the state's end. */
static const char *
strict_expectation(const struct strict_lex *lx, int at_end)
{
	if (lx->open_string)
		return "unterminated string";
	if (lx->prev == PREV_NAME)
		return "expected ':'";
	if (strict_in_object(lx) && (lx->prev == PREV_OPEN ||
	    lx->prev == PREV_COMMA))
		return "expected a key";
	if (lx->prev == PREV_VALUE && lx->depth > 0)
		return strict_in_object(lx) ? "expected ',' or '}'" :
		    "expected ',' or ']'";
	if (lx->prev == PREV_VALUE)
		return "trailing characters";
	return at_end ? "unexpected end of input" : "unexpected character";
}

/* Read four hex digits at pos; the value, or -1. */
static int32_t
strict_hex4(const struct strict_lex *lx, size_t pos)
{
	int32_t		v = 0;
	size_t		i;
	unsigned char	c;

	if (lx->len < 4 || pos > lx->len - 4)
		return -1;
	for (i = 0; i < 4; i++) {
		c = lx->s[pos + i];
		if (c >= '0' && c <= '9')
			v = v << 4 | (c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v = v << 4 | ((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	return v;
}

/*
 * Check a \u escape whose 'u' is at lx->pos and count its bytes; a
 * malformed one is left to json-c.
 */
static int
strict_unicode(struct strict_lex *lx, size_t *bytes)
{
	int32_t	cp = strict_hex4(lx, lx->pos + 1), lo;

	if (cp < 0) {
		lx->pos++;
		return 0;
	}
	if (cp == 0)
		return strict_fail(lx, lx->pos - 1, "NUL character in string");
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return strict_fail(lx, lx->pos - 1, "lone low surrogate");
	lx->pos += 5;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (lx->pos + 1 >= lx->len || lx->s[lx->pos] != '\\' ||
		    lx->s[lx->pos + 1] != 'u' ||
		    (lo = strict_hex4(lx, lx->pos + 2)) < 0xdc00 || lo > 0xdfff)
			return strict_fail(lx, lx->pos - 6,
			    "lone high surrogate");
		lx->pos += 6;
		*bytes += 4;
	} else
		*bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
	return 0;
}

/* Check the string whose '"' is at lx->pos and move past it. */
static int
strict_string(struct strict_lex *lx)
{
	size_t		bytes = 0, n;
	uint32_t	cp;
	unsigned char	c;
	int		rc;

	lx->pos++;
	while (lx->pos < lx->len) {
		c = lx->s[lx->pos];
		if (c == '"') {
			lx->pos++;
			lx->c.bytes += bytes;
			return 0;
		}
		if (c < 0x20)
			return strict_fail(lx, lx->pos,
			    "control character in string");
		if (c == '\\' && lx->pos + 1 < lx->len) {
			lx->pos++;
			if (lx->s[lx->pos] == 'u') {
				if ((rc = strict_unicode(lx, &bytes)) != 0)
					return rc;
				continue;
			}
			c = lx->s[lx->pos];	/* json-c refuses a bad one */
		}
		if (c < 0x80) {
			lx->pos++;
			bytes++;
			continue;
		}
		if ((n = utf8_next(lx->s + lx->pos, lx->len - lx->pos, &cp)) == 0)
			return strict_fail(lx, lx->pos, "invalid UTF-8");
		lx->pos += n;
		bytes += n;
	}
	lx->open_string = 1;
	return 0;
}

/* Move past decimal digits; how many, with their value (capped) in *v. */
static size_t
strict_digits(struct strict_lex *lx, uint64_t *v)
{
	size_t	start = lx->pos;

	*v = 0;
	while (lx->pos < lx->len && lx->s[lx->pos] >= '0' &&
	    lx->s[lx->pos] <= '9') {
		if (*v <= (UINT64_MAX - 9) / 10)
			*v = *v * 10 + (lx->s[lx->pos] - '0');
		else
			*v = UINT64_MAX;
		lx->pos++;
	}
	return lx->pos - start;
}

/*
 * How many decimal digits the integer part of a number would have once
 * its exponent is applied (ints digits, value v, exponent e of sign esign).
 * From 309 (1e308) on, the codec calls a number out of range: a double
 * ends at 1.8e308, and json-c makes what is beyond it infinity.
 */
static uint64_t
strict_magnitude(size_t ints, uint64_t v, uint64_t e, int esign)
{
	if (esign < 0)
		return ints > e ? ints - e : 0;
	if (e > 1000)
		return UINT64_MAX;
	return (v == 0 ? 0 : ints) + e;
}

/* Whether byte c could continue a number. */
static int
strict_numeric(unsigned char c)
{
	return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' ||
	    c == '+' || c == '-';
}

/*
 * Check a number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, an
 * integer within 64 bits, one with a fraction or exponent below 1e308.
 */
static int
strict_number(struct strict_lex *lx)
{
	size_t		start = lx->pos, ints;
	uint64_t	v, e = 0;
	int		neg = lx->s[lx->pos] == '-', frac = 0, esign = 1;

	lx->pos += (size_t)neg;
	if ((ints = strict_digits(lx, &v)) == 0)
		return strict_fail(lx, start, "bad number");
	if (ints > 1 && lx->s[lx->pos - ints] == '0') {
		lx->pos -= ints - 1;		/* the value was "0" */
		lx->prev = PREV_VALUE;
		return strict_fail(lx, lx->pos, strict_expectation(lx, 0));
	}
	if (lx->pos < lx->len && lx->s[lx->pos] == '.') {
		lx->pos++;
		if (strict_digits(lx, &e) == 0)
			return strict_fail(lx, start, "bad number");
		frac = 1;
		e = 0;
	}
	if (lx->pos < lx->len && (lx->s[lx->pos] | 0x20) == 'e') {
		lx->pos++;
		if (lx->pos < lx->len && (lx->s[lx->pos] == '+' ||
		    lx->s[lx->pos] == '-'))
			esign = lx->s[lx->pos++] == '-' ? -1 : 1;
		if (strict_digits(lx, &e) == 0)
			return strict_fail(lx, start, "bad number");
		frac = 1;
	}
	if (lx->pos < lx->len && strict_numeric(lx->s[lx->pos]))
		return strict_fail(lx, start, "bad number");
	if (!frac && (ints > 20 || v > (neg ? (uint64_t)INT64_MAX + 1 :
	    UINT64_MAX) || (ints == 20 && v < UINT64_MAX / 10)))
		return strict_fail(lx, start, "number out of range");
	if (frac && strict_magnitude(ints, v, e, esign) >= 309)
		return strict_fail(lx, start, "number out of range");
	return 0;
}

/* Check a bare word: only true, false and null are JSON. */
static int
strict_word(struct strict_lex *lx)
{
	size_t	start = lx->pos, n;

	while (lx->pos < lx->len && (((lx->s[lx->pos] | 0x20) >= 'a' &&
	    (lx->s[lx->pos] | 0x20) <= 'z') || lx->s[lx->pos] == '_'))
		lx->pos++;
	n = lx->pos - start;
	if ((n == 4 && memcmp(lx->s + start, "true", 4) == 0) ||
	    (n == 5 && memcmp(lx->s + start, "false", 5) == 0))
		return 0;
	if (n == 4 && memcmp(lx->s + start, "null", 4) == 0) {
		lx->c.null_root = lx->depth == 0;
		return 0;
	}
	return strict_fail(lx, start, "unexpected character");
}

/* Enter a container at lx->pos. */
static int
strict_open(struct strict_lex *lx, int object)
{
	if (lx->depth < STRICT_KINDS) {
		lx->objects &= ~((uint64_t)1 << lx->depth);
		lx->objects |= (uint64_t)object << lx->depth;
	}
	lx->depth++;
	lx->pos++;
	lx->prev = PREV_OPEN;
	if (object && lx->fn != NULL)
		return lx->fn(lx->arg, STRICT_OPEN, lx->pos - 1, 1);
	return 0;
}

/* Leave a container at lx->pos. */
static int
strict_close(struct strict_lex *lx)
{
	int	object = strict_in_object(lx);

	if (lx->depth > 0)
		lx->depth--;
	lx->pos++;
	lx->prev = PREV_VALUE;
	if (object && lx->fn != NULL)
		return lx->fn(lx->arg, STRICT_CLOSE, lx->pos - 1, 1);
	return 0;
}

/* Count one value, refusing one past the bound. */
static int
strict_value(struct strict_lex *lx, size_t at)
{
	char	what[64];

	if (++lx->c.values <= lx->max_values || lx->max_values == 0)
		return 0;
	snprintf(what, sizeof what, "more than %zu values", lx->max_values);
	return strict_fail(lx, at, what);
}

/* Check one string token, a name or a value. */
static int
strict_string_token(struct strict_lex *lx)
{
	size_t	start = lx->pos;
	int	name = strict_in_object(lx) && (lx->prev == PREV_OPEN ||
	    lx->prev == PREV_COMMA);
	int	rc;

	if ((rc = strict_string(lx)) != 0 || lx->open_string)
		return rc;
	lx->prev = name ? PREV_NAME : PREV_VALUE;
	if (!name)
		return strict_value(lx, start);
	lx->c.names++;
	return lx->fn != NULL ? lx->fn(lx->arg, STRICT_NAME, start,
	    lx->pos - start) : 0;
}

/* Check the token at lx->pos (not white space) and move past it. */
static int
strict_token(struct strict_lex *lx)
{
	unsigned char	c = lx->s[lx->pos];
	size_t		start = lx->pos;
	int		rc;

	switch (c) {
	case '{':
	case '[':
		if ((rc = strict_value(lx, lx->pos)) != 0)
			return rc;
		return strict_open(lx, c == '{');
	case '}':
	case ']':
		return strict_close(lx);
	case ',':
		lx->prev = PREV_COMMA;
		lx->pos++;
		return 0;
	case ':':
		lx->prev = PREV_COLON;
		lx->pos++;
		return 0;
	case '"':
		return strict_string_token(lx);
	case '\'':
		return strict_fail(lx, lx->pos, strict_expectation(lx, 0));
	}
	if (c == '-' || (c >= '0' && c <= '9'))
		rc = strict_number(lx);
	else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		rc = strict_word(lx);
	else {
		lx->pos++;	/* json-c refuses it */
		return 0;
	}
	lx->prev = PREV_VALUE;
	return rc != 0 ? rc : strict_value(lx, start);
}

/* Run over the first value of the text, or up to byte stop. */
static int
strict_run(struct strict_lex *lx, size_t stop)
{
	unsigned char	c;
	int		rc;

	while (lx->pos < stop && lx->pos < lx->len && !lx->open_string) {
		c = lx->s[lx->pos];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			lx->pos++;
			continue;
		}
		if ((rc = strict_token(lx)) != 0)
			return rc;
		if (lx->depth == 0 && lx->prev == PREV_VALUE) {
			lx->c.end = lx->pos;
			break;
		}
	}
	return 0;
}

/* Check the first JSON value of text against what json-c lets through. */
int
strict_check(const char *text, size_t len, size_t max_values,
    struct strict_counts *c, struct fault *fault)
{
	struct strict_lex	lx = {
		.s = (const unsigned char *)text, .len = len,
		.max_values = max_values, .fault = fault
	};
	int			rc = strict_run(&lx, len);

	*c = lx.c;
	return rc;
}

/* Say what the grammar expected where json-c stopped. */
int
strict_expected(const char *text, size_t len, size_t pos,
    struct fault *fault)
{
	struct strict_lex	lx = {
		.s = (const unsigned char *)text, .len = len, .fault = fault
	};

	if (strict_run(&lx, pos) != 0)
		return STORE_EINVAL;
	return strict_fail(&lx, pos, strict_expectation(&lx, pos >= len));
}

/* Report each object and member name of an accepted text to fn. */
int
strict_names(const char *text, size_t len,
    int (*fn)(void *, enum strict_event, size_t, size_t), void *arg)
{
	struct strict_lex	lx = {
		.s = (const unsigned char *)text, .len = len, .fn = fn,
		.arg = arg
	};

	return strict_run(&lx, len);
}
