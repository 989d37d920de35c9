/*
 * What a read shows: every aggregation rule and every fade and expiry
 * transition of presence_view, at chosen instants.
 */
#include <string.h>

#include "presence.h"
#include "session.h"
#include "tap.h"

#define T0	INT64_C(1800000000000)	/* a write, in ms since the epoch */
#define MIN	SESSION_MINUTE_MS
#define SEQ	(7 * PRESENCE_SEQ_STEP)

/* A presence created with base state Busy/InAMeeting, written at T0. */
static void
base(struct presence *p)
{
	memset(p, 0, sizeof *p);
	strcpy(p->id, "ba441c11-1c11-ba44-111c-44ba111c44ba");
	strcpy(p->availability, "Busy");
	strcpy(p->activity, "InAMeeting");
	p->created = p->modified = T0;
	p->sequence = SEQ;
}

/* Add a session refreshed at `at`, lasting `duration`. */
static void
add(struct presence *p, const char *id, enum session_pair pair, int64_t at,
    int64_t duration)
{
	struct presence_session	*s = &p->sessions[p->nsessions++];

	snprintf(s->id, sizeof s->id, "%s", id);
	s->pair = (unsigned char)pair;
	s->refreshed = at;
	s->expires = at + duration;
	p->sessions_seen = 1;
}

/* Check the view of p at now. */
static void
shows(const struct presence *p, int64_t now, const char *av, const char *ac,
    const char *what)
{
	struct presence_view	v;

	presence_view(p, now, &v);
	if (!ok(strcmp(v.availability, av) == 0 && strcmp(v.activity, ac) == 0,
	    "%s: %s/%s", what, av, ac))
		printf("#   got %s/%s\n", v.availability, v.activity);
}

/* The view's number at now, minus the stored one. */
static long long
events(const struct presence *p, int64_t now)
{
	struct presence_view	v;

	presence_view(p, now, &v);
	return (long long)(v.sequence - p->sequence);
}

static void
test_base(void)
{
	struct presence		p;
	struct presence_view	v;

	base(&p);
	shows(&p, T0 + 1000 * MIN, "Busy", "InAMeeting",
	    "no session ever: the base state");
	presence_view(&p, T0 + 1000 * MIN, &v);
	is_int(v.source, PRESENCE_FROM_BASE, "from the base");
	is_int(v.sequence, SEQ, "the stored number");
	is_int(v.next_event, 0, "and no clock event ahead");
	p.sessions_seen = 1;
	shows(&p, T0, "Offline", "Offline",
	    "no session now, but one existed: Offline");
	presence_view(&p, T0, &v);
	is_int(v.source, PRESENCE_FROM_OFFLINE, "from no session");
}

static void
test_fade(void)
{
	struct presence		p;
	struct presence_view	v;

	base(&p);
	add(&p, "a", SESSION_AVAILABLE, T0, 60 * MIN);
	shows(&p, T0, "Available", "Available", "a fresh Available session");
	shows(&p, T0 + 5 * MIN - 1, "Available", "Available",
	    "just before 5 minutes");
	presence_view(&p, T0, &v);
	is_int(v.next_event, T0 + 5 * MIN, "the next event is the fade");
	shows(&p, T0 + 5 * MIN, "Available", "AvailableInactive",
	    "at 5 minutes it fades");
	is_int(session_phase(&p.sessions[0], T0 + 5 * MIN, NULL, NULL),
	    SESSION_INACTIVE, "its phase says so");
	presence_view(&p, T0 + 5 * MIN, &v);
	is_int(v.next_event, T0 + 10 * MIN, "then the fall to Away is next");
	shows(&p, T0 + 10 * MIN - 1, "Available", "AvailableInactive",
	    "just before 10 minutes");
	shows(&p, T0 + 10 * MIN, "Away", "Away", "at 10 minutes: Away");
	is_int(session_phase(&p.sessions[0], T0 + 10 * MIN, NULL, NULL),
	    SESSION_FADED, "faded");
	presence_view(&p, T0 + 10 * MIN, &v);
	is_int(v.next_event, T0 + 60 * MIN, "then its expiry");
	shows(&p, T0 + 60 * MIN - 1, "Away", "Away", "until it expires");
	shows(&p, T0 + 60 * MIN, "Offline", "Offline",
	    "expired, the last one: Offline");
	presence_view(&p, T0 + 60 * MIN, &v);
	is_int(v.next_event, 0, "nothing ahead after the expiry");
	is_int(v.active, 0, "no session active");

	base(&p);
	add(&p, "b", SESSION_IN_A_CALL, T0, 60 * MIN);
	shows(&p, T0 + 30 * MIN, "Busy", "InACall",
	    "a Busy session does not fade");
	is_int(session_fades_at(&p.sessions[0]), 0, "it has no fade instant");

	base(&p);
	add(&p, "c", SESSION_AVAILABLE, T0, 5 * MIN);
	is_int(session_fades_at(&p.sessions[0]), 0,
	    "a session expiring at its fade instant does not fade");
	shows(&p, T0 + 5 * MIN, "Offline", "Offline", "it expires instead");
	base(&p);
	add(&p, "d", SESSION_AVAILABLE, T0, 7 * MIN);
	ok(session_fades_at(&p.sessions[0]) != 0 &&
	    session_away_at(&p.sessions[0]) == 0,
	    "expiring at 7 minutes: it fades but never falls to Away");
}

