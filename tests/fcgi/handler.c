/*
 * Tests for fcgi/handler.c: requests served in-process against a real
 * store in a temporary directory, with a Presence.ReadWrite.All token
 * issued into each store (tests/fcgi/auth.c tests what tokens allow).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "guid.h"
#include "handler.h"
#include "odata.h"
#include "request.h"
#include "store.h"
#include "serve.h"
#include "tap.h"
#include "tmpdir.h"

#define COLL	"/communications/presences"
#define FOUNDING							\
	"{\n"								\
	"  \"@odata.type\": \"#microsoft.graph.presence\",\n"		\
	"  \"availability\": \"Availability value\",\n"			\
	"  \"activity\": \"Activity value\"\n"				\
	"}\n"
#define JSON	"CONTENT_TYPE=application/json"
#define MAX_BODY 4096

static struct app app;

/* The HTTP_AUTHORIZATION every request sends: the store's token. */
static char bearer[64 + TOKEN_SECRET_LEN];

/* Issue a Presence.ReadWrite.All token into st and send it from now on. */
static void
use_token(struct store *st)
{
	struct token		 t;
	struct fault		 fault;
	char			 secret[TOKEN_SECRET_LEN + 1];
	int			 err;

	memset(&t, 0, sizeof t);
	snprintf(t.name, sizeof t.name, "handler-test");
	t.scopes = TOKEN_SCOPE_READWRITE_ALL;
	if ((err = store_token_issue(st, &t, secret, &fault)) != 0)
		tap_bail("cannot issue a token: %s", store_strerror(err));
	snprintf(bearer, sizeof bearer, "HTTP_AUTHORIZATION=Bearer %s", secret);
}

/* Open a store in a fresh directory under dir and point app at it. */
static struct store *
open_store(char dir[PATH_MAX], const char *name, size_t map)
{
	struct store_config	 cfg;
	struct store		*st;
	int			 err;

	tmpdir_make(name, dir);
	store_config_init(&cfg);
	cfg.path = dir;
	if (map != 0) {
		cfg.map_size = map;
		cfg.map_max = map;
	}
	if ((err = store_open(&st, &cfg)) != 0)
		tap_bail("cannot open a store in '%s': %s", dir,
		    store_strerror(err));
	app.store = st;
	app.max_body = MAX_BODY;
	app.base = NULL;
	app.auth.mode = AUTH_TOKENS;
	use_token(st);
	return st;
}

/*
 * Serve the request made of "NAME=value" strings (NULL-terminated) with
 * body (NULL: none; CONTENT_LENGTH is its length unless given), reading
 * the body only as the adapter would.  Returns 0 when the body was read,
 * else the status answered without it.
 */
static int __attribute__((sentinel))
serve(struct response *res, const char *body, ...)
{
	static char	 space[16][2048];
	char		*env[19], length[48];
	const char	*s;
	va_list		 ap;
	size_t		 n = 0;
	int		 has_length = 0;

	va_start(ap, body);
	while ((s = va_arg(ap, const char *)) != NULL) {
		if (n == 16)
			tap_bail("too many parameters");
		snprintf(space[n], sizeof space[n], "%s", s);
		has_length |= strncmp(s, "CONTENT_LENGTH=", 15) == 0;
		env[n] = space[n];
		n++;
	}
	va_end(ap);
	if (body != NULL && !has_length) {
		snprintf(length, sizeof length, "CONTENT_LENGTH=%zu",
		    strlen(body));
		env[n++] = length;
	}
	env[n++] = bearer;
	env[n] = NULL;
	return serve_env(&app, env, body, res);
}

/* Copy the string value of "name" in a JSON body into out ("" if none). */
static const char *
json_value(const char *body, const char *name, char *out, size_t size)
{
	char		 key[64];
	const char	*p, *end;

	out[0] = '\0';
	snprintf(key, sizeof key, "\"%s\":\"", name);
	if (body == NULL || (p = strstr(body, key)) == NULL)
		return out;
	p += strlen(key);
	if ((end = strchr(p, '"')) == NULL || (size_t)(end - p) >= size)
		return out;
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
	return out;
}

