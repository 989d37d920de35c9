/*
 * A valid data.mdb shorter than its own last page, made with raw LMDB,
 * for tests/blackbox/damage.sh:
 *
 *   loose DIR    in one write transaction, fill a scratch database with
 *                enough records to take new pages at the end of the file,
 *                delete them all and drop it, then commit
 *   pages DIR    print "PSIZE LAST FILE USED": the page size, the last
 *                page the meta records, the pages wholly in data.mdb and
 *                the highest page below FILE that is not on the free list
 *                (LMDB's own view, through a cursor on the free database)
 *
 * LMDB never writes a page that a transaction both took and gave back
 * (a loose page), so when those are the highest pages the file ends
 * before the last page its meta records, and the database is whole.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lmdb.h>

#define LOOSE_RECORDS	400	/* about 130 pages, one free list page */
#define LOOSE_SMALL	300	/* free lists for more than one page */
#define LOOSE_BULK	2000	/* a free list on overflow pages */
#define LOOSE_VALUE	1024

/* Print a failed LMDB call and exit 1. */
static void __attribute__((noreturn))
loose_fail(const char *what, int rc)
{
	fprintf(stderr, "loose: %s: %s\n", what, mdb_strerror(rc));
	exit(1);
}

/* Open the environment in dir as the store does (its named databases). */
static MDB_env *
loose_env(const char *dir)
{
	MDB_env	*env;
	int	 rc;

	if ((rc = mdb_env_create(&env)) != 0)
		loose_fail("mdb_env_create", rc);
	if ((rc = mdb_env_set_maxdbs(env, 8)) != 0)
		loose_fail("mdb_env_set_maxdbs", rc);
	if ((rc = mdb_env_open(env, dir, MDB_NOTLS, 0660)) != 0)
		loose_fail("mdb_env_open", rc);
	return env;
}

/* Put count records of size bytes from key number from into name. */
static void
loose_fill(MDB_txn *txn, const char *name, int from, int count, size_t size)
{
	static char	 vbuf[LOOSE_VALUE];
	MDB_dbi		 dbi;
	MDB_val		 key, val;
	char		 kbuf[16];
	int		 i, rc;

	memset(vbuf, 'x', sizeof vbuf);
	if ((rc = mdb_dbi_open(txn, name, MDB_CREATE, &dbi)) != 0)
		loose_fail("mdb_dbi_open", rc);
	for (i = from; i < from + count; i++) {
		snprintf(kbuf, sizeof kbuf, "%08d", i);
		key.mv_data = kbuf;
		key.mv_size = 8;
		val.mv_data = vbuf;
		val.mv_size = size;
		if ((rc = mdb_put(txn, dbi, &key, &val, 0)) != 0)
			loose_fail("mdb_put", rc);
	}
}

/* Drop the database name (its pages go to the free list). */
static void
loose_drop(MDB_txn *txn, const char *name)
{
	MDB_dbi	dbi;
	int	rc;

	if ((rc = mdb_dbi_open(txn, name, 0, &dbi)) != 0 ||
	    (rc = mdb_drop(txn, dbi, 1)) != 0)
		loose_fail("mdb_drop", rc);
}

/* Run one write transaction of fill or drop on env. */
static void
loose_txn(MDB_env *env, const char *name, int from, int count, size_t size)
{
	MDB_txn	*txn;
	int	 rc;

	if ((rc = mdb_txn_begin(env, NULL, 0, &txn)) != 0)
		loose_fail("mdb_txn_begin", rc);
	if (count > 0)
		loose_fill(txn, name, from, count, size);
	else
		loose_drop(txn, name);
	if ((rc = mdb_txn_commit(txn)) != 0)
		loose_fail("mdb_txn_commit", rc);
}

/*
 * Leave data.mdb whole but shorter than its last page, with a free tree
 * of branch, leaf and overflow pages.  A reader held open keeps the free
 * lists written after it from being used again, so they pile up: many
 * small ones (a tree deeper than one page) and a long one (overflow
 * pages).  Then one transaction takes new pages at the end, filling a
 * scratch database, and gives them back by emptying it from its highest
 * key down: LMDB reuses the pages given back last to save its free list,
 * and never writes the others, the highest.
 */
