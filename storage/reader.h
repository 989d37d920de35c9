/*
 * Reading JSON, private to storage/ (json-c's types cross this header):
 * the one path every body and line takes into a json-c tree.
 */
#ifndef PRESENCE_STORAGE_READER_H
#define PRESENCE_STORAGE_READER_H

#include <stddef.h>

#include <json-c/json.h>

#include "error.h"

/*
 * Read the len bytes at text as one strict JSON value (README's rules, at
 * most CODEC_MAX_DEPTH deep and CODEC_MAX_VALUES values) into *root: NULL
 * for null, otherwise a tree the caller releases with json_object_put.
 * Returns 0, STORE_EINVAL with fault filled (*root is then NULL), or
 * STORE_ENOMEM when json-c ran out of memory, whether it said so or only
 * lost a member or a string.
 */
int reader_parse(const char *text, size_t len, struct json_object **root,
    struct fault *fault);

/*
 * reader_parse for a value that must be an object: anything else is
 * STORE_EINVAL ("the request body must be a JSON object").
 */
int reader_parse_object(const char *text, size_t len,
    struct json_object **root, struct fault *fault);

/*
 * Read the object at text as reader_parse_object does and call fn(arg,
 * key, value, fault) for each member in document order, the value
 * borrowed for the call (NULL for null); stops at fn's first non-zero
 * return, and returns it, or reader_parse_object's error.
 */
int reader_members(const char *text, size_t len,
    int (*fn)(void *arg, const char *key, struct json_object *v,
    struct fault *fault), void *arg, struct fault *fault);

/*
 * Copy the string member v named key into dst of size bytes; anything
 * but a string, or one of size bytes or more, is STORE_EINVAL with
 * fault naming key.
 */
int reader_take_string(struct json_object *v, const char *key, char *dst,
    size_t size, struct fault *fault);

struct walk_value;

/* A json-c value as walk.h's plain walk_value, borrowing j. */
void walk_from_json(struct json_object *j, struct walk_value *out);

#endif
