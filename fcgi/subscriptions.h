/*
 * /subscriptions and /subscriptions/{id}: Graph's change-notification
 * subscriptions, handlers of an exchange like handler.c's.  Every one
 * needs Presence.Read.All or Presence.ReadWrite.All (403), and sees only
 * the subscriptions of its caller (the token's name, or REMOTE_USER):
 * another caller's is a 404.
 */
#ifndef PRESENCE_FCGI_SUBSCRIPTIONS_H
#define PRESENCE_FCGI_SUBSCRIPTIONS_H

#include "exchange.h"

#define SUBSCRIPTION_TOKEN_PREFIX "Validation: Testing client application " \
	"reachability for subscription Request-Id: "

/*
 * POST /subscriptions: read the body (400 naming the member), check both
 * URLs against the destination policy (400 naming the URL and why), run
 * the validation handshake on each (400 saying why it failed), then
 * store the subscription: 201 with it and a Location.
 */
void subscription_create(struct exchange *x);

/* GET /subscriptions: the caller's, {"value":[...]}, in id order. */
void subscription_list(struct exchange *x);

/* GET /subscriptions/{id}: 200 or 404. */
void subscription_read(struct exchange *x);

/* PATCH /subscriptions/{id} {"expirationDateTime"}: 200 or 400, 404. */
void subscription_renew(struct exchange *x);

/* DELETE /subscriptions/{id}: 204 or 404; its backlog goes with it. */
void subscription_remove(struct exchange *x);

/*
 * POST the handshake to url: ?validationToken=<token, URL-encoded>
 * appended, an empty text/plain body; the answer must be 200, text/plain
 * and the token exactly, within OUTBOUND_TIMEOUT_MS.  0, or -1 with why
 * filled (size bytes).
 */
int subscription_handshake(const struct notify_policy *pol, const char *url,
    char *why, size_t size);

#endif
