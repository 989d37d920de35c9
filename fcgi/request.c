/* Requests built from a CGI environment, and responses with checked headers. */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "request.h"

/* The value of NAME in a NULL-terminated "NAME=value" array, or NULL. */
static const char *
request_env(char **envp, const char *name)
{
	size_t	 len = strlen(name);
	char	**e;

	if (envp == NULL)
		return NULL;
	for (e = envp; *e != NULL; e++) {
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	}
	return NULL;
}

/* A parameter's value, or "" when it is absent. */
static const char *
env_or_empty(char **envp, const char *name)
{
	const char	*v = request_env(envp, name);

	return v != NULL ? v : "";
}

/* Parse CONTENT_LENGTH: decimal digits only, at most 18 of them. */
static long long
parse_length(const char *s)
{
	long long	 n = 0;
	size_t		 i;

	if (s == NULL || *s == '\0')
		return REQUEST_LENGTH_NONE;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 18)
			return REQUEST_LENGTH_BAD;
		n = n * 10 + (s[i] - '0');
	}
	return n;
}

/*
 * Whether the request came in over TLS, by HTTPS or REQUEST_SCHEME, or,
 * when flags trust a TLS-terminating proxy in front, by its
 * X-Forwarded-Proto header (only its first value counts).
 */
static const char *
parse_scheme(char **envp, unsigned flags)
{
	const char	*https = request_env(envp, "HTTPS");
	const char	*scheme = request_env(envp, "REQUEST_SCHEME");
	const char	*fwd = request_env(envp, "HTTP_X_FORWARDED_PROTO");

	if ((flags & REQUEST_TRUST_FORWARDED_PROTO) && fwd != NULL &&
	    strncasecmp(fwd, "https", 5) == 0 &&
	    (fwd[5] == '\0' || fwd[5] == ',' || fwd[5] == ' '))
		return "https";
	if (https != NULL &&
	    (strcasecmp(https, "on") == 0 || strcmp(https, "1") == 0))
		return "https";
	if (scheme != NULL && strcasecmp(scheme, "https") == 0)
		return "https";
	return "http";
}

/* Fill req from a NULL-terminated array of "NAME=value" strings. */
void
request_from_env(struct request *req, char **envp)
{
	request_from_env_flags(req, envp, 0);
}

/* The same, with flags (REQUEST_TRUST_*) saying which headers to believe. */
void
request_from_env_flags(struct request *req, char **envp, unsigned flags)
{
	memset(req, 0, sizeof *req);
	req->method = env_or_empty(envp, "REQUEST_METHOD");
	req->script_name = env_or_empty(envp, "SCRIPT_NAME");
	req->path_info = env_or_empty(envp, "PATH_INFO");
	req->request_uri = env_or_empty(envp, "REQUEST_URI");
	req->query_string = env_or_empty(envp, "QUERY_STRING");
	req->content_type = request_env(envp, "CONTENT_TYPE");
	req->content_length = parse_length(request_env(envp, "CONTENT_LENGTH"));
	req->host = request_env(envp, "HTTP_HOST");
	req->scheme = parse_scheme(envp, flags);
	req->client_request_id = request_env(envp, "HTTP_CLIENT_REQUEST_ID");
	req->authorization = request_env(envp, "HTTP_AUTHORIZATION");
	req->remote_user = request_env(envp, "REMOTE_USER");
}

/* Whether s is printable ASCII (space to tilde) and shorter than max bytes. */
int
request_text_safe(const char *s, size_t max)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i + 1 >= max)
			return 0;
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	}
	return 1;
}

/* The value of one hexadecimal digit, or -1. */
static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode len bytes of in into out; the decoded length or -1. */
long
request_decode(const char *in, size_t len, char *out, size_t outmax,
    int flags)
{
	size_t	 i, n = 0;
	int	 hi, lo, c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)in[i];
		if (c == '%') {
			if (len - i < 3)
				return -1;
			hi = hex_value(in[i + 1]);
			lo = hex_value(in[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = hi * 16 + lo;
			if ((flags & REQUEST_DECODE_PATH) && c == '/')
				return -1;
			i += 2;
		}
		if (c == '\0' || n + 1 >= outmax)
			return -1;
		out[n++] = (char)c;
	}
	if (outmax == 0)
		return -1;
	out[n] = '\0';
	return (long)n;
}

/* Make an empty response. */
void
response_init(struct response *res)
{
	memset(res, 0, sizeof *res);
	buf_init(&res->body);
}

/* Forget status, headers and body, keeping the body's memory. */
void
response_reset(struct response *res)
{
	res->status = 0;
	res->nheaders = 0;
	res->fatal = 0;
	buf_reset(&res->body);
}

/* Free the body's memory. */
void
response_release(struct response *res)
{
	buf_release(&res->body);
	res->nheaders = 0;
}

/* Set header name to a checked value, replacing an earlier value. */
int
response_header_set(struct response *res, const char *name,
    const char *value)
{
	struct response_header	*h = NULL;
	size_t			 i, len;

	len = strlen(value);
	if (len >= RESPONSE_VALUE_MAX || !request_text_safe(value, len + 1))
		return -1;
	for (i = 0; i < res->nheaders; i++) {
		if (strcasecmp(res->headers[i].name, name) == 0)
			h = &res->headers[i];
	}
	if (h == NULL) {
		if (res->nheaders == RESPONSE_HEADERS_MAX)
			return -1;
		h = &res->headers[res->nheaders++];
	}
	h->name = name;
	memcpy(h->value, value, len + 1);
	return 0;
}

/* The value of header name (any case), or NULL. */
const char *
response_header(const struct response *res, const char *name)
{
	size_t	 i;

	for (i = 0; i < res->nheaders; i++) {
		if (strcasecmp(res->headers[i].name, name) == 0)
			return res->headers[i].value;
	}
	return NULL;
}
