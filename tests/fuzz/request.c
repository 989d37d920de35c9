/*
 * Fuzz target: the whole request path, from a CGI environment to a
 * response, through the request adapter's functions and handler_serve on
 * a real store (in a temporary directory, opened once, so inputs build on
 * each other's presences).  An input reads like an HTTP request:
 *
 *	METHOD TARGET			TARGET is PATH[?QUERY]
 *	Name: value			a header: HTTP_NAME, CONTENT_TYPE, ...
 *	@NAME: value			a CGI parameter as it is (SCRIPT_NAME...)
 *	X-Fuzz-Auth: none		the responder's --auth (tokens by default)
 *	X-Fuzz-Base: /prefix		its --base
 *	X-Fuzz-Max-Body: N		its --max-body
 *	(empty line)
 *	body
 *
 * "$TOKEN" in a value becomes the secret of a token for every presence,
 * "$USER_TOKEN" that of a Presence.ReadWrite token bound to USER_ID.
 * The handler gets the body as from the adapter: only when it asks, no
 * more than it asks for, in a copy of that size.
 * Invariants: a known status, never 5xx from a healthy store; a
 * request-id on every response; printable header values; strict JSON
 * bodies (none for 204 and HEAD, none and no Content-Type for an action's
 * 200) with a matching Content-Length; 401 with
 * WWW-Authenticate, 405 with Allow; a 201 names a presence that the store
 * now holds, written exactly as the body says.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "buf.h"
#include "codec.h"
#include "error.h"
#include "fuzz.h"
#include "handler.h"
#include "request.h"
#include "store.h"
#include "tmpdir.h"

#define USER_ID		"0f0e0d0c-0b0a-4908-8706-050403020100"
#define ENV_MAX		48

static struct store	*st;
static char		 dir[PATH_MAX];
static char		 secret[TOKEN_SECRET_LEN + 1];
static char		 user_secret[TOKEN_SECRET_LEN + 1];

/* Issue a token into the fuzzing store. */
static void
issue(const char *name, unsigned scopes, const char *user,
    char out[TOKEN_SECRET_LEN + 1])
{
	struct token		 t;
	struct fault		 f;

	memset(&t, 0, sizeof t);
	snprintf(t.name, sizeof t.name, "%s", name);
	t.scopes = scopes;
	snprintf(t.user, sizeof t.user, "%s", user);
	if (store_token_issue(st, &t, out, &f) != 0) {
		fprintf(stderr, "cannot issue token '%s': %s\n", name, f.message);
		abort();
	}
}

/* Close and remove the store at exit. */
static void
teardown(void)
{
	store_close(st);
	st = NULL;
	tmpdir_remove(dir);
}

/* Open the store once, without syncing: durability is not tested here. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct store_config	 cfg;
	int			 err;

	(void)argc;
	(void)argv;
	if (st != NULL)
		return 0;
	tmpdir_make("fuzz-request", dir);
	store_config_init(&cfg);
	cfg.path = dir;
	cfg.map_size = 1 << 20;
	cfg.map_max = (size_t)1 << 30;
	cfg.durability = STORE_NOSYNC;
	if ((err = store_open(&st, &cfg)) != 0) {
		fprintf(stderr, "cannot open '%s': %s\n", dir, store_strerror(err));
		abort();
	}
	issue("all", TOKEN_SCOPE_READWRITE_ALL | TOKEN_SCOPE_READ_ALL, "",
	    secret);
	issue("user", TOKEN_SCOPE_READWRITE, USER_ID, user_secret);
	atexit(teardown);
	return 0;
}

/* A CGI environment under construction; strings owned. */
struct cgi {
	char	*env[ENV_MAX + 1];
	size_t	 n;
};

/* Add NAME=value (value len bytes, with the token placeholders filled). */
static void
cgi_add(struct cgi *c, const char *name, size_t nlen, const char *value,
    size_t vlen)
{
	struct buf	 b;
	const char	*p;
	size_t		 i;

	if (c->n == ENV_MAX)
		return;
	buf_init(&b);
	buf_add(&b, name, nlen);
	buf_add(&b, "=", 1);
	for (i = 0; i < vlen; i++) {
		p = value + i;
		if (vlen - i >= 11 && memcmp(p, "$USER_TOKEN", 11) == 0) {
			buf_adds(&b, user_secret);
			i += 10;
		} else if (vlen - i >= 6 && memcmp(p, "$TOKEN", 6) == 0) {
			buf_adds(&b, secret);
			i += 5;
		} else
			buf_add(&b, p, 1);
	}
	if (b.data != NULL)
		c->env[c->n++] = b.data;	/* the buffer's memory moves */
	c->env[c->n] = NULL;
}

