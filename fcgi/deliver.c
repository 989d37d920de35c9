/*
 * Delivering change notifications.
 *
 * Every presence-fcgi process runs one delivery thread, whatever starts
 * the process (lighttpd, spawn-fcgi, systemd, mod_fcgid, nginx's
 * spawner), so nothing else has to run.  Exactly one of them is active
 * for a database at a time: each takes flock(LOCK_EX | LOCK_NB) on
 * <db>/notify.lock and, while another process holds it, tries again every
 * second.  The kernel drops the lock when its holder dies, SIGKILL
 * included, so another process takes over within about a second.  (Under
 * mod_fcgid, which stops idle processes, notifications wait while no
 * process runs.)
 *
 * The store writes each change and its notifications in one transaction
 * (the outbox), so neither is lost by a crash.  The active thread wakes
 * when the database's last transaction id changes (polled every 50 ms),
 * when a clock event or a retry time is due, and at least every second.
 * Each round it notifies the clock events due (store_notify_tick), drops
 * expired subscriptions with their backlogs, and sends every subscription
 * with due work one POST of at most NOTIFY_BATCH_MAX items, oldest first.
 * Rows leave the outbox only after the receiver acknowledged the POST
 * with a 2xx: delivery is at least once, in commit order per
 * subscription; a crash between the acknowledgement and the commit that
 * records it sends the batch again.  A failure (no answer within 10 s,
 * a refused connection, another status) keeps the rows and retries after
 * a backoff of 1 s doubling to 5 min, with jitter; meanwhile the backlog
 * grows to the store's bound, past which it is dropped for a "missed"
 * lifecycle notification.  SIGTERM stops the thread within about a second:
 * a POST in flight is abandoned and sent again later.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "codec.h"
#include "deliver.h"
#include "error.h"
#include "log.h"
#include "outbound.h"
#include "presence.h"
#include "store.h"

#define DELIVER_POLL_MS		50	/* the transaction id is looked at */
#define DELIVER_IDLE_MS		1000	/* a round at least this often */
#define DELIVER_LOCK_RETRY_MS	1000	/* a passive thread tries the lock */
#define DELIVER_DUE_MAX		256	/* subscriptions served per round */
#define BACKOFF_FIRST_MS	1000
#define BACKOFF_MAX_MS		(5 * 60 * 1000)

struct deliverer {
	struct store			*st;
	const struct notify_policy	*pol;
	const char			*tenant;
	pthread_t			 thread;
	volatile sig_atomic_t		 stop;
	int				 lock_fd;
	int				 active;	/* holds the lock */
	void				*curl;		/* kept: connections
							   are used again */
	unsigned			 seed;
	char				 (*due)[GUID_LEN + 1];
	struct notify_batch		 batch;
	struct buf			 body;
};

/* Sleep ms milliseconds, or less once asked to stop. */
static void
nap(struct deliverer *d, long ms)
{
	struct timespec	ts;

	while (ms > 0 && !d->stop) {
		ts.tv_sec = 0;
		ts.tv_nsec = (ms > 50 ? 50 : ms) * 1000000L;
		nanosleep(&ts, NULL);
		ms -= 50;
	}
}

/* The wait before try number failures + 1: doubling, jittered. */
static int64_t
backoff(struct deliverer *d, unsigned failures)
{
	int64_t	delay = BACKOFF_FIRST_MS;

	while (failures-- > 0 && delay < BACKOFF_MAX_MS)
		delay *= 2;
	if (delay > BACKOFF_MAX_MS)
		delay = BACKOFF_MAX_MS;
	/* Between three quarters and all of it. */
	return delay - (int64_t)(rand_r(&d->seed) % (unsigned)(delay / 4 + 1));
}

/* Append the members every item has, after its opening brace. */
static int
item_head(struct deliverer *d, const struct subscription_row *s)
{
	char	 expires[PRESENCE_TIME_LEN + 1];
	int	 rc;

	presence_format_time(s->expires, expires);
	rc = buf_printf(&d->body, "\"subscriptionId\":\"%s\","
	    "\"subscriptionExpirationDateTime\":\"%s\",\"tenantId\":",
	    s->id, expires);
	if (rc == 0)
		rc = codec_put_string(&d->body, d->tenant, strlen(d->tenant));
	if (rc == 0)
		rc = buf_adds(&d->body, ",\"organizationId\":");
	if (rc == 0)
		rc = codec_put_string(&d->body, d->tenant, strlen(d->tenant));
	if (rc == 0)
		rc = buf_adds(&d->body, ",\"clientState\":");
	return rc;
}

/* Append clientState (or null) of the subscription being served. */
static int
put_client_state(struct deliverer *d, const char *cs, int has)
{
	return codec_put_nullable(&d->body, has ? cs : NULL);
}

