/* Display-safe text: nothing unprintable reaches the terminal raw. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "escape.h"
#include "tap.h"

/* The escaped form of s (len bytes) with flags, in a static buffer. */
static const char *
escaped(const char *s, size_t len, int flags)
{
	static char	out[1024];
	struct buf	b;

	buf_init(&b);
	if (escape_text(s, len, flags, &b) != 0)
		tap_bail("escape_text failed");
	snprintf(out, sizeof out, "%s", b.data);
	buf_release(&b);
	return out;
}

#define ESC(s)		escaped((s), sizeof (s) - 1, 0)
#define ESC_ASCII(s)	escaped((s), sizeof (s) - 1, ESCAPE_ASCII)

/* Whether s holds a C0 control byte, DEL or a C1 control in UTF-8. */
static int
has_control(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;

	for (; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f ||
		    (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return 1;
	return 0;
}

/* Control characters, escape sequences and invalid UTF-8. */
static void
test_controls(void)
{
	is_str(ESC("Available"), "Available", "plain text is unchanged");
	is_str(ESC("a\x1b[31mred\x1b[0m"), "a\\x1b[31mred\\x1b[0m",
	    "an ANSI escape sequence is shown, not sent");
	is_str(ESC("\x1b]0;title\x07"), "\\x1b]0;title\\x07",
	    "an OSC title sequence is shown, not sent");
	is_str(ESC("\t\n\r"), "\\t\\n\\r", "tab, newline and return");
	is_str(ESC("\x01\x7f"), "\\x01\\x7f", "other controls and DEL");
	is_str(ESC("a\\b"), "a\\\\b", "a backslash is doubled");
	is_str(ESC("\xc2\x9b" "2J"), "\\u009b2J", "the C1 CSI is escaped");
	is_str(ESC("\xff\xfe"), "\\xff\\xfe", "invalid UTF-8 bytes");
	is_str(ESC("\xc3"), "\\xc3", "a truncated sequence");
	is_str(ESC("\xc0\xaf"), "\\xc0\\xaf", "an overlong form");
	is_str(ESC("\xed\xa0\x80"), "\\xed\\xa0\\x80", "a surrogate");
	is_str(ESC("x\xe2\x80\xaey"), "x\\u202ey",
	    "a right-to-left override is escaped");
	is_str(ESC("\xe2\x80\x8b"), "\\u200b", "a zero-width space");
	is_str(ESC("\xef\xbb\xbf"), "\\ufeff", "a byte order mark");
	is_str(ESC("\xf3\xa0\x81\x81"), "\\U000e0041", "a tag character");
	is_str(escaped("a\0b", 3, 0), "a\\x00b", "a NUL inside the value");
}

/* Printable non-ASCII text passes in UTF-8, and is escaped in ASCII. */
static void
test_unicode(void)
{
	is_str(ESC("caf\xc3\xa9"), "caf\xc3\xa9", "é passes");
	is_str(ESC("\xe6\x97\xa5\xe6\x9c\xac"), "\xe6\x97\xa5\xe6\x9c\xac",
	    "CJK passes");
	is_str(ESC_ASCII("caf\xc3\xa9"), "caf\\u00e9",
	    "é is escaped for an ASCII terminal");
	is_str(ESC_ASCII("\xf0\x9f\x98\x80"), "\\U0001f600",
	    "an emoji is escaped for an ASCII terminal");
}

/* Widths and fitting, for column layout. */
static void
test_width(void)
{
	size_t	w;

	is_int(escape_width("abc"), 3, "ASCII is one column a character");
	is_int(escape_width("\xe6\x97\xa5\xe6\x9c\xac"), 4,
	    "CJK is two columns a character");
	is_int(escape_fit("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, &w), 6,
	    "fit stops before a wide character that would not fit");
	is_int(w, 4, "and says the width it took");
	is_int(escape_fit("abcdef", 4, &w), 4, "fit cuts ASCII");
	is_int(escape_fit("ab", 10, &w), 2, "fit takes all when it fits");
	is_int(w, 2, "its width");
}

/* Every single byte, and random strings: never a control in the output. */
static void
test_sweep(void)
{
	char		s[64];
	const char	*out;
	int		i, j, bad = 0;

	for (i = 0; i < 256; i++) {
		s[0] = (char)i;
		if (has_control(escaped(s, 1, 0)))
			bad++;
	}
	is_int(bad, 0, "no single byte passes through as a control");
	srand(7);
	for (i = 0; i < 20000 && bad == 0; i++) {
		for (j = 0; j < (int)sizeof s; j++)
			s[j] = (char)(rand() & 0xff);
		out = escaped(s, sizeof s, 0);
		bad += has_control(out);
	}
	is_int(bad, 0, "no random string passes a control through");
}

/* In the C locale anything beyond ASCII is escaped. */
static void
test_c_locale(void)
{
	setlocale(LC_ALL, "C");
	is_str(ESC("caf\xc3\xa9"), "caf\\u00e9",
	    "a non-UTF-8 locale escapes é");
}

int
main(void)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		tap_bail("the C.UTF-8 locale is missing");
	test_controls();
	test_unicode();
	test_width();
	test_sweep();
	test_c_locale();
	return tap_done();
}
