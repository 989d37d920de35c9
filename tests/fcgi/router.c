/*
 * Tests for fcgi/router.c: the path after the mount point, as lighttpd,
 * nginx and Apache send SCRIPT_NAME, PATH_INFO and REQUEST_URI.
 */
#include <stdio.h>
#include <string.h>

#include "request.h"
#include "router.h"
#include "tap.h"

#define P	"/communications/presences"
#define ID	"3f1d7c1e-9a55-4c5e-8a1e-2b7d9e0c4a11"

/* One row: the parameters sent (NULL: absent), the base, the expectation. */
struct row {
	const char	*what;
	const char	*script_name;
	const char	*path_info;
	const char	*request_uri;
	const char	*base;
	enum route_kind	 kind;
	const char	*key;
	const char	*mount;
	const char	*version;
};

static const struct row rows[] = {
	/* lighttpd mounted at "/": the path is SCRIPT_NAME, no PATH_INFO. */
	{ "lighttpd /: collection", P, NULL, P, NULL,
	    ROUTE_PRESENCES, NULL, "", "" },
	{ "lighttpd /: v1.0 collection", "/v1.0" P, NULL, "/v1.0" P "?$top=2",
	    NULL, ROUTE_PRESENCES, NULL, "", "/v1.0" },
	{ "lighttpd /: beta presence", "/beta" P "/" ID, NULL,
	    "/beta" P "/" ID, NULL, ROUTE_PRESENCE, ID, "", "/beta" },
	/* lighttpd "/" with fix-root-scriptname: all in PATH_INFO. */
	{ "lighttpd / fix-root: presence", "", "/v1.0" P "/" ID,
	    "/v1.0" P "/" ID, NULL, ROUTE_PRESENCE, ID, "", "/v1.0" },
	{ "lighttpd / fix-root: user presence", "", "/users/" ID "/presence",
	    "/users/" ID "/presence", NULL, ROUTE_USER_PRESENCE, ID, "", "" },
	/* lighttpd mounted at "/graph": SCRIPT_NAME is the mount. */
	{ "lighttpd /graph: collection", "/graph", P, "/graph" P, NULL,
	    ROUTE_PRESENCES, NULL, "/graph", "" },
	{ "lighttpd /graph: v1.0 presence", "/graph", "/v1.0" P "/" ID,
	    "/graph/v1.0" P "/" ID, NULL, ROUTE_PRESENCE, ID, "/graph",
	    "/v1.0" },
	{ "lighttpd /graph: beta user presence", "/graph",
	    "/beta/users/" ID "/presence", "/graph/beta/users/" ID "/presence",
	    NULL, ROUTE_USER_PRESENCE, ID, "/graph", "/beta" },
	{ "mount with a trailing slash", "/graph/", P, "/graph/" P, NULL,
	    ROUTE_PRESENCES, NULL, "/graph", "" },
	/* nginx with the stock fastcgi_params: SCRIPT_NAME is the whole path. */
	{ "nginx /: collection", P, NULL, P "?$top=1", NULL,
	    ROUTE_PRESENCES, NULL, "", "" },
	{ "nginx /graph/ without a base: 404", "/graph" P, NULL, "/graph" P,
	    NULL, ROUTE_NONE, NULL, "", "" },
	{ "nginx /graph/ with base /graph", "/graph/v1.0" P, NULL,
	    "/graph/v1.0" P, "/graph", ROUTE_PRESENCES, NULL, "/graph",
	    "/v1.0" },
	{ "nginx /graph/ with base /graph/", "/graph" P "/" ID, NULL,
	    "/graph" P "/" ID, "/graph/", ROUTE_PRESENCE, ID, "/graph", "" },
	{ "nginx fastcgi_split_path_info", "/graph", "/users/" ID "/presence",
	    "/graph/users/" ID "/presence", NULL, ROUTE_USER_PRESENCE, ID,
	    "/graph", "" },
	/* Apache: mod_fcgid splits; mod_proxy_fcgi sends the whole path. */
	{ "Apache mod_fcgid /graph", "/graph", "/v1.0" P, "/graph/v1.0" P,
	    NULL, ROUTE_PRESENCES, NULL, "/graph", "/v1.0" },
	{ "Apache mod_proxy_fcgi with base", "/graph" P, NULL, "/graph" P,
	    "/graph", ROUTE_PRESENCES, NULL, "/graph", "" },
	{ "Apache mod_proxy_fcgi at /", "/v1.0" P "/" ID, NULL,
	    "/v1.0" P "/" ID, NULL, ROUTE_PRESENCE, ID, "", "/v1.0" },
	/* Only REQUEST_URI: its path is decoded. */
	{ "REQUEST_URI only", NULL, NULL, "/v1.0" P "/" ID "?a=1", NULL,
	    ROUTE_PRESENCE, ID, "", "/v1.0" },
	{ "REQUEST_URI with a fragment", NULL, NULL, P "#x", NULL,
	    ROUTE_PRESENCES, NULL, "", "" },
	{ "REQUEST_URI percent-encoded", "", "", "/communications/%70resences",
	    NULL, ROUTE_PRESENCES, NULL, "", "" },
	{ "REQUEST_URI with %2F: 404", "", "", "/communications%2Fpresences",
	    NULL, ROUTE_NONE, NULL, "", "" },
	{ "REQUEST_URI with a bad escape: 404", "", "", P "%zz", NULL,
	    ROUTE_NONE, NULL, "", "" },
	{ "REQUEST_URI with base", NULL, NULL, "/graph" P "?$top=5", "/graph",
	    ROUTE_PRESENCES, NULL, "/graph", "" },
	{ "base /", P, NULL, P, "/", ROUTE_PRESENCES, NULL, "", "" },
	{ "base that does not match: 404", "/graphx" P, NULL, "/graphx" P,
	    "/graph", ROUTE_NONE, NULL, "", "" },
	{ "base that is the whole path: 404", "/graph", NULL, "/graph",
	    "/graph", ROUTE_NONE, NULL, "", "" },
	{ "nothing at all: 404", NULL, NULL, NULL, NULL,
	    ROUTE_NONE, NULL, "", "" },
	/* Paths that are not resources. */
	{ "trailing slash: 404", P "/", NULL, NULL, NULL,
	    ROUTE_NONE, NULL, "", "" },
	{ "empty id: 404", P "//", NULL, NULL, NULL, ROUTE_NONE, NULL, "", "" },
	{ "below a presence: 404", P "/" ID "/more", NULL, NULL, NULL,
	    ROUTE_NONE, NULL, "", "" },
	{ "longer segment: 404", P "x", NULL, NULL, NULL,
	    ROUTE_NONE, NULL, "", "" },
	{ "collection parent: 404", "/communications", NULL, NULL, NULL,
	    ROUTE_NONE, NULL, "", "" },
	{ "version alone: 404", "/v1.0", NULL, NULL, NULL,
	    ROUTE_NONE, NULL, "", "" },
	{ "unknown version: 404", "/v2.0" P, NULL, NULL, NULL,
	    ROUTE_NONE, NULL, "", "" },
	{ "two versions: 404", "/v1.0/beta" P, NULL, NULL, NULL,
	    ROUTE_NONE, NULL, "", "" },
	{ "version without its slash: 404", "/v1.0communications/presences",
	    NULL, NULL, NULL, ROUTE_NONE, NULL, "", "" },
	{ "user without presence: 404", "/users/" ID, NULL, NULL, NULL,
	    ROUTE_NONE, NULL, "", "" },
	{ "user with empty id: 404", "/users//presence", NULL, NULL, NULL,
	    ROUTE_NONE, NULL, "", "" },
	{ "user presence below: 404", "/users/" ID "/presence/x", NULL, NULL,
	    NULL, ROUTE_NONE, NULL, "", "" },
	{ "root: 404", "/", NULL, NULL, NULL, ROUTE_NONE, NULL, "", "" },
	/* The caller's own presence. */
	{ "me", "", "/me/presence", "/me/presence", NULL,
	    ROUTE_ME_PRESENCE, NULL, "", "" },
	{ "me under /graph and v1.0", "/graph", "/v1.0/me/presence",
	    "/graph/v1.0/me/presence", NULL, ROUTE_ME_PRESENCE, NULL, "/graph",
	    "/v1.0" },
	{ "me alone: 404", "/me", NULL, NULL, NULL, ROUTE_NONE, NULL, "", "" },
	{ "me presence below: 404", "/me/presence/x", NULL, NULL, NULL,
	    ROUTE_NONE, NULL, "", "" },
	{ "me presencex: 404", "/me/presencex", NULL, NULL, NULL,
	    ROUTE_NONE, NULL, "", "" },
	{ "no leading slash: 404", "communications/presences", NULL, NULL,
	    NULL, ROUTE_NONE, NULL, "", "" },
};

