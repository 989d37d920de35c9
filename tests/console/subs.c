/* The Subscriptions screen's list over a real LMDB store: paging, cursor,
 * delete. */
#include <stdio.h>
#include <string.h>

#include "presence.h"
#include "subs.h"
#include "tap.h"
#include "teststore.h"
#include "tmpdir.h"

#define SUBS	70	/* more than two of the list's pages */
#define HEIGHT	10

/* Store a subscription watching presence n (and n + 1 when two), made by
 * owner; its id in id, or bail out. */
static void
make(struct store *st, unsigned n, int two, const char *owner,
    char id[GUID_LEN + 1])
{
	static struct subscription	s;
	struct fault			f;
	int				rc;

	memset(&s, 0, sizeof s);
	snprintf(s.owner, sizeof s.owner, "%s", owner);
	snprintf(s.notify_url, sizeof s.notify_url,
	    "https://hooks.example/%u", n);
	snprintf(s.ids[0], sizeof s.ids[0],
	    "aaaaaaaa-0000-4000-8000-%012u", n);
	s.nids = 1;
	if (two) {
		snprintf(s.ids[1], sizeof s.ids[1],
		    "aaaaaaaa-0000-4000-8000-%012u", n + 1);
		s.nids = 2;
		s.filter = 1;
	}
	s.expires = presence_now() + 30 * 60 * 1000;
	memset(&f, 0, sizeof f);
	if ((rc = store_subscription_create(st, &s, &f)) != 0)
		tap_bail("cannot store subscription %u: %s", n,
		    store_strerror(rc));
	snprintf(id, GUID_LEN + 1, "%s", s.id);
}

/* The selected subscription's id, or "(none)". */
static const char *
current(const struct subs *s)
{
	const struct subscription_row	*row = subs_current(s);

	return row != NULL ? row->id : "(none)";
}

/* An empty database: nothing to show, nothing to delete. */
static void
test_empty(struct store *st)
{
	struct subs	s;

	subs_init(&s, st, 0);
	subs_resize(&s, HEIGHT);
	is_int(subs_reload(&s), 0, "an empty database reads");
	is_int(s.win.n, 0, "with no subscriptions");
	ok(subs_current(&s) == NULL, "and no selection");
	subs_move(&s, 1);
	subs_last(&s);
	ok(subs_current(&s) == NULL, "moving does nothing");
	subs_delete_ask(&s);
	is_int(s.status, STATUS_NO_SUBS, "deleting says there are none");
	is_str(s.confirm, "", "and asks nothing");
	subs_release(&s);
}

/* Every subscription is read, page after page, in id order, with what
 * the table shows. */
static void
test_read(struct subs *s, char ids[][GUID_LEN + 1])
{
	const struct subscription_row	*row = NULL;
	size_t				 i;
	int				 sorted = 1;

	is_int(subs_reload(s), 0, "the subscriptions read");
	is_int(s->win.n, SUBS, "all %d of them, over several pages", SUBS);
	for (i = 1; i < s->win.n; i++)
		sorted &= strcmp(s->rows[i - 1].id, s->rows[i].id) < 0;
	ok(sorted, "in id order");
	is_str(current(s), s->rows[0].id, "the cursor starts on the first");
	for (i = 0; i < s->win.n; i++)
		if (strcmp(s->rows[i].id, ids[7]) == 0)
			row = &s->rows[i];
	ok(row != NULL, "one made by another owner is listed too");
	if (row == NULL)
		return;
	is_str(row->owner, "other", "with its owner");
	is_str(row->notify_url, "https://hooks.example/7", "its destination");
	is_str(row->first_id, "aaaaaaaa-0000-4000-8000-000000000007",
	    "its first presence");
	is_int(row->nids, 2, "how many it watches");
	is_int(row->state.backlog, 0, "nothing waiting");
	is_int(row->state.last_attempt, 0, "never tried");
}

/* Moving the cursor scrolls the screen with it. */
static void
test_move(struct subs *s)
{
	subs_first(s);
	subs_move(s, 15);
	is_int(s->win.cursor, 15, "down 15");
	is_int(s->win.top, 6, "scrolls so the cursor is on the last line");
	subs_move(s, -HEIGHT);
	is_int(s->win.cursor, 5, "a page up");
	is_int(s->win.top, 5, "scrolls up");
	subs_move(s, -HEIGHT);
	is_int(s->win.cursor, 0, "stops at the first");
	subs_last(s);
	is_int(s->win.cursor, SUBS - 1, "the last");
	is_int(s->win.top, SUBS - HEIGHT, "with a full screen");
	subs_move(s, 1);
	is_int(s->win.cursor, SUBS - 1, "stays the last");
}

