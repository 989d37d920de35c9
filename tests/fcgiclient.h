/*
 * A small FastCGI client for the tests that drive presence-fcgi over its
 * socket: requests as a web server sends them, with deadlines so that a
 * killed or stuck responder never hangs a test.
 */
#ifndef PRESENCE_TESTS_FCGICLIENT_H
#define PRESENCE_TESTS_FCGICLIENT_H

#include <stddef.h>

#define FC_ECONNECT	(-1)	/* not connected: the request was not sent */
#define FC_ELOST	(-2)	/* sent, but no whole reply: outcome unknown */

/* A reply: the Status line's number and the body, NUL-terminated; owned. */
struct fc_reply {
	int	 status;
	char	*head;		/* the CGI headers, CR LF separated */
	char	*body;
	size_t	 body_len;
};

/* Milliseconds on the monotonic clock. */
long long fc_now_ms(void);

/* Sleep for ms milliseconds. */
void fc_sleep_ms(long ms);

/* Connect to the Unix socket at path; the fd or -1 (errno set). */
int fc_connect(const char *path);

/*
 * Send one request (body NULL for none; content_type NULL for none) to the
 * responder at sock and wait up to timeout_ms for the reply.  Parameters
 * are those lighttpd sends for a responder mounted at "/", plus
 * HTTP_AUTHORIZATION when the environment variable PRESENCE_TEST_TOKEN is
 * not empty.  Returns the reply's status (also in r->status), FC_ECONNECT
 * or FC_ELOST.  r is filled only on success; release it with
 * fc_reply_release.
 */
int fc_request(const char *sock, const char *method, const char *uri,
    const char *content_type, const char *body, int timeout_ms,
    struct fc_reply *r);

/* Free a reply's memory. */
void fc_reply_release(struct fc_reply *r);

/*
 * Write the records that begin request 1 and carry the "NAME=value"
 * parameters params (NULL-ended) on fd; 0 or -1.  fc_put_head_keep asks
 * the responder to keep the connection open when keep is set.
 */
int fc_put_head(int fd, const char *const params[]);
int fc_put_head_keep(int fd, const char *const params[], int keep);

/* Write one record of request 1: header, then len bytes of data; 0 or -1. */
int fc_put_record(int fd, int type, const void *data, size_t len);

/* Write all of len bytes to fd; 0 or -1. */
int fc_write_all(int fd, const void *p, size_t len);

/*
 * Read records from fd until END_REQUEST or the deadline (on fc_now_ms's
 * clock) into r.  Returns 0 or FC_ELOST.
 */
int fc_get_reply(int fd, long long deadline, struct fc_reply *r);

enum {
	FC_BEGIN_REQUEST = 1,
	FC_END_REQUEST = 3,
	FC_PARAMS = 4,
	FC_STDIN = 5,
	FC_STDOUT = 6,
};

#endif
