/* The console tests' stores: small and unsynced, in a test's directory. */
#ifndef PRESENCE_TESTS_CONSOLE_TESTSTORE_H
#define PRESENCE_TESTS_CONSOLE_TESTSTORE_H

#include "store.h"
#include "tap.h"

/*
 * Open (creating, unless read_only) a store in dir, in value mode mode
 * (NULL: the database's own), or bail out.
 */
static inline struct store *
teststore_open(const char *dir, const char *mode, int read_only)
{
	struct store_config	 cfg;
	struct store		*st;
	int			 rc;

	store_config_init(&cfg);
	cfg.path = dir;
	cfg.map_size = 1 << 20;
	cfg.map_max = 1 << 26;
	cfg.durability = STORE_NOSYNC;
	cfg.read_only = read_only;
	if (mode != NULL && store_config_set(&cfg, "value-mode", mode) != 0)
		tap_bail("bad value mode %s", mode);
	if ((rc = store_open(&st, &cfg)) != 0)
		tap_bail("cannot open database '%s': %s", dir,
		    store_strerror(rc));
	return st;
}

#endif
