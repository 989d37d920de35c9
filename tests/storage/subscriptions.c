/*
 * Subscriptions and the outbox on real LMDB: the resource and the JSON a
 * subscription is made from, expiry dates, a REMOTE_USER's owner, one
 * outbox row per change in commit order, delivery recorded and retried, the backlog bound and "missed", clock
 * events, expiry, a revoked owner, and a database older than them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "store.h"
#include "subscription.h"
#include "tap.h"
#include "tmpdir.h"

#define A	"aaaaaaaa-0000-4000-8000-0000000000a1"
#define B	"bbbbbbbb-0000-4000-8000-0000000000b2"
#define HOUR	(60 * 60 * 1000)

static struct subscription	sub;	/* large: kept off the stack */
static struct notify_batch	batch;

/* Open (creating) the store in dir with a backlog bound. */
static struct store *
open_store(const char *dir, const char *backlog, int read_only)
{
	struct store_config	 cfg;
	struct store		*st;
	int			 rc;

	store_config_init(&cfg);
	cfg.path = dir;
	cfg.read_only = read_only;
	if (backlog != NULL && store_config_set(&cfg, "notify-backlog",
	    backlog) != 0)
		tap_bail("bad backlog %s", backlog);
	if ((rc = store_open(&st, &cfg)) != 0)
		tap_bail("cannot open '%s': %s", dir, store_strerror(rc));
	return st;
}

/* Expiry dates: a day of its month, no leap second, else a format error. */
static void
test_dates(void)
{
	static const char *const bad[] = {
		"2026-02-30T00:00:00Z", "2026-02-29T10:00:00Z",
		"2100-02-29T10:00:00Z", "2026-04-31T10:00:00Z",
		"2026-06-31T10:00:00Z", "2026-12-07T10:00:60Z",
		"2026-12-31T23:59:60+01:00", "2026-13-01T10:00:00Z",
		"2026-12-00T10:00:00Z",
	};
	static const char *const good[] = {
		"2028-02-29T10:00:00Z", "2000-02-29T10:00:00Z",
		"2026-01-31T10:00:00Z", "2026-12-31T23:59:59.999Z",
		"2026-04-30T10:00:00-05:00",
	};
	struct fault	 f;
	char		 body[128];
	int64_t		 t;
	size_t		 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(body, sizeof body, "{\"expirationDateTime\":\"%s\"}",
		    bad[i]);
		memset(&f, 0, sizeof f);
		ok(codec_subscription_patch_from_json(body, strlen(body), &t,
		    &f) == STORE_EINVAL && f.property != NULL &&
		    strcmp(f.property, "expirationDateTime") == 0 &&
		    strstr(f.message, "ISO 8601") != NULL,
		    "%s is a format error: %s", bad[i], f.message);
	}
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		snprintf(body, sizeof body, "{\"expirationDateTime\":\"%s\"}",
		    good[i]);
		is_int(codec_subscription_patch_from_json(body, strlen(body), &t,
		    &f), 0, "%s reads", good[i]);
	}
}

/* A REMOTE_USER's owner: whole, tagged, and apart from token names. */
static void
test_owner(void)
{
	char	a[TOKEN_NAME_MAX + 1], b[TOKEN_NAME_MAX + 1];
	char	long_a[200], long_b[200];

	snprintf(long_a, sizeof long_a, "/C=US/O=Example Corporation/"
	    "OU=Engineering Department/OU=Platform/CN=alice");
	snprintf(long_b, sizeof long_b, "%.*smallory", 69, long_a);
	is_int(subscription_owner_remote(long_a, a), 0, "owner: made");
	is_int(subscription_owner_remote(long_b, b), 0, "owner: made again");
	ok(strcmp(a, b) != 0, "owner: names alike in 69 bytes are two");
	ok(strncmp(a, "remote-user ", 12) == 0 && strlen(a) == 55,
	    "owner: the tag and 43 characters");
	is_int(subscription_owner_remote(long_a, b), 0, "owner: once more");
	is_str(a, b, "owner: one name, one owner");
	is_int(subscription_owner_remote("test-1", a), 0, "owner: short");
	ok(strcmp(a, "test-1") != 0 && strchr(a, ' ') != NULL,
	    "owner: never a token's name (which has no space)");
}

