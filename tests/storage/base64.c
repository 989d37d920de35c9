/* base64url without padding: RFC 4648's vectors and strict decoding. */
#include <string.h>

#include "base64.h"
#include "tap.h"

/* Encode s, compare with want, and decode it back. */
static void
round_trip(const char *s, const char *want)
{
	char	enc[64], dec[64];
	size_t	len = strlen(s), n;

	is_int((int)base64url_encode(s, len, enc), (int)strlen(want),
	    "'%s' encodes to %zu characters", s, strlen(want));
	is_str(enc, want, "'%s' encodes as RFC 4648 says", s);
	is_int((int)BASE64URL_LEN(len), (int)strlen(want),
	    "BASE64URL_LEN(%zu) agrees", len);
	is_int(base64url_decode(enc, strlen(enc), dec, &n), 0,
	    "'%s' decodes", enc);
	ok(n == len && memcmp(dec, s, len) == 0, "back to '%s'", s);
}

int
main(void)
{
	unsigned char	all[256], back[256];
	char		enc[BASE64URL_LEN(256) + 1];
	size_t		i, n;

	round_trip("", "");
	round_trip("f", "Zg");
	round_trip("fo", "Zm8");
	round_trip("foo", "Zm9v");
	round_trip("foob", "Zm9vYg");
	round_trip("fooba", "Zm9vYmE");
	round_trip("foobar", "Zm9vYmFy");

	for (i = 0; i < sizeof all; i++)
		all[i] = (unsigned char)(255 - i);
	base64url_encode(all, sizeof all, enc);
	ok(strchr(enc, '+') == NULL && strchr(enc, '/') == NULL &&
	    strchr(enc, '=') == NULL, "the URL alphabet, no padding");
	ok(strchr(enc, '-') != NULL && strchr(enc, '_') != NULL,
	    "62 and 63 are '-' and '_'");
	ok(base64url_decode(enc, strlen(enc), back, &n) == 0 &&
	    n == sizeof all && memcmp(all, back, n) == 0,
	    "every byte value round-trips");

	is_int(base64url_decode("Zm9v+A", 6, back, &n), -1,
	    "'+' is refused");
	is_int(base64url_decode("Zm9v/A", 6, back, &n), -1,
	    "'/' is refused");
	is_int(base64url_decode("Zg==", 4, back, &n), -1,
	    "padding is refused");
	is_int(base64url_decode("Zm9vY", 5, back, &n), -1,
	    "a length no encoding has is refused");
	is_int(base64url_decode("Zh", 2, back, &n), -1,
	    "non-zero unused bits are refused, so each encoding is unique");
	is_int(base64url_decode("Zm9\0", 4, back, &n), -1,
	    "a NUL is refused");
	ok(base64url_char('A') && base64url_char('_') && !base64url_char('='),
	    "base64url_char knows the alphabet");
	return tap_done();
}
