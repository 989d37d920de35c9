/*
 * The serving loop.  Every thread waits for a request in epoll_pwait() (or
 * ppoll() on a kept connection), the only place the stop signals are
 * unblocked; the signal handler writes to an eventfd that every waiting
 * thread also watches, so one signal wakes them all, while a thread in the
 * middle of a request finishes it first.  Each thread has its own epoll
 * set holding the listening socket with EPOLLEXCLUSIVE, so a new
 * connection wakes one waiting thread, not all of them.
 *
 * A thread accepts its connection itself and hands libfcgi a duplicate of
 * it: libfcgi may close its descriptor whenever it gives the connection
 * up, while the thread's own stays open, watched (watch.h), until the
 * thread is done with it.  So the watchdog that shuts down a connection
 * too slow to bring its request or take its answer never touches a
 * descriptor that has been reused.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "adapter.h"
#include "buf.h"
#include "error.h"
#include "log.h"
#include "request.h"
#include "watch.h"
#include "worker.h"

static volatile sig_atomic_t	 worker_stop;	/* set once, by a signal */
static int			 worker_stop_fd = -1;
static sigset_t			 worker_waitmask;

/* What one serving thread needs and reports. */
struct worker {
	const struct app	*app;
	int			 listen_fd;
	unsigned		 idle;		/* seconds a kept connection may idle */
	struct watch		*watch;		/* its connection's deadline */
	int			 rc;
	pthread_t		 thread;
};

/* One connection of a serving thread; libfcgi has its own descriptor. */
struct conn {
	int			 fd;		/* ours, or -1: none */
	int64_t			 idle_until;	/* monotonic ms, when kept */
};

/* How the handler reads a body: through libfcgi, the clock running. */
struct worker_body {
	FCGX_Request		*fr;
	struct buf		*body;
	struct watch		*watch;
};

/* Stop every thread after its request in hand (async-signal-safe). */
static void
worker_request_stop(void)
{
	uint64_t	one = 1;
	int		saved = errno;

	worker_stop = 1;
	FCGX_ShutdownPending();
	if (write(worker_stop_fd, &one, sizeof one) < 0) {
		/* the eventfd only saturates: it stays readable anyway */
	}
	errno = saved;
}

/* SIGTERM, SIGINT and SIGUSR1: stop after the requests in hand. */
static void
worker_on_signal(int sig)
{
	(void)sig;
	worker_request_stop();
}

/*
 * Ignore SIGPIPE; catch SIGTERM, SIGINT and SIGUSR1 (multiwatch's and
 * mod_fcgid's graceful stop), blocked but while waiting.  Installed before
 * FCGX_Init, which then leaves SIGUSR1 to us.
 */
int
worker_signals_setup(void)
{
	static const int	 stops[] = { SIGTERM, SIGINT, SIGUSR1 };
	struct sigaction	 sa;
	sigset_t		 block;
	size_t			 i;

	if ((worker_stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0)
		return -1;
	sigemptyset(&block);
	for (i = 0; i < sizeof stops / sizeof stops[0]; i++)
		sigaddset(&block, stops[i]);
	if (sigprocmask(SIG_BLOCK, &block, &worker_waitmask) != 0)
		return -1;
	for (i = 0; i < sizeof stops / sizeof stops[0]; i++)
		sigdelset(&worker_waitmask, stops[i]);
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) != 0)
		return -1;
	sa.sa_handler = worker_on_signal;
	for (i = 0; i < sizeof stops / sizeof stops[0]; i++)
		if (sigaction(stops[i], &sa, NULL) != 0)
			return -1;
	return 0;
}

/*
 * This thread's epoll set: the listening socket, for it alone among the
 * waiting threads (EPOLLEXCLUSIVE), and the stop eventfd; -1 on failure.
 */
static int
worker_epoll(int listen_fd)
{
	struct epoll_event	 ev;
	int			 epfd;

	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return -1;
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	ev.data.fd = listen_fd;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, listen_fd, &ev) == 0) {
		ev.events = EPOLLIN;
		ev.data.fd = worker_stop_fd;
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, worker_stop_fd, &ev) == 0)
			return epfd;
	}
	close(epfd);
	return -1;
}

/* Milliseconds on the monotonic clock. */
static int64_t
worker_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum {
	WAIT_AGAIN,		/* a stop, or nothing after all: look again */
	WAIT_READY,		/* a connection or a request is there */
	WAIT_IDLE,		/* the kept connection idled out */
};

/*
 * Wait until a connection comes (c->fd -1: through epfd) or c->fd, a kept
 * connection, brings its next request before c->idle_until, or a stop
 * came: WAIT_* or -1.
 */
