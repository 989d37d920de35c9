/* A one-line text editor over a fixed UTF-8 buffer. */
#include <string.h>

#include "line.h"

/* Whether byte c continues a UTF-8 sequence. */
static int
line_is_continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Make an empty line that takes at most max bytes. */
void
line_init(struct line *l, size_t max)
{
	memset(l, 0, sizeof *l);
	l->max = max < LINE_CAP ? max : LINE_CAP;
}

/* Replace the text with s, cut at a character boundary within max bytes. */
void
line_set(struct line *l, const char *s)
{
	size_t	n = strlen(s);

	if (n > l->max) {
		n = l->max;
		while (n > 0 && line_is_continuation((unsigned char)s[n]))
			n--;
	}
	memcpy(l->text, s, n);
	l->text[n] = '\0';
	l->len = l->cursor = n;
}

/* Insert n bytes at the cursor unless they hold a control byte. */
int
line_insert(struct line *l, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return -1;
	if (n == 0 || l->len + n > l->max)
		return -1;
	memmove(l->text + l->cursor + n, l->text + l->cursor,
	    l->len - l->cursor + 1);
	memcpy(l->text + l->cursor, s, n);
	l->len += n;
	l->cursor += n;
	return 0;
}

/* Insert one character given by its code point, encoded as UTF-8. */
int
line_insert_char(struct line *l, unsigned long cp)
{
	char	u[4];

	if (cp < 0x80) {
		u[0] = (char)cp;
		return line_insert(l, u, 1);
	}
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return -1;
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		return line_insert(l, u, 2);
	}
	if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		return line_insert(l, u, 3);
	}
	u[0] = (char)(0xf0 | cp >> 18);
	u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	u[3] = (char)(0x80 | (cp & 0x3f));
	return line_insert(l, u, 4);
}

/* The offset of the character before the cursor. */
static size_t
line_prev(const struct line *l)
{
	size_t	at = l->cursor;

	while (at > 0 && line_is_continuation((unsigned char)l->text[--at]))
		continue;
	return at;
}

/* The offset just after the character under the cursor. */
static size_t
line_next(const struct line *l)
{
	size_t	at = l->cursor;

	if (at < l->len)
		at++;
	while (at < l->len && line_is_continuation((unsigned char)l->text[at]))
		at++;
	return at;
}

/* Remove the bytes [from, to). */
static void
line_cut(struct line *l, size_t from, size_t to)
{
	memmove(l->text + from, l->text + to, l->len - to + 1);
	l->len -= to - from;
	l->cursor = from;
}

/* Delete the character before the cursor. */
int
line_backspace(struct line *l)
{
	if (l->cursor == 0)
		return -1;
	line_cut(l, line_prev(l), l->cursor);
	return 0;
}

/* Delete the character under the cursor. */
int
line_delete(struct line *l)
{
	if (l->cursor == l->len)
		return -1;
	line_cut(l, l->cursor, line_next(l));
	return 0;
}

/* Move the cursor one character left. */
int
line_left(struct line *l)
{
	if (l->cursor == 0)
		return -1;
	l->cursor = line_prev(l);
	return 0;
}

/* Move the cursor one character right. */
int
line_right(struct line *l)
{
	if (l->cursor == l->len)
		return -1;
	l->cursor = line_next(l);
	return 0;
}

/* Move the cursor to the start. */
void
line_home(struct line *l)
{
	l->cursor = 0;
}

/* Move the cursor to the end. */
void
line_end(struct line *l)
{
	l->cursor = l->len;
}

/* Delete everything before the cursor. */
void
line_kill(struct line *l)
{
	line_cut(l, 0, l->cursor);
}
