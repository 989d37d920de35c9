/*
 * What the fuzz targets share: the libFuzzer entry points, and expect(),
 * which reports a broken invariant.  Under libFuzzer (tests/fuzz/run.sh)
 * fuzz_fail aborts, so the input is saved as a crash; under make check
 * (tests/fuzz/replay.c) it marks the input being replayed as failed.
 */
#ifndef PRESENCE_TESTS_FUZZ_H
#define PRESENCE_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Report that the invariant what, at file:line, does not hold. */
void fuzz_fail(const char *file, int line, const char *what);

#define expect(cond) do {						\
	if (!(cond))							\
		fuzz_fail(__FILE__, __LINE__, #cond);			\
} while (0)

#endif