/* The resource forms a subscription takes, and those it refuses. */
static void
test_resource(void)
{
	struct fault	 f;
	struct buf	 out;
	const char	*r;

	r = "communications/presences/" A;
	is_int(subscription_resource_parse(r, strlen(r), &sub, &f), 0,
	    "one id");
	ok(sub.nids == 1 && !sub.filter && strcmp(sub.ids[0], A) == 0,
	    "read as one id");
	r = "/communications/presences?$filter=id in ('" A "', 'BBBBBBBB-0000-"
	    "4000-8000-0000000000B2','" A "')";
	is_int(subscription_resource_parse(r, strlen(r), &sub, &f), 0,
	    "a filter, spaces, upper case, a repeated id");
	ok(sub.nids == 2 && sub.filter && strcmp(sub.ids[1], B) == 0,
	    "two ids, lowercase, each once");
	buf_init(&out);
	is_int(subscription_resource_format(&sub, &out), 0, "formats");
	is_str(out.data, "/communications/presences?$filter=id in ('" A "','"
	    B "')", "as a filter");
	buf_release(&out);
	r = "communications/presences?$filter=id in ()";
	is_int(subscription_resource_parse(r, strlen(r), &sub, &f),
	    STORE_EINVAL, "an empty list is refused");
	is_str(f.property, "resource", "naming resource");
	r = "users/" A "/presence";
	is_int(subscription_resource_parse(r, strlen(r), &sub, &f),
	    STORE_EINVAL, "another resource is refused");
	r = "communications/presences?$filter=id in ('" A "'";
	is_int(subscription_resource_parse(r, strlen(r), &sub, &f),
	    STORE_EINVAL, "an unclosed list is refused");
}

/* The create and patch bodies, expiry forms among them. */
static void
test_codec(void)
{
	struct fault	 f;
	struct buf	 out;
	const char	*body;
	int64_t		 t;

	body = "{\"changeType\":\"updated\",\"notificationUrl\":"
	    "\"https://hooks.example/n\",\"resource\":\"communications/"
	    "presences/" A "\",\"expirationDateTime\":"
	    "\"2026-12-07T10:00:00.1234567Z\",\"clientState\":\"cs\","
	    "\"includeResourceData\":false}";
	is_int(codec_subscription_from_json(body, strlen(body), &sub, &f), 0,
	    "a create body reads");
	ok(sub.expires == INT64_C(1796637600123) && sub.has_client_state &&
	    strcmp(sub.client_state, "cs") == 0, "seven digits of fraction, "
	    "read to the millisecond");
	body = "{\"expirationDateTime\":\"2026-12-07T11:00:00+01:00\"}";
	is_int(codec_subscription_patch_from_json(body, strlen(body), &t, &f),
	    0, "a patch with an offset");
	is_int(t, INT64_C(1796637600000), "the offset taken off");
	body = "{\"expirationDateTime\":\"2026-12-07 10:00:00\"}";
	is_int(codec_subscription_patch_from_json(body, strlen(body), &t, &f),
	    STORE_EINVAL, "a time without T and zone is refused");
	body = "{}";
	is_int(codec_subscription_patch_from_json(body, strlen(body), &t, &f),
	    STORE_EINVAL, "a patch needs expirationDateTime");
	snprintf(sub.id, sizeof sub.id, "%s", B);
	buf_init(&out);
	is_int(codec_subscription_to_json(&sub, NULL, &out), 0, "writes");
	ok(strstr(out.data, "\"expirationDateTime\":\"2026-12-07T10:00:00.123Z\"")
	    != NULL, "the expiry as Graph writes times: %s", out.data);
	buf_release(&out);
}

/* A subscription of owner to ids, expiring in ms from now. */
static int
subscribe(struct store *st, const char *owner, const char *resource,
    int64_t ms, const char *life)
{
	struct fault	f;
	int		rc;

	memset(&sub, 0, sizeof sub);
	memset(&f, 0, sizeof f);
	if (subscription_resource_parse(resource, strlen(resource), &sub,
	    &f) != 0)
		tap_bail("bad resource %s", resource);
	snprintf(sub.owner, sizeof sub.owner, "%s", owner);
	snprintf(sub.notify_url, sizeof sub.notify_url, "https://h.example/n");
	snprintf(sub.lifecycle_url, sizeof sub.lifecycle_url, "%s", life);
	sub.expires = presence_now() + ms;
	rc = store_subscription_create(st, &sub, &f);
	if (rc == STORE_EINVAL)
		printf("# create: %s\n", f.message);
	return rc;
}