static void
test_precedence(void)
{
	struct presence		p;
	struct presence_view	v;

	base(&p);
	add(&p, "away", SESSION_AWAY, T0, 60 * MIN);
	add(&p, "avail", SESSION_AVAILABLE, T0, 60 * MIN);
	shows(&p, T0, "Available", "Available", "Available beats Away");
	add(&p, "busy", SESSION_IN_A_CONFERENCE_CALL, T0, 60 * MIN);
	shows(&p, T0, "Busy", "InAConferenceCall", "Busy beats Available");
	add(&p, "dnd", SESSION_PRESENTING, T0, 30 * MIN);
	shows(&p, T0, "DoNotDisturb", "Presenting",
	    "DoNotDisturb beats Busy");
	presence_view(&p, T0, &v);
	is_int(v.active, 4, "four sessions active");
	is_int(v.source, PRESENCE_FROM_SESSIONS, "from the sessions");
	shows(&p, T0 + 30 * MIN, "Busy", "InAConferenceCall",
	    "when DoNotDisturb expires, Busy shows");

	base(&p);
	add(&p, "old", SESSION_IN_A_CALL, T0, 60 * MIN);
	add(&p, "new", SESSION_IN_A_CONFERENCE_CALL, T0 + MIN, 60 * MIN);
	shows(&p, T0 + MIN, "Busy", "InAConferenceCall",
	    "a tie goes to the most recently refreshed");
	base(&p);
	add(&p, "new", SESSION_IN_A_CONFERENCE_CALL, T0 + MIN, 60 * MIN);
	add(&p, "old", SESSION_IN_A_CALL, T0, 60 * MIN);
	shows(&p, T0 + MIN, "Busy", "InAConferenceCall",
	    "whatever the order they are stored in");

	base(&p);
	add(&p, "idle", SESSION_AVAILABLE, T0, 60 * MIN);
	add(&p, "away", SESSION_AWAY, T0 + 11 * MIN, 60 * MIN);
	shows(&p, T0 + 11 * MIN, "Away", "Away",
	    "a faded session ranks as Away: a tie, the newer wins");
	base(&p);
	add(&p, "idle", SESSION_AVAILABLE, T0, 60 * MIN);
	add(&p, "away", SESSION_AWAY, T0 + 6 * MIN, 60 * MIN);
	shows(&p, T0 + 6 * MIN, "Available", "AvailableInactive",
	    "an inactive session still ranks as Available over Away");
}

static void
test_preferred(void)
{
	struct presence		p;
	struct presence_view	v;

	base(&p);
	p.preferred.set = 1;
	p.preferred.pair = PREFERRED_BE_RIGHT_BACK;
	p.preferred.expires = T0 + 20 * MIN;
	shows(&p, T0, "Busy", "InAMeeting",
	    "a preferred presence without a session: the base state");
	p.sessions_seen = 1;
	shows(&p, T0, "Offline", "Offline",
	    "after sessions existed: Offline, preferred or not");
	add(&p, "a", SESSION_PRESENTING, T0, 30 * MIN);
	shows(&p, T0, "BeRightBack", "BeRightBack",
	    "with a session it overrides even DoNotDisturb");
	presence_view(&p, T0, &v);
	is_int(v.source, PRESENCE_FROM_PREFERRED, "from the preferred");
	is_int(v.next_event, T0 + 20 * MIN, "its expiry is the next event");
	shows(&p, T0 + 20 * MIN, "DoNotDisturb", "Presenting",
	    "once it expires, the aggregate shows");
	shows(&p, T0 + 30 * MIN, "Offline", "Offline",
	    "and after the session, Offline");
}