/* Build the POST of the batch's change notifications. */
static int
build_changes(struct deliverer *d, const char *cs, int has_cs)
{
	const struct notify_item	*it;
	size_t				 i;
	int				 rc;

	buf_reset(&d->body);
	rc = buf_adds(&d->body, "{\"value\":[");
	for (i = 0; i < d->batch.n && rc == 0; i++) {
		it = &d->batch.items[i];
		rc = buf_adds(&d->body, i > 0 ? ",{" : "{");
		if (rc == 0)
			rc = item_head(d, &d->batch.sub);
		if (rc == 0)
			rc = put_client_state(d, cs, has_cs);
		if (rc == 0)
			rc = buf_printf(&d->body, ",\"changeType\":\"updated\","
			    "\"resource\":\"communications/presences/%s\","
			    "\"resourceData\":{\"@odata.id\":"
			    "\"users/%s/presence\",\"@odata.type\":\""
			    PRESENCE_ODATA_TYPE "\",\"id\":\"%s\"}}",
			    it->presence, it->presence, it->presence);
	}
	return rc == 0 ? buf_adds(&d->body, "]}") : rc;
}

/* Build the POST of one lifecycle event. */
static int
build_lifecycle(struct deliverer *d, const char *event, const char *cs,
    int has_cs)
{
	int	rc;

	buf_reset(&d->body);
	rc = buf_adds(&d->body, "{\"value\":[{");
	if (rc == 0)
		rc = item_head(d, &d->batch.sub);
	if (rc == 0)
		rc = put_client_state(d, cs, has_cs);
	if (rc == 0)
		rc = buf_printf(&d->body, ",\"lifecycleEvent\":\"%s\"}]}",
		    event);
	return rc;
}

/*
 * POST the body built to url; 0 when acknowledged (2xx), -1 otherwise
 * with result saying why.
 */
static int
post(struct deliverer *d, const char *url, char *result, size_t size)
{
	struct outbound_result	*res;
	int			 rc = -1;

	if ((res = malloc(sizeof *res)) == NULL) {
		snprintf(result, size, "out of memory");
		return -1;
	}
	if (outbound_post(d->curl, d->pol, url, "application/json",
	    d->body.data, d->body.len, &d->stop, res) != 0) {
		res->why[size - 1] = '\0';	/* as much as the store keeps */
		memcpy(result, res->why, size);
	}
	else if (res->status < 200 || res->status > 299)
		snprintf(result, size, "status %ld%s", res->status,
		    res->status >= 300 && res->status < 400 ?
		    " (redirects are not followed)" : "");
	else {
		snprintf(result, size, "%ld", res->status);
		rc = 0;
	}
	free(res);
	return rc;
}

/* Record the outcome of a POST to the subscription served; whether kept. */
static int
record(struct deliverer *d, int ok, uint64_t upto, int missed, int removed,
    const char *result)
{
	const struct subscription_row	*s = &d->batch.sub;
	int64_t				 now = presence_now();
	int				 rc;

	if (d->stop && !ok)
		return 0;	/* abandoned, not failed */
	if (ok)
		rc = store_notify_done(d->st, s->id, upto, missed,
		    s->state.dropped, removed, now, result);
	else
		rc = store_notify_failed(d->st, s->id, now,
		    now + backoff(d, s->state.failures), result);
	if (rc != 0 && rc != STORE_ENOTFOUND)
		log_warn("cannot record a delivery to subscription '%s': %s",
		    s->id, store_strerror(rc));
	return rc == 0 || rc == STORE_ENOTFOUND;
}

/* The clientState of the subscription served, read in full. */
static int
client_state(struct deliverer *d, char cs[SUBSCRIPTION_STATE_MAX + 1],
    int *has)
{
	struct subscription	*s;
	int			 rc;

	if ((s = malloc(sizeof *s)) == NULL)
		return STORE_ENOMEM;
	rc = store_subscription_get(d->st, d->batch.sub.id, NULL, s, NULL);
	if (rc == 0) {
		memcpy(cs, s->client_state, SUBSCRIPTION_STATE_MAX + 1);
		*has = s->has_client_state;
	}
	free(s);
	return rc;
}

/*
 * Serve one subscription with due work: one POST.  Whether its outcome
 * was recorded (a read or build that failed records none, and is not
 * tried again before the next round's wait).
 */
static int
serve(struct deliverer *d, const char *id)
{
	const struct subscription_row	*s = &d->batch.sub;
	char				 cs[SUBSCRIPTION_STATE_MAX + 1];
	char				 result[SUBSCRIPTION_RESULT_MAX + 1];
	const char			*event = NULL;
	int				 has_cs = 0, ok, rc;

	if ((rc = store_notify_take(d->st, id, &d->batch)) != 0 ||
	    (rc = client_state(d, cs, &has_cs)) != 0) {
		if (rc != STORE_ENOTFOUND)
			log_warn("cannot read subscription '%s': %s", id,
			    store_strerror(rc));
		return 0;
	}
	if (s->expires <= presence_now())
		return 0;	/* the next tick drops it */
	if (s->state.removed)
		event = "subscriptionRemoved";
	else if (s->state.missed)
		event = "missed";
	if (event != NULL && s->lifecycle_url[0] == '\0') {
		return record(d, 1, 0, s->state.missed, s->state.removed,
		    "no lifecycle URL: event not sent");
	}
	rc = event != NULL ? build_lifecycle(d, event, cs, has_cs) :
	    build_changes(d, cs, has_cs);
	if (rc != 0) {
		log_warn("cannot build a notification: %s",
		    store_strerror(STORE_ENOMEM));
		return 0;
	}
	ok = post(d, event != NULL ? s->lifecycle_url : s->notify_url, result,
	    sizeof result) == 0;
	return record(d, ok, event != NULL || d->batch.n == 0 ? 0 :
	    d->batch.items[d->batch.n - 1].counter, event != NULL &&
	    s->state.missed, event != NULL && s->state.removed, result);
}

