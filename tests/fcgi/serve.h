/* Serving a request in-process, as presence-fcgi's adapter would. */
#ifndef PRESENCE_TESTS_FCGI_SERVE_H
#define PRESENCE_TESTS_FCGI_SERVE_H

#include <string.h>

#include "handler.h"
#include "request.h"

/* A body handed to the handler as the adapter would: no more than asked. */
struct serve_body {
	const char	*data;
	size_t		 len;
	int		 reads;		/* how often the handler asked */
};

/* The body source's read: up to len bytes of the test's body. */
static inline int
serve_body_read(void *ctx, size_t len, const char **body, size_t *got)
{
	struct serve_body	*b = ctx;

	b->reads++;
	*body = b->data;
	*got = b->len < len ? b->len : len;
	return 0;
}

/*
 * Serve the request the CGI environment env (NULL-ended "NAME=value")
 * describes, with body (NULL: none), into res.  Returns 0 when the
 * handler read the body, the status it answered without reading it, or
 * -1 when it asked for the body more than once.
 */
static inline int
serve_env(const struct app *app, char **env, const char *body,
    struct response *res)
{
	struct serve_body	 b = { body != NULL ? body : "",
	    body != NULL ? strlen(body) : 0, 0 };
	struct body_source	 src = { serve_body_read, &b };
	struct request		 req;

	request_from_env_flags(&req, env, app->request_flags);
	handler_serve(app, &req, &src, res);
	if (b.reads > 1)
		return -1;
	return b.reads == 1 ? 0 : res->status;
}

#endif
