/* A private temporary directory per test, under the build tree. */
#ifndef PRESENCE_TESTS_TMPDIR_H
#define PRESENCE_TESTS_TMPDIR_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/*
 * Make a fresh directory tests/tmp/NAME.XXXXXX under the current directory
 * (make check runs in the build tree) and write its path into out.
 */
static inline void
tmpdir_make(const char *name, char out[PATH_MAX])
{
	mkdir("tests", 0777);
	mkdir("tests/tmp", 0777);
	snprintf(out, PATH_MAX, "tests/tmp/%s.XXXXXX", name);
	if (mkdtemp(out) == NULL) {
		printf("Bail out! cannot make a temporary directory: %s\n", out);
		exit(99);
	}
}

/* Remove a directory made by tmpdir_make and the files directly in it. */
static inline void
tmpdir_remove(const char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# cannot remove %s\n", dir);
}

#endif