/* Add a header: its CGI name is HTTP_ and the name in capitals. */
static void
cgi_header(struct cgi *c, const char *name, size_t nlen, const char *value,
    size_t vlen)
{
	char	 cgi[80];
	size_t	 i, n = 0;

	if (nlen == 12 && strncasecmp(name, "Content-Type", 12) == 0)
		n = (size_t)snprintf(cgi, sizeof cgi, "CONTENT_TYPE");
	else if (nlen == 14 && strncasecmp(name, "Content-Length", 14) == 0)
		n = (size_t)snprintf(cgi, sizeof cgi, "CONTENT_LENGTH");
	else if (nlen > 0 && name[0] == '@') {
		if (nlen - 1 >= sizeof cgi)
			return;
		memcpy(cgi, name + 1, nlen - 1);
		n = nlen - 1;
	} else {
		if (nlen + 5 >= sizeof cgi)
			return;
		memcpy(cgi, "HTTP_", 5);
		for (i = 0, n = 5; i < nlen; i++)
			cgi[n++] = name[i] == '-' ? '_' :
			    (name[i] >= 'a' && name[i] <= 'z') ?
			    (char)(name[i] - 'a' + 'A') : name[i];
	}
	cgi_add(c, cgi, n, value, vlen);
}

/* Free the environment's strings. */
static void
cgi_release(struct cgi *c)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		free(c->env[i]);
	c->n = 0;
}

/* The next line of the input (without its LF); NULL at the end. */
static const char *
next_line(const char **p, const char *end, size_t *len)
{
	const char	*line = *p, *nl;

	if (*p >= end)
		return NULL;
	nl = memchr(line, '\n', (size_t)(end - line));
	if (nl == NULL)
		nl = end;
	*len = (size_t)(nl - line);
	*p = nl < end ? nl + 1 : end;
	return line;
}

/* The settings of the responder an input asks for. */
struct knobs {
	struct app	 app;
	char		 base[256];
	int		 length_given;
	int		 host_given;
};

/* Apply one X-Fuzz- header to the responder's settings; 1 when it was one. */
static int
knob(struct knobs *k, const char *name, size_t nlen, const char *v,
    size_t vlen)
{
	size_t	i;

	if (nlen == 11 && strncasecmp(name, "X-Fuzz-Auth", 11) == 0) {
		if (vlen == 4 && memcmp(v, "none", 4) == 0)
			k->app.auth.mode = AUTH_NONE;
		else if (vlen == 11 && memcmp(v, "remote-user", 11) == 0) {
			k->app.auth.mode = AUTH_REMOTE_USER;
			k->app.auth.remote_user_scopes =
			    TOKEN_SCOPE_READWRITE_ALL | TOKEN_SCOPE_READ_ALL;
		}
		return 1;
	}
	if (nlen == 11 && strncasecmp(name, "X-Fuzz-Base", 11) == 0) {
		snprintf(k->base, sizeof k->base, "%.*s", (int)vlen, v);
		k->app.base = k->base[0] != '\0' ? k->base : NULL;
		return 1;
	}
	if (nlen == 15 && strncasecmp(name, "X-Fuzz-Max-Body", 15) == 0) {
		/* The value is not NUL-terminated: read its digits in place. */
		k->app.max_body = 0;
		for (i = 0; i < vlen && v[i] >= '0' && v[i] <= '9'; i++)
			k->app.max_body = (k->app.max_body * 10 +
			    (size_t)(v[i] - '0')) % 100000;
		k->app.max_body++;
		return 1;
	}
	return 0;
}

/* Build the environment from the request line and the headers. */
static const char *
parse_head(const char *p, const char *end, struct cgi *c, struct knobs *k)
{
	const char	*line, *sp, *q, *colon, *v;
	size_t		 len, vlen;

	if ((line = next_line(&p, end, &len)) == NULL)
		return end;
	if ((sp = memchr(line, ' ', len)) == NULL)
		sp = line + len;
	cgi_add(c, "REQUEST_METHOD", 14, line, (size_t)(sp - line));
	if (sp < line + len)
		sp++;
	len -= (size_t)(sp - line);
	q = memchr(sp, '?', len);
	cgi_add(c, "REQUEST_URI", 11, sp, len);
	cgi_add(c, "PATH_INFO", 9, sp, q != NULL ? (size_t)(q - sp) : len);
	cgi_add(c, "QUERY_STRING", 12, q != NULL ? q + 1 : "",
	    q != NULL ? len - (size_t)(q + 1 - sp) : 0);
	while ((line = next_line(&p, end, &len)) != NULL && len > 0) {
		if ((colon = memchr(line, ':', len)) == NULL)
			continue;
		v = colon + 1;
		vlen = len - (size_t)(v - line);
		while (vlen > 0 && *v == ' ') {
			v++;
			vlen--;
		}
		if (knob(k, line, (size_t)(colon - line), v, vlen))
			continue;
		k->length_given |= (size_t)(colon - line) == 14 &&
		    strncasecmp(line, "Content-Length", 14) == 0;
		k->host_given |= (size_t)(colon - line) == 4 &&
		    strncasecmp(line, "Host", 4) == 0;
		cgi_header(c, line, (size_t)(colon - line), v, vlen);
	}
	return p;
}

