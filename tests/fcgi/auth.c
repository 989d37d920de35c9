/*
 * Tests for fcgi/auth.c and the handlers' checks: every caller (a token
 * of each scope, remote-user, none) against every endpoint, for its own
 * presence and another's, served in-process on a real store; then every
 * way a request is refused with 401.
 */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "buf.h"
#include "guid.h"
#include "handler.h"
#include "request.h"
#include "store.h"
#include "serve.h"
#include "tap.h"
#include "tmpdir.h"

#define COLL	"/communications/presences"
#define OWN	"ba441c11-1c11-4a44-911c-44ba111c44ba"
#define OWN_UC	"BA441C11-1C11-4A44-911C-44BA111C44BA"
#define OTHER	"3f1d7c1e-9a55-4c5e-8a1e-2b7d9e0c4a11"
#define MISSING	"00000000-0000-4000-8000-000000000009"
#define BODY_NO_ID	"{\"availability\":\"Busy\",\"activity\":\"InACall\"}"
#define BODY_OWN	"{\"id\":\"" OWN_UC "\",\"availability\":\"A\"," \
	"\"activity\":\"B\"}"
#define BODY_OTHER	"{\"id\":\"" OTHER "\",\"availability\":\"A\"," \
	"\"activity\":\"B\"}"
#define BODY_SET	"{\"sessionId\":\"s\",\"availability\":\"Busy\"," \
	"\"activity\":\"InACall\"}"
#define CHALLENGE	"Bearer realm=\"presence\""
#define CHALLENGE_BAD	"Bearer realm=\"presence\", error=\"invalid_token\""

static struct app	 app;
static char		 dir[PATH_MAX];
static char		 logpath[PATH_MAX + 16];

/* The callers: the columns of the table. */
enum {
	C_READ_ALL,		/* token Presence.Read.All */
	C_READWRITE_ALL,	/* token Presence.ReadWrite.All */
	C_READ,			/* token Presence.Read, user OWN */
	C_READWRITE,		/* token Presence.ReadWrite, user OWN */
	C_MIXED,		/* token Presence.Read.All,Presence.ReadWrite, OWN */
	C_REMOTE_OWN,		/* remote-user, Presence.ReadWrite, OWN_UC */
	C_REMOTE_NAME,		/* remote-user, Presence.Read.All, "alice" */
	C_NONE,			/* --auth none, no credentials */
	NCALLERS
};

struct caller {
	const char	*name;
	enum auth_mode	 mode;
	const char	*scopes;	/* the token's, or REMOTE_USER's */
	const char	*user;		/* the token's user, or REMOTE_USER */
	char		 authorization[64 + TOKEN_SECRET_LEN];
	char		 secret[TOKEN_SECRET_LEN + 1];
};

static struct caller callers[NCALLERS] = {
	{ "Presence.Read.All", AUTH_TOKENS, "Presence.Read.All", "", "", "" },
	{ "Presence.ReadWrite.All", AUTH_TOKENS, "Presence.ReadWrite.All", "",
	    "", "" },
	{ "Presence.Read (own)", AUTH_TOKENS, "Presence.Read", OWN, "", "" },
	{ "Presence.ReadWrite (own)", AUTH_TOKENS, "Presence.ReadWrite", OWN,
	    "", "" },
	{ "Presence.Read.All+Presence.ReadWrite (own)", AUTH_TOKENS,
	    "Presence.Read.All,Presence.ReadWrite", OWN, "", "" },
	{ "remote-user Presence.ReadWrite (own)", AUTH_REMOTE_USER,
	    "Presence.ReadWrite", OWN_UC, "", "" },
	{ "remote-user Presence.Read.All (alice)", AUTH_REMOTE_USER,
	    "Presence.Read.All", "alice", "", "" },
	{ "none", AUTH_NONE, NULL, NULL, "", "" },
};

/* Before a row runs, its target is made to exist or not. */
enum state { KEEP, ABSENT };

struct row {
	const char	*what;
	const char	*method;
	const char	*path;
	const char	*body;
	const char	*target;	/* the presence a write would touch */
	enum state	 before;
	int		 status[NCALLERS];
	int		 unread;	/* a 403 comes before the body is read */
};

/*
 * The documented statuses (README, "Authentication"): reads need a Read
 * or ReadWrite scope covering the presence, writes a ReadWrite scope;
 * the collection (listing, creating without an id) only the _All scopes.
 * A 403 comes before looking the presence up, so it never tells whether
 * another's presence exists.  /me without a user is 400.
 */
