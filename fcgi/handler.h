/*
 * The API's handlers: a plain request in, a plain response out.  No
 * mutable global state is touched, so several threads may serve at once.
 */
#ifndef PRESENCE_FCGI_HANDLER_H
#define PRESENCE_FCGI_HANDLER_H

#include <stddef.h>

#include "auth.h"
#include "request.h"
#include "store.h"

#define HANDLER_MAX_BODY_DEFAULT	65536	/* bytes */
#define HANDLER_MAX_BODY_LIMIT		(64UL * 1024 * 1024)

/* What every request is served with; read-only while serving. */
struct app {
	struct store	*store;		/* borrowed; open for the app's life */
	size_t		 max_body;	/* a longer request body is a 413 */
	const char	*base;		/* mount prefix to strip, or NULL */
	struct auth_config auth;	/* who may call, and how they say so */
};

/*
 * Decide, before any body is read, whether req's body should be read:
 * returns 0 with *len set to the bytes to read (0 when the route takes no
 * body), or the status (401, 400, 411, 413, 415) handler_serve will answer
 * without a body.  *len never exceeds app->max_body.  A body is read only
 * when the request carries credentials of the right form; whether they
 * are valid is decided by handler_serve.
 */
int handler_body_limit_check(const struct app *app, const struct request *req,
    size_t *len);

/*
 * Serve req into res (made by response_init; its old contents are
 * dropped).  The caller is authenticated first (401), then the route,
 * method and query are checked, then the caller's scopes (403) for the
 * presence the request names.  Every response gets a status, a request-id
 * header and, for errors, Graph's error body.  res->fatal asks the caller
 * to exit after writing the response.  Errors on the server's side are
 * logged to stderr; credentials never are.
 */
void handler_serve(const struct app *app, const struct request *req,
    struct response *res);

/*
 * Answer req with an error status (its default Graph error) without
 * serving it: for a request that could not be read, such as a body that
 * found no memory.  The response carries the usual headers.
 */
void handler_refuse(const struct app *app, const struct request *req,
    struct response *res, int status);

#endif
