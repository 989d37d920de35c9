/* A whole list through a window of screen rows: cursor, scrolling, paging. */
#include <stdlib.h>

#include "store.h"
#include "window.h"

/* Scroll so the cursor is on screen, and the screen as full as can be. */
static void
window_scroll(struct window *w)
{
	if (w->height == 0) {
		w->top = w->cursor;
		return;
	}
	if (w->cursor < w->top)
		w->top = w->cursor;
	else if (w->cursor >= w->top + w->height)
		w->top = w->cursor - w->height + 1;
	if (w->n >= w->height && w->top > w->n - w->height)
		w->top = w->n - w->height;
	else if (w->n < w->height)
		w->top = 0;
}

/* Show height rows. */
void
window_resize(struct window *w, size_t height)
{
	w->height = height;
	window_scroll(w);
}

/* Put the cursor on row i, clamped, and scroll. */
void
window_place(struct window *w, size_t i)
{
	w->cursor = w->n == 0 ? 0 : i < w->n ? i : w->n - 1;
	window_scroll(w);
}

/* One past the last row on screen. */
size_t
window_end(const struct window *w)
{
	return w->n - w->top < w->height ? w->n : w->top + w->height;
}

/* The row delta rows from the cursor, stopping at either end. */
size_t
window_step(const struct window *w, long delta)
{
	size_t	steps = delta < 0 ? (size_t)-delta : (size_t)delta;

	if (w->n == 0)
		return 0;
	if (delta < 0)
		return steps > w->cursor ? 0 : w->cursor - steps;
	return steps > w->n - 1 - w->cursor ? w->n - 1 : w->cursor + steps;
}

/* Read a whole list, page after page, into a fresh array. */
int
window_read(size_t size, size_t page, window_page_fn *fn, void *arg,
    void **rows, size_t *n)
{
	unsigned char	*all = NULL, *grown;
	size_t		 cap = 0, got;
	int		 more = 1, rc;

	*rows = NULL;
	*n = 0;
	while (more) {
		if (cap - *n < page) {
			grown = realloc(all, (cap + page) * size);
			if (grown == NULL) {
				rc = STORE_ENOMEM;
				goto fail;
			}
			all = grown;
			cap += page;
		}
		rc = fn(arg, *n > 0 ? all + (*n - 1) * size : NULL,
		    all + *n * size, page, &got, &more);
		if (rc != 0)
			goto fail;
		*n += got;
	}
	*rows = all;
	return 0;
fail:
	free(all);
	*n = 0;
	return rc;
}
