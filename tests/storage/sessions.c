/*
 * The store's sessions, preferred presence and reads of many, on a real
 * environment in a temporary directory.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "tap.h"
#include "tmpdir.h"

#define S	PRESENCE_SEQ_STEP
#define MIN	SESSION_MINUTE_MS

/* Open dir with the defaults. */
static struct store *
open_dir(const char *dir)
{
	struct store_config	 cfg;
	struct store		*st;
	int			 rc;

	store_config_init(&cfg);
	cfg.path = dir;
	cfg.map_size = 1 << 20;
	if ((rc = store_open(&st, &cfg)) != 0)
		tap_bail("cannot open store '%s': %s", dir, store_strerror(rc));
	return st;
}

/* Create the presence id with a base state. */
static void
create(struct store *st, const char *id)
{
	struct presence	p;

	memset(&p, 0, sizeof p);
	snprintf(p.id, sizeof p.id, "%s", id);
	strcpy(p.availability, "Availability value");
	strcpy(p.activity, "Activity value");
	if (store_create(st, &p, NULL) != 0)
		tap_bail("cannot create '%s'", id);
}

/* A setPresence request. */
static struct session_set
req(const char *session_id, enum session_pair pair, int64_t duration)
{
	struct session_set	r;

	memset(&r, 0, sizeof r);
	snprintf(r.session_id, sizeof r.session_id, "%s", session_id);
	r.pair = pair;
	r.duration = duration;
	return r;
}

#define ID1	"11111111-1111-4111-8111-111111111111"
#define ID2	"22222222-2222-4222-8222-222222222222"
#define ID3	"33333333-3333-4333-8333-333333333333"
#define NOID	"44444444-4444-4444-8444-444444444444"

static void
test_sessions(struct store *st)
{
	struct presence_fault	f;
	struct presence_view	v;
	struct session_set	r;
	struct presence		p, q;
	int64_t			before;
	char			sid[8];
	int			i;

	create(st, ID1);
	is_int(store_get_view(st, ID1, &p, &v), 0, "a new presence reads");
	is_str(v.availability, "Availability value", "showing its base state");
	ok(v.sequence == p.sequence && p.sequence == S, "and its stored number");

	before = presence_now();
	r = req("app", SESSION_IN_A_CALL, 0);
	is_int(store_session_set(st, ID1, &r, &f), 0, "setPresence");
	is_int(store_get_view(st, ID1, &p, &v), 0, "reads back");
	ok(p.nsessions == 1 && strcmp(p.sessions[0].id, "app") == 0 &&
	    p.sessions[0].pair == SESSION_IN_A_CALL && p.sessions_seen,
	    "one session, as set");
	ok(p.sessions[0].refreshed >= before &&
	    p.sessions[0].expires == p.sessions[0].refreshed + 5 * MIN,
	    "refreshed now, expiring after the default 5 minutes");
	is_str(v.activity, "InACall", "the view shows it");
	is_int(p.sequence, 2 * S, "the write took the next step");
	ok(p.modified == p.sessions[0].refreshed, "and stamped modified");

	r = req("app", SESSION_AVAILABLE, 60 * MIN);
	is_int(store_session_set(st, ID1, &r, &f), 0, "setPresence again");
	is_int(store_get(st, ID1, &q), 0, "reads back");
	ok(q.nsessions == 1 && q.sessions[0].pair == SESSION_AVAILABLE &&
	    q.sessions[0].expires == q.sessions[0].refreshed + 60 * MIN,
	    "refreshes the same session with its new pair and duration");
	is_int(q.sequence, 3 * S, "another step");

	r = req("app", SESSION_AVAILABLE, 4 * MIN);
	is_int(store_session_set(st, ID1, &r, &f), STORE_EINVAL,
	    "under PT5M is refused");
	is_str(f.property, "expirationDuration", "naming the parameter");
	r = req("app", SESSION_AVAILABLE, 241 * MIN);
	is_int(store_session_set(st, ID1, &r, &f), STORE_EINVAL,
	    "over PT4H is refused");
	r = req("", SESSION_AVAILABLE, 0);
	is_int(store_session_set(st, ID1, &r, &f), STORE_EINVAL,
	    "an empty sessionId is refused");
	is_str(f.property, "sessionId", "naming it");
	r = req("app", SESSION_AVAILABLE, 0);
	is_int(store_session_set(st, NOID, &r, &f), STORE_ENOTFOUND,
	    "an unknown presence is not found");

	for (i = 1; i < PRESENCE_SESSIONS_MAX; i++) {
		snprintf(sid, sizeof sid, "s%d", i);
		r = req(sid, SESSION_AWAY, 0);
		if (store_session_set(st, ID1, &r, &f) != 0)
			break;
	}
	is_int(i, PRESENCE_SESSIONS_MAX, "sixteen sessions in all");
	r = req("one-more", SESSION_AWAY, 0);
	is_int(store_session_set(st, ID1, &r, &f), STORE_EINVAL,
	    "a seventeenth is refused");
	is_str(f.property, "sessionId", "naming sessionId");
	ok(strstr(f.message, "at most 16") != NULL, "and the limit: %s",
	    f.message);
	r = req("s3", SESSION_PRESENTING, 0);
	is_int(store_session_set(st, ID1, &r, &f), 0,
	    "a known one still refreshes");

	is_int(store_session_clear(st, ID1, "nope"), STORE_ENOSESSION,
	    "clearing an unknown session says so");
	is_int(store_session_clear(st, NOID, "app"), STORE_ENOTFOUND,
	    "apart from an unknown presence");
	is_int(store_session_clear(st, ID1, "s3"), 0, "clearPresence");
	is_int(store_get(st, ID1, &q), 0, "reads back");
	ok(q.nsessions == PRESENCE_SESSIONS_MAX - 1, "one session fewer");
	for (i = 0; i < (int)q.nsessions; i++)
		if (strcmp(q.sessions[i].id, "s3") == 0)
			break;
	is_int(i, (int)q.nsessions, "the cleared one is gone");
	is_int(store_session_clear(st, ID1, "s3"), STORE_ENOSESSION,
	    "and cannot be cleared twice");
	for (i = 0; i < (int)q.nsessions; i++)
		store_session_clear(st, ID1, q.sessions[i].id);
	is_int(store_get_view(st, ID1, &p, &v), 0, "all cleared");
	is_str(v.availability, "Offline", "the presence reads Offline");
	ok(p.nsessions == 0 && p.sessions_seen, "with no session left");
}

