/* The API's handlers: create, read, list and delete presences. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth.h"
#include "buf.h"
#include "codec.h"
#include "error.h"
#include "guid.h"
#include "handler.h"
#include "log.h"
#include "odata.h"
#include "presence.h"
#include "request.h"
#include "router.h"
#include "store.h"

#define COLLECTION_PATH	"/communications/presences"

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

typedef void handler_fn(struct exchange *);

/* Set a header whose value was built here; log when it cannot be set. */
static void
header_set(struct exchange *x, const char *name, const char *value)
{
	if (response_header_set(x->res, name, value) != 0)
		log_warn("cannot set header '%s'", name);
}

/* Answer an error: status, Graph's error body, message NULL for the default. */
static void
fail(struct exchange *x, int status, const char *message)
{
	struct response	*res = x->res;

	res->status = status;
	buf_reset(&res->body);
	if (odata_error_json(&res->body, status, message, x->request_id,
	    x->client_id, time(NULL)) != 0) {
		buf_reset(&res->body);
		res->status = 503;
		log_warn("cannot format an error: %s",
		    store_strerror(STORE_ENOMEM));
	}
	header_set(x, "Content-Type", "application/json");
}

#define FULL_LOG_EVERY	10	/* seconds between "database full" lines */

/* Refused writes at the map maximum, counted between two log lines. */
static struct {
	pthread_mutex_t	lock;
	time_t		last;		/* when a line was last written */
	unsigned long	unlogged;	/* refusals since then */
	int		logged;		/* the condition was logged once */
} full_log = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };

/*
 * Log a write refused at the map maximum: the first one in full, then at
 * most one line every FULL_LOG_EVERY seconds with how many were refused
 * since the last line, so a full database under load does not flood the
 * log.  Threads share the count.
 */
static void
log_full(const char *what)
{
	unsigned long	n = 0;
	time_t		now = time(NULL);
	int		first = 0;

	pthread_mutex_lock(&full_log.lock);
	if (!full_log.logged) {
		full_log.logged = first = 1;
		full_log.last = now;
	} else if (now - full_log.last >= FULL_LOG_EVERY || now < full_log.last) {
		n = full_log.unlogged + 1;
		full_log.unlogged = 0;
		full_log.last = now;
	} else
		full_log.unlogged++;
	pthread_mutex_unlock(&full_log.lock);
	if (first)
		log_warn("cannot %s: %s; writes are refused until the "
		    "database is given room (--map-max) or records are deleted "
		    "(further refusals are counted, one line every %d s)", what,
		    store_strerror(STORE_EFULL), FULL_LOG_EVERY);
	else if (n > 0)
		log_warn("%lu more writes refused: %s", n,
		    store_strerror(STORE_EFULL));
}

/* Answer a storage failure with the status it maps to, and log it. */
static void
fail_store(struct exchange *x, int err, const char *what)
{
	int	 status;

	switch (err) {
	case STORE_EFULL:
		log_full(what);
		fail(x, 507, NULL);
		return;
	case STORE_ELOCKGONE:
		/* Only a new process opens the environment afresh. */
		log_warn("cannot %s: %s; never delete lock.mdb while "
		    "processes use the database: exiting so that a fresh "
		    "process takes over", what, store_strerror(err));
		x->res->fatal = 1;
		fail(x, 503, NULL);
		return;
	case STORE_EPANIC:
		x->res->fatal = 1;
		status = 503;
		break;
	case STORE_EBUSY:
	case STORE_ENOMEM:
	case STORE_EIO:
		status = 503;
		break;
	default:
		status = 500;
		break;
	}
	log_warn("cannot %s: %s", what, store_strerror(err));
	fail(x, status, NULL);
}

/* Whether a Content-Type is application/json, parameters allowed, any case. */
static int
is_json_type(const char *type)
{
	static const char json[] = "application/json";
	size_t	 len = sizeof json - 1;

	if (type == NULL)
		return 0;
	type += strspn(type, " \t");
	if (strncasecmp(type, json, len) != 0)
		return 0;
	type += len;
	type += strspn(type, " \t");
	return *type == '\0' || *type == ';';
}

/* The status a create answers before reading its body, or 0: in order. */
static int
body_status(const struct app *app, const struct request *req,
    const char **message)
{
	*message = NULL;
	if (!is_json_type(req->content_type))
		return 415;
	if (req->content_length == REQUEST_LENGTH_NONE)
		return 411;
	if (req->content_length == REQUEST_LENGTH_BAD) {
		*message = "the Content-Length is not a number";
		return 400;
	}
	if ((unsigned long long)req->content_length > app->max_body)
		return 413;
	return 0;
}

