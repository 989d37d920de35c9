/*
 * The serving loop.  Every thread waits for a request in epoll_pwait() (or
 * ppoll() on a kept connection), the only place the stop signals are
 * unblocked; the signal handler writes to an eventfd that every waiting
 * thread also watches, so one signal wakes them all, while a thread in the
 * middle of a request finishes it first.  Each thread has its own epoll
 * set holding the listening socket with EPOLLEXCLUSIVE, so a new
 * connection wakes one waiting thread, not all of them.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "adapter.h"
#include "buf.h"
#include "error.h"
#include "request.h"
#include "worker.h"

static volatile sig_atomic_t	 worker_stop;	/* set once, by a signal */
static int			 worker_stop_fd = -1;
static sigset_t			 worker_waitmask;

/* What one serving thread needs and reports. */
struct worker {
	const struct app	*app;
	int			 listen_fd;
	int			 rc;
	pthread_t		 thread;
};

/* Log one line about a failure. */
static void __attribute__((format(printf, 1, 2)))
worker_warn(const char *fmt, ...)
{
	va_list	ap;

	fputs("presence-fcgi: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

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

/*
 * Wait until a connection comes (fd -1: through epfd) or fd, a kept
 * connection, is readable, or a stop came: 1, 0 (look again) or -1.
 */
static int
worker_wait(int epfd, int fd)
{
	struct epoll_event	 ev[2];
	struct pollfd		 pfd[2];
	int			 i, n;

	if (worker_stop)
		return 0;
	if (fd < 0) {
		if ((n = epoll_pwait(epfd, ev, 2, -1, &worker_waitmask)) < 0)
			return errno == EINTR ? 0 : -1;
		for (i = 0; i < n; i++)
			if (ev[i].data.fd != worker_stop_fd)
				return 1;
		return 0;
	}
	pfd[0].fd = fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = worker_stop_fd;
	pfd[1].events = POLLIN;
	pfd[0].revents = pfd[1].revents = 0;
	if (ppoll(pfd, 2, NULL, &worker_waitmask) < 0)
		return errno == EINTR ? 0 : -1;
	return (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
}

/* Whether FCGX_Accept_r's failure is passing: nothing to accept after all. */
static int
worker_accept_again(int rc)
{
	return rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR ||
	    rc == -ECONNABORTED || rc == -EPROTO;
}

/* Read, serve and write one accepted request. */
static void
worker_serve_one(const struct app *app, FCGX_Request *fr,
    struct response *res, struct buf *body)
{
	struct request	 req;

	if (adapter_read(fr, app, &req, body) != 0) {
		worker_warn("cannot read a request body: %s",
		    store_strerror(STORE_ENOMEM));
		handler_refuse(app, &req, res, 503);
	} else
		handler_serve(app, &req, res);
	if (adapter_write(fr, res) != 0)
		worker_warn("cannot write a response: the connection failed");
}

/* Accept and serve requests until asked to stop; the thread's status. */
static int
worker_loop(const struct app *app, int listen_fd)
{
	FCGX_Request	 fr;
	struct response	 res;
	struct buf	 body;
	int		 rc = 0, r, epfd;

	if ((epfd = worker_epoll(listen_fd)) < 0) {
		worker_warn("cannot set up waiting: %s", strerror(errno));
		return 1;
	}
	if (FCGX_InitRequest(&fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		worker_warn("cannot set up a FastCGI request");
		close(epfd);
		return 1;
	}
	response_init(&res);
	buf_init(&body);
	while (!worker_stop) {
		/* A kept connection brings its next request on itself. */
		r = worker_wait(epfd, fr.ipcFd);
		if (r < 0) {
			worker_warn("cannot wait for a request: %s",
			    strerror(errno));
			rc = 1;
			break;
		}
		if (r == 0)
			continue;
		if ((r = FCGX_Accept_r(&fr)) < 0) {
			/*
			 * A stop taken by another thread since the wait makes
			 * libfcgi give up with whatever errno was left.
			 */
			if (worker_stop || worker_accept_again(r))
				continue;
			worker_warn("cannot accept a request: %s",
			    r > -4096 ? strerror(-r) : "libfcgi failed");
			rc = 1;
			break;
		}
		worker_serve_one(app, &fr, &res, &body);
		adapter_settle(&fr, app->max_body);
		FCGX_Finish_r(&fr);
		if (res.fatal) {	/* logged by the handler */
			rc = 1;
			break;
		}
	}
	/*
	 * An idle kept connection is left for exit to close: libfcgi's own
	 * close lingers up to 2 s waiting for the web server to hang up.
	 */
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

	if ((w->rc = worker_loop(w->app, w->listen_fd)) != 0)
		worker_request_stop();
	return NULL;
}

/* Serve with `threads` threads until asked to stop. */
int
worker_run(const struct app *app, int listen_fd, unsigned threads)
{
	struct worker	*w;
	unsigned	 i, started;
	int		 rc = 0;

	if (threads <= 1)
		return worker_loop(app, listen_fd);
	if ((w = calloc(threads, sizeof *w)) == NULL) {
		worker_warn("cannot start threads: %s", strerror(ENOMEM));
		return 1;
	}
	for (started = 0; started < threads; started++) {
		w[started].app = app;
		w[started].listen_fd = listen_fd;
		errno = pthread_create(&w[started].thread, NULL, worker_main,
		    &w[started]);
		if (errno != 0) {
			worker_warn("cannot start a thread: %s",
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
	free(w);
	return rc;
}
