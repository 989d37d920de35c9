/* A small FastCGI client for the tests that drive presence-fcgi. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "fcgiclient.h"

#define FC_PARAMS_MAX	16384

/* Milliseconds on the monotonic clock. */
long long
fc_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleep for ms milliseconds. */
void
fc_sleep_ms(long ms)
{
	struct timespec	 ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		continue;
}

/* Connect to the Unix socket at path; the fd or -1. */
int
fc_connect(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd, saved;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* Write all of len bytes; 0 or -1. */
int
fc_write_all(int fd, const void *p, size_t len)
{
	const char	*c = p;
	ssize_t		 n;

	while (len > 0) {
		n = send(fd, c, len, MSG_NOSIGNAL);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return -1;
		}
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Write one record of request 1. */
int
fc_put_record(int fd, int type, const void *data, size_t len)
{
	unsigned char	 h[8];

	h[0] = 1;
	h[1] = (unsigned char)type;
	h[2] = 0;
	h[3] = 1;
	h[4] = (unsigned char)(len >> 8);
	h[5] = (unsigned char)(len & 0xff);
	h[6] = 0;
	h[7] = 0;
	if (fc_write_all(fd, h, sizeof h) != 0)
		return -1;
	return len > 0 ? fc_write_all(fd, data, len) : 0;
}

/* Append a name-value pair's length to p. */
static size_t
put_length(unsigned char *p, size_t len)
{
	if (len < 128) {
		p[0] = (unsigned char)len;
		return 1;
	}
	p[0] = (unsigned char)(0x80 | (len >> 24));
	p[1] = (unsigned char)(len >> 16);
	p[2] = (unsigned char)(len >> 8);
	p[3] = (unsigned char)len;
	return 4;
}

/* Begin request 1 (the connection closed after it) with its parameters. */
int
fc_put_head(int fd, const char *const params[])
{
	return fc_put_head_keep(fd, params, 0);
}

/* Begin request 1, keeping the connection when keep is set. */
int
fc_put_head_keep(int fd, const char *const params[], int keep)
{
	unsigned char	 begin[8] = { 0, 1, 0, 0, 0, 0, 0, 0 };
	unsigned char	 p[FC_PARAMS_MAX];
	size_t		 n = 0, i, nlen, vlen, piece;
	const char	*eq;

	for (i = 0; params[i] != NULL; i++) {
		if ((eq = strchr(params[i], '=')) == NULL)
			return -1;
		nlen = (size_t)(eq - params[i]);
		vlen = strlen(eq + 1);
		if (n + 8 + nlen + vlen > sizeof p)
			return -1;
		n += put_length(p + n, nlen);
		n += put_length(p + n, vlen);
		memcpy(p + n, params[i], nlen);
		n += nlen;
		memcpy(p + n, eq + 1, vlen);
		n += vlen;
	}
	begin[2] = keep ? 1 : 0;	/* FCGI_KEEP_CONN */
	if (fc_put_record(fd, FC_BEGIN_REQUEST, begin, sizeof begin) != 0)
		return -1;
	for (i = 0; i < n; i += piece) {
		piece = n - i > 65535 ? 65535 : n - i;
		if (fc_put_record(fd, FC_PARAMS, p + i, piece) != 0)
			return -1;
	}
	return fc_put_record(fd, FC_PARAMS, NULL, 0);
}

/* Read exactly len bytes before the deadline; 0 or -1. */
static int
read_all(int fd, void *p, size_t len, long long deadline)
{
	struct pollfd	 pfd;
	char		*c = p;
	ssize_t		 n;
	long long	 left;

	while (len > 0) {
		if ((left = deadline - fc_now_ms()) <= 0)
			return -1;
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = read(fd, c, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Append n bytes to a growing string; 0 or -1. */
static int
grow_add(char **s, size_t *len, size_t *cap, const void *p, size_t n)
{
	char	*t;
	size_t	 want = *len + n + 1;

	if (want > *cap) {
		while (*cap < want)
			*cap = *cap > 0 ? *cap * 2 : 4096;
		if ((t = realloc(*s, *cap)) == NULL)
			return -1;
		*s = t;
	}
	memcpy(*s + *len, p, n);
	*len += n;
	(*s)[*len] = '\0';
	return 0;
}

/* Split the stdout text into head and body and find the status. */
static int
split_reply(char *out, size_t len, struct fc_reply *r)
{
	char	*sep, *status;

	if (out == NULL || (sep = strstr(out, "\r\n\r\n")) == NULL)
		return FC_ELOST;
	*sep = '\0';
	r->head = out;
	r->body = sep + 4;
	r->body_len = len - (size_t)(r->body - out);
	r->status = 0;
	if ((status = strstr(out, "Status: ")) != NULL)
		r->status = atoi(status + 8);
	if (r->status < 100 || r->status > 599)
		return FC_ELOST;
	return 0;
}

/* Read records until END_REQUEST or the deadline into r. */
int
fc_get_reply(int fd, long long deadline, struct fc_reply *r)
{
	unsigned char	 h[8];
	unsigned char	 content[65535 + 255];
	char		*out = NULL;
	size_t		 n = 0, cap = 0, len;

	memset(r, 0, sizeof *r);
	for (;;) {
		if (read_all(fd, h, sizeof h, deadline) != 0)
			goto lost;
		len = (size_t)h[4] << 8 | h[5];
		if (read_all(fd, content, len + h[6], deadline) != 0)
			goto lost;
		if (h[1] == FC_END_REQUEST)
			break;
		if (h[1] == FC_STDOUT && len > 0 &&
		    grow_add(&out, &n, &cap, content, len) != 0)
			goto lost;
	}
	if (split_reply(out, n, r) == 0)
		return 0;
lost:
	free(out);
	memset(r, 0, sizeof *r);
	return FC_ELOST;
}

/* Fill params with a lighttpd-like request at mount "/"; 0 or -1. */
static int
make_params(char store[][1024], const char *params[], const char *method,
    const char *uri, const char *content_type, const char *body)
{
	const char	*q = strchr(uri, '?'), *token;
	size_t		 i = 0;
	int		 n[8];

	n[0] = snprintf(store[0], 1024, "REQUEST_METHOD=%s", method);
	n[1] = snprintf(store[1], 1024, "PATH_INFO=%.*s",
	    (int)(q != NULL ? (size_t)(q - uri) : strlen(uri)), uri);
	n[2] = snprintf(store[2], 1024, "QUERY_STRING=%s", q != NULL ? q + 1 : "");
	n[3] = snprintf(store[3], 1024, "REQUEST_URI=%s", uri);
	n[4] = snprintf(store[4], 1024, "CONTENT_LENGTH=%zu",
	    body != NULL ? strlen(body) : 0);
	n[5] = snprintf(store[5], 1024, "CONTENT_TYPE=%s",
	    content_type != NULL ? content_type : "");
	token = getenv("PRESENCE_TEST_TOKEN");
	n[6] = snprintf(store[6], 1024, "HTTP_AUTHORIZATION=Bearer %s",
	    token != NULL ? token : "");
	for (i = 0; i < 7; i++)
		if (n[i] < 0 || n[i] >= 1024)
			return -1;
	i = 0;
	params[i++] = store[0];
	params[i++] = "SCRIPT_NAME=";
	params[i++] = store[1];
	params[i++] = store[2];
	params[i++] = store[3];
	params[i++] = "SERVER_PROTOCOL=HTTP/1.1";
	params[i++] = "GATEWAY_INTERFACE=CGI/1.1";
	params[i++] = "REQUEST_SCHEME=http";
	params[i++] = "HTTP_HOST=presence.test";
	if (body != NULL)
		params[i++] = store[4];
	if (content_type != NULL)
		params[i++] = store[5];
	if (token != NULL && *token != '\0')
		params[i++] = store[6];
	params[i] = NULL;
	return 0;
}

/* Send one request and wait for its reply. */
int
fc_request(const char *sock, const char *method, const char *uri,
    const char *content_type, const char *body, int timeout_ms,
    struct fc_reply *r)
{
	char		 store[7][1024];
	const char	*params[16];
	long long	 deadline = fc_now_ms() + timeout_ms;
	size_t		 len, piece, off;
	int		 fd, rc = FC_ELOST;

	memset(r, 0, sizeof *r);
	if (make_params(store, params, method, uri, content_type, body) != 0)
		return FC_ECONNECT;
	if ((fd = fc_connect(sock)) < 0)
		return FC_ECONNECT;
	if (fc_put_head(fd, params) != 0)
		goto close_fd;
	len = body != NULL ? strlen(body) : 0;
	for (off = 0; off < len; off += piece) {
		piece = len - off > 32768 ? 32768 : len - off;
		if (fc_put_record(fd, FC_STDIN, body + off, piece) != 0)
			goto close_fd;
	}
	if (fc_put_record(fd, FC_STDIN, NULL, 0) != 0)
		goto close_fd;
	if (fc_get_reply(fd, deadline, r) == 0)
		rc = r->status;
close_fd:
	close(fd);
	return rc;
}

/* Free a reply's memory. */
void
fc_reply_release(struct fc_reply *r)
{
	free(r->head);
	memset(r, 0, sizeof *r);
}
