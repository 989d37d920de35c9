/* GUID generation and parsing. */
#include <string.h>

#include "error.h"
#include "guid.h"
#include "tap.h"

/* Whether s looks like a version 4, RFC 4122 variant, lowercase GUID. */
static int
is_v4(const char *s)
{
	return guid_is_canonical(s) && s[14] == '4' &&
	    strchr("89ab", s[19]) != NULL;
}

int
main(void)
{
	char	a[GUID_LEN + 1], b[GUID_LEN + 1], out[GUID_LEN + 1];
	uint8_t	raw[GUID_BYTES];
	int	i, all_v4 = 1, all_distinct = 1;

	is_int(guid_generate(a), 0, "generate succeeds");
	ok(is_v4(a), "generated '%s' is a lowercase v4 GUID", a);
	for (i = 0; i < 1000; i++) {
		guid_generate(b);
		all_v4 &= is_v4(b);
		all_distinct &= strcmp(a, b) != 0;
	}
	ok(all_v4, "1000 more are all v4");
	ok(all_distinct, "none repeats the first");

	is_int(guid_parse("BA441C11-1C11-BA44-111C-44BA111C44BA", 36, out), 0,
	    "upper case parses");
	is_str(out, "ba441c11-1c11-ba44-111c-44ba111c44ba", "and is lowered");
	is_int(guid_parse("ba441c11-1c11-ba44-111c-44ba111c44ba", 36, out), 0,
	    "lower case parses");
	is_int(guid_parse("ba441c11-1c11-ba44-111c-44ba111c44b", 35, out),
	    STORE_EINVAL, "too short is refused");
	is_str(out, "", "and leaves out empty");
	is_int(guid_parse("ba441c11-1c11-ba44-111c-44ba111c44baa", 37, out),
	    STORE_EINVAL, "too long is refused");
	is_int(guid_parse("ba441c11-1c11-ba44-111c-44ba111c44bg", 36, out),
	    STORE_EINVAL, "a non-hex digit is refused");
	is_int(guid_parse("ba441c111c11-ba44-111c-44ba111c44ba0", 36, out),
	    STORE_EINVAL, "a misplaced dash is refused");
	is_int(guid_parse("{a441c11-1c11-ba44-111c-44ba111c44b}", 36, out),
	    STORE_EINVAL, "braces are refused");
	is_int(guid_parse(NULL, 0, out), STORE_EINVAL, "NULL is refused");
	ok(!guid_is_canonical("BA441C11-1C11-BA44-111C-44BA111C44BA"),
	    "upper case is not canonical");
	ok(guid_is_canonical("ba441c11-1c11-ba44-111c-44ba111c44ba"),
	    "lower case is canonical");

	guid_to_bytes("ba441c11-1c11-ba44-111c-44ba111c44ba", raw);
	ok(memcmp(raw, "\xba\x44\x1c\x11\x1c\x11\xba\x44\x11\x1c\x44\xba"
	    "\x11\x1c\x44\xba", GUID_BYTES) == 0, "its bytes in text order");
	guid_from_bytes(raw, out);
	is_str(out, "ba441c11-1c11-ba44-111c-44ba111c44ba",
	    "and back to the same text");
	guid_to_bytes(a, raw);
	guid_from_bytes(raw, out);
	is_str(out, a, "a generated GUID round-trips through its bytes");
	return tap_done();
}
