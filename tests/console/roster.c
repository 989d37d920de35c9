/* The Tokens screen's roster over a real LMDB store: paging, cursor, revoke. */
#include <stdio.h>
#include <string.h>

#include "roster.h"
#include "tap.h"
#include "teststore.h"
#include "tmpdir.h"

#define TOKENS	300	/* more than two of the roster's pages */
#define HEIGHT	10

/* The name of token n. */
static const char *
name_of(unsigned n)
{
	static char	names[4][16];
	static int	next;
	char		*name = names[next++ % 4];

	snprintf(name, sizeof names[0], "t%03u", n);
	return name;
}

/* Issue a token named name, or bail out. */
static void
issue(struct store *st, const char *name)
{
	struct token	t;
	char		secret[TOKEN_SECRET_LEN + 1];
	int		rc;

	memset(&t, 0, sizeof t);
	snprintf(t.name, sizeof t.name, "%s", name);
	t.scopes = TOKEN_SCOPE_READ_ALL;
	if ((rc = store_token_issue(st, &t, secret, NULL)) != 0)
		tap_bail("cannot issue %s: %s", name, store_strerror(rc));
}

/* The selected token's name, or "(none)". */
static const char *
current(const struct roster *r)
{
	const struct token	*t = roster_current(r);

	return t != NULL ? t->name : "(none)";
}

/* An empty database: nothing to show, nothing to revoke. */
static void
test_empty(struct store *st)
{
	struct roster	r;

	roster_init(&r, st, 0);
	roster_resize(&r, HEIGHT);
	is_int(roster_reload(&r), 0, "an empty database reads");
	is_int(r.win.n, 0, "with no tokens");
	ok(roster_current(&r) == NULL, "and no selection");
	roster_move(&r, 1);
	roster_last(&r);
	ok(roster_current(&r) == NULL, "moving does nothing");
	roster_revoke_ask(&r);
	is_int(r.status, STATUS_NO_TOKENS, "revoking says there are none");
	is_str(r.confirm, "", "and asks nothing");
	roster_release(&r);
}

/* Every token is read, page after page, in name order. */
static void
test_read(struct roster *r)
{
	size_t	i;
	int	sorted = 1;

	is_int(roster_reload(r), 0, "the tokens read");
	is_int(r->win.n, TOKENS, "all %d of them, over several pages", TOKENS);
	for (i = 1; i < r->win.n; i++)
		sorted &= strcmp(r->rows[i - 1].name, r->rows[i].name) < 0;
	ok(sorted, "in name order");
	is_str(current(r), "t000", "the cursor starts on the first");
	is_int(r->win.top, 0, "at the top");
}

/* Moving the cursor scrolls the screen with it. */
static void
test_move(struct roster *r)
{
	roster_move(r, 15);
	is_str(current(r), "t015", "down 15");
	is_int(r->win.top, 6, "scrolls so the cursor is on the last line");
	roster_move(r, -3);
	is_int(r->win.top, 6, "up a few stays on the screen");
	roster_move(r, -HEIGHT);
	is_str(current(r), "t002", "a page up");
	is_int(r->win.top, 2, "scrolls up");
	roster_move(r, -HEIGHT);
	is_str(current(r), "t000", "stops at the first");
	roster_last(r);
	is_str(current(r), "t299", "the last");
	is_int(r->win.top, TOKENS - HEIGHT, "with a full screen");
	roster_move(r, 1);
	is_str(current(r), "t299", "stays the last");
	roster_first(r);
	is_str(current(r), "t000", "and the first");
	roster_resize(r, 3);
	roster_move(r, 5);
	is_int(r->win.top, 3, "a smaller screen scrolls sooner");
	roster_resize(r, HEIGHT);
}

