/* Graph's error shape, query options, skip tokens, URLs and envelopes. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base64.h"
#include "buf.h"
#include "codec.h"
#include "error.h"
#include "guid.h"
#include "odata.h"
#include "request.h"

/* The reason phrase for a status. */
const char *
odata_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	case 507: return "Insufficient Storage";
	}
	return "Unknown";
}

/* The Graph error code for an error status. */
const char *
odata_error_code(int status)
{
	switch (status) {
#define ODATA_ERROR_CODE(st, code, message) case st: return code;
	ODATA_ERRORS(ODATA_ERROR_CODE)
#undef ODATA_ERROR_CODE
	}
	return "generalException";
}

/* The default message for an error status. */
const char *
odata_error_message(int status)
{
	switch (status) {
#define ODATA_ERROR_MESSAGE(st, code, message) case st: return message;
	ODATA_ERRORS(ODATA_ERROR_MESSAGE)
#undef ODATA_ERROR_MESSAGE
	}
	return "the server failed to answer";
}

/* Append Graph's error object for status. */
int
odata_error_json(struct buf *out, int status, const char *message,
    const char *request_id, const char *client_request_id, time_t now)
{
	struct tm	 tm;
	char		 date[32];
	int		 err = 0;

	if (message == NULL)
		message = odata_error_message(status);
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		date[0] = '\0';
	err |= buf_printf(out, "{\"error\":{\"code\":\"%s\",\"message\":",
	    odata_error_code(status));
	err |= codec_put_string(out, message, strlen(message));
	err |= buf_printf(out, ",\"innerError\":{\"date\":\"%s\","
	    "\"request-id\":", date);
	err |= codec_put_string(out, request_id, strlen(request_id));
	err |= buf_adds(out, ",\"client-request-id\":");
	err |= codec_put_string(out, client_request_id,
	    strlen(client_request_id));
	err |= buf_adds(out, "}}}");
	return err != 0 ? STORE_ENOMEM : 0;
}

/* Write a fresh request id. */
int
odata_request_id(char out[GUID_LEN + 1])
{
	if (guid_generate(out) == 0)
		return 0;
	memcpy(out, "00000000-0000-0000-0000-000000000000", GUID_LEN + 1);
	return STORE_EIO;
}

/* Whether a client-request-id may be echoed. */
int
odata_client_request_id_ok(const char *s)
{
	return s != NULL && *s != '\0' &&
	    request_text_safe(s, ODATA_CLIENT_ID_MAX + 1);
}

/* Whether s[0..len) is 1..5 decimal digits (a port). */
static int
host_port_ok(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || len > 5)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
	}
	return 1;
}

/* Whether s[0..len) is only characters from set, and not empty. */
static int
host_chars_ok(const char *s, size_t len, const char *set)
{
	size_t	 i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '\0' || strchr(set, s[i]) == NULL)
			return 0;
	}
	return 1;
}

/* Whether a Host header may go into a URL. */
int
odata_host_ok(const char *s)
{
	static const char name[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-";
	static const char ipv6[] = "0123456789abcdefABCDEF:.";
	const char	*end, *colon;
	size_t		 len;

	if (s == NULL || (len = strlen(s)) == 0 || len > ODATA_HOST_MAX)
		return 0;
	if (s[0] == '[') {
		if ((end = strchr(s, ']')) == NULL ||
		    !host_chars_ok(s + 1, (size_t)(end - s - 1), ipv6))
			return 0;
		if (end[1] == '\0')
			return 1;
		return end[1] == ':' && host_port_ok(end + 2, strlen(end + 2));
	}
	if ((colon = strchr(s, ':')) == NULL)
		return host_chars_ok(s, len, name) && s[0] != '-' && s[0] != '.';
	return host_chars_ok(s, (size_t)(colon - s), name) && s[0] != '-' &&
	    s[0] != '.' && host_port_ok(colon + 1, strlen(colon + 1));
}

/* Write the skip token that resumes a listing after id. */
void
odata_skiptoken(const char *id, char out[ODATA_SKIPTOKEN_LEN + 1])
{
	base64url_encode(id, GUID_LEN, out);
}

/* Decode a skip token into the canonical id it names; 0 or -1. */
static int
skiptoken_decode(const char *token, char out[GUID_LEN + 1])
{
	size_t	len = strlen(token), n;

	if (len != ODATA_SKIPTOKEN_LEN ||
	    base64url_decode(token, len, out, &n) != 0 || n != GUID_LEN)
		return -1;
	out[GUID_LEN] = '\0';
	return guid_is_canonical(out) ? 0 : -1;
}

/* Parse the value of $top. */
static int
query_top(const char *raw, size_t len, struct odata_query *q)
{
	char	 v[8];
	long	 n, i;

	n = request_decode(raw, len, v, sizeof v, 0);
	if (n <= 0 || q->top_given)
		return -1;
	q->top = 0;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		q->top = q->top * 10 + (v[i] - '0');
	}
	q->top_given = 1;
	return q->top >= 1 && q->top <= ODATA_TOP_MAX ? 0 : -1;
}