static void
test_sequence(void)
{
	struct presence		p;
	int64_t			prev_next = 0;
	uint64_t		prev = 0;
	struct presence_view	v;
	int64_t			t;
	int			grows = 1, changes = 1;
	char			last[2 * PRESENCE_VALUE_MAX + 2] = "";
	char			now_pair[sizeof last];
	size_t			i;

	base(&p);
	add(&p, "a", SESSION_AVAILABLE, T0, 60 * MIN);
	add(&p, "b", SESSION_AWAY, T0, 20 * MIN);
	p.preferred.set = 1;
	p.preferred.pair = PREFERRED_BUSY;
	p.preferred.expires = T0 + 2 * MIN;
	is_int(events(&p, T0), 0, "at the write: the stored number");
	is_int(events(&p, T0 + 2 * MIN), 1, "the preferred expiry counts");
	is_int(events(&p, T0 + 5 * MIN), 2, "the fade counts");
	is_int(events(&p, T0 + 10 * MIN), 3, "the fall to Away counts");
	is_int(events(&p, T0 + 20 * MIN), 4, "an expiry counts");
	is_int(events(&p, T0 + 60 * MIN), 5, "the last expiry counts");
	is_int(events(&p, T0 + 6000 * MIN), 5, "nothing after");

	/* Walk the clock: the number grows whenever the view changes. */
	for (t = T0; t <= T0 + 61 * MIN; t += 30 * 1000) {
		presence_view(&p, t, &v);
		snprintf(now_pair, sizeof now_pair, "%s/%s", v.availability,
		    v.activity);
		if (v.sequence < prev)
			grows = 0;
		if (strcmp(now_pair, last) != 0 && t > T0 && v.sequence == prev)
			changes = 0;
		prev = v.sequence;
		snprintf(last, sizeof last, "%s", now_pair);
		if (v.next_event != 0 && v.next_event <= t)
			prev_next = t;
	}
	ok(grows, "over an hour the number never goes down");
	ok(changes, "and changes whenever the view does");
	is_int(prev_next, 0, "next_event always lies after the instant");

	/* The most events a presence can have stay below the step. */
	base(&p);
	for (i = 0; i < PRESENCE_SESSIONS_MAX; i++)
		add(&p, "s", SESSION_AVAILABLE, T0, 240 * MIN);
	p.preferred.set = 1;
	p.preferred.expires = T0 + MIN;
	p.status.set = 1;
	p.status.expires = T0 + 2 * MIN;
	is_int(events(&p, T0 + 241 * MIN), PRESENCE_SEQ_EVENTS_MAX,
	    "the most events a presence has");
	ok(PRESENCE_SEQ_EVENTS_MAX < PRESENCE_SEQ_STEP,
	    "they never reach the next write's number");
	p.modified = T0 + 7 * MIN;
	is_int(events(&p, T0 + 241 * MIN), 2 * PRESENCE_SESSIONS_MAX,
	    "events before the write are not counted again");
}

static void
test_prune(void)
{
	struct presence	p;

	base(&p);
	add(&p, "a", SESSION_AVAILABLE, T0, 10 * MIN);
	add(&p, "b", SESSION_AWAY, T0, 30 * MIN);
	add(&p, "c", SESSION_AVAILABLE, T0, 10 * MIN);
	p.preferred.set = 1;
	p.preferred.expires = T0 + 10 * MIN;
	presence_prune(&p, T0 + 10 * MIN - 1);
	is_int(p.nsessions, 3, "nothing expired yet");
	ok(p.preferred.set, "the preferred presence stays");
	presence_prune(&p, T0 + 10 * MIN);
	is_int(p.nsessions, 1, "two expired sessions are dropped");
	is_str(p.sessions[0].id, "b", "the one left");
	ok(!p.preferred.set, "and the expired preferred presence");
	ok(p.sessions_seen, "sessions_seen remains");
}