/* The cursor follows its token while others come and go. */
static void
test_follow(struct store *st, struct roster *r)
{
	int	changed = -1;

	is_int(roster_select(r, "t150"), 0, "select by name");
	is_str(current(r), "t150", "selects it");
	is_int(roster_poll(r, &changed), 0, "a poll");
	is_int(changed, 0, "sees nothing new");
	if (store_token_revoke(st, "t100") != 0)
		tap_bail("cannot revoke t100");
	issue(st, "t150a");
	is_int(roster_poll(r, &changed), 0, "after writes elsewhere");
	is_int(changed, 1, "a poll reads again");
	is_int(r->win.n, TOKENS, "one token less and one more");
	is_str(current(r), "t150", "the cursor stays on its token");
	is_int(r->win.cursor, 149, "which moved up a row");
	is_int(roster_select(r, "t100"), 0, "selecting a token that is gone");
	is_str(current(r), "t101", "selects the next one");
}

/* Revoking asks first; no keeps, yes revokes. */
static void
test_revoke(struct store *st, struct roster *r)
{
	roster_select(r, "t150");
	roster_revoke_ask(r);
	is_str(r->confirm, "t150", "revoking asks about the selected token");
	is_int(r->status, STATUS_REVOKE_CONFIRM, "on the status line");
	is_int(roster_revoke_answer(r, 0), 0, "no");
	is_int(r->status, STATUS_KEPT_TOKEN, "keeps it");
	is_str(r->confirm, "", "and the question is gone");
	is_str(current(r), "t150", "still listed");
	is_int(roster_revoke_answer(r, 1), 0, "a yes without a question");
	is_str(current(r), "t150", "does nothing");

	roster_revoke_ask(r);
	is_int(roster_revoke_answer(r, 1), 0, "yes");
	is_int(r->status, STATUS_REVOKED, "revokes it");
	is_str(r->status_arg, "t150", "naming it");
	is_str(current(r), "t150a", "the cursor goes to the next token");
	is_int(r->win.n, TOKENS - 1, "one token less");
	is_int(store_token_revoke(st, "t150"), STORE_ENOTFOUND,
	    "the store no longer has it");

	roster_revoke_ask(r);
	if (store_token_revoke(st, "t150a") != 0)
		tap_bail("cannot revoke t150a");
	is_int(roster_revoke_answer(r, 1), 0,
	    "yes for a token revoked meanwhile elsewhere");
	is_int(r->status, STATUS_TOKEN_GONE, "says it no longer exists");
}

/* Times and expiry as the table shows them. */
static void
test_format(void)
{
	struct token	t;
	char		when[ROSTER_TIME_LEN + 1];

	memset(&t, 0, sizeof t);
	ok(!roster_expired(&t, 1), "a token without an expiry never expires");
	t.expires = 1000;
	ok(!roster_expired(&t, 999), "one before its expiry is valid");
	ok(roster_expired(&t, 1000), "one at its expiry has expired");
	roster_format_time(1764316800000LL + 59999, when);
	is_str(when, "2025-11-28 08:00", "times show to the minute, in UTC");
}

int
main(void)
{
	char		 dir[PATH_MAX];
	struct store	*st, *ro;
	struct roster	 r;
	unsigned	 i;

	tmpdir_make("console-roster", dir);
	st = teststore_open(dir, NULL, 0);
	test_empty(st);
	for (i = 0; i < TOKENS; i++)
		issue(st, name_of(i));
	roster_init(&r, st, 0);
	roster_resize(&r, HEIGHT);
	test_read(&r);
	test_move(&r);
	test_follow(st, &r);
	test_revoke(st, &r);
	roster_release(&r);
	store_close(st);

	ro = teststore_open(dir, NULL, 1);
	roster_init(&r, ro, 1);
	is_int(roster_reload(&r), 0, "a read-only roster reads");
	roster_revoke_ask(&r);
	is_int(r.status, STATUS_READ_ONLY, "but refuses to revoke");
	is_str(r.confirm, "", "without asking");
	roster_release(&r);
	store_close(ro);
	tmpdir_remove(dir);
	test_format();
	return tap_done();
}
