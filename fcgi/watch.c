/*
 * Deadlines for connections.  The watchdog sleeps until the earliest
 * deadline it knows of, or for one whole timeout: a deadline set after it
 * looked is at least a timeout away, so the serving threads never have to
 * wake it.  Once the process is stopping it looks every WATCH_TICK_MS.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "watch.h"

#define WATCH_TICK_MS	100

/* One serving thread's connection, shared with the watchdog. */
struct watch {
	pthread_mutex_t	 lock;
	int		 fd;		/* the connection, or -1 */
	int		 running;	/* the clock runs: the peer is waited on */
	int64_t		 deadline;	/* monotonic milliseconds */
	enum watch_cut	 cut;
	int64_t		 timeout_ms;
	unsigned	 timeout;
};

struct watchdog {
	struct watch	*watches;
	unsigned	 n;
	int64_t		 timeout_ms;
	int64_t		 grace_ms;
	int		 stop_fd;	/* readable once the process stops */
	int		 end_fd;	/* readable once the watchdog must end */
	sem_t		 started;	/* posted once its thread runs */
	pthread_t	 thread;
};

/* Milliseconds on the monotonic clock. */
static int64_t
watch_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether fd is readable now. */
static int
readable(int fd)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };

	return poll(&pfd, 1, 0) > 0;
}

/*
 * Cut every watched connection whose deadline (or, stopping, stop_at)
 * passed; the next deadline to look at, at most next.
 */
static int64_t
watchdog_scan(struct watchdog *wd, int64_t now, int64_t stop_at, int64_t next)
{
	struct watch	*w;
	int64_t		 due;
	unsigned	 i;

	for (i = 0; i < wd->n; i++) {
		w = &wd->watches[i];
		pthread_mutex_lock(&w->lock);
		if (w->fd >= 0 && w->cut == WATCH_NOT_CUT) {
			due = w->deadline;
			if (stop_at >= 0 && stop_at < due)
				due = stop_at;
			if (due > now) {
				if (due < next)
					next = due;
			} else if (w->running) {
				/* The blocked read or write returns at once. */
				shutdown(w->fd, SHUT_RDWR);
				w->cut = due == w->deadline ? WATCH_CUT_LATE :
				    WATCH_CUT_STOP;
			}
		}
		pthread_mutex_unlock(&w->lock);
	}
	return next;
}

/* The watchdog thread: cut connections as their deadlines pass. */
static void *
watchdog_main(void *arg)
{
	struct watchdog	*wd = arg;
	struct pollfd	 pfd[2];
	int64_t		 now, next, stop_at = -1;

	sem_post(&wd->started);
	for (;;) {
		now = watch_now();
		if (stop_at < 0 && readable(wd->stop_fd))
			stop_at = now + wd->grace_ms;
		next = watchdog_scan(wd, now, stop_at, now + (stop_at < 0 ?
		    wd->timeout_ms : WATCH_TICK_MS));
		pfd[0].fd = wd->end_fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = stop_at < 0 ? wd->stop_fd : -1;
		pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		if (poll(pfd, 2, (int)(next - now)) > 0 && pfd[0].revents != 0)
			break;
	}
	return NULL;
}

