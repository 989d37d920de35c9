/* One request being served, and the ways a handler answers it. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth.h"
#include "buf.h"
#include "error.h"
#include "exchange.h"
#include "guid.h"
#include "log.h"
#include "odata.h"
#include "request.h"
#include "router.h"

/* Set a header whose value was built here; log when it cannot be set. */
void
exchange_header(struct exchange *x, const char *name, const char *value)
{
	if (response_header_set(x->res, name, value) != 0)
		log_request(x->request_id, LOG_PRIO_ERROR,
		    "cannot set header '%s'", name);
}

/* Answer an error: status, Graph's error body; message NULL: the default. */
void
exchange_fail(struct exchange *x, int status, const char *message)
{
	struct response	*res = x->res;

	res->status = status;
	buf_reset(&res->body);
	if (odata_error_json(&res->body, status, message, x->request_id,
	    x->client_id, time(NULL)) != 0) {
		buf_reset(&res->body);
		res->status = 503;
		log_request(x->request_id, LOG_PRIO_ERROR,
		    "cannot format an error: %s",
		    store_strerror(STORE_ENOMEM));
	}
	exchange_header(x, "Content-Type", "application/json");
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
 * log.  Threads share the count; a line names the request that wrote it.
 */
static void
log_full(const struct exchange *x, const char *what)
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
		log_request(x->request_id, LOG_PRIO_ERROR,
		    "cannot %s: %s; writes are refused until the "
		    "database is given room (--map-max) or records are deleted "
		    "(further refusals are counted, one line every %d s)", what,
		    store_strerror(STORE_EFULL), FULL_LOG_EVERY);
	else if (n > 0)
		log_request(x->request_id, LOG_PRIO_ERROR,
		    "%lu more writes refused: %s", n,
		    store_strerror(STORE_EFULL));
}

/* Answer a storage failure with the status it maps to, and log it. */
void
exchange_fail_store(struct exchange *x, int err, const char *what)
{
	int	 status;

	switch (err) {
	case STORE_EFULL:
		log_full(x, what);
		exchange_fail(x, 507, NULL);
		return;
	case STORE_ELOCKGONE:
		/* Only a new process opens the environment afresh. */
		log_request(x->request_id, LOG_PRIO_ERROR,
		    "cannot %s: %s; never delete lock.mdb while "
		    "processes use the database: exiting so that a fresh "
		    "process takes over", what, store_strerror(err));
		x->res->fatal = 1;
		exchange_fail(x, 503, NULL);
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
	log_request(x->request_id, LOG_PRIO_ERROR, "cannot %s: %s", what,
	    store_strerror(err));
	exchange_fail(x, status, NULL);
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

/* The status a request answers before reading its body, or 0: in order. */
int
exchange_body_status(const struct exchange *x, const char **message)
{
	const struct request	*req = x->req;

	*message = NULL;
	if (!is_json_type(req->content_type))
		return 415;
	if (req->content_length == REQUEST_LENGTH_NONE)
		return 411;
	if (req->content_length == REQUEST_LENGTH_BAD) {
		*message = "the Content-Length is not a number";
		return 400;
	}
	if ((unsigned long long)req->content_length > x->app->max_body)
		return 413;
	return 0;
}

/*
 * Answer 403 with message unless the caller may read (write 0) or write
 * the presence target (NULL: the collection); 0 when allowed.
 */
int
exchange_permit(struct exchange *x, int write, const char *target,
    const char *message)
{
	if (auth_allows(&x->caller, write, target))
		return 0;
	exchange_fail(x, 403, message);
	return -1;
}

/* The presence the caller's user id names, or NULL: none. */
const char *
exchange_caller_user(const struct exchange *x)
{
	return x->caller.checked && x->caller.grants.user[0] != '\0' ?
	    x->caller.grants.user : NULL;
}

/* In --auth none mode, log every write: nobody was checked. */
void
exchange_warn_unchecked(const struct exchange *x, const char *what,
    const char *id)
{
	if (!x->caller.checked)
		log_request(x->request_id, LOG_PRIO_WARNING,
		    "warning: %s presence '%s' with authentication "
		    "off (--auth none)", what, id);
}

/* Read the body; -1 when answered (503: no memory, 400: cut short). */
int
exchange_read_body(struct exchange *x)
{
	size_t	 len = (size_t)x->req->content_length;

	x->body = "";
	x->body_len = 0;
	if (x->src != NULL &&
	    x->src->read(x->src->ctx, len, &x->body, &x->body_len) != 0) {
		exchange_fail_store(x, STORE_ENOMEM, "read a request body");
		return -1;
	}
	if (x->body_len == len)
		return 0;
	exchange_fail(x, 400, "the request body is shorter than its "
	    "Content-Length");
	return -1;
}

/* Check the body's headers, then read it; -1 when answered. */
int
exchange_take_body(struct exchange *x)
{
	const char	*message;
	int		 status;

	if ((status = exchange_body_status(x, &message)) != 0) {
		exchange_fail(x, status, message);
		return -1;
	}
	return exchange_read_body(x);
}

/* The canonical id of the presence the route names; -1 when answered. */
int
exchange_target(struct exchange *x, char id[GUID_LEN + 1])
{
	const char	*user;

	if (x->route.kind == ROUTE_ME_PRESENCE ||
	    x->route.kind == ROUTE_ME_ACTION) {
		/* A caller bound to no user has no "me", as in Graph. */
		if ((user = exchange_caller_user(x)) == NULL) {
			exchange_fail(x, 400,
			    "'/me' needs a caller bound to a user id");
			return -1;
		}
		memcpy(id, user, GUID_LEN + 1);
		return 0;
	}
	if (guid_parse(x->route.key, x->route.key_len, id) == 0)
		return 0;
	exchange_fail(x, 404, NULL);
	return -1;
}

/* Append the URL of the service root the client used. */
int
exchange_root_url(const struct exchange *x, struct buf *out)
{
	const struct route	*rt = &x->route;

	return odata_url_base(out, x->req, rt->mount, rt->mount_len,
	    rt->version);
}


/* Append the @odata.context of a response. */
int
exchange_context(const struct exchange *x, const char *fragment,
    struct buf *out)
{
	int	 err;

	err = exchange_root_url(x, out);
	if (err == 0)
		err = buf_adds(out, "/$metadata#");
	if (err == 0)
		err = buf_adds(out, fragment);
	return err;
}
