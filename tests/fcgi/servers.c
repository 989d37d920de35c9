/*
 * Routing and absolute URLs under each web server: the CGI parameters
 * lighttpd, Apache (mod_fcgid, mod_proxy_fcgi) and nginx really send with
 * the configurations in fcgi/conf/, mounted at "/" and at "/graph",
 * recorded from the servers (tests/web/ runs the same deployments end to
 * end).  Each must route the same and give the URL the client used.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "odata.h"
#include "request.h"
#include "router.h"
#include "tap.h"

#define P	"/communications/presences"
#define ID	"3f1d7c1e-9a55-4c5e-8a1e-2b7d9e0c4a11"
#define UID	"3F1D7C1E-9a55-4c5e-8a1e-2b7d9e0c4a11"
#define HOST	"127.0.0.1:8080"

/*
 * One request as a server sent it (NULL: the parameter was absent), the
 * base given to presence-fcgi, and what must come of it: the route, its
 * id, and the URL the resource paths hang off (scheme, host, mount and
 * version, as Location and @odata.nextLink start).
 */
struct row {
	const char	*what;
	const char	*script_name;
	const char	*path_info;
	const char	*request_uri;
	const char	*https;
	const char	*scheme;
	const char	*base;
	enum route_kind	 kind;
	const char	*key;
	const char	*url;
};

static const struct row rows[] = {
	/*
	 * lighttpd, lighttpd-spawn.conf and lighttpd-socket.conf at "/":
	 * the prefix "" sends the whole path as SCRIPT_NAME.
	 */
	{ "lighttpd /: list", "/v1.0" P, NULL, "/v1.0" P "?$top=1", NULL,
	    "http", NULL, ROUTE_PRESENCES, NULL, "http://" HOST "/v1.0" },
	{ "lighttpd /: user presence", "/users/" UID "/presence", NULL,
	    "/users/" UID "/presence", NULL, "http", NULL,
	    ROUTE_USER_PRESENCE, UID, "http://" HOST },
	{ "lighttpd /: decoded space", P "/a b", NULL, P "/a%20b", NULL,
	    "http", NULL, ROUTE_PRESENCE, "a b", "http://" HOST },
	{ "lighttpd /: %2F decoded by lighttpd, refused", P, NULL,
	    "/communications%2Fpresences", NULL, "http", NULL,
	    ROUTE_NONE, NULL, NULL },
	/* lighttpd at "/graph": SCRIPT_NAME is the mount. */
	{ "lighttpd /graph: list", "/graph", "/v1.0" P,
	    "/graph/v1.0" P "?$top=1", NULL, "http", NULL, ROUTE_PRESENCES,
	    NULL, "http://" HOST "/graph/v1.0" },
	{ "lighttpd /graph: user presence", "/graph",
	    "/users/" UID "/presence", "/graph/users/" UID "/presence", NULL,
	    "http", NULL, ROUTE_USER_PRESENCE, UID, "http://" HOST "/graph" },
	{ "lighttpd /graph: %2F decoded by lighttpd, refused", "/graph", P,
	    "/graph/communications%2fpresences", NULL, "http", NULL,
	    ROUTE_NONE, NULL, NULL },
	/* lighttpd over TLS (mod_openssl) adds HTTPS=on. */
	{ "lighttpd /graph over TLS", "/graph", P, "/graph" P, "on", "https",
	    NULL, ROUTE_PRESENCES, NULL, "https://" HOST "/graph" },
	/* lighttpd.conf (make run): "/" with fix-root-scriptname. */
	{ "lighttpd.conf /: list", "", "/v1.0" P, "/v1.0" P "?$top=1", NULL,
	    "http", NULL, ROUTE_PRESENCES, NULL, "http://" HOST "/v1.0" },
	{ "lighttpd.conf /: %2F decoded by lighttpd, refused", "", P,
	    "/communications%2Fpresences", NULL, "http", NULL,
	    ROUTE_NONE, NULL, NULL },

	/*
	 * Apache, apache-fcgid.conf and apache-proxy-fcgi.conf (with
	 * proxy-fcgi-pathinfo=unescape) alike: SCRIPT_NAME is the mount,
	 * "" at the root.  Apache answers %2F with its own 404.
	 */
	{ "Apache /: list", "", "/v1.0" P, "/v1.0" P "?$top=1", NULL, "http",
	    NULL, ROUTE_PRESENCES, NULL, "http://" HOST "/v1.0" },
	{ "Apache /: user presence", "", "/users/" UID "/presence",
	    "/users/" UID "/presence", NULL, "http", NULL,
	    ROUTE_USER_PRESENCE, UID, "http://" HOST },
	{ "Apache /: decoded space", "", P "/a b", P "/a%20b", NULL, "http",
	    NULL, ROUTE_PRESENCE, "a b", "http://" HOST },
	{ "Apache /graph: list", "/graph", "/v1.0" P,
	    "/graph/v1.0" P "?$top=1", NULL, "http", NULL, ROUTE_PRESENCES,
	    NULL, "http://" HOST "/graph/v1.0" },
	{ "Apache /graph: beta presence", "/graph", "/beta" P "/" ID,
	    "/graph/beta" P "/" ID, NULL, "http", NULL, ROUTE_PRESENCE, ID,
	    "http://" HOST "/graph/beta" },
	/* mod_ssl sends HTTPS=on and REQUEST_SCHEME=https. */
	{ "Apache /graph over TLS", "/graph", P, "/graph" P, "on", "https",
	    NULL, ROUTE_PRESENCES, NULL, "https://" HOST "/graph" },
	/*
	 * mod_proxy_fcgi without proxy-fcgi-pathinfo: the whole decoded
	 * path as SCRIPT_NAME.  At the root that routes; under a prefix
	 * only --base brings the mount back.
	 */
	{ "mod_proxy_fcgi without pathinfo at /", "/v1.0" P, NULL,
	    "/v1.0" P, NULL, "http", NULL, ROUTE_PRESENCES, NULL,
	    "http://" HOST "/v1.0" },
	{ "mod_proxy_fcgi without pathinfo at /graph", "/graph" P, NULL,
	    "/graph" P, NULL, "http", NULL, ROUTE_NONE, NULL, NULL },
	{ "mod_proxy_fcgi without pathinfo, --base /graph", "/graph" P, NULL,
	    "/graph" P, NULL, "http", "/graph", ROUTE_PRESENCES, NULL,
	    "http://" HOST "/graph" },

	/*
	 * nginx, nginx-location.conf: fastcgi_split_path_info makes
	 * SCRIPT_NAME the mount and PATH_INFO nginx's decoded $uri.
	 */
	{ "nginx /: list", "", "/v1.0" P, "/v1.0" P "?$top=1", NULL, "http",
	    NULL, ROUTE_PRESENCES, NULL, "http://" HOST "/v1.0" },
	{ "nginx /: user presence", "", "/users/" UID "/presence",
	    "/users/" UID "/presence", NULL, "http", NULL,
	    ROUTE_USER_PRESENCE, UID, "http://" HOST },
	{ "nginx /: %2F decoded by nginx, refused", "", P,
	    "/communications%2Fpresences", NULL, "http", NULL,
	    ROUTE_NONE, NULL, NULL },
	{ "nginx /graph: list", "/graph", "/v1.0" P,
	    "/graph/v1.0" P "?$top=1", NULL, "http", NULL, ROUTE_PRESENCES,
	    NULL, "http://" HOST "/graph/v1.0" },
	{ "nginx /graph: decoded space", "/graph", P "/a b",
	    "/graph" P "/a%20b", NULL, "http", NULL, ROUTE_PRESENCE, "a b",
	    "http://" HOST "/graph" },
	{ "nginx /graph: %2F in an id, refused", "/graph", P "/" ID "/x",
	    "/graph" P "/" ID "%2Fx", NULL, "http", NULL, ROUTE_NONE, NULL,
	    NULL },
	/* $https is "on" over TLS, and REQUEST_SCHEME $scheme "https". */
	{ "nginx /graph over TLS", "/graph", P, "/graph" P, "on", "https",
	    NULL, ROUTE_PRESENCES, NULL, "https://" HOST "/graph" },
	/* The stock fastcgi_params: SCRIPT_NAME is $uri, no PATH_INFO. */
	{ "nginx fastcgi_params at /", P, NULL, P, NULL, "http", NULL,
	    ROUTE_PRESENCES, NULL, "http://" HOST },
	{ "nginx fastcgi_params at /graph, --base /graph", "/graph" P, "",
	    "/graph" P, NULL, "http", "/graph", ROUTE_PRESENCES, NULL,
	    "http://" HOST "/graph" },

	/* An escaped percent is not a slash. */
	{ "%252F is no encoded slash", "/graph", P, "/graph" P "%252F", NULL,
	    "http", NULL, ROUTE_PRESENCES, NULL, "http://" HOST "/graph" },
	{ "%2F in the query is fine", "/graph", P, "/graph" P "?a=%2F", NULL,
	    "http", NULL, ROUTE_PRESENCES, NULL, "http://" HOST "/graph" },
	{ "a trailing %2 is no escape", "/graph", P, "/graph" P "%2", NULL,
	    "http", NULL, ROUTE_PRESENCES, NULL, "http://" HOST "/graph" },
};

