/* The LMDB store, on real environments in temporary directories. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store.h"
#include "tap.h"
#include "tmpdir.h"

#define S	PRESENCE_SEQ_STEP	/* one write's step of the counter */

/* Open dir with a small map growing up to max bytes. */
static struct store *
open_small(const char *dir, size_t size, size_t max)
{
	struct store_config	 cfg;
	struct store		*st;
	int			 rc;

	store_config_init(&cfg);
	cfg.path = dir;
	cfg.map_size = size;
	cfg.map_max = max;
	if ((rc = store_open(&st, &cfg)) != 0)
		tap_bail("cannot open store '%s': %s", dir, store_strerror(rc));
	return st;
}

/* Create a presence with the given id ("" for a fresh one). */
static int
create(struct store *st, const char *id, const char *avail, struct presence *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->id, sizeof p->id, "%s", id);
	snprintf(p->availability, sizeof p->availability, "%s", avail);
	snprintf(p->activity, sizeof p->activity, "Activity value");
	return store_create(st, p, NULL);
}

/* Create, get, duplicate, delete. */
static void
test_crud(const char *dir)
{
	struct store	*st = open_small(dir, 1 << 20, 1 << 24);
	struct presence	 p, q, r;
	struct fault f;
	struct store_stat s;

	is_int(create(st, "", "Available", &p), 0, "create with a fresh id");
	ok(guid_is_canonical(p.id), "the fresh id is canonical: %s", p.id);
	ok(p.created > 0 && p.created == p.modified, "created is stamped");
	is_int(p.sequence, S, "the first write has the first step");
	is_int(store_get(st, p.id, &q), 0, "get it back");
	is_str(q.availability, "Available", "with its availability");
	ok(q.created == p.created && q.sequence == p.sequence,
	    "and its stamps");

	is_int(create(st, p.id, "Busy", &r), STORE_EEXIST,
	    "a taken id is refused");
	is_int(store_get(st, p.id, &q), 0, "the first record");
	is_str(q.availability, "Available", "is unchanged");

	memset(&r, 0, sizeof r);
	strcpy(r.availability, "ok");
	is_int(store_create(st, &r, &f), STORE_EINVAL,
	    "an empty activity is refused by the store");
	is_str(f.property, "activity", "naming activity");

	is_int(create(st, "", "Away", &r), 0, "a second create");
	is_int(r.sequence, 2 * S, "has the second");
	is_int(store_stat(st, &s), 0, "stat");
	is_int(s.count, 2, "counts two presences");

	is_int(store_delete(st, p.id), 0, "delete the first");
	is_int(store_get(st, p.id, &q), STORE_ENOTFOUND, "it is gone");
	is_int(store_delete(st, p.id), STORE_ENOTFOUND,
	    "deleting it again is not found");
	is_int(store_get(st, "nope", &q), STORE_ENOTFOUND,
	    "a malformed id is not found");
	store_close(st);

	st = open_small(dir, 1 << 20, 1 << 24);
	is_int(store_get(st, r.id, &q), 0, "a reopened store keeps the data");
	is_str(q.availability, "Away", "intact");
	store_close(st);
}

