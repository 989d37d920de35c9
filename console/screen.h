/*
 * The terminal: starting and restoring it, colors with a monochrome
 * fallback, and drawing text that is always escaped first.  Every curses
 * call of the console goes through the files that include this header.
 */
#ifndef PRESENCE_CONSOLE_SCREEN_H
#define PRESENCE_CONSOLE_SCREEN_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1	/* the wide-character curses API */
#endif
#include <curses.h>

#include <stddef.h>

/* What a piece of the screen is; each has a color and a monochrome look. */
enum screen_role {
	SCREEN_NORMAL,
	SCREEN_TITLE,		/* the top line */
	SCREEN_HEADING,		/* column titles, section names */
	SCREEN_CURSOR,		/* the selected row */
	SCREEN_ERROR,
	SCREEN_KEY,		/* a key's name in the key bar */
	SCREEN_LABEL,		/* what the key does */
	SCREEN_FIELD,		/* a form field being typed into */
	SCREEN_DIM,		/* hints */
	SCREEN_ROLES
};

/*
 * Take over the terminal: curses mode, keypad, no echo, a short Esc
 * delay, the cursor hidden, colors unless color is 0 or the terminal has
 * none.  Returns 0, or -1 when the terminal cannot be used.
 */
int screen_begin(int color);

/* Give the terminal back as it was; safe to call twice or unstarted. */
void screen_end(void);

/* The attributes for a role. */
attr_t screen_attr(enum screen_role role);

/*
 * Draw len bytes of raw (untrusted) text at y, x in at most cols
 * columns, escaped first (see escape.h).  Returns the columns used.
 */
int screen_text(int y, int x, int cols, const char *raw, size_t len,
    enum screen_role role);

/* screen_text for a NUL-terminated string. */
int screen_str(int y, int x, int cols, const char *raw, enum screen_role role);

/* Fill cols columns at y, x with blanks in the role's look. */
void screen_blank(int y, int x, int cols, enum screen_role role);

/* The escape flags for this terminal (ESCAPE_ASCII unless UTF-8). */
int screen_escape_flags(void);

#endif
