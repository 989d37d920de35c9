/*
 * `make bench`: how long the codec takes to accept or refuse a 1 MiB body
 * of each costly shape (tests/bodies.h), in CPU milliseconds on one core:
 * the best of five runs, and the worst.
 */
#include <stdio.h>

#include "bodies.h"
#include "error.h"

int
main(void)
{
	struct fault		 fault;
	struct buf		 b;
	double			 t, best, worst;
	int			 shape, run, rc, failed = 0;

	for (shape = 0; shape < BODIES_NSHAPES; shape++) {
		buf_init(&b);
		if (bodies_make((enum bodies_shape)shape, &b) != 0) {
			fprintf(stderr, "bodies: out of memory\n");
			return 1;
		}
		best = 1e9;
		worst = 0;
		for (run = 0; run < 5; run++) {
			t = bodies_time(&b, &rc, &fault);
			best = t < best ? t : best;
			worst = t > worst ? t : worst;
		}
		printf("%-40s %7zu bytes  %s  %6.1f ms (worst %.1f)\n",
		    bodies_names[shape], b.len, rc == 0 ? "accepted" :
		    rc == STORE_EINVAL ? "refused " : "error   ", best * 1e3,
		    worst * 1e3);
		failed |= rc == STORE_ENOMEM;
		buf_release(&b);
	}
	return failed;
}