/* Make the presence id with an Available session of duration ms. */
static void
presence_at(struct store *st, const char *id, int make, int64_t ms)
{
	struct session_set	req;
	struct presence		p;
	struct fault		f;

	if (make) {
		memset(&p, 0, sizeof p);
		snprintf(p.id, sizeof p.id, "%s", id);
		snprintf(p.availability, sizeof p.availability, "Available");
		snprintf(p.activity, sizeof p.activity, "Available");
		if (store_create(st, &p, &f) != 0)
			tap_bail("cannot create %s", id);
		return;
	}
	memset(&req, 0, sizeof req);
	snprintf(req.session_id, sizeof req.session_id, "s1");
	req.pair = SESSION_AVAILABLE;
	req.duration = ms;
	if (store_session_set(st, id, &req, &f) != 0)
		tap_bail("setPresence on %s: %s", id, f.message);
}

/* How many subscriptions have work due at now; the first into id. */
static size_t
due(struct store *st, int64_t now, char id[GUID_LEN + 1], int64_t *next)
{
	char	ids[8][GUID_LEN + 1];
	size_t	n;

	if (store_notify_due(st, now, ids, 8, &n, next) != 0)
		tap_bail("store_notify_due failed");
	if (n > 0)
		memcpy(id, ids[0], GUID_LEN + 1);
	return n;
}

/* Changes queue in commit order; delivery and failure are recorded. */
static void
test_outbox(struct store *st)
{
	struct subscription_state	 sst;
	char				 id[GUID_LEN + 1], sid[GUID_LEN + 1];
	int64_t				 next, now = presence_now();
	int				 i;

	presence_at(st, A, 1, 0);
	is_int(subscribe(st, "t1", "communications/presences?$filter=id in "
	    "('" A "','" B "')", HOUR / 2, ""), 0, "subscribe to A and B");
	memcpy(sid, sub.id, sizeof sid);
	is_int((int)due(st, now, id, &next), 0, "nothing to deliver yet");
	presence_at(st, A, 0, 10 * 60 * 1000);
	presence_at(st, B, 1, 0);
	for (i = 0; i < 3; i++)
		presence_at(st, A, 0, 10 * 60 * 1000);
	is_int((int)due(st, presence_now(), id, &next), 1, "one has work");
	is_str(id, sid, "ours");
	is_int(store_notify_take(st, sid, &batch), 0, "take");
	is_int((int)batch.n, 5, "five changes waiting");
	ok(strcmp(batch.items[0].presence, A) == 0 &&
	    strcmp(batch.items[1].presence, B) == 0 &&
	    strcmp(batch.items[4].presence, A) == 0, "in commit order");
	ok(batch.items[0].counter < batch.items[1].counter &&
	    batch.items[3].counter < batch.items[4].counter, "counters grow");
	is_int(store_notify_failed(st, sid, presence_now(),
	    presence_now() + 60000, "status 500"), 0, "a failure");
	is_int((int)due(st, presence_now(), id, &next), 0,
	    "not due before its retry");
	ok(next > presence_now() + 50000, "the retry time is the next");
	is_int((int)due(st, presence_now() + 61000, id, &next), 1,
	    "due after it");
	is_int(store_notify_done(st, sid, batch.items[2].counter, 0, 0, 0,
	    presence_now(), "202"), 0, "three delivered");
	is_int(store_subscription_get(st, sid, "t1", NULL, &sst), 0, "get");
	ok(sst.backlog == 2 && sst.delivered == 3 && sst.failures == 0 &&
	    strcmp(sst.last_result, "202") == 0, "backlog 2, delivered 3, "
	    "the result kept");
	is_int(store_notify_take(st, sid, &batch), 0, "take again");
	ok(batch.n == 2 && strcmp(batch.items[0].presence, A) == 0,
	    "the two left, oldest first");
	is_int(store_subscription_get(st, sid, "t2", NULL, NULL),
	    STORE_ENOTFOUND, "another owner sees none");
	is_int(store_subscription_delete(st, sid, "t2"), STORE_ENOTFOUND,
	    "nor deletes it");
	is_int(store_subscription_delete(st, sid, "t1"), 0, "delete");
	presence_at(st, A, 0, 10 * 60 * 1000);
	is_int((int)due(st, presence_now(), id, &next), 0,
	    "a deleted subscription queues nothing");
}

