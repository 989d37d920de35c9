/*
 * Routing on the request path after the mount point, with an optional
 * "v1.0" or "beta" version segment.
 */
#ifndef PRESENCE_FCGI_ROUTER_H
#define PRESENCE_FCGI_ROUTER_H

#include <stddef.h>

#include "request.h"

enum route_kind {
	ROUTE_NONE,		/* no such path: 404 */
	ROUTE_PRESENCES,	/* /communications/presences */
	ROUTE_PRESENCE,		/* /communications/presences/{id} */
	ROUTE_USER_PRESENCE,	/* /users/{id}/presence */
	ROUTE_ME_PRESENCE,	/* /me/presence: the caller's own */
	ROUTE_PRESENCE_ACTION,	/* /communications/presences/{id}/{action} */
	ROUTE_USER_ACTION,	/* /users/{id}/presence/{action} */
	ROUTE_ME_ACTION,	/* /me/presence/{action} */
	ROUTE_GET_MANY,		/* /communications/getPresencesByUserId */
	ROUTE_METADATA,		/* /$metadata: the service's CSDL */
	ROUTE_SUBSCRIPTIONS,	/* /subscriptions */
	ROUTE_SUBSCRIPTION,	/* /subscriptions/{id} */
};

/*
 * The actions bound to a presence, by their name in the last segment,
 * plain or namespace-qualified ("setPresence", "microsoft.graph.setPresence").
 */
enum route_action {
	ROUTE_ACTION_NONE,		/* not an action route */
	ROUTE_SET_PRESENCE,		/* setPresence */
	ROUTE_CLEAR_PRESENCE,		/* clearPresence */
	ROUTE_SET_PREFERRED,		/* setUserPreferredPresence */
	ROUTE_CLEAR_PREFERRED,		/* clearUserPreferredPresence */
	ROUTE_SET_STATUS,		/* setStatusMessage */
	ROUTE_SET_MANUAL,		/* setManualLocation */
	ROUTE_SET_AUTOMATIC,		/* setAutomaticLocation */
	ROUTE_CLEAR_AUTOMATIC,		/* clearAutomaticLocation */
	ROUTE_CLEAR_LOCATION,		/* clearLocation */
};

#define ROUTE_PATH_MAX	1024	/* a longer joined or decoded path is 404 */

/*
 * A matched route.  key and mount are spans, not NUL-terminated; they
 * point into the request's strings, the base prefix, or path (scratch
 * space for a joined or decoded path), so they live as long as all three.
 * version is a static string: "", "/v1.0" or "/beta".
 */
struct route {
	enum route_kind	 kind;
	enum route_action action;	/* for the three *_ACTION kinds */
	const char	*key;		/* the {id} segment, as sent */
	size_t		 key_len;
	const char	*mount;		/* the mount prefix, without a trailing '/' */
	size_t		 mount_len;
	const char	*version;
	char		 path[ROUTE_PATH_MAX];
};

/*
 * Match req's path.  The path after the mount point is PATH_INFO (mount
 * SCRIPT_NAME) when PATH_INFO is not empty, else SCRIPT_NAME (mount ""),
 * else the decoded path of REQUEST_URI.  When base is neither NULL nor
 * empty, base is instead stripped from SCRIPT_NAME and PATH_INFO joined
 * (or from the decoded REQUEST_URI path when both are empty) and becomes
 * the mount.  A REQUEST_URI whose path holds an encoded slash (%2F) is no
 * route, whatever the other parameters say.  Returns rt->kind.
 */
enum route_kind route_match(const struct request *req, const char *base,
    struct route *rt);

/* The methods a route allows, for an Allow header ("" for ROUTE_NONE). */
const char *route_allow(enum route_kind kind);

/* The name of an action as Graph spells it ("" for ROUTE_ACTION_NONE). */
const char *route_action_name(enum route_action action);

/*
 * The path a route kind matches after the mount and version, as a
 * template ("/users/{id}/presence/{action}"), or NULL for ROUTE_NONE and
 * any value that is no route kind: counting up from ROUTE_NONE + 1 until
 * NULL visits every route.  A static string.
 */
const char *route_template(enum route_kind kind);

/* How many actions route_action_name names, ROUTE_ACTION_NONE included. */
size_t route_action_count(void);

#endif