/* The headers every response carries. */
static void
check_common(const struct response *res, const char *what)
{
	const char	*rid = response_header(res, "request-id");
	const char	*len = response_header(res, "Content-Length");
	char		 want[32];

	ok(rid != NULL && guid_is_canonical(rid), "%s: request-id is a GUID",
	    what);
	is_str(response_header(res, "OData-Version"), "4.0",
	    "%s: OData-Version", what);
	is_str(response_header(res, "Cache-Control"), "no-store",
	    "%s: Cache-Control", what);
	if (res->status == 204) {
		ok(len == NULL, "%s: 204 has no Content-Length", what);
		return;
	}
	snprintf(want, sizeof want, "%zu", res->body.len);
	is_str(len, want, "%s: Content-Length is the body's", what);
}

/* An error response: status, code, Graph's envelope, ids. */
static void
check_error(const struct response *res, int status, const char *code,
    const char *what)
{
	const char	*body = res->body.data != NULL ? res->body.data : "";
	const char	*rid = response_header(res, "request-id");
	char		 prefix[128], v[256];
	const char	*date;

	is_int(res->status, status, "%s: status %d", what, status);
	is_str(response_header(res, "Content-Type"), "application/json",
	    "%s: application/json", what);
	snprintf(prefix, sizeof prefix,
	    "{\"error\":{\"code\":\"%s\",\"message\":\"", code);
	ok(strncmp(body, prefix, strlen(prefix)) == 0,
	    "%s: starts with the error code: %s", what, body);
	date = strstr(body, "\",\"innerError\":{\"date\":\"");
	if (date != NULL && strlen(date) > 24 + 19)
		date += 24;
	else
		date = "(no date in the body)";
	ok(date[4] == '-' && date[7] == '-' && date[10] == 'T' &&
	    date[13] == ':' && date[16] == ':' && date[19] == '"',
	    "%s: innerError date to the second", what);
	is_str(json_value(body, "request-id", v, sizeof v),
	    rid != NULL ? rid : "-", "%s: innerError request-id is the header's",
	    what);
	ok(strstr(body, "\",\"client-request-id\":\"") != NULL &&
	    strcmp(body + strlen(body) - 3, "}}}") == 0,
	    "%s: ends with client-request-id", what);
	check_common(res, what);
}

/* The founding example: 201, body order, Location. */
static void
test_founding(struct response *res, char id[GUID_LEN + 1])
{
	char	 want[512];

	serve(res, FOUNDING, "REQUEST_METHOD=POST", "SCRIPT_NAME=/graph",
	    "PATH_INFO=/v1.0" COLL, JSON, "HTTP_HOST=presence.test:8080",
	    NULL);
	is_int(res->status, 201, "founding example: 201");
	is_str(response_header(res, "Content-Type"), "application/json",
	    "founding example: application/json");
	json_value(res->body.data, "id", id, GUID_LEN + 1);
	ok(guid_is_canonical(id), "founding example: id is a GUID: %s", id);
	snprintf(want, sizeof want, "{\"@odata.type\":\"#microsoft.graph."
	    "presence\",\"id\":\"%s\",\"availability\":\"Availability value\","
	    "\"activity\":\"Activity value\",\"statusMessage\":null,"
	    "\"outOfOfficeSettings\":{\"isOutOfOffice\":false,\"message\":null},"
	    "\"workLocation\":{\"workLocationType\":\"unspecified\","
	    "\"source\":\"none\",\"placeId\":null},\"sequenceNumber\":\"", id);
	ok(res->body.data != NULL &&
	    strncmp(res->body.data, want, strlen(want)) == 0,
	    "founding example: @odata.type, id, availability, activity, the "
	    "rest of Graph's presence, sequenceNumber in order: %s",
	    res->body.data);
	ok(strstr(res->body.data, "\"createdDateTime\":\"") != NULL &&
	    strstr(res->body.data, "\"lastModifiedDateTime\":\"") != NULL,
	    "founding example: the dates");
	snprintf(want, sizeof want,
	    "http://presence.test:8080/graph/v1.0" COLL "/%s", id);
	is_str(response_header(res, "Location"), want,
	    "founding example: Location");
	check_common(res, "founding example");
}