/* Append "NAME=value" to env when value is not NULL. */
static void
env_add(char **env, size_t *n, char *space, size_t size, const char *name,
    const char *value)
{
	if (value == NULL)
		return;
	snprintf(space, size, "%s=%s", name, value);
	env[(*n)++] = space;
}

/* Check one row: the route, its id, and the base of its URLs. */
static void
check_row(const struct row *r)
{
	char		 space[6][1024];
	char		*env[7];
	size_t		 n = 0;
	struct request	 req;
	struct route	 rt;
	struct buf	 url;

	env_add(env, &n, space[0], sizeof space[0], "SCRIPT_NAME",
	    r->script_name);
	env_add(env, &n, space[1], sizeof space[1], "PATH_INFO", r->path_info);
	env_add(env, &n, space[2], sizeof space[2], "REQUEST_URI",
	    r->request_uri);
	env_add(env, &n, space[3], sizeof space[3], "HTTPS", r->https);
	env_add(env, &n, space[4], sizeof space[4], "REQUEST_SCHEME",
	    r->scheme);
	env_add(env, &n, space[5], sizeof space[5], "HTTP_HOST", HOST);
	env[n] = NULL;
	request_from_env(&req, env);

	is_int(route_match(&req, r->base, &rt), r->kind, "%s: route", r->what);
	if (r->kind == ROUTE_NONE)
		return;
	if (r->key != NULL)
		ok(rt.key != NULL && rt.key_len == strlen(r->key) &&
		    memcmp(rt.key, r->key, rt.key_len) == 0, "%s: id '%.*s'",
		    r->what, (int)rt.key_len, rt.key != NULL ? rt.key : "");
	buf_init(&url);
	if (odata_url_base(&url, &req, rt.mount, rt.mount_len,
	    rt.version) != 0)
		tap_bail("out of memory");
	is_str(url.data != NULL ? url.data : "", r->url, "%s: URL", r->what);
	buf_release(&url);
}

/* Run every row and print the plan. */
int
main(void)
{
	size_t	 i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		check_row(&rows[i]);
	return tap_done();
}