/* Append the absolute (or, without a safe host, relative) collection URL. */
static int
collection_url(struct exchange *x, struct buf *out, int relative)
{
	const struct route	*rt = &x->route;
	struct request		 req = *x->req;

	if (relative)
		req.host = NULL;
	if (odata_url_base(out, &req, rt->mount, rt->mount_len,
	    rt->version) != 0)
		return STORE_ENOMEM;
	return buf_adds(out, COLLECTION_PATH);
}

/* Set Location to the new presence's URL. */
static void
set_location(struct exchange *x, const char *id)
{
	struct buf	 url;
	int		 relative;

	buf_init(&url);
	for (relative = 0; relative < 2; relative++) {
		buf_reset(&url);
		if (collection_url(x, &url, relative) != 0 ||
		    buf_printf(&url, "/%s", id) != 0)
			break;
		if (response_header_set(x->res, "Location", url.data) == 0)
			goto release_url;
	}
	log_warn("cannot set a Location for presence '%s'", id);
release_url:
	buf_release(&url);
}

/* Answer 200 or 201 with one presence as the body. */
static void
answer_presence(struct exchange *x, int status, const struct presence *p)
{
	buf_reset(&x->res->body);
	if (codec_presence_to_json(p, &x->res->body) != 0) {
		fail_store(x, STORE_ENOMEM, "format a presence");
		return;
	}
	x->res->status = status;
	header_set(x, "Content-Type", "application/json");
}

/* What a 403 says each request needs; no word about what exists. */
#define DENIED_LIST	"listing presences needs Presence.Read.All or " \
	"Presence.ReadWrite.All"
#define DENIED_READ	"reading this presence needs Presence.Read.All or " \
	"Presence.ReadWrite.All, or Presence.Read or Presence.ReadWrite " \
	"bound to its id"
#define DENIED_CREATE	"creating a presence needs Presence.ReadWrite.All, " \
	"or Presence.ReadWrite bound to the id in the body"
#define DENIED_DELETE	"deleting this presence needs " \
	"Presence.ReadWrite.All, or Presence.ReadWrite bound to its id"

/*
 * Answer 403 with message unless the caller may read (write 0) or write
 * the presence target (NULL: the collection); 0 when allowed.
 */
static int
permit(struct exchange *x, int write, const char *target,
    const char *message)
{
	if (auth_allows(&x->caller, write, target))
		return 0;
	fail(x, 403, message);
	return -1;
}

/* The presence the caller's user id names, or NULL: none. */
static const char *
caller_user(const struct exchange *x)
{
	return x->caller.checked && x->caller.grants.user[0] != '\0' ?
	    x->caller.grants.user : NULL;
}

/* In --auth none mode, log every write: nobody was checked. */
static void
warn_unchecked(const struct exchange *x, const char *what, const char *id)
{
	if (!x->caller.checked)
		log_warn("warning: %s presence '%s' with authentication "
		    "off (--auth none)", what, id);
}

/* Read the body a create needs; -1 when answered (503: no memory for it). */
static int
read_body(struct exchange *x)
{
	size_t	 len = (size_t)x->req->content_length;

	x->body = "";
	x->body_len = 0;
	if (x->src == NULL)
		return 0;
	if (x->src->read(x->src->ctx, len, &x->body, &x->body_len) == 0)
		return 0;
	fail_store(x, STORE_ENOMEM, "read a request body");
	return -1;
}

/*
 * POST /communications/presences: create a presence from the body, which
 * is read only once the caller, the scopes and the body's type and length
 * allow it.
 */
static void
presence_create(struct exchange *x)
{
	const struct request	*req = x->req;
	struct presence		 p;
	struct presence_fault	 fault;
	const char		*message;
	int			 status, err;

	if ((status = body_status(x->app, req, &message)) != 0) {
		fail(x, status, message);
		return;
	}
	/* A caller who may write nothing is refused before the body counts. */
	if (permit(x, 1, caller_user(x), DENIED_CREATE) != 0)
		return;
	if (read_body(x) != 0)
		return;
	if (x->body_len != (size_t)req->content_length) {
		fail(x, 400, "the request body is shorter than its "
		    "Content-Length");
		return;
	}
	memset(&fault, 0, sizeof fault);
	err = codec_presence_from_json(x->body, x->body_len, &p, &fault);
	if (err == 0 && permit(x, 1, p.id[0] != '\0' ? p.id : NULL,
	    DENIED_CREATE) != 0)
		return;
	/* Room for the answer first: after the commit nothing may fail. */
	if (err == 0 && buf_reserve(&x->res->body,
	    CODEC_PRESENCE_JSON_MAX) != 0)
		err = STORE_ENOMEM;
	if (err == 0)
		err = store_create(x->app->store, &p, &fault);
	if (err == STORE_EINVAL)
		fail(x, 400, fault.message);
	else if (err == STORE_EEXIST)
		fail(x, 409, NULL);
	else if (err != 0)
		fail_store(x, err, "create a presence");
	else {
		warn_unchecked(x, "created", p.id);
		answer_presence(x, 201, &p);
		set_location(x, p.id);
	}
}

