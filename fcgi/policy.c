/* The destinations change notifications may go to. */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "policy.h"

enum policy_kind {
	POLICY_PUBLIC,		/* "*": any host with public addresses */
	POLICY_NAME,		/* one DNS name */
	POLICY_SUFFIX,		/* *.suffix: names under it */
	POLICY_NET,		/* an address or network */
};

/* A range of addresses that is not public, and what to call it. */
struct range {
	int		 family;
	const char	*net;
	unsigned	 prefix;
	const char	*what;
};

static const struct range ranges[] = {
	{ AF_INET, "0.0.0.0", 8, "an unspecified address" },
	{ AF_INET, "10.0.0.0", 8, "a private address" },
	{ AF_INET, "100.64.0.0", 10, "a carrier-grade NAT address" },
	{ AF_INET, "127.0.0.0", 8, "a loopback address" },
	{ AF_INET, "169.254.0.0", 16, "a link-local address" },
	{ AF_INET, "172.16.0.0", 12, "a private address" },
	{ AF_INET, "192.0.0.0", 24, "a reserved address" },
	{ AF_INET, "192.0.2.0", 24, "a documentation address" },
	{ AF_INET, "192.88.99.0", 24, "a 6to4 relay address" },
	{ AF_INET, "192.168.0.0", 16, "a private address" },
	{ AF_INET, "198.18.0.0", 15, "a benchmarking address" },
	{ AF_INET, "198.51.100.0", 24, "a documentation address" },
	{ AF_INET, "203.0.113.0", 24, "a documentation address" },
	{ AF_INET, "224.0.0.0", 4, "a multicast address" },
	{ AF_INET, "240.0.0.0", 4, "a reserved address" },
	{ AF_INET6, "::", 128, "an unspecified address" },
	{ AF_INET6, "::1", 128, "a loopback address" },
	{ AF_INET6, "::", 96, "an IPv4-compatible address" },
	{ AF_INET6, "::ffff:0:0:0", 96, "an IPv4-translated address" },
	{ AF_INET6, "64:ff9b:1::", 48, "a local translated address" },
	{ AF_INET6, "100::", 64, "a discard address" },
	{ AF_INET6, "2001::", 32, "a Teredo address" },
	{ AF_INET6, "2001:db8::", 32, "a documentation address" },
	{ AF_INET6, "fc00::", 7, "a unique-local address" },
	{ AF_INET6, "fe80::", 10, "a link-local address" },
	{ AF_INET6, "fec0::", 10, "a site-local address" },
	{ AF_INET6, "ff00::", 8, "a multicast address" },
};

/*
 * IPv6 prefixes whose addresses carry an IPv4 address at byte at: such
 * an address is public when that IPv4 address is.
 */
struct embed {
	const char	*net;
	unsigned	 prefix;
	unsigned	 at;
	const char	*what;
};

static const struct embed embeds[] = {
	{ "64:ff9b::", 96, 12, "a NAT64 address of a non-public IPv4 address" },
	{ "2002::", 16, 2, "a 6to4 address of a non-public IPv4 address" },
};

/* Whether the first prefix bits of a and b are equal. */
static int
prefix_match(const unsigned char *a, const unsigned char *b, unsigned prefix)
{
	unsigned	bytes = prefix / 8, bits = prefix % 8;
	unsigned char	mask;

	if (memcmp(a, b, bytes) != 0)
		return 0;
	if (bits == 0)
		return 1;
	mask = (unsigned char)(0xff << (8 - bits));
	return (a[bytes] & mask) == (b[bytes] & mask);
}

/*
 * The address of sa as (family, bytes); an IPv4-mapped IPv6 address is
 * its IPv4 address.  -1 for another family.
 */
static int
addr_bytes(const struct sockaddr *sa, int *family, unsigned char out[16])
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	const struct sockaddr_in6	*s6;

	if (sa->sa_family == AF_INET) {
		*family = AF_INET;
		memcpy(out, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family != AF_INET6)
		return -1;
	s6 = (const struct sockaddr_in6 *)sa;
	if (memcmp(s6->sin6_addr.s6_addr, mapped, 12) == 0) {
		*family = AF_INET;
		memcpy(out, s6->sin6_addr.s6_addr + 12, 4);
		return 0;
	}
	*family = AF_INET6;
	memcpy(out, s6->sin6_addr.s6_addr, 16);
	return 0;
}

/* Which range of ranges[] holds the address: its kind, or NULL. */
static const char *
range_not_public(int family, const unsigned char *addr)
{
	unsigned char	net[16];
	size_t		i;

	for (i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		if (ranges[i].family != family ||
		    inet_pton(family, ranges[i].net, net) != 1)
			continue;
		if (prefix_match(addr, net, ranges[i].prefix))
			return ranges[i].what;
	}
	return NULL;
}

