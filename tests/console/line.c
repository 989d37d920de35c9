/* The one-line editor behind the form's fields and the find prompt. */
#include <string.h>

#include "line.h"
#include "tap.h"

/* Typing, moving and deleting over ASCII text. */
static void
test_ascii(void)
{
	struct line	l;

	line_init(&l, 10);
	is_int(line_insert(&l, "abc", 3), 0, "insert at the end");
	is_str(l.text, "abc", "the text");
	is_int(l.cursor, 3, "the cursor follows");
	line_left(&l);
	line_insert_char(&l, 'X');
	is_str(l.text, "abXc", "insert in the middle");
	line_home(&l);
	is_int(line_left(&l), -1, "left stops at the start");
	is_int(line_backspace(&l), -1, "backspace at the start does nothing");
	is_int(line_delete(&l), 0, "delete under the cursor");
	is_str(l.text, "bXc", "the first character went");
	line_end(&l);
	is_int(line_right(&l), -1, "right stops at the end");
	is_int(line_delete(&l), -1, "delete at the end does nothing");
	line_left(&l);
	line_kill(&l);
	is_str(l.text, "c", "^U deletes before the cursor");
	is_int(l.cursor, 0, "and leaves the cursor at the start");
}

/* Multibyte characters move and delete as one. */
static void
test_utf8(void)
{
	struct line	l;

	line_init(&l, 32);
	line_insert_char(&l, 0xe9);		/* é */
	line_insert_char(&l, 0x65e5);		/* 日 */
	line_insert_char(&l, 0x1f600);		/* an emoji, 4 bytes */
	is_str(l.text, "\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80",
	    "code points are stored as UTF-8");
	line_left(&l);
	is_int(l.cursor, 5, "left skips a whole 4-byte character");
	line_left(&l);
	is_int(l.cursor, 2, "and a 3-byte one");
	is_int(line_backspace(&l), 0, "backspace");
	is_str(l.text, "\xe6\x97\xa5\xf0\x9f\x98\x80",
	    "removes the whole 2-byte character");
	line_right(&l);
	is_int(l.cursor, 3, "right skips a whole character");
	line_delete(&l);
	is_str(l.text, "\xe6\x97\xa5", "delete removes a whole character");
	is_int(line_insert_char(&l, 0xd800), -1, "a surrogate is refused");
	is_int(line_insert_char(&l, 0x110000), -1,
	    "a code point past U+10FFFF is refused");
}

/* Control characters and overflow are refused; line_set cuts cleanly. */
static void
test_limits(void)
{
	struct line	l;

	line_init(&l, 4);
	is_int(line_insert(&l, "a\x1b", 2), -1, "ESC is refused");
	is_int(line_insert_char(&l, '\n'), -1, "a newline is refused");
	is_int(line_insert_char(&l, 0x7f), -1, "DEL is refused");
	is_str(l.text, "", "nothing was inserted");
	is_int(line_insert(&l, "abcd", 4), 0, "up to max bytes fit");
	is_int(line_insert_char(&l, 'e'), -1, "one more does not");
	line_init(&l, 3);
	line_set(&l, "a\xc3\xa9\xc3\xa9");
	is_str(l.text, "a\xc3\xa9", "line_set cuts at a character boundary");
	is_int(l.cursor, 3, "and puts the cursor at the end");
	line_init(&l, LINE_CAP + 100);
	is_int(l.max, LINE_CAP, "max is capped to the buffer");
}

int
main(void)
{
	test_ascii();
	test_utf8();
	test_limits();
	return tap_done();
}