static void
test_pairs(void)
{
	is_int(session_pair_find("Busy", "InAConferenceCall"),
	    SESSION_IN_A_CONFERENCE_CALL, "setPresence knows Busy/InAConferenceCall");
	is_int(session_pair_find("Busy", "Busy"), -1,
	    "but not Busy/Busy (a preferred pair)");
	is_int(preferred_pair_find("Offline", "OffWork"), PREFERRED_OFF_WORK,
	    "the preferred pairs hold Offline/OffWork");
	is_int(preferred_pair_find("DoNotDisturb", "Presenting"), -1,
	    "and not DoNotDisturb/Presenting");
	ok(session_pair_has_availability("DoNotDisturb") &&
	    !session_pair_has_availability("BeRightBack"),
	    "availabilities of setPresence's pairs");
	ok(session_id_valid("22553876-f5ab-4529-bffb-cfe50aa89f87", 36),
	    "an app id is a session id");
	ok(!session_id_valid("", 0), "an empty one is not");
	ok(!session_id_valid("a\tb", 3), "nor one with a tab");
	ok(!session_id_valid("\xc3\xa9", 2), "nor one beyond ASCII");
	ok(session_id_valid("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxx", 64) && !session_id_valid("xxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 65),
	    "64 bytes at most");
}

/* The status message shows until its expiry, which is a clock event. */
static void
test_status(void)
{
	struct presence		p;
	struct presence_view	v;

	base(&p);
	presence_view(&p, T0, &v);
	ok(!v.status_shown, "no status message: none shows");
	p.status.set = 1;
	strcpy(p.status.content, "back at five");
	presence_view(&p, T0 + 1000 * SESSION_DAY_MS, &v);
	ok(v.status_shown && v.next_event == 0 && v.sequence == SEQ,
	    "one without expiry shows for ever, no event");
	p.status.expires = T0 + 30 * MIN;
	presence_view(&p, T0 + 30 * MIN - 1, &v);
	ok(v.status_shown && v.next_event == T0 + 30 * MIN &&
	    v.sequence == SEQ, "one with expiry shows until it, its next event");
	presence_view(&p, T0 + 30 * MIN, &v);
	ok(!v.status_shown && v.sequence == SEQ + 1,
	    "from its expiry on it is gone, and the number moved");
	presence_prune(&p, T0 + 30 * MIN);
	ok(!p.status.set, "a write drops it then");
}

/* While out of office, the activity reads as Graph's table says. */
static void
test_out_of_office(void)
{
	struct presence	p;

	base(&p);
	p.ooo.on = 1;
	shows(&p, T0, "Busy", "InAMeeting", "out of office, Busy keeps its "
	    "activity");
	add(&p, "s", SESSION_AVAILABLE, T0, 60 * MIN);
	shows(&p, T0, "Available", "OutOfOffice", "Available reads OutOfOffice");
	shows(&p, T0 + 12 * MIN, "Away", "OutOfOffice", "so does Away");
	shows(&p, T0 + 61 * MIN, "Offline", "OutOfOffice", "and Offline");
	add(&p, "t", SESSION_IN_A_CALL, T0, 60 * MIN);
	shows(&p, T0, "Busy", "InACall", "a call stays a call");
	p.nsessions = 1;
	p.preferred.set = 1;
	p.preferred.pair = PREFERRED_OFF_WORK;
	p.preferred.expires = T0 + 60 * MIN;
	shows(&p, T0, "Offline", "OffWork", "appearing offline stays so");
	p.preferred.pair = PREFERRED_BE_RIGHT_BACK;
	shows(&p, T0, "BeRightBack", "OutOfOffice", "BeRightBack reads "
	    "OutOfOffice");
	p.preferred.pair = PREFERRED_DO_NOT_DISTURB;
	shows(&p, T0, "DoNotDisturb", "DoNotDisturb", "DoNotDisturb keeps its "
	    "activity");
	p.ooo.on = 0;
	p.preferred.pair = PREFERRED_AVAILABLE;
	shows(&p, T0, "Available", "Available", "back in office: as before");
}

/* The work location: manual over automatic, none when neither is set. */
static void
test_location(void)
{
	struct presence		p;
	struct presence_view	v;

	base(&p);
	presence_view(&p, T0, &v);
	is_int(v.location, NOTE_SOURCE_NONE, "no layer: none");
	p.automatic.set = 1;
	presence_view(&p, T0, &v);
	is_int(v.location, NOTE_SOURCE_AUTOMATIC, "the automatic layer alone");
	p.manual.set = 1;
	presence_view(&p, T0, &v);
	is_int(v.location, NOTE_SOURCE_MANUAL, "manual over automatic");
}

int
main(void)
{
	test_base();
	test_fade();
	test_precedence();
	test_preferred();
	test_sequence();
	test_prune();
	test_pairs();
	test_status();
	test_out_of_office();
	test_location();
	return tap_done();
}
