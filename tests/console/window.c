/* The window both list screens scroll: cursor, screen rows and steps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "window.h"

/* A window over n rows showing height of them, the cursor on the first. */
static struct window
window_of(size_t n, size_t height)
{
	struct window	w;

	memset(&w, 0, sizeof w);
	w.n = n;
	window_resize(&w, height);
	return w;
}

/* No rows: nothing to place, nothing on screen. */
static void
test_empty(void)
{
	struct window	w = window_of(0, 10);

	window_place(&w, 5);
	is_int(w.cursor, 0, "an empty list keeps the cursor at 0");
	is_int(w.top, 0, "and the screen at the top");
	is_int(window_step(&w, 3), 0, "a step goes nowhere");
	is_int(window_end(&w), 0, "no row is on screen");
}

/* Fewer rows than the screen: all of them show, whatever the cursor. */
static void
test_short(void)
{
	struct window	w = window_of(4, 10);

	window_place(&w, 3);
	is_int(w.top, 0, "a short list stays at the top");
	is_int(window_end(&w), 4, "with every row on screen");
	window_place(&w, 9);
	is_int(w.cursor, 3, "placing past the end takes the last row");
}

/* A long list scrolls just enough to keep the cursor on screen. */
static void
test_scroll(void)
{
	struct window	w = window_of(50, 10);

	is_int(window_end(&w), 10, "the first screen shows ten rows");
	window_place(&w, window_step(&w, 15));
	is_int(w.cursor, 15, "down 15");
	is_int(w.top, 6, "puts the cursor on the last line");
	window_place(&w, window_step(&w, -3));
	is_int(w.top, 6, "up a few stays on the same screen");
	window_place(&w, window_step(&w, -10));
	is_int(w.cursor, 2, "a page up");
	is_int(w.top, 2, "scrolls up to it");
	is_int(window_step(&w, -10), 0, "a step up stops at the first row");
	is_int(window_step(&w, 1000), 49, "a step down stops at the last");
	window_place(&w, 49);
	is_int(w.top, 40, "the last row leaves a full screen");
	is_int(window_end(&w), 50, "ending with it");
}

/* A new height keeps the cursor on screen and the screen full. */
static void
test_resize(void)
{
	struct window	w = window_of(50, 10);

	window_place(&w, 45);
	window_resize(&w, 20);
	is_int(w.top, 30, "a taller screen shows more rows above");
	window_place(&w, 25);
	window_resize(&w, 5);
	is_int(w.top, 25, "a shorter one keeps the cursor on its first line");
	is_int(window_end(&w), 30, "showing five rows");
	window_resize(&w, 0);
	is_int(w.top, 25, "no rows at all: the screen starts at the cursor");
	is_int(window_end(&w), 25, "and shows nothing");
}

int
main(void)
{
	test_empty();
	test_short();
	test_scroll();
	test_resize();
	return tap_done();
}
