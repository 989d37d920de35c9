/*
 * Change-notification subscriptions: the model, its checks and its JSON.
 * A subscription watches up to SUBSCRIPTION_IDS_MAX presences for a
 * token and names where their changes are POSTed.  The store keeps it
 * (store.h: store_subscription_*, store_notify_*); fcgi/ does the HTTP.
 */
#ifndef PRESENCE_STORAGE_SUBSCRIPTION_H
#define PRESENCE_STORAGE_SUBSCRIPTION_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "guid.h"
#include "token.h"

#define SUBSCRIPTION_IDS_MAX		650	/* presences one watches */
#define SUBSCRIPTION_URL_MAX		2048	/* bytes of a URL */
#define SUBSCRIPTION_STATE_MAX		128	/* bytes of clientState */
#define SUBSCRIPTION_LIFETIME_MAX	(60 * 60 * 1000)	/* 1 h, in ms */
#define SUBSCRIPTION_RESULT_MAX		160	/* bytes of a delivery result */
#define SUBSCRIPTION_RESOURCE_MAX	(64 + SUBSCRIPTION_IDS_MAX * 40)
#define SUBSCRIPTION_JSON_MAX		(2 * SUBSCRIPTION_RESOURCE_MAX + \
	12 * SUBSCRIPTION_URL_MAX + 6 * SUBSCRIPTION_STATE_MAX + 1024)

#define NOTIFY_BATCH_MAX		100	/* items in one POST */
#define NOTIFY_BACKLOG_DEFAULT		1000	/* pending per subscription */
#define NOTIFY_BACKLOG_MAX		1000000

/*
 * One subscription as created.  Plain fixed-size fields: it owns no memory
 * and may be copied by assignment (it is large: keep it off small stacks
 * in loops).  filter says the resource was given as a $filter, so it is
 * written back that way even with one id.
 */
struct subscription {
	char		id[GUID_LEN + 1];
	char		owner[TOKEN_NAME_MAX + 1];	/* the token's name, a
							   subscription_owner_remote,
							   or "" when nobody was
							   checked */
	char		notify_url[SUBSCRIPTION_URL_MAX + 1];
	char		lifecycle_url[SUBSCRIPTION_URL_MAX + 1];  /* "": none */
	char		client_state[SUBSCRIPTION_STATE_MAX + 1];
	int		has_client_state;	/* clientState was given */
	int64_t		created;		/* ms since the epoch */
	int64_t		expires;		/* ms since the epoch */
	int		filter;
	size_t		nids;
	char		ids[SUBSCRIPTION_IDS_MAX][GUID_LEN + 1];
};

/*
 * How delivery to a subscription goes: kept by the store beside it and
 * changed by every commit that queues or delivers a notification.
 */
struct subscription_state {
	uint64_t	next;		/* the outbox counter of the next row */
	uint64_t	backlog;	/* notifications waiting */
	uint64_t	delivered;	/* notifications acknowledged, ever */
	uint64_t	dropped;	/* notifications dropped by the bound */
	int64_t		last_attempt;	/* ms, 0: never */
	int64_t		last_success;	/* ms, 0: never */
	int64_t		next_attempt;	/* ms; 0: as soon as there is work */
	unsigned	failures;	/* in a row, since the last success */
	int		missed;		/* a "missed" lifecycle event waits */
	int		removed;	/* a "subscriptionRemoved" waits */
	char		last_result[SUBSCRIPTION_RESULT_MAX + 1];
};

/*
 * Write into owner who owns what a caller signed in by the web server as
 * user (REMOTE_USER, of any length) subscribes: "remote-user " and the
 * base64url SHA-256 of user, 55 bytes.  Never a token's name (those have
 * no space), and never another user's, however alike the two names are.
 * Returns 0 or STORE_EIO.
 */
int subscription_owner_remote(const char *user,
    char owner[TOKEN_NAME_MAX + 1]);

/*
 * Parse a subscription's resource: "communications/presences/{id}" (a
 * leading '/' optional) or "communications/presences?$filter=id in
 * ('a','b',...)" with 1..SUBSCRIPTION_IDS_MAX single-quoted GUIDs (any
 * case; stored lowercase, a repeated id once).  Sets s->ids, s->nids and
 * s->filter.  Returns 0 or STORE_EINVAL with fault naming "resource".
 */
int subscription_resource_parse(const char *text, size_t len,
    struct subscription *s, struct fault *fault);

/* Append s's resource as subscription_resource_parse reads it. */
int subscription_resource_format(const struct subscription *s,
    struct buf *out);

/*
 * Check s before it is stored, at now: at least one id, a notificationUrl,
 * URLs and clientState within their limits and printable, and an expiry
 * after now and at most SUBSCRIPTION_LIFETIME_MAX after it.  Returns 0 or
 * STORE_EINVAL with fault filled.
 */
int subscription_validate(const struct subscription *s, int64_t now,
    struct fault *fault);

/*
 * Check a new expiry of a subscription, as subscription_validate does;
 * 0 or STORE_EINVAL with fault naming "expirationDateTime".
 */
int subscription_check_expiry(int64_t expires, int64_t now,
    struct fault *fault);

/*
 * Read a POST /subscriptions body into *s (zeroed first; id, owner and
 * created are left empty): changeType "updated", notificationUrl,
 * resource, expirationDateTime, and optionally clientState,
 * lifecycleNotificationUrl, includeResourceData (false only: rich
 * notifications are not offered), latestSupportedTlsVersion,
 * encryptionCertificate and encryptionCertificateId (ignored when empty),
 * "@odata.type" "#microsoft.graph.subscription".  An unknown member is
 * refused.  Returns 0, STORE_EINVAL with fault filled, or STORE_ENOMEM.
 * subscription_validate is not run.
 */
int codec_subscription_from_json(const char *body, size_t len,
    struct subscription *s, struct fault *fault);

/*
 * Read a PATCH /subscriptions/{id} body: expirationDateTime, required,
 * and nothing else (another member that is not read-only is refused;
 * members with the subscription's own values are not compared).
 * Returns 0 with *expires set, STORE_EINVAL or STORE_ENOMEM.
 */
int codec_subscription_patch_from_json(const char *body, size_t len,
    int64_t *expires, struct fault *fault);

/*
 * Append s as Graph writes a subscription, with "@odata.context" first
 * when context is not NULL.  Returns 0 or STORE_ENOMEM.
 */
int codec_subscription_to_json(const struct subscription *s,
    const char *context, struct buf *out);

#endif