/* Past the bound the backlog is dropped for one "missed". */
static void
test_bound(struct store *st)
{
	struct subscription_state	 sst;
	char				 sid[GUID_LEN + 1];
	struct store_stat		 ss;
	int				 i;

	is_int(subscribe(st, "t1", "communications/presences/" A, HOUR / 2,
	    "https://h.example/life"), 0, "subscribe to A");
	memcpy(sid, sub.id, sizeof sid);
	for (i = 0; i < 5; i++)
		presence_at(st, A, 0, 10 * 60 * 1000);
	is_int(store_subscription_get(st, sid, NULL, NULL, &sst), 0, "get");
	ok(sst.backlog == 5 && !sst.missed, "five waiting: at the bound");
	presence_at(st, A, 0, 10 * 60 * 1000);
	is_int(store_subscription_get(st, sid, NULL, NULL, &sst), 0, "get");
	ok(sst.backlog == 0 && sst.missed && sst.dropped == 6,
	    "the sixth drops all six and asks for missed");
	is_int(store_stat(st, &ss), 0, "stat");
	is_int((int)ss.backlog, 0, "the outbox is empty");
	presence_at(st, A, 0, 10 * 60 * 1000);
	is_int(store_notify_take(st, sid, &batch), 0, "take");
	ok(batch.sub.state.missed && batch.n == 1, "missed, then the change "
	    "after it");
	is_int(store_notify_done(st, sid, 0, 1,
	    batch.sub.state.dropped, 0, presence_now(), "202"), 0,
	    "missed delivered");
	is_int(store_subscription_get(st, sid, NULL, NULL, &sst), 0, "get");
	ok(!sst.missed && sst.backlog == 1, "cleared; the change still waits");
	for (i = 0; i < 5; i++)
		presence_at(st, A, 0, 10 * 60 * 1000);
	is_int(store_notify_take(st, sid, &batch), 0, "take after a new drop");
	ok(batch.sub.state.missed, "missed again");
	for (i = 0; i < 6; i++)
		presence_at(st, A, 0, 10 * 60 * 1000);
	is_int(store_notify_done(st, sid, 0, 1,
	    batch.sub.state.dropped, 0, presence_now(), "202"), 0,
	    "the missed read before a drop delivered");
	is_int(store_subscription_get(st, sid, NULL, NULL, &sst), 0, "get");
	ok(sst.missed && sst.backlog == 0, "a drop while it was in flight "
	    "keeps missed");
	is_int(store_notify_take(st, sid, &batch), 0, "take");
	is_int(store_notify_done(st, sid, 0, 1,
	    batch.sub.state.dropped, 0, presence_now(), "202"), 0,
	    "the missed read after the drop delivered");
	is_int(store_subscription_get(st, sid, NULL, NULL, &sst), 0, "get");
	ok(!sst.missed, "cleared");
	is_int(store_subscription_delete(st, sid, NULL), 0, "delete");
}

/* Clock events are queued by a tick, expired subscriptions go. */
static void
test_tick(struct store *st)
{
	struct subscription_state	 sst;
	char				 sid[GUID_LEN + 1], id[GUID_LEN + 1];
	int64_t				 next, now;

	presence_at(st, B, 0, 60 * 60 * 1000);
	is_int(subscribe(st, "t1", "communications/presences/" B, HOUR / 2,
	    ""), 0, "subscribe to B");
	memcpy(sid, sub.id, sizeof sid);
	now = presence_now();
	is_int(store_notify_tick(st, now, &next), 0, "a tick");
	ok(next > now && next <= now + 5 * 60 * 1000 + 1000,
	    "the next instant: B fading, in 5 minutes");
	is_int((int)due(st, now, id, &next), 0, "nothing due yet");
	is_int(store_notify_tick(st, now + 6 * 60 * 1000, &next), 0,
	    "a tick after the fade");
	is_int(store_subscription_get(st, sid, NULL, NULL, &sst), 0, "get");
	is_int((int)sst.backlog, 1, "the fade is queued");
	is_int(store_notify_tick(st, now + 6 * 60 * 1000, &next), 0,
	    "the same tick again");
	is_int(store_subscription_get(st, sid, NULL, NULL, &sst), 0, "get");
	is_int((int)sst.backlog, 1, "queues it once");
	ok(next > now + 9 * 60 * 1000, "then Away is next");
	is_int(store_notify_tick(st, now + HOUR, &next), 0,
	    "a tick after the expiry");
	is_int(store_subscription_get(st, sid, NULL, NULL, NULL),
	    STORE_ENOTFOUND, "the expired subscription is gone");
}

