/*
 * base64url (RFC 4648 section 5) without padding: the alphabet of token
 * secrets and listing skip tokens, both safe in a URL and a header.
 */
#ifndef PRESENCE_STORAGE_BASE64_H
#define PRESENCE_STORAGE_BASE64_H

#include <stddef.h>

/* The characters of len bytes in base64url without padding. */
#define BASE64URL_LEN(len)	(((len) * 4 + 2) / 3)

/* Whether c is one of base64url's 64 characters. */
int base64url_char(char c);

/*
 * Encode len bytes at in into out, which has room for BASE64URL_LEN(len)
 * characters and a NUL.  Returns the characters written.
 */
size_t base64url_encode(const void *in, size_t len, char *out);

/*
 * Decode the len characters at in into out, which has room for
 * len * 3 / 4 bytes; *n is the bytes written.  Returns 0, or -1 for a
 * character outside the alphabet, a length no encoding has, or unused
 * low bits that are not zero (so every byte string has one encoding).
 */
int base64url_decode(const char *in, size_t len, void *out, size_t *n);

#endif
