/* Graph's change-notification subscriptions over the store. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "error.h"
#include "exchange.h"
#include "guid.h"
#include "log.h"
#include "outbound.h"
#include "policy.h"
#include "presence.h"
#include "store.h"
#include "subscription.h"
#include "subscriptions.h"

#define DENIED_SUBSCRIBE "subscriptions need Presence.Read.All or " \
	"Presence.ReadWrite.All"
#define FAILED_PREFIX	"Subscription validation request failed: "
#define LIST_PAGE	64

static const struct notify_policy no_entries;	/* public https only */

/* The policy in force. */
static const struct notify_policy *
policy_of(const struct exchange *x)
{
	return x->app->notify != NULL ? x->app->notify : &no_entries;
}

/*
 * Who owns what the caller subscribes: the token's name, the
 * subscription_owner_remote of REMOTE_USER, or "" when nobody is
 * checked.  0 or STORE_EIO.
 */
static int
caller_owner(const struct exchange *x, char owner[TOKEN_NAME_MAX + 1])
{
	const char	*user = x->req->remote_user;

	owner[0] = '\0';
	if (!x->caller.checked)
		return 0;
	if (x->caller.grants.name[0] != '\0') {
		snprintf(owner, TOKEN_NAME_MAX + 1, "%s", x->caller.grants.name);
		return 0;
	}
	return user != NULL ? subscription_owner_remote(user, owner) : 0;
}

/*
 * Whose subscriptions the caller sees: *owner is its owner, written into
 * buf, or NULL (every one) when nobody is checked.  0, or -1 when
 * answered.
 */
static int
caller_scope(struct exchange *x, char buf[TOKEN_NAME_MAX + 1],
    const char **owner)
{
	int	err;

	if ((err = caller_owner(x, buf)) != 0) {
		exchange_fail_store(x, err, "identify the caller");
		return -1;
	}
	*owner = x->caller.checked ? buf : NULL;
	return 0;
}

/* URL-encode s onto out: unreserved characters stay, the rest %XX. */
static int
url_encode(struct buf *out, const char *s)
{
	int	rc = 0;

	for (; *s != '\0' && rc == 0; s++) {
		if (isalnum((unsigned char)*s) || strchr("-._~", *s) != NULL)
			rc = buf_printf(out, "%c", *s);
		else
			rc = buf_printf(out, "%%%02X", (unsigned char)*s);
	}
	return rc;
}