/* The cursor follows its subscription while others come and go. */
static void
test_follow(struct store *st, struct subs *s)
{
	char	id[GUID_LEN + 1], before[GUID_LEN + 1], extra[GUID_LEN + 1];
	int	changed = -1;

	subs_first(s);
	subs_move(s, 20);
	snprintf(id, sizeof id, "%s", current(s));
	snprintf(before, sizeof before, "%s", s->rows[19].id);
	is_int(subs_poll(s, &changed), 0, "a poll");
	is_int(changed, 0, "sees nothing new");
	if (store_subscription_delete(st, before, NULL) != 0)
		tap_bail("cannot delete a subscription");
	make(st, 900, 0, "", extra);
	is_int(subs_poll(s, &changed), 0, "after writes elsewhere");
	is_int(changed, 1, "a poll reads again");
	is_int(s->win.n, SUBS, "one subscription less and one more");
	is_str(current(s), id, "the cursor stays on its subscription");
}

/* Deleting asks first; no keeps, yes deletes, gone says so. */
static void
test_delete(struct store *st, struct subs *s)
{
	char	id[GUID_LEN + 1], next[GUID_LEN + 1];

	snprintf(id, sizeof id, "%s", current(s));
	snprintf(next, sizeof next, "%s", s->rows[s->win.cursor + 1].id);
	subs_delete_ask(s);
	is_str(s->confirm, id, "deleting asks about the selected one");
	is_int(s->status, STATUS_SUB_CONFIRM, "on the status line");
	is_int(subs_delete_answer(s, 0), 0, "no");
	is_int(s->status, STATUS_KEPT_SUB, "keeps it");
	is_str(s->confirm, "", "and the question is gone");
	is_str(current(s), id, "still listed");
	is_int(subs_delete_answer(s, 1), 0, "a yes without a question");
	is_str(current(s), id, "does nothing");

	subs_delete_ask(s);
	is_int(subs_delete_answer(s, 1), 0, "yes");
	is_int(s->status, STATUS_SUB_DELETED, "deletes it");
	is_str(s->status_arg, id, "naming it");
	is_str(current(s), next, "the cursor goes to the next one");
	is_int(s->win.n, SUBS - 1, "one less");
	is_int(store_subscription_get(st, id, NULL, NULL, NULL),
	    STORE_ENOTFOUND, "the store no longer has it");

	subs_delete_ask(s);
	if (store_subscription_delete(st, next, NULL) != 0)
		tap_bail("cannot delete a subscription");
	is_int(subs_delete_answer(s, 1), 0,
	    "yes for one deleted meanwhile elsewhere");
	is_int(s->status, STATUS_SUB_GONE, "says it no longer exists");
}

int
main(void)
{
	static char	 ids[SUBS][GUID_LEN + 1];
	char		 dir[PATH_MAX];
	struct store	*st, *ro;
	struct subs	 s;
	unsigned	 i;

	tmpdir_make("console-subs", dir);
	st = teststore_open(dir, NULL, 0);
	test_empty(st);
	for (i = 0; i < SUBS; i++)
		make(st, i, i % 7 == 0, i == 7 ? "other" : "ops", ids[i]);
	subs_init(&s, st, 0);
	subs_resize(&s, HEIGHT);
	test_read(&s, ids);
	test_move(&s);
	test_follow(st, &s);
	test_delete(st, &s);
	subs_release(&s);
	store_close(st);

	ro = teststore_open(dir, NULL, 1);
	subs_init(&s, ro, 1);
	is_int(subs_reload(&s), 0, "a read-only list reads");
	ok(s.win.n > 0, "and lists");
	subs_delete_ask(&s);
	is_int(s.status, STATUS_READ_ONLY, "but refuses to delete");
	is_str(s.confirm, "", "without asking");
	subs_release(&s);
	store_close(ro);
	tmpdir_remove(dir);
	return tap_done();
}