static const struct row rows[] = {
	/*
	 * Statuses in the order of callers[]: Read.All, ReadWrite.All, Read,
	 * ReadWrite, mixed, remote-user own, remote-user name, none.
	 */
	{ "list", "GET", COLL, NULL, NULL, KEEP,
	    { 200, 200, 403, 403, 200, 403, 200, 200 }, 0 },
	{ "get own", "GET", COLL "/" OWN, NULL, NULL, KEEP,
	    { 200, 200, 200, 200, 200, 200, 200, 200 }, 0 },
	{ "get own, uppercase", "GET", COLL "/" OWN_UC, NULL, NULL, KEEP,
	    { 200, 200, 200, 200, 200, 200, 200, 200 }, 0 },
	{ "get other", "GET", COLL "/" OTHER, NULL, NULL, KEEP,
	    { 200, 200, 403, 403, 200, 403, 200, 200 }, 0 },
	{ "HEAD other", "HEAD", COLL "/" OTHER, NULL, NULL, KEEP,
	    { 200, 200, 403, 403, 200, 403, 200, 200 }, 0 },
	{ "get missing", "GET", COLL "/" MISSING, NULL, NULL, KEEP,
	    { 404, 404, 403, 403, 404, 403, 404, 404 }, 0 },
	{ "users own", "GET", "/users/" OWN "/presence", NULL, NULL, KEEP,
	    { 200, 200, 200, 200, 200, 200, 200, 200 }, 0 },
	{ "users other", "GET", "/users/" OTHER "/presence", NULL, NULL, KEEP,
	    { 200, 200, 403, 403, 200, 403, 200, 200 }, 0 },
	{ "me", "GET", "/v1.0/me/presence", NULL, NULL, KEEP,
	    { 400, 400, 200, 200, 200, 200, 400, 400 }, 0 },
	{ "create without id", "POST", COLL, BODY_NO_ID, NULL, KEEP,
	    { 403, 201, 403, 403, 403, 403, 403, 201 }, 0 },
	{ "create own", "POST", COLL, BODY_OWN, OWN, ABSENT,
	    { 403, 201, 403, 201, 201, 201, 403, 201 }, 0 },
	{ "create other", "POST", COLL, BODY_OTHER, OTHER, ABSENT,
	    { 403, 201, 403, 403, 403, 403, 403, 201 }, 0 },
	{ "create own, taken", "POST", COLL, BODY_OWN, OWN, KEEP,
	    { 403, 409, 403, 409, 409, 409, 403, 409 }, 0 },
	{ "delete own", "DELETE", COLL "/" OWN, NULL, OWN, KEEP,
	    { 403, 204, 403, 204, 204, 204, 403, 204 }, 0 },
	{ "delete other", "DELETE", COLL "/" OTHER, NULL, OTHER, KEEP,
	    { 403, 204, 403, 403, 403, 403, 403, 204 }, 0 },
	{ "delete missing", "DELETE", COLL "/" MISSING, NULL, NULL, KEEP,
	    { 403, 404, 403, 403, 403, 403, 403, 404 }, 0 },
	/* The actions: a ReadWrite scope covering the presence the path names. */
	{ "setPresence own", "POST", "/users/" OWN "/presence/setPresence",
	    BODY_SET, NULL, KEEP,
	    { 403, 200, 403, 200, 200, 200, 403, 200 }, 1 },
	{ "setPresence own, uppercase", "POST",
	    "/v1.0/users/" OWN_UC "/presence/microsoft.graph.setPresence",
	    BODY_SET, NULL, KEEP,
	    { 403, 200, 403, 200, 200, 200, 403, 200 }, 1 },
	{ "setPresence other", "POST", COLL "/" OTHER "/setPresence",
	    BODY_SET, NULL, KEEP,
	    { 403, 200, 403, 403, 403, 403, 403, 200 }, 1 },
	{ "setPresence missing", "POST", "/users/" MISSING
	    "/presence/setPresence", BODY_SET, NULL, KEEP,
	    { 403, 404, 403, 403, 403, 403, 403, 404 }, 1 },
	{ "setPresence me", "POST", "/me/presence/setPresence", BODY_SET,
	    NULL, KEEP, { 400, 400, 403, 200, 200, 200, 400, 400 }, 1 },
	{ "clearPresence other, unknown session", "POST",
	    "/users/" OTHER "/presence/clearPresence",
	    "{\"sessionId\":\"none\"}", NULL, KEEP,
	    { 403, 404, 403, 403, 403, 403, 403, 404 }, 1 },
	{ "setUserPreferredPresence own", "POST",
	    COLL "/" OWN "/setUserPreferredPresence",
	    "{\"availability\":\"Away\",\"activity\":\"Away\"}", NULL,
	    KEEP, { 403, 200, 403, 200, 200, 200, 403, 200 }, 1 },
	{ "clearUserPreferredPresence other, no body", "POST",
	    "/beta/users/" OTHER "/presence/clearUserPreferredPresence", NULL,
	    NULL, KEEP, { 403, 200, 403, 403, 403, 403, 403, 200 }, 1 },
	/* Many presences at once: a .All scope, as for the list. */
	{ "getPresencesByUserId", "POST", "/communications/getPresencesByUserId",
	    "{\"ids\":[\"" OWN "\",\"" OTHER "\"]}", NULL, KEEP,
	    { 200, 200, 403, 403, 200, 403, 200, 200 }, 1 },
};

