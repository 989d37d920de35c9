/*
 * The destination policy of change notifications: the allow-list's
 * entries, URLs taken apart, and which addresses each rule lets through.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "policy.h"
#include "tap.h"

/* Whether a connection for url to the address text is allowed by list. */
static int
allowed(const char *list, const char *url, const char *text)
{
	struct notify_policy	 pol;
	struct policy_url	 u;
	struct sockaddr_in	 s4;
	struct sockaddr_in6	 s6;
	const struct sockaddr	*sa;
	char			 why[POLICY_WHY_MAX];
	int			 rc;

	if (policy_parse(list, &pol, why) != 0)
		tap_bail("bad list %s: %s", list, why);
	if (policy_url_parse(url, &u, why) != 0)
		tap_bail("bad url %s: %s", url, why);
	memset(&s4, 0, sizeof s4);
	memset(&s6, 0, sizeof s6);
	if (inet_pton(AF_INET, text, &s4.sin_addr) == 1) {
		s4.sin_family = AF_INET;
		sa = (const struct sockaddr *)&s4;
	} else if (inet_pton(AF_INET6, text, &s6.sin6_addr) == 1) {
		s6.sin6_family = AF_INET6;
		sa = (const struct sockaddr *)&s6;
	} else
		tap_bail("bad address %s", text);
	rc = policy_allow_addr(&pol, &u, sa, why) == 0;
	policy_release(&pol);
	return rc;
}

/* Lists that parse and lists that do not. */
static void
test_parse(void)
{
	static const char *const good[] = {
		"", "http://127.0.0.1", "hooks.example.com:8443, *.example.org",
		"10.0.0.0/8,[::1],[fd00::]/8", "https://[2001:db8::1]:443", "*",
	};
	static const char *const bad[] = {
		"http://[::1", "10.0.0.0/33", "host:0", "host:70000",
		"a b", "*.", "[::1]/129", "ex ample.com", "[nothost]",
	};
	struct notify_policy	pol;
	char			why[POLICY_WHY_MAX];
	size_t			i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		ok(policy_parse(good[i], &pol, why) == 0, "'%s' parses",
		    good[i]);
		policy_release(&pol);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ok(policy_parse(bad[i], &pol, why) != 0 &&
		    strstr(why, "bad entry") != NULL, "'%s' is refused: %s",
		    bad[i], why);
	}
}

/* URLs taken apart. */
static void
test_url(void)
{
	struct policy_url	u;
	char			why[POLICY_WHY_MAX];

	ok(policy_url_parse("https://Hooks.Example.com/x?y=1", &u, why) == 0 &&
	    u.https && u.port == 443, "https, the default port");
	ok(policy_url_parse("http://[::1]:8080/n", &u, why) == 0 && !u.https &&
	    u.port == 8080 && strcmp(u.host, "::1") == 0,
	    "http to [::1], brackets off");
	ok(policy_url_parse("ftp://example.com/", &u, why) != 0,
	    "ftp is refused: %s", why);
	ok(policy_url_parse("https://user:pw@example.com/", &u, why) != 0,
	    "user information is refused: %s", why);
	ok(policy_url_parse("not a url", &u, why) != 0, "junk is refused");
}

/* Which addresses each rule lets through. */
static void
test_addresses(void)
{
	static const char *const private[] = {
		"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1",
		"169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
		"::1", "::", "fe80::1", "fd12::1", "ff02::1", "::ffff:127.0.0.1",
		"::ffff:10.0.0.1", "::127.0.0.1", "::ffff:0:7f00:1",
		"64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::5db8:d822",
		"2002:7f00:1::1", "2002:a00:1::", "2002:c0a8:101::1",
		"2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "fec0::1",
		"feff::1", "192.88.99.1",
	};
	static const char *const public[] = {
		"93.184.216.34", "2a00:1450:4001::1", "2002:5db8:d822::1",
		"64:ff9b::5db8:d822", "2001:1::1", "2003::1", "192.88.100.1",
	};
	size_t	i;

	for (i = 0; i < sizeof private / sizeof private[0]; i++)
		ok(!allowed("", "https://h.example/", private[i]),
		    "by default %s is refused", private[i]);
	for (i = 0; i < sizeof public / sizeof public[0]; i++)
		ok(allowed("", "https://h.example/", public[i]),
		    "by default %s is allowed", public[i]);
	ok(allowed("[2001::]/32,192.88.99.0/24", "https://x.example/",
	    "2001::1") && allowed("[2002::]/16", "https://x.example/",
	    "2002:7f00:1::1") && allowed("[fec0::]/10", "https://x.example/",
	    "fec0::1") && allowed("192.88.99.0/24", "https://x.example/",
	    "192.88.99.1"), "an entry naming such a network allows it");
	ok(allowed("", "https://h.example/", "93.184.216.34"),
	    "by default a public IPv4 address over https is allowed");
	ok(allowed("", "https://h.example/", "2a00:1450:4001::1"),
	    "and a public IPv6 address");
	ok(!allowed("", "http://h.example/", "93.184.216.34"),
	    "but not over http");
	ok(allowed("http://127.0.0.1", "http://127.0.0.1:9/", "127.0.0.1"),
	    "an http entry allows http to its address");
	ok(allowed("http://127.0.0.1", "https://127.0.0.1:9/", "127.0.0.1"),
	    "and https");
	ok(!allowed("127.0.0.1", "http://127.0.0.1:9/", "127.0.0.1"),
	    "an entry without a scheme allows https only");
	ok(!allowed("http://127.0.0.1", "https://h.example/", "93.184.216.34"),
	    "with entries, a public host no entry names is refused");
	ok(allowed("http://127.0.0.1,*", "https://h.example/",
	    "93.184.216.34"), "unless '*' is one of them");
	ok(!allowed("*", "https://h.example/", "10.0.0.1"),
	    "'*' allows no private address");
	ok(allowed("10.0.0.0/8", "https://x.example/", "10.200.0.1"),
	    "a network allows its addresses");
	ok(!allowed("10.0.0.0/8", "https://x.example/", "11.0.0.1"),
	    "and no other");
	ok(allowed("[fd00::]/8", "https://x.example/", "fd12::1"),
	    "an IPv6 network");
	ok(allowed("hooks.example.com", "https://HOOKS.example.com/",
	    "10.0.0.1"), "a named host, whatever it resolves to");
	ok(!allowed("hooks.example.com", "https://evil.example.com/",
	    "93.184.216.34"), "another name is refused");
	ok(allowed("*.example.com", "https://a.b.example.com/", "10.0.0.1"),
	    "a suffix allows the names under it");
	ok(!allowed("*.example.com", "https://example.com/", "10.0.0.1"),
	    "but not the suffix itself");
	ok(!allowed("*.example.com", "https://badexample.com/", "10.0.0.1"),
	    "nor a name that only ends like it");
	ok(allowed("http://127.0.0.1:8080", "http://127.0.0.1:8080/",
	    "127.0.0.1"), "a port allows that port");
	ok(!allowed("http://127.0.0.1:8080", "http://127.0.0.1:8081/",
	    "127.0.0.1"), "and no other");
	ok(!allowed("http://10.0.0.0/8", "http://10.0.0.1/", "127.0.0.1"),
	    "the address connected to is what counts, not the URL's");
}

int
main(void)
{
	test_parse();
	test_url();
	test_addresses();
	return tap_done();
}
