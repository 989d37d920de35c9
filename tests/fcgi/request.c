/* Tests for fcgi/request.c: requests from a CGI environment, checked headers. */
#include <string.h>

#include "auth.h"
#include "request.h"
#include "tap.h"

/* The parameters are read from a plain string array. */
static void
test_from_env(void)
{
	char *env[] = {
		"REQUEST_METHOD=POST",
		"SCRIPT_NAME=/graph",
		"PATH_INFO=/v1.0/communications/presences",
		"REQUEST_URI=/graph/v1.0/communications/presences?$top=2",
		"QUERY_STRING=$top=2",
		"CONTENT_TYPE=application/json",
		"CONTENT_LENGTH=124",
		"HTTP_HOST=presence.test:8080",
		"HTTP_CLIENT_REQUEST_ID=abc-123",
		"HTTP_HOSTNAME=decoy",
		"HTTP_AUTHORIZATION=Bearer prs_abc",
		"REMOTE_USER=alice",
		NULL
	};
	struct request	 req;

	request_from_env(&req, env);
	is_str(req.method, "POST", "REQUEST_METHOD");
	is_str(req.script_name, "/graph", "SCRIPT_NAME");
	is_str(req.path_info, "/v1.0/communications/presences", "PATH_INFO");
	is_str(req.request_uri,
	    "/graph/v1.0/communications/presences?$top=2", "REQUEST_URI");
	is_str(req.query_string, "$top=2", "QUERY_STRING");
	is_str(req.content_type, "application/json", "CONTENT_TYPE");
	is_int(req.content_length, 124, "CONTENT_LENGTH");
	is_str(req.host, "presence.test:8080",
	    "HTTP_HOST, not a variable it prefixes");
	is_str(req.scheme, "http", "no HTTPS: http");
	is_str(req.client_request_id, "abc-123", "HTTP_CLIENT_REQUEST_ID");
	is_str(req.authorization, "Bearer prs_abc", "HTTP_AUTHORIZATION");
	is_str(req.remote_user, "alice", "REMOTE_USER");
}

/* Absent parameters are "" or NULL as the header says. */
static void
test_absent(void)
{
	char *env[] = { "REQUEST_METHOD=GET", NULL };
	struct request	 req;

	request_from_env(&req, env);
	is_str(req.script_name, "", "absent SCRIPT_NAME is \"\"");
	is_str(req.path_info, "", "absent PATH_INFO is \"\"");
	is_str(req.request_uri, "", "absent REQUEST_URI is \"\"");
	is_str(req.query_string, "", "absent QUERY_STRING is \"\"");
	ok(req.content_type == NULL, "absent CONTENT_TYPE is NULL");
	is_int(req.content_length, REQUEST_LENGTH_NONE,
	    "absent CONTENT_LENGTH is REQUEST_LENGTH_NONE");
	ok(req.host == NULL, "absent HTTP_HOST is NULL");
	ok(req.client_request_id == NULL, "absent client-request-id is NULL");
	request_from_env(&req, NULL);
	is_str(req.method, "", "a NULL environment gives empty parameters");
}

/* CONTENT_LENGTH is digits only. */
static void
test_length(void)
{
	static const struct {
		const char	*text;
		long long	 want;
	} rows[] = {
		{ "CONTENT_LENGTH=0", 0 },
		{ "CONTENT_LENGTH=65536", 65536 },
		{ "CONTENT_LENGTH=", REQUEST_LENGTH_NONE },
		{ "CONTENT_LENGTH=-1", REQUEST_LENGTH_BAD },
		{ "CONTENT_LENGTH=+5", REQUEST_LENGTH_BAD },
		{ "CONTENT_LENGTH=12abc", REQUEST_LENGTH_BAD },
		{ "CONTENT_LENGTH= 12", REQUEST_LENGTH_BAD },
		{ "CONTENT_LENGTH=999999999999999999", 999999999999999999LL },
		{ "CONTENT_LENGTH=9999999999999999999", REQUEST_LENGTH_BAD },
	};
	struct request	 req;
	char		 text[64];
	char		*env[2];
	size_t		 i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		snprintf(text, sizeof text, "%s", rows[i].text);
		env[0] = text;
		env[1] = NULL;
		request_from_env(&req, env);
		is_int(req.content_length, rows[i].want, "%s", rows[i].text);
	}
}

/* The scheme comes from HTTPS or REQUEST_SCHEME. */
static void
test_scheme(void)
{
	char *on[] = { "HTTPS=on", NULL };
	char *upper[] = { "HTTPS=ON", NULL };
	char *off[] = { "HTTPS=off", NULL };
	char *scheme[] = { "REQUEST_SCHEME=https", NULL };
	char *plain[] = { "REQUEST_SCHEME=http", NULL };
	struct request	 req;

	request_from_env(&req, on);
	is_str(req.scheme, "https", "HTTPS=on: https");
	request_from_env(&req, upper);
	is_str(req.scheme, "https", "HTTPS=ON: https");
	request_from_env(&req, off);
	is_str(req.scheme, "http", "HTTPS=off: http");
	request_from_env(&req, scheme);
	is_str(req.scheme, "https", "REQUEST_SCHEME=https: https");
	request_from_env(&req, plain);
	is_str(req.scheme, "http", "REQUEST_SCHEME=http: http");
}

