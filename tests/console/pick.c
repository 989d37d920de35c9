/*
 * The preferred presence form's pick: Graph's preferred pairs offered and
 * completed, the expiry checked as an ISO 8601 duration, and the set
 * through store_preferred_set, defaults included.
 */
#include <stdio.h>
#include <string.h>

#include "pick.h"
#include "tap.h"
#include "teststore.h"
#include "tmpdir.h"

#define HOUR	(60 * SESSION_MINUTE_MS)

/* Type text into field f. */
static void
type(struct pick *k, enum pick_field f, const char *text)
{
	k->focus = f;
	line_set(pick_line(k), text);
	pick_touch(k, f);
}

/* The pairs offered, completion and focus. */
static void
test_choices(void)
{
	struct pick		 k;
	const char *const	*pairs;
	int			 n;

	pick_init(&k, "8b6a5d2e-0c4f-4a59-9f1e-2d3c4b5a6978", NULL);
	is_int(k.focus, PICK_PRESENCE, "the form starts on the presence");
	pick_focus_next(&k);
	is_int(k.focus, PICK_EXPIRES, "then the expiry");
	pick_focus_next(&k);
	is_int(k.focus, PICK_PRESENCE, "and round again");
	pick_focus_prev(&k);
	is_int(k.focus, PICK_EXPIRES, "backwards too");
	pairs = pick_choices(&k, PICK_PRESENCE);
	for (n = 0; pairs[n] != NULL; n++)
		continue;
	is_int(n, 6, "Graph's six preferred pairs are offered");
	is_str(pairs[0], "Available/Available", "the first");
	is_str(pairs[5], "Offline/OffWork", "the last");
	is_str(k.field[PICK_PRESENCE].text, "", "the field starts empty");

	type(&k, PICK_PRESENCE, "do");
	pick_choose(&k, 1);
	is_str(k.field[PICK_PRESENCE].text, "DoNotDisturb/DoNotDisturb",
	    "^N completes what was typed, in any case");
	pick_choose(&k, 1);
	is_str(k.field[PICK_PRESENCE].text, "BeRightBack/BeRightBack",
	    "then steps to the next pair");
	type(&k, PICK_PRESENCE, "");
	pick_choose(&k, -1);
	is_str(k.field[PICK_PRESENCE].text, "Offline/OffWork",
	    "^P on nothing takes the last");
	type(&k, PICK_EXPIRES, "p1");
	pick_choose(&k, 1);
	is_str(k.field[PICK_EXPIRES].text, "P1D", "expiries are offered too");

	pick_init(&k, "8b6a5d2e-0c4f-4a59-9f1e-2d3c4b5a6978", "Busy/Busy");
	is_str(k.field[PICK_PRESENCE].text, "Busy/Busy",
	    "the form opens on the pair set now");
}

/* Checks before anything is written. */
static void
test_check(void)
{
	struct pick		k;
	struct preferred_set	req;

	pick_init(&k, "8b6a5d2e-0c4f-4a59-9f1e-2d3c4b5a6978", NULL);
	type(&k, PICK_PRESENCE, "Busy/InACall");
	type(&k, PICK_EXPIRES, "1 day");
	is_int(pick_check(&k, &req), 2, "a session's pair and a bad expiry");
	ok(strstr(k.error[PICK_PRESENCE], "preferred pairs") != NULL,
	    "the pair is refused: %s", k.error[PICK_PRESENCE]);
	ok(strstr(k.error[PICK_EXPIRES], "ISO 8601") != NULL,
	    "the expiry is refused: %s", k.error[PICK_EXPIRES]);
	is_int(k.focus, PICK_PRESENCE, "the focus goes to the first");
	type(&k, PICK_PRESENCE, "Away/Away");
	type(&k, PICK_EXPIRES, "-PT1H");
	is_int(pick_check(&k, &req), 1, "a negative duration is refused");
	is_int(k.focus, PICK_EXPIRES, "on the expiry");
	type(&k, PICK_EXPIRES, "PT1H30M");
	is_int(pick_check(&k, &req), 0, "PT1H30M is taken");
	is_int(req.pair, PREFERRED_AWAY, "with the pair");
	ok(req.duration == HOUR + HOUR / 2, "and 90 minutes");
	type(&k, PICK_EXPIRES, "");
	is_int(pick_check(&k, &req), 0, "an empty expiry is taken");
	ok(req.duration == 0, "as the pair's default");
}

/* Setting through the store. */
static void
test_submit(struct store *st)
{
	struct pick	k;
	struct presence	p;
	char		id[GUID_LEN + 1];

	memset(&p, 0, sizeof p);
	snprintf(p.availability, sizeof p.availability, "Available");
	snprintf(p.activity, sizeof p.activity, "Available");
	if (store_create(st, &p, NULL) != 0)
		tap_bail("cannot create a presence");
	memcpy(id, p.id, sizeof id);

	pick_init(&k, id, NULL);
	type(&k, PICK_PRESENCE, "Busy/Busy");
	is_int(pick_submit(&k, st), 0, "Busy/Busy is set");
	is_int(store_get(st, id, &p), 0, "read back");
	ok(p.preferred.set && p.preferred.pair == PREFERRED_BUSY,
	    "the preferred presence is stored");
	ok(p.preferred.expires == p.modified + SESSION_DAY_MS,
	    "for a day by default");

	pick_init(&k, id, NULL);
	type(&k, PICK_PRESENCE, "BeRightBack/BeRightBack");
	is_int(pick_submit(&k, st), 0, "BeRightBack is set");
	store_get(st, id, &p);
	ok(p.preferred.pair == PREFERRED_BE_RIGHT_BACK &&
	    p.preferred.expires == p.modified + 7 * SESSION_DAY_MS,
	    "for 7 days by default");

	type(&k, PICK_EXPIRES, "PT8H");
	is_int(pick_submit(&k, st), 0, "with an expiry");
	store_get(st, id, &p);
	ok(p.preferred.expires == p.modified + 8 * HOUR, "8 hours on");

	type(&k, PICK_EXPIRES, "P9999D");
	is_int(pick_submit(&k, st), STORE_EINVAL, "past the store's bound");
	ok(k.error[PICK_EXPIRES][0] != '\0',
	    "the store's fault goes on the expiry: %s", k.error[PICK_EXPIRES]);
	is_int(k.focus, PICK_EXPIRES, "which gets the focus");

	store_delete(st, id);
	type(&k, PICK_EXPIRES, "");
	is_int(pick_submit(&k, st), STORE_ENOTFOUND, "a deleted presence");
	ok(strstr(k.message, "no longer exists") != NULL,
	    "is said: %s", k.message);
}

int
main(void)
{
	char		 dir[PATH_MAX];
	struct store	*st;

	test_choices();
	test_check();
	tmpdir_make("console-pick", dir);
	st = teststore_open(dir, "any", 0);
	test_submit(st);
	store_close(st);
	tmpdir_remove(dir);
	return tap_done();
}
