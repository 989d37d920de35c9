/* GUIDs: random version 4 generation and canonical parsing. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>

#include "error.h"
#include "guid.h"

static const char guid_hex[] = "0123456789abcdef";

/* Whether position i of a GUID holds a dash. */
static int
guid_dash_at(size_t i)
{
	return i == 8 || i == 13 || i == 18 || i == 23;
}

/* Fill n bytes from the kernel's CSPRNG; 0 or STORE_EIO. */
static int
guid_random(uint8_t *out, size_t n)
{
	ssize_t	got;

	while (n > 0) {
		got = getrandom(out, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return STORE_EIO;
		}
		out += got;
		n -= (size_t)got;
	}
	return 0;
}

/* Write a random version 4 GUID, lowercase and NUL-terminated. */
int
guid_generate(char out[GUID_LEN + 1])
{
	uint8_t	 raw[16];
	size_t	 i, j;

	out[0] = '\0';
	if (guid_random(raw, sizeof raw) != 0)
		return STORE_EIO;
	raw[6] = (uint8_t)((raw[6] & 0x0f) | 0x40);	/* version 4 */
	raw[8] = (uint8_t)((raw[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	for (i = 0, j = 0; i < GUID_LEN; i++) {
		if (guid_dash_at(i)) {
			out[i] = '-';
			continue;
		}
		out[i] = guid_hex[(raw[j / 2] >> (j % 2 ? 0 : 4)) & 0xf];
		j++;
	}
	out[GUID_LEN] = '\0';
	return 0;
}

/* Parse 8-4-4-4-12 hexadecimal digits in any case into lowercase. */
int
guid_parse(const char *in, size_t len, char out[GUID_LEN + 1])
{
	size_t	i;
	char	c;

	out[0] = '\0';
	if (in == NULL || len != GUID_LEN)
		return STORE_EINVAL;
	for (i = 0; i < GUID_LEN; i++) {
		c = in[i];
		if (guid_dash_at(i)) {
			if (c != '-')
				goto invalid;
			continue;
		}
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			goto invalid;
		out[i] = c;
	}
	for (i = 0; i < GUID_LEN; i++)
		if (guid_dash_at(i))
			out[i] = '-';
	out[GUID_LEN] = '\0';
	return 0;

invalid:
	out[0] = '\0';
	return STORE_EINVAL;
}

/* Whether s is already a canonical lowercase GUID. */
int
guid_is_canonical(const char *s)
{
	char	canon[GUID_LEN + 1];

	if (s == NULL || strlen(s) != GUID_LEN)
		return 0;
	if (guid_parse(s, GUID_LEN, canon) != 0)
		return 0;
	return memcmp(s, canon, GUID_LEN) == 0;
}
