/*
 * The delivery thread of presence-fcgi: it POSTs the notifications the
 * store's outbox holds.  See deliver.c for the design.
 */
#ifndef PRESENCE_FCGI_DELIVER_H
#define PRESENCE_FCGI_DELIVER_H

#include "policy.h"
#include "store.h"

#define DELIVER_TENANT_DEFAULT	"00000000-0000-0000-0000-000000000000"
#define DELIVER_LOCK_FILE	"notify.lock"
#define DELIVER_THREAD_NAME	"presence-notify"	/* in ps -L, top -H */

struct deliverer;

/*
 * Start the delivery thread on st (open for the thread's life), sending
 * only where pol allows, with tenant as every notification's tenantId.
 * All three are borrowed until deliver_stop returns.  Returns 0 with *out
 * set, or -1 with errno set.
 */
int deliver_start(struct deliverer **out, struct store *st,
    const struct notify_policy *pol, const char *tenant);

/*
 * Stop the thread: a POST in flight is abandoned (it is sent again by
 * whoever delivers next) and the thread is joined, within about a second
 * (libcurl looks at the request to stop at least once a second).
 * d may be NULL.
 */
void deliver_stop(struct deliverer *d);

#endif
