/*
 * Where change notifications may be sent: the operator's allow-list
 * (--notify-allow) and the address rules, checked when a subscription is
 * made and again on every connection, against the address connected to.
 */
#ifndef PRESENCE_FCGI_POLICY_H
#define PRESENCE_FCGI_POLICY_H

#include <stddef.h>
#include <sys/socket.h>

#define POLICY_HOST_MAX		253
#define POLICY_WHY_MAX		256

/* One allow-list entry. */
struct policy_entry {
	int		 http;		/* http:// given: http and https */
	int		 kind;		/* enum policy_kind (policy.c) */
	char		 host[POLICY_HOST_MAX + 1];	/* name or suffix */
	int		 family;	/* AF_INET, AF_INET6 for a network */
	unsigned char	 net[16];
	unsigned	 prefix;	/* bits of net that must match */
	unsigned	 port;		/* 0: any */
};

/*
 * The policy.  With no entry, https to any host whose addresses are all
 * public.  With entries, only what an entry allows; the entry "*" allows
 * public hosts over https as the empty list does.
 */
struct notify_policy {
	struct policy_entry	*entries;
	size_t			 n;
};

/* A URL taken apart, as the policy judges it. */
struct policy_url {
	int		 https;
	char		 host[POLICY_HOST_MAX + 1];	/* without brackets */
	unsigned	 port;
};

/*
 * Parse a comma-separated allow-list of [scheme://]target[:port]: a DNS
 * name, *.suffix, an IPv4 address or CIDR, a bracketed IPv6 address or
 * CIDR, or "*".  NULL or "" is the empty list.  Returns 0, or -1 with why
 * naming the bad entry.  Release with policy_release.
 */
int policy_parse(const char *list, struct notify_policy *out,
    char why[POLICY_WHY_MAX]);

/* Free what policy_parse allocated; pol may be zeroed. */
void policy_release(struct notify_policy *pol);

/*
 * Take url apart (http or https only, a host, no user information); 0 or
 * -1 with why.
 */
int policy_url_parse(const char *url, struct policy_url *out,
    char why[POLICY_WHY_MAX]);

/*
 * Whether a connection for u to the address sa may be made: 0, or -1
 * with why.
 */
int policy_allow_addr(const struct notify_policy *pol,
    const struct policy_url *u, const struct sockaddr *sa,
    char why[POLICY_WHY_MAX]);

/*
 * Check url at subscription time: parse it, resolve its host and check
 * every address it resolves to.  0, or -1 with why (a sentence naming
 * the URL's host and the reason).
 */
int policy_check_url(const struct notify_policy *pol, const char *url,
    char why[POLICY_WHY_MAX]);

#endif
