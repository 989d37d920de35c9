/* The issue form's grant: quick choices, parsing, issuing over a real store. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "grant.h"
#include "tap.h"
#include "teststore.h"
#include "tmpdir.h"

#define NOW	1764316800000LL		/* 2025-11-28T08:00:00.000Z */
#define DAY	(24LL * 60 * 60 * 1000)
#define USER	"8b6a5d2e-0c4f-4a59-9f1e-2d3c4b5a6978"

/* Type text into field f. */
static void
type(struct grant *g, enum grant_field f, const char *text)
{
	g->focus = f;
	line_set(grant_line(g), text);
	grant_touch(g, f);
}

/* Whether s looks like a secret: the prefix and 43 base64url characters. */
static int
is_secret(const char *s)
{
	size_t	i, len = strlen(s);

	if (len != TOKEN_SECRET_LEN || strncmp(s, "prs_", 4) != 0)
		return 0;
	for (i = 4; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

/* Focus order and the values offered for quick choice. */
static void
test_choices(void)
{
	struct grant	g;

	grant_init(&g);
	is_int(g.focus, GRANT_NAME, "the form starts on the name");
	grant_focus_next(&g);
	grant_focus_next(&g);
	grant_focus_next(&g);
	is_int(g.focus, GRANT_EXPIRES, "name, scopes, user, expires");
	grant_focus_next(&g);
	is_int(g.focus, GRANT_NAME, "and round again");
	grant_focus_prev(&g);
	is_int(g.focus, GRANT_EXPIRES, "backwards too");
	is_str(grant_label(GRANT_SCOPES), "scopes", "labels");
	ok(grant_choices(GRANT_NAME) == NULL && grant_choices(GRANT_USER) ==
	    NULL, "name and user offer nothing");
	g.focus = GRANT_NAME;
	is_int(grant_choose(&g, 1), -1, "so choosing there does nothing");

	type(&g, GRANT_SCOPES, "");
	grant_choose(&g, 1);
	is_str(g.field[GRANT_SCOPES].text, "Presence.Read",
	    "an empty scopes field takes the first scope");
	grant_choose(&g, 1);
	is_str(g.field[GRANT_SCOPES].text, "Presence.ReadWrite", "then the next");
	grant_choose(&g, -1);
	grant_choose(&g, -1);
	is_str(g.field[GRANT_SCOPES].text, "Presence.ReadWrite.All",
	    "back from the first wraps to the last");
	type(&g, GRANT_SCOPES, "presence.read.");
	grant_choose(&g, 1);
	is_str(g.field[GRANT_SCOPES].text, "Presence.Read.All",
	    "typed text is completed, in any case");
	type(&g, GRANT_SCOPES, "Presence.Read.All, ");
	grant_choose(&g, 1);
	is_str(g.field[GRANT_SCOPES].text, "Presence.Read.All, Presence.Read",
	    "after a comma only the last scope is chosen");
	grant_choose(&g, 1);
	is_str(g.field[GRANT_SCOPES].text,
	    "Presence.Read.All, Presence.ReadWrite", "and stepped");
	ok(grant_chosen(&g, GRANT_SCOPES, 1) && grant_chosen(&g, GRANT_SCOPES,
	    2), "both scopes show as chosen");
	ok(!grant_chosen(&g, GRANT_SCOPES, 0) &&
	    !grant_chosen(&g, GRANT_SCOPES, 3), "the others do not");

	type(&g, GRANT_EXPIRES, "");
	grant_choose(&g, 1);
	is_str(g.field[GRANT_EXPIRES].text, "1d", "the shortest expiry first");
	grant_choose(&g, 1);
	is_str(g.field[GRANT_EXPIRES].text, "7d", "then a week");
	ok(grant_chosen(&g, GRANT_EXPIRES, 1), "which shows as chosen");
}

/* One field's text: what is taken and what is refused, and why. */
static void
test_fields(void)
{
	struct token	t;
	char		why[GRANT_ERROR_MAX], long_name[TOKEN_NAME_MAX + 2];

	memset(&t, 0, sizeof t);
	is_int(grant_parse_field(GRANT_NAME, "ci-deploy", NOW, &t, why), 0,
	    "a name");
	is_str(t.name, "ci-deploy", "is copied");
	is_int(grant_parse_field(GRANT_NAME, "", NOW, &t, why), STORE_EINVAL,
	    "an empty name is refused");
	is_str(why, "a token name has 1 to 64 characters", "saying why");
	memset(long_name, 'n', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	is_int(grant_parse_field(GRANT_NAME, long_name, NOW, &t, why),
	    STORE_EINVAL, "so is a name of 65 characters");
	is_int(grant_parse_field(GRANT_NAME, "a b", NOW, &t, why), STORE_EINVAL,
	    "and one with a space");
	ok(strstr(why, "without spaces") != NULL, "saying why: %s", why);

	is_int(grant_parse_field(GRANT_SCOPES, " Presence.Read.All , "
	    "Presence.ReadWrite", NOW, &t, why), 0, "two scopes, with blanks");
	is_int(t.scopes, TOKEN_SCOPE_READ_ALL | TOKEN_SCOPE_READWRITE,
	    "are both taken");
	is_int(grant_parse_field(GRANT_SCOPES, "  ", NOW, &t, why), STORE_EINVAL,
	    "no scope is refused");
	is_str(why, "a token needs a scope", "saying why");
	is_int(grant_parse_field(GRANT_SCOPES, "Presence.Write", NOW, &t, why),
	    STORE_EINVAL, "an unknown scope is refused");
	ok(strstr(why, "'Presence.Write'") != NULL, "naming it: %s", why);

	is_int(grant_parse_field(GRANT_USER, "8B6A5D2E-0C4F-4A59-9F1E-"
	    "2D3C4B5A6978", NOW, &t, why), 0, "a user id in capitals");
	is_str(t.user, USER, "is made canonical");
	is_int(grant_parse_field(GRANT_USER, "", NOW, &t, why), 0,
	    "no user is fine here");
	is_str(t.user, "", "and clears it");
	is_int(grant_parse_field(GRANT_USER, "bob", NOW, &t, why), STORE_EINVAL,
	    "a user that is not a GUID is refused");
	ok(strstr(why, "'bob' is not a presence id") != NULL, "saying why: %s",
	    why);

	is_int(grant_parse_field(GRANT_EXPIRES, "90d", NOW, &t, why), 0,
	    "90d");
	is_int(t.expires, NOW + 90 * DAY, "is counted from now");
	is_int(grant_parse_field(GRANT_EXPIRES, "", NOW, &t, why), 0,
	    "no expiry");
	is_int(t.expires, 0, "is never");
	is_int(grant_parse_field(GRANT_EXPIRES, "3600", NOW, &t, why), 0,
	    "bare seconds");
	is_int(t.expires, NOW + 3600 * 1000, "are seconds");
	is_int(grant_parse_field(GRANT_EXPIRES, "soon", NOW, &t, why),
	    STORE_EINVAL, "a word is refused");
	ok(strstr(why, "'soon' is not a duration") != NULL, "saying why: %s",
	    why);
	is_int(grant_parse_field(GRANT_EXPIRES, "0", NOW, &t, why),
	    STORE_EINVAL, "so is 0");
	is_int(grant_parse_field(GRANT_EXPIRES, "36501d", NOW, &t, why),
	    STORE_EINVAL, "and more than a hundred years");
}

/* The command line's path: every field, then the token as a whole. */
static void
test_parse(void)
{
	const char		*text[GRANT_FIELDS] = {
		"me", "Presence.ReadWrite", NULL, "12h"
	};
	enum grant_field	 bad;
	struct token		 t;
	char			 why[GRANT_ERROR_MAX];

	is_int(grant_parse(text, NOW, &t, &bad, why), STORE_EINVAL,
	    "Presence.ReadWrite without a user is refused");
	is_int(bad, GRANT_USER, "on the user");
	ok(strstr(why, "need a user id") != NULL, "saying why: %s", why);
	text[GRANT_USER] = USER;
	is_int(grant_parse(text, NOW, &t, &bad, why), 0, "with a user it is fine");
	is_str(t.name, "me", "the name");
	is_int(t.scopes, TOKEN_SCOPE_READWRITE, "the scope");
	is_str(t.user, USER, "the user");
	is_int(t.expires, NOW + 12 * 60 * 60 * 1000, "the expiry");
	text[GRANT_SCOPES] = "Presence.Read,Bogus";
	is_int(grant_parse(text, NOW, &t, &bad, why), STORE_EINVAL,
	    "a bad scope");
	is_int(bad, GRANT_SCOPES, "is reported on the scopes");
}

/* Checking the form fills the errors and moves the focus. */
static void
test_check(void)
{
	struct grant	g;
	struct token	t;

	grant_init(&g);
	g.focus = GRANT_EXPIRES;
	is_int(grant_check(&g, NOW, &t), 2, "an empty form has two bad fields");
	ok(g.error[GRANT_NAME][0] != '\0', "the name: %s", g.error[GRANT_NAME]);
	is_str(g.error[GRANT_SCOPES], "a token needs a scope", "the scopes");
	is_str(g.error[GRANT_USER], "", "not the user");
	is_int(g.focus, GRANT_NAME, "the focus goes to the first");
	type(&g, GRANT_NAME, "reader");
	is_str(g.error[GRANT_NAME], "", "editing clears its error");
	type(&g, GRANT_SCOPES, "Presence.Read");
	g.focus = GRANT_NAME;
	is_int(grant_check(&g, NOW, &t), 1, "Presence.Read without a user");
	ok(g.error[GRANT_USER][0] != '\0', "is refused on the user: %s",
	    g.error[GRANT_USER]);
	is_int(g.focus, GRANT_USER, "which gets the focus");
	type(&g, GRANT_USER, USER);
	is_int(grant_check(&g, NOW, &t), 0, "with one the form is fine");
}

/* Issuing stores a token whose secret verifies, shown until forgotten. */
static void
test_submit(struct store *st)
{
	struct grant	g;
	struct token	t;
	char		secret[TOKEN_SECRET_LEN + 1];
	size_t		i;
	int		zero = 1;

	grant_init(&g);
	is_int(grant_submit(&g, st, presence_now()), STORE_EINVAL,
	    "an empty form issues nothing");
	is_str(g.secret, "", "and has no secret");
	type(&g, GRANT_NAME, "ci");
	type(&g, GRANT_SCOPES, "Presence.ReadWrite.All");
	type(&g, GRANT_EXPIRES, "30d");
	is_int(grant_submit(&g, st, presence_now()), 0, "a filled form issues");
	ok(is_secret(g.secret), "a secret like prs_ and 43 base64url "
	    "characters: %s", g.secret);
	is_str(g.issued.name, "ci", "the token issued is kept for the dialog");
	ok(g.issued.created > 0, "stamped by the store");
	memcpy(secret, g.secret, sizeof secret);
	is_int(store_token_verify(st, secret, strlen(secret), presence_now(), &t),
	    0, "the secret verifies");
	is_str(t.name, "ci", "as the token issued");
	is_int(t.scopes, TOKEN_SCOPE_READWRITE_ALL, "with its scope");
	ok(t.expires > presence_now() + 29 * DAY && t.expires < presence_now() +
	    31 * DAY, "expiring in 30 days");
	is_int(store_token_verify(st, secret, strlen(secret), presence_now() +
	    31 * DAY, &t), STORE_EEXPIRED, "and refused after that");

	grant_forget(&g);
	for (i = 0; i < sizeof g.secret; i++)
		zero &= g.secret[i] == '\0';
	ok(zero, "forgetting wipes the secret");
	is_str(g.issued.name, "", "and the token");

	g.focus = GRANT_EXPIRES;
	is_int(grant_submit(&g, st, presence_now()), STORE_EEXIST,
	    "the same name again");
	is_str(g.error[GRANT_NAME], "a token named 'ci' exists",
	    "is refused on the name");
	is_int(g.focus, GRANT_NAME, "which gets the focus");
	is_str(g.secret, "", "with no secret");
	explicit_bzero(secret, sizeof secret);
}

int
main(void)
{
	char		 dir[PATH_MAX];
	struct store	*st;

	test_choices();
	test_fields();
	test_parse();
	test_check();
	tmpdir_make("console-grant", dir);
	st = teststore_open(dir, NULL, 0);
	test_submit(st);
	store_close(st);
	tmpdir_remove(dir);
	return tap_done();
}
