/* Strict UTF-8 decoding, shared by validation, the JSON checker and fcgi. */
#ifndef PRESENCE_STORAGE_UTF8_H
#define PRESENCE_STORAGE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode one code point from s (len > 0 bytes available) into *cp and
 * return its length in bytes, or 0 when s does not start with a well-formed
 * UTF-8 sequence (overlong forms, surrogates and values above U+10FFFF are
 * ill-formed).
 */
size_t utf8_next(const unsigned char *s, size_t len, uint32_t *cp);

#endif