/* Paging forwards and backwards over 25 ordered ids. */
static void
test_paging(const char *dir)
{
	struct store	*st = open_small(dir, 1 << 20, 1 << 24);
	struct presence	 p, rows[10];
	char		 id[GUID_LEN + 1], last[GUID_LEN + 1];
	size_t		 n, total = 0, pages = 0;
	int		 i, more, ordered = 1;

	for (i = 0; i < 25; i++) {
		snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
		if (create(st, id, "Available", &p) != 0)
			tap_bail("cannot create %s", id);
	}
	last[0] = '\0';
	do {
		is_int(store_page(st, last, 0, rows, 10, &n, &more), 0,
		    "page %zu", pages);
		for (size_t k = 0; k < n; k++) {
			ordered &= strcmp(rows[k].id, last) > 0;
			strcpy(last, rows[k].id);
		}
		total += n;
		pages++;
	} while (more && pages < 10);
	is_int(total, 25, "forward pages cover every record");
	is_int(pages, 3, "in three pages of ten");
	ok(ordered, "in strictly increasing key order");

	store_page(st, "", 1, rows, 10, &n, &more);
	is_int(n, 10, "the last page backwards holds ten");
	is_str(rows[9].id, "00000000-0000-4000-8000-000000000024",
	    "ending at the last key");
	is_str(rows[0].id, "00000000-0000-4000-8000-000000000015",
	    "in key order");
	ok(more, "with more before it");
	store_page(st, "00000000-0000-4000-8000-000000000003", 1, rows, 10, &n,
	    &more);
	is_int(n, 3, "backwards from the fourth key reads three");
	ok(!more, "and nothing before them");
	store_page(st, "00000000-0000-4000-8000-000000000003x", 0, rows, 2, &n,
	    &more);
	is_str(rows[0].id, "00000000-0000-4000-8000-000000000004",
	    "a key between records starts after it");
	store_page(st, "00000000-0000-4000-8000-000000000024", 0, rows, 2, &n,
	    &more);
	ok(n == 0 && !more, "after the last key there is nothing");
	store_close(st);
}

/* A tiny map grows up to its maximum, then refuses with nothing half-written. */
static void
test_map_full(const char *dir)
{
	struct store	*st = open_small(dir, 64 << 10, 512 << 10);
	struct store_stat s0, s1;
	struct presence	 p, q;
	char		 first[GUID_LEN + 1] = "";
	size_t		 acked = 0;
	int		 rc = 0, i;

	store_stat(st, &s0);
	for (i = 0; i < 100000; i++) {
		if ((rc = create(st, "", "Available", &p)) != 0)
			break;
		if (acked++ == 0)
			strcpy(first, p.id);
	}
	is_int(rc, STORE_EFULL, "writes stop with STORE_EFULL");
	store_stat(st, &s1);
	ok(s1.map_size > s0.map_size, "after the map grew from %zu to %zu",
	    s0.map_size, s1.map_size);
	is_int(s1.map_size, 512 << 10, "up to the configured maximum");
	is_int(s1.count, acked, "every acknowledged create is stored (%zu)",
	    acked);
	is_int(store_get(st, first, &q), 0, "reads keep working when full");
	is_int(store_delete(st, first), 0, "a delete still fits");
	store_close(st);
}

/* A map grown by another process is adopted by one opened before. */
static void
test_map_adopt(const char *dir)
{
	struct store	*st = open_small(dir, 64 << 10, 8 << 20);
	struct presence	 rows[4];
	struct store_stat s;
	size_t		 n;
	int		 more, status;
	pid_t		 pid;

	pid = fork();
	if (pid == 0) {
		struct store	*child = open_small(dir, 64 << 10, 8 << 20);
		struct presence	 p;
		int		 i;

		for (i = 0; i < 3000; i++)
			if (create(child, "", "Available", &p) != 0)
				_exit(1);
		store_close(child);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0,
	    "another process filled past the first map");
	is_int(store_page(st, NULL, 1, rows, 4, &n, &more), 0,
	    "this process still reads");
	is_int(store_stat(st, &s), 0, "and stats");
	is_int(s.count, 3000, "every record the other wrote");
	ok(s.map_size > (64 << 10), "with the grown map (%zu)", s.map_size);
	store_close(st);
}

