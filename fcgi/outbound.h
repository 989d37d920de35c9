/*
 * POSTs out of the responder, with libcurl: the subscription handshake
 * and the notifications.  Every connection is checked against the
 * destination policy at the address connected to; redirects are never
 * followed; nothing goes through a proxy.
 */
#ifndef PRESENCE_FCGI_OUTBOUND_H
#define PRESENCE_FCGI_OUTBOUND_H

#include <signal.h>
#include <stddef.h>

#include "policy.h"

#define OUTBOUND_TIMEOUT_MS	10000	/* a POST and its answer, at most */
#define OUTBOUND_BODY_MAX	1024	/* bytes of an answer kept */
#define OUTBOUND_WHY_MAX	(POLICY_WHY_MAX + 64)

/* What came back. */
struct outbound_result {
	long	status;			/* 0: no answer */
	char	content_type[128];	/* "" when none */
	char	body[OUTBOUND_BODY_MAX + 1];
	size_t	body_len;
	int	body_over;		/* the answer was longer */
	char	why[OUTBOUND_WHY_MAX];	/* no answer: why */
};

/*
 * Call once in main, before any thread starts (curl_global_init); 0 or -1.
 */
int outbound_init(void);

/*
 * POST len bytes of body with Content-Type ctype to url, within
 * OUTBOUND_TIMEOUT_MS, on the handle *h (NULL: a new one, cleaned up
 * before returning; otherwise kept, so that its connections are used
 * again).  stop (may be NULL) ends the transfer early when it becomes
 * non-zero.  Returns 0 when an HTTP answer came (res->status and the
 * rest filled), -1 otherwise with res->why saying why (refused by the
 * policy, connection refused, timed out, ...).
 */
int outbound_post(void *h, const struct notify_policy *pol, const char *url,
    const char *ctype, const char *body, size_t len,
    const volatile sig_atomic_t *stop, struct outbound_result *res);

/* A handle for outbound_post to keep; NULL when out of memory. */
void *outbound_handle(void);

/* Release a handle of outbound_handle; h may be NULL. */
void outbound_handle_free(void *h);

#endif
