/* Bearer tokens: scopes, validation, what a token allows, durations, secrets. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "base64.h"
#include "error.h"
#include "random.h"
#include "token.h"

static const struct {
	const char	*name;
	unsigned	 bit;
} token_scope_names[] = {
	{ "Presence.Read",		TOKEN_SCOPE_READ },
	{ "Presence.ReadWrite",		TOKEN_SCOPE_READWRITE },
	{ "Presence.Read.All",		TOKEN_SCOPE_READ_ALL },
	{ "Presence.ReadWrite.All",	TOKEN_SCOPE_READWRITE_ALL },
};

#define TOKEN_NSCOPES \
	(sizeof token_scope_names / sizeof token_scope_names[0])

/* Parse a comma-separated list of Graph scope names. */
int
token_scopes_parse(const char *text, unsigned *scopes,
    struct fault *fault)
{
	const char	*p = text, *end;
	size_t		 len, i;

	*scopes = 0;
	for (;;) {
		p += strspn(p, " ");
		end = p + strcspn(p, ",");
		len = (size_t)(end - p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		for (i = 0; i < TOKEN_NSCOPES; i++)
			if (strlen(token_scope_names[i].name) == len &&
			    memcmp(token_scope_names[i].name, p, len) == 0)
				break;
		if (i == TOKEN_NSCOPES) {
			fault_set(fault, "scope", "unknown scope "
			    "'%.*s' (Presence.Read, Presence.ReadWrite, "
			    "Presence.Read.All or Presence.ReadWrite.All)",
			    len > 64 ? 64 : (int)len, p);
			return STORE_EINVAL;
		}
		*scopes |= token_scope_names[i].bit;
		if (*end == '\0')
			return 0;
		p = end + 1;
	}
}

/* Write scopes as a comma-separated list of Graph names. */
void
token_scopes_format(unsigned scopes, char out[TOKEN_SCOPES_MAX + 1])
{
	size_t	i, n = 0, len;

	out[0] = '\0';
	for (i = 0; i < TOKEN_NSCOPES; i++) {
		if (!(scopes & token_scope_names[i].bit))
			continue;
		len = strlen(token_scope_names[i].name);
		if (n + len + 2 > TOKEN_SCOPES_MAX + 1)
			break;
		if (n > 0)
			out[n++] = ',';
		memcpy(out + n, token_scope_names[i].name, len + 1);
		n += len;
	}
}

/* Check a token before it is stored. */
int
token_validate(const struct token *t, struct fault *fault)
{
	size_t	len = strnlen(t->name, sizeof t->name), i;

	if (len == 0 || len > TOKEN_NAME_MAX) {
		fault_set(fault, "name", "a token name has 1 to %d "
		    "characters", TOKEN_NAME_MAX);
		return STORE_EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (t->name[i] <= ' ' || t->name[i] > '~') {
			fault_set(fault, "name", "a token name is "
			    "printable ASCII without spaces");
			return STORE_EINVAL;
		}
	}
	if (t->scopes == 0 || (t->scopes & ~0xfu) != 0) {
		fault_set(fault, "scope", "a token needs a scope");
		return STORE_EINVAL;
	}
	if (t->user[0] != '\0' ? !guid_is_canonical(t->user) :
	    (t->scopes & (TOKEN_SCOPE_READ | TOKEN_SCOPE_READWRITE)) != 0) {
		fault_set(fault, "user", t->user[0] != '\0' ?
		    "a token's user is a presence id (a GUID)" :
		    "Presence.Read and Presence.ReadWrite need a user id");
		return STORE_EINVAL;
	}
	if (t->expires != 0 && t->expires <= t->created) {
		fault_set(fault, "expires",
		    "a token must expire after it is issued");
		return STORE_EINVAL;
	}
	return 0;
}

/* Whether the token may read or write target (NULL: the collection). */
int
token_allows(const struct token *t, int write, const char *target)
{
	unsigned	all = write ? TOKEN_SCOPE_READWRITE_ALL :
			    TOKEN_SCOPE_READ_ALL | TOKEN_SCOPE_READWRITE_ALL;
	unsigned	own = write ? TOKEN_SCOPE_READWRITE :
			    TOKEN_SCOPE_READ | TOKEN_SCOPE_READWRITE;

	if (t->scopes & all)
		return 1;
	if (target == NULL || t->user[0] == '\0')
		return 0;
	return (t->scopes & own) != 0 && strcmp(t->user, target) == 0;
}

/* Parse "90d", "12h", "30m", "3600s" or "3600" into milliseconds. */
int
token_duration_parse(const char *text, int64_t *ms)
{
	unsigned long long	 v;
	int64_t			 unit = 1000;
	char			*end;

	if (*text < '0' || *text > '9')
		return STORE_EINVAL;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno != 0)
		return STORE_EINVAL;
	switch (*end) {
	case 'd': unit *= 24; /* FALLTHROUGH */
	case 'h': unit *= 60; /* FALLTHROUGH */
	case 'm': unit *= 60; /* FALLTHROUGH */
	case 's': end++; break;
	case '\0': break;
	default: return STORE_EINVAL;
	}
	if (*end != '\0' || v == 0 || v > (unsigned long long)INT64_MAX /
	    (unsigned long long)unit / 2)
		return STORE_EINVAL;
	*ms = (int64_t)v * unit;
	return 0;
}

/* Draw a fresh secret: the prefix and 32 random bytes in base64url. */
int
token_secret_draw(char secret[TOKEN_SECRET_LEN + 1])
{
	unsigned char	raw[32];
	size_t		n = sizeof TOKEN_PREFIX - 1;

	if (random_fill(raw, sizeof raw) != 0)
		return STORE_EIO;
	memcpy(secret, TOKEN_PREFIX, n);
	n += base64url_encode(raw, sizeof raw, secret + n);
	OPENSSL_cleanse(raw, sizeof raw);
	return n == TOKEN_SECRET_LEN ? 0 : STORE_EINTERNAL;
}

/* Whether len bytes at s have the form of a secret. */
int
token_secret_wellformed(const char *s, size_t len)
{
	size_t	i, n = sizeof TOKEN_PREFIX - 1;

	if (len != TOKEN_SECRET_LEN || memcmp(s, TOKEN_PREFIX, n) != 0)
		return 0;
	for (i = n; i < len; i++)
		if (!base64url_char(s[i]))
			return 0;
	return 1;
}
