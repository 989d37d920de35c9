/*
 * Reading JSON: json-c's tokener into a tree, backed by strict.c for what
 * json-c 0.16 lets through, and the tree's counts compared with strict.c's
 * so that a member or string json-c lost to a failed allocation is
 * noticed.  codec.c maps the tree onto a presence; walk.h gives the other
 * parsers the same reading in plain types.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "codec.h"
#include "error.h"
#include "reader.h"
#include "strict.h"
#include "utf8.h"
#include "walk.h"

/* The tokener's flags: trailing data is the codec's to refuse, by name. */
#define READER_TOKENER_FLAGS (JSON_TOKENER_STRICT | \
	JSON_TOKENER_VALIDATE_UTF8 | JSON_TOKENER_ALLOW_TRAILING_CHARS)

/* Fail with a message naming the byte offset. */
static int
reader_fail(struct fault *fault, size_t at, const char *what)
{
	fault_set(fault, NULL, "invalid JSON at byte %zu: %s", at,
	    what);
	return STORE_EINVAL;
}

/* Translate json-c's refusal at byte at into a fault. */
static int
reader_tokener_error(const char *text, size_t len, size_t at,
    enum json_tokener_error err, struct fault *fault)
{
	switch (err) {
	case json_tokener_error_depth:
		return reader_fail(fault, at, "nested too deeply");
	case json_tokener_error_parse_number:
		return reader_fail(fault, at, "bad number");
	case json_tokener_error_parse_string:
		return reader_fail(fault, at, "bad escape");
	case json_tokener_error_parse_utf8_string:
		return reader_fail(fault, at, "invalid UTF-8");
	case json_tokener_error_size:
		return reader_fail(fault, at, "too large");
	default:	/* where a bracket, comma, colon or key was wrong */
		return strict_expected(text, len, at, fault);
	}
}

/* Count a json-c tree as strict_check counts its text. */
static void
reader_count(struct json_object *v, struct strict_counts *c)
{
	size_t	i, n;

	c->values++;
	switch (json_object_get_type(v)) {
	case json_type_object: {
		json_object_object_foreach(v, key, member) {
			c->names++;
			c->bytes += strlen(key);
			reader_count(member, c);
		}
		break;
	}
	case json_type_array:
		n = json_object_array_length(v);
		for (i = 0; i < n; i++)
			reader_count(json_object_array_get_idx(v, i), c);
		break;
	case json_type_string:
		c->bytes += (size_t)json_object_get_string_len(v);
		break;
	default:
		break;
	}
}

/* The search for a duplicate name: one set of names per open object. */
struct reader_dups {
	const char		*text;
	struct json_object	*names[CODEC_MAX_DEPTH + 1];
	size_t			 depth;
	struct json_tokener	*tok;
	struct buf		 key;
	struct fault		*fault;
};

/* Decode the name token at start (n bytes with its quotes) into d->key. */
static int
reader_dups_key(struct reader_dups *d, size_t start, size_t n)
{
	struct json_object	*s;
	int			 rc;

	buf_reset(&d->key);
	if (memchr(d->text + start, '\\', n) == NULL)	/* as it is */
		return buf_add(&d->key, d->text + start + 1, n - 2) != 0 ||
		    buf_add(&d->key, "", 1) != 0 ? STORE_ENOMEM : 0;
	json_tokener_reset(d->tok);
	if ((s = json_tokener_parse_ex(d->tok, d->text + start, (int)n)) ==
	    NULL)
		return STORE_ENOMEM;
	rc = buf_add(&d->key, json_object_get_string(s),
	    (size_t)json_object_get_string_len(s) + 1);
	json_object_put(s);
	return rc != 0 ? STORE_ENOMEM : 0;
}

