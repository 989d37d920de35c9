/* POSTs out of the responder, through libcurl, under the policy. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "outbound.h"

/* What the callbacks of one transfer share. */
struct transfer {
	const struct notify_policy	*pol;
	struct policy_url		 url;
	struct outbound_result		*res;
	const volatile sig_atomic_t	*stop;
	int				 refused;
	char				 why[POLICY_WHY_MAX];
};

/* Initialise libcurl, once, before threads. */
int
outbound_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

/* A handle for outbound_post to keep. */
void *
outbound_handle(void)
{
	return curl_easy_init();
}

/* Release a handle. */
void
outbound_handle_free(void *h)
{
	if (h != NULL)
		curl_easy_cleanup(h);
}

/*
 * Open a socket only to an address the policy allows: the address is the
 * one resolved for this very connection, so a name cannot resolve one
 * way when checked and another when connected.
 */
static curl_socket_t
open_checked(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct transfer	*t = arg;

	(void)purpose;
	if (policy_allow_addr(t->pol, &t->url, &a->addr, t->why) != 0) {
		t->refused = 1;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* Keep the first OUTBOUND_BODY_MAX bytes of the answer. */
static size_t
keep_body(char *data, size_t size, size_t n, void *arg)
{
	struct outbound_result	*res = arg;
	size_t			 len = size * n, room;

	room = OUTBOUND_BODY_MAX - res->body_len;
	if (len > room)
		res->body_over = 1;
	memcpy(res->body + res->body_len, data, len < room ? len : room);
	res->body_len += len < room ? len : room;
	res->body[res->body_len] = '\0';
	return len;
}

/* End the transfer early when asked to stop. */
static int
check_stop(void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	struct transfer	*t = arg;

	(void)a; (void)b; (void)c; (void)d;
	return t->stop != NULL && *t->stop ? 1 : 0;
}

/* Set every option of one POST. */
static int
setup(CURL *h, struct transfer *t, const char *url,
    struct curl_slist *headers, const char *body, size_t len)
{
	CURLcode	rc = CURLE_OK;

#define SET(opt, v)	do { if (rc == CURLE_OK) rc = curl_easy_setopt(h, opt, v); } while (0)
	SET(CURLOPT_URL, url);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_PROXY, "");
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_TIMEOUT_MS, (long)OUTBOUND_TIMEOUT_MS);
	SET(CURLOPT_CONNECTTIMEOUT_MS, (long)OUTBOUND_TIMEOUT_MS);
	SET(CURLOPT_POST, 1L);
	SET(CURLOPT_POSTFIELDS, body);
	SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	SET(CURLOPT_HTTPHEADER, headers);
	SET(CURLOPT_USERAGENT, "presence-fcgi");
	SET(CURLOPT_OPENSOCKETFUNCTION, open_checked);
	SET(CURLOPT_OPENSOCKETDATA, t);
	SET(CURLOPT_WRITEFUNCTION, keep_body);
	SET(CURLOPT_WRITEDATA, t->res);
	SET(CURLOPT_NOPROGRESS, 0L);
	SET(CURLOPT_XFERINFOFUNCTION, check_stop);
	SET(CURLOPT_XFERINFODATA, t);
#undef SET
	return rc == CURLE_OK ? 0 : -1;
}

/* Say why a transfer got no answer. */
static void
explain(const struct transfer *t, CURLcode rc, struct outbound_result *res)
{
	if (t->refused)
		snprintf(res->why, sizeof res->why, "destination refused: %s",
		    t->why);
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		snprintf(res->why, sizeof res->why, "timed out after %d s",
		    OUTBOUND_TIMEOUT_MS / 1000);
	else if (rc == CURLE_COULDNT_CONNECT)
		snprintf(res->why, sizeof res->why, "connection refused or "
		    "failed");
	else if (rc == CURLE_ABORTED_BY_CALLBACK)
		snprintf(res->why, sizeof res->why, "stopped");
	else
		snprintf(res->why, sizeof res->why, "%s",
		    curl_easy_strerror(rc));
}

/* POST body to url under the policy. */
int
outbound_post(void *handle, const struct notify_policy *pol, const char *url,
    const char *ctype, const char *body, size_t len,
    const volatile sig_atomic_t *stop, struct outbound_result *res)
{
	struct transfer		 t;
	struct curl_slist	*headers = NULL, *more;
	CURL			*h = handle;
	char			 line[160], *type = NULL;
	CURLcode		 rc;
	int			 ret = -1;

	memset(res, 0, sizeof *res);
	memset(&t, 0, sizeof t);
	t.pol = pol;
	t.res = res;
	t.stop = stop;
	if (policy_url_parse(url, &t.url, t.why) != 0) {
		snprintf(res->why, sizeof res->why, "bad URL: %s", t.why);
		return -1;
	}
	if (h == NULL && (h = curl_easy_init()) == NULL)
		goto no_memory;
	snprintf(line, sizeof line, "Content-Type: %s", ctype);
	if ((headers = curl_slist_append(NULL, line)) == NULL ||
	    (more = curl_slist_append(headers, "Expect:")) == NULL)
		goto no_memory;
	headers = more;
	curl_easy_reset(h);
	if (setup(h, &t, url, headers, body, len) != 0)
		goto no_memory;
	if ((rc = curl_easy_perform(h)) != CURLE_OK) {
		explain(&t, rc, res);
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res->status);
	if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK &&
	    type != NULL)
		snprintf(res->content_type, sizeof res->content_type, "%s",
		    type);
	ret = 0;
	goto out;
no_memory:
	snprintf(res->why, sizeof res->why, "out of memory");
out:
	curl_slist_free_all(headers);
	if (handle == NULL && h != NULL)
		curl_easy_cleanup(h);
	return ret;
}
