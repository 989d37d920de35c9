/*
 * Bearer tokens: what a token may do, and its text forms.  The secret is
 * shown once when the token is issued; the store keeps only its SHA-256.
 */
#ifndef PRESENCE_STORAGE_TOKEN_H
#define PRESENCE_STORAGE_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "guid.h"
#include "presence.h"

/*
 * A secret is TOKEN_PREFIX and 43 base64url characters (32 random bytes),
 * so secret scanners can recognise a leaked one by its prefix.
 */
#define TOKEN_PREFIX		"prs_"
#define TOKEN_SECRET_LEN	(sizeof TOKEN_PREFIX - 1 + 43)
#define TOKEN_NAME_MAX		64	/* bytes of printable ASCII */
#define TOKEN_SCOPES_MAX	128	/* the longest scope list text */

/*
 * Graph's presence permissions.  READ and READWRITE cover only the
 * presence whose id is the token's user; the _ALL ones cover every
 * presence.  READWRITE implies READ, READWRITE_ALL implies READ_ALL.
 */
enum token_scope {
	TOKEN_SCOPE_READ		= 0x1,	/* Presence.Read */
	TOKEN_SCOPE_READWRITE		= 0x2,	/* Presence.ReadWrite */
	TOKEN_SCOPE_READ_ALL		= 0x4,	/* Presence.Read.All */
	TOKEN_SCOPE_READWRITE_ALL	= 0x8,	/* Presence.ReadWrite.All */
};

/* A token as stored: everything but its secret.  Owns no memory. */
struct token {
	char		name[TOKEN_NAME_MAX + 1];	/* unique */
	unsigned	scopes;				/* enum token_scope bits */
	char		user[GUID_LEN + 1];		/* canonical id, or "" */
	int64_t		created;	/* milliseconds since the epoch, UTC */
	int64_t		expires;	/* likewise; 0: never */
};

/*
 * Parse a comma-separated list of Graph scope names ("Presence.Read.All,
 * Presence.ReadWrite"; spaces around names allowed) into *scopes.
 * Returns 0 or STORE_EINVAL with fault naming the unknown scope.
 */
int token_scopes_parse(const char *text, unsigned *scopes,
    struct fault *fault);

/* Write scopes as a comma-separated list of Graph names into out. */
void token_scopes_format(unsigned scopes, char out[TOKEN_SCOPES_MAX + 1]);

/*
 * Check a token before it is stored: a name of 1..TOKEN_NAME_MAX printable
 * ASCII characters without spaces, at least one scope, a canonical user id
 * when READ or READWRITE is among the scopes (and "" or canonical
 * otherwise), expires 0 or after created.  0 or STORE_EINVAL with fault.
 */
int token_validate(const struct token *t, struct fault *fault);

/*
 * Whether a token with these scopes and user may read (write == 0) or
 * write (write != 0) the presence with canonical id target.  target NULL
 * asks about the whole collection (listing, creating a presence whose id
 * the client does not choose): only the _ALL scopes cover it.
 */
int token_allows(const struct token *t, int write, const char *target);

/*
 * Parse a duration such as "90d", "12h", "30m", "3600s" or "3600" into
 * milliseconds.  0 or STORE_EINVAL.
 */
int token_duration_parse(const char *text, int64_t *ms);

/*
 * Draw a fresh secret: TOKEN_PREFIX and 32 random bytes in base64url,
 * NUL-terminated.  Returns 0 or STORE_EIO.
 */
int token_secret_draw(char secret[TOKEN_SECRET_LEN + 1]);

/* Whether the len bytes at s have the form of a secret. */
int token_secret_wellformed(const char *s, size_t len);

#endif
