/* The actions bound to a presence, and getPresencesByUserId. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "buf.h"
#include "codec.h"
#include "error.h"
#include "exchange.h"
#include "guid.h"
#include "note.h"
#include "odata.h"
#include "presence.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "store.h"

/* What a refusal says; no word about what exists. */
#define DENIED_ACTION	"changing this presence needs " \
	"Presence.ReadWrite.All, or Presence.ReadWrite bound to its id"
#define DENIED_MANY	"getPresencesByUserId needs Presence.Read.All or " \
	"Presence.ReadWrite.All"
#define NO_SESSION	"the presence has no session with this sessionId " \
	"(it was cleared, it expired, or it never existed)"

#define ME_ONLY		"this action is no longer supported on this path: " \
	"use /me/presence (Graph keeps the work-location actions there only)"

#define MANY_CONTEXT	"Collection(microsoft.graph.presence)"

/* Whether a request says it has no body: no Content-Length, or 0. */
static int
bodiless(const struct request *req)
{
	return req->content_length == REQUEST_LENGTH_NONE ||
	    req->content_length == 0;
}

/*
 * Check the body's type and length, then read it; -1 when answered.  An
 * optional body may be left out altogether (no Content-Length, or 0),
 * whatever the Content-Type says.
 */
static int
action_body(struct exchange *x, int optional)
{
	if (optional && bodiless(x->req)) {
		x->body = "";
		x->body_len = 0;
		return 0;
	}
	return exchange_take_body(x);
}

/* Whether the route's action is one of the four work-location ones. */
static int
action_is_location(enum route_action action)
{
	return action == ROUTE_SET_MANUAL || action == ROUTE_SET_AUTOMATIC ||
	    action == ROUTE_CLEAR_AUTOMATIC || action == ROUTE_CLEAR_LOCATION;
}

/* Whether the route's action may come without a body. */
static int
action_body_optional(enum route_action action)
{
	return action == ROUTE_CLEAR_PREFERRED ||
	    action == ROUTE_CLEAR_AUTOMATIC || action == ROUTE_CLEAR_LOCATION;
}

/* Parse and run a work-location action. */
static int
action_location(struct exchange *x, const char *id, struct fault *fault)
{
	struct note_location	 loc;
	enum route_action	 a = x->route.action;
	const char		*name = route_action_name(a);
	int			 err;

	memset(&loc, 0, sizeof loc);
	if (a == ROUTE_SET_MANUAL || a == ROUTE_SET_AUTOMATIC)
		err = note_location_from_json(x->body, x->body_len, name, &loc,
		    fault);
	else
		err = codec_no_params_from_json(x->body, x->body_len, name,
		    fault);
	if (err != 0)
		return err;
	return store_location_set(x->app->store, id,
	    a == ROUTE_SET_MANUAL ? STORE_LOCATION_MANUAL :
	    a == ROUTE_SET_AUTOMATIC ? STORE_LOCATION_AUTOMATIC :
	    a == ROUTE_CLEAR_AUTOMATIC ? STORE_LOCATION_CLEAR_AUTOMATIC :
	    STORE_LOCATION_CLEAR, &loc, fault);
}

/* Parse and run setStatusMessage. */
static int
action_status(struct exchange *x, const char *id, struct fault *fault)
{
	struct note_status	status;
	int			err;

	if ((err = note_status_from_json(x->body, x->body_len, &status,
	    fault)) != 0)
		return err;
	return store_status_set(x->app->store, id, &status, fault);
}

/*
 * Parse the body of the route's action and run it on the presence id: 0
 * once committed, or a STORE_E* code (fault filled on STORE_EINVAL).
 */
static int
action_run(struct exchange *x, const char *id, struct fault *fault)
{
	struct store		*st = x->app->store;
	struct session_set	 set;
	struct preferred_set	 preferred;
	char			 session[SESSION_ID_MAX + 1];
	int			 err = STORE_EINTERNAL;

	switch (x->route.action) {
	case ROUTE_SET_PRESENCE:
		err = codec_session_set_from_json(x->body, x->body_len, &set,
		    fault);
		return err != 0 ? err : store_session_set(st, id, &set, fault);
	case ROUTE_CLEAR_PRESENCE:
		err = codec_session_clear_from_json(x->body, x->body_len,
		    session, fault);
		return err != 0 ? err : store_session_clear(st, id, session);
	case ROUTE_SET_PREFERRED:
		err = codec_preferred_set_from_json(x->body, x->body_len,
		    &preferred, fault);
		return err != 0 ? err :
		    store_preferred_set(st, id, &preferred, fault);
	case ROUTE_CLEAR_PREFERRED:
		err = codec_preferred_clear_from_json(x->body, x->body_len,
		    fault);
		return err != 0 ? err : store_preferred_clear(st, id);
	case ROUTE_SET_STATUS:
		return action_status(x, id, fault);
	case ROUTE_SET_MANUAL:
	case ROUTE_SET_AUTOMATIC:
	case ROUTE_CLEAR_AUTOMATIC:
	case ROUTE_CLEAR_LOCATION:
		return action_location(x, id, fault);
	case ROUTE_ACTION_NONE:
		break;
	}
	return err;
}

