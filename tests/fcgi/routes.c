/*
 * Print every route the router serves, one line each: the methods it
 * allows, a tab, and its path template with each action's name put in
 * ("/users/{id}/presence/setPresence"), asked of the router itself:
 * each route kind's template, and each action on each action route that
 * routes it.  tests/blackbox/metadata.sh checks them against $metadata.
 * Exits 1 when a template does not route to its own kind.
 */
#include <stdio.h>
#include <string.h>

#include "request.h"
#include "router.h"

#define ID	"3f1d7c1e-9a55-4c5e-8a1e-2b7d9e0c4a11"

/* Copy template into out, {id} as id and {action} as action. */
static int
fill(const char *template, const char *id, const char *action, char *out,
    size_t size)
{
	size_t	 n = 0, len;
	const char *t, *put;

	for (t = template; *t != '\0'; t += len) {
		if (strncmp(t, "{id}", 4) == 0) {
			put = id;
			len = 4;
		} else if (strncmp(t, "{action}", 8) == 0) {
			put = action;
			len = 8;
		} else {
			put = NULL;
			len = 1;
		}
		if (put == NULL) {
			if (n + 1 >= size)
				return -1;
			out[n++] = *t;
		} else {
			if (n + strlen(put) >= size)
				return -1;
			memcpy(out + n, put, strlen(put));
			n += strlen(put);
		}
	}
	out[n] = '\0';
	return 0;
}

/* Route path as lighttpd at "/" sends it; the kind and action matched. */
static enum route_kind
route_path(const char *path, struct route *rt)
{
	struct request	 req;

	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.script_name = path;
	req.path_info = "";
	req.request_uri = path;
	req.query_string = "";
	return route_match(&req, NULL, rt);
}

/* Print the methods without spaces, a tab, the template with action in. */
static void
print_route(enum route_kind kind, const char *template, const char *action)
{
	const char	*m;
	char		 line[ROUTE_PATH_MAX];

	for (m = route_allow(kind); *m != '\0'; m++)
		if (*m != ' ')
			putchar(*m);
	putchar('\t');
	if (fill(template, "{id}", action, line, sizeof line) == 0)
		puts(line);
}

int
main(void)
{
	static struct route	 rt;
	const char		*template, *name;
	char			 path[ROUTE_PATH_MAX];
	size_t			 i;
	int			 kind;

	for (kind = ROUTE_NONE + 1;
	    (template = route_template((enum route_kind)kind)) != NULL;
	    kind++) {
		if (strstr(template, "{action}") == NULL) {
			if (fill(template, ID, "", path, sizeof path) != 0 ||
			    route_path(path, &rt) != (enum route_kind)kind) {
				fprintf(stderr, "'%s' is not its own route\n",
				    template);
				return 1;
			}
			print_route(rt.kind, template, "");
			continue;
		}
		for (i = 1; i < route_action_count(); i++) {
			name = route_action_name((enum route_action)i);
			if (fill(template, ID, name, path, sizeof path) != 0)
				return 1;
			if (route_path(path, &rt) == (enum route_kind)kind &&
			    rt.action == (enum route_action)i)
				print_route(rt.kind, template, name);
		}
	}
	return 0;
}
