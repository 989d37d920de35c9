/* GUIDs: the presence's id. */
#ifndef PRESENCE_STORAGE_GUID_H
#define PRESENCE_STORAGE_GUID_H

#include <stddef.h>

#define GUID_LEN 36	/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */

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

#endif
