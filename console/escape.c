/* Display-safe text: escape what must never reach a terminal raw. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700	/* wcwidth */
#endif
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "error.h"
#include "escape.h"
#include "utf8.h"

/* Whether cp is a control or an invisible formatting character. */
static int
escape_is_format(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c ||
	    (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff ||
	    (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f);
}

/* Append the escape for one character that must not be shown raw. */
static int
escape_one(uint32_t cp, struct buf *out)
{
	switch (cp) {
	case '\\':	return buf_adds(out, "\\\\");
	case '\t':	return buf_adds(out, "\\t");
	case '\n':	return buf_adds(out, "\\n");
	case '\r':	return buf_adds(out, "\\r");
	}
	if (cp < 0x80)
		return buf_printf(out, "\\x%02x", (unsigned)cp);
	if (cp <= 0xffff)
		return buf_printf(out, "\\u%04x", (unsigned)cp);
	return buf_printf(out, "\\U%08x", (unsigned)cp);
}

/* Whether cp may be shown as it is. */
static int
escape_is_safe(uint32_t cp, int flags)
{
	if (cp == '\\' || escape_is_format(cp))
		return 0;
	if (cp < 0x80)
		return 1;
	if (flags & ESCAPE_ASCII)
		return 0;
	return wcwidth((wchar_t)cp) >= 0;
}

/* Append the display form of len bytes of s to out. */
int
escape_text(const char *s, size_t len, int flags, struct buf *out)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;
	size_t			 i, n;
	int			 rc;

	if ((rc = buf_add(out, "", 0)) != 0)
		return rc;
	for (i = 0; i < len; i += n) {
		n = utf8_next(p + i, len - i, &cp);
		if (n == 0) {
			rc = buf_printf(out, "\\x%02x", p[i]);
			n = 1;
		} else if (escape_is_safe(cp, flags))
			rc = buf_add(out, p + i, n);
		else
			rc = escape_one(cp, out);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* The columns one character of escaped text takes. */
static size_t
escape_cols(uint32_t cp)
{
	int	w;

	if (cp < 0x80)
		return 1;
	w = wcwidth((wchar_t)cp);
	return w > 0 ? (size_t)w : 0;
}

/* The terminal columns that escaped text takes. */
size_t
escape_width(const char *s)
{
	size_t	width;

	escape_fit(s, (size_t)-1, &width);
	return width;
}

/* The bytes of the longest leading part of s that fits in cols columns. */
size_t
escape_fit(const char *s, size_t cols, size_t *width)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), i, n, w = 0, cw;
	uint32_t		 cp;

	for (i = 0; i < len; i += n) {
		if ((n = utf8_next(p + i, len - i, &cp)) == 0) {
			n = 1;
			cp = '?';
		}
		cw = escape_cols(cp);
		if (w + cw > cols)
			break;
		w += cw;
	}
	if (width != NULL)
		*width = w;
	return i;
}
