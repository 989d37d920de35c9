/* Routing on the request path after the mount point. */
#include <stddef.h>
#include <string.h>

#include "request.h"
#include "router.h"

/* A path the router looks at: a span, not NUL-terminated. */
struct span {
	const char	*p;
	size_t		 len;
};

/* Whether s starts with the string prefix; if so, step s past it. */
static int
span_eat(struct span *s, const char *prefix)
{
	size_t	 len = strlen(prefix);

	if (s->len < len || memcmp(s->p, prefix, len) != 0)
		return 0;
	s->p += len;
	s->len -= len;
	return 1;
}

/* Take one non-empty segment up to the next '/' or the end. */
static int
span_segment(struct span *s, const char **seg, size_t *seg_len)
{
	const char	*slash = memchr(s->p, '/', s->len);
	size_t		 len = slash != NULL ? (size_t)(slash - s->p) : s->len;

	if (len == 0)
		return 0;
	*seg = s->p;
	*seg_len = len;
	s->p += len;
	s->len -= len;
	return 1;
}

/* Decode REQUEST_URI's path (before any '?' or '#') into rt->path. */
static int
uri_path(const char *uri, struct route *rt, struct span *out)
{
	size_t	 len = strcspn(uri, "?#");
	long	 n;

	n = request_decode(uri, len, rt->path, sizeof rt->path,
	    REQUEST_DECODE_PATH);
	if (n < 0)
		return -1;
	out->p = rt->path;
	out->len = (size_t)n;
	return 0;
}

/* Join SCRIPT_NAME and PATH_INFO into rt->path. */
static int
joined_path(const struct request *req, struct route *rt, struct span *out)
{
	size_t	 a = strlen(req->script_name), b = strlen(req->path_info);

	if (a + b >= sizeof rt->path)
		return -1;
	memcpy(rt->path, req->script_name, a);
	memcpy(rt->path + a, req->path_info, b);
	rt->path[a + b] = '\0';
	out->p = rt->path;
	out->len = a + b;
	return 0;
}

/* Strip an explicit base prefix from the full path; it becomes the mount. */
static int
strip_base(const struct request *req, const char *base, struct route *rt,
    struct span *rest)
{
	size_t	 blen = strlen(base);

	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	if (*req->script_name != '\0' || *req->path_info != '\0') {
		if (joined_path(req, rt, rest) != 0)
			return -1;
	} else if (uri_path(req->request_uri, rt, rest) != 0)
		return -1;
	if (rest->len < blen || memcmp(rest->p, base, blen) != 0)
		return -1;
	if (rest->len > blen && rest->p[blen] != '/')
		return -1;
	rest->p += blen;
	rest->len -= blen;
	rt->mount = base;
	rt->mount_len = blen;
	return 0;
}

/* Find the path after the mount point and the mount itself. */
static int
split_mount(const struct request *req, const char *base, struct route *rt,
    struct span *rest)
{
	if (base != NULL && *base != '\0')
		return strip_base(req, base, rt, rest);
	if (*req->path_info != '\0') {
		rest->p = req->path_info;
		rest->len = strlen(req->path_info);
		rt->mount = req->script_name;
		rt->mount_len = strlen(req->script_name);
		while (rt->mount_len > 0 && rt->mount[rt->mount_len - 1] == '/')
			rt->mount_len--;
		return 0;
	}
	rt->mount = "";
	rt->mount_len = 0;
	if (*req->script_name != '\0') {
		rest->p = req->script_name;
		rest->len = strlen(req->script_name);
		return 0;
	}
	return uri_path(req->request_uri, rt, rest);
}

/* The actions bound to a presence, indexed by enum route_action. */
static const char *const action_names[] = {
	[ROUTE_ACTION_NONE] = "",
	[ROUTE_SET_PRESENCE] = "setPresence",
	[ROUTE_CLEAR_PRESENCE] = "clearPresence",
	[ROUTE_SET_PREFERRED] = "setUserPreferredPresence",
	[ROUTE_CLEAR_PREFERRED] = "clearUserPreferredPresence",
	[ROUTE_SET_STATUS] = "setStatusMessage",
	[ROUTE_SET_MANUAL] = "setManualLocation",
	[ROUTE_SET_AUTOMATIC] = "setAutomaticLocation",
	[ROUTE_CLEAR_AUTOMATIC] = "clearAutomaticLocation",
	[ROUTE_CLEAR_LOCATION] = "clearLocation",
};

#define QUALIFIER	"microsoft.graph."	/* OData's namespace prefix */

/* Whether s is exactly the segment "/name" or "/microsoft.graph.name". */
static int
span_is_name(struct span s, const char *name)
{
	if (!span_eat(&s, "/"))
		return 0;
	(void)span_eat(&s, QUALIFIER);
	return s.len == strlen(name) && memcmp(s.p, name, s.len) == 0;
}

/*
 * What follows a presence's path: nothing (the presence itself: plain)
 * or one action's segment (action); ROUTE_NONE for anything else.
 */
static enum route_kind
match_tail(const struct span *s, struct route *rt, enum route_kind plain,
    enum route_kind action)
{
	size_t	 i;

	if (s->len == 0)
		return plain;
	for (i = 1; i < sizeof action_names / sizeof action_names[0]; i++) {
		if (span_is_name(*s, action_names[i])) {
			rt->action = (enum route_action)i;
			return action;
		}
	}
	return ROUTE_NONE;
}