/* Parse the value of $skiptoken. */
static int
query_skiptoken(const char *raw, size_t len, struct odata_query *q)
{
	char	 v[ODATA_SKIPTOKEN_LEN + 1];

	if (q->after[0] != '\0' ||
	    request_decode(raw, len, v, sizeof v, 0) < 0)
		return -1;
	return skiptoken_decode(v, q->after);
}

/* Parse one name=value pair of a query string. */
static int
query_pair(const char *p, size_t len, struct odata_query *q, char *message,
    size_t size)
{
	const char	*eq = memchr(p, '=', len);
	size_t		 nlen = eq != NULL ? (size_t)(eq - p) : len;
	const char	*v = eq != NULL ? eq + 1 : p + len;
	size_t		 vlen = len - (size_t)(v - p);
	char		 name[64];

	if (request_decode(p, nlen, name, sizeof name, 0) < 0) {
		if (*p != '$' && (nlen < 3 || strncmp(p, "%24", 3) != 0))
			return 0;
		snprintf(message, size, "malformed query option");
		return -1;
	}
	if (name[0] != '$')
		return 0;
	if (strcmp(name, "$top") == 0) {
		if (query_top(v, vlen, q) == 0)
			return 0;
		snprintf(message, size, "'$top' must be given once, "
		    "as an integer from 1 to %d", ODATA_TOP_MAX);
		return -1;
	}
	if (strcmp(name, "$skiptoken") == 0) {
		if (query_skiptoken(v, vlen, q) == 0)
			return 0;
		snprintf(message, size, "'$skiptoken' is not valid");
		return -1;
	}
	snprintf(message, size, "query option '%s' is not supported", name);
	return -1;
}

/* Parse a query string into q. */
int
odata_query_parse(const char *qs, struct odata_query *q, char *message,
    size_t size)
{
	const char	*p = qs != NULL ? qs : "";
	size_t		 len;

	memset(q, 0, sizeof *q);
	q->top = ODATA_TOP_DEFAULT;
	while (*p != '\0') {
		len = strcspn(p, "&");
		if (len > 0 && query_pair(p, len, q, message, size) != 0)
			return -1;
		p += len;
		if (*p == '&')
			p++;
	}
	return 0;
}

/* Append a path percent-encoded for a URL; '/' and safe characters stay. */
static int
url_path_append(struct buf *out, const char *s, size_t len)
{
	static const char keep[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/";
	size_t	 i;
	int	 err = 0;

	for (i = 0; i < len && err == 0; i++) {
		if (s[i] != '\0' && strchr(keep, s[i]) != NULL)
			err = buf_add(out, s + i, 1);
		else
			err = buf_printf(out, "%%%02X", (unsigned char)s[i]);
	}
	return err;
}

/* Append the URL that the resource paths hang off. */
int
odata_url_base(struct buf *out, const struct request *req,
    const char *mount, size_t mount_len, const char *version)
{
	int	 err = 0;

	if (odata_host_ok(req->host))
		err = buf_printf(out, "%s://%s", req->scheme, req->host);
	if (err == 0)
		err = url_path_append(out, mount, mount_len);
	if (err == 0)
		err = buf_adds(out, version);
	return err;
}

/* Append the start of a collection, with its context when not NULL. */
int
odata_collection_begin(struct buf *out, const char *context)
{
	int	 err;

	if (context == NULL)
		return buf_adds(out, "{\"value\":[");
	err = buf_adds(out, "{\"@odata.context\":");
	if (err == 0)
		err = codec_put_string(out, context, strlen(context));
	if (err == 0)
		err = buf_adds(out, ",\"value\":[");
	return err;
}

/* Append the end of a collection, with "@odata.nextLink" when not NULL. */
int
odata_collection_end(struct buf *out, const char *next_link)
{
	int	 err;

	if ((err = buf_adds(out, "]")) != 0)
		return err;
	if (next_link != NULL) {
		err = buf_adds(out, ",\"@odata.nextLink\":");
		if (err == 0)
			err = codec_put_string(out, next_link,
			    strlen(next_link));
		if (err != 0)
			return err;
	}
	return buf_adds(out, "}");
}