/*
 * Serve one request made of "NAME=value" strings (NULL-terminated) with
 * body (NULL: none), reading the body only as the adapter would; returns
 * 0 when the body was read, else the status answered without it.
 */
static int __attribute__((sentinel))
serve(struct response *res, const char *body, ...)
{
	static char	 space[16][2048];
	char		*env[18], length[48];
	const char	*s;
	va_list		 ap;
	size_t		 n = 0;

	va_start(ap, body);
	while ((s = va_arg(ap, const char *)) != NULL) {
		if (n == 16)
			tap_bail("too many parameters");
		snprintf(space[n], sizeof space[n], "%s", s);
		env[n] = space[n];
		n++;
	}
	va_end(ap);
	if (body != NULL) {
		snprintf(length, sizeof length, "CONTENT_LENGTH=%zu",
		    strlen(body));
		env[n++] = length;
	}
	env[n] = NULL;
	return serve_env(&app, env, body, res);
}

/* The error code in a JSON error body, into out ("" if none). */
static const char *
error_code(const struct response *res, char *out, size_t size)
{
	const char	*p, *end;

	out[0] = '\0';
	if (res->body.data == NULL ||
	    (p = strstr(res->body.data, "{\"error\":{\"code\":\"")) == NULL)
		return out;
	p += 18;
	if ((end = strchr(p, '"')) != NULL && (size_t)(end - p) < size) {
		memcpy(out, p, (size_t)(end - p));
		out[end - p] = '\0';
	}
	return out;
}

/* The error message in a JSON error body, into out. */
static const char *
error_message(const struct response *res, char *out, size_t size)
{
	const char	*p, *end;

	out[0] = '\0';
	if (res->body.data == NULL ||
	    (p = strstr(res->body.data, "\"message\":\"")) == NULL)
		return out;
	p += 11;
	if ((end = strstr(p, "\",\"innerError\"")) != NULL &&
	    (size_t)(end - p) < size) {
		memcpy(out, p, (size_t)(end - p));
		out[end - p] = '\0';
	}
	return out;
}

/* Make presence id exist (a fresh one) or not. */
static void
set_presence(const char *id, int exists)
{
	struct presence		 p;
	struct fault		 fault;
	int			 err;

	err = store_get(app.store, id, &p);
	if (exists && err == STORE_ENOTFOUND) {
		memset(&p, 0, sizeof p);
		snprintf(p.id, sizeof p.id, "%s", id);
		snprintf(p.availability, sizeof p.availability, "Available");
		snprintf(p.activity, sizeof p.activity, "Available");
		err = store_create(app.store, &p, &fault);
	} else if (!exists && err == 0)
		err = store_delete(app.store, id);
	else if (err == STORE_ENOTFOUND)
		err = 0;
	if (err != 0)
		tap_bail("cannot set up presence '%s': %s", id,
		    store_strerror(err));
}

/* Whether presence id exists. */
static int
exists(const char *id)
{
	struct presence	 p;

	return store_get(app.store, id, &p) == 0;
}

/* The number of presences stored. */
static size_t
count(void)
{
	struct store_stat	 sb;

	if (store_stat(app.store, &sb) != 0)
		tap_bail("cannot stat the store");
	return sb.count;
}

