/* GUIDs: random version 4 generation, canonical parsing, bytes and text. */
#include <string.h>

#include "error.h"
#include "guid.h"
#include "random.h"

static const char guid_hex[] = "0123456789abcdef";

/* Whether position i of a GUID holds a dash. */
static int
guid_dash_at(size_t i)
{
	return i == 8 || i == 13 || i == 18 || i == 23;
}

/* Format 16 bytes as a canonical lowercase GUID. */
void
guid_from_bytes(const uint8_t in[GUID_BYTES], char out[GUID_LEN + 1])
{
	size_t	i, j;

	for (i = 0, j = 0; i < GUID_LEN; i++) {
		if (guid_dash_at(i)) {
			out[i] = '-';
			continue;
		}
		out[i] = guid_hex[(in[j / 2] >> (j % 2 ? 0 : 4)) & 0xf];
		j++;
	}
	out[GUID_LEN] = '\0';
}

/* The value of a lowercase hexadecimal digit. */
static uint8_t
guid_digit(char c)
{
	return (uint8_t)(c <= '9' ? c - '0' : c - 'a' + 10);
}

/* The 16 bytes of a canonical GUID. */
void
guid_to_bytes(const char *id, uint8_t out[GUID_BYTES])
{
	size_t	i, j;

	for (i = 0, j = 0; i < GUID_LEN; i++) {
		if (guid_dash_at(i))
			continue;
		if (j % 2 == 0)
			out[j / 2] = (uint8_t)(guid_digit(id[i]) << 4);
		else
			out[j / 2] |= guid_digit(id[i]);
		j++;
	}
}

/* Write a random version 4 GUID, lowercase and NUL-terminated. */
int
guid_generate(char out[GUID_LEN + 1])
{
	uint8_t	raw[GUID_BYTES];

	out[0] = '\0';
	if (random_fill(raw, sizeof raw) != 0)
		return STORE_EIO;
	raw[6] = (uint8_t)((raw[6] & 0x0f) | 0x40);	/* version 4 */
	raw[8] = (uint8_t)((raw[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	guid_from_bytes(raw, out);
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