/* Reading back: both paths, any case, HEAD, and 404s. */
static void
test_read(struct response *res, const char *id)
{
	char	 path[128], upper[GUID_LEN + 1], created[1024], *p;
	char	 want[1200];

	snprintf(created, sizeof created, "%s", res->body.data);
	snprintf(upper, sizeof upper, "%s", id);
	for (p = upper; *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	snprintf(path, sizeof path, "PATH_INFO=" COLL "/%s", upper);
	serve(res, NULL, "REQUEST_METHOD=GET", path, NULL);
	is_int(res->status, 200, "get with an uppercase id: 200");
	/* Without a Host the context is a path: the mount, no version. */
	snprintf(want, sizeof want, "{\"@odata.context\":"
	    "\"/$metadata#communications/presences/$entity\",%s", created + 1);
	is_str(res->body.data, want,
	    "get: the context, then the body the create answered");
	is_str(response_header(res, "Content-Type"), "application/json",
	    "get: application/json");
	check_common(res, "get");

	snprintf(path, sizeof path, "SCRIPT_NAME=/users/%s/presence", id);
	serve(res, NULL, "REQUEST_METHOD=GET", path, NULL);
	is_int(res->status, 200, "get /users/{id}/presence: 200");
	snprintf(want, sizeof want, "{\"@odata.context\":"
	    "\"/$metadata#users('%s')/presence/$entity\",%s", id, created + 1);
	is_str(res->body.data, want,
	    "get /users/{id}/presence: Graph's context, then the record");

	serve(res, NULL, "REQUEST_METHOD=HEAD", path, NULL);
	is_int(res->status, 200, "HEAD: 200");
	is_int((long long)res->body.len, 0, "HEAD: no body");
	snprintf(path, sizeof path, "%zu", strlen(want));
	is_str(response_header(res, "Content-Length"), path,
	    "HEAD: Content-Length of the GET");

	serve(res, NULL, "REQUEST_METHOD=GET",
	    "PATH_INFO=" COLL "/00000000-0000-4000-8000-000000000001", NULL);
	check_error(res, 404, "itemNotFound", "get a missing id");
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL "/not-a-guid",
	    NULL);
	check_error(res, 404, "itemNotFound", "get an id that is no GUID");
	serve(res, NULL, "REQUEST_METHOD=GET",
	    "PATH_INFO=/users/00000000-0000-4000-8000-000000000001/presence",
	    NULL);
	check_error(res, 404, "itemNotFound", "get a missing user's presence");
}

/* A given id is stored lowercase; a second create with it is 409. */
static void
test_given_id(struct response *res)
{
	const char	*body = "{\"id\":\"BA441C11-1C11-4A44-911C-44BA111C44BA\","
	    "\"availability\":\"Busy\",\"activity\":\"InAMeeting\"}";
	char		 id[GUID_LEN + 1];

	serve(res, body, "REQUEST_METHOD=POST", "SCRIPT_NAME=" COLL, JSON,
	    NULL);
	is_int(res->status, 201, "create with an uppercase id: 201");
	is_str(json_value(res->body.data, "id", id, sizeof id),
	    "ba441c11-1c11-4a44-911c-44ba111c44ba",
	    "create with an uppercase id: stored lowercase");
	is_str(response_header(res, "Location"),
	    COLL "/ba441c11-1c11-4a44-911c-44ba111c44ba",
	    "create without HTTP_HOST: relative Location");
	serve(res, body, "REQUEST_METHOD=POST", "SCRIPT_NAME=" COLL, JSON,
	    NULL);
	check_error(res, 409, "nameAlreadyExists", "create a taken id");
	serve(res, FOUNDING, "REQUEST_METHOD=POST", "SCRIPT_NAME=" COLL, JSON,
	    "HTTP_HOST=evil.test\r\nX-Injected: 1", NULL);
	is_int(res->status, 201, "create with an unsafe Host: 201");
	ok(response_header(res, "Location") != NULL &&
	    strncmp(response_header(res, "Location"), COLL "/", 26) == 0,
	    "create with an unsafe Host: relative Location");
}

/* Deleting: 204 without a body, then 404. */
static void
test_delete(struct response *res)
{
	char	 id[GUID_LEN + 1], path[128];

	serve(res, FOUNDING, "REQUEST_METHOD=POST", "PATH_INFO=" COLL, JSON,
	    NULL);
	json_value(res->body.data, "id", id, sizeof id);
	snprintf(path, sizeof path, "PATH_INFO=/beta" COLL "/%s", id);
	serve(res, NULL, "REQUEST_METHOD=DELETE", path, NULL);
	is_int(res->status, 204, "delete: 204");
	is_int((long long)res->body.len, 0, "delete: no body");
	ok(response_header(res, "Content-Type") == NULL,
	    "delete: no Content-Type");
	check_common(res, "delete");
	serve(res, NULL, "REQUEST_METHOD=GET", path, NULL);
	check_error(res, 404, "itemNotFound", "get after delete");
	serve(res, NULL, "REQUEST_METHOD=DELETE", path, NULL);
	check_error(res, 404, "itemNotFound", "delete again");
}

