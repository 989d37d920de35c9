/* A growable byte buffer, always NUL-terminated. */
#ifndef PRESENCE_STORAGE_BUF_H
#define PRESENCE_STORAGE_BUF_H

#include <stddef.h>

struct buf {
	char	*data;	/* NUL-terminated once anything was appended; owned */
	size_t	 len;	/* bytes before the terminating NUL */
	size_t	 cap;
};

/* Make an empty buffer; it allocates nothing until the first append. */
void buf_init(struct buf *b);

/* Free the memory and leave an empty buffer that can be used again. */
void buf_release(struct buf *b);

/* Forget the contents but keep the memory for the next use. */
void buf_reset(struct buf *b);

/*
 * Make room for n more bytes, so that appending up to n bytes cannot fail;
 * 0 or STORE_ENOMEM.
 */
int buf_reserve(struct buf *b, size_t n);

/* Append n bytes; 0 or STORE_ENOMEM (the buffer is then unchanged). */
int buf_add(struct buf *b, const void *data, size_t n);

/* Append a NUL-terminated string; 0 or STORE_ENOMEM. */
int buf_adds(struct buf *b, const char *s);

/* Append formatted text; 0, STORE_ENOMEM or STORE_EINVAL. */
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
