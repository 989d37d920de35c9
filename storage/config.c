/* The one configuration every program opens the store with. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "store.h"

#ifndef LOCALSTATEDIR
#define LOCALSTATEDIR "/var"
#endif

#define MiB ((size_t)1 << 20)
#define GiB ((size_t)1 << 30)

/* The compiled-in defaults. */
void
store_config_init(struct store_config *cfg)
{
	cfg->path = LOCALSTATEDIR "/lib/presence";
	cfg->map_size = 64 * MiB;
	cfg->map_max = 16 * GiB;
	cfg->max_readers = 256;
	cfg->read_only = 0;
	cfg->durability = STORE_DURABLE;
	cfg->value_mode = -1;
	cfg->notify_backlog = 0;
}

/* Parse a size with an optional K, M, G or T suffix; 0 or STORE_EINVAL. */
static int
config_parse_size(const char *s, size_t *out)
{
	unsigned long long	 v;
	char			*end;
	unsigned		 shift = 0;

	if (*s < '0' || *s > '9')
		return STORE_EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return STORE_EINVAL;
	switch (*end) {
	case 'T': case 't': shift += 10; /* FALLTHROUGH */
	case 'G': case 'g': shift += 10; /* FALLTHROUGH */
	case 'M': case 'm': shift += 10; /* FALLTHROUGH */
	case 'K': case 'k': shift += 10; end++; break;
	}
	if (*end == 'i' && shift > 0)
		end++;
	if (*end == 'B' && shift > 0)
		end++;
	if (*end != '\0' || v == 0 || v > (SIZE_MAX >> shift))
		return STORE_EINVAL;
	*out = (size_t)v << shift;
	return 0;
}

/* Set one configuration key from its text form. */
int
store_config_set(struct store_config *cfg, const char *key, const char *value)
{
	enum presence_mode	mode;
	size_t			size;

	if (strcmp(key, "db") == 0) {
		if (*value == '\0')
			return STORE_EINVAL;
		cfg->path = value;
	} else if (strcmp(key, "map-size") == 0 || strcmp(key, "map-max") == 0 ||
	    strcmp(key, "max-readers") == 0) {
		if (config_parse_size(value, &size) != 0)
			return STORE_EINVAL;
		if (strcmp(key, "map-size") == 0)
			cfg->map_size = size;
		else if (strcmp(key, "map-max") == 0)
			cfg->map_max = size;
		else if (size <= 65536)
			cfg->max_readers = (unsigned)size;
		else
			return STORE_EINVAL;
	} else if (strcmp(key, "durability") == 0) {
		if (strcmp(value, "durable") == 0)
			cfg->durability = STORE_DURABLE;
		else if (strcmp(value, "nosync") == 0)
			cfg->durability = STORE_NOSYNC;
		else
			return STORE_EINVAL;
	} else if (strcmp(key, "value-mode") == 0) {
		if (presence_mode_parse(value, &mode) != 0)
			return STORE_EINVAL;
		cfg->value_mode = (int)mode;
	} else if (strcmp(key, "notify-backlog") == 0) {
		if (config_parse_size(value, &size) != 0 ||
		    size > NOTIFY_BACKLOG_MAX)
			return STORE_EINVAL;
		cfg->notify_backlog = size;
	} else
		return STORE_EINVAL;
	return 0;
}

/* Apply the PRESENCE_* environment variables. */
int
store_config_env(struct store_config *cfg, const char **bad)
{
	static const struct {
		const char	*var;
		const char	*key;
	} vars[] = {
		{ "PRESENCE_DB", "db" },
		{ "PRESENCE_MAP_SIZE", "map-size" },
		{ "PRESENCE_MAP_MAX", "map-max" },
		{ "PRESENCE_MAX_READERS", "max-readers" },
		{ "PRESENCE_DURABILITY", "durability" },
		{ "PRESENCE_VALUE_MODE", "value-mode" },
		{ "PRESENCE_NOTIFY_BACKLOG", "notify-backlog" },
	};
	const char	*value;
	size_t		 i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		value = getenv(vars[i].var);
		if (value == NULL || *value == '\0')
			continue;
		if (store_config_set(cfg, vars[i].key, value) != 0) {
			if (bad != NULL)
				*bad = vars[i].var;
			return STORE_EINVAL;
		}
	}
	return 0;
}
