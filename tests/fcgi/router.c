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
	/* The CSDL, under every base. */
	{ "lighttpd /: $metadata", "/$metadata", NULL, "/$metadata", NULL,
	    ROUTE_METADATA, NULL, "", "" },
	{ "$metadata under /graph and beta", "/graph", "/beta/$metadata",
	    "/graph/beta/$metadata", NULL, ROUTE_METADATA, NULL, "/graph",
	    "/beta" },
	{ "$metadata with a tail: 404", "/$metadata/presence", NULL, NULL,
	    NULL, ROUTE_NONE, NULL, "", "" },
	{ "$metadatax: 404", "/$metadatax", NULL, NULL, NULL, ROUTE_NONE,
	    NULL, "", "" },
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

/* One action route: the path (as SCRIPT_NAME, or PATH_INFO under a mount). */
struct action_row {
	const char		*mount;
	const char		*path;
	enum route_kind		 kind;
	enum route_action	 action;
	const char		*key;
	const char		*version;
};

static const struct action_row action_rows[] = {
	{ "", "/users/" ID "/presence/setPresence", ROUTE_USER_ACTION,
	    ROUTE_SET_PRESENCE, ID, "" },
	{ "", "/v1.0/users/" ID "/presence/clearPresence", ROUTE_USER_ACTION,
	    ROUTE_CLEAR_PRESENCE, ID, "/v1.0" },
	{ "/graph", "/beta/users/" ID "/presence/setUserPreferredPresence",
	    ROUTE_USER_ACTION, ROUTE_SET_PREFERRED, ID, "/beta" },
	{ "", "/users/" ID "/presence/microsoft.graph.clearUserPreferredPresence",
	    ROUTE_USER_ACTION, ROUTE_CLEAR_PREFERRED, ID, "" },
	{ "", P "/" ID "/setPresence", ROUTE_PRESENCE_ACTION,
	    ROUTE_SET_PRESENCE, ID, "" },
	{ "/graph", "/v1.0" P "/" ID "/microsoft.graph.clearPresence",
	    ROUTE_PRESENCE_ACTION, ROUTE_CLEAR_PRESENCE, ID, "/v1.0" },
	{ "", "/beta" P "/" ID "/clearUserPreferredPresence",
	    ROUTE_PRESENCE_ACTION, ROUTE_CLEAR_PREFERRED, ID, "/beta" },
	{ "", "/me/presence/setPresence", ROUTE_ME_ACTION,
	    ROUTE_SET_PRESENCE, NULL, "" },
	{ "/graph", "/v1.0/me/presence/microsoft.graph.setUserPreferredPresence",
	    ROUTE_ME_ACTION, ROUTE_SET_PREFERRED, NULL, "/v1.0" },
	{ "", "/communications/getPresencesByUserId", ROUTE_GET_MANY,
	    ROUTE_ACTION_NONE, NULL, "" },
	{ "/graph", "/beta/communications/microsoft.graph.getPresencesByUserId",
	    ROUTE_GET_MANY, ROUTE_ACTION_NONE, NULL, "/beta" },
	/* Names are matched exactly, once, as the last segment. */
	{ "", "/me/presence/setpresence", ROUTE_NONE, ROUTE_ACTION_NONE,
	    NULL, "" },
	{ "", "/me/presence/setPresence/", ROUTE_NONE, ROUTE_ACTION_NONE,
	    NULL, "" },
	{ "", "/me/presence/setPresencex", ROUTE_NONE, ROUTE_ACTION_NONE,
	    NULL, "" },
	{ "", "/me/presence/microsoft.graph.", ROUTE_NONE, ROUTE_ACTION_NONE,
	    NULL, "" },
	{ "", "/me/presence/graph.setPresence", ROUTE_NONE, ROUTE_ACTION_NONE,
	    NULL, "" },
	{ "", "/me/presence/microsoft.graph.microsoft.graph.setPresence",
	    ROUTE_NONE, ROUTE_ACTION_NONE, NULL, "" },
	{ "", "/me/presence/setPresence/clearPresence", ROUTE_NONE,
	    ROUTE_ACTION_NONE, NULL, "" },
	{ "", "/me/presenceclearPresence", ROUTE_NONE, ROUTE_ACTION_NONE,
	    NULL, "" },
	{ "", "/users/" ID "/setPresence", ROUTE_NONE, ROUTE_ACTION_NONE,
	    NULL, "" },
	{ "", P "/setPresence", ROUTE_PRESENCE, ROUTE_ACTION_NONE,
	    "setPresence", "" },
	{ "", P "//setPresence", ROUTE_NONE, ROUTE_ACTION_NONE, NULL, "" },
	{ "", "/me/presence/getPresencesByUserId", ROUTE_NONE,
	    ROUTE_ACTION_NONE, NULL, "" },
	{ "", "/communications/getPresencesByUserId/x", ROUTE_NONE,
	    ROUTE_ACTION_NONE, NULL, "" },
	{ "", "/communications/getPresencesByUserIds", ROUTE_NONE,
	    ROUTE_ACTION_NONE, NULL, "" },
	{ "", "/communications/setPresence", ROUTE_NONE, ROUTE_ACTION_NONE,
	    NULL, "" },
	{ "", "/communicationsgetPresencesByUserId", ROUTE_NONE,
	    ROUTE_ACTION_NONE, NULL, "" },
	{ "", P "/" ID "/getPresencesByUserId", ROUTE_NONE,
	    ROUTE_ACTION_NONE, NULL, "" },
};