/* Read-only opens, value modes and a foreign schema. */
static void
test_modes(const char *dir)
{
	struct store_config	 cfg;
	struct store		*st;
	struct presence		 p;
	struct fault		 f;
	char			 missing[PATH_MAX + 16], id[GUID_LEN + 1];

	store_config_init(&cfg);
	cfg.path = dir;
	cfg.value_mode = PRESENCE_MODE_GRAPH;
	is_int(store_open(&st, &cfg), 0, "open in graph mode");
	is_int(store_value_mode(st), PRESENCE_MODE_GRAPH, "the mode is graph");
	memset(&p, 0, sizeof p);
	strcpy(p.availability, "Availability value");
	strcpy(p.activity, "Activity value");
	is_int(store_create(st, &p, &f), STORE_EINVAL,
	    "graph mode refuses free text");
	strcpy(p.availability, "Busy");
	strcpy(p.activity, "InACall");
	p.id[0] = '\0';
	is_int(store_create(st, &p, &f), 0, "and takes Graph's values");
	strcpy(id, p.id);
	store_close(st);

	cfg.value_mode = -1;
	cfg.read_only = 1;
	is_int(store_open(&st, &cfg), 0, "open read-only");
	is_int(store_value_mode(st), PRESENCE_MODE_GRAPH,
	    "the stored mode is kept");
	p.id[0] = '\0';
	is_int(store_create(st, &p, &f), STORE_EROFS, "writes are refused");
	is_int(store_get(st, id, &p), 0, "reads work");
	store_close(st);

	snprintf(missing, sizeof missing, "%s/missing", dir);
	cfg.path = missing;
	is_int(store_open(&st, &cfg), STORE_ENOENT,
	    "read-only open of a missing database fails");
}

#define WRITERS		8
#define WRITES_EACH	50

/* What one writer thread does and what it saw. */
struct writer {
	struct store	*st;
	int		 index;
	int		 created;	/* its own ids stored */
	int		 same_created;	/* the shared id: 1 if it won */
	int		 same_exists;	/* the shared id: 1 if refused as taken */
	int		 failures;
};

/* Create WRITES_EACH presences of its own, then race for a shared id. */
static void *
writer_run(void *arg)
{
	struct writer	*w = arg;
	struct presence	 p;
	char		 id[GUID_LEN + 1];
	int		 i, rc;

	for (i = 0; i < WRITES_EACH; i++) {
		snprintf(id, sizeof id, "20000000-0000-4000-8000-%06d%06d",
		    w->index, i);
		if (create(w->st, id, "Busy", &p) == 0)
			w->created++;
		else
			w->failures++;
	}
	rc = create(w->st, "30000000-0000-4000-8000-000000000000", "Away", &p);
	w->same_created = rc == 0;
	w->same_exists = rc == STORE_EEXIST;
	return NULL;
}

/* Writes from several threads are grouped into fewer commits. */
static void
test_group_commit(const char *dir)
{
	struct store	*st = open_small(dir, 64 << 10, 64 << 20);
	struct writer	 w[WRITERS];
	pthread_t	 tid[WRITERS];
	struct store_stat s0, s1;
	int		 i, created = 0, won = 0, refused = 0, failures = 0;

	store_stat(st, &s0);
	for (i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){ .st = st, .index = i };
		if (pthread_create(&tid[i], NULL, writer_run, &w[i]) != 0)
			tap_bail("cannot start a writer thread");
	}
	for (i = 0; i < WRITERS; i++) {
		pthread_join(tid[i], NULL);
		created += w[i].created;
		won += w[i].same_created;
		refused += w[i].same_exists;
		failures += w[i].failures;
	}
	store_stat(st, &s1);
	is_int(created, WRITERS * WRITES_EACH,
	    "%d threads' creates all succeed", WRITERS);
	is_int(failures, 0, "none fails");
	is_int(won, 1, "one thread wins the shared id");
	is_int(refused, WRITERS - 1, "every other is told it exists");
	is_int(s1.count, WRITERS * WRITES_EACH + 1, "every acknowledged write "
	    "is stored");
	ok(s1.txn_id - s0.txn_id < (uint64_t)(WRITERS * WRITES_EACH) / 2,
	    "in fewer than half as many commits as writes (%llu for %d)",
	    (unsigned long long)(s1.txn_id - s0.txn_id),
	    WRITERS * WRITES_EACH + WRITERS);
	ok(s1.map_size > s0.map_size, "growing the map on the way");
	store_close(st);
}

/* A source of generated presences for bulk loads. */
struct source {
	size_t	pos, total;
	size_t	bad;		/* 1-based index of an invalid one, or 0 */
	int	rewinds;
};