/* Whether a Content-Type value is text/plain, parameters allowed. */
static int
is_text_plain(const char *type)
{
	size_t	n = strlen("text/plain");

	return strncasecmp(type, "text/plain", n) == 0 &&
	    (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

/* POST the validation handshake to url. */
int
subscription_handshake(const struct notify_policy *pol, const char *url,
    char *why, size_t size)
{
	struct outbound_result	*res;
	struct buf		 target;
	char			 id[GUID_LEN + 1], token[128];
	int			 rc = -1;

	if ((res = malloc(sizeof *res)) == NULL) {
		snprintf(why, size, "out of memory");
		return -1;
	}
	buf_init(&target);
	if (guid_generate(id) != 0) {
		snprintf(why, size, "cannot draw a token");
		goto out;
	}
	snprintf(token, sizeof token, SUBSCRIPTION_TOKEN_PREFIX "%s", id);
	if (buf_adds(&target, url) != 0 ||
	    buf_adds(&target, strchr(url, '?') != NULL ? "&" : "?") != 0 ||
	    buf_adds(&target, "validationToken=") != 0 ||
	    url_encode(&target, token) != 0) {
		snprintf(why, size, "out of memory");
		goto out;
	}
	if (outbound_post(NULL, pol, target.data, "text/plain", "", 0, NULL,
	    res) != 0)
		snprintf(why, size, "%s", res->why);
	else if (res->status >= 300 && res->status < 400)
		snprintf(why, size, "the endpoint answered status %ld, a "
		    "redirect, which is not followed", res->status);
	else if (res->status != 200)
		snprintf(why, size, "the endpoint answered status %ld (it must "
		    "answer 200 OK)", res->status);
	else if (!is_text_plain(res->content_type))
		snprintf(why, size, "the endpoint answered with Content-Type "
		    "'%.60s' (it must be text/plain)", res->content_type);
	else if (res->body_over || strcmp(res->body, token) != 0)
		snprintf(why, size, "the endpoint's answer is not the "
		    "validationToken it was sent (it must echo it exactly)");
	else
		rc = 0;
out:
	buf_release(&target);
	free(res);
	return rc;
}

/* Answer status with s as the body. */
static void
answer_subscription(struct exchange *x, int status,
    const struct subscription *s)
{
	struct buf	 context;
	int		 err;

	buf_init(&context);
	buf_reset(&x->res->body);
	err = exchange_context(x, "subscriptions/$entity", &context);
	if (err == 0)
		err = codec_subscription_to_json(s, context.data, &x->res->body);
	buf_release(&context);
	if (err != 0) {
		exchange_fail_store(x, STORE_ENOMEM, "format a subscription");
		return;
	}
	x->res->status = status;
	exchange_header(x, "Content-Type", "application/json");
}

/* Set Location to the new subscription's URL. */
static void
set_location(struct exchange *x, const char *id)
{
	struct buf	 url;

	buf_init(&url);
	if (exchange_root_url(x, &url) != 0 ||
	    buf_printf(&url, "/subscriptions/%s", id) != 0 ||
	    response_header_set(x->res, "Location", url.data) != 0)
		log_request(x->request_id, LOG_PRIO_ERROR,
		    "cannot set a Location for subscription '%s'", id);
	buf_release(&url);
}

/*
 * Check a URL against the policy and shake hands with it; 0, or -1 when
 * answered with a 400.
 */
static int
check_destination(struct exchange *x, const char *member, const char *url)
{
	char	why[OUTBOUND_WHY_MAX], message[OUTBOUND_WHY_MAX + 256];

	if (policy_check_url(policy_of(x), url, why) != 0) {
		snprintf(message, sizeof message, "'%s' %.200s is not an "
		    "allowed destination: %s", member, url, why);
		exchange_fail(x, 400, message);
		return -1;
	}
	if (subscription_handshake(policy_of(x), url, why, sizeof why) != 0) {
		snprintf(message, sizeof message, FAILED_PREFIX "'%s' %.200s: "
		    "%s", member, url, why);
		exchange_fail(x, 400, message);
		return -1;
	}
	return 0;
}

/* Read, check and store a new subscription s from the body. */
static void
create_from_body(struct exchange *x, struct subscription *s)
{
	struct fault	 fault;
	int		 err;

	memset(&fault, 0, sizeof fault);
	err = codec_subscription_from_json(x->body, x->body_len, s, &fault);
	if (err == 0)
		err = subscription_validate(s, presence_now(), &fault);
	if (err == STORE_EINVAL) {
		exchange_fail(x, 400, fault.message);
		return;
	}
	if (err != 0) {
		exchange_fail_store(x, err, "read a subscription");
		return;
	}
	if (check_destination(x, "notificationUrl", s->notify_url) != 0 ||
	    (s->lifecycle_url[0] != '\0' && check_destination(x,
	    "lifecycleNotificationUrl", s->lifecycle_url) != 0))
		return;
	if ((err = caller_owner(x, s->owner)) != 0) {
		exchange_fail_store(x, err, "create a subscription");
		return;
	}
	/* The handshake took time: the lifetime is checked again inside. */
	err = store_subscription_create(x->app->store, s, &fault);
	if (err == STORE_EINVAL)
		exchange_fail(x, 400, fault.message);
	else if (err != 0)
		exchange_fail_store(x, err, "create a subscription");
	else {
		answer_subscription(x, 201, s);
		set_location(x, s->id);
	}
}

/* POST /subscriptions. */
void
subscription_create(struct exchange *x)
{
	struct subscription	*s;

	if (exchange_permit(x, 0, NULL, DENIED_SUBSCRIBE) != 0 ||
	    exchange_take_body(x) != 0)
		return;
	if ((s = malloc(sizeof *s)) == NULL) {
		exchange_fail_store(x, STORE_ENOMEM, "create a subscription");
		return;
	}
	create_from_body(x, s);
	free(s);
}

/* The subscription id the route names, or -1 when answered 404. */
static int
route_id(struct exchange *x, char id[GUID_LEN + 1])
{
	if (guid_parse(x->route.key, x->route.key_len, id) == 0)
		return 0;
	exchange_fail(x, 404, NULL);
	return -1;
}

/*
 * Check that the caller may use subscriptions and read the id the route
 * names; *owner is then caller_scope's, in buf.  0, or -1 when answered.
 */
static int
route_target(struct exchange *x, char id[GUID_LEN + 1],
    char buf[TOKEN_NAME_MAX + 1], const char **owner)
{
	if (exchange_permit(x, 0, NULL, DENIED_SUBSCRIBE) != 0 ||
	    route_id(x, id) != 0)
		return -1;
	return caller_scope(x, buf, owner);
}

/*
 * Answer what the store said of one subscription: 400 with fault's
 * message (when fault is not NULL), 404, a store failure while doing
 * what doing says, or else s with 200 (NULL: 204 without a body).
 */
static void
answer_outcome(struct exchange *x, int err, const struct fault *fault,
    const char *doing, const struct subscription *s)
{
	if (err == STORE_EINVAL && fault != NULL)
		exchange_fail(x, 400, fault->message);
	else if (err == STORE_ENOTFOUND)
		exchange_fail(x, 404, NULL);
	else if (err != 0)
		exchange_fail_store(x, err, doing);
	else if (s != NULL)
		answer_subscription(x, 200, s);
	else {
		buf_reset(&x->res->body);
		x->res->status = 204;
	}
}

/* Append one subscription of a listing; STORE_ENOTFOUND if it went. */
static int
list_one(struct exchange *x, const char *owner, const char *id,
    struct subscription *s, int first)
{
	int	err;

	err = store_subscription_get(x->app->store, id, owner, s, NULL);
	if (err != 0)
		return err;
	if (!first && (err = buf_adds(&x->res->body, ",")) != 0)
		return err;
	return codec_subscription_to_json(s, NULL, &x->res->body);
}

/* Append every subscription of owner after the collection's head. */
static int
list_all(struct exchange *x, const char *owner, struct subscription *s,
    struct subscription_row *rows)
{
	char	after[GUID_LEN + 1] = "";
	size_t	n, i, done = 0;
	int	more, err;

	do {
		err = store_subscription_page(x->app->store, owner, after,
		    rows, LIST_PAGE, &n, &more);
		for (i = 0; i < n && err == 0; i++) {
			err = list_one(x, owner, rows[i].id, s, done == 0);
			if (err == STORE_ENOTFOUND)
				err = 0;	/* deleted meanwhile */
			else if (err == 0)
				done++;
		}
		if (n > 0)
			memcpy(after, rows[n - 1].id, sizeof after);
	} while (err == 0 && more);
	return err;
}

/* GET /subscriptions. */
void
subscription_list(struct exchange *x)
{
	struct subscription	*s;
	struct subscription_row	*rows;
	struct buf		 context;
	char			 buf[TOKEN_NAME_MAX + 1];
	const char		*owner;
	int			 err;

	if (exchange_permit(x, 0, NULL, DENIED_SUBSCRIBE) != 0 ||
	    caller_scope(x, buf, &owner) != 0)
		return;
	s = malloc(sizeof *s);
	rows = calloc(LIST_PAGE, sizeof *rows);
	buf_init(&context);
	err = s == NULL || rows == NULL ? STORE_ENOMEM : 0;
	buf_reset(&x->res->body);
	if (err == 0)
		err = exchange_context(x, "subscriptions", &context);
	if (err == 0)
		err = odata_collection_begin(&x->res->body, context.data);
	if (err == 0)
		err = list_all(x, owner, s, rows);
	if (err == 0)
		err = odata_collection_end(&x->res->body, NULL);
	if (err != 0)
		exchange_fail_store(x, err, "list subscriptions");
	else {
		x->res->status = 200;
		exchange_header(x, "Content-Type", "application/json");
	}
	buf_release(&context);
	free(rows);
	free(s);
}

/* GET /subscriptions/{id}. */
void
subscription_read(struct exchange *x)
{
	struct subscription	*s;
	char			 id[GUID_LEN + 1], buf[TOKEN_NAME_MAX + 1];
	const char		*owner;
	int			 err;

	if (route_target(x, id, buf, &owner) != 0)
		return;
	if ((s = malloc(sizeof *s)) == NULL)
		err = STORE_ENOMEM;
	else
		err = store_subscription_get(x->app->store, id, owner, s,
		    NULL);
	answer_outcome(x, err, NULL, "read a subscription", s);
	free(s);
}

/* PATCH /subscriptions/{id}. */
void
subscription_renew(struct exchange *x)
{
	struct subscription	*s;
	struct fault		 fault;
	char			 id[GUID_LEN + 1], buf[TOKEN_NAME_MAX + 1];
	const char		*owner;
	int64_t			 expires = 0;
	int			 err;

	if (route_target(x, id, buf, &owner) != 0 ||
	    exchange_take_body(x) != 0)
		return;
	memset(&fault, 0, sizeof fault);
	err = codec_subscription_patch_from_json(x->body, x->body_len,
	    &expires, &fault);
	if (err == STORE_EINVAL) {
		exchange_fail(x, 400, fault.message);
		return;
	}
	if ((s = malloc(sizeof *s)) == NULL)
		err = STORE_ENOMEM;
	if (err == 0)
		err = store_subscription_renew(x->app->store, id, owner,
		    expires, s, &fault);
	answer_outcome(x, err, &fault, "renew a subscription", s);
	free(s);
}

/* DELETE /subscriptions/{id}. */
void
subscription_remove(struct exchange *x)
{
	char		 id[GUID_LEN + 1], buf[TOKEN_NAME_MAX + 1];
	const char	*owner;

	if (route_target(x, id, buf, &owner) != 0)
		return;
	answer_outcome(x, store_subscription_delete(x->app->store, id, owner),
	    NULL, "delete a subscription", NULL);
}
