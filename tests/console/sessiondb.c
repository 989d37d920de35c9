/*
 * A database whose presences have sessions and preferred presences, for
 * the shell tests of export and import: "seed DIR" makes one through the
 * store's calls, "dump DIR" writes every presence of DIR as an export
 * line (codec_presence_to_export, what `presence-console export` writes).
 */
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "store.h"
#include "tap.h"
#include "teststore.h"

#define ID1	"11111111-1111-4111-8111-111111111111"
#define ID2	"22222222-2222-4222-8222-222222222222"
#define ID3	"33333333-3333-4333-8333-333333333333"
#define ID4	"44444444-4444-4444-8444-444444444444"

/* Create the presence id with a base state, or bail out. */
static void
seed_create(struct store *st, const char *id)
{
	struct fault		f;
	struct presence		p;

	memset(&p, 0, sizeof p);
	snprintf(p.id, sizeof p.id, "%s", id);
	snprintf(p.availability, sizeof p.availability, "Available");
	snprintf(p.activity, sizeof p.activity, "Available");
	if (store_create(st, &p, &f) != 0)
		tap_bail("cannot create '%s': %s", id, f.message);
}

/* Open a session on id, or bail out. */
static void
seed_session(struct store *st, const char *id, const char *sid,
    enum session_pair pair, int64_t minutes)
{
	struct fault		f;
	struct session_set	r;

	memset(&r, 0, sizeof r);
	snprintf(r.session_id, sizeof r.session_id, "%s", sid);
	r.pair = pair;
	r.duration = minutes * SESSION_MINUTE_MS;
	if (store_session_set(st, id, &r, &f) != 0)
		tap_bail("cannot set session '%s': %s", sid, f.message);
}

/*
 * Four presences: two sessions and a preferred presence; a session that
 * ended; a preferred presence alone; none of them.
 */
static void
seed(const char *dir)
{
	struct preferred_set	 pr = { PREFERRED_DO_NOT_DISTURB, 0 };
	struct fault		 f;
	struct store		*st = teststore_open(dir, NULL, 0);

	seed_create(st, ID1);
	seed_create(st, ID2);
	seed_create(st, ID3);
	seed_create(st, ID4);
	seed_session(st, ID1, "phone \"work\"", SESSION_IN_A_CALL, 60);
	seed_session(st, ID1, "desk", SESSION_AVAILABLE, 5);
	if (store_preferred_set(st, ID1, &pr, &f) != 0 ||
	    store_preferred_set(st, ID3, &pr, &f) != 0)
		tap_bail("cannot set a preferred presence: %s", f.message);
	seed_session(st, ID2, "gone", SESSION_AWAY, 240);
	if (store_session_clear(st, ID2, "gone") != 0)
		tap_bail("cannot clear a session");
	store_close(st);
}

/* Write every presence of dir as an export line. */
static void
dump(const char *dir)
{
	static struct presence	 rows[256];
	struct store		*st = teststore_open(dir, NULL, 1);
	struct buf		 b;
	char			 after[GUID_LEN + 1] = "";
	size_t			 i, n;
	int			 more = 1;

	buf_init(&b);
	while (more) {
		if (store_page(st, after, 0, rows, 256, &n, &more) != 0)
			tap_bail("cannot read '%s'", dir);
		for (i = 0; i < n; i++) {
			buf_reset(&b);
			if (codec_presence_to_export(&rows[i], &b) != 0)
				tap_bail("out of memory");
			printf("%s\n", b.data);
		}
		if (n > 0)
			memcpy(after, rows[n - 1].id, sizeof after);
	}
	buf_release(&b);
	store_close(st);
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "seed") == 0)
		seed(argv[2]);
	else if (argc == 3 && strcmp(argv[1], "dump") == 0)
		dump(argv[2]);
	else {
		fprintf(stderr, "usage: sessiondb seed|dump DIR\n");
		return 2;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