/* Revoking the owning token removes its subscriptions. */
static void
test_owner_gone(struct store *st)
{
	struct subscription_state	 sst;
	char				 secret[TOKEN_SECRET_LEN + 1];
	char				 with[GUID_LEN + 1], bare[GUID_LEN + 1];
	struct token			 t;
	struct fault			 f;

	memset(&t, 0, sizeof t);
	snprintf(t.name, sizeof t.name, "gone");
	t.scopes = TOKEN_SCOPE_READ_ALL;
	is_int(store_token_issue(st, &t, secret, &f), 0, "a token");
	is_int(subscribe(st, "gone", "communications/presences/" A, HOUR / 2,
	    "https://h.example/life"), 0, "its subscription with a lifecycle "
	    "URL");
	memcpy(with, sub.id, sizeof with);
	is_int(subscribe(st, "gone", "communications/presences/" A, HOUR / 2,
	    ""), 0, "and one without");
	memcpy(bare, sub.id, sizeof bare);
	presence_at(st, A, 0, 10 * 60 * 1000);
	is_int(store_token_revoke(st, "gone"), 0, "revoke");
	is_int(store_subscription_get(st, bare, NULL, NULL, NULL),
	    STORE_ENOTFOUND, "the one without is gone");
	is_int(store_subscription_get(st, with, NULL, NULL, &sst), 0,
	    "the other waits");
	ok(sst.removed && sst.backlog == 0, "to send subscriptionRemoved");
	is_int(store_subscription_get(st, with, "gone", NULL, NULL),
	    STORE_ENOTFOUND, "and its owner sees it no more");
	is_int(store_notify_done(st, with, 0, 0, 0, 1, presence_now(),
	    "202"), 0,
	    "sent");
	is_int(store_subscription_get(st, with, NULL, NULL, NULL),
	    STORE_ENOTFOUND, "then it is gone");
}

/* A database of the first release: read-only it has no subscriptions. */
static void
test_old(void)
{
	char			 dir[PATH_MAX], from[PATH_MAX + 32];
	char			 cmd[3 * PATH_MAX];
	struct subscription_row	 row;
	struct store		*st;
	size_t			 n;
	int			 more;

	tmpdir_make("subs-old", dir);
	snprintf(from, sizeof from, "%s/v1/data.mdb", FIXTURE_DIR);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s/data.mdb'", from, dir);
	if (system(cmd) != 0)
		tap_bail("cannot copy the fixture");
	st = open_store(dir, NULL, 1);
	is_int(store_subscription_page(st, NULL, NULL, &row, 1, &n, &more), 0,
	    "an old database read-only lists");
	is_int((int)n, 0, "no subscription");
	is_int(subscribe(st, "t", "communications/presences/" A, HOUR / 2,
	    ""), STORE_EROFS, "and takes none");
	store_close(st);
	st = open_store(dir, NULL, 0);
	is_int(subscribe(st, "t", "communications/presences/" A, HOUR / 2,
	    ""), 0, "opened for writing, it takes one");
	store_close(st);
	tmpdir_remove(dir);
}

int
main(void)
{
	char		 dir[PATH_MAX];
	struct store	*st;

	test_resource();
	test_codec();
	test_dates();
	test_owner();
	tmpdir_make("subs", dir);
	st = open_store(dir, "5", 0);
	test_outbox(st);
	test_bound(st);
	test_tick(st);
	test_owner_gone(st);
	store_close(st);
	tmpdir_remove(dir);
	test_old();
	return tap_done();
}