/* Fill p with the pos-th generated presence. */
static int
source_next(void *arg, struct presence *p)
{
	struct source	*src = arg;

	if (src->pos == src->total)
		return 0;
	memset(p, 0, sizeof *p);
	snprintf(p->id, sizeof p->id, "10000000-0000-4000-8000-%012zu",
	    src->pos);
	snprintf(p->availability, sizeof p->availability, "Busy");
	snprintf(p->activity, sizeof p->activity,
	    src->pos + 1 == src->bad ? "" : "InACall");
	p->created = 1000;
	p->modified = 2000;
	p->sequence = (100 + src->pos) * S;
	src->pos++;
	return 1;
}

/* Go back to the first presence of the batch to run again. */
static int
source_rewind(void *arg, size_t done)
{
	struct source	*src = arg;

	src->pos = done;
	src->rewinds++;
	return 0;
}

/* Bulk loads: all or nothing, batches, growth mid-load, stamps kept. */
static void
test_import(const char *dir)
{
	struct store		*st = open_small(dir, 64 << 10, 64 << 20);
	struct source		 src = { .total = 3000, .bad = 2500 };
	struct store_import	 imp = {
		.next = source_next, .rewind = source_rewind, .arg = &src
	};
	struct store_stat	 s;
	struct presence		 p, q;
	char			 sub[PATH_MAX + 16];

	is_int(store_import(st, &imp), STORE_EINVAL,
	    "a load with one invalid presence fails");
	is_str(imp.id, "10000000-0000-4000-8000-000000002499", "naming it");
	is_str(imp.fault.property, "activity", "and why");
	store_stat(st, &s);
	is_int(s.count, 0, "and writes nothing when all or nothing");

	src = (struct source){ .total = 3000 };
	is_int(store_import(st, &imp), 0, "a valid load succeeds");
	is_int(imp.done, 3000, "with every presence");
	ok(src.rewinds > 0, "after the map grew mid-load (%d rewinds)",
	    src.rewinds);
	is_int(store_get(st, "10000000-0000-4000-8000-000000000007", &q), 0,
	    "a loaded presence reads back");
	ok(q.created == 1000 && q.modified == 2000 && q.sequence == 107 * S,
	    "with its stamps kept");
	create(st, "", "Available", &p);
	is_int(p.sequence, (100 + 2999 + 1) * S,
	    "new writes continue the sequence");

	src = (struct source){ .total = 10 };
	imp.batch = 4;
	is_int(store_import(st, &imp), STORE_EEXIST,
	    "loading existing ids fails");
	ok(strstr(imp.fault.message, "already exists") != NULL,
	    "saying so: %s", imp.fault.message);
	store_close(st);

	/* Batches of 500 into a tiny map: growth rewinds to a batch start. */
	snprintf(sub, sizeof sub, "%s/batched", dir);
	st = open_small(sub, 64 << 10, 64 << 20);
	src = (struct source){ .total = 3000, .bad = 2800 };
	imp.batch = 500;
	is_int(store_import(st, &imp), STORE_EINVAL,
	    "a batched load stops at the invalid presence");
	is_int(imp.done, 2500, "after committing the batches before it");
	ok(src.rewinds > 0, "growing the map on the way (%d rewinds)",
	    src.rewinds);
	store_stat(st, &s);
	is_int(s.count, 2500, "exactly those are stored");
	is_int(store_get(st, "10000000-0000-4000-8000-000000002499", &q), 0,
	    "the last of them reads back");
	store_close(st);
}

/* A source of given presences for bulk loads. */
struct rows {
	struct presence	*p;
	size_t		 pos, n;
};

/* Hand out the next given presence. */
static int
rows_next(void *arg, struct presence *p)
{
	struct rows	*r = arg;

	if (r->pos == r->n)
		return 0;
	*p = r->p[r->pos++];
	return 1;
}

/* Go back to presence number done. */
static int
rows_rewind(void *arg, size_t done)
{
	((struct rows *)arg)->pos = done;
	return 0;
}

/* Fill p with presence number i of the load tests, carrying seq. */
static void
row(struct presence *p, unsigned i, uint64_t seq)
{
	memset(p, 0, sizeof *p);
	snprintf(p->id, sizeof p->id, "20000000-0000-4000-8000-%012u", i);
	snprintf(p->availability, sizeof p->availability, "Busy");
	snprintf(p->activity, sizeof p->activity, "InACall");
	p->created = 1000 + i;
	p->modified = 2000 + i;
	p->sequence = seq;
}

