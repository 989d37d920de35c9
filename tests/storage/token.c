/* Bearer tokens: scopes, rules, and the token store on real LMDB. */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "tap.h"
#include "tmpdir.h"

#define OWN	"ba441c11-1c11-ba44-111c-44ba111c44ba"
#define OTHER	"00000000-0000-4000-8000-000000000001"

/* Fill t with a name, scopes (Graph names) and a user. */
static void
make_token(struct token *t, const char *name, const char *scopes,
    const char *user)
{
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "%s", name);
	if (token_scopes_parse(scopes, &t->scopes, NULL) != 0)
		tap_bail("bad scopes in the test: %s", scopes);
	snprintf(t->user, sizeof t->user, "%s", user);
}

/* Scope lists parse and format; unknown names are refused by name. */
static void
test_scopes(void)
{
	struct fault		f;
	char			text[TOKEN_SCOPES_MAX + 1];
	unsigned		s;

	is_int(token_scopes_parse("Presence.Read.All, Presence.ReadWrite", &s,
	    &f), 0, "a list with spaces parses");
	is_int(s, TOKEN_SCOPE_READ_ALL | TOKEN_SCOPE_READWRITE, "to its bits");
	token_scopes_format(s, text);
	is_str(text, "Presence.ReadWrite,Presence.Read.All", "and formats");
	is_int(token_scopes_parse("Presence.Write", &s, &f), STORE_EINVAL,
	    "an unknown scope is refused");
	ok(strstr(f.message, "'Presence.Write'") != NULL, "by name: %s",
	    f.message);
	is_int(token_scopes_parse("", &s, &f), STORE_EINVAL,
	    "an empty list is refused");
	is_int(token_scopes_parse("presence.read.all", &s, &f), STORE_EINVAL,
	    "scope names are exact");
}

/* The rules a token must follow before it is stored. */
static void
test_validate(void)
{
	struct token	t;

	make_token(&t, "ops", "Presence.ReadWrite.All", "");
	is_int(token_validate(&t, NULL), 0, "an _All token needs no user");
	make_token(&t, "me", "Presence.Read", "");
	is_int(token_validate(&t, NULL), STORE_EINVAL,
	    "Presence.Read needs a user");
	make_token(&t, "me", "Presence.Read", OWN);
	is_int(token_validate(&t, NULL), 0, "and takes one");
	make_token(&t, "me", "Presence.Read", "BA441C11-1C11-BA44-111C-44BA111C44BA");
	is_int(token_validate(&t, NULL), STORE_EINVAL,
	    "a user id is canonical");
	make_token(&t, "two words", "Presence.Read.All", "");
	is_int(token_validate(&t, NULL), STORE_EINVAL, "names have no spaces");
	make_token(&t, "", "Presence.Read.All", "");
	is_int(token_validate(&t, NULL), STORE_EINVAL, "names are not empty");
	make_token(&t, "x", "Presence.Read.All", "");
	t.created = 1000;
	t.expires = 1000;
	is_int(token_validate(&t, NULL), STORE_EINVAL,
	    "a token expires after it is issued");
}

/* What each scope allows, for the collection, its own and another id. */
static void
test_allows(void)
{
	static const struct {
		const char	*scopes;
		int		 read_all, read_own, read_other;
		int		 write_all, write_own, write_other;
	} rows[] = {
		{ "Presence.Read",          0, 1, 0, 0, 0, 0 },
		{ "Presence.ReadWrite",     0, 1, 0, 0, 1, 0 },
		{ "Presence.Read.All",      1, 1, 1, 0, 0, 0 },
		{ "Presence.ReadWrite.All", 1, 1, 1, 1, 1, 1 },
	};
	struct token	t;
	size_t		i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		make_token(&t, "t", rows[i].scopes, OWN);
		ok(token_allows(&t, 0, NULL) == rows[i].read_all &&
		    token_allows(&t, 0, OWN) == rows[i].read_own &&
		    token_allows(&t, 0, OTHER) == rows[i].read_other &&
		    token_allows(&t, 1, NULL) == rows[i].write_all &&
		    token_allows(&t, 1, OWN) == rows[i].write_own &&
		    token_allows(&t, 1, OTHER) == rows[i].write_other,
		    "%s allows what Graph's scope does", rows[i].scopes);
	}
}

/* Durations in days, hours, minutes and seconds. */
static void
test_durations(void)
{
	int64_t	ms;

	is_int(token_duration_parse("90d", &ms), 0, "90d parses");
	is_int(ms, 90LL * 86400 * 1000, "to 90 days");
	token_duration_parse("12h", &ms);
	is_int(ms, 12LL * 3600 * 1000, "12h is 12 hours");
	token_duration_parse("30m", &ms);
	is_int(ms, 30LL * 60 * 1000, "30m is 30 minutes");
	token_duration_parse("3600", &ms);
	is_int(ms, 3600LL * 1000, "plain numbers are seconds");
	is_int(token_duration_parse("1w", &ms), STORE_EINVAL,
	    "an unknown unit is refused");
	is_int(token_duration_parse("0s", &ms), STORE_EINVAL,
	    "a zero duration is refused");
	is_int(token_duration_parse("-5s", &ms), STORE_EINVAL,
	    "a negative one too");
}