static int
worker_wait(int epfd, const struct conn *c)
{
	struct epoll_event	 ev[2];
	struct pollfd		 pfd[2];
	struct timespec		 left;
	int64_t			 ms;
	int			 i, n;

	if (worker_stop)
		return WAIT_AGAIN;
	if (c->fd < 0) {
		if ((n = epoll_pwait(epfd, ev, 2, -1, &worker_waitmask)) < 0)
			return errno == EINTR ? WAIT_AGAIN : -1;
		for (i = 0; i < n; i++)
			if (ev[i].data.fd != worker_stop_fd)
				return WAIT_READY;
		return WAIT_AGAIN;
	}
	if ((ms = c->idle_until - worker_now()) <= 0)
		return WAIT_IDLE;
	left.tv_sec = ms / 1000;
	left.tv_nsec = (ms % 1000) * 1000000;
	pfd[0].fd = c->fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = worker_stop_fd;
	pfd[1].events = POLLIN;
	pfd[0].revents = pfd[1].revents = 0;
	if ((n = ppoll(pfd, 2, &left, &worker_waitmask)) < 0)
		return errno == EINTR ? WAIT_AGAIN : -1;
	if (n == 0)
		return WAIT_IDLE;
	return (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0 ?
	    WAIT_READY : WAIT_AGAIN;
}

/* Whether accept's failure is passing: nothing to accept after all. */
static int
worker_accept_again(int err)
{
	return err == EAGAIN || err == EWOULDBLOCK || err == EINTR ||
	    err == ECONNABORTED || err == EPROTO;
}

/*
 * Accept a connection into c and hand libfcgi a duplicate of it, watched
 * from now on: 1, 0 (nothing to accept after all) or -1 with errno set.
 */
static int
worker_accept(struct worker *w, FCGX_Request *fr, struct conn *c)
{
	int	 fd, dup, on = 1, saved;

	if ((fd = accept4(w->listen_fd, NULL, NULL, SOCK_CLOEXEC)) < 0)
		return worker_accept_again(errno) ? 0 : -1;
	if ((dup = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	/* As libfcgi's accept: a TCP peer gets each record at once. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
	c->fd = fd;
	watch_begin(w->watch, fd);
	fr->ipcFd = dup;
	/* Read as a kept connection: FCGX_Accept_r does not close it first. */
	fr->keepConnection = 1;
	return 1;
}

/* Log why the watchdog cut this thread's connection. */
static void
worker_cut_log(const struct worker *w, enum watch_cut cut, int answering)
{
	if (cut == WATCH_CUT_STOP)
		log_warn("closed a connection that was stalled at the stop");
	else if (cut == WATCH_CUT_LATE && answering)
		log_warn("closed a connection that did not take its answer "
		    "within %u s (--read-timeout)", watch_timeout(w->watch));
	else if (cut == WATCH_CUT_LATE)
		log_warn("closed a connection that sent no whole request "
		    "within %u s (--read-timeout)", watch_timeout(w->watch));
}

/* Close this thread's connection: libfcgi's descriptor, then ours. */
static void
worker_close(struct worker *w, FCGX_Request *fr, struct conn *c)
{
	if (fr->ipcFd >= 0) {
		/* Nothing is owed to a connection given up: no lingering. */
		FCGX_Free(fr, 0);
		close(fr->ipcFd);
		fr->ipcFd = -1;
	}
	if (c->fd >= 0) {
		watch_end(w->watch);
		close(c->fd);
		c->fd = -1;
	}
}

/* The handler's body source: read with the connection's clock running. */
static int
worker_read_body(void *ctx, size_t len, const char **data, size_t *got)
{
	struct worker_body	*wb = ctx;
	int			 rc;

	watch_resume(wb->watch);
	rc = adapter_read_body(wb->fr, len, wb->body, data, got);
	watch_pause(wb->watch);
	return rc;
}

/*
 * Serve the request libfcgi read on c, write its answer and finish it,
 * the clock stopped while it is served; close c unless it is kept.
 */
static void
worker_serve_one(struct worker *w, FCGX_Request *fr, struct conn *c,
    struct response *res, struct buf *body)
{
	struct worker_body	 wb = { fr, body, w->watch };
	struct body_source	 src = { worker_read_body, &wb };
	struct request		 req;
	enum watch_cut		 cut;
	int			 failed;

	watch_pause(w->watch);
	adapter_request(fr, &req, w->app->request_flags);
	handler_serve(w->app, &req, &src, res);
	/* The answer gets a deadline of its own, settling and closing too. */
	watch_restart(w->watch);
	failed = adapter_write(fr, res) != 0;
	adapter_settle(fr, w->app->max_body);
	FCGX_Finish_r(fr);
	if ((cut = watch_pause(w->watch)) != WATCH_NOT_CUT)
		worker_cut_log(w, cut, 1);
	else if (failed)
		log_warn("cannot write a response: the connection failed");
	if (fr->ipcFd < 0 || cut != WATCH_NOT_CUT) {
		worker_close(w, fr, c);
		return;
	}
	c->idle_until = worker_now() + (int64_t)w->idle * 1000;
}

/*
 * Read the next request on c (just accepted, or kept and readable) and
 * serve it.  A connection that ends before a whole request came, or
 * that the watchdog cut, is closed; that is no failure of the thread.
 */
static void
worker_request(struct worker *w, FCGX_Request *fr, struct conn *c,
    struct response *res, struct buf *body)
{
	enum watch_cut	 cut;

	if (FCGX_Accept_r(fr) < 0) {
		/* libfcgi gave the connection up and closed its descriptor. */
		cut = watch_pause(w->watch);
		worker_cut_log(w, cut, 0);
		worker_close(w, fr, c);
		return;
	}
	worker_serve_one(w, fr, c, res, body);
}

/* Accept and serve requests until asked to stop; the thread's status. */
static int
worker_loop(struct worker *w)
{
	FCGX_Request	 fr;
	struct response	 res;
	struct buf	 body;
	struct conn	 c = { -1, 0 };
	int		 rc = 0, r, epfd;

	if ((epfd = worker_epoll(w->listen_fd)) < 0) {
		log_warn("cannot set up waiting: %s", strerror(errno));
		return 1;
	}
	/*
	 * No listening socket for libfcgi: the thread accepts, so libfcgi
	 * never reads a connection that is not watched.
	 */
	if (FCGX_InitRequest(&fr, -1, 0) != 0) {
		log_warn("cannot set up a FastCGI request");
		close(epfd);
		return 1;
	}
	response_init(&res);
	buf_init(&body);
	while (!worker_stop) {
		/* A kept connection brings its next request on itself. */
		if ((r = worker_wait(epfd, &c)) < 0) {
			log_warn("cannot wait for a request: %s",
			    strerror(errno));
			rc = 1;
			break;
		}
		/* A web server's kept connection idling out is routine:
		 * no log line, unlike a peer that stalls mid-request. */
		if (r == WAIT_IDLE) {
			worker_close(w, &fr, &c);
			continue;
		}
		/* A stop taken by another thread since the wait: none. */
		if (r == WAIT_AGAIN || worker_stop)
			continue;
		if (c.fd >= 0)
			watch_restart(w->watch);
		else if ((r = worker_accept(w, &fr, &c)) <= 0) {
			if (r == 0)
				continue;
			log_warn("cannot accept a connection: %s",
			    strerror(errno));
			rc = 1;
			break;
		}
		worker_request(w, &fr, &c, &res, &body);
		if (res.fatal) {	/* logged by the handler */
			rc = 1;
			break;
		}
	}
	/*
	 * An idle kept connection is left for exit to close: libfcgi's own
	 * close lingers up to 2 s waiting for the web server to hang up.
	 */
	if (c.fd >= 0)
		watch_end(w->watch);
	FCGX_Free(&fr, 0);
	buf_release(&body);
	response_release(&res);
	close(epfd);
	return rc;
}

/* A serving thread; a failing one stops the others. */
static void *
worker_main(void *arg)
{
	struct worker	*w = arg;

	if ((w->rc = worker_loop(w)) != 0)
		worker_request_stop();
	return NULL;
}

/* Start the serving threads (one: this one) and wait for them to end. */
static int
worker_threads(struct worker *w, unsigned threads)
{
	unsigned	 i, started;
	int		 rc = 0;

	if (threads == 1) {
		worker_main(&w[0]);
		return w[0].rc;
	}
	for (started = 0; started < threads; started++) {
		errno = pthread_create(&w[started].thread, NULL, worker_main,
		    &w[started]);
		if (errno != 0) {
			log_warn("cannot start a thread: %s",
			    strerror(errno));
			worker_request_stop();
			rc = 1;
			break;
		}
	}
	for (i = 0; i < started; i++) {
		pthread_join(w[i].thread, NULL);
		rc |= w[i].rc;
	}
	return rc;
}

/* Serve with `threads` threads until asked to stop. */
int
worker_run(const struct app *app, int listen_fd, unsigned threads,
    unsigned read_timeout)
{
	struct watchdog	*wd;
	struct worker	*w;
	unsigned	 i;
	int		 rc;

	if (threads == 0)
		threads = 1;
	if ((w = calloc(threads, sizeof *w)) == NULL) {
		log_warn("cannot start threads: %s", strerror(ENOMEM));
		return 1;
	}
	if (watchdog_start(&wd, threads, read_timeout, worker_stop_fd) != 0) {
		log_warn("cannot start the watchdog: %s", strerror(errno));
		free(w);
		return 1;
	}
	for (i = 0; i < threads; i++) {
		w[i].app = app;
		w[i].listen_fd = listen_fd;
		w[i].idle = read_timeout;
		w[i].watch = watchdog_watch(wd, i);
	}
	rc = worker_threads(w, threads);
	watchdog_stop(wd);
	free(w);
	return rc;
}
