/*
 * The inspect view's detail over a real store: what a presence shows at
 * chosen instants, each session's countdowns, the selection, and clearing
 * the preferred presence and a session through the store, y/N asked.
 */
#include <stdio.h>
#include <string.h>

#include "detail.h"
#include "tap.h"
#include "teststore.h"
#include "tmpdir.h"

#define MIN	SESSION_MINUTE_MS

/* Create a presence with the given base state; its id into id. */
static void
make_presence(struct store *st, const char *availability,
    const char *activity, char id[GUID_LEN + 1])
{
	struct presence	p;

	memset(&p, 0, sizeof p);
	snprintf(p.availability, sizeof p.availability, "%s", availability);
	snprintf(p.activity, sizeof p.activity, "%s", activity);
	if (store_create(st, &p, NULL) != 0)
		tap_bail("cannot create a presence");
	memcpy(id, p.id, GUID_LEN + 1);
}

/* Open or refresh the session sid of id with pair for duration ms. */
static int
set_session(struct store *st, const char *id, const char *sid, int pair,
    int64_t duration)
{
	struct session_set	req;

	memset(&req, 0, sizeof req);
	snprintf(req.session_id, sizeof req.session_id, "%s", sid);
	req.pair = pair;
	req.duration = duration;
	return store_session_set(st, id, &req, NULL);
}

/* The session with id sid as stored in d, or NULL. */
static const struct presence_session *
stored(const struct detail *d, const char *sid)
{
	size_t	i;

	for (i = 0; i < d->p.nsessions; i++)
		if (strcmp(d->p.sessions[i].id, sid) == 0)
			return &d->p.sessions[i];
	return NULL;
}

/* The row of the active session sid at d's instant; 0 or -1. */
static int
row_of(const struct detail *d, const char *sid, struct detail_row *row)
{
	size_t	i;

	for (i = 0; i < d->nactive; i++) {
		detail_row(d, i, row);
		if (strcmp(row->id, sid) == 0)
			return 0;
	}
	return -1;
}

/* Countdowns round up to whole seconds and drop the units above. */
static void
test_span(void)
{
	char	s[DETAIL_SPAN_LEN];

	detail_span(0, s);
	is_str(s, "0s", "nothing left reads 0s");
	detail_span(1, s);
	is_str(s, "1s", "a millisecond left reads 1s");
	detail_span(59999, s);
	is_str(s, "1m 00s", "59.999 s reads 1m 00s");
	detail_span(5 * MIN - 1000, s);
	is_str(s, "4m 59s", "minutes and seconds");
	detail_span(4 * 60 * MIN, s);
	is_str(s, "4h 00m 00s", "hours");
	detail_span(7 * SESSION_DAY_MS + 1, s);
	is_str(s, "7d 00h 00m 01s", "days");
	detail_span(-5, s);
	is_str(s, "0s", "a time gone by reads 0s");
}