/* Methods a path does not allow: 405 with Allow; unknown paths: 404. */
static void
test_methods(struct response *res)
{
	serve(res, FOUNDING, "REQUEST_METHOD=PUT", "PATH_INFO=" COLL, JSON,
	    NULL);
	check_error(res, 405, "methodNotAllowed", "PUT on the collection");
	is_str(response_header(res, "Allow"), "GET, HEAD, POST",
	    "PUT on the collection: Allow");
	serve(res, NULL, "REQUEST_METHOD=PATCH", "PATH_INFO=" COLL "/x", NULL);
	check_error(res, 405, "methodNotAllowed", "PATCH on a presence");
	is_str(response_header(res, "Allow"), "GET, HEAD, DELETE",
	    "PATCH on a presence: Allow");
	serve(res, NULL, "REQUEST_METHOD=DELETE", "PATH_INFO=/users/x/presence",
	    NULL);
	check_error(res, 405, "methodNotAllowed", "DELETE on a user's presence");
	is_str(response_header(res, "Allow"), "GET, HEAD",
	    "DELETE on a user's presence: Allow");
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=/nothing", NULL);
	check_error(res, 404, "itemNotFound", "unknown path");
	ok(response_header(res, "Allow") == NULL, "unknown path: no Allow");
	is_int(serve(res, NULL, "REQUEST_METHOD=POST", "PATH_INFO=/users", JSON,
	    "CONTENT_LENGTH=99999999", NULL), 404,
	    "POST to an unknown path: answered without its body");
	check_error(res, 404, "itemNotFound", "POST to an unknown path");
}

/* One row of the create checks. */
struct body_row {
	const char	*what;
	const char	*type;		/* CONTENT_TYPE, NULL: absent */
	const char	*length;	/* CONTENT_LENGTH, NULL: the body's */
	const char	*body;
	int		 limit;		/* 0: read, or the status without it */
	int		 status;
	const char	*code;
	const char	*message;	/* in the error message, or NULL */
};

static const struct body_row body_rows[] = {
	{ "text/plain", "text/plain", NULL, FOUNDING, 415, 415,
	    "unsupportedMediaType", NULL },
	{ "missing Content-Type", NULL, NULL, FOUNDING, 415, 415,
	    "unsupportedMediaType", NULL },
	{ "empty Content-Type", "", NULL, FOUNDING, 415, 415,
	    "unsupportedMediaType", NULL },
	{ "application/jsonx", "application/jsonx", NULL, FOUNDING, 415, 415,
	    "unsupportedMediaType", NULL },
	{ "application/json-patch+json", "application/json-patch+json", NULL,
	    FOUNDING, 415, 415, "unsupportedMediaType", NULL },
	{ "Content-Type with parameters, any case",
	    "Application/JSON; charset=utf-8", NULL, FOUNDING, 0, 201, NULL,
	    NULL },
	{ "Content-Type with spaces", " application/json ;charset=\"UTF-8\"",
	    NULL, FOUNDING, 0, 201, NULL, NULL },
	{ "415 before 411", "text/plain", "", NULL, 415, 415,
	    "unsupportedMediaType", NULL },
	{ "missing Content-Length", "application/json", "", NULL, 411, 411,
	    "lengthRequired", NULL },
	{ "Content-Length not a number", "application/json", "12a", FOUNDING,
	    400, 400, "invalidRequest", "Content-Length" },
	{ "Content-Length over the limit", "application/json", "4097",
	    FOUNDING, 413, 413, "requestTooLarge", NULL },
	{ "415 before 413", "text/plain", "99999999", FOUNDING, 415, 415,
	    "unsupportedMediaType", NULL },
	{ "body shorter than Content-Length", "application/json", "100",
	    "{\"a\":1}", 0, 400, "invalidRequest", "Content-Length" },
	{ "empty body", "application/json", "0", "", 0, 400, "invalidRequest",
	    NULL },
	{ "not JSON", "application/json", NULL, "not json", 0, 400,
	    "invalidRequest", NULL },
	{ "trailing garbage", "application/json", NULL,
	    "{\"availability\":\"A\",\"activity\":\"B\"}x", 0, 400,
	    "invalidRequest", NULL },
	{ "duplicate key", "application/json", NULL,
	    "{\"availability\":\"A\",\"availability\":\"B\",\"activity\":\"C\"}",
	    0, 400, "invalidRequest", "availability" },
	{ "unknown property", "application/json", NULL,
	    "{\"availability\":\"A\",\"activity\":\"B\",\"colour\":\"red\"}", 0,
	    400, "invalidRequest", "colour" },
	{ "read-only property", "application/json", NULL,
	    "{\"availability\":\"A\",\"activity\":\"B\",\"sequenceNumber\":\"1\"}",
	    0, 400, "invalidRequest", "sequenceNumber" },
	{ "missing availability", "application/json", NULL,
	    "{\"activity\":\"B\"}", 0, 400, "invalidRequest", "availability" },
	{ "control character in a value", "application/json", NULL,
	    "{\"availability\":\"A\",\"activity\":\"A\\u0001B\"}", 0, 400,
	    "invalidRequest", "activity" },
};

