/* Bearer tokens, REMOTE_USER, or no check: who is calling, and may they. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "error.h"
#include "guid.h"
#include "request.h"
#include "store.h"
#include "token.h"

static const char *const auth_mode_names[] = {
	[AUTH_TOKENS] = "tokens",
	[AUTH_REMOTE_USER] = "remote-user",
	[AUTH_NONE] = "none",
};

/* Parse "tokens", "remote-user" or "none". */
int
auth_mode_parse(const char *text, enum auth_mode *mode)
{
	size_t	 i;

	for (i = 0; i < sizeof auth_mode_names / sizeof auth_mode_names[0];
	    i++) {
		if (strcmp(text, auth_mode_names[i]) == 0) {
			*mode = (enum auth_mode)i;
			return 0;
		}
	}
	return -1;
}

/* The name of a mode. */
const char *
auth_mode_name(enum auth_mode mode)
{
	return auth_mode_names[mode];
}

/* Whether c may appear in an RFC 6750 b64token (before its '=' padding). */
static int
b64token_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~' || c == '+' || c == '/';
}

/* Whether value starts with the Bearer scheme and then a space or its end. */
static int
is_bearer_scheme(const char *value)
{
	return strncasecmp(value, "Bearer", 6) == 0 &&
	    (value[6] == ' ' || value[6] == '\0');
}

/* Parse an Authorization value as "Bearer" and one b64token. */
int
auth_bearer_parse(const char *value, const char **secret, size_t *len)
{
	const char	*t;
	size_t		 n = 0;

	if (value == NULL || !is_bearer_scheme(value) || value[6] != ' ')
		return -1;
	t = value + 7;
	while (b64token_char(t[n]))
		n++;
	if (n == 0)
		return -1;
	while (t[n] == '=')
		n++;
	if (t[n] != '\0' || n > AUTH_BEARER_MAX)
		return -1;
	*secret = t;
	*len = n;
	return 0;
}

/*
 * Judge the form of req's credentials without the store; in AUTH_TOKENS
 * mode *secret and *len are then the bearer token.
 */
static enum auth_outcome
credentials(const struct auth_config *cfg, const struct request *req,
    const char **secret, size_t *len)
{
	switch (cfg->mode) {
	case AUTH_NONE:
		return AUTH_OK;
	case AUTH_REMOTE_USER:
		return req->remote_user != NULL && *req->remote_user != '\0' ?
		    AUTH_OK : AUTH_NO_REMOTE_USER;
	case AUTH_TOKENS:
		break;
	}
	if (req->authorization == NULL || *req->authorization == '\0')
		return AUTH_MISSING;
	if (!is_bearer_scheme(req->authorization))
		return AUTH_SCHEME;
	if (auth_bearer_parse(req->authorization, secret, len) != 0)
		return AUTH_MALFORMED;
	return AUTH_OK;
}

/* The caller the web server vouches for: configured scopes, GUID user. */
static void
remote_caller(const struct auth_config *cfg, const struct request *req,
    struct auth_caller *out)
{
	const char	*user = req->remote_user;

	out->grants.scopes = cfg->remote_user_scopes;
	if (guid_parse(user, strlen(user), out->grants.user) != 0)
		out->grants.user[0] = '\0';
}

/* Identify req's caller. */
enum auth_outcome
auth_identify(const struct auth_config *cfg, struct store *st,
    const struct request *req, int64_t now, struct auth_caller *out, int *err)
{
	enum auth_outcome	 outcome;
	const char		*secret = NULL;
	size_t			 len = 0;
	int			 rc;

	memset(out, 0, sizeof *out);
	*err = 0;
	if ((outcome = credentials(cfg, req, &secret, &len)) != AUTH_OK)
		return outcome;
	if (cfg->mode == AUTH_NONE)
		return AUTH_OK;
	out->checked = 1;
	if (cfg->mode == AUTH_REMOTE_USER) {
		remote_caller(cfg, req, out);
		return AUTH_OK;
	}
	rc = store_token_verify(st, secret, len, now, &out->grants);
	if (rc == 0)
		return AUTH_OK;
	memset(&out->grants, 0, sizeof out->grants);
	if (rc == STORE_ENOTFOUND || rc == STORE_EEXPIRED ||
	    rc == STORE_EINVAL)
		return AUTH_INVALID;
	*err = rc;
	return AUTH_STORE_FAILED;
}

/* Whether caller may read or write target (NULL: the collection). */
int
auth_allows(const struct auth_caller *caller, int write, const char *target)
{
	if (!caller->checked)
		return 1;
	return token_allows(&caller->grants, write, target);
}

/* The message a request refused for outcome gets. */
const char *
auth_outcome_message(enum auth_outcome outcome)
{
	switch (outcome) {
	case AUTH_MISSING:
		return "the request has no access token: send "
		    "'Authorization: Bearer <token>'";
	case AUTH_SCHEME:
		return "the Authorization header must use the Bearer scheme";
	case AUTH_MALFORMED:
		return "the Authorization header must be 'Bearer', one space "
		    "and one token";
	case AUTH_INVALID:
		return "the access token is not valid: it is unknown, expired "
		    "or revoked";
	case AUTH_NO_REMOTE_USER:
		return "the web server sent no authenticated user";
	case AUTH_OK:
	case AUTH_STORE_FAILED:
		break;
	}
	return "the request is not authenticated";
}

/* The WWW-Authenticate value of a 401 for outcome. */
const char *
auth_challenge(enum auth_outcome outcome)
{
	if (outcome == AUTH_MALFORMED || outcome == AUTH_INVALID)
		return "Bearer realm=\"" AUTH_REALM "\", error=\"invalid_token\"";
	return "Bearer realm=\"" AUTH_REALM "\"";
}