/* A session's phases and countdowns across the clock; the aggregate. */
static void
test_sessions(struct store *st)
{
	struct detail				 d;
	struct detail_row			 row;
	const struct presence_session		*phone;
	char					 id[GUID_LEN + 1], span[DETAIL_SPAN_LEN];
	int64_t					 t;

	make_presence(st, "Available", "Available", id);
	detail_init(&d, st, 0);
	is_int(detail_load(&d, id, presence_now()), 0, "a presence is read");
	is_int(d.rc, 0, "and found");
	is_int(d.nactive, 0, "with no session");
	is_int(d.view.source, PRESENCE_FROM_BASE, "showing its base state");
	detail_next_event(&d, span);
	is_str(span, "-", "which no clock changes");

	is_int(set_session(st, id, "phone", SESSION_AVAILABLE, 60 * MIN), 0,
	    "setPresence opens a session");
	is_int(set_session(st, id, "desk", SESSION_IN_A_CALL, 30 * MIN), 0,
	    "and a second one");
	is_int(detail_load(&d, id, presence_now()), 0, "read again");
	if ((phone = stored(&d, "phone")) == NULL)
		tap_bail("the session 'phone' is not stored");
	t = phone->refreshed;

	is_int(detail_load(&d, id, t), 0, "at the refresh");
	is_int(d.nactive, 2, "both sessions are listed");
	is_str(d.view.availability, "Busy", "Busy wins over Available");
	is_str(d.view.activity, "InACall", "with its activity");
	is_int(d.view.source, PRESENCE_FROM_SESSIONS, "from the sessions");
	is_int(row_of(&d, "phone", &row), 0, "the phone's row");
	is_str(row.set, "Available/Available", "shows the pair as set");
	is_str(row.shows, "Available/Available", "and as it reads");
	is_str(row.fades, "5m 00s", "fading in 5 minutes");
	is_str(row.expires, "1h 00m 00s", "expiring in an hour");
	is_int(row_of(&d, "desk", &row), 0, "the desk's row");
	is_str(row.fades, "-", "a call does not fade");

	is_int(detail_load(&d, id, t + 6 * MIN), 0, "six minutes on");
	is_int(row_of(&d, "phone", &row), 0, "the phone");
	is_str(row.shows, "Available/AvailableInactive", "reads inactive");
	is_str(row.fades, "4m 00s", "and falls to Away 4 minutes later");
	is_int(detail_load(&d, id, t + 11 * MIN), 0, "eleven minutes on");
	is_int(row_of(&d, "phone", &row), 0, "the phone");
	is_str(row.shows, "Away/Away", "reads Away");
	is_str(row.fades, "-", "and fades no further");

	is_int(detail_load(&d, id, t + 45 * MIN), 0, "past the desk's expiry");
	is_int(d.nactive, 1, "the expired session is not listed");
	is_str(d.session, "phone", "the selection is on the one left");
	is_str(d.view.availability, "Away", "which shows Away");
	is_int(detail_load(&d, id, t + 61 * MIN), 0, "past both expiries");
	is_int(d.nactive, 0, "no session is listed");
	is_str(d.session, "", "none is selected");
	is_int(d.view.source, PRESENCE_FROM_OFFLINE, "the presence is offline");
	is_str(d.view.availability, "Offline", "Offline");
	detail_select(&d, 1);
	is_int(d.status, STATUS_NO_SESSIONS, "Tab with no session says so");
}

/* The selection cycles through the sessions; clearing one asks first. */
static void
test_clear_session(struct store *st)
{
	struct detail	d, ro;
	char		id[GUID_LEN + 1], first[SESSION_ID_MAX + 1];

	make_presence(st, "Away", "Away", id);
	set_session(st, id, "one", SESSION_AVAILABLE, 60 * MIN);
	set_session(st, id, "two", SESSION_PRESENTING, 60 * MIN);
	detail_init(&d, st, 0);
	detail_load(&d, id, presence_now());
	is_int(d.nactive, 2, "two sessions");
	snprintf(first, sizeof first, "%s", d.session);
	ok(first[0] != '\0', "the first is selected: %s", first);
	detail_select(&d, 1);
	ok(strcmp(d.session, first) != 0, "Tab selects the other");
	detail_select(&d, 1);
	is_str(d.session, first, "and wraps round");
	detail_select(&d, -1);
	ok(strcmp(d.session, first) != 0, "Shift-Tab goes back, wrapping");
	detail_load(&d, id, presence_now());
	ok(strcmp(d.session, first) != 0, "a read keeps the selection");

	detail_init(&ro, st, 1);
	detail_load(&ro, id, presence_now());
	detail_ask_session(&ro);
	is_int(ro.status, STATUS_READ_ONLY, "read-only refuses to clear");
	is_int(ro.ask, DETAIL_ASK_NONE, "and asks nothing");

	detail_ask_session(&d);
	is_int(d.ask, DETAIL_ASK_SESSION, "x asks");
	is_int(d.status, STATUS_SESSION_CONFIRM, "y/N");
	is_str(d.status_arg, d.session, "naming the session");
	is_int(detail_answer(&d, 0, presence_now()), 0, "n");
	is_int(d.status, STATUS_KEPT_SESSION, "keeps it");
	is_int(d.nactive, 2, "both are still there");
	detail_ask_session(&d);
	is_int(detail_answer(&d, 1, presence_now()), 0, "y");
	is_int(d.status, STATUS_SESSION_CLEARED, "clears it");
	is_int(d.nactive, 1, "one is left");
	is_str(d.session, first, "and selected");

	detail_ask_session(&d);
	is_int(store_session_clear(st, id, first), 0,
	    "meanwhile the responder clears it");
	is_int(detail_answer(&d, 1, presence_now()), 0, "y");
	is_int(d.status, STATUS_SESSION_GONE, "says the session is gone");
	is_int(d.nactive, 0, "and lists none");
	is_str(d.view.availability, "Offline", "the presence is offline");
	detail_ask_session(&d);
	is_int(d.status, STATUS_NO_SESSIONS, "x with no session says so");
}

