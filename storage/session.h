/*
 * What changes a presence over time: the sessions setPresence opens and
 * refreshes, and the preferred presence setUserPreferredPresence sets.
 * Plain fixed-size types: a struct presence holds them by value.
 */
#ifndef PRESENCE_STORAGE_SESSION_H
#define PRESENCE_STORAGE_SESSION_H

#include <stddef.h>
#include <stdint.h>

#define SESSION_MINUTE_MS	(60 * INT64_C(1000))
#define SESSION_DAY_MS		(24 * 60 * SESSION_MINUTE_MS)

#define PRESENCE_SESSIONS_MAX	16	/* sessions one presence may hold */
#define SESSION_ID_MAX		64	/* bytes of printable ASCII */

/* setPresence's expirationDuration: the default and the valid range. */
#define SESSION_DURATION_DEFAULT	(5 * SESSION_MINUTE_MS)
#define SESSION_DURATION_MIN		(5 * SESSION_MINUTE_MS)
#define SESSION_DURATION_MAX		(240 * SESSION_MINUTE_MS)

/*
 * An Available/Available session not refreshed for SESSION_FADE_MS reads
 * Available/AvailableInactive, and after SESSION_AWAY_MS Away/Away.
 */
#define SESSION_FADE_MS		(5 * SESSION_MINUTE_MS)
#define SESSION_AWAY_MS		(10 * SESSION_MINUTE_MS)

/*
 * setUserPreferredPresence's expirationDuration: 1 day for Busy and
 * DoNotDisturb, 7 days otherwise, when absent; at most
 * PREFERRED_DURATION_MAX (Graph documents no bound; this one is ours).
 */
#define PREFERRED_DURATION_SHORT	(1 * SESSION_DAY_MS)
#define PREFERRED_DURATION_LONG		(7 * SESSION_DAY_MS)
#define PREFERRED_DURATION_MAX		(365 * SESSION_DAY_MS)

/* One (availability, activity) pair of Graph's settable tables. */
struct presence_pair {
	const char	*availability;
	const char	*activity;
};

/* setPresence's pairs (graph-presence.md §1.3), by index. */
enum session_pair {
	SESSION_AVAILABLE,		/* Available/Available */
	SESSION_IN_A_CALL,		/* Busy/InACall */
	SESSION_IN_A_CONFERENCE_CALL,	/* Busy/InAConferenceCall */
	SESSION_AWAY,			/* Away/Away */
	SESSION_PRESENTING,		/* DoNotDisturb/Presenting */
	SESSION_NPAIRS
};

/* setUserPreferredPresence's pairs (§1.5), by index. */
enum preferred_pair {
	PREFERRED_AVAILABLE,		/* Available/Available */
	PREFERRED_BUSY,			/* Busy/Busy */
	PREFERRED_DO_NOT_DISTURB,	/* DoNotDisturb/DoNotDisturb */
	PREFERRED_BE_RIGHT_BACK,	/* BeRightBack/BeRightBack */
	PREFERRED_AWAY,			/* Away/Away */
	PREFERRED_OFF_WORK,		/* Offline/OffWork */
	PREFERRED_NPAIRS
};

/* The tables, indexed by the enums above; static. */
extern const struct presence_pair session_pairs[SESSION_NPAIRS];
extern const struct presence_pair preferred_pairs[PREFERRED_NPAIRS];

/* The index of (availability, activity) in a table, or -1. */
int session_pair_find(const char *availability, const char *activity);
int preferred_pair_find(const char *availability, const char *activity);

/*
 * Whether availability is the availability of some pair of the table
 * (so that a refused pair's fault can name the property at fault).
 */
int session_pair_has_availability(const char *availability);
int preferred_pair_has_availability(const char *availability);

/* One setPresence session as stored.  Times in ms since the epoch, UTC. */
struct presence_session {
	char		id[SESSION_ID_MAX + 1];	/* the client's sessionId */
	unsigned char	pair;			/* enum session_pair */
	int64_t		refreshed;		/* the last setPresence */
	int64_t		expires;		/* gone from this instant on */
};

/* The preferred presence as stored; pair and expires mean nothing unless set. */
struct presence_preferred {
	int		set;
	unsigned char	pair;			/* enum preferred_pair */
	int64_t		expires;		/* overrides until this instant */
};

/* Where a session stands at an instant. */
enum session_phase {
	SESSION_ACTIVE,		/* as set */
	SESSION_INACTIVE,	/* Available/AvailableInactive */
	SESSION_FADED,		/* Away/Away */
	SESSION_EXPIRED		/* gone */
};

/*
 * The phase of s at now, and (when the pointers are not NULL) the pair it
 * reads as then: static strings.
 */
enum session_phase session_phase(const struct presence_session *s,
    int64_t now, const char **availability, const char **activity);

/*
 * The instants at which s fades to Available/AvailableInactive and falls
 * to Away/Away, or 0 when it does not (it is not Available/Available, or
 * it expires first).
 */
int64_t session_fades_at(const struct presence_session *s);
int64_t session_away_at(const struct presence_session *s);

/*
 * Whether id (len bytes) may be a sessionId: 1..SESSION_ID_MAX bytes of
 * printable ASCII (0x20..0x7e).
 */
int session_id_valid(const char *id, size_t len);

#endif