/* X-Forwarded-Proto counts only when the caller trusts the proxy. */
static void
test_forwarded_proto(void)
{
	char *fwd[] = { "HTTP_X_FORWARDED_PROTO=https", NULL };
	char *upper[] = { "HTTP_X_FORWARDED_PROTO=HTTPS", NULL };
	char *chain[] = { "HTTP_X_FORWARDED_PROTO=https, http", NULL };
	char *plain[] = { "HTTP_X_FORWARDED_PROTO=http", NULL };
	char *longer[] = { "HTTP_X_FORWARDED_PROTO=httpsx", NULL };
	char *over_tls[] = { "HTTPS=on", "HTTP_X_FORWARDED_PROTO=http", NULL };
	struct request	 req;
	unsigned	 t = REQUEST_TRUST_FORWARDED_PROTO;

	request_from_env(&req, fwd);
	is_str(req.scheme, "http", "X-Forwarded-Proto untrusted: http");
	request_from_env_flags(&req, fwd, 0);
	is_str(req.scheme, "http", "X-Forwarded-Proto, no flags: http");
	request_from_env_flags(&req, fwd, t);
	is_str(req.scheme, "https", "X-Forwarded-Proto trusted: https");
	request_from_env_flags(&req, upper, t);
	is_str(req.scheme, "https", "X-Forwarded-Proto HTTPS trusted: https");
	request_from_env_flags(&req, chain, t);
	is_str(req.scheme, "https", "X-Forwarded-Proto 'https, http': https");
	request_from_env_flags(&req, plain, t);
	is_str(req.scheme, "http", "X-Forwarded-Proto http trusted: http");
	request_from_env_flags(&req, longer, t);
	is_str(req.scheme, "http", "X-Forwarded-Proto httpsx: http");
	request_from_env_flags(&req, over_tls, t);
	is_str(req.scheme, "https", "HTTPS=on wins over X-Forwarded-Proto");
}

/* Percent-decoding refuses what would be unsafe. */
static void
test_decode(void)
{
	char	 out[16];

	is_int(request_decode("a%41b", 5, out, sizeof out, 0), 3,
	    "decode: length");
	is_str(out, "aAb", "decode: %%41 is A");
	is_int(request_decode("%7e%7E", 6, out, sizeof out, 0), 2,
	    "decode: either case of hex");
	is_str(out, "~~", "decode: %%7e and %%7E");
	is_int(request_decode("a+b", 3, out, sizeof out, 0), 3,
	    "decode: '+' is kept");
	is_int(request_decode("%4", 2, out, sizeof out, 0), -1,
	    "decode: truncated escape refused");
	is_int(request_decode("%zz", 3, out, sizeof out, 0), -1,
	    "decode: non-hex escape refused");
	is_int(request_decode("a%00b", 5, out, sizeof out, 0), -1,
	    "decode: encoded NUL refused");
	is_int(request_decode("a%2Fb", 5, out, sizeof out, 0), 3,
	    "decode: %%2F allowed outside paths");
	is_int(request_decode("a%2fb", 5, out, sizeof out,
	    REQUEST_DECODE_PATH), -1, "decode: %%2f refused in a path");
	is_int(request_decode("0123456789abcdef", 16, out, sizeof out, 0), -1,
	    "decode: result that does not fit refused");
	is_int(request_decode("0123456789abcde", 15, out, sizeof out, 0), 15,
	    "decode: result that just fits accepted");
}

/* Header values are checked when set. */
static void
test_headers(void)
{
	struct response	 res;
	char		 big[RESPONSE_VALUE_MAX + 1];
	int		 i;

	response_init(&res);
	is_int(response_header_set(&res, "Location", "/a"), 0, "set a header");
	is_int(response_header_set(&res, "location", "/b"), 0,
	    "set it again in another case");
	is_int((long long)res.nheaders, 1, "one header, replaced");
	is_str(response_header(&res, "LOCATION"), "/b", "looked up in any case");
	is_int(response_header_set(&res, "X-A", "a\r\nX-Injected: 1"), -1,
	    "CR LF refused");
	is_int(response_header_set(&res, "X-A", "a\tb"), -1, "tab refused");
	is_int(response_header_set(&res, "X-A", "caf\xc3\xa9"), -1,
	    "non-ASCII refused");
	ok(response_header(&res, "X-A") == NULL, "a refused header is not set");
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	is_int(response_header_set(&res, "X-Big", big), -1,
	    "a value of RESPONSE_VALUE_MAX bytes refused");
	big[RESPONSE_VALUE_MAX - 1] = '\0';
	is_int(response_header_set(&res, "X-Big", big), 0,
	    "a value of RESPONSE_VALUE_MAX - 1 bytes accepted");
	for (i = 0; i < RESPONSE_HEADERS_MAX; i++)
		response_header_set(&res, i % 2 ? "X-Odd" : "X-Even", "v");
	is_int((long long)res.nheaders, 4, "replacing does not grow the table");
	response_reset(&res);
	is_int((long long)res.nheaders, 0, "reset forgets the headers");
	response_release(&res);
}

/* Run every test and print the plan. */
int
main(void)
{
	test_from_env();
	test_absent();
	test_length();
	test_scheme();
	test_forwarded_proto();
	test_decode();
	test_headers();
	return tap_done();
}