/* Load n given presences in batches of batch; store_import's result. */
static int
load(struct store *st, struct presence *p, size_t n, size_t batch,
    int skip_same, struct store_import *imp)
{
	static struct rows	r;

	r = (struct rows){ p, 0, n };
	memset(imp, 0, sizeof *imp);
	imp->next = rows_next;
	imp->rewind = rows_rewind;
	imp->arg = &r;
	imp->batch = batch;
	imp->skip_same = skip_same;
	return store_import(st, imp);
}

/* The number stored for presence number i of the load tests, or 0. */
static uint64_t
seq_of(struct store *st, unsigned i)
{
	struct presence	p, q;

	row(&p, i, 0);
	return store_get(st, p.id, &q) == 0 ? q.sequence : 0;
}

/* Order sequence numbers. */
static int
seq_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* How many stored presences share a number with another; *top the largest. */
static size_t
seq_duplicates(struct store *st, uint64_t *top)
{
	static struct presence	rows[4096];
	uint64_t		seqs[4096];
	size_t			n, i, dup = 0;
	int			more;

	if (store_page(st, "", 0, rows, 4096, &n, &more) != 0 || more)
		tap_bail("cannot read every presence back");
	for (i = 0; i < n; i++)
		seqs[i] = rows[i].sequence;
	qsort(seqs, n, sizeof *seqs, seq_cmp);
	for (i = 1; i < n; i++)
		dup += seqs[i] == seqs[i - 1];
	*top = n > 0 ? seqs[n - 1] : 0;
	return dup;
}

/*
 * Sequence numbers of bulk loads: kept only when a one-transaction load's
 * are all above what is stored and distinct; otherwise given anew in load
 * order above every number stored, never shared.
 */
static void
test_import_sequence(const char *dir)
{
	struct store		*st = open_small(dir, 1 << 20, 1 << 24);
	struct store_import	 imp;
	struct presence		 rows[20], p;
	uint64_t		 top, prev;
	unsigned		 i;
	int			 rising;

	is_int(load(st, rows, 0, 0, 0, &imp), 0, "an empty load succeeds");
	ok(imp.done == 0 && !imp.renumbered, "and does nothing");
	for (i = 0; i < 5; i++)
		create(st, "", "Available", &p);
	/* An export of another database: numbers 1 to 10, in the way. */
	for (i = 0; i < 10; i++)
		row(&rows[i], i, 1 + i);
	is_int(load(st, rows, 10, 0, 0, &imp), 0,
	    "lower numbers load into a live database");
	ok(imp.renumbered, "with new numbers");
	is_int(seq_duplicates(st, &top), 0, "no number is shared");
	for (i = 0, rising = 1, prev = 5; i < 10; prev = seq_of(st, i), i++)
		rising &= seq_of(st, i) > prev;
	ok(rising, "each above every number stored before, in load order");
	create(st, "", "Available", &p);
	is_int(p.sequence, 16 * S, "a create after it takes the next number");

	/* Above the counter and distinct, but not steps: given anew. */
	for (i = 0; i < 3; i++)
		row(&rows[i], 50 + i, 90 * S + 1 + i);
	is_int(load(st, rows, 3, 0, 0, &imp), 0, "numbers between steps load");
	ok(imp.renumbered && seq_of(st, 50) == 17 * S &&
	    seq_of(st, 52) == 19 * S, "with new numbers, in steps");

	/* Numbers above the counter, distinct: kept. */
	for (i = 0; i < 3; i++)
		row(&rows[i], 10 + i, (100 - i) * S);
	is_int(load(st, rows, 3, 0, 0, &imp), 0, "higher numbers load");
	ok(!imp.renumbered && seq_of(st, 10) == 100 * S &&
	    seq_of(st, 12) == 98 * S,
	    "and are kept in one transaction");
	/* The export's next lines after a create took 101: given anew. */
	create(st, "", "Available", &p);
	for (i = 0; i < 3; i++)
		row(&rows[i], 13 + i, (101 + i) * S);
	is_int(load(st, rows, 3, 0, 0, &imp), 0, "a create between two loads");
	ok(imp.renumbered && seq_of(st, 13) == 102 * S &&
	    seq_of(st, 15) == 104 * S,
	    "does not make the second reuse its number");

	/* In batches every batch is a change of its own: always new numbers. */
	for (i = 0; i < 10; i++)
		row(&rows[i], 20 + i, (1000 - i) * S);
	is_int(load(st, rows, 10, 3, 0, &imp), 0, "a batched load");
	for (i = 0, rising = 1, prev = 104 * S; i < 10;
	    prev = seq_of(st, 20 + i), i++)
		rising &= seq_of(st, 20 + i) == prev + S;
	ok(imp.renumbered && rising,
	    "numbers its presences in load order, above the counter");

	/* The same number twice in one load (a damaged export). */
	for (i = 0; i < 3; i++)
		row(&rows[i], 40 + i, (5000 + i / 2) * S);
	is_int(load(st, rows, 3, 0, 0, &imp), 0, "a load repeating a number");
	ok(imp.renumbered && seq_of(st, 40) == 115 * S &&
	    seq_of(st, 42) == 117 * S,
	    "is given new numbers");
	row(&rows[0], 43, UINT64_MAX);
	is_int(load(st, rows, 1, 0, 0, &imp), 0, "a load of the last number");
	ok(imp.renumbered && seq_of(st, 43) == 118 * S,
	    "does not keep it: the counter would run out");
	is_int(seq_duplicates(st, &top), 0, "no number is shared at the end");
	create(st, "", "Available", &p);
	ok(p.sequence > top, "and a create is above them all (%llu > %llu)",
	    (unsigned long long)p.sequence, (unsigned long long)top);
	store_close(st);
}

