/*
 * Tests for fcgi/odata.c: the error shape, JSON strings, header checks,
 * query options, skip tokens, URLs and the collection envelope.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "guid.h"
#include "odata.h"
#include "request.h"
#include "tap.h"

#define ID	"3f1d7c1e-9a55-4c5e-8a1e-2b7d9e0c4a11"

/* The error object has Graph's shape, byte for byte. */
static void
test_error_json(void)
{
	struct buf	 b;

	buf_init(&b);
	/* 2026-11-28T07:35:32Z */
	is_int(odata_error_json(&b, 404, NULL, ID, "client-1",
	    (time_t)1795851332), 0, "404 formatted");
	is_str(b.data, "{\"error\":{\"code\":\"itemNotFound\","
	    "\"message\":\"the resource does not exist\",\"innerError\":"
	    "{\"date\":\"2026-11-28T07:35:32\",\"request-id\":\"" ID "\","
	    "\"client-request-id\":\"client-1\"}}}", "404: the exact bytes");
	buf_reset(&b);
	odata_error_json(&b, 400, "'colour' \"is\" not\\known\n", ID,
	    "a\"b", (time_t)0);
	ok(strstr(b.data, "\"message\":\"'colour' \\\"is\\\" not\\\\known\\n\"")
	    != NULL, "message escaped: %s", b.data);
	ok(strstr(b.data, "\"client-request-id\":\"a\\\"b\"") != NULL,
	    "client-request-id escaped");
	ok(strstr(b.data, "\"date\":\"1970-01-01T00:00:00\"") != NULL,
	    "date in UTC to the second");
	buf_release(&b);
}

/* Every error status has its Graph code and a phrase. */
static void
test_codes(void)
{
	static const struct {
		int		 status;
		const char	*code;
		const char	*reason;
	} rows[] = {
		{ 400, "invalidRequest", "Bad Request" },
		{ 404, "itemNotFound", "Not Found" },
		{ 405, "methodNotAllowed", "Method Not Allowed" },
		{ 409, "nameAlreadyExists", "Conflict" },
		{ 411, "lengthRequired", "Length Required" },
		{ 413, "requestTooLarge", "Content Too Large" },
		{ 415, "unsupportedMediaType", "Unsupported Media Type" },
		{ 500, "generalException", "Internal Server Error" },
		{ 503, "serviceNotAvailable", "Service Unavailable" },
		{ 507, "quotaLimitReached", "Insufficient Storage" },
	};
	size_t	 i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		is_str(odata_error_code(rows[i].status), rows[i].code,
		    "%d: code", rows[i].status);
		is_str(odata_reason(rows[i].status), rows[i].reason,
		    "%d: reason", rows[i].status);
		ok(*odata_error_message(rows[i].status) != '\0',
		    "%d: a default message", rows[i].status);
	}
	is_str(odata_reason(200), "OK", "200 OK");
	is_str(odata_reason(201), "Created", "201 Created");
	is_str(odata_reason(204), "No Content", "204 No Content");
	is_str(odata_error_code(418), "generalException",
	    "unknown status: generalException");
}

/* Request ids are fresh canonical GUIDs. */
static void
test_request_id(void)
{
	char	 a[GUID_LEN + 1], b[GUID_LEN + 1];

	is_int(odata_request_id(a), 0, "request id made");
	odata_request_id(b);
	ok(guid_is_canonical(a), "request id is a canonical GUID: %s", a);
	ok(strcmp(a, b) != 0, "two request ids differ");
}

