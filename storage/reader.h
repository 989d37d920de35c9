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

struct walk_value;

/* A json-c value as walk.h's plain walk_value, borrowing j. */
void walk_from_json(struct json_object *j, struct walk_value *out);

#endif