/* Loads of create requests, and resuming a load. */
static void
test_import_resume(const char *dir)
{
	struct store		*st = open_small(dir, 1 << 20, 1 << 24);
	struct store_import	 imp;
	struct store_stat	 s;
	struct presence		 rows[20], q;
	int64_t			 t0 = (int64_t)time(NULL) * 1000;
	size_t			 n;
	int			 more;
	unsigned		 i;

	/* A create request: no id, no times, no number. */
	memset(&rows[0], 0, sizeof rows[0]);
	snprintf(rows[0].availability, sizeof rows[0].availability, "Away");
	snprintf(rows[0].activity, sizeof rows[0].activity, "Away");
	is_int(load(st, rows, 1, 0, 0, &imp), 0, "a create request loads");
	is_int(store_page(st, "", 0, &q, 1, &n, &more), 0, "and reads back");
	ok(n == 1 && guid_is_canonical(q.id) && q.id[14] == '4',
	    "with a fresh version 4 id: %s", q.id);
	ok(q.created >= t0 && q.created == q.modified,
	    "stamped with the load's time");
	is_int(q.sequence, S, "and the next number");
	row(&rows[0], 0, 0);
	rows[0].modified = 0;
	is_int(load(st, rows, 1, 0, 0, &imp), STORE_EINVAL,
	    "one time without the other is refused");
	is_str(imp.fault.property, "lastModifiedDateTime", "naming the missing");

	for (i = 0; i < 10; i++)
		row(&rows[i], i, 0);
	is_int(load(st, rows, 6, 0, 0, &imp), 0, "six of ten load");
	is_int(load(st, rows, 10, 4, 0, &imp), STORE_EEXIST,
	    "loading them all again is refused");
	is_int(load(st, rows, 10, 4, 1, &imp), 0, "but resumes with skip_same");
	ok(imp.done == 10 && imp.skipped == 6,
	    "skipping the six already there (%zu of %zu)", imp.skipped,
	    imp.done);
	ok(seq_of(st, 6) == 8 * S && seq_of(st, 9) == 11 * S,
	    "the others take the next numbers");
	store_stat(st, &s);
	is_int(s.count, 11, "nothing is doubled");

	/* Same content: values, and times when given; not the number. */
	row(&rows[10], 3, 777);
	row(&rows[11], 4, 0);
	rows[11].created = rows[11].modified = 0;
	is_int(load(st, rows + 10, 2, 0, 1, &imp), 0,
	    "another number, or no times, is the same content");
	row(&rows[12], 5, 0);
	snprintf(rows[12].activity, sizeof rows[12].activity, "Away");
	row(&rows[13], 30, 0);
	is_int(load(st, rows + 13, 1, 0, 0, &imp), 0, "one more");
	is_int(load(st, rows + 12, 2, 0, 1, &imp), STORE_EEXIST,
	    "a different activity is refused");
	is_str(imp.id, rows[12].id, "naming the presence");
	ok(strstr(imp.fault.message, "different 'activity'") != NULL,
	    "and the property: %s", imp.fault.message);
	row(&rows[12], 5, 0);
	rows[12].created++;
	is_int(load(st, rows + 12, 1, 0, 1, &imp), STORE_EEXIST,
	    "so is a different time");
	is_str(imp.fault.property, "createdDateTime", "naming it");
	memset(&rows[14], 0, sizeof rows[14]);
	snprintf(rows[14].availability, sizeof rows[14].availability, "Away");
	snprintf(rows[14].activity, sizeof rows[14].activity, "Away");
	is_int(load(st, rows + 14, 1, 0, 1, &imp), STORE_EINVAL,
	    "a presence without an id cannot be resumed");
	store_stat(st, &s);
	is_int(s.count, 12, "and none of the refused loads wrote anything");
	store_close(st);
}

