/* Serving a request in-process, as presence-fcgi's adapter would. */
#ifndef PRESENCE_TESTS_FCGI_SERVE_H
#define PRESENCE_TESTS_FCGI_SERVE_H

#include <string.h>

#include "handler.h"
#include "request.h"

/*
 * Serve the request the CGI environment env (NULL-ended "NAME=value")
 * describes, with body (NULL: none), into res.  The body is read only as
 * the adapter reads it: not at all when the limit check refuses, and no
 * further than it allows.  Returns the limit check's status.
 */
static inline int
serve_env(const struct app *app, char **env, const char *body,
    struct response *res)
{
	struct request	 req;
	size_t		 len, avail;
	int		 limit;

	request_from_env(&req, env);
	limit = handler_body_limit_check(app, &req, &len);
	if (limit == 0) {
		avail = body != NULL ? strlen(body) : 0;
		req.body = body != NULL ? body : "";
		req.body_len = avail < len ? avail : len;
	}
	handler_serve(app, &req, res);
	return limit;
}

#endif