/* Run one create row. */
static void
check_body_row(struct response *res, const struct body_row *r)
{
	char	 type[256], length[64];
	int	 limit;

	snprintf(type, sizeof type, "CONTENT_TYPE=%s", r->type ? r->type : "");
	snprintf(length, sizeof length, "CONTENT_LENGTH=%s",
	    r->length ? r->length : "");
	limit = serve(res, r->body, "REQUEST_METHOD=POST", "PATH_INFO=" COLL,
	    r->type != NULL ? type : "X_NO_TYPE=1",
	    r->length != NULL ? length : "X_NO_LENGTH=1", NULL);
	is_int(limit, r->limit, "%s: %s", r->what, r->limit == 0 ?
	    "the body is read" : "answered without its body");
	if (r->code == NULL) {
		is_int(res->status, r->status, "%s: %d", r->what, r->status);
		return;
	}
	check_error(res, r->status, r->code, r->what);
	if (r->message != NULL)
		ok(strstr(res->body.data, r->message) != NULL,
		    "%s: the message names '%s'", r->what, r->message);
}

/* The create checks, in order, and the body limit at its edge. */
static void
test_body(struct response *res)
{
	char	 body[MAX_BODY + 1];
	size_t	 i, len;
	int	 limit;

	for (i = 0; i < sizeof body_rows / sizeof body_rows[0]; i++)
		check_body_row(res, &body_rows[i]);

	len = strlen(FOUNDING);
	memcpy(body, FOUNDING, len);
	memset(body + len, ' ', MAX_BODY - len);
	body[MAX_BODY] = '\0';
	limit = serve(res, body, "REQUEST_METHOD=POST", "PATH_INFO=" COLL, JSON,
	    NULL);
	ok(limit == 0 && res->status == 201,
	    "a body of exactly --max-body bytes: 201");
}

/* client-request-id: a safe one is echoed, an unsafe one is not. */
static void
test_client_request_id(struct response *res)
{
	char	 v[256], big[200];
	const char *missing = "PATH_INFO=" COLL
	    "/00000000-0000-4000-8000-000000000002";

	serve(res, NULL, "REQUEST_METHOD=GET", missing,
	    "HTTP_CLIENT_REQUEST_ID=test-client-0001", NULL);
	is_str(response_header(res, "client-request-id"), "test-client-0001",
	    "safe client-request-id: echoed in a header");
	is_str(json_value(res->body.data, "client-request-id", v, sizeof v),
	    "test-client-0001", "safe client-request-id: in innerError");

	serve(res, NULL, "REQUEST_METHOD=GET", missing,
	    "HTTP_CLIENT_REQUEST_ID=a\r\nX-Injected: 1", NULL);
	ok(response_header(res, "client-request-id") == NULL,
	    "client-request-id with CR LF: not echoed");
	ok(response_header(res, "X-Injected") == NULL,
	    "client-request-id with CR LF: nothing injected");
	is_str(json_value(res->body.data, "client-request-id", v, sizeof v),
	    response_header(res, "request-id"),
	    "unsafe client-request-id: innerError has the request id");

	memset(big, 'a', sizeof big);
	memcpy(big, "HTTP_CLIENT_REQUEST_ID=", 23);
	big[23 + 129] = '\0';
	serve(res, NULL, "REQUEST_METHOD=GET", missing, big, NULL);
	ok(response_header(res, "client-request-id") == NULL,
	    "129-byte client-request-id: not echoed");
	big[23 + 128] = '\0';
	serve(res, NULL, "REQUEST_METHOD=GET", missing, big, NULL);
	is_str(response_header(res, "client-request-id"), big + 23,
	    "128-byte client-request-id: echoed");
}

