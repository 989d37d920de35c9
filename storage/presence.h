/* The presence model and its validation. */
#ifndef PRESENCE_STORAGE_PRESENCE_H
#define PRESENCE_STORAGE_PRESENCE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "guid.h"
#include "note.h"
#include "session.h"

#define PRESENCE_ODATA_TYPE	"#microsoft.graph.presence"
#define PRESENCE_VALUE_MAX	128	/* bytes of UTF-8 in a value */
#define PRESENCE_TIME_LEN	24	/* "2026-11-28T07:35:32.123Z" */
#define PRESENCE_SEQUENCE_LEN	16	/* fixed-width lowercase hex */

/*
 * Which values availability and activity may take.  ANY accepts any short
 * printable string (the founding example's "Availability value"); GRAPH
 * accepts only Graph's enumerations.  A database keeps its mode in `meta`.
 */
enum presence_mode {
	PRESENCE_MODE_ANY,
	PRESENCE_MODE_GRAPH,
};

/*
 * Every write to a presence takes the next multiple of PRESENCE_SEQ_STEP
 * above the database's counter as its stored sequence; a read shows the
 * stored sequence plus the number of clock events (a session fading,
 * falling to Away or expiring, the preferred presence expiring, the
 * status message expiring) between the write and the read, at most
 * PRESENCE_SEQ_EVENTS_MAX (three per session and one each for the
 * preferred presence and the status message), which is below
 * PRESENCE_SEQ_STEP.  So the number shown only grows, changes whenever
 * what a read shows changes, and never reaches the next write's.
 */
#define PRESENCE_SEQ_STEP	UINT64_C(0x10000)
#define PRESENCE_SEQ_EVENTS_MAX	(3 * PRESENCE_SESSIONS_MAX + 2)

/*
 * One presence as stored.  Plain fixed-size fields: a struct presence owns
 * no memory and may be copied by assignment.  availability and activity
 * are the base state, as created; what a read shows is computed from the
 * whole (presence_view).  The store keeps created, modified, sequence,
 * the sessions, the preferred presence, the status message, the
 * out-of-office settings and the work location; clients change them only
 * through the store's calls.
 */
struct presence {
	char		id[GUID_LEN + 1];	/* canonical GUID, or "" */
	char		availability[PRESENCE_VALUE_MAX + 1];
	char		activity[PRESENCE_VALUE_MAX + 1];
	int64_t		created;	/* milliseconds since the epoch, UTC */
	int64_t		modified;	/* milliseconds since the epoch, UTC */
	uint64_t	sequence;	/* grows with every write to the store */
	int		sessions_seen;	/* a session has existed */
	size_t		nsessions;	/* sessions[0..nsessions) */
	struct presence_session	  sessions[PRESENCE_SESSIONS_MAX];
	struct presence_preferred preferred;
	struct note_status	  status;	/* setStatusMessage */
	struct note_ooo		  ooo;		/* the operator's */
	struct note_location	  manual;	/* setManualLocation */
	struct note_location	  automatic;	/* setAutomaticLocation */
};

/* Where a computed presence comes from. */
enum presence_source {
	PRESENCE_FROM_BASE,	/* no session has existed: the base state */
	PRESENCE_FROM_SESSIONS,	/* the aggregate of the active sessions */
	PRESENCE_FROM_PREFERRED, /* the preferred presence over them */
	PRESENCE_FROM_OFFLINE	/* sessions existed, none is active */
};

/*
 * The presence a read shows at one instant: small, computed, never stored.
 * Owns no memory.
 */
struct presence_view {
	char			availability[PRESENCE_VALUE_MAX + 1];
	char			activity[PRESENCE_VALUE_MAX + 1];
	uint64_t		sequence;	/* the number shown */
	int64_t			next_event;	/* the next clock event after
						   the instant, or 0: none */
	enum presence_source	source;
	size_t			active;		/* sessions active then */
	int			status_shown;	/* the status message has not
						   expired */
	enum note_source	location;	/* the work location's layer
						   shown */
};

