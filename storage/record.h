/*
 * The on-disk encoding of a presence: private to storage, versioned.
 *
 * Version 1, little-endian:
 *   u8  version (1)     u8  flags (0)
 *   i64 created         i64 modified        u64 sequence
 *   u16 length, bytes   availability
 *   u16 length, bytes   activity
 * The key (the canonical id) is not repeated in the value.
 */
#ifndef PRESENCE_STORAGE_RECORD_H
#define PRESENCE_STORAGE_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "presence.h"

#define RECORD_VERSION	1
#define RECORD_MAX	(2 + 3 * 8 + 2 * (2 + PRESENCE_VALUE_MAX))

/*
 * Encode p (already validated) into out, which has room for RECORD_MAX
 * bytes; return the length used.
 */
size_t record_encode(const struct presence *p, unsigned char *out);

/*
 * Decode len bytes into p, whose id the caller sets from the key.  Every
 * length and value is checked: 0 or STORE_ECORRUPT (STORE_EVERSION for a
 * version this build does not know).
 */
int record_decode(const unsigned char *in, size_t len, struct presence *p);

#endif