/* Build the environment of a row into env (strings in space). */
static void
row_env(const struct row *r, char *env[4], char space[3][2048])
{
	size_t	 n = 0;

	if (r->script_name != NULL) {
		snprintf(space[0], sizeof space[0], "SCRIPT_NAME=%s",
		    r->script_name);
		env[n++] = space[0];
	}
	if (r->path_info != NULL) {
		snprintf(space[1], sizeof space[1], "PATH_INFO=%s",
		    r->path_info);
		env[n++] = space[1];
	}
	if (r->request_uri != NULL) {
		snprintf(space[2], sizeof space[2], "REQUEST_URI=%s",
		    r->request_uri);
		env[n++] = space[2];
	}
	env[n] = NULL;
}

/* Whether a span equals a string. */
static int
span_is(const char *p, size_t len, const char *want)
{
	return p != NULL && strlen(want) == len && memcmp(p, want, len) == 0;
}

/* Check one row. */
static void
check_row(const struct row *r)
{
	char		 space[3][2048];
	char		*env[4];
	struct request	 req;
	struct route	 rt;
	enum route_kind	 kind;

	row_env(r, env, space);
	request_from_env(&req, env);
	kind = route_match(&req, r->base, &rt);
	is_int(kind, r->kind, "%s: kind", r->what);
	is_int(rt.kind, kind, "%s: kind is returned and stored", r->what);
	if (r->kind == ROUTE_NONE)
		return;
	if (r->key != NULL)
		ok(span_is(rt.key, rt.key_len, r->key), "%s: id '%.*s'",
		    r->what, (int)rt.key_len, rt.key != NULL ? rt.key : "");
	else
		ok(rt.key == NULL, "%s: no id", r->what);
	ok(span_is(rt.mount, rt.mount_len, r->mount), "%s: mount '%.*s'",
	    r->what, (int)rt.mount_len, rt.mount);
	is_str(rt.version, r->version, "%s: version", r->what);
}

