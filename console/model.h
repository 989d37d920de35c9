/*
 * The list's model: which presences are on screen, which one the cursor is
 * on, the find prefix and a delete waiting for its answer.  Curses-free, so
 * tests drive it directly over a real store.
 *
 * It reads only what the screen shows.  Every call that changes the rows
 * reads one screen through store_page (a few short read transactions) and
 * returns; no transaction is held between calls.  The cursor follows a
 * record, not a row: after inserts, deletes or a refresh it stays on the
 * same id, at the same screen row when the rows around allow.
 */
#ifndef PRESENCE_CONSOLE_MODEL_H
#define PRESENCE_CONSOLE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "presence.h"
#include "status.h"
#include "store.h"

#define MODEL_STATUS_ARG 160

struct model {
	struct store		*st;		/* borrowed */
	int			 read_only;
	struct presence		*rows;		/* the screen, in key order */
	struct presence		*scratch;	/* for reads beside the screen */
	size_t			 height;	/* rows the screen shows */
	size_t			 n;		/* rows read, <= height */
	size_t			 cursor;	/* index of the selected row */
	int			 more_before;	/* rows exist above the screen */
	int			 more_after;	/* rows exist below it */
	char			 selected[GUID_LEN + 1]; /* "" when empty */
	size_t			 offset;	/* screen row wanted for it */
	struct store_stat	 stat;		/* as of the last read */
	char			 find[GUID_LEN + 1]; /* the last prefix sought */
	char			 confirm[GUID_LEN + 1]; /* a delete asked, or "" */
	enum status_code	 status;
	char			 status_arg[MODEL_STATUS_ARG];
};

/* Start an empty model over st; nothing is read until model_resize. */
void model_init(struct model *m, struct store *st, int read_only);

/* Free the rows. */
void model_release(struct model *m);

/*
 * Show height rows (0 is allowed: nothing is read) and read the screen.
 * Returns 0, STORE_ENOMEM or the store's error.
 */
int model_resize(struct model *m, size_t height);

/* Read the screen again around the selected record; 0 or STORE_E*. */
int model_reload(struct model *m);

/*
 * Check whether the database changed since the last read (its last
 * transaction id) and read the screen again if so.  *changed says whether
 * it did.  Cheap enough to call a few times a second.
 */
int model_poll(struct model *m, int *changed);

/*
 * Move the cursor delta records (negative: up), scrolling as needed; a
 * move of a whole screen keeps the cursor's screen row (page up/down).
 */
int model_move(struct model *m, long delta);

/* Select the first or the last presence. */
int model_first(struct model *m);
int model_last(struct model *m);

/* Select the presence with canonical id (or the one after it if gone). */
int model_select(struct model *m, const char *id);

/* The selected presence, or NULL when the list is empty. */
const struct presence *model_current(const struct model *m);

/*
 * Select the first presence whose id starts with prefix (hex digits and
 * dashes, any case).  Sets the status to say what happened; returns 0 or
 * the store's error (a prefix that matches nothing is not an error).
 */
int model_find(struct model *m, const char *prefix);

/* Select the next presence that matches the last prefix, wrapping. */
int model_find_next(struct model *m);

/*
 * Ask to delete the selected presence: the id waits in m->confirm until
 * model_delete_answer.  Refused (status set) when read-only or empty.
 */
void model_delete_ask(struct model *m);

/* Answer the pending question: yes deletes, anything else keeps. */
int model_delete_answer(struct model *m, int yes);

/*
 * The first instant after `after` at which a presence on screen shows
 * something else (presence_view's next clock event), or 0: none.
 */
int64_t model_next_event(const struct model *m, int64_t after);

/* Set or clear the status line. */
void model_set_status(struct model *m, enum status_code code,
    const char *arg);

#endif
