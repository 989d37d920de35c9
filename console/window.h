/*
 * A list read whole into memory and seen through a window of screen rows:
 * how many rows there are, which one the cursor is on and which are on
 * screen.  Curses-free.  The Tokens screen's roster and the Subscriptions
 * screen's list each keep their rows in an array of their own type, fill
 * it through window_read and move over it with window_place.
 */
#ifndef PRESENCE_CONSOLE_WINDOW_H
#define PRESENCE_CONSOLE_WINDOW_H

#include <stddef.h>

struct window {
	size_t	n;		/* rows in the list */
	size_t	cursor;		/* index of the selected row, 0 when empty */
	size_t	top;		/* first row on screen */
	size_t	height;		/* rows the screen shows */
};

/*
 * Read one page of at most max rows into out, each after last (NULL: from
 * the first); *got says how many came and *more whether any are left.
 * Returns 0 or a negative STORE_E* code.
 */
typedef int window_page_fn(void *arg, const void *last, void *out,
    size_t max, size_t *got, int *more);

/* Show height rows, scrolling so the cursor stays on screen. */
void window_resize(struct window *w, size_t height);

/*
 * Put the cursor on row i (the last row when i is past it, 0 when the list
 * is empty) and scroll so that it is on screen and the screen is as full
 * as the rows allow.
 */
void window_place(struct window *w, size_t i);

/* One past the last row on screen. */
size_t window_end(const struct window *w);

/* The row delta rows from the cursor (negative: up), stopping at either end. */
size_t window_step(const struct window *w, long delta);

/*
 * Read a whole list of rows of size bytes, page rows at a time through
 * fn(arg, ...), into a fresh array: on 0, *rows (the caller frees it) holds
 * *n rows.  On an error nothing is kept and the error is
 * returned: STORE_ENOMEM or fn's.
 */
int window_read(size_t size, size_t page, window_page_fn *fn, void *arg,
    void **rows, size_t *n);

#endif
