/*
 * Databases written by earlier releases open, serve their presences with
 * the same values and take writes: the first release's (record version
 * 1) and the sessions release's (record version 2, with sessions and a
 * preferred presence).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "store.h"
#include "tap.h"
#include "tmpdir.h"

/* Copy the data.mdb of fixture version into dir. */
static void
copy_fixture(const char *version, const char *dir)
{
	char	from[PATH_MAX + 32], to[PATH_MAX + 32], chunk[4096];
	FILE	*in, *out;
	size_t	n;

	snprintf(from, sizeof from, "%s/%s/data.mdb", FIXTURE_DIR, version);
	snprintf(to, sizeof to, "%s/data.mdb", dir);
	if ((in = fopen(from, "rb")) == NULL || (out = fopen(to, "wb")) == NULL)
		tap_bail("cannot copy '%s'", from);
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
		if (fwrite(chunk, 1, n, out) != n)
			tap_bail("cannot write '%s'", to);
	fclose(in);
	if (fclose(out) != 0)
		tap_bail("cannot write '%s'", to);
}

/* Each line of a fixture's export, as the current codec reads it. */
static size_t
read_export(const char *version, struct presence *want, size_t max)
{
	char			 path[PATH_MAX + 32], line[4096];
	struct fault		 f;
	FILE			*in;
	size_t			 n = 0;

	snprintf(path, sizeof path, "%s/%s/export.jsonl", FIXTURE_DIR, version);
	if ((in = fopen(path, "r")) == NULL)
		tap_bail("cannot open '%s'", path);
	while (n < max && fgets(line, sizeof line, in) != NULL)
		if (codec_presence_from_export(line, strcspn(line, "\n"),
		    &want[n++], &f) != 0)
			tap_bail("bad line in '%s': %s", path, f.message);
	fclose(in);
	return n;
}

/* The current export of st, lines joined, against the fixture's file. */
static void
same_export(struct store *st, const char *version)
{
	static struct presence	rows[8];
	struct buf		b;
	char			path[PATH_MAX + 32], file[8192];
	FILE			*in;
	size_t			n, i, len;
	int			more;

	snprintf(path, sizeof path, "%s/%s/export.jsonl", FIXTURE_DIR, version);
	if ((in = fopen(path, "r")) == NULL)
		tap_bail("cannot open '%s'", path);
	len = fread(file, 1, sizeof file - 1, in);
	fclose(in);
	file[len] = '\0';
	buf_init(&b);
	if (store_page(st, NULL, 0, rows, 8, &n, &more) != 0)
		n = 0;
	for (i = 0; i < n; i++) {
		codec_presence_to_export(&rows[i], &b);
		buf_adds(&b, "\n");
	}
	buf_add(&b, "", 1);
	is_str(b.data, file, "%s: today's export of it is byte for byte "
	    "the release's", version);
	buf_release(&b);
}

