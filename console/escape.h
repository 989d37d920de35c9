/*
 * Display-safe text.  Stored values are checked on write, but a display
 * never trusts data: control characters, escape sequences, invalid UTF-8
 * and invisible formatting characters are shown as backslash escapes,
 * never sent to the terminal raw.  Curses-free.
 */
#ifndef PRESENCE_CONSOLE_ESCAPE_H
#define PRESENCE_CONSOLE_ESCAPE_H

#include <stddef.h>

#include "buf.h"

#define ESCAPE_ASCII	0x1	/* escape every non-ASCII character too */

/*
 * Append the display form of len bytes of s to out: printable characters
 * as they are, a backslash as "\\", tab, newline and carriage return as
 * "\t", "\n" and "\r", other control bytes and bytes of invalid UTF-8 as
 * "\xHH", and control, formatting or (in the current locale) unprintable
 * characters as "\uHHHH" or "\UHHHHHHHH".  The result is valid UTF-8 of
 * printable characters only.  Returns 0 or STORE_ENOMEM.
 */
int escape_text(const char *s, size_t len, int flags, struct buf *out);

/* The terminal columns that escaped text (as escape_text made it) takes. */
size_t escape_width(const char *s);

/*
 * The bytes of the longest leading part of escaped text s that fits in
 * cols columns; *width (when not NULL) is set to the columns it takes.
 */
size_t escape_fit(const char *s, size_t cols, size_t *width);

#endif