/* Issue a token for every token caller into the store. */
static void
issue_tokens(void)
{
	struct fault		 fault;
	struct token		 t;
	size_t			 i;
	int			 err;

	for (i = 0; i < NCALLERS; i++) {
		if (callers[i].mode != AUTH_TOKENS)
			continue;
		memset(&t, 0, sizeof t);
		snprintf(t.name, sizeof t.name, "caller-%zu", i);
		snprintf(t.user, sizeof t.user, "%s", callers[i].user);
		if (token_scopes_parse(callers[i].scopes, &t.scopes, &fault) != 0 ||
		    (err = store_token_issue(app.store, &t, callers[i].secret,
		    &fault)) != 0)
			tap_bail("cannot issue a token for %s", callers[i].name);
		snprintf(callers[i].authorization,
		    sizeof callers[i].authorization,
		    "HTTP_AUTHORIZATION=Bearer %s", callers[i].secret);
	}
}

/* Configure app for caller c; the credentials it sends go into cred. */
static void
become(const struct caller *c, char *cred, size_t size)
{
	memset(&app.auth, 0, sizeof app.auth);
	app.auth.mode = c->mode;
	snprintf(cred, size, "X_NO_CREDENTIALS=1");
	if (c->mode == AUTH_TOKENS)
		snprintf(cred, size, "%s", c->authorization);
	else if (c->mode == AUTH_REMOTE_USER) {
		if (token_scopes_parse(c->scopes, &app.auth.remote_user_scopes,
		    NULL) != 0)
			tap_bail("bad scopes in the test: %s", c->scopes);
		snprintf(cred, size, "REMOTE_USER=%s", c->user);
	}
}

/* Run one cell of the table and check its status and its effect. */
static void
check_cell(struct response *res, const struct row *r, size_t ci)
{
	const struct caller	*c = &callers[ci];
	char			 cred[128 + TOKEN_SECRET_LEN], method[32];
	char			 path[256], code[64];
	int			 want = r->status[ci];
	size_t			 before_count;
	int			 had, unread;

	set_presence(OWN, 1);
	set_presence(OTHER, 1);
	if (r->before == ABSENT)
		set_presence(r->target, 0);
	before_count = count();
	had = r->target != NULL && exists(r->target);
	become(c, cred, sizeof cred);
	snprintf(method, sizeof method, "REQUEST_METHOD=%s", r->method);
	snprintf(path, sizeof path, "PATH_INFO=%s", r->path);
	unread = serve(res, r->body, method, path, cred,
	    "CONTENT_TYPE=application/json", NULL);
	if (!ok(res->status == want, "%s as %s: %d", r->what, c->name, want))
		printf("#   got %d: %s\n", res->status,
		    res->body.data != NULL ? res->body.data : "");
	if (r->unread && res->status == 403)
		is_int(unread, 403, "%s as %s: refused before the body is read",
		    r->what, c->name);
	if (res->status == 403)
		ok((strcmp(r->method, "HEAD") == 0 ||
		    strcmp(error_code(res, code, sizeof code),
		    "accessDenied") == 0) &&
		    response_header(res, "WWW-Authenticate") == NULL,
		    "%s as %s: accessDenied, no challenge", r->what, c->name);
	if (strcmp(r->method, "POST") == 0 && r->target == NULL)
		is_int(count(), before_count + (want == 201),
		    "%s as %s: %s", r->what, c->name,
		    want == 201 ? "one more presence" : "nothing written");
	else if (r->target != NULL && strcmp(r->method, "POST") == 0)
		is_int(exists(r->target), had || want == 201,
		    "%s as %s: the presence %s", r->what, c->name,
		    had || want == 201 ? "exists" : "was not written");
	else if (r->target != NULL)
		is_int(exists(r->target), want != 204,
		    "%s as %s: the presence %s", r->what, c->name,
		    want == 204 ? "is gone" : "is still there");
}

/* Every caller against every row. */
static void
test_table(struct response *res)
{
	size_t	 i, ci;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		for (ci = 0; ci < NCALLERS; ci++)
			check_cell(res, &rows[i], ci);
}