static void
loose_make(const char *dir)
{
	MDB_env		*env = loose_env(dir);
	MDB_txn		*reader, *txn;
	MDB_dbi		 dbi;
	MDB_val		 key;
	char		 kbuf[16];
	int		 i, rc;

	loose_txn(env, "scratch", 0, 50, LOOSE_VALUE);
	loose_txn(env, "scratch", 0, 0, 0);
	loose_txn(env, "held", 0, 1, 8);
	if ((rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &reader)) != 0)
		loose_fail("mdb_txn_begin", rc);
	for (i = 0; i < LOOSE_SMALL; i++)
		loose_txn(env, "held", i, 1, 8);
	loose_txn(env, "bulk", 0, LOOSE_BULK, LOOSE_VALUE);
	loose_txn(env, "bulk", 0, 0, 0);
	if ((rc = mdb_txn_begin(env, NULL, 0, &txn)) != 0)
		loose_fail("mdb_txn_begin", rc);
	loose_drop(txn, "held");
	loose_fill(txn, "scratch", 0, LOOSE_RECORDS, LOOSE_VALUE);
	if ((rc = mdb_dbi_open(txn, "scratch", 0, &dbi)) != 0)
		loose_fail("mdb_dbi_open", rc);
	for (i = LOOSE_RECORDS - 1; i >= 0; i--) {
		snprintf(kbuf, sizeof kbuf, "%08d", i);
		key.mv_data = kbuf;
		key.mv_size = 8;
		if ((rc = mdb_del(txn, dbi, &key, NULL)) != 0)
			loose_fail("mdb_del", rc);
	}
	loose_drop(txn, "scratch");
	mdb_txn_abort(reader);
	if ((rc = mdb_txn_commit(txn)) != 0)
		loose_fail("mdb_txn_commit", rc);
	mdb_env_close(env);
}

/* Print the page size, last page, whole pages and highest used page. */
static void
loose_pages(const char *dir)
{
	MDB_env		*env = loose_env(dir);
	MDB_envinfo	 info;
	MDB_stat	 st;
	MDB_txn		*txn;
	MDB_cursor	*cur;
	MDB_val		 key, val;
	struct stat	 sb;
	char		 path[PATH_MAX];
	unsigned char	*used;
	size_t		 file, i, n, pgno, *idl;
	int		 rc;

	snprintf(path, sizeof path, "%s/data.mdb", dir);
	if (stat(path, &sb) != 0) {
		perror(path);
		exit(1);
	}
	mdb_env_info(env, &info);
	mdb_env_stat(env, &st);
	file = (size_t)sb.st_size / st.ms_psize;
	if ((used = malloc(file + 1)) == NULL)
		exit(1);
	memset(used, 1, file + 1);
	if ((rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) != 0)
		loose_fail("mdb_txn_begin", rc);
	if ((rc = mdb_cursor_open(txn, 0, &cur)) != 0)
		loose_fail("mdb_cursor_open", rc);
	while ((rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) == 0) {
		idl = val.mv_data;
		n = idl[0];
		for (i = 1; i <= n; i++) {
			pgno = idl[i];
			if (pgno < file)
				used[pgno] = 0;
		}
	}
	if (rc != MDB_NOTFOUND)
		loose_fail("mdb_cursor_get", rc);
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	for (pgno = file; pgno > 0 && !used[pgno - 1]; pgno--)
		continue;
	printf("%u %zu %zu %zu\n", st.ms_psize, info.me_last_pgno, file,
	    pgno - 1);
	free(used);
	mdb_env_close(env);
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "loose") == 0)
		loose_make(argv[2]);
	else if (argc == 3 && strcmp(argv[1], "pages") == 0)
		loose_pages(argv[2]);
	else {
		fprintf(stderr, "usage: loose loose|pages DIR\n");
		return 2;
	}
	return 0;
}
