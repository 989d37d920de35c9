/* GUIDs: the presence's id. */
#ifndef PRESENCE_STORAGE_GUID_H
#define PRESENCE_STORAGE_GUID_H

#include <stddef.h>
#include <stdint.h>

#define GUID_LEN 36	/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */
#define GUID_BYTES 16	/* the same GUID as bytes, in text order */

/*
 * Write a random version 4 GUID, lowercase and NUL-terminated, drawn from
 * the kernel's CSPRNG.  Returns 0 or STORE_EIO.
 */
int guid_generate(char out[GUID_LEN + 1]);

/*
 * Parse len bytes of 8-4-4-4-12 hexadecimal digits in any case into the
 * canonical lowercase form.  Returns 0 or STORE_EINVAL (out is then "").
 */
int guid_parse(const char *in, size_t len, char out[GUID_LEN + 1]);

/* Whether s (NUL-terminated) is already a canonical lowercase GUID. */
int guid_is_canonical(const char *s);

/* The 16 bytes of id, a canonical GUID (guid_is_canonical holds). */
void guid_to_bytes(const char *id, uint8_t out[GUID_BYTES]);

/* Format 16 bytes as a canonical GUID, NUL-terminated. */
void guid_from_bytes(const uint8_t in[GUID_BYTES], char out[GUID_LEN + 1]);

#endif