/* The sessions release's database, sessions and preferred presence. */
static void
test_v2(void)
{
	static const char	*const secret =
	    "prs_jpZXrY_F_z4TJtmRtz5Na92kvQpqRfZKGXrIJFj2JMY";
	static const struct {
		const char	*at;
		const char	*shows;
	} views[] = {
		{ "2026-12-07T01:06:00.000Z", "DoNotDisturb/DoNotDisturb" },
		{ "2026-12-07T01:25:00.000Z", "Busy/InACall" },
		{ "2026-12-07T01:40:00.000Z", "Away/Away" },
		{ "2026-12-07T03:00:00.000Z", "Offline/Offline" },
	};
	struct store_config	 cfg;
	struct store		*st;
	struct presence		 want[8], got;
	struct presence_view	 v, w;
	struct note_status	 status;
	struct fault		 f;
	struct token		 t;
	char			 dir[PATH_MAX], pair[2 * PRESENCE_VALUE_MAX + 2];
	size_t			 n, i, same = 0;
	int64_t			 at;
	int			 rc;

	n = read_export("v2", want, 8);
	is_int(n, 3, "v2: the fixture's export has three presences");
	tmpdir_make("store-oldfixture2", dir);
	copy_fixture("v2", dir);
	store_config_init(&cfg);
	cfg.path = dir;
	rc = store_open(&st, &cfg);
	is_int(rc, 0, "v2: the sessions release's database opens (%s)",
	    store_strerror(rc));
	if (rc != 0)
		return;
	for (i = 0; i < n; i++)
		if (store_get(st, want[i].id, &got) == 0 &&
		    store_import_differs(&got, &want[i]) == NULL &&
		    got.sequence == want[i].sequence)
			same++;
	is_int(same, n, "v2: each presence reads with its sessions, preferred "
	    "presence, times and number");
	is_int(store_get(st, want[1].id, &got), 0, "v2: the one with sessions");
	for (i = 0; i < sizeof views / sizeof views[0]; i++) {
		if (presence_parse_time(views[i].at, &at) != 0)
			tap_bail("bad instant '%s'", views[i].at);
		presence_view(&got, at, &v);
		presence_view(&want[1], at, &w);
		snprintf(pair, sizeof pair, "%s/%s", v.availability, v.activity);
		ok(strcmp(pair, views[i].shows) == 0 && v.sequence == w.sequence,
		    "v2: at %s it shows %s", views[i].at + 11, views[i].shows);
	}
	ok(!v.status_shown && !got.ooo.on && v.location == NOTE_SOURCE_NONE,
	    "v2: no status message, in office, no work location");
	same_export(st, "v2");
	is_int(store_token_verify(st, secret, strlen(secret), 0, &t), 0,
	    "v2: its token still verifies");

	memset(&status, 0, sizeof status);
	status.set = 1;
	strcpy(status.content, "written by today's code");
	is_int(store_status_set(st, want[2].id, &status, &f), 0,
	    "v2: a setStatusMessage writes to it");
	store_close(st);
	rc = store_open(&st, &cfg);
	is_int(rc, 0, "v2: it opens again");
	if (rc == 0) {
		is_int(store_get(st, want[2].id, &got), 0, "v2: the written one");
		is_str(got.status.content, "written by today's code",
		    "v2: keeps its status message");
		ok(got.sessions_seen && got.sequence > want[1].sequence,
		    "v2: with its old state and a number above every old one");
		is_int(store_get(st, want[1].id, &got), 0, "v2: an old one");
		is_int(got.nsessions, 2, "v2: keeps its sessions");
		store_close(st);
	}
	tmpdir_remove(dir);
}

int
main(void)
{
	static const char	*const secret =
	    "prs_4-r_IFPLZjc4j8fkWTrpYPbyyR89UHAdu5vVTKyWKgw";
	struct store_config	 cfg;
	struct store		*st;
	struct presence		 want[8], got;
	struct presence_view	 v;
	struct session_set	 r = { "app", SESSION_IN_A_CALL, 0 };
	struct fault		 f;
	struct token		 t;
	char			 dir[PATH_MAX];
	size_t			 n, i, same = 0;
	int			 rc;

	n = read_export("v1", want, 8);
	is_int(n, 3, "the fixture's export has three presences");
	tmpdir_make("store-oldfixture", dir);
	copy_fixture("v1", dir);
	store_config_init(&cfg);
	cfg.path = dir;
	rc = store_open(&st, &cfg);
	is_int(rc, 0, "the first release's database opens (%s)",
	    store_strerror(rc));
	if (rc != 0)
		return tap_done();
	for (i = 0; i < n; i++) {
		if (store_get_view(st, want[i].id, &got, &v) == 0 &&
		    strcmp(v.availability, want[i].availability) == 0 &&
		    strcmp(v.activity, want[i].activity) == 0 &&
		    v.sequence == want[i].sequence &&
		    got.created == want[i].created &&
		    got.modified == want[i].modified && got.nsessions == 0)
			same++;
	}
	is_int(same, n, "each presence reads with its values, times and number");
	is_int(store_token_verify(st, secret, strlen(secret), 0, &t), 0,
	    "its token still verifies");
	is_str(t.name, "fixture", "by name");

	is_int(store_session_set(st, want[1].id, &r, &f), 0,
	    "a setPresence writes to it");
	is_int(store_get_view(st, want[1].id, &got, &v), 0, "reads back");
	is_str(v.activity, "InACall", "showing the session");
	is_int(got.sequence, PRESENCE_SEQ_STEP,
	    "numbered at the first step above the old counter");
	ok(v.sequence > want[2].sequence, "above every old number");
	store_close(st);

	rc = store_open(&st, &cfg);
	is_int(rc, 0, "it opens again");
	if (rc == 0) {
		is_int(store_get(st, want[1].id, &got), 0, "the written one");
		is_int(got.nsessions, 1, "keeps its session");
		is_int(store_get(st, want[0].id, &got), 0, "an old one");
		is_str(got.availability, "Availability value", "is unchanged");
		store_close(st);
	}
	tmpdir_remove(dir);
	test_v2();
	return tap_done();
}
