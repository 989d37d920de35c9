/*
 * The Tokens screen's model: the tokens in name order, which one the
 * cursor is on, which rows are on screen and a revocation waiting for its
 * answer.  Curses-free, so tests drive it directly over a real store.
 *
 * Tokens are few (one per client or operator), so every read takes all of
 * them, ROSTER_PAGE at a time through store_token_page, each page in a
 * short read transaction of its own; no transaction is held between calls.
 * The cursor follows a token's name across reads.
 */
#ifndef PRESENCE_CONSOLE_ROSTER_H
#define PRESENCE_CONSOLE_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"
#include "store.h"
#include "token.h"
#include "window.h"

#define ROSTER_PAGE		128	/* tokens read per transaction */
#define ROSTER_STATUS_ARG	(TOKEN_NAME_MAX + 1)
#define ROSTER_TIME_LEN		16	/* "2026-11-28 07:35" */

struct roster {
	struct store		*st;		/* borrowed */
	int			 read_only;
	struct token		*rows;		/* every token, by name */
	struct window		 win;		/* their count, cursor, screen */
	char			 selected[TOKEN_NAME_MAX + 1]; /* or "" */
	uint64_t		 txn_id;	/* as of the last read */
	char			 confirm[TOKEN_NAME_MAX + 1]; /* revoke? or "" */
	enum status_code	 status;
	char			 status_arg[ROSTER_STATUS_ARG];
};

/* Start an empty roster over st; nothing is read until roster_reload. */
void roster_init(struct roster *r, struct store *st, int read_only);

/* Free the rows. */
void roster_release(struct roster *r);

/* Show height rows, scrolling so the cursor stays on screen. */
void roster_resize(struct roster *r, size_t height);

/*
 * Read every token again and put the cursor back on the selected name
 * (or the one after it when it is gone).  On an error the rows read
 * before stay.  Returns 0, STORE_ENOMEM or the store's error.
 */
int roster_reload(struct roster *r);

/*
 * Read again when the database changed since the last read (its last
 * transaction id); *changed says whether it did.
 */
int roster_poll(struct roster *r, int *changed);

/* Move the cursor delta rows (negative: up), scrolling as needed. */
void roster_move(struct roster *r, long delta);

/* Select the first or the last token. */
void roster_first(struct roster *r);
void roster_last(struct roster *r);

/* Select the token named name (or the one after it); 0 or STORE_E*. */
int roster_select(struct roster *r, const char *name);

/* The selected token, or NULL when there is none. */
const struct token *roster_current(const struct roster *r);

/*
 * Ask to revoke the selected token: its name waits in r->confirm until
 * roster_revoke_answer.  Refused (status set) when read-only or empty.
 */
void roster_revoke_ask(struct roster *r);

/*
 * Answer the pending question: yes revokes through store_token_revoke,
 * anything else keeps.  Returns 0 or the store's error.
 */
int roster_revoke_answer(struct roster *r, int yes);

/* Set or clear the status line. */
void roster_set_status(struct roster *r, enum status_code code,
    const char *arg);

/* Whether t has expired at now (milliseconds since the epoch). */
int roster_expired(const struct token *t, int64_t now);

/* Write ms as "2026-11-28 07:35" (UTC, to the minute), for tables. */
void roster_format_time(int64_t ms, char out[ROSTER_TIME_LEN + 1]);

#endif