/* Copy the ids of a list body, one per line, into out. */
static size_t
list_ids(const char *body, struct buf *out)
{
	const char	*p = body;
	size_t		 n = 0;

	while (p != NULL && (p = strstr(p, "\"id\":\"")) != NULL) {
		p += 6;
		buf_add(out, p, GUID_LEN);
		buf_adds(out, "\n");
		n++;
	}
	return n;
}

/* Compare two strings for qsort. */
static int
compare_ids(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Follow nextLink from $top=3 over 7 records to the end. */
static void
test_paging(struct response *res, char made[7][GUID_LEN + 1])
{
	const char	*prefix = "https://presence.test/graph/v1.0" COLL
	    "?$top=3&$skiptoken=";
	char		 query[256] = "QUERY_STRING=$top=3", link[512];
	char		 pages[32] = "", want[8 * (GUID_LEN + 1) + 1] = "";
	struct buf	 seen;
	size_t		 n, hops, i;

	buf_init(&seen);
	for (hops = 0; hops < 10 && query[0] != '\0'; hops++) {
		serve(res, NULL, "REQUEST_METHOD=GET", "SCRIPT_NAME=/graph",
		    "PATH_INFO=/v1.0" COLL, "HTTPS=on",
		    "HTTP_HOST=presence.test", query, NULL);
		if (!ok(res->status == 200, "page %zu: 200", hops))
			break;
		n = list_ids(res->body.data, &seen);
		snprintf(pages + strlen(pages), sizeof pages - strlen(pages),
		    " %zu", n);
		json_value(res->body.data, "@odata.nextLink", link,
		    sizeof link);
		query[0] = '\0';
		if (link[0] == '\0')
			break;
		ok(strncmp(link, prefix, strlen(prefix)) == 0,
		    "page %zu: nextLink is absolute: %s", hops, link);
		snprintf(query, sizeof query, "QUERY_STRING=%s",
		    strchr(link, '?') + 1);
	}
	is_str(pages, " 3 3 1", "$top=3 over 7: pages of 3, 3, 1");
	qsort(made, 7, GUID_LEN + 1, compare_ids);
	for (i = 0; i < 7; i++)
		snprintf(want + strlen(want), sizeof want - strlen(want),
		    "%s\n", made[i]);
	is_str(seen.data, want, "paging: every record once, in key order");
	buf_release(&seen);
}

/*
 * Behind a TLS-terminating proxy: X-Forwarded-Proto makes Location and
 * nextLink https only when the app trusts it (--trust-forwarded-proto).
 */
static void
test_forwarded_proto(struct response *res)
{
	const char	*fwd = "HTTP_X_FORWARDED_PROTO=https";
	const char	*loc;
	char		 link[512];
	int		 trust;

	for (trust = 0; trust <= 1; trust++) {
		const char	*want = trust ? "https://" : "http://";

		app.request_flags = trust ? REQUEST_TRUST_FORWARDED_PROTO : 0;
		serve(res, FOUNDING, "REQUEST_METHOD=POST", "PATH_INFO=" COLL,
		    JSON, "HTTP_HOST=presence.test", fwd, NULL);
		is_int(res->status, 201, "forwarded https, trust %d: 201",
		    trust);
		loc = response_header(res, "Location");
		ok(loc != NULL && strncmp(loc, want, strlen(want)) == 0,
		    "forwarded https, trust %d: Location %s", trust,
		    loc != NULL ? loc : "(none)");
		serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL,
		    "QUERY_STRING=$top=1", "HTTP_HOST=presence.test", fwd,
		    NULL);
		json_value(res->body.data, "@odata.nextLink", link,
		    sizeof link);
		ok(strncmp(link, want, strlen(want)) == 0,
		    "forwarded https, trust %d: nextLink %s", trust, link);
	}
	app.request_flags = 0;
}