/* The canonical id in the path, or -1 (answered 404) when it is no GUID. */
static int
path_id(struct exchange *x, char id[GUID_LEN + 1])
{
	if (guid_parse(x->route.key, x->route.key_len, id) == 0)
		return 0;
	fail(x, 404, NULL);
	return -1;
}

/* Answer the presence with canonical id, when the caller may read it. */
static void
answer_read(struct exchange *x, const char *id)
{
	struct presence	 p;
	int		 err;

	if (permit(x, 0, id, DENIED_READ) != 0)
		return;
	err = store_get(x->app->store, id, &p);
	if (err == STORE_ENOTFOUND)
		fail(x, 404, NULL);
	else if (err != 0)
		fail_store(x, err, "read a presence");
	else
		answer_presence(x, 200, &p);
}

/* GET /communications/presences/{id} and /users/{id}/presence. */
static void
presence_read(struct exchange *x)
{
	char	 id[GUID_LEN + 1];

	if (path_id(x, id) == 0)
		answer_read(x, id);
}

/*
 * GET /me/presence: the presence of the caller's own user.  A caller
 * bound to no user (an application token, REMOTE_USER that is no GUID,
 * --auth none) has no "me": 400, as Graph answers /me without a user.
 */
static void
presence_me(struct exchange *x)
{
	const char	*user = caller_user(x);

	if (user == NULL) {
		fail(x, 400, "'/me' needs a caller bound to a user id");
		return;
	}
	answer_read(x, user);
}

/* DELETE /communications/presences/{id}. */
static void
presence_remove(struct exchange *x)
{
	char	 id[GUID_LEN + 1];
	int	 err;

	if (path_id(x, id) != 0 || permit(x, 1, id, DENIED_DELETE) != 0)
		return;
	err = store_delete(x->app->store, id);
	if (err == STORE_ENOTFOUND)
		fail(x, 404, NULL);
	else if (err != 0)
		fail_store(x, err, "delete a presence");
	else {
		warn_unchecked(x, "deleted", id);
		buf_reset(&x->res->body);
		x->res->status = 204;
	}
}

/* Append the nextLink that resumes the listing after id. */
static int
next_link(struct exchange *x, const char *id, struct buf *out)
{
	char	 token[ODATA_SKIPTOKEN_LEN + 1];
	int	 err;

	odata_skiptoken(id, token);
	err = collection_url(x, out, 0);
	if (err == 0)
		err = buf_adds(out, "?");
	if (err == 0 && x->query.top_given)
		err = buf_printf(out, "$top=%d&", x->query.top);
	if (err == 0)
		err = buf_printf(out, "$skiptoken=%s", token);
	return err;
}

/* Append the collection envelope around rows[0..n). */
static int
list_body(struct exchange *x, const struct presence *rows, size_t n,
    int more)
{
	struct buf	*body = &x->res->body;
	struct buf	 link;
	size_t		 i;
	int		 err;

	buf_init(&link);
	err = odata_collection_begin(body);
	for (i = 0; i < n && err == 0; i++) {
		if (i > 0)
			err = buf_adds(body, ",");
		if (err == 0)
			err = codec_presence_to_json(&rows[i], body);
	}
	if (err == 0 && more && n > 0)
		err = next_link(x, rows[n - 1].id, &link);
	if (err == 0)
		err = odata_collection_end(body, link.len > 0 ? link.data : NULL);
	buf_release(&link);
	return err;
}