/* Refuse the duplicate name in d->key found at byte at. */
static int
reader_dups_refuse(struct reader_dups *d, size_t at)
{
	struct fault		*f = d->fault;
	size_t			 n = d->key.len - 1;

	if (f == NULL)
		return STORE_EINVAL;
	if (n >= sizeof f->name) {
		n = sizeof f->name - 1;		/* cut at a character */
		while (n > 0 && (d->key.data[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(f->name, d->key.data, n);
	f->name[n] = '\0';
	fault_set(f, f->name, "invalid JSON at byte %zu: duplicate "
	    "property '%s'", at, f->name);
	return STORE_EINVAL;
}

/* One object or name of the text, for reader_find_duplicate. */
static int
reader_dups_event(void *arg, enum strict_event ev, size_t start, size_t n)
{
	struct reader_dups	*d = arg;
	struct json_object	*set;
	int			 rc;

	switch (ev) {
	case STRICT_OPEN:
		if (d->depth > CODEC_MAX_DEPTH)
			return STORE_EINVAL;	/* json-c refused it */
		if ((d->names[d->depth] = json_object_new_object()) == NULL)
			return STORE_ENOMEM;
		d->depth++;
		return 0;
	case STRICT_CLOSE:
		json_object_put(d->names[--d->depth]);
		return 0;
	case STRICT_NAME:
		break;
	}
	set = d->names[d->depth - 1];
	if ((rc = reader_dups_key(d, start, n)) != 0)
		return rc;
	if (json_object_object_get_ex(set, d->key.data, NULL))
		return reader_dups_refuse(d, start);
	return json_object_object_add(set, d->key.data, NULL) == 0 ? 0 :
	    STORE_ENOMEM;
}

/*
 * json-c's tree has fewer members than the text has names: refuse the
 * first duplicate name, or, when there is none, json-c dropped a member
 * for want of memory.  Only then is each object's set of names built.
 */
static int
reader_find_duplicate(const char *text, size_t len,
    struct fault *fault)
{
	struct reader_dups	d = { .text = text, .fault = fault };
	int			rc;

	buf_init(&d.key);
	if ((d.tok = json_tokener_new_ex(1)) == NULL)
		return STORE_ENOMEM;
	rc = strict_names(text, len, reader_dups_event, &d);
	while (d.depth > 0)
		json_object_put(d.names[--d.depth]);
	json_tokener_free(d.tok);
	buf_release(&d.key);
	return rc != 0 ? rc : STORE_ENOMEM;
}

/*
 * Check json-c's result against strict_check's counts and what follows
 * it in the text; 0, STORE_EINVAL or STORE_ENOMEM.
 */
static int
reader_verify(const char *text, size_t len, struct json_object *root,
    size_t end, const struct strict_counts *want,
    struct fault *fault)
{
	struct strict_counts	got = { 0 };

	if (root == NULL && !want->null_root)
		return STORE_ENOMEM;	/* json-c stopped without a word */
	if (end < want->end)
		return STORE_ENOMEM;
	while (end < len && (text[end] == ' ' || text[end] == '\t' ||
	    text[end] == '\n' || text[end] == '\r'))
		end++;
	if (end < len)
		return reader_fail(fault, end, "trailing characters");
	reader_count(root, &got);
	if (got.names != want->names)
		return reader_find_duplicate(text, len, fault);
	if (got.values != want->values || got.bytes != want->bytes)
		return STORE_ENOMEM;	/* a member or string json-c lost */
	return 0;
}

/* Read text as one strict JSON value into *root. */
int
reader_parse(const char *text, size_t len, struct json_object **root,
    struct fault *fault)
{
	struct strict_counts	 want;
	struct json_tokener	*tok;
	enum json_tokener_error	 err;
	size_t			 end;
	int			 rc;

	*root = NULL;
	if (len >= INT_MAX)
		return reader_fail(fault, 0, "too large");
	if ((rc = strict_check(text, len, CODEC_MAX_VALUES, &want, fault)) != 0)
		return rc;
	if ((tok = json_tokener_new_ex(CODEC_MAX_DEPTH)) == NULL)
		return STORE_ENOMEM;
	json_tokener_set_flags(tok, READER_TOKENER_FLAGS);
	*root = json_tokener_parse_ex(tok, text, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (*root == NULL && json_tokener_get_error(tok) ==
	    json_tokener_continue) {
		/* A NUL ends a number or literal the text ends with. */
		*root = json_tokener_parse_ex(tok, "", 1);
		end = len;
	}
	err = json_tokener_get_error(tok);
	json_tokener_free(tok);
	if (err != json_tokener_success) {
		json_object_put(*root);
		*root = NULL;
		return reader_tokener_error(text, len, end, err, fault);
	}
	if ((rc = reader_verify(text, len, *root, end, &want, fault)) != 0) {
		json_object_put(*root);
		*root = NULL;
	}
	return rc;
}

/* A json-c value as a walk_value. */
void
walk_from_json(struct json_object *j, struct walk_value *out)
{
	memset(out, 0, sizeof *out);
	out->impl = j;
	switch (json_object_get_type(j)) {
	case json_type_null:
		out->kind = WALK_NULL;
		break;
	case json_type_string:
		out->kind = WALK_STRING;
		out->s = json_object_get_string(j);
		out->len = (size_t)json_object_get_string_len(j);
		break;
	case json_type_array:
		out->kind = WALK_ARRAY;
		out->n = json_object_array_length(j);
		break;
	case json_type_object:
		out->kind = WALK_OBJECT;
		break;
	case json_type_boolean:
		out->kind = WALK_BOOL;
		out->b = json_object_get_boolean(j) ? 1 : 0;
		break;
	default:
		out->kind = WALK_OTHER;
		break;
	}
}

/* Item i of an array. */
void
walk_item(const struct walk_value *v, size_t i, struct walk_value *out)
{
	walk_from_json(json_object_array_get_idx(v->impl, i), out);
}

/* Call fn for each member of an object. */
int
walk_members(const struct walk_value *v,
    int (*fn)(void *arg, const char *key, const struct walk_value *v),
    void *arg)
{
	struct json_object	*j = (struct json_object *)(uintptr_t)v->impl;
	struct walk_value	 wv;
	int			 rc;

	json_object_object_foreach(j, key, m) {
		walk_from_json(m, &wv);
		if ((rc = fn(arg, key, &wv)) != 0)
			return rc;
	}
	return 0;
}

/* Read text as one strict JSON object into *root. */
int
reader_parse_object(const char *text, size_t len, struct json_object **root,
    struct fault *fault)
{
	int	rc;

	if ((rc = reader_parse(text, len, root, fault)) != 0)
		return rc;
	if (!json_object_is_type(*root, json_type_object)) {
		json_object_put(*root);
		*root = NULL;
		fault_set(fault, NULL, "the request body must be a JSON object");
		return STORE_EINVAL;
	}
	return 0;
}

/* Read a strict JSON object and call fn for each member, in order. */
int
reader_members(const char *text, size_t len,
    int (*fn)(void *arg, const char *key, struct json_object *v,
    struct fault *fault), void *arg, struct fault *fault)
{
	struct json_object	*root;
	int			 rc;

	if ((rc = reader_parse_object(text, len, &root, fault)) != 0)
		return rc;
	/* json-c keeps the order members came in. */
	json_object_object_foreach(root, key, v) {
		if ((rc = fn(arg, key, v, fault)) != 0)
			goto put_root;
	}
put_root:
	json_object_put(root);
	return rc;
}

/* Copy a string member into a fixed field, refusing wrong types. */
int
reader_take_string(struct json_object *v, const char *key, char *dst,
    size_t size, struct fault *fault)
{
	size_t	len;

	if (!json_object_is_type(v, json_type_string)) {
		fault_set(fault, key, "'%s' must be a string", key);
		return STORE_EINVAL;
	}
	len = (size_t)json_object_get_string_len(v);
	if (len >= size) {
		fault_set(fault, key, "'%s' is longer than %zu bytes",
		    key, size - 1);
		return STORE_EINVAL;
	}
	memcpy(dst, json_object_get_string(v), len);
	dst[len] = '\0';
	return 0;
}

/* walk_object's callback and its argument, for reader_members. */
struct walk_call {
	int	 (*fn)(void *arg, const char *key, const struct walk_value *v);
	void	*arg;
};

/* One member as a walk_value, to walk_object's callback. */
static int
walk_member(void *arg, const char *key, struct json_object *v,
    struct fault *fault)
{
	const struct walk_call	*call = arg;
	struct walk_value	 wv;

	(void)fault;
	walk_from_json(v, &wv);
	return call->fn(call->arg, key, &wv);
}

/* Read a strict JSON object and call fn for each member. */
int
walk_object(const char *body, size_t len, int empty_ok,
    int (*fn)(void *arg, const char *key, const struct walk_value *v),
    void *arg, struct fault *fault)
{
	struct walk_call	call = { fn, arg };

	if (len == 0 && empty_ok)
		return 0;
	return reader_members(body, len, walk_member, &call, fault);
}
