/*
 * The API's entry: authenticate, route and dispatch a request, and the
 * handlers that create, read, list and delete presences (the actions are
 * in actions.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "auth.h"
#include "buf.h"
#include "codec.h"
#include "error.h"
#include "exchange.h"
#include "guid.h"
#include "handler.h"
#include "log.h"
#include "metadata.h"
#include "odata.h"
#include "presence.h"
#include "request.h"
#include "router.h"
#include "store.h"
#include "subscriptions.h"

#define COLLECTION_PATH	"/communications/presences"

typedef void handler_fn(struct exchange *);

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
	log_request(x->request_id, LOG_PRIO_ERROR,
	    "cannot set a Location for presence '%s'", id);
release_url:
	buf_release(&url);
}

/*
 * Answer 200 or 201 with one presence as the body: what a read shows at
 * its last change, so that a GET right after answers the same, but for
 * its context.
 */
static void
answer_presence(struct exchange *x, int status, const struct presence *p)
{
	struct presence_view	view;

	presence_view(p, p->modified, &view);
	buf_reset(&x->res->body);
	if (codec_presence_view_to_json(p, &view, NULL, &x->res->body) != 0) {
		exchange_fail_store(x, STORE_ENOMEM, "format a presence");
		return;
	}
	x->res->status = status;
	exchange_header(x, "Content-Type", "application/json");
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
 * POST /communications/presences: create a presence from the body, which
 * is read only once the caller, the scopes and the body's type and length
 * allow it.
 */
static void
presence_create(struct exchange *x)
{
	struct presence		 p;
	struct fault		 fault;
	const char		*message;
	int			 status, err;

	if ((status = exchange_body_status(x, &message)) != 0) {
		exchange_fail(x, status, message);
		return;
	}
	/* A caller who may write nothing is refused before the body counts. */
	if (exchange_permit(x, 1, exchange_caller_user(x), DENIED_CREATE) != 0)
		return;
	if (exchange_read_body(x) != 0)
		return;
	memset(&fault, 0, sizeof fault);
	err = codec_presence_from_json(x->body, x->body_len, &p, &fault);
	if (err == 0 && exchange_permit(x, 1, p.id[0] != '\0' ? p.id : NULL,
	    DENIED_CREATE) != 0)
		return;
	/* Room for the answer first: after the commit nothing may fail. */
	if (err == 0 && buf_reserve(&x->res->body,
	    CODEC_VIEW_JSON_MAX + 2) != 0)
		err = STORE_ENOMEM;
	if (err == 0)
		err = store_create(x->app->store, &p, &fault);
	if (err == STORE_EINVAL)
		exchange_fail(x, 400, fault.message);
	else if (err == STORE_EEXIST)
		exchange_fail(x, 409, NULL);
	else if (err != 0)
		exchange_fail_store(x, err, "create a presence");
	else {
		exchange_warn_unchecked(x, "created", p.id);
		answer_presence(x, 201, &p);
		set_location(x, p.id);
	}
}

/*
 * Append the @odata.context of a GET of the presence id: Graph's
 * users('{id}')/presence/$entity, or communications/presences/$entity
 * when the client asked by that path.
 */
static int
read_context(const struct exchange *x, const char *id, struct buf *out)
{
	char	 fragment[64];

	if (x->route.kind == ROUTE_PRESENCE)
		return exchange_context(x, "communications/presences/$entity",
		    out);
	snprintf(fragment, sizeof fragment, "users('%s')/presence/$entity", id);
	return exchange_context(x, fragment, out);
}

/* Answer 200 with what the presence p shows, view, and its context. */
static void
answer_view(struct exchange *x, const struct presence *p,
    const struct presence_view *view)
{
	struct buf	 context;
	int		 err;

	buf_init(&context);
	buf_reset(&x->res->body);
	err = read_context(x, p->id, &context);
	if (err == 0)
		err = codec_presence_view_to_json(p, view, context.data,
		    &x->res->body);
	buf_release(&context);
	if (err != 0) {
		exchange_fail_store(x, STORE_ENOMEM, "format a presence");
		return;
	}
	x->res->status = 200;
	exchange_header(x, "Content-Type", "application/json");
}

/* Answer what the presence with canonical id shows, when the caller may. */
static void
answer_read(struct exchange *x, const char *id)
{
	struct presence		 p;
	struct presence_view	 view;
	int			 err;

	if (exchange_permit(x, 0, id, DENIED_READ) != 0)
		return;
	err = store_get_view(x->app->store, id, &p, &view);
	if (err == STORE_ENOTFOUND)
		exchange_fail(x, 404, NULL);
	else if (err != 0)
		exchange_fail_store(x, err, "read a presence");
	else
		answer_view(x, &p, &view);
}

/*
 * GET /communications/presences/{id}, /users/{id}/presence and
 * /me/presence: the caller's own (a caller bound to no user, such as an
 * application token, REMOTE_USER that is no GUID or --auth none, has no
 * "me": 400, as Graph answers /me without a user).
 */
static void
presence_read(struct exchange *x)
{
	char	 id[GUID_LEN + 1];

	if (exchange_target(x, id) == 0)
		answer_read(x, id);
}

/* DELETE /communications/presences/{id}. */
static void
presence_remove(struct exchange *x)
{
	char	 id[GUID_LEN + 1];
	int	 err;

	if (exchange_target(x, id) != 0 ||
	    exchange_permit(x, 1, id, DENIED_DELETE) != 0)
		return;
	err = store_delete(x->app->store, id);
	if (err == STORE_ENOTFOUND)
		exchange_fail(x, 404, NULL);
	else if (err != 0)
		exchange_fail_store(x, err, "delete a presence");
	else {
		exchange_warn_unchecked(x, "deleted", id);
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

/*
 * Append the collection envelope around what rows[0..n) show at one
 * instant.
 */
static int
list_body(struct exchange *x, const struct presence *rows, size_t n,
    int more)
{
	struct buf		*body = &x->res->body;
	struct buf		 link;
	struct presence_view	 view;
	int64_t			 now = presence_now();
	size_t			 i;
	int			 err;

	buf_init(&link);
	err = exchange_context(x, "communications/presences", &link);
	if (err == 0)
		err = odata_collection_begin(body, link.data);
	buf_reset(&link);
	for (i = 0; i < n && err == 0; i++) {
		presence_view(&rows[i], now, &view);
		if (i > 0)
			err = buf_adds(body, ",");
		if (err == 0)
			err = codec_presence_view_to_json(&rows[i], &view, NULL,
			    body);
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

	if (exchange_permit(x, 0, NULL, DENIED_LIST) != 0)
		return;
	rows = calloc((size_t)x->query.top, sizeof *rows);
	if (rows == NULL) {
		exchange_fail_store(x, STORE_ENOMEM, "list presences");
		return;
	}
	err = store_page(x->app->store, x->query.after, 0, rows,
	    (size_t)x->query.top, &n, &more);
	if (err != 0) {
		exchange_fail_store(x, err, "list presences");
		goto free_rows;
	}
	buf_reset(&x->res->body);
	if (list_body(x, rows, n, more) != 0) {
		exchange_fail_store(x, STORE_ENOMEM, "list presences");
		goto free_rows;
	}
	x->res->status = 200;
	exchange_header(x, "Content-Type", "application/json");
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
		return get ? presence_read : NULL;
	case ROUTE_PRESENCE_ACTION:
	case ROUTE_USER_ACTION:
	case ROUTE_ME_ACTION:
		return strcmp(method, "POST") == 0 ? action_serve : NULL;
	case ROUTE_GET_MANY:
		return strcmp(method, "POST") == 0 ? action_get_many : NULL;
	case ROUTE_METADATA:
		return get ? metadata_serve : NULL;
	case ROUTE_SUBSCRIPTIONS:
		if (get)
			return subscription_list;
		return strcmp(method, "POST") == 0 ? subscription_create : NULL;
	case ROUTE_SUBSCRIPTION:
		if (get)
			return subscription_read;
		if (strcmp(method, "PATCH") == 0)
			return subscription_renew;
		return strcmp(method, "DELETE") == 0 ? subscription_remove : NULL;
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
		exchange_fail_store(x, err, "verify an access token");
	else {
		exchange_fail(x, 401, auth_outcome_message(outcome));
		exchange_header(x, "WWW-Authenticate", auth_challenge(outcome));
	}
	return -1;
}

/*
 * Authenticate, route the request and run its handler, or answer 401,
 * 404, 405 or 400.  Authentication comes first, as in Graph: a caller
 * without valid credentials learns nothing about paths or presences.
 * The one exception is $metadata, which Graph serves to anyone: OData
 * tooling reads it before it has a token, and it tells nothing about
 * presences.
 */
static void
dispatch(struct exchange *x)
{
	handler_fn	*fn;
	char		 message[160];

	route_match(x->req, x->app->base, &x->route);
	if (x->route.kind != ROUTE_METADATA && authenticate(x) != 0)
		return;
	if (x->route.kind == ROUTE_NONE) {
		exchange_fail(x, 404, NULL);
		return;
	}
	if ((fn = route_handler(x->route.kind, x->req->method)) == NULL) {
		exchange_fail(x, 405, NULL);
		exchange_header(x, "Allow", route_allow(x->route.kind));
		return;
	}
	if (odata_query_parse(x->req->query_string, &x->query, message,
	    sizeof message) != 0) {
		exchange_fail(x, 400, message);
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

	exchange_header(x, "request-id", x->request_id);
	if (x->echo_client_id)
		exchange_header(x, "client-request-id", x->client_id);
	exchange_header(x, "OData-Version", "4.0");
	exchange_header(x, "Cache-Control", "no-store");
	if (res->status != 204) {
		snprintf(length, sizeof length, "%zu", res->body.len);
		exchange_header(x, "Content-Length", length);
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
	exchange_fail(x, 503, NULL);
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