/*
 * Compute what p shows at now (ms since the epoch), the one place where
 * the rules live:
 *  - a session is gone from its expiry on;
 *  - an Available/Available session reads Available/AvailableInactive
 *    from SESSION_FADE_MS after its refresh, Away/Away from
 *    SESSION_AWAY_MS (session_phase);
 *  - the active sessions aggregate by the availability they read as,
 *    DoNotDisturb > Busy > Available > Away, a tie going to the most
 *    recently refreshed session;
 *  - an unexpired preferred presence overrides them while at least one
 *    session is active;
 *  - with no active session: the base state while sessions_seen is 0,
 *    Offline/Offline after;
 *  - while out of office, an availability of Available, AvailableIdle,
 *    Away, BeRightBack or Offline reads with the activity OutOfOffice
 *    (Graph's Available/OutOfOffice), but for Offline/OffWork (appearing
 *    offline); Busy, DoNotDisturb and any other availability keep their
 *    activity (Busy/InACall stays, as Graph's "in a call, out of office");
 *  - the status message shows until its expiry (never ends without one);
 *  - the work location shows the manual layer when set, else the
 *    automatic one, else none.
 * sequence is p->sequence plus the clock events in (p->modified, now];
 * next_event is the first clock event after now.
 */
void presence_view(const struct presence *p, int64_t now,
    struct presence_view *out);

/*
 * Drop the sessions of p expired at now, a preferred presence expired at
 * now and a status message expired at now; what a write does before it
 * changes a presence.
 */
void presence_prune(struct presence *p, int64_t now);

/*
 * Check a presence before it is stored: id empty or canonical, availability
 * and activity non-empty valid UTF-8 without control characters, at most
 * PRESENCE_VALUE_MAX bytes, and in Graph's enumerations in GRAPH mode.
 * Returns 0 or STORE_EINVAL with fault filled (fault may be NULL).
 */
int presence_validate(const struct presence *p, enum presence_mode mode,
    struct fault *fault);

/*
 * Check one value of len bytes for the named property ("availability" or
 * "activity"); the rules of presence_validate.
 */
int presence_check_value(const char *property, const char *value, size_t len,
    enum presence_mode mode, struct fault *fault);

/* Graph's values for availability and activity: NULL-terminated, static. */
extern const char *const presence_availabilities[];
extern const char *const presence_activities[];

/* Parse "any" or "graph"; 0 or STORE_EINVAL. */
int presence_mode_parse(const char *s, enum presence_mode *mode);

/* "any" or "graph". */
const char *presence_mode_name(enum presence_mode mode);

/*
 * The wall clock in milliseconds since the epoch, UTC: the clock every
 * stamp, expiry and computed presence is read against.
 */
int64_t presence_now(void);

/* Format ms since the epoch as Graph's UTC date-time with milliseconds. */
void presence_format_time(int64_t ms, char out[PRESENCE_TIME_LEN + 1]);

/*
 * Parse a time as presence_format_time writes it (only that canonical
 * form) into *ms; 0 or -1.
 */
int presence_parse_time(const char *s, int64_t *ms);

/*
 * The UTC date y-mo-d and time h:mi:sec, fields as written (mo from 1),
 * as seconds since the epoch; a second of 60 counts as the next minute's
 * first.  The caller checks the ranges (presence_date_valid).
 */
int64_t presence_utc_seconds(int y, int mo, int d, int h, int mi, int sec);

/*
 * Whether y-mo-d is a day of the Gregorian calendar (the day within its
 * month's length, February 29 in leap years only) and h:mi:sec a time of
 * it, 00:00:00 to 23:59:59 (no leap second).  The year is not bounded.
 */
int presence_date_valid(int y, int mo, int d, int h, int mi, int sec);

/* Format a sequence as fixed-width hex, so string order is write order. */
void presence_format_sequence(uint64_t sequence,
    char out[PRESENCE_SEQUENCE_LEN + 1]);

#endif