/* Start the watchdog for nwatches serving threads. */
int
watchdog_start(struct watchdog **out, unsigned nwatches, unsigned timeout,
    int stop_fd)
{
	struct watchdog	*wd;
	unsigned	 i;
	int		 err;

	if ((wd = calloc(1, sizeof *wd)) == NULL)
		return -1;
	if ((wd->watches = calloc(nwatches, sizeof *wd->watches)) == NULL)
		goto free_wd;
	wd->n = nwatches;
	wd->timeout_ms = (int64_t)timeout * 1000;
	wd->grace_ms = wd->timeout_ms < WATCH_STOP_GRACE_MS ?
	    wd->timeout_ms : WATCH_STOP_GRACE_MS;
	wd->stop_fd = stop_fd;
	for (i = 0; i < nwatches; i++) {
		pthread_mutex_init(&wd->watches[i].lock, NULL);
		wd->watches[i].fd = -1;
		wd->watches[i].timeout_ms = wd->timeout_ms;
		wd->watches[i].timeout = timeout;
	}
	if ((wd->end_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0)
		goto free_watches;
	if (sem_init(&wd->started, 0, 0) != 0)
		goto close_end;
	if ((err = pthread_create(&wd->thread, NULL, watchdog_main, wd)) != 0) {
		errno = err;
		goto destroy_sem;
	}
	/*
	 * Serve only once the thread runs: what starting it costs (its stack,
	 * a sanitizer's set-up) is then done before the first request.
	 */
	while (sem_wait(&wd->started) != 0 && errno == EINTR)
		;
	*out = wd;
	return 0;
destroy_sem:
	err = errno;
	sem_destroy(&wd->started);
	errno = err;
close_end:
	err = errno;
	close(wd->end_fd);
	errno = err;
free_watches:
	for (i = 0; i < nwatches; i++)
		pthread_mutex_destroy(&wd->watches[i].lock);
	free(wd->watches);
free_wd:
	err = errno;
	free(wd);
	errno = err;
	return -1;
}

/* The i-th watch. */
struct watch *
watchdog_watch(struct watchdog *wd, unsigned i)
{
	return &wd->watches[i];
}

/* End the watchdog thread and free it. */
void
watchdog_stop(struct watchdog *wd)
{
	uint64_t	 one = 1;
	unsigned	 i;

	if (wd == NULL)
		return;
	if (write(wd->end_fd, &one, sizeof one) < 0) {
		/* an eventfd only saturates: it is readable anyway */
	}
	pthread_join(wd->thread, NULL);
	sem_destroy(&wd->started);
	close(wd->end_fd);
	for (i = 0; i < wd->n; i++)
		pthread_mutex_destroy(&wd->watches[i].lock);
	free(wd->watches);
	free(wd);
}

/* Watch connection fd from now on. */
void
watch_begin(struct watch *w, int fd)
{
	pthread_mutex_lock(&w->lock);
	w->fd = fd;
	w->running = 1;
	w->deadline = watch_now() + w->timeout_ms;
	w->cut = WATCH_NOT_CUT;
	pthread_mutex_unlock(&w->lock);
}

/* Stop the clock while the request is served; whether it was cut. */
enum watch_cut
watch_pause(struct watch *w)
{
	enum watch_cut	 cut;

	pthread_mutex_lock(&w->lock);
	w->running = 0;
	cut = w->cut;
	pthread_mutex_unlock(&w->lock);
	return cut;
}

/*
 * Start the clock again, with the deadline it had; one that passed while
 * paused cuts the connection here, as the watchdog would have.
 */
void
watch_resume(struct watch *w)
{
	pthread_mutex_lock(&w->lock);
	w->running = 1;
	if (w->fd >= 0 && w->cut == WATCH_NOT_CUT &&
	    w->deadline <= watch_now()) {
		shutdown(w->fd, SHUT_RDWR);
		w->cut = WATCH_CUT_LATE;
	}
	pthread_mutex_unlock(&w->lock);
}

/* A new deadline for the watched connection, from now. */
void
watch_restart(struct watch *w)
{
	pthread_mutex_lock(&w->lock);
	w->running = 1;
	w->deadline = watch_now() + w->timeout_ms;
	pthread_mutex_unlock(&w->lock);
}

/* Stop watching the connection; why it was cut. */
enum watch_cut
watch_end(struct watch *w)
{
	enum watch_cut	 cut;

	pthread_mutex_lock(&w->lock);
	cut = w->cut;
	w->fd = -1;
	w->running = 0;
	w->cut = WATCH_NOT_CUT;
	pthread_mutex_unlock(&w->lock);
	return cut;
}

/* The timeout in seconds. */
unsigned
watch_timeout(const struct watch *w)
{
	return w->timeout;
}