/* Listing: empty, all, pages, and bad query options. */
static void
test_list(struct response *res)
{
	char		 dir[PATH_MAX], made[7][GUID_LEN + 1];
	struct store	*saved = app.store, *st;
	struct buf	 ids;
	size_t		 i;
	char		 saved_bearer[sizeof bearer];

	memcpy(saved_bearer, bearer, sizeof bearer);
	st = open_store(dir, "list", 0);
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL, NULL);
	is_str(res->body.data, "{\"@odata.context\":"
	    "\"/$metadata#communications/presences\",\"value\":[]}",
	    "list an empty store");
	check_common(res, "list");
	for (i = 0; i < 7; i++) {
		serve(res, FOUNDING, "REQUEST_METHOD=POST", "PATH_INFO=" COLL,
		    JSON, NULL);
		json_value(res->body.data, "id", made[i], sizeof made[i]);
	}
	buf_init(&ids);
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL, NULL);
	is_int(list_ids(res->body.data, &ids), 7, "list without $top: all 7");
	ok(strstr(res->body.data, "presences\",\"value\":[{\"@odata.type\":")
	    != NULL &&
	    strstr(res->body.data, "nextLink") == NULL,
	    "list without $top: presences, no nextLink");
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL,
	    "QUERY_STRING=$top=7", NULL);
	ok(strstr(res->body.data, "nextLink") == NULL, "$top=7: no nextLink");
	buf_release(&ids);
	test_paging(res, made);

	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL,
	    "QUERY_STRING=$top=0", NULL);
	check_error(res, 400, "invalidRequest", "$top=0");
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL,
	    "QUERY_STRING=$filter=x", NULL);
	check_error(res, 400, "invalidRequest", "$filter");
	ok(strstr(res->body.data, "'$filter'") != NULL,
	    "$filter: the message names it");
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL,
	    "QUERY_STRING=$skiptoken=nonsense", NULL);
	check_error(res, 400, "invalidRequest", "bad $skiptoken");
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL,
	    "QUERY_STRING=api-version=1&x", NULL);
	is_int(res->status, 200, "other parameters are ignored");
	store_close(st);
	tmpdir_remove(dir);
	app.store = saved;
	memcpy(bearer, saved_bearer, sizeof bearer);
}

/* A store that cannot grow answers 507 and keeps what it had. */
static void
test_full(struct response *res)
{
	char		 dir[PATH_MAX], first[GUID_LEN + 1] = "", path[128];
	char		 saved_bearer[sizeof bearer];
	struct store	*saved = app.store, *st;
	int		 i;

	memcpy(saved_bearer, bearer, sizeof bearer);
	st = open_store(dir, "full", 256 * 1024);
	for (i = 0; i < 20000; i++) {
		serve(res, FOUNDING, "REQUEST_METHOD=POST", "PATH_INFO=" COLL,
		    JSON, NULL);
		if (res->status != 201)
			break;
		if (i == 0)
			json_value(res->body.data, "id", first, sizeof first);
	}
	ok(i > 0 && i < 20000, "a 256 KiB store fills after %d creates", i);
	check_error(res, 507, "quotaLimitReached", "create in a full store");
	ok(!res->fatal, "a full store is not fatal");
	snprintf(path, sizeof path, "PATH_INFO=" COLL "/%s", first);
	serve(res, NULL, "REQUEST_METHOD=GET", path, NULL);
	is_int(res->status, 200, "a full store still reads");
	store_close(st);
	tmpdir_remove(dir);
	app.store = saved;
	memcpy(bearer, saved_bearer, sizeof bearer);
}

/* Run every test against a fresh store and print the plan. */
int
main(void)
{
	char		 dir[PATH_MAX], id[GUID_LEN + 1];
	struct response	 res;
	struct store	*st;

	st = open_store(dir, "handler", 0);
	response_init(&res);
	test_founding(&res, id);
	test_read(&res, id);
	test_given_id(&res);
	test_delete(&res);
	test_methods(&res);
	test_body(&res);
	test_client_request_id(&res);
	test_list(&res);
	test_full(&res);
	test_forwarded_proto(&res);
	response_release(&res);
	store_close(st);
	tmpdir_remove(dir);
	return tap_done();
}
