/*
 * A database written by the first release (record version 1) opens,
 * serves its presences with the same values and takes writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "store.h"
#include "tap.h"
#include "tmpdir.h"

/* Copy the fixture's data.mdb into dir. */
static void
copy_fixture(const char *dir)
{
	char	from[PATH_MAX + 32], to[PATH_MAX + 32], chunk[4096];
	FILE	*in, *out;
	size_t	n;

	snprintf(from, sizeof from, "%s/v1/data.mdb", FIXTURE_DIR);
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

/* Each line of the fixture's export, as the current codec reads it. */
static size_t
read_export(struct presence *want, size_t max)
{
	char			 path[PATH_MAX + 32], line[4096];
	struct fault		 f;
	FILE			*in;
	size_t			 n = 0;

	snprintf(path, sizeof path, "%s/v1/export.jsonl", FIXTURE_DIR);
	if ((in = fopen(path, "r")) == NULL)
		tap_bail("cannot open '%s'", path);
	while (n < max && fgets(line, sizeof line, in) != NULL)
		if (codec_presence_from_export(line, strcspn(line, "\n"),
		    &want[n++], &f) != 0)
			tap_bail("bad line in '%s': %s", path, f.message);
	fclose(in);
	return n;
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

	n = read_export(want, 8);
	is_int(n, 3, "the fixture's export has three presences");
	tmpdir_make("store-oldfixture", dir);
	copy_fixture(dir);
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
	return tap_done();
}
