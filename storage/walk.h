/*
 * A walk over the members of a strict JSON object, in plain types: how
 * storage's parsers other than the presence's read a body without json-c
 * crossing a header.
 */
#ifndef PRESENCE_STORAGE_WALK_H
#define PRESENCE_STORAGE_WALK_H

#include <stddef.h>

#include "error.h"

enum walk_kind {
	WALK_NULL, WALK_STRING, WALK_ARRAY, WALK_OBJECT, WALK_BOOL, WALK_OTHER
};

/* One value: borrowed, valid during the callback that got it. */
struct walk_value {
	enum walk_kind	 kind;
	const char	*s;	/* WALK_STRING: the bytes, NUL-terminated */
	size_t		 len;	/* WALK_STRING: their length */
	size_t		 n;	/* WALK_ARRAY: the number of items */
	int		 b;	/* WALK_BOOL: 0 or 1 */
	const void	*impl;	/* private to codec.c */
};

/* Item i (< v->n) of an array into *out, valid as long as v. */
void walk_item(const struct walk_value *v, size_t i, struct walk_value *out);

/*
 * Call fn for each member of the object v (WALK_OBJECT) in document
 * order, stopping at the first non-zero return, which it returns.
 */
int walk_members(const struct walk_value *v,
    int (*fn)(void *arg, const char *key, const struct walk_value *v),
    void *arg);

/*
 * Read body (len bytes; 0 bytes when empty_ok: an object without members)
 * as one strict JSON object, the rules of codec_presence_from_json, and
 * call fn for each member in document order, stopping at the first
 * non-zero return.  A body that is not an object: STORE_EINVAL with fault.
 * Returns 0, fn's code, STORE_EINVAL or STORE_ENOMEM.
 */
int walk_object(const char *body, size_t len, int empty_ok,
    int (*fn)(void *arg, const char *key, const struct walk_value *v),
    void *arg, struct fault *fault);

#endif
