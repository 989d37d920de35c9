/*
 * The inspect view's model: one presence as stored, what it shows at an
 * instant (presence_view, the responder's rule), each active session's
 * phase and countdowns, the session the cursor is on, and a question
 * waiting for its answer (clear the preferred presence, clear a session).
 * Curses-free, so tests drive it directly over a real store.
 *
 * Every read is one store_get (one short read transaction); no
 * transaction is held between calls.  The instant is the caller's, so
 * tests can look at one presence at any time; the console passes
 * presence_now().
 */
#ifndef PRESENCE_CONSOLE_DETAIL_H
#define PRESENCE_CONSOLE_DETAIL_H

#include <stddef.h>
#include <stdint.h>

#include "presence.h"
#include "status.h"
#include "store.h"

#define DETAIL_STATUS_ARG	(2 * PRESENCE_VALUE_MAX + SESSION_ID_MAX + 32)
#define DETAIL_SPAN_LEN		64	/* "365d 23h 59m 59s", with room */
#define DETAIL_PAIR_LEN		(2 * PRESENCE_VALUE_MAX + 2)

/* The question waiting for a y/N answer. */
enum detail_ask {
	DETAIL_ASK_NONE,
	DETAIL_ASK_UNPREFER,	/* clear the preferred presence? */
	DETAIL_ASK_SESSION,	/* clear the session d->asked? */
};

struct detail {
	struct store		*st;		/* borrowed */
	int			 read_only;
	char			 id[GUID_LEN + 1];
	int			 rc;		/* of the last read: 0 or
						   STORE_ENOTFOUND */
	int64_t			 now;		/* the instant shown */
	struct presence		 p;		/* as stored */
	struct presence_view	 view;		/* what p shows at now */
	size_t			 active[PRESENCE_SESSIONS_MAX]; /* indexes in
						   p.sessions of those not
						   expired at now */
	size_t			 nactive;
	char			 session[SESSION_ID_MAX + 1]; /* selected, or "" */
	enum detail_ask		 ask;
	char			 asked[SESSION_ID_MAX + 1];
	enum status_code	 status;
	char			 status_arg[DETAIL_STATUS_ARG];
};

/* One active session as the inspect view lists it. */
struct detail_row {
	const char	*id;			/* borrowed from the detail */
	char		 set[DETAIL_PAIR_LEN];	/* the pair setPresence gave */
	char		 shows[DETAIL_PAIR_LEN]; /* the pair it reads as now */
	char		 fades[DETAIL_SPAN_LEN]; /* to its next fade, or "-" */
	char		 expires[DETAIL_SPAN_LEN]; /* to its expiry */
	int		 selected;
};

/* Start a detail over st; nothing is read until detail_load. */
void detail_init(struct detail *d, struct store *st, int read_only);

/*
 * Read the presence with canonical id and compute what it shows at now.
 * The selected session stays when it is still active, else the first
 * active one is selected (a new id starts afresh, as does an answer still
 * pending about another presence).  d->rc says whether the presence
 * exists.  Returns 0 (also for a presence that is gone) or a STORE_E*.
 */
int detail_load(struct detail *d, const char *id, int64_t now);

/*
 * Move the selection step sessions (1 next, -1 previous), wrapping.  The
 * status says so when there is no active session.
 */
void detail_select(struct detail *d, int step);

/* Fill *row for active session number i (0 <= i < d->nactive). */
void detail_row(const struct detail *d, size_t i, struct detail_row *row);

/*
 * The preferred presence as "Busy/Busy" into pair and the time until it
 * expires into span; returns 0 when none is set (or it has expired).
 */
int detail_preferred(const struct detail *d, char pair[DETAIL_PAIR_LEN],
    char span[DETAIL_SPAN_LEN]);

/* The time to the view's next clock event into span, or "-" when none. */
void detail_next_event(const struct detail *d, char span[DETAIL_SPAN_LEN]);

/* Where the view's values come from, in words. */
const char *detail_source(const struct detail *d);

/*
 * Ask to clear the preferred presence, or the selected session.  Refused
 * (status set) when read-only, when there is nothing to clear, or when the
 * presence is gone.
 */
void detail_ask_unprefer(struct detail *d);
void detail_ask_session(struct detail *d);

/*
 * Answer the pending question: yes clears through store_preferred_clear
 * or store_session_clear, anything else keeps; then the presence is read
 * again at now.  Returns 0 or a STORE_E* code that the status line cannot
 * say (the database failed).
 */
int detail_answer(struct detail *d, int yes, int64_t now);

/*
 * A remaining time as a countdown: "59s", "4m 59s", "3h 59m 59s",
 * "6d 23h 59m 59s", whole seconds rounded up so it reads 0s only when
 * the time has come.
 */
void detail_span(int64_t ms, char span[DETAIL_SPAN_LEN]);

/* Set or clear the status. */
void detail_set_status(struct detail *d, enum status_code code,
    const char *arg);

#endif
