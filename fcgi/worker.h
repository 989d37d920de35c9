/*
 * The serving loop: threads that accept FastCGI requests on one listening
 * socket and serve them, until SIGTERM or SIGINT.
 */
#ifndef PRESENCE_FCGI_WORKER_H
#define PRESENCE_FCGI_WORKER_H

#include "handler.h"

#define WORKER_THREADS_DEFAULT	16
#define WORKER_THREADS_MAX	256

/*
 * Ignore SIGPIPE and catch SIGTERM, SIGINT and SIGUSR1, which stay
 * blocked except while a thread waits for a request, so a request in hand
 * always finishes.  Call once, before worker_run and before any thread starts.
 * Returns 0 or -1 with errno set.
 */
int worker_signals_setup(void);

/*
 * Serve requests on listen_fd with `threads` threads (FCGX_Init done),
 * each with its own FCGX_Request; app is shared and must outlive the call.
 * A connection has read_timeout seconds to bring each whole request
 * (from its accept, or from the answer before on a kept connection) and
 * as long to take its answer; past that it is closed and logged.  Returns
 * when asked to stop and every thread finished its request in hand, a
 * stalled one given WATCH_STOP_GRACE_MS: 0, or 1 when a thread failed (a
 * fatal store error, a broken socket).
 */
int worker_run(const struct app *app, int listen_fd, unsigned threads,
    unsigned read_timeout);

#endif
