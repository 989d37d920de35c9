/* A growable byte buffer, always NUL-terminated. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

/* Make an empty buffer; it allocates nothing until the first append. */
void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

/* Free the memory and leave an empty buffer that can be used again. */
void
buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

/* Forget the contents but keep the memory for the next use. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Make room for n more bytes and the NUL; 0 or STORE_ENOMEM. */
static int
buf_grow(struct buf *b, size_t n)
{
	size_t	 want, cap;
	char	*data;

	if (n > SIZE_MAX - b->len - 1)
		return STORE_ENOMEM;
	want = b->len + n + 1;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	data = realloc(b->data, cap);
	if (data == NULL)
		return STORE_ENOMEM;
	b->data = data;
	b->cap = cap;
	return 0;
}

/* Make room for n more bytes. */
int
buf_reserve(struct buf *b, size_t n)
{
	if (buf_grow(b, n) != 0)
		return STORE_ENOMEM;
	if (b->data != NULL)
		b->data[b->len] = '\0';
	return 0;
}

/* Append n bytes; 0 or STORE_ENOMEM (the buffer is then unchanged). */
int
buf_add(struct buf *b, const void *data, size_t n)
{
	if (buf_grow(b, n) != 0)
		return STORE_ENOMEM;
	if (n > 0)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

/* Append a NUL-terminated string; 0 or STORE_ENOMEM. */
int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

/* Append formatted text; 0, STORE_ENOMEM or STORE_EINVAL. */
int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return STORE_EINVAL;
	if (buf_grow(b, (size_t)n) != 0)
		return STORE_ENOMEM;
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return STORE_EINVAL;
	b->len += (size_t)n;
	return 0;
}