/* A 403's message says what the request needs, for a list and a write. */
static void
test_denied_messages(struct response *res)
{
	char	 cred[128 + TOKEN_SECRET_LEN], message[512];

	set_presence(OTHER, 1);
	become(&callers[C_READ], cred, sizeof cred);
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL, cred, NULL);
	ok(strstr(error_message(res, message, sizeof message),
	    "Presence.Read.All") != NULL, "403 on a list names the scope: %s",
	    message);
	serve(res, NULL, "REQUEST_METHOD=DELETE", "PATH_INFO=" COLL "/" OTHER,
	    cred, NULL);
	ok(strstr(error_message(res, message, sizeof message),
	    "Presence.ReadWrite.All") != NULL,
	    "403 on a delete names the scope: %s", message);
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL "/" OTHER,
	    cred, NULL);
	is_int(res->status, 403, "403 for another's existing presence");
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL "/" MISSING,
	    cred, NULL);
	is_int(res->status, 403, "and the same 403 for a missing one");
	become(&callers[C_READWRITE_ALL], cred, sizeof cred);
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=/me/presence", cred,
	    NULL);
	ok(res->status == 400 && strstr(error_message(res, message,
	    sizeof message), "'/me'") != NULL,
	    "/me without a user: 400 that says why: %s", message);
	serve(res, NULL, "REQUEST_METHOD=DELETE", "PATH_INFO=/me/presence", cred,
	    NULL);
	is_int(res->status, 405, "DELETE /me/presence: 405");
	is_str(response_header(res, "Allow"), "GET, HEAD", "with Allow");
}

/* One way of sending credentials, and the 401 it gets. */
struct refusal {
	const char	*what;
	const char	*authorization;	/* the header's value, NULL: none */
	const char	*challenge;
	int		 limit;		/* 401: refused before the body is read */
};

/* Check a 401: status, challenge, Graph's code, the common headers. */
static void
check_401(const struct response *res, const char *challenge,
    const char *what)
{
	char	 code[64];

	is_int(res->status, 401, "%s: 401", what);
	is_str(response_header(res, "WWW-Authenticate"), challenge,
	    "%s: WWW-Authenticate", what);
	is_str(error_code(res, code, sizeof code), "InvalidAuthenticationToken",
	    "%s: InvalidAuthenticationToken", what);
	is_str(response_header(res, "Content-Type"), "application/json",
	    "%s: application/json", what);
	ok(response_header(res, "request-id") != NULL, "%s: request-id", what);
}

/* Missing, malformed and foreign credentials: 401 everywhere. */
static void
test_refusals(struct response *res)
{
	static const struct refusal refusals[] = {
		{ "no Authorization", NULL, CHALLENGE, 401 },
		{ "an empty Authorization", "", CHALLENGE, 401 },
		{ "Basic credentials", "Basic dXNlcjpwYXNzd29yZA==", CHALLENGE,
		    401 },
		{ "garbage", "garbage", CHALLENGE, 401 },
		{ "a scheme that only starts with Bearer", "Bearerx abc",
		    CHALLENGE, 401 },
		{ "Bearer alone", "Bearer", CHALLENGE_BAD, 401 },
		{ "Bearer and a space", "Bearer ", CHALLENGE_BAD, 401 },
		{ "two spaces", "Bearer  prs_abc", CHALLENGE_BAD, 401 },
		{ "two tokens", "Bearer prs_abc prs_def", CHALLENGE_BAD, 401 },
		{ "a tab", "Bearer\tprs_abc", CHALLENGE, 401 },
		{ "a character outside b64token", "Bearer prs_a\"b",
		    CHALLENGE_BAD, 401 },
		{ "padding in the middle", "Bearer prs_a=b", CHALLENGE_BAD,
		    401 },
		/* Of the right form, but looked up before the body is read. */
		{ "an unknown token",
		    "Bearer prs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		    CHALLENGE_BAD, 401 },
		{ "a token of another form", "Bearer eyJhbGciOi.eyJzdWIi.sig",
		    CHALLENGE_BAD, 401 },
	};
	char	 cred[2048];
	size_t	 i;
	int	 limit;

	app.auth.mode = AUTH_TOKENS;
	for (i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
		snprintf(cred, sizeof cred, "HTTP_AUTHORIZATION=%s",
		    refusals[i].authorization);
		serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL "/" OWN,
		    refusals[i].authorization != NULL ? cred : "X_NONE=1", NULL);
		check_401(res, refusals[i].challenge, refusals[i].what);
		limit = serve(res, BODY_NO_ID, "REQUEST_METHOD=POST",
		    "PATH_INFO=" COLL, "CONTENT_TYPE=application/json",
		    refusals[i].authorization != NULL ? cred : "X_NONE=1", NULL);
		ok(limit == refusals[i].limit && res->status == 401,
		    "%s: a POST is refused before its body is read",
		    refusals[i].what);
	}
}

