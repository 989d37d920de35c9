/*
 * The Subscriptions screen's model: every change-notification
 * subscription in id order (whoever owns it), which one the cursor is
 * on, which rows are on screen and a deletion waiting for its answer.
 * Curses-free, so tests drive it directly over a real store.
 *
 * Every read takes all of them, SUBS_PAGE at a time through
 * store_subscription_page, each page in a short read transaction of its
 * own; no transaction is held between calls.  The cursor follows a
 * subscription's id across reads.  Subscriptions are few (each lives at
 * most an hour and is renewed by its client), so reading them all on
 * every change of the database is cheap.
 */
#ifndef PRESENCE_CONSOLE_SUBS_H
#define PRESENCE_CONSOLE_SUBS_H

#include <stddef.h>
#include <stdint.h>

#include "guid.h"
#include "status.h"
#include "store.h"
#include "window.h"

#define SUBS_PAGE		32	/* subscriptions read per transaction */

struct subs {
	struct store		*st;		/* borrowed */
	int			 read_only;
	struct subscription_row	*rows;		/* every one, by id */
	struct window		 win;		/* their count, cursor, screen */
	char			 selected[GUID_LEN + 1]; /* or "" */
	uint64_t		 txn_id;	/* as of the last read */
	char			 confirm[GUID_LEN + 1]; /* delete? or "" */
	enum status_code	 status;
	char			 status_arg[GUID_LEN + 1];
};

/* Start an empty list over st; nothing is read until subs_reload. */
void subs_init(struct subs *s, struct store *st, int read_only);

/* Free the rows. */
void subs_release(struct subs *s);

/* Show height rows, scrolling so the cursor stays on screen. */
void subs_resize(struct subs *s, size_t height);

/*
 * Read every subscription again and put the cursor back on the selected
 * id (or the one after it when it is gone).  On an error the rows read
 * before stay.  Returns 0, STORE_ENOMEM or the store's error.
 */
int subs_reload(struct subs *s);

/*
 * Read again when the database changed since the last read (its last
 * transaction id: a delivery changes it too, so the backlog and the
 * last result follow); *changed says whether it did.
 */
int subs_poll(struct subs *s, int *changed);

/* Move the cursor delta rows (negative: up), scrolling as needed. */
void subs_move(struct subs *s, long delta);

/* Select the first or the last subscription. */
void subs_first(struct subs *s);
void subs_last(struct subs *s);

/* The selected subscription, or NULL when there is none. */
const struct subscription_row *subs_current(const struct subs *s);

/*
 * Ask to delete the selected subscription: its id waits in s->confirm
 * until subs_delete_answer.  Refused (status set) when read-only or empty.
 */
void subs_delete_ask(struct subs *s);

/*
 * Answer the pending question: yes deletes through
 * store_subscription_delete (with its backlog, and no lifecycle event, as
 * the client's own DELETE does), anything else keeps.  Returns 0 or the
 * store's error.
 */
int subs_delete_answer(struct subs *s, int yes);

/* Set or clear the status line. */
void subs_set_status(struct subs *s, enum status_code code, const char *arg);

#endif