/* Match the resource path after any version segment. */
static enum route_kind
match_resource(struct span *s, struct route *rt)
{
	if (span_eat(s, "/communications/presences")) {
		if (s->len == 0)
			return ROUTE_PRESENCES;
		if (!span_eat(s, "/") ||
		    !span_segment(s, &rt->key, &rt->key_len))
			return ROUTE_NONE;
		return match_tail(s, rt, ROUTE_PRESENCE, ROUTE_PRESENCE_ACTION);
	}
	if (span_eat(s, "/communications")) {
		return span_is_name(*s, "getPresencesByUserId") ?
		    ROUTE_GET_MANY : ROUTE_NONE;
	}
	if (span_eat(s, "/users/")) {
		if (!span_segment(s, &rt->key, &rt->key_len) ||
		    !span_eat(s, "/presence"))
			return ROUTE_NONE;
		return match_tail(s, rt, ROUTE_USER_PRESENCE,
		    ROUTE_USER_ACTION);
	}
	if (span_eat(s, "/me/presence"))
		return match_tail(s, rt, ROUTE_ME_PRESENCE, ROUTE_ME_ACTION);
	if (span_eat(s, "/$metadata"))
		return s->len == 0 ? ROUTE_METADATA : ROUTE_NONE;
	if (span_eat(s, "/subscriptions")) {
		if (s->len == 0)
			return ROUTE_SUBSCRIPTIONS;
		if (!span_eat(s, "/") ||
		    !span_segment(s, &rt->key, &rt->key_len) || s->len != 0)
			return ROUTE_NONE;
		return ROUTE_SUBSCRIPTION;
	}
	return ROUTE_NONE;
}

/*
 * Whether REQUEST_URI's path, as the client sent it, holds an encoded
 * slash.  lighttpd and nginx decode %2F into SCRIPT_NAME and PATH_INFO,
 * where it splits a segment; Apache refuses it.  Refused everywhere, a
 * path routes the same under every server.
 */
static int
uri_encoded_slash(const char *uri)
{
	size_t	 i, len = strcspn(uri, "?#");

	for (i = 0; i + 2 < len; i++) {
		if (uri[i] == '%' && uri[i + 1] == '2' &&
		    (uri[i + 2] == 'F' || uri[i + 2] == 'f'))
			return 1;
	}
	return 0;
}

/* Match req's path; returns rt->kind. */
enum route_kind
route_match(const struct request *req, const char *base, struct route *rt)
{
	static const char *const versions[] = { "/v1.0", "/beta" };
	struct span	 rest;
	size_t		 i, len;

	memset(rt, 0, sizeof *rt);
	rt->kind = ROUTE_NONE;
	rt->mount = "";
	rt->version = "";
	if (uri_encoded_slash(req->request_uri) ||
	    split_mount(req, base, rt, &rest) != 0)
		return rt->kind;
	for (i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		len = strlen(versions[i]);
		if (rest.len > len && rest.p[len] == '/' &&
		    memcmp(rest.p, versions[i], len) == 0) {
			rt->version = versions[i];
			rest.p += len;
			rest.len -= len;
			break;
		}
	}
	rt->kind = match_resource(&rest, rt);
	if (rt->kind == ROUTE_NONE) {
		rt->key = NULL;
		rt->key_len = 0;
		rt->action = ROUTE_ACTION_NONE;
	}
	return rt->kind;
}

/* The methods a route allows, for an Allow header. */
const char *
route_allow(enum route_kind kind)
{
	switch (kind) {
	case ROUTE_PRESENCES:
		return "GET, HEAD, POST";
	case ROUTE_PRESENCE:
		return "GET, HEAD, DELETE";
	case ROUTE_USER_PRESENCE:
	case ROUTE_ME_PRESENCE:
	case ROUTE_METADATA:
		return "GET, HEAD";
	case ROUTE_PRESENCE_ACTION:
	case ROUTE_USER_ACTION:
	case ROUTE_ME_ACTION:
	case ROUTE_GET_MANY:
		return "POST";
	case ROUTE_SUBSCRIPTIONS:
		return "GET, HEAD, POST";
	case ROUTE_SUBSCRIPTION:
		return "GET, HEAD, PATCH, DELETE";
	case ROUTE_NONE:
		break;
	}
	return "";
}

/* The name of an action as Graph spells it. */
const char *
route_action_name(enum route_action action)
{
	return action_names[action];
}

/* The path template of a route kind. */
const char *
route_template(enum route_kind kind)
{
	switch (kind) {
	case ROUTE_PRESENCES:
		return "/communications/presences";
	case ROUTE_PRESENCE:
		return "/communications/presences/{id}";
	case ROUTE_USER_PRESENCE:
		return "/users/{id}/presence";
	case ROUTE_ME_PRESENCE:
		return "/me/presence";
	case ROUTE_PRESENCE_ACTION:
		return "/communications/presences/{id}/{action}";
	case ROUTE_USER_ACTION:
		return "/users/{id}/presence/{action}";
	case ROUTE_ME_ACTION:
		return "/me/presence/{action}";
	case ROUTE_GET_MANY:
		return "/communications/getPresencesByUserId";
	case ROUTE_METADATA:
		return "/$metadata";
	case ROUTE_SUBSCRIPTIONS:
		return "/subscriptions";
	case ROUTE_SUBSCRIPTION:
		return "/subscriptions/{id}";
	case ROUTE_NONE:
		break;
	}
	return NULL;
}

/* How many actions route_action_name names. */
size_t
route_action_count(void)
{
	return sizeof action_names / sizeof action_names[0];
}
