/*
 * The API's handlers: a plain request in, a plain response out.  No
 * mutable global state is touched, so several threads may serve at once.
 */
#ifndef PRESENCE_FCGI_HANDLER_H
#define PRESENCE_FCGI_HANDLER_H

#include <stddef.h>

#include "auth.h"
#include "policy.h"
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
	unsigned	 request_flags;	/* REQUEST_TRUST_*: headers believed */
	const struct notify_policy *notify; /* where notifications may go;
					   NULL: public https hosts */
};

/*
 * Where handler_serve finds a request's body.  read is called at most
 * once per request, and only when the request will be served with its
 * body: the caller is authenticated, the route, method, query and scopes
 * allow it, and the body's type and length are right.  It reads up to len
 * bytes (never more than app->max_body) and sets *body and *got, fewer
 * bytes when the input ended early.  It returns 0, or -1 when no memory
 * could hold the body.
 */
struct body_source {
	int	(*read)(void *ctx, size_t len, const char **body, size_t *got);
	void	*ctx;
};

/*
 * Serve req into res (made by response_init; its old contents are
 * dropped), reading its body from src only when it is needed.  The caller
 * is authenticated first (401; GET /$metadata excepted, which anyone may
 * read, as in Graph), then the route, method and query are
 * checked, then the caller's scopes (403) for the presence the request
 * names (for an action, the presence its path names), then the body's
 * type and length (415, 411, 400, 413): a request refused for any of
 * these is answered without its body being read.  Every response gets a status, a request-id header and, for
 * errors, Graph's error body.  res->fatal asks the caller to exit after
 * writing the response.  Errors on the server's side are logged to
 * stderr; credentials never are.
 */
void handler_serve(const struct app *app, const struct request *req,
    const struct body_source *src, struct response *res);

#endif
