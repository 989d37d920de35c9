/*
 * Who is calling, and what they may do: bearer tokens checked against the
 * store on every request, a user the web server authenticated
 * (REMOTE_USER), or nobody checked at all (development only).
 */
#ifndef PRESENCE_FCGI_AUTH_H
#define PRESENCE_FCGI_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "request.h"
#include "store.h"
#include "token.h"

#define AUTH_REALM		"presence"
#define AUTH_BEARER_MAX		1024	/* a longer credential is malformed */

enum auth_mode {
	AUTH_TOKENS,		/* Authorization: Bearer, the default */
	AUTH_REMOTE_USER,	/* the web server's REMOTE_USER */
	AUTH_NONE,		/* no check: local development only */
};

/* How a responder authenticates; read-only while serving. */
struct auth_config {
	enum auth_mode	 mode;
	unsigned	 remote_user_scopes;	/* enum token_scope bits */
};

/*
 * The caller of one request.  In AUTH_NONE mode checked is 0 and every
 * request is allowed; otherwise grants holds the scopes and the user id
 * (canonical, or "") that the request is judged by.
 */
struct auth_caller {
	int		 checked;
	struct token	 grants;
};

/* Why a request is refused before any scope is looked at. */
enum auth_outcome {
	AUTH_OK,
	AUTH_MISSING,		/* no Authorization header, or an empty one */
	AUTH_SCHEME,		/* a scheme other than Bearer */
	AUTH_MALFORMED,		/* Bearer, but not followed by one token */
	AUTH_INVALID,		/* a token that is unknown, expired or revoked */
	AUTH_NO_REMOTE_USER,	/* remote-user mode without a REMOTE_USER */
	AUTH_STORE_FAILED,	/* the store could not be asked */
};

/* Parse "tokens", "remote-user" or "none"; 0 or -1. */
int auth_mode_parse(const char *text, enum auth_mode *mode);

/* The name auth_mode_parse takes for mode. */
const char *auth_mode_name(enum auth_mode mode);

/*
 * Parse an Authorization value: the scheme "Bearer" in any case, exactly
 * one space, and one token of RFC 6750's b64token characters, nothing
 * else.  On 0 *secret (borrowed from value) and *len are the token; -1
 * when value is NULL, empty or anything else.
 */
int auth_bearer_parse(const char *value, const char **secret, size_t *len);

/*
 * Identify req's caller into *out: in AUTH_TOKENS mode the bearer token
 * is parsed once and looked up once in st with store_token_verify (now:
 * milliseconds since the epoch), so a revoked token is refused on the
 * next request.  On
 * AUTH_STORE_FAILED *err is the store's code.  The secret is never kept
 * or logged.
 */
enum auth_outcome auth_identify(const struct auth_config *cfg,
    struct store *st, const struct request *req, int64_t now,
    struct auth_caller *out, int *err);

/*
 * Whether caller may read (write == 0) or write the presence with the
 * canonical id target, or the collection when target is NULL.
 */
int auth_allows(const struct auth_caller *caller, int write,
    const char *target);

/*
 * The error message a refused request gets for outcome.  The same words
 * for every refused token, so they never tell whether a token exists.
 */
const char *auth_outcome_message(enum auth_outcome outcome);

/*
 * The WWW-Authenticate value of a 401 for outcome: the realm, and
 * error="invalid_token" when a bearer token was sent (AUTH_MALFORMED,
 * AUTH_INVALID).
 */
const char *auth_challenge(enum auth_outcome outcome);

#endif
