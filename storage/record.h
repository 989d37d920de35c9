/*
 * The on-disk encoding of a presence: private to storage, versioned.
 *
 * Version 3, little-endian:
 *   u8  version (3)     u8  flags (RECORD_SEEN, RECORD_PREFERRED, and
 *                           RECORD_STATUS, RECORD_OOF, RECORD_OOF_MESSAGE,
 *                           RECORD_MANUAL, RECORD_AUTOMATIC)
 *   i64 created         i64 modified        u64 sequence
 *   u16 length, bytes   availability (the base state)
 *   u16 length, bytes   activity
 *   when RECORD_PREFERRED:  u8 pair   i64 expires
 *   u8  sessions, each:  u8 length, bytes id   u8 pair
 *                        i64 refreshed         i64 expires
 *   when RECORD_STATUS:  u16 length, bytes content
 *                        i64 published         i64 expires (0: never)
 *                        u8 length, bytes expiry dateTime as sent
 *                        u8 length, bytes expiry timeZone as sent
 *   when RECORD_OOF_MESSAGE:  u16 length, bytes message
 *   when RECORD_MANUAL, then when RECORD_AUTOMATIC:
 *                        u8 workLocationType   u16 length, bytes placeId
 * RECORD_OOF alone says the presence is out of office.  Version 2 (the
 * sessions release) is version 3 without the flags and sections after
 * the sessions.  Version 1 (the first release) is version 2 up to
 * activity, flags 0, and nothing after: it decodes as a presence with no
 * session and no preferred presence.  The key (the canonical id) is not repeated in the
 * value.
 */
#ifndef PRESENCE_STORAGE_RECORD_H
#define PRESENCE_STORAGE_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "presence.h"
#include "token.h"

#define RECORD_VERSION	3
#define RECORD_SEEN	0x01	/* a session has existed */
#define RECORD_PREFERRED 0x02	/* a preferred presence follows */
#define RECORD_STATUS	0x04	/* a status message follows */
#define RECORD_OOF	0x08	/* out of office */
#define RECORD_OOF_MESSAGE 0x10	/* an out-of-office message follows */
#define RECORD_MANUAL	0x20	/* a manual work location follows */
#define RECORD_AUTOMATIC 0x40	/* an automatic work location follows */
#define RECORD_V2_FLAGS	(RECORD_SEEN | RECORD_PREFERRED)
#define RECORD_MAX	(2 + 3 * 8 + 2 * (2 + PRESENCE_VALUE_MAX) + 9 + 1 + \
	PRESENCE_SESSIONS_MAX * (2 + SESSION_ID_MAX + 2 * 8) + \
	2 + NOTE_MESSAGE_MAX + 2 * 8 + 2 + ZONE_LOCAL_MAX + ZONE_NAME_MAX + \
	2 + NOTE_MESSAGE_MAX + 2 * (3 + NOTE_PLACE_MAX))

/*
 * Encode p (already validated) into out, which has room for RECORD_MAX
 * bytes; return the length used.
 */
size_t record_encode(const struct presence *p, unsigned char *out);

/*
 * Decode len bytes (version 1, 2 or 3) into p, whose id the caller sets from
 * the key.  Every length and value is checked: 0 or STORE_ECORRUPT
 * (STORE_EVERSION for a version this build does not know).
 */
int record_decode(const unsigned char *in, size_t len, struct presence *p);

/*
 * A token's record (its key is the SHA-256 of its secret), version 1:
 *   u8  version (1)     u8  flags (0)     u8 scopes
 *   i64 created         i64 expires
 *   u8  length, bytes   name
 *   u8  length, bytes   user ("" or a canonical id)
 */
#define RECORD_TOKEN_VERSION	1
#define RECORD_TOKEN_MAX	(3 + 2 * 8 + 2 + TOKEN_NAME_MAX + GUID_LEN)

/* Encode t (already validated) into out (RECORD_TOKEN_MAX); the length. */
size_t record_token_encode(const struct token *t, unsigned char *out);

/* Decode a token's record; 0, STORE_ECORRUPT or STORE_EVERSION. */
int record_token_decode(const unsigned char *in, size_t len, struct token *t);

#endif
