/*
 * Deadlines for connections: a watchdog thread shuts down a connection
 * whose peer is too slow to send a request or to take its answer, so that
 * a blocking read or write in libfcgi returns and the serving thread moves
 * on.  Each serving thread owns one struct watch and tells it what its
 * connection is doing; the watchdog only ever shuts a connection down
 * (shutdown(2)), never closes it, and only while it is watched, so the
 * descriptor it names is always the one the thread holds.
 */
#ifndef PRESENCE_FCGI_WATCH_H
#define PRESENCE_FCGI_WATCH_H

#define WATCH_TIMEOUT_DEFAULT	30	/* seconds */
#define WATCH_TIMEOUT_MAX	86400
#define WATCH_STOP_GRACE_MS	5000	/* a connection's time after a stop */

/* Why the watchdog cut a connection, if it did. */
enum watch_cut {
	WATCH_NOT_CUT,
	WATCH_CUT_LATE,		/* its deadline passed */
	WATCH_CUT_STOP,		/* the process is stopping and it stalled */
};

struct watch;
struct watchdog;

/*
 * Start the watchdog for nwatches serving threads: a connection may take
 * timeout seconds to bring its request, and as long to take its answer.
 * Once stop_fd (an eventfd the stop signal writes to) is readable, every
 * watched connection has at most WATCH_STOP_GRACE_MS (or timeout, when
 * shorter) more.  Call with the stop signals blocked: the thread inherits
 * the mask.  Returns 0 or -1 with errno set; free with watchdog_stop.
 */
int watchdog_start(struct watchdog **out, unsigned nwatches, unsigned timeout,
    int stop_fd);

/* The i-th watch, for one serving thread; lives until watchdog_stop. */
struct watch *watchdog_watch(struct watchdog *wd, unsigned i);

/* End the watchdog thread and free it and its watches (NULL: nothing). */
void watchdog_stop(struct watchdog *wd);

/*
 * Watch connection fd, which the caller keeps open until watch_end: its
 * deadline is timeout seconds from now.
 */
void watch_begin(struct watch *w, int fd);

/*
 * Stop the clock while the request is served (the store is worked on, not
 * the connection) or the kept connection idles; whether it was cut.
 */
enum watch_cut watch_pause(struct watch *w);

/* Start the clock again with the deadline it had. */
void watch_resume(struct watch *w);

/* Give the watched connection a new deadline, timeout seconds from now. */
void watch_restart(struct watch *w);

/* Stop watching the connection before it is closed; why it was cut. */
enum watch_cut watch_end(struct watch *w);

/* The timeout in seconds, for log lines. */
unsigned watch_timeout(const struct watch *w);

#endif
