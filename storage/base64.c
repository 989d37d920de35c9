/* base64url without padding, strict both ways. */
#include <stdint.h>

#include "base64.h"

static const char base64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* The value of c in the alphabet, or -1. */
static int
base64url_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

/* Whether c is one of base64url's 64 characters. */
int
base64url_char(char c)
{
	return base64url_value(c) >= 0;
}

/* Encode len bytes at in into out, NUL-terminated; the characters written. */
size_t
base64url_encode(const void *in, size_t len, char *out)
{
	const uint8_t	*p = in;
	size_t		 i, o = 0;
	uint32_t	 v;

	for (i = 0; i < len; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		out[o++] = base64url_alphabet[v >> 18 & 63];
		out[o++] = base64url_alphabet[v >> 12 & 63];
		if (i + 1 < len)
			out[o++] = base64url_alphabet[v >> 6 & 63];
		if (i + 2 < len)
			out[o++] = base64url_alphabet[v & 63];
	}
	out[o] = '\0';
	return o;
}

/* Decode len characters at in into out; 0, or -1 when not canonical. */
int
base64url_decode(const char *in, size_t len, void *out, size_t *n)
{
	uint8_t		*p = out;
	uint32_t	 v = 0;
	size_t		 i, o = 0;
	int		 c, bits = 0;

	*n = 0;
	if (len % 4 == 1)
		return -1;
	for (i = 0; i < len; i++) {
		if ((c = base64url_value(in[i])) < 0)
			return -1;
		v = (v << 6 | (uint32_t)c) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			p[o++] = (uint8_t)(v >> bits & 0xff);
		}
	}
	/* What is left over must be padding bits of zero. */
	if ((v & ((1u << bits) - 1)) != 0)
		return -1;
	*n = o;
	return 0;
}
