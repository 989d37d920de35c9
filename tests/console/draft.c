/* The create form's draft: quick choices, validation, create. */
#include <stdio.h>
#include <string.h>

#include "draft.h"
#include "tap.h"
#include "teststore.h"
#include "tmpdir.h"

/* Type text into field f. */
static void
type(struct draft *d, enum draft_field f, const char *text)
{
	d->focus = f;
	line_set(draft_line(d), text);
	draft_touch(d, f);
}

/* Focus order and the Graph values offered. */
static void
test_choices(void)
{
	struct draft	d;

	draft_init(&d, PRESENCE_MODE_ANY);
	is_int(d.focus, DRAFT_AVAILABILITY, "the form starts on availability");
	draft_focus_next(&d);
	is_int(d.focus, DRAFT_ACTIVITY, "then activity");
	draft_focus_next(&d);
	is_int(d.focus, DRAFT_ID, "then id");
	draft_focus_next(&d);
	is_int(d.focus, DRAFT_AVAILABILITY, "and round again");
	draft_focus_prev(&d);
	is_int(d.focus, DRAFT_ID, "backwards too");
	is_int(draft_choose(&d, 1), -1, "the id offers no values");
	ok(draft_choices(DRAFT_ACTIVITY) == presence_activities,
	    "activity offers Graph's activities");

	type(&d, DRAFT_AVAILABILITY, "");
	draft_choose(&d, 1);
	is_str(d.field[DRAFT_AVAILABILITY].text, "Available",
	    "an empty field takes the first value");
	draft_choose(&d, -1);
	is_str(d.field[DRAFT_AVAILABILITY].text, "PresenceUnknown",
	    "back from the first wraps to the last");
	type(&d, DRAFT_AVAILABILITY, "be");
	draft_choose(&d, 1);
	is_str(d.field[DRAFT_AVAILABILITY].text, "BeRightBack",
	    "typed text is completed, in any case");
	is_int(draft_choice(&d, DRAFT_AVAILABILITY), 3, "which is value 3");
	draft_choose(&d, 1);
	is_str(d.field[DRAFT_AVAILABILITY].text, "Busy", "then the next one");
	type(&d, DRAFT_ACTIVITY, "zz");
	draft_choose(&d, 1);
	is_str(d.field[DRAFT_ACTIVITY].text, "Available",
	    "text no value starts with gives the first value");
}

/* Validation through storage's rules, errors placed by field. */
static void
test_check(void)
{
	struct draft	d;
	struct presence	p;

	draft_init(&d, PRESENCE_MODE_ANY);
	d.focus = DRAFT_ID;
	is_int(draft_check(&d, &p), 2, "an empty form has two bad fields");
	is_str(d.error[DRAFT_AVAILABILITY], "'availability' must not be empty",
	    "availability says why");
	is_str(d.error[DRAFT_ACTIVITY], "'activity' must not be empty",
	    "activity says why");
	is_str(d.error[DRAFT_ID], "", "an empty id is fine");
	is_int(d.focus, DRAFT_AVAILABILITY, "the focus goes to the first");
	type(&d, DRAFT_AVAILABILITY, "Availability value");
	is_str(d.error[DRAFT_AVAILABILITY], "", "editing clears its error");
	type(&d, DRAFT_ACTIVITY, "Activity value");
	type(&d, DRAFT_ID, "not-a-guid");
	is_int(draft_check(&d, &p), 1, "a bad id");
	ok(strstr(d.error[DRAFT_ID], "GUID") != NULL, "is named: %s",
	    d.error[DRAFT_ID]);
	is_int(d.focus, DRAFT_ID, "and focused");
	type(&d, DRAFT_ID, "ABCDEF01-2345-4789-ABCD-EF0123456789");
	is_int(draft_check(&d, &p), 0, "an upper-case GUID is fine");
	is_str(p.id, "abcdef01-2345-4789-abcd-ef0123456789",
	    "and made canonical");
	is_str(p.availability, "Availability value", "any text in any mode");

	draft_init(&d, PRESENCE_MODE_GRAPH);
	type(&d, DRAFT_AVAILABILITY, "Availability value");
	type(&d, DRAFT_ACTIVITY, "InAMeeting");
	is_int(draft_check(&d, &p), 1, "graph mode refuses other values");
	ok(d.error[DRAFT_AVAILABILITY][0] != '\0', "on availability: %s",
	    d.error[DRAFT_AVAILABILITY]);
	is_str(d.error[DRAFT_ACTIVITY], "", "and takes a Graph activity");
}

/* Submitting creates through the store, or says why not. */
static void
test_submit(struct store *st)
{
	struct draft	d;
	struct presence	p, q;

	draft_init(&d, PRESENCE_MODE_ANY);
	is_int(draft_submit(&d, st, &p), STORE_EINVAL, "an empty form");
	type(&d, DRAFT_AVAILABILITY, "Available");
	type(&d, DRAFT_ACTIVITY, "InACall");
	is_int(draft_submit(&d, st, &p), 0, "a filled form creates");
	ok(guid_is_canonical(p.id), "with a fresh id %s", p.id);
	ok(p.created > 0 && p.sequence > 0, "stamped by the store");
	is_int(store_get(st, p.id, &q), 0, "the presence is stored");
	is_str(q.activity, "InACall", "with its values");
	type(&d, DRAFT_ID, p.id);
	is_int(draft_submit(&d, st, &q), STORE_EEXIST, "a taken id");
	ok(strstr(d.error[DRAFT_ID], "already exists") != NULL,
	    "is reported on the id: %s", d.error[DRAFT_ID]);
	is_int(d.focus, DRAFT_ID, "which gets the focus");
}

/* The database's mode wins over the one the form was opened with. */
static void
test_submit_graph(struct store *st)
{
	struct draft	d;
	struct presence	p;

	draft_init(&d, PRESENCE_MODE_ANY);
	type(&d, DRAFT_AVAILABILITY, "Availability value");
	type(&d, DRAFT_ACTIVITY, "Activity value");
	is_int(draft_submit(&d, st, &p), STORE_EINVAL,
	    "a graph-mode database refuses other values");
	ok(d.error[DRAFT_AVAILABILITY][0] != '\0' &&
	    d.error[DRAFT_ACTIVITY][0] != '\0', "on both fields");
	type(&d, DRAFT_AVAILABILITY, "Away");
	type(&d, DRAFT_ACTIVITY, "Away");
	is_int(draft_submit(&d, st, &p), 0, "and takes Graph's values");
}

int
main(void)
{
	char		 dir[PATH_MAX], graph[PATH_MAX];
	struct store	*st;

	test_choices();
	test_check();
	tmpdir_make("console-draft", dir);
	st = teststore_open(dir, "any", 0);
	test_submit(st);
	store_close(st);
	tmpdir_remove(dir);
	tmpdir_make("console-draft-graph", graph);
	st = teststore_open(graph, "graph", 0);
	test_submit_graph(st);
	store_close(st);
	tmpdir_remove(graph);
	return tap_done();
}
