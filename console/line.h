/*
 * A one-line text editor: the buffer behind each field of the create form
 * and the find prompt.  Curses-free; the text is UTF-8 and the cursor a
 * byte offset that always sits on a character boundary.
 */
#ifndef PRESENCE_CONSOLE_LINE_H
#define PRESENCE_CONSOLE_LINE_H

#include <stddef.h>

#define LINE_CAP	1024	/* bytes a line can hold at most: a status
				   or out-of-office message's (1024) */

struct line {
	char	text[LINE_CAP + 1];	/* NUL-terminated */
	size_t	len;
	size_t	cursor;			/* byte offset, <= len */
	size_t	max;			/* bytes allowed, <= LINE_CAP */
};

/* Make an empty line that takes at most max bytes (capped to LINE_CAP). */
void line_init(struct line *l, size_t max);

/* Replace the text with s (cut at max bytes) and put the cursor at its end. */
void line_set(struct line *l, const char *s);

/*
 * Insert n bytes of UTF-8 at the cursor.  Returns 0, or -1 (and changes
 * nothing) when they hold a control character or do not fit.
 */
int line_insert(struct line *l, const char *s, size_t n);

/* Insert one character given by its code point, encoded as UTF-8. */
int line_insert_char(struct line *l, unsigned long cp);

/* Delete the character before the cursor; 0, or -1 at the start. */
int line_backspace(struct line *l);

/* Delete the character under the cursor; 0, or -1 at the end. */
int line_delete(struct line *l);

/* Move the cursor one character left or right; 0, or -1 at the edge. */
int line_left(struct line *l);
int line_right(struct line *l);

/* Move the cursor to the start or the end. */
void line_home(struct line *l);
void line_end(struct line *l);

/* Delete everything before the cursor (the shells' ^U). */
void line_kill(struct line *l);

#endif