/* A joined path longer than the scratch space is not a route. */
static void
test_long_path(void)
{
	static char	 sn[ROUTE_PATH_MAX + 64];
	char		 text[sizeof sn + 16];
	char		*env[3];
	struct request	 req;
	struct route	 rt;

	memset(sn, 'a', sizeof sn - 1);
	sn[0] = '/';
	sn[sizeof sn - 1] = '\0';
	snprintf(text, sizeof text, "SCRIPT_NAME=%s", sn);
	env[0] = text;
	env[1] = "PATH_INFO=" P;
	env[2] = NULL;
	request_from_env(&req, env);
	is_int(route_match(&req, NULL, &rt), ROUTE_PRESENCES,
	    "a long mount is fine without a base");
	is_int(route_match(&req, "/graph", &rt), ROUTE_NONE,
	    "a joined path over ROUTE_PATH_MAX is 404 with a base");
}

/* The Allow header of each route. */
static void
test_allow(void)
{
	is_str(route_allow(ROUTE_PRESENCES), "GET, HEAD, POST",
	    "collection allows GET, HEAD, POST");
	is_str(route_allow(ROUTE_PRESENCE), "GET, HEAD, DELETE",
	    "presence allows GET, HEAD, DELETE");
	is_str(route_allow(ROUTE_USER_PRESENCE), "GET, HEAD",
	    "user presence allows GET, HEAD");
	is_str(route_allow(ROUTE_ME_PRESENCE), "GET, HEAD",
	    "me presence allows GET, HEAD");
	is_str(route_allow(ROUTE_NONE), "", "no route allows nothing");
}

/* Run every row and test, and print the plan. */
int
main(void)
{
	size_t	 i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		check_row(&rows[i]);
	test_long_path();
	test_allow();
	return tap_done();
}