/* POST .../presence/{action}: run the action, answer 200 with no body. */
void
action_serve(struct exchange *x)
{
	struct fault		 fault;
	char			 id[GUID_LEN + 1], what[64];
	int			 err;

	if (action_is_location(x->route.action) &&
	    x->route.kind != ROUTE_ME_ACTION) {
		exchange_fail(x, 400, ME_ONLY);
		return;
	}
	/* The scope is judged by the path alone: before body and lookup. */
	if (exchange_target(x, id) != 0 ||
	    exchange_permit(x, 1, id, DENIED_ACTION) != 0)
		return;
	if (action_body(x, action_body_optional(x->route.action)) != 0)
		return;
	memset(&fault, 0, sizeof fault);
	err = action_run(x, id, &fault);
	switch (err) {
	case 0:
		exchange_warn_unchecked(x, "changed", id);
		/* No Content-Type: the Graph SDK parses a JSON one, and throws. */
		buf_reset(&x->res->body);
		x->res->status = 200;
		return;
	case STORE_EINVAL:
		exchange_fail(x, 400, fault.message);
		return;
	case STORE_ENOTFOUND:
		exchange_fail(x, 404, NULL);
		return;
	case STORE_ENOSESSION:
		exchange_fail(x, 404, NO_SESSION);
		return;
	}
	snprintf(what, sizeof what, "run %s",
	    route_action_name(x->route.action));
	exchange_fail_store(x, err, what);
}

/* Append the collection of what rows[0..n) show, views[0..n). */
static int
many_body(struct exchange *x, const struct presence *rows,
    const struct presence_view *views, size_t n)
{
	struct buf	*body = &x->res->body;
	struct buf	 context;
	size_t		 i;
	int		 err;

	buf_init(&context);
	buf_reset(body);
	err = exchange_context(x, MANY_CONTEXT, &context);
	if (err == 0)
		err = odata_collection_begin(body, context.data);
	for (i = 0; i < n && err == 0; i++) {
		if (i > 0)
			err = buf_adds(body, ",");
		if (err == 0)
			err = codec_presence_view_to_json(&rows[i], &views[i],
			    NULL, body);
	}
	if (err == 0)
		err = odata_collection_end(body, NULL);
	buf_release(&context);
	return err;
}

/*
 * Read the presences ids names into freshly allocated rows and views (the
 * caller frees both, also on failure); *found says how many.
 */
static int
many_read(struct exchange *x, const struct codec_ids *ids,
    struct presence **rows, struct presence_view **views, size_t *found)
{
	*found = 0;
	if (ids->n == 0)
		return 0;
	*rows = calloc(ids->n, sizeof **rows);
	*views = calloc(ids->n, sizeof **views);
	if (*rows == NULL || *views == NULL)
		return STORE_ENOMEM;
	return store_get_many(x->app->store, ids->ids, ids->n, *rows, *views,
	    found);
}

/* POST /communications/getPresencesByUserId. */
void
action_get_many(struct exchange *x)
{
	struct codec_ids	*ids;
	struct presence		*rows = NULL;
	struct presence_view	*views = NULL;
	struct fault		 fault;
	size_t			 found;
	int			 err;

	if (exchange_permit(x, 0, NULL, DENIED_MANY) != 0 ||
	    action_body(x, 0) != 0)
		return;
	/* About 30 KiB: too much for a worker thread's stack. */
	if ((ids = malloc(sizeof *ids)) == NULL) {
		exchange_fail_store(x, STORE_ENOMEM, "read presences by id");
		return;
	}
	memset(&fault, 0, sizeof fault);
	err = codec_ids_from_json(x->body, x->body_len, ids, &fault);
	if (err == STORE_EINVAL) {
		exchange_fail(x, 400, fault.message);
		goto free_ids;
	}
	if (err == 0)
		err = many_read(x, ids, &rows, &views, &found);
	if (err == 0)
		err = many_body(x, rows, views, found);
	if (err != 0) {
		exchange_fail_store(x, err, "read presences by id");
		goto free_rows;
	}
	x->res->status = 200;
	exchange_header(x, "Content-Type", "application/json");
free_rows:
	free(views);
	free(rows);
free_ids:
	free(ids);
}