/* Authentication comes before everything the request could tell. */
static void
test_order(struct response *res)
{
	int	 limit;

	app.auth.mode = AUTH_TOKENS;
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=/nothing", NULL);
	check_401(res, CHALLENGE, "an unknown path without a token");
	serve(res, NULL, "REQUEST_METHOD=PUT", "PATH_INFO=" COLL, NULL);
	check_401(res, CHALLENGE, "a method not allowed without a token");
	ok(response_header(res, "Allow") == NULL, "and no Allow is told");
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL,
	    "QUERY_STRING=$filter=x", NULL);
	is_int(res->status, 401, "a bad query option without a token: 401");
	limit = serve(res, BODY_NO_ID, "REQUEST_METHOD=POST", "PATH_INFO=" COLL,
	    "CONTENT_TYPE=text/plain", NULL);
	ok(limit == 401 && res->status == 401, "401 before 415");
	limit = serve(res, NULL, "REQUEST_METHOD=POST", "PATH_INFO=" COLL,
	    "CONTENT_TYPE=application/json", "CONTENT_LENGTH=99999999", NULL);
	ok(limit == 401 && res->status == 401, "401 before 413");
	limit = serve(res, NULL, "REQUEST_METHOD=POST", "PATH_INFO=" COLL,
	    "CONTENT_TYPE=application/json", "CONTENT_LENGTH=99999999",
	    callers[C_READ].authorization, NULL);
	ok(limit == 413 && res->status == 413,
	    "with a token of the right form, 413 is answered unread");
	limit = serve(res, BODY_NO_ID, "REQUEST_METHOD=POST", "PATH_INFO=" COLL,
	    "CONTENT_TYPE=text/plain", callers[C_READ].authorization, NULL);
	ok(limit == 415 && res->status == 415,
	    "415 comes before a missing scope");
}

/* Sleep ms milliseconds. */
static void
sleep_ms(long ms)
{
	struct timespec	 ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Milliseconds since the epoch. */
static int64_t
wall_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Revoked, expired and unknown tokens: one 401, one message. */
static void
test_revoked_expired(struct response *res)
{
	struct fault		 fault;
	struct token		 t;
	char			 secret[TOKEN_SECRET_LEN + 1];
	char			 cred[64 + TOKEN_SECRET_LEN];
	char			 m_unknown[512], m_revoked[512], m_expired[512];

	app.auth.mode = AUTH_TOKENS;
	memset(&t, 0, sizeof t);
	snprintf(t.name, sizeof t.name, "short-lived");
	t.scopes = TOKEN_SCOPE_READ_ALL;
	t.expires = wall_ms() + 300;
	if (store_token_issue(app.store, &t, secret, &fault) != 0)
		tap_bail("cannot issue an expiring token: %s", fault.message);
	snprintf(cred, sizeof cred, "HTTP_AUTHORIZATION=Bearer %s", secret);
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL, cred, NULL);
	is_int(res->status, 200, "an expiring token works before it expires");
	while (wall_ms() <= t.expires)
		sleep_ms(20);
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL, cred, NULL);
	check_401(res, CHALLENGE_BAD, "an expired token");
	error_message(res, m_expired, sizeof m_expired);

	memset(&t, 0, sizeof t);
	snprintf(t.name, sizeof t.name, "revoked");
	t.scopes = TOKEN_SCOPE_READWRITE_ALL;
	if (store_token_issue(app.store, &t, secret, &fault) != 0)
		tap_bail("cannot issue a token: %s", fault.message);
	snprintf(cred, sizeof cred, "HTTP_AUTHORIZATION=Bearer %s", secret);
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL, cred, NULL);
	is_int(res->status, 200, "a token works before it is revoked");
	is_int(store_token_revoke(app.store, "revoked"), 0, "revoke it");
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL, cred, NULL);
	check_401(res, CHALLENGE_BAD, "a revoked token");
	error_message(res, m_revoked, sizeof m_revoked);

	secret[TOKEN_SECRET_LEN - 1] = secret[TOKEN_SECRET_LEN - 1] == 'A' ?
	    'B' : 'A';
	snprintf(cred, sizeof cred, "HTTP_AUTHORIZATION=Bearer %s", secret);
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL, cred, NULL);
	check_401(res, CHALLENGE_BAD, "an unknown token");
	error_message(res, m_unknown, sizeof m_unknown);
	ok(m_unknown[0] != '\0' && strcmp(m_unknown, m_revoked) == 0 &&
	    strcmp(m_unknown, m_expired) == 0,
	    "unknown, revoked and expired tokens get the same message: %s",
	    m_unknown);
	ok(strstr(m_unknown, secret) == NULL && strstr(m_unknown, "revoked") !=
	    NULL, "which names no token");

	snprintf(cred, sizeof cred, "HTTP_AUTHORIZATION=bEaReR %s",
	    callers[C_READ_ALL].secret);
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL, cred, NULL);
	is_int(res->status, 200, "the scheme is matched in any case");
}