/* Check what every response must be. */
static void
check_response(const struct request *req, const struct response *res)
{
	static const int	 known[] = { 200, 201, 204, 400, 401, 403, 404,
	    405, 409, 411, 413, 415 };
	const char		*length;
	struct fault		 f;
	size_t			 i;
	int			 found = 0, head;
	char			 want[32];

	for (i = 0; i < sizeof known / sizeof known[0]; i++)
		found |= res->status == known[i];
	expect(found);
	expect(response_header(res, "request-id") != NULL);
	for (i = 0; i < res->nheaders; i++)
		expect(request_text_safe(res->headers[i].value,
		    RESPONSE_VALUE_MAX));
	if (res->status == 401)
		expect(response_header(res, "WWW-Authenticate") != NULL);
	if (res->status == 405)
		expect(response_header(res, "Allow") != NULL);
	head = strcmp(req->method, "HEAD") == 0;
	if (res->status == 204 || head) {
		expect(res->body.len == 0);
		return;
	}
	length = response_header(res, "Content-Length");
	if (res->status == 200 && response_header(res, "Content-Type") == NULL) {
		/* An action's 200: empty, so that no client parses it. */
		expect(strcmp(req->method, "POST") == 0);
		expect(res->body.len == 0);
		expect(length != NULL && strcmp(length, "0") == 0);
		return;
	}
	expect(res->body.len > 0);
	expect(codec_json_check(res->body.data, res->body.len, &f) == 0);
	snprintf(want, sizeof want, "%zu", res->body.len);
	expect(length != NULL && strcmp(length, want) == 0);
}

/*
 * A 201's presence is in the store, as the body says: what a read shows
 * of the stored presence at its creation, byte for byte.
 */
static void
check_created(const struct response *res)
{
	struct presence_view	 view;
	struct presence		 stored;
	struct fault		 f;
	struct buf		 again;
	const char		*at;
	char			 id[GUID_LEN + 1];

	if (res->status != 201)
		return;
	expect(response_header(res, "Location") != NULL);
	expect(codec_json_check(res->body.data, res->body.len, &f) == 0);
	at = res->body.data != NULL ? strstr(res->body.data, "\"id\":\"") :
	    NULL;
	expect(at != NULL);
	if (at == NULL)
		return;
	snprintf(id, sizeof id, "%.*s", GUID_LEN, at + 6);
	expect(store_get(st, id, &stored) == 0);
	presence_view(&stored, stored.modified, &view);
	buf_init(&again);
	expect(codec_presence_view_to_json(&stored, &view, NULL, &again) == 0);
	expect(again.len == res->body.len &&
	    memcmp(again.data, res->body.data, again.len) == 0);
	buf_release(&again);
}

/* The input's body, as the adapter hands it out. */
struct fuzz_body {
	const char	*data;
	size_t		 len;
	char		*copy;		/* what the handler got */
};

/* Copy at most len bytes, so that reading past them is caught. */
static int
fuzz_body_read(void *ctx, size_t len, const char **body, size_t *got)
{
	struct fuzz_body	*b = ctx;
	size_t			 n = len < b->len ? len : b->len;

	free(b->copy);
	if ((b->copy = malloc(n + 1)) == NULL)
		return -1;
	memcpy(b->copy, b->data, n);
	*body = b->copy;
	*got = n;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data, *end = p + size, *body;
	struct cgi	 c;
	struct knobs	 k;
	struct request	 req;
	struct response	 res;
	struct fuzz_body b = { NULL, 0, NULL };
	struct body_source src = { fuzz_body_read, &b };
	char		 length[32];
	size_t		 blen;

	LLVMFuzzerInitialize(NULL, NULL);
	memset(&c, 0, sizeof c);
	memset(&k, 0, sizeof k);
	k.app.store = st;
	k.app.max_body = HANDLER_MAX_BODY_DEFAULT;
	k.app.auth.mode = AUTH_TOKENS;
	body = parse_head(p, end, &c, &k);
	blen = (size_t)(end - body);
	if (!k.length_given && blen > 0) {
		snprintf(length, sizeof length, "%zu", blen);
		cgi_add(&c, "CONTENT_LENGTH", 14, length, strlen(length));
	}
	if (!k.host_given)
		cgi_add(&c, "HTTP_HOST", 9, "presence.test", 13);
	request_from_env(&req, c.env);
	b.data = body;
	b.len = blen;
	response_init(&res);
	handler_serve(&k.app, &req, &src, &res);
	check_response(&req, &res);
	check_created(&res);
	response_release(&res);
	free(b.copy);
	cgi_release(&c);
	return 0;
}
