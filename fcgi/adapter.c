/* The bridge between libfcgi and the plain request and response. */
#include <limits.h>
#include <stddef.h>

#include <fcgiapp.h>

#include "adapter.h"
#include "buf.h"
#include "odata.h"
#include "request.h"

#define ADAPTER_CHUNK	8192

/* Read up to len body bytes into body; stops early at the end of input. */
static int
read_body(FCGX_Request *fr, size_t len, struct buf *body)
{
	char	 chunk[ADAPTER_CHUNK];
	size_t	 want;
	int	 n;

	while (body->len < len) {
		want = len - body->len;
		if (want > sizeof chunk)
			want = sizeof chunk;
		n = FCGX_GetStr(chunk, (int)want, fr->in);
		if (n <= 0)
			break;
		if (buf_add(body, chunk, (size_t)n) != 0)
			return -1;
	}
	return 0;
}

/* Fill req from fr's parameters, believing the headers flags name. */
void
adapter_request(FCGX_Request *fr, struct request *req, unsigned flags)
{
	request_from_env_flags(req, fr->envp, flags);
}

/* Read up to len body bytes into body, for the handler's body source. */
int
adapter_read_body(FCGX_Request *fr, size_t len, struct buf *body,
    const char **data, size_t *got)
{
	buf_reset(body);
	if (read_body(fr, len, body) != 0)
		return -1;
	*data = body->data != NULL ? body->data : "";
	*got = body->len;
	return 0;
}

/* Write n bytes to the output stream in pieces libfcgi's int can count. */
static int
put_bytes(FCGX_Request *fr, const char *p, size_t n)
{
	int	 piece;

	while (n > 0) {
		piece = n > INT_MAX ? INT_MAX : (int)n;
		if (FCGX_PutStr(p, piece, fr->out) != piece)
			return -1;
		p += piece;
		n -= (size_t)piece;
	}
	return 0;
}

/* Format the Status line, the headers and the blank line into head. */
static int
format_head(const struct response *res, struct buf *head)
{
	size_t	 i;
	int	 err;

	err = buf_printf(head, "Status: %d %s\r\n", res->status,
	    odata_reason(res->status));
	for (i = 0; i < res->nheaders && err == 0; i++)
		err = buf_printf(head, "%s: %s\r\n", res->headers[i].name,
		    res->headers[i].value);
	if (err == 0)
		err = buf_adds(head, "\r\n");
	return err;
}

/* Write res to fr's output stream. */
int
adapter_write(FCGX_Request *fr, const struct response *res)
{
	struct buf	 head;
	int		 rc = -1;

	buf_init(&head);
	if (format_head(res, &head) != 0)
		goto release_head;
	if (put_bytes(fr, head.data, head.len) != 0)
		goto release_head;
	if (res->body.len > 0 &&
	    put_bytes(fr, res->body.data, res->body.len) != 0)
		goto release_head;
	rc = 0;
release_head:
	buf_release(&head);
	return rc;
}

/* Read off what is left of a kept connection's input, or give it up. */
void
adapter_settle(FCGX_Request *fr, size_t limit)
{
	char	 chunk[ADAPTER_CHUNK];
	size_t	 seen = 0;
	int	 n;

	if (!fr->keepConnection)
		return;
	while (seen <= limit) {
		n = FCGX_GetStr(chunk, (int)sizeof chunk, fr->in);
		if (n <= 0) {
			if (FCGX_GetError(fr->in) != 0)
				fr->keepConnection = 0;
			return;		/* the end of stdin */
		}
		seen += (size_t)n;
	}
	fr->keepConnection = 0;
}