/* remote-user mode: REMOTE_USER must be there and not empty. */
static void
test_remote_user(struct response *res)
{
	memset(&app.auth, 0, sizeof app.auth);
	app.auth.mode = AUTH_REMOTE_USER;
	app.auth.remote_user_scopes = TOKEN_SCOPE_READ_ALL;
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL, NULL);
	check_401(res, CHALLENGE, "remote-user without REMOTE_USER");
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL,
	    "REMOTE_USER=", NULL);
	check_401(res, CHALLENGE, "remote-user with an empty REMOTE_USER");
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL,
	    callers[C_READWRITE_ALL].authorization, NULL);
	is_int(res->status, 401, "remote-user mode ignores bearer tokens");
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL,
	    "REMOTE_USER=bob", NULL);
	is_int(res->status, 200, "remote-user: REMOTE_USER gets the scopes");
}

/* Run fn with stderr in logpath; what it logged is read into out. */
static void
capture_stderr(void (*fn)(struct response *), struct response *res,
    char *out, size_t size)
{
	FILE	*f;
	size_t	 n;
	int	 saved;

	fflush(stderr);
	saved = dup(2);
	if (saved < 0 || freopen(logpath, "w", stderr) == NULL)
		tap_bail("cannot redirect stderr to '%s'", logpath);
	fn(res);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	out[0] = '\0';
	if ((f = fopen(logpath, "r")) != NULL) {
		n = fread(out, 1, size - 1, f);
		out[n] = '\0';
		fclose(f);
	}
}

/* In none mode: one create and one delete, and a read. */
static void
none_writes(struct response *res)
{
	memset(&app.auth, 0, sizeof app.auth);
	app.auth.mode = AUTH_NONE;
	set_presence(OTHER, 1);
	serve(res, NULL, "REQUEST_METHOD=GET", "PATH_INFO=" COLL "/" OTHER,
	    NULL);
	serve(res, NULL, "REQUEST_METHOD=DELETE", "PATH_INFO=" COLL "/" OTHER,
	    NULL);
	serve(res, BODY_OTHER, "REQUEST_METHOD=POST", "PATH_INFO=" COLL,
	    "CONTENT_TYPE=application/json", NULL);
}

/* Every write in none mode is logged as such, and nothing else is. */
static void
test_none_log(struct response *res)
{
	char		 log[4096];
	const char	*p;
	int		 lines = 0;

	capture_stderr(none_writes, res, log, sizeof log);
	for (p = log; (p = strstr(p, "--auth none")) != NULL; p++)
		lines++;
	is_int(lines, 2, "none mode: the two writes are logged: %s", log);
	ok(strstr(log, "deleted presence '" OTHER "'") != NULL &&
	    strstr(log, "created presence '" OTHER "'") != NULL,
	    "none mode: each warning names the write");
}

/* Every cell of the table, with stderr captured. */
static void
table_quietly(struct response *res)
{
	test_table(res);
	test_refusals(res);
	test_revoked_expired(res);
}