/* What may be echoed or put into a URL. */
static void
test_header_checks(void)
{
	char	 long_id[ODATA_CLIENT_ID_MAX + 2];

	ok(odata_client_request_id_ok("abc-123"), "client id: plain");
	ok(odata_client_request_id_ok("a b\"c"), "client id: printable");
	ok(!odata_client_request_id_ok(""), "client id: empty refused");
	ok(!odata_client_request_id_ok(NULL), "client id: absent refused");
	ok(!odata_client_request_id_ok("a\r\nb"), "client id: CR LF refused");
	ok(!odata_client_request_id_ok("caf\xc3\xa9"),
	    "client id: non-ASCII refused");
	memset(long_id, 'a', sizeof long_id - 1);
	long_id[sizeof long_id - 1] = '\0';
	ok(!odata_client_request_id_ok(long_id), "client id: 129 bytes refused");
	long_id[ODATA_CLIENT_ID_MAX] = '\0';
	ok(odata_client_request_id_ok(long_id), "client id: 128 bytes accepted");

	ok(odata_host_ok("presence.test"), "host: name");
	ok(odata_host_ok("localhost:8080"), "host: name and port");
	ok(odata_host_ok("127.0.0.1:8080"), "host: IPv4 and port");
	ok(odata_host_ok("[::1]"), "host: IPv6");
	ok(odata_host_ok("[2001:db8::1]:443"), "host: IPv6 and port");
	ok(!odata_host_ok(NULL), "host: absent refused");
	ok(!odata_host_ok(""), "host: empty refused");
	ok(!odata_host_ok("evil.test/x?y"), "host: path refused");
	ok(!odata_host_ok("evil.test\r\nX: 1"), "host: CR LF refused");
	ok(!odata_host_ok("a b"), "host: space refused");
	ok(!odata_host_ok("user@host"), "host: userinfo refused");
	ok(!odata_host_ok("host:"), "host: empty port refused");
	ok(!odata_host_ok("host:123456"), "host: long port refused");
	ok(!odata_host_ok("host:80:80"), "host: two ports refused");
	ok(!odata_host_ok("-host"), "host: leading '-' refused");
	ok(!odata_host_ok("[::1"), "host: open bracket refused");
	ok(!odata_host_ok("[::g]"), "host: non-hex IPv6 refused");
	ok(!odata_host_ok("[::1]x"), "host: text after IPv6 refused");
}

/* Query options: $top and $skiptoken, others refused by name. */
static void
test_query(void)
{
	struct odata_query	 q;
	char			 msg[160], token[ODATA_SKIPTOKEN_LEN + 1];
	char			 qs[256];

	is_int(odata_query_parse("", &q, msg, sizeof msg), 0, "empty query");
	is_int(q.top, ODATA_TOP_DEFAULT, "default $top");
	ok(!q.top_given && q.after[0] == '\0', "nothing given");
	is_int(odata_query_parse(NULL, &q, msg, sizeof msg), 0, "NULL query");
	is_int(odata_query_parse("$top=7", &q, msg, sizeof msg), 0, "$top=7");
	ok(q.top == 7 && q.top_given, "$top is 7 and given");
	is_int(odata_query_parse("%24top=999&x=1&&y", &q, msg, sizeof msg), 0,
	    "%%24top=999 with other parameters");
	is_int(q.top, 999, "%%24top decoded as $top");
	is_int(odata_query_parse("$top=1", &q, msg, sizeof msg), 0, "$top=1");

	is_int(odata_query_parse("$top=0", &q, msg, sizeof msg), -1,
	    "$top=0 refused");
	ok(strstr(msg, "$top") != NULL, "the message names $top: %s", msg);
	is_int(odata_query_parse("$top=1000", &q, msg, sizeof msg), -1,
	    "$top=1000 refused");
	is_int(odata_query_parse("$top=", &q, msg, sizeof msg), -1,
	    "empty $top refused");
	is_int(odata_query_parse("$top", &q, msg, sizeof msg), -1,
	    "$top without a value refused");
	is_int(odata_query_parse("$top=-1", &q, msg, sizeof msg), -1,
	    "$top=-1 refused");
	is_int(odata_query_parse("$top=abc", &q, msg, sizeof msg), -1,
	    "$top=abc refused");
	is_int(odata_query_parse("$top=99999999999", &q, msg, sizeof msg), -1,
	    "a huge $top refused");
	is_int(odata_query_parse("$top=2&$top=3", &q, msg, sizeof msg), -1,
	    "a repeated $top refused");

	is_int(odata_query_parse("$filter=a%20eq%201", &q, msg, sizeof msg), -1,
	    "$filter refused");
	ok(strstr(msg, "'$filter'") != NULL, "the message names '$filter': %s",
	    msg);
	is_int(odata_query_parse("a=1&%24select=id", &q, msg, sizeof msg), -1,
	    "%%24select refused");
	ok(strstr(msg, "'$select'") != NULL, "the message names '$select'");
	is_int(odata_query_parse("$to%zz=1", &q, msg, sizeof msg), -1,
	    "a malformed $ option refused");
	is_int(odata_query_parse("x%zz=1&top=5", &q, msg, sizeof msg), 0,
	    "malformed and unknown non-$ parameters ignored");
	is_int(q.top, ODATA_TOP_DEFAULT, "top without $ is not $top");

	odata_skiptoken(ID, token);
	is_int((long long)strlen(token), ODATA_SKIPTOKEN_LEN, "token length");
	ok(strstr(token, ID) == NULL && strpbrk(token, "+/=") == NULL,
	    "token is opaque base64url: %s", token);
	snprintf(qs, sizeof qs, "$top=3&$skiptoken=%s", token);
	is_int(odata_query_parse(qs, &q, msg, sizeof msg), 0, "token accepted");
	is_str(q.after, ID, "token names the id");
	is_int(odata_query_parse("$skiptoken=" ID, &q, msg, sizeof msg), -1,
	    "a bare id is not a token");
	token[5] = token[5] == 'A' ? 'B' : 'A';
	snprintf(qs, sizeof qs, "$skiptoken=%s", token);
	is_int(odata_query_parse(qs, &q, msg, sizeof msg), -1,
	    "a changed token refused");
	is_int(odata_query_parse("$skiptoken=", &q, msg, sizeof msg), -1,
	    "an empty token refused");
	is_int(odata_query_parse("$skiptoken=%%%", &q, msg, sizeof msg), -1,
	    "a malformed token refused");
}