/* Whether the file at path holds the bytes of needle. */
static int
file_contains(const char *path, const char *needle)
{
	static char	 data[8 << 20];
	FILE		*f = fopen(path, "rb");
	size_t		 n, len = strlen(needle), i;

	if (f == NULL)
		tap_bail("cannot open '%s'", path);
	n = fread(data, 1, sizeof data, f);
	fclose(f);
	for (i = 0; i + len <= n; i++)
		if (memcmp(data + i, needle, len) == 0)
			return 1;
	return 0;
}

/* Issue, verify, list, expire and revoke on a real store. */
static void
test_store(const char *dir)
{
	struct store_config	 cfg;
	struct store		*st;
	struct fault		 f;
	struct token		 t, got, rows[4];
	char			 secret[TOKEN_SECRET_LEN + 1], other[TOKEN_SECRET_LEN + 1];
	char			 path[PATH_MAX + 16];
	size_t			 n, i;
	int			 more, wellformed = 1;

	store_config_init(&cfg);
	cfg.path = dir;
	if (store_open(&st, &cfg) != 0)
		tap_bail("cannot open a store in '%s'", dir);
	make_token(&t, "ops", "Presence.ReadWrite.All", "");
	is_int(store_token_issue(st, &t, secret, &f), 0, "issue a token");
	is_int(strlen(secret), TOKEN_SECRET_LEN, "its secret has %zu bytes",
	    TOKEN_SECRET_LEN);
	ok(strncmp(secret, "prs_", 4) == 0, "and a recognisable prefix");
	for (i = 4; i < TOKEN_SECRET_LEN; i++)
		wellformed &= strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
		    "qrstuvwxyz0123456789-_", secret[i]) != NULL;
	ok(wellformed, "then base64url");
	ok(t.created > 0, "the token is stamped");

	is_int(store_token_verify(st, secret, strlen(secret), t.created, &got),
	    0, "the secret verifies");
	is_str(got.name, "ops", "as the token issued");
	is_int(got.scopes, TOKEN_SCOPE_READWRITE_ALL, "with its scopes");
	snprintf(other, sizeof other, "%s", secret);
	other[10] = other[10] == 'A' ? 'B' : 'A';
	is_int(store_token_verify(st, other, strlen(other), t.created, &got),
	    STORE_ENOTFOUND, "one changed character does not");
	is_int(store_token_verify(st, secret, strlen(secret) - 1, t.created,
	    &got), STORE_ENOTFOUND, "nor a cut secret");
	is_int(store_token_verify(st, "Bearer", 6, t.created, &got),
	    STORE_ENOTFOUND, "nor garbage");

	make_token(&t, "ops", "Presence.Read.All", "");
	is_int(store_token_issue(st, &t, other, &f), STORE_EEXIST,
	    "a name is issued once");
	ok(other[0] == '\0', "and the refused secret is wiped");

	make_token(&t, "short", "Presence.Read", OWN);
	is_int(store_token_issue(st, &t, other, &f), 0, "issue a second");
	is_int(store_token_verify(st, other, strlen(other), t.created, &got), 0,
	    "it verifies");
	is_str(got.user, OWN, "bound to its user");

	make_token(&t, "brief", "Presence.Read.All", "");
	t.expires = INT64_MAX;
	is_int(store_token_issue(st, &t, other, &f), 0, "issue an expiring one");
	is_int(store_token_verify(st, other, strlen(other), INT64_MAX, &got),
	    STORE_EEXPIRED, "it is refused once expired");

	is_int(store_token_page(st, "", rows, 2, &n, &more), 0, "list tokens");
	ok(n == 2 && more && strcmp(rows[0].name, "brief") == 0 &&
	    strcmp(rows[1].name, "ops") == 0, "in name order, two at a time");
	store_token_page(st, rows[1].name, rows, 4, &n, &more);
	ok(n == 1 && !more && strcmp(rows[0].name, "short") == 0,
	    "then the rest");

	is_int(store_token_revoke(st, "ops"), 0, "revoke a token");
	is_int(store_token_verify(st, secret, strlen(secret), 0, &got),
	    STORE_ENOTFOUND, "its secret no longer verifies");
	is_int(store_token_revoke(st, "ops"), STORE_ENOTFOUND,
	    "revoking it again finds nothing");
	make_token(&t, "ops", "Presence.Read.All", "");
	is_int(store_token_issue(st, &t, other, &f), 0,
	    "its name can be issued again");
	store_close(st);

	snprintf(path, sizeof path, "%s/data.mdb", dir);
	ok(!file_contains(path, secret) && !file_contains(path, other),
	    "the database file holds no secret");
	ok(file_contains(path, "short"), "(while it holds the token names)");
}

int
main(void)
{
	char	dir[PATH_MAX];

	test_scopes();
	test_validate();
	test_allows();
	test_durations();
	tmpdir_make("token", dir);
	test_store(dir);
	tmpdir_remove(dir);
	return tap_done();
}
