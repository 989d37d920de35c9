/* Under libFuzzer a broken invariant is a crash: the input is kept. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

/* Say which invariant broke, then abort. */
void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
	abort();
}