/* URLs: scheme, safe host, encoded mount, version. */
static void
test_url_base(void)
{
	char *env[] = { "HTTPS=on", "HTTP_HOST=presence.test", NULL };
	char *bad[] = { "HTTP_HOST=evil.test/x", NULL };
	struct request	 req;
	struct buf	 b;

	buf_init(&b);
	request_from_env(&req, env);
	odata_url_base(&b, &req, "/graph", 6, "/v1.0");
	is_str(b.data, "https://presence.test/graph/v1.0", "https, mount, v1.0");
	buf_reset(&b);
	odata_url_base(&b, &req, "/a b%c\xc3\xa9", 8, "");
	is_str(b.data, "https://presence.test/a%20b%25c%C3%A9",
	    "mount percent-encoded");
	buf_reset(&b);
	request_from_env(&req, bad);
	odata_url_base(&b, &req, "", 0, "/beta");
	is_str(b.data, "/beta", "unsafe host: a path");
	buf_release(&b);
}

/* The collection envelope. */
static void
test_collection(void)
{
	struct buf	 b;

	buf_init(&b);
	odata_collection_begin(&b, NULL);
	odata_collection_end(&b, NULL);
	is_str(b.data, "{\"value\":[]}", "empty collection");
	buf_reset(&b);
	odata_collection_begin(&b, "http://h/g/$metadata#Collection(x.\"y\")");
	odata_collection_end(&b, NULL);
	is_str(b.data, "{\"@odata.context\":"
	    "\"http://h/g/$metadata#Collection(x.\\\"y\\\")\",\"value\":[]}",
	    "collection with a context, escaped");
	buf_reset(&b);
	odata_collection_begin(&b, NULL);
	buf_adds(&b, "{}");
	odata_collection_end(&b, "http://h/p?$skiptoken=x");
	is_str(b.data, "{\"value\":[{}],\"@odata.nextLink\":"
	    "\"http://h/p?$skiptoken=x\"}", "collection with a nextLink");
	buf_release(&b);
}

/* Run every test and print the plan. */
int
main(void)
{
	test_error_json();
	test_codes();
	test_request_id();
	test_header_checks();
	test_query();
	test_url_base();
	test_collection();
	return tap_done();
}