/* The preferred presence: shown with its countdown, cleared on y. */
static void
test_preferred(struct store *st)
{
	struct detail		d;
	struct preferred_set	req = { PREFERRED_DO_NOT_DISTURB, 0 };
	char			id[GUID_LEN + 1];
	char			pair[DETAIL_PAIR_LEN], span[DETAIL_SPAN_LEN];

	make_presence(st, "Available", "Available", id);
	detail_init(&d, st, 0);
	detail_load(&d, id, presence_now());
	is_int(detail_preferred(&d, pair, span), 0, "no preferred presence");
	detail_ask_unprefer(&d);
	is_int(d.status, STATUS_NO_PREFERRED, "u says there is none");
	is_int(d.ask, DETAIL_ASK_NONE, "and asks nothing");

	is_int(store_preferred_set(st, id, &req, NULL), 0,
	    "a preferred presence is set");
	set_session(st, id, "app", SESSION_AVAILABLE, 60 * MIN);
	detail_load(&d, id, presence_now());
	is_int(d.view.source, PRESENCE_FROM_PREFERRED,
	    "it overrides the session");
	is_str(d.view.availability, "DoNotDisturb", "DoNotDisturb shows");
	detail_load(&d, id, d.p.preferred.expires - SESSION_DAY_MS);
	is_int(detail_preferred(&d, pair, span), 1, "it is shown");
	is_str(pair, "DoNotDisturb/DoNotDisturb", "with its pair");
	is_str(span, "1d 00h 00m 00s", "expiring a day after it was set");

	detail_load(&d, id, presence_now());
	detail_ask_unprefer(&d);
	is_int(d.status, STATUS_UNPREFER_CONFIRM, "u asks y/N");
	is_str(d.status_arg, "DoNotDisturb/DoNotDisturb", "naming the pair");
	is_int(detail_answer(&d, 0, presence_now()), 0, "n");
	is_int(d.status, STATUS_KEPT_PREFERRED, "keeps it");
	is_int(detail_preferred(&d, pair, span), 1, "it is still set");
	detail_ask_unprefer(&d);
	is_int(detail_answer(&d, 1, presence_now()), 0, "y");
	is_int(d.status, STATUS_UNPREFERRED, "clears it");
	is_int(detail_preferred(&d, pair, span), 0, "it is gone");
	is_int(store_get(st, id, &d.p), 0, "as stored");
	is_int(d.p.preferred.set, 0, "not set");
}

/* A presence deleted while inspected. */
static void
test_gone(struct store *st)
{
	struct detail	d;
	char		id[GUID_LEN + 1];

	make_presence(st, "Busy", "Busy", id);
	detail_init(&d, st, 0);
	detail_load(&d, id, presence_now());
	store_delete(st, id);
	is_int(detail_load(&d, id, presence_now()), 0, "a gone presence");
	is_int(d.rc, STORE_ENOTFOUND, "is not found");
	detail_ask_unprefer(&d);
	is_int(d.status, STATUS_GONE, "u says it is gone");
	detail_ask_session(&d);
	is_int(d.status, STATUS_GONE, "so does x");
}

int
main(void)
{
	char		 dir[PATH_MAX];
	struct store	*st;

	test_span();
	tmpdir_make("console-detail", dir);
	st = teststore_open(dir, "any", 0);
	test_sessions(st);
	test_clear_session(st);
	test_preferred(st);
	test_gone(st);
	store_close(st);
	tmpdir_remove(dir);
	return tap_done();
}