/*
 * One round: clock events and expiry, then one POST per subscription
 * with due work.  *next is when the next round is due at the latest (ms);
 * returns how many outcomes were recorded.
 */
static size_t
round_once(struct deliverer *d, int64_t *next)
{
	int64_t	 now = presence_now(), tick_next = 0, retry_next = 0;
	size_t	 n = 0, i, done = 0;
	int	 rc;

	if ((rc = store_notify_tick(d->st, now, &tick_next)) != 0)
		log_warn("cannot notify clock events: %s", store_strerror(rc));
	if ((rc = store_notify_due(d->st, now, d->due, DELIVER_DUE_MAX, &n,
	    &retry_next)) != 0) {
		log_warn("cannot read the outbox: %s", store_strerror(rc));
		n = 0;
	}
	for (i = 0; i < n && !d->stop; i++)
		done += (size_t)serve(d, d->due[i]);
	*next = now + DELIVER_IDLE_MS;
	if (tick_next != 0 && tick_next < *next)
		*next = tick_next;
	if (retry_next != 0 && retry_next < *next)
		*next = retry_next;
	return done;
}

/* Take notify.lock if no other process holds it; whether held. */
static int
try_lock(struct deliverer *d)
{
	if (flock(d->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			log_warn("cannot lock '%s/%s': %s", store_path(d->st),
			    DELIVER_LOCK_FILE, strerror(errno));
		return 0;
	}
	return 1;
}

/* Wait until next (ms) or a commit anywhere, whichever comes first. */
static void
wait_work(struct deliverer *d, int64_t next, uint64_t seen)
{
	while (!d->stop && presence_now() < next) {
		if (store_txn_last(d->st) != seen)
			return;
		nap(d, DELIVER_POLL_MS);
	}
}

/* The thread: wait for the lock, then deliver until asked to stop. */
static void *
deliver_main(void *arg)
{
	struct deliverer	*d = arg;
	int64_t			 next;
	uint64_t		 seen;

	pthread_setname_np(pthread_self(), DELIVER_THREAD_NAME);
	while (!d->stop) {
		if (!d->active && !(d->active = try_lock(d))) {
			nap(d, DELIVER_LOCK_RETRY_MS);
			continue;
		}
		seen = store_txn_last(d->st);
		if (round_once(d, &next) > 0)
			continue;	/* more may be due at once */
		wait_work(d, next, seen);
	}
	return NULL;
}

/* Free what deliver_start made. */
static void
deliver_free(struct deliverer *d)
{
	if (d->lock_fd >= 0)
		close(d->lock_fd);	/* drops the lock */
	outbound_handle_free(d->curl);
	buf_release(&d->body);
	free(d->due);
	free(d);
}

/* Start the delivery thread. */
int
deliver_start(struct deliverer **out, struct store *st,
    const struct notify_policy *pol, const char *tenant)
{
	struct deliverer	*d;
	char			 path[PATH_MAX];
	sigset_t		 all, old;
	int			 err;

	if ((d = calloc(1, sizeof *d)) == NULL)
		return -1;
	d->lock_fd = -1;
	d->st = st;
	d->pol = pol;
	d->tenant = tenant;
	d->seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	buf_init(&d->body);
	if ((d->due = calloc(DELIVER_DUE_MAX, sizeof *d->due)) == NULL ||
	    (d->curl = outbound_handle()) == NULL)
		goto fail;
	if (snprintf(path, sizeof path, "%s/%s", store_path(st),
	    DELIVER_LOCK_FILE) >= (int)sizeof path) {
		errno = ENAMETOOLONG;
		goto fail;
	}
	if ((d->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0660)) < 0)
		goto fail;
	/*
	 * Signals are the serving threads' business, but for the faults
	 * this thread's own reads may raise: a SIGBUS or SIGSEGV arriving
	 * blocked would kill the process without the fatal handler's line
	 * naming the damaged database.
	 */
	sigfillset(&all);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(&d->thread, NULL, deliver_main, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err != 0) {
		errno = err;
		goto fail;
	}

	*out = d;
	return 0;
fail:
	err = errno;
	deliver_free(d);
	errno = err;
	return -1;
}

/* Stop and join the thread. */
void
deliver_stop(struct deliverer *d)
{
	if (d == NULL)
		return;
	d->stop = 1;
	pthread_join(d->thread, NULL);
	deliver_free(d);
}
