/*
 * The plain request and response the router and the handlers work on.  No
 * libfcgi type crosses this header, so unit tests build requests from
 * string arrays and read responses without a socket.
 */
#ifndef PRESENCE_FCGI_REQUEST_H
#define PRESENCE_FCGI_REQUEST_H

#include <stddef.h>

#include "buf.h"

#define REQUEST_LENGTH_NONE	(-1)	/* no CONTENT_LENGTH, or an empty one */
#define REQUEST_LENGTH_BAD	(-2)	/* CONTENT_LENGTH is not a number */

/*
 * One request.  The strings are borrowed from the environment array it was
 * built from and live as long as that array (for libfcgi: until the request
 * is finished).  Absent parameters are "" except where NULL is noted.
 */
struct request {
	const char	*method;		/* REQUEST_METHOD */
	const char	*script_name;		/* SCRIPT_NAME */
	const char	*path_info;		/* PATH_INFO */
	const char	*request_uri;		/* REQUEST_URI */
	const char	*query_string;		/* QUERY_STRING */
	const char	*content_type;		/* CONTENT_TYPE, or NULL */
	long long	 content_length;	/* or REQUEST_LENGTH_* */
	const char	*host;			/* HTTP_HOST, or NULL */
	const char	*scheme;		/* "https" or "http" */
	const char	*client_request_id;	/* HTTP_CLIENT_REQUEST_ID, or NULL */
	const char	*authorization;		/* HTTP_AUTHORIZATION, or NULL */
	const char	*remote_user;		/* REMOTE_USER, or NULL */
};

/*
 * Fill req from a NULL-terminated array of "NAME=value" strings (a CGI
 * environment).  The body is not part of it: handler_serve reads it
 * through a struct body_source when it needs it.
 */
void request_from_env(struct request *req, char **envp);

/*
 * With REQUEST_TRUST_FORWARDED_PROTO, "X-Forwarded-Proto: https" (its
 * first value) also makes the scheme https: for a TLS-terminating proxy
 * the operator trusts to set it (presence-fcgi --trust-forwarded-proto).
 * Without it the header changes nothing, since any client can send it.
 */
#define REQUEST_TRUST_FORWARDED_PROTO	0x1

/* request_from_env, believing the headers flags name. */
void request_from_env_flags(struct request *req, char **envp,
    unsigned flags);

#define RESPONSE_HEADERS_MAX	12
#define RESPONSE_VALUE_MAX	2048	/* bytes of a header value, with NUL */

struct response_header {
	const char	*name;			/* a static string */
	char		 value[RESPONSE_VALUE_MAX];
};

/*
 * One response.  Header values are checked when set, so nothing unchecked
 * reaches the wire.  fatal asks the process to exit once this response is
 * written (the store failed beyond repair).
 */
struct response {
	int			 status;
	size_t			 nheaders;
	struct response_header	 headers[RESPONSE_HEADERS_MAX];
	struct buf		 body;
	int			 fatal;
};

/* Make an empty response; release it with response_release. */
void response_init(struct response *res);

/* Forget status, headers and body, keeping the body's memory. */
void response_reset(struct response *res);

/* Free the body's memory. */
void response_release(struct response *res);

/*
 * Set header name (a static string) to value, replacing an earlier value.
 * Returns 0, or -1 when value is not printable ASCII, is too long, or the
 * header table is full; the response is then unchanged.
 */
int response_header_set(struct response *res, const char *name,
    const char *value);

/* The value of header name (any case), or NULL; valid while res is. */
const char *response_header(const struct response *res, const char *name);

/* Whether s is printable ASCII (space to tilde) and shorter than max bytes. */
int request_text_safe(const char *s, size_t max);

#define REQUEST_DECODE_PATH	0x1	/* refuse %2F: it would split a segment */

/*
 * Percent-decode len bytes of in into out (NUL-terminated, at most
 * outmax bytes with the NUL).  A malformed escape, an encoded NUL, or a
 * result that does not fit is refused.  Returns the decoded length or -1.
 */
long request_decode(const char *in, size_t len, char *out, size_t outmax,
    int flags);

#endif
