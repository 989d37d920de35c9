/* Random bytes from the kernel's CSPRNG, for ids and token secrets. */
#ifndef PRESENCE_STORAGE_RANDOM_H
#define PRESENCE_STORAGE_RANDOM_H

#include <stddef.h>

/*
 * Fill n bytes at out, waiting for the pool to be ready at boot and
 * retrying short reads and interrupted calls.  Returns 0 or STORE_EIO.
 */
int random_fill(void *out, size_t n);

#endif
