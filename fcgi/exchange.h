/*
 * One request being served, and the ways a handler answers it: errors in
 * Graph's shape, storage failures mapped to statuses, scope checks, the
 * request body read on demand.  Shared by the handlers of handler.c and
 * actions.c; no mutable global state but the "database full" log counter.
 */
#ifndef PRESENCE_FCGI_EXCHANGE_H
#define PRESENCE_FCGI_EXCHANGE_H

#include <stddef.h>

#include "auth.h"
#include "buf.h"
#include "guid.h"
#include "handler.h"
#include "odata.h"
#include "request.h"
#include "router.h"

/* One request being served: what the handlers share. */
struct exchange {
	const struct app	*app;
	const struct request	*req;
	const struct body_source *src;
	struct response		*res;
	const char		*body;		/* once read */
	size_t			 body_len;
	struct auth_caller	 caller;
	struct route		 route;
	struct odata_query	 query;
	char			 request_id[GUID_LEN + 1];
	const char		*client_id;	/* echoed, or the request id */
	int			 echo_client_id;
};

/* Set a header whose value was built here; log when it cannot be set. */
void exchange_header(struct exchange *x, const char *name, const char *value);

/* Answer an error: status, Graph's error body; message NULL: the default. */
void exchange_fail(struct exchange *x, int status, const char *message);

/* Answer a storage failure with the status it maps to, and log it. */
void exchange_fail_store(struct exchange *x, int err, const char *what);

/*
 * The status a request with a body answers before reading it (415, 411,
 * 400, 413, in that order), or 0; *message is then the 400's text.
 */
int exchange_body_status(const struct exchange *x, const char **message);

/*
 * Read the body (Content-Length bytes), once exchange_body_status allowed
 * it; -1 when answered: 503 (no memory for it) or 400 (shorter than its
 * Content-Length).
 */
int exchange_read_body(struct exchange *x);

/*
 * exchange_body_status, answering what it refuses, then
 * exchange_read_body; 0, or -1 when answered.
 */
int exchange_take_body(struct exchange *x);

/*
 * Answer 403 with message unless the caller may read (write 0) or write
 * the presence target (NULL: the collection); 0 when allowed.
 */
int exchange_permit(struct exchange *x, int write, const char *target,
    const char *message);

/* The presence the caller's user id names, or NULL: none. */
const char *exchange_caller_user(const struct exchange *x);

/* In --auth none mode, log a write to presence id: nobody was checked. */
void exchange_warn_unchecked(const struct exchange *x, const char *what,
    const char *id);

/*
 * The canonical id of the presence the route names into id: the {id}
 * segment, or for /me the caller's user.  -1 when answered: 404 for an
 * {id} that is no GUID, 400 for /me without a user.
 */
int exchange_target(struct exchange *x, char id[GUID_LEN + 1]);

/*
 * Append the URL of the service root the client used:
 * [scheme://host]mount[version] (a path without a safe Host).  Returns 0
 * or STORE_ENOMEM.
 */
int exchange_root_url(const struct exchange *x, struct buf *out);

/*
 * Append the @odata.context of a response: the root URL, "/$metadata#"
 * and fragment (e.g. "communications/presences/$entity").  Returns 0 or
 * STORE_ENOMEM.
 */
int exchange_context(const struct exchange *x, const char *fragment,
    struct buf *out);

#endif
