/*
 * Replay a fuzz target's seed corpus and saved crash inputs under make
 * check, through the same entry point libFuzzer calls: one test point per
 * input.  FUZZ_DIRS names the directories, separated by ':'.  Crashes that
 * fuzzing finds are saved in tests/fuzz/regress/TARGET/ and so stay fixed.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tap.h"

#ifndef FUZZ_DIRS
#error "FUZZ_DIRS must name the corpus directories"
#endif

static int	 broken;

/* Under make check a broken invariant fails the input being replayed. */
void
fuzz_fail(const char *file, int line, const char *what)
{
	printf("#   %s:%d: invariant broken: %s\n", file, line, what);
	fflush(stdout);
	broken++;
}

/* Read a whole file into a buffer of exactly its size; NULL on error. */
static unsigned char *
slurp(const char *path, size_t *size)
{
	FILE		*f;
	unsigned char	*data = NULL, *grown;
	size_t		 n = 0, cap = 0, got;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (n == cap) {
			cap = cap > 0 ? cap * 2 : 4096;
			if ((grown = realloc(data, cap)) == NULL)
				break;
			data = grown;
		}
		if ((got = fread(data + n, 1, cap - n, f)) == 0)
			break;
		n += got;
	}
	fclose(f);
	/* An exact copy, so that AddressSanitizer sees any over-read. */
	if ((grown = malloc(n > 0 ? n : 1)) != NULL)
		memcpy(grown, data, n);
	free(data);
	*size = n;
	return grown;
}

/* Compare directory entries by name, for a stable order. */
static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replay every file in dir; the number replayed. */
static int
replay_dir(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	char		*names[4096], path[PATH_MAX];
	unsigned char	*data;
	size_t		 n = 0, i, size;

	if ((d = opendir(dir)) == NULL) {
		ok(errno == ENOENT, "%s: %s", dir, strerror(errno));
		return 0;
	}
	while ((e = readdir(d)) != NULL && n < 4096)
		if (e->d_name[0] != '.' && (names[n] = strdup(e->d_name)) != NULL)
			n++;
	closedir(d);
	qsort(names, n, sizeof names[0], by_name);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if ((data = slurp(path, &size)) == NULL) {
			ok(0, "read %s", path);
			continue;
		}
		broken = 0;
		LLVMFuzzerTestOneInput(data, size);
		ok(broken == 0, "%s", path);
		free(data);
		free(names[i]);
	}
	return (int)n;
}

/* Targets without set-up of their own get this one. */
__attribute__((weak)) int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
main(void)
{
	char	 dirs[] = FUZZ_DIRS, *dir, *colon;
	int	 total = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	LLVMFuzzerInitialize(NULL, NULL);
	for (dir = dirs; dir != NULL; dir = colon) {
		if ((colon = strchr(dir, ':')) != NULL)
			*colon++ = '\0';
		total += replay_dir(dir);
	}
	ok(total > 0, "replayed %d inputs", total);
	return tap_done();
}
