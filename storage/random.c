/* Random bytes from getrandom(2). */
#include <errno.h>
#include <stdint.h>
#include <sys/random.h>

#include "error.h"
#include "random.h"

/* Fill n bytes at out from the kernel's CSPRNG; 0 or STORE_EIO. */
int
random_fill(void *out, size_t n)
{
	uint8_t	*p = out;
	ssize_t	 got;

	while (n > 0) {
		got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return STORE_EIO;
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}