/* The configuration's text forms and environment. */
static void
test_config(void)
{
	struct store_config	 cfg;
	const char		*bad = NULL;

	store_config_init(&cfg);
	is_int(store_config_set(&cfg, "map-size", "2M"), 0, "map-size 2M");
	is_int(cfg.map_size, 2 << 20, "is two MiB");
	is_int(store_config_set(&cfg, "map-max", "1GiB"), 0, "map-max 1GiB");
	is_int(cfg.map_max, 1 << 30, "is one GiB");
	is_int(store_config_set(&cfg, "map-size", "12Q"), STORE_EINVAL,
	    "a bad suffix is refused");
	is_int(store_config_set(&cfg, "map-size", "-1"), STORE_EINVAL,
	    "a negative size is refused");
	is_int(store_config_set(&cfg, "durability", "nosync"), 0, "nosync");
	is_int(cfg.durability, STORE_NOSYNC, "is set");
	is_int(store_config_set(&cfg, "colour", "blue"), STORE_EINVAL,
	    "an unknown key is refused");
	setenv("PRESENCE_DB", "/tmp/x", 1);
	setenv("PRESENCE_VALUE_MODE", "sometimes", 1);
	is_int(store_config_env(&cfg, &bad), STORE_EINVAL,
	    "a bad environment value is refused");
	is_str(bad, "PRESENCE_VALUE_MODE", "naming the variable");
	is_str(cfg.path, "/tmp/x", "PRESENCE_DB was applied");
	unsetenv("PRESENCE_VALUE_MODE");
	unsetenv("PRESENCE_DB");
}

int
main(void)
{
	char	dir[PATH_MAX];

	test_config();
	tmpdir_make("store-crud", dir);
	test_crud(dir);
	tmpdir_remove(dir);
	tmpdir_make("store-paging", dir);
	test_paging(dir);
	tmpdir_remove(dir);
	tmpdir_make("store-full", dir);
	test_map_full(dir);
	tmpdir_remove(dir);
	tmpdir_make("store-adopt", dir);
	test_map_adopt(dir);
	tmpdir_remove(dir);
	tmpdir_make("store-group", dir);
	test_group_commit(dir);
	tmpdir_remove(dir);
	tmpdir_make("store-import", dir);
	test_import(dir);
	tmpdir_remove(dir);
	tmpdir_make("store-import-seq", dir);
	test_import_sequence(dir);
	tmpdir_remove(dir);
	tmpdir_make("store-import-resume", dir);
	test_import_resume(dir);
	tmpdir_remove(dir);
	tmpdir_make("store-modes", dir);
	test_modes(dir);
	tmpdir_remove(dir);
	return tap_done();
}