/* GET /communications/presences: one page in key order. */
static void
presence_list(struct exchange *x)
{
	struct presence	*rows;
	size_t		 n = 0;
	int		 more = 0, err;

	if (permit(x, 0, NULL, DENIED_LIST) != 0)
		return;
	rows = calloc((size_t)x->query.top, sizeof *rows);
	if (rows == NULL) {
		fail_store(x, STORE_ENOMEM, "list presences");
		return;
	}
	err = store_page(x->app->store, x->query.after, 0, rows,
	    (size_t)x->query.top, &n, &more);
	if (err != 0) {
		fail_store(x, err, "list presences");
		goto free_rows;
	}
	buf_reset(&x->res->body);
	if (list_body(x, rows, n, more) != 0) {
		fail_store(x, STORE_ENOMEM, "list presences");
		goto free_rows;
	}
	x->res->status = 200;
	header_set(x, "Content-Type", "application/json");
free_rows:
	free(rows);
}

/* The handler for a route and method, or NULL when the method is not allowed. */
static handler_fn *
route_handler(enum route_kind kind, const char *method)
{
	int	 get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;

	switch (kind) {
	case ROUTE_PRESENCES:
		if (get)
			return presence_list;
		return strcmp(method, "POST") == 0 ? presence_create : NULL;
	case ROUTE_PRESENCE:
		if (get)
			return presence_read;
		return strcmp(method, "DELETE") == 0 ? presence_remove : NULL;
	case ROUTE_USER_PRESENCE:
		return get ? presence_read : NULL;
	case ROUTE_ME_PRESENCE:
		return get ? presence_me : NULL;
	case ROUTE_NONE:
		break;
	}
	return NULL;
}

/* Identify the caller, or answer 401 (or 503); 0 when identified. */
static int
authenticate(struct exchange *x)
{
	enum auth_outcome	 outcome;
	int			 err;

	outcome = auth_identify(&x->app->auth, x->app->store, x->req,
	    presence_now(), &x->caller, &err);
	if (outcome == AUTH_OK)
		return 0;
	if (outcome == AUTH_STORE_FAILED)
		fail_store(x, err, "verify an access token");
	else {
		fail(x, 401, auth_outcome_message(outcome));
		header_set(x, "WWW-Authenticate", auth_challenge(outcome));
	}
	return -1;
}

/*
 * Authenticate, route the request and run its handler, or answer 401,
 * 404, 405 or 400.  Authentication comes first, as in Graph: a caller
 * without valid credentials learns nothing about paths or presences.
 */
static void
dispatch(struct exchange *x)
{
	handler_fn	*fn;
	char		 message[160];

	if (authenticate(x) != 0)
		return;
	if (route_match(x->req, x->app->base, &x->route) == ROUTE_NONE) {
		fail(x, 404, NULL);
		return;
	}
	if ((fn = route_handler(x->route.kind, x->req->method)) == NULL) {
		fail(x, 405, NULL);
		header_set(x, "Allow", route_allow(x->route.kind));
		return;
	}
	if (odata_query_parse(x->req->query_string, &x->query, message,
	    sizeof message) != 0) {
		fail(x, 400, message);
		return;
	}
	fn(x);
}

/* Add the headers every response carries; drop the body of a HEAD. */
static void
finish(struct exchange *x)
{
	struct response	*res = x->res;
	char		 length[32];

	header_set(x, "request-id", x->request_id);
	if (x->echo_client_id)
		header_set(x, "client-request-id", x->client_id);
	header_set(x, "OData-Version", "4.0");
	header_set(x, "Cache-Control", "no-store");
	if (res->status != 204) {
		snprintf(length, sizeof length, "%zu", res->body.len);
		header_set(x, "Content-Length", length);
	}
	if (strcmp(x->req->method, "HEAD") == 0)
		buf_reset(&res->body);
}

/* Start an exchange for req: its request id and client-request-id. */
static int
exchange_init(struct exchange *x, const struct app *app,
    const struct request *req, const struct body_source *src,
    struct response *res)
{
	response_reset(res);
	memset(x, 0, sizeof *x);
	x->app = app;
	x->req = req;
	x->src = src;
	x->res = res;
	x->echo_client_id = odata_client_request_id_ok(req->client_request_id);
	x->client_id = x->echo_client_id ? req->client_request_id :
	    x->request_id;
	if (odata_request_id(x->request_id) == 0)
		return 0;
	log_warn("cannot make a request id: %s", store_strerror(STORE_EIO));
	fail(x, 503, NULL);
	return -1;
}

/* Serve req into res, reading its body from src only when it is needed. */
void
handler_serve(const struct app *app, const struct request *req,
    const struct body_source *src, struct response *res)
{
	struct exchange	 x;

	if (exchange_init(&x, app, req, src, res) == 0)
		dispatch(&x);
	finish(&x);
}