/* Check each action route, as lighttpd sends it at its mount. */
static void
test_actions(void)
{
	char		 sn[256], pi[256], uri[512];
	char		*env[4];
	struct request	 req;
	struct route	 rt;
	size_t		 i;

	for (i = 0; i < sizeof action_rows / sizeof action_rows[0]; i++) {
		const struct action_row *r = &action_rows[i];

		snprintf(sn, sizeof sn, "SCRIPT_NAME=%s", r->mount);
		snprintf(pi, sizeof pi, "PATH_INFO=%s", r->path);
		snprintf(uri, sizeof uri, "REQUEST_URI=%s%s", r->mount,
		    r->path);
		env[0] = sn;
		env[1] = pi;
		env[2] = uri;
		env[3] = NULL;
		request_from_env(&req, env);
		is_int(route_match(&req, NULL, &rt), r->kind, "%s%s: kind",
		    r->mount, r->path);
		is_int(rt.action, r->action, "%s%s: action", r->mount,
		    r->path);
		if (r->kind == ROUTE_NONE)
			continue;
		if (r->key != NULL)
			ok(span_is(rt.key, rt.key_len, r->key), "%s%s: id",
			    r->mount, r->path);
		else
			ok(rt.key == NULL, "%s%s: no id", r->mount, r->path);
		ok(span_is(rt.mount, rt.mount_len, r->mount), "%s%s: mount",
		    r->mount, r->path);
		is_str(rt.version, r->version, "%s%s: version", r->mount,
		    r->path);
	}
	is_str(route_action_name(ROUTE_SET_PREFERRED),
	    "setUserPreferredPresence", "an action's name");
	is_str(route_action_name(ROUTE_ACTION_NONE), "", "no action's name");
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
	is_str(route_allow(ROUTE_PRESENCE_ACTION), "POST",
	    "an action on a presence allows POST");
	is_str(route_allow(ROUTE_USER_ACTION), "POST",
	    "an action on a user's presence allows POST");
	is_str(route_allow(ROUTE_ME_ACTION), "POST",
	    "an action on me allows POST");
	is_str(route_allow(ROUTE_GET_MANY), "POST",
	    "getPresencesByUserId allows POST");
	is_str(route_allow(ROUTE_METADATA), "GET, HEAD",
	    "$metadata allows GET, HEAD");
	is_str(route_allow(ROUTE_NONE), "", "no route allows nothing");
}

/* Each route kind has a template, which routes to that kind. */
static void
test_templates(void)
{
	int	 kind;

	ok(route_template(ROUTE_NONE) == NULL, "ROUTE_NONE has no template");
	for (kind = ROUTE_NONE + 1;
	    route_template((enum route_kind)kind) != NULL; kind++)
		;
	ok(kind > ROUTE_METADATA,
	    "every kind up to ROUTE_METADATA at least has a template");
	is_str(route_template(ROUTE_USER_ACTION),
	    "/users/{id}/presence/{action}", "an action route's template");
	ok(route_action_count() > ROUTE_CLEAR_PREFERRED &&
	    *route_action_name((enum route_action)(route_action_count() - 1))
	    != '\0', "route_action_count counts up to the last action");
}

/* Run every row and test, and print the plan. */
int
main(void)
{
	size_t	 i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		check_row(&rows[i]);
	test_long_path();
	test_actions();
	test_allow();
	test_templates();
	return tap_done();
}
