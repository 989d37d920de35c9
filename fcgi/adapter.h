/*
 * The bridge between libfcgi and the plain request and response: the only
 * code besides main.c that sees an FCGX_Request.
 */
#ifndef PRESENCE_FCGI_ADAPTER_H
#define PRESENCE_FCGI_ADAPTER_H

#include <fcgiapp.h>

#include "buf.h"
#include "request.h"

/*
 * Fill req from fr's parameters, believing the headers flags
 * (REQUEST_TRUST_*) name.  req borrows from fr: it lives until the
 * request is finished.
 */
void adapter_request(FCGX_Request *fr, struct request *req, unsigned flags);

/*
 * Read up to len bytes of fr's body into body (emptied first), fewer when
 * the input ends early, and point *data and *got at them; for a struct
 * body_source.  They live until body is reset.  Returns 0, or -1 when
 * memory for the body ran out.
 */
int adapter_read_body(FCGX_Request *fr, size_t len, struct buf *body,
    const char **data, size_t *got);

/*
 * Write res to fr's output stream: the Status line, the headers, a blank
 * line and the body.  Returns 0, or -1 when the stream failed (the web
 * server went away).
 */
int adapter_write(FCGX_Request *fr, const struct response *res);

/*
 * Before a kept connection (nginx's fastcgi_keep_conn) takes its next
 * request, the rest of this request's input must be read off it, or its
 * stdin records would be taken for the next request's.  Discard up to
 * limit bytes of what the handler left unread; when more remains (a body
 * refused unread with 413), mark the connection to be closed instead.
 */
void adapter_settle(FCGX_Request *fr, size_t limit);

#endif