/* Unit checks of the small parsers. */
static void
test_parsers(void)
{
	static const struct {
		const char	*value;
		const char	*secret;	/* NULL: refused */
	} bearer[] = {
		{ "Bearer abc", "abc" },
		{ "bearer abc", "abc" },
		{ "BEARER a-._~+/Z9==", "a-._~+/Z9==" },
		{ "Bearer", NULL },
		{ "Bearer ", NULL },
		{ "Bearer abc ", NULL },
		{ " Bearer abc", NULL },
		{ "Bearer  abc", NULL },
		{ "Bearer =abc", NULL },
		{ "Bearer ab=c", NULL },
		{ "Bearerabc", NULL },
		{ "Basic abc", NULL },
		{ "", NULL },
	};
	enum auth_mode	 mode;
	const char	*secret;
	char		 got[64], big[AUTH_BEARER_MAX + 16];
	size_t		 i, len;
	int		 rc;

	for (i = 0; i < sizeof bearer / sizeof bearer[0]; i++) {
		rc = auth_bearer_parse(bearer[i].value, &secret, &len);
		if (bearer[i].secret == NULL) {
			is_int(rc, -1, "'%s' is not a bearer token",
			    bearer[i].value);
			continue;
		}
		snprintf(got, sizeof got, "%.*s", rc == 0 ? (int)len : 0,
		    rc == 0 ? secret : "");
		ok(rc == 0 && strcmp(got, bearer[i].secret) == 0,
		    "'%s' carries '%s'", bearer[i].value, bearer[i].secret);
	}
	is_int(auth_bearer_parse(NULL, &secret, &len), -1, "NULL is refused");
	memcpy(big, "Bearer ", 7);
	memset(big + 7, 'a', AUTH_BEARER_MAX);
	big[7 + AUTH_BEARER_MAX] = '\0';
	is_int(auth_bearer_parse(big, &secret, &len), 0,
	    "a token of %d bytes is taken", AUTH_BEARER_MAX);
	big[7 + AUTH_BEARER_MAX] = 'a';
	big[8 + AUTH_BEARER_MAX] = '\0';
	is_int(auth_bearer_parse(big, &secret, &len), -1, "one more is not");

	ok(auth_mode_parse("tokens", &mode) == 0 && mode == AUTH_TOKENS,
	    "mode tokens");
	ok(auth_mode_parse("remote-user", &mode) == 0 &&
	    mode == AUTH_REMOTE_USER, "mode remote-user");
	ok(auth_mode_parse("none", &mode) == 0 && mode == AUTH_NONE,
	    "mode none");
	is_int(auth_mode_parse("Tokens", &mode), -1, "modes are exact");
	is_int(auth_mode_parse("", &mode), -1, "an empty mode is refused");
	is_str(auth_mode_name(AUTH_REMOTE_USER), "remote-user", "mode names");
}

/* Whether the file at path holds the bytes of s. */
static int
file_holds(const char *path, const char *s)
{
	FILE	*f;
	char	*data;
	long	 size;
	size_t	 n, len = strlen(s);
	int	 found = 0;

	if ((f = fopen(path, "rb")) == NULL)
		tap_bail("cannot open '%s'", path);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	if (size < 0 || (data = malloc((size_t)size + 1)) == NULL)
		tap_bail("cannot read '%s'", path);
	n = fread(data, 1, (size_t)size, f);
	fclose(f);
	found = n >= len && memmem(data, n, s, len) != NULL;
	free(data);
	return found;
}

/* Run every test on one store and print the plan. */
int
main(void)
{
	struct store_config	 cfg;
	struct response		 res;
	struct store		*st;
	char			 log[65536], path[PATH_MAX + 16];
	size_t			 i;
	int			 err, leaked = 0;

	tmpdir_make("auth", dir);
	snprintf(logpath, sizeof logpath, "%s/stderr.log", dir);
	store_config_init(&cfg);
	cfg.path = dir;
	if ((err = store_open(&st, &cfg)) != 0)
		tap_bail("cannot open a store in '%s': %s", dir,
		    store_strerror(err));
	app.store = st;
	app.max_body = 4096;
	issue_tokens();
	response_init(&res);

	test_parsers();
	capture_stderr(table_quietly, &res, log, sizeof log);
	for (i = 0; i < NCALLERS; i++)
		leaked |= callers[i].secret[0] != '\0' &&
		    strstr(log, callers[i].secret) != NULL;
	ok(!leaked, "no secret is logged");
	test_denied_messages(&res);
	test_order(&res);
	test_remote_user(&res);
	test_none_log(&res);

	response_release(&res);
	store_close(st);
	snprintf(path, sizeof path, "%s/data.mdb", dir);
	for (i = 0, leaked = 0; i < NCALLERS; i++)
		leaked |= callers[i].secret[0] != '\0' &&
		    (file_holds(path, callers[i].secret) ||
		    file_holds(path, callers[i].secret + 4));
	ok(!leaked, "data.mdb holds no secret");
	ok(file_holds(path, "caller-1"), "(while it holds the tokens' names)");
	if (tap_failed == 0)
		tmpdir_remove(dir);
	return tap_done();
}