/*
 * For an address of embeds[], what kind of non-public address it is, or
 * NULL (public); *found says whether it is one of them.
 */
static const char *
embed_not_public(const unsigned char *addr, int *found)
{
	unsigned char	net[16];
	size_t		i;

	*found = 0;
	for (i = 0; i < sizeof embeds / sizeof embeds[0]; i++) {
		if (inet_pton(AF_INET6, embeds[i].net, net) != 1 ||
		    !prefix_match(addr, net, embeds[i].prefix))
			continue;
		*found = 1;
		return range_not_public(AF_INET, addr + embeds[i].at) != NULL ?
		    embeds[i].what : NULL;
	}
	return NULL;
}

/* What kind of non-public address this is, or NULL: a public one. */
static const char *
addr_not_public(int family, const unsigned char *addr)
{
	const char	*what;
	int		 found = 0;

	if (family == AF_INET6) {
		what = embed_not_public(addr, &found);
		if (found)
			return what;
	}
	return range_not_public(family, addr);
}

/* Parse the target of an entry: "*", *.suffix, [v6][/n], v4[/n], name. */
static int
entry_target(struct policy_entry *e, char *t)
{
	char		*slash, *end;
	unsigned long	 n;
	size_t		 len = strlen(t);

	if (strcmp(t, "*") == 0) {
		e->kind = POLICY_PUBLIC;
		return 0;
	}
	if (strncmp(t, "*.", 2) == 0) {
		if (len - 1 > POLICY_HOST_MAX || len < 3)
			return -1;
		e->kind = POLICY_SUFFIX;
		memcpy(e->host, t + 1, len);		/* ".suffix" */
		return 0;
	}
	slash = strchr(t, '/');
	if (slash != NULL)
		*slash++ = '\0';
	len = strlen(t);
	if (t[0] == '[' && len > 2 && t[len - 1] == ']') {
		t[len - 1] = '\0';
		t++;
		e->family = AF_INET6;
	} else if (inet_pton(AF_INET, t, e->net) == 1)
		e->family = AF_INET;
	if (e->family != 0) {
		if (inet_pton(e->family, t, e->net) != 1)
			return -1;
		e->kind = POLICY_NET;
		e->prefix = e->family == AF_INET ? 32 : 128;
		if (slash == NULL)
			return 0;
		n = strtoul(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || n > e->prefix)
			return -1;
		e->prefix = (unsigned)n;
		return 0;
	}
	if (slash != NULL || len == 0 || len > POLICY_HOST_MAX ||
	    strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-.") != len)
		return -1;
	e->kind = POLICY_NAME;
	memcpy(e->host, t, len + 1);
	return 0;
}

/* Parse one entry, [scheme://]target[:port], in place. */
static int
entry_parse(struct policy_entry *e, char *t)
{
	char		*colon, *end;
	unsigned long	 port;

	memset(e, 0, sizeof *e);
	if (strncasecmp(t, "http://", 7) == 0) {
		e->http = 1;
		t += 7;
	} else if (strncasecmp(t, "https://", 8) == 0)
		t += 8;
	if (t[0] == '[' && strchr(t, ']') == NULL)
		return -1;
	colon = strrchr(t, ':');
	if (colon != NULL && (t[0] != '[' || colon > strchr(t, ']'))) {
		*colon++ = '\0';
		port = strtoul(colon, &end, 10);
		if (*colon == '\0' || *end != '\0' || port == 0 ||
		    port > 65535)
			return -1;
		e->port = (unsigned)port;
	}
	return entry_target(e, t);
}

/* Parse the allow-list. */
int
policy_parse(const char *list, struct notify_policy *out,
    char why[POLICY_WHY_MAX])
{
	char	*copy, *t, *next;
	size_t	 n = 1, len;

	memset(out, 0, sizeof *out);
	if (list == NULL || *list == '\0')
		return 0;
	for (t = strchr(list, ','); t != NULL; t = strchr(t + 1, ','))
		n++;
	if ((copy = strdup(list)) == NULL ||
	    (out->entries = calloc(n, sizeof *out->entries)) == NULL) {
		free(copy);
		snprintf(why, POLICY_WHY_MAX, "out of memory");
		return -1;
	}
	for (t = copy; t != NULL; t = next) {
		if ((next = strchr(t, ',')) != NULL)
			*next++ = '\0';
		t += strspn(t, " ");
		len = strlen(t);
		while (len > 0 && t[len - 1] == ' ')
			t[--len] = '\0';
		if (*t == '\0')
			continue;
		snprintf(why, POLICY_WHY_MAX, "bad entry '%.100s'", t);
		if (entry_parse(&out->entries[out->n], t) != 0) {
			free(copy);
			policy_release(out);
			return -1;
		}
		out->n++;
	}
	free(copy);
	why[0] = '\0';
	return 0;
}

/* Free the entries. */
void
policy_release(struct notify_policy *pol)
{
	free(pol->entries);
	pol->entries = NULL;
	pol->n = 0;
}

/* Take url apart with libcurl's parser. */
int
policy_url_parse(const char *url, struct policy_url *out,
    char why[POLICY_WHY_MAX])
{
	CURLU		*h;
	char		*scheme = NULL, *host = NULL, *port = NULL, *user = NULL;
	size_t		 len;
	int		 rc = -1;

	memset(out, 0, sizeof *out);
	if ((h = curl_url()) == NULL) {
		snprintf(why, POLICY_WHY_MAX, "out of memory");
		return -1;
	}
	if (curl_url_set(h, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK) {
		snprintf(why, POLICY_WHY_MAX, "it is not a URL");
		goto out;
	}
	if (curl_url_get(h, CURLUPART_USER, &user, 0) == CURLUE_OK) {
		snprintf(why, POLICY_WHY_MAX, "it holds user information");
		goto out;
	}
	if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0) {
		snprintf(why, POLICY_WHY_MAX, "only https (or http where "
		    "allowed) is supported");
		goto out;
	}
	len = strlen(host);
	if (host[0] == '[' && len > 2) {
		memmove(host, host + 1, len - 2);
		host[len - 2] = '\0';
		len -= 2;
	}
	if (len == 0 || len > POLICY_HOST_MAX) {
		snprintf(why, POLICY_WHY_MAX, "its host is not valid");
		goto out;
	}
	out->https = strcmp(scheme, "https") == 0;
	memcpy(out->host, host, len + 1);
	out->port = (unsigned)strtoul(port, NULL, 10);
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(user);
	curl_url_cleanup(h);
	return rc;
}

/* Whether name ends with suffix (".example.com"), case-insensitively. */
static int
host_under(const char *name, const char *suffix)
{
	size_t	n = strlen(name), s = strlen(suffix);

	return n > s && strcasecmp(name + n - s, suffix) == 0;
}

/* Whether entry e allows a connection for u to the address given. */
static int
entry_allows(const struct policy_entry *e, const struct policy_url *u,
    int family, const unsigned char *addr)
{
	if (!u->https && !e->http)
		return 0;
	if (e->port != 0 && e->port != u->port)
		return 0;
	switch (e->kind) {
	case POLICY_PUBLIC:
		return addr_not_public(family, addr) == NULL;
	case POLICY_NAME:
		return strcasecmp(u->host, e->host) == 0;
	case POLICY_SUFFIX:
		return host_under(u->host, e->host);
	case POLICY_NET:
		return family == e->family && prefix_match(addr, e->net,
		    e->prefix);
	}
	return 0;
}

/* Whether a connection for u to sa may be made. */
int
policy_allow_addr(const struct notify_policy *pol, const struct policy_url *u,
    const struct sockaddr *sa, char why[POLICY_WHY_MAX])
{
	unsigned char	 addr[16];
	char		 text[INET6_ADDRSTRLEN];
	const char	*what;
	size_t		 i;
	int		 family;

	if (addr_bytes(sa, &family, addr) != 0) {
		snprintf(why, POLICY_WHY_MAX, "'%.100s' is not an IP address",
		    u->host);
		return -1;
	}
	inet_ntop(family, addr, text, sizeof text);
	if (pol->n == 0) {
		if (!u->https) {
			snprintf(why, POLICY_WHY_MAX, "http is not allowed "
			    "(only https; --notify-allow can allow http)");
			return -1;
		}
		if ((what = addr_not_public(family, addr)) == NULL)
			return 0;
		snprintf(why, POLICY_WHY_MAX, "'%.100s' is %s (%s), which "
		    "--notify-allow does not allow", u->host, what, text);
		return -1;
	}
	for (i = 0; i < pol->n; i++)
		if (entry_allows(&pol->entries[i], u, family, addr))
			return 0;
	snprintf(why, POLICY_WHY_MAX, "%s://%.100s:%u (address %s) is not "
	    "allowed by --notify-allow", u->https ? "https" : "http", u->host,
	    u->port, text);
	return -1;
}

/* Check url at subscription time, every address its host resolves to. */
int
policy_check_url(const struct notify_policy *pol, const char *url,
    char why[POLICY_WHY_MAX])
{
	struct policy_url	 u;
	struct addrinfo		 hints, *res, *ai;
	int			 rc;

	if (policy_url_parse(url, &u, why) != 0)
		return -1;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(u.host, NULL, &hints, &res)) != 0) {
		snprintf(why, POLICY_WHY_MAX, "cannot resolve '%.100s': %s",
		    u.host, gai_strerror(rc));
		return -1;
	}
	for (ai = res, rc = 0; ai != NULL && rc == 0; ai = ai->ai_next)
		rc = policy_allow_addr(pol, &u, ai->ai_addr, why);
	freeaddrinfo(res);
	return rc;
}