static void
test_preferred(struct store *st)
{
	struct presence_fault	f;
	struct preferred_set	pr = { PREFERRED_DO_NOT_DISTURB, 0 };
	struct presence_view	v;
	struct session_set	r = req("app", SESSION_AVAILABLE, 0);
	struct presence		p;
	uint64_t		seq;

	create(st, ID2);
	is_int(store_preferred_set(st, ID2, &pr, &f), 0,
	    "setUserPreferredPresence");
	is_int(store_get_view(st, ID2, &p, &v), 0, "reads back");
	ok(p.preferred.set && p.preferred.pair == PREFERRED_DO_NOT_DISTURB &&
	    p.preferred.expires == p.modified + PREFERRED_DURATION_SHORT,
	    "DoNotDisturb, expiring after a day by default");
	is_str(v.availability, "Availability value",
	    "without a session the base state shows");
	is_int(store_session_set(st, ID2, &r, &f), 0, "a session starts");
	is_int(store_get_view(st, ID2, &p, &v), 0, "reads back");
	is_str(v.availability, "DoNotDisturb", "the preferred presence shows");
	pr = (struct preferred_set){ PREFERRED_AWAY, 0 };
	is_int(store_preferred_set(st, ID2, &pr, &f), 0, "Away preferred");
	is_int(store_get(st, ID2, &p), 0, "reads back");
	ok(p.preferred.expires == p.modified + PREFERRED_DURATION_LONG,
	    "expiring after 7 days by default");
	pr = (struct preferred_set){ PREFERRED_BUSY, 2 * 365 * SESSION_DAY_MS };
	is_int(store_preferred_set(st, ID2, &pr, &f), STORE_EINVAL,
	    "over a year is refused");
	is_str(f.property, "expirationDuration", "naming the parameter");
	pr.duration = 0;
	is_int(store_preferred_set(st, NOID, &pr, &f), STORE_ENOTFOUND,
	    "an unknown presence is not found");

	is_int(store_preferred_clear(st, ID2), 0, "clearUserPreferredPresence");
	is_int(store_get_view(st, ID2, &p, &v), 0, "reads back");
	ok(!p.preferred.set, "none is set");
	is_str(v.availability, "Available", "the session shows again");
	seq = p.sequence;
	is_int(store_preferred_clear(st, ID2), 0, "clearing again");
	is_int(store_get(st, ID2, &p), 0, "reads back");
	ok(p.sequence == seq, "writes nothing: the number stays");
	is_int(store_preferred_clear(st, NOID), STORE_ENOTFOUND,
	    "an unknown presence is not found");
}

static void
test_get_many(struct store *st)
{
	static struct presence	out[8];
	struct presence_view	views[8];
	const char		*ids[8] = { ID3, NOID, ID1, "not-a-guid", ID3,
	    "22222222-2222-4222-8222-22222222222Z", ID2, ID1 };
	size_t			n;

	create(st, ID3);
	is_int(store_get_many(st, ids, 8, out, views, &n), 0, "get many");
	is_int(n, 3, "three known ids, each once");
	ok(n == 3 && strcmp(out[0].id, ID3) == 0 && strcmp(out[1].id, ID1) ==
	    0 && strcmp(out[2].id, ID2) == 0, "in request order");
	is_str(views[1].availability, "Offline", "each with its view");
	is_str(views[2].availability, "Available", "computed at the instant");
	is_int(store_get_many(st, ids, 2, out, NULL, &n), 0,
	    "without views");
	is_int(n, 1, "the unknown one left out");
	is_int(store_get_many(st, ids, 0, out, NULL, &n), 0, "no ids");
	is_int(n, 0, "none read");
}

int
main(void)
{
	char		 dir[PATH_MAX];
	struct store	*st;

	tmpdir_make("store-sessions", dir);
	st = open_dir(dir);
	test_sessions(st);
	test_preferred(st);
	test_get_many(st);
	store_close(st);
	tmpdir_remove(dir);
	return tap_done();
}
