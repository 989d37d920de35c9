/* The store's LMDB layer: transactions, group commit, map growth, meta. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <string.h>

#include "db.h"
#include "error.h"

/* One write waiting for its batch's commit, on its caller's stack. */
struct store_op {
	store_write_fn	 fn;
	void		*arg;
	int		 rc;
	int		 done;		/* rc is final */
	sem_t		 wake;		/* posted once: done, or lead */
	struct store_op	*next;
};

#define STORE_BATCH_MAX	1024	/* writes in one commit at most */

/* Translate an LMDB or errno code into the storage vocabulary. */
int
store_err(int rc)
{
	switch (rc) {
	case 0:			return STORE_OK;
	case MDB_NOTFOUND:	return STORE_ENOTFOUND;
	case MDB_KEYEXIST:	return STORE_EEXIST;
	case MDB_MAP_FULL:	return STORE_EFULL;
	case MDB_READERS_FULL:	return STORE_EBUSY;
	case MDB_PANIC:		return STORE_EPANIC;
	case MDB_CORRUPTED:
	case MDB_PAGE_NOTFOUND:	return STORE_ECORRUPT;
	case MDB_VERSION_MISMATCH: return STORE_EVERSION;
	case MDB_INVALID:	return STORE_EBADMETA;
	case ENOMEM:		return STORE_ENOMEM;
	case EACCES:
	case EPERM:		return STORE_EACCES;
	case EROFS:		return STORE_EFSRDONLY;
	case ENOENT:		return STORE_ENOENT;
	case ENOTDIR:		return STORE_ENOTDIR;
	case EIO:
	case ENOSPC:
	case EDQUOT:		return STORE_EIO;
	default:		return STORE_EINTERNAL;
	}
}

/* Make the map size at least what the environment now holds. */
static int
store_adopt_map(struct store *st)
{
	int	rc;

	pthread_rwlock_wrlock(&st->resize);
	rc = mdb_env_set_mapsize(st->env, 0);
	pthread_rwlock_unlock(&st->resize);
	return store_err(rc);
}

/*
 * Begin a transaction holding st->resize shared, adopting a map grown by
 * another process and clearing stale reader slots when they run out.
 */
int
store_begin(struct store *st, int write, MDB_txn **txn)
{
	int	rc, attempt, dead;

	for (attempt = 0; attempt < 4; attempt++) {
		pthread_rwlock_rdlock(&st->resize);
		rc = mdb_txn_begin(st->env, NULL, write ? 0 : MDB_RDONLY, txn);
		if (rc == 0)
			return 0;
		pthread_rwlock_unlock(&st->resize);
		if (rc == MDB_MAP_RESIZED) {
			if ((rc = store_adopt_map(st)) != 0)
				return rc;
		} else if (rc == MDB_READERS_FULL && attempt == 0)
			mdb_reader_check(st->env, &dead);
		else
			break;
	}
	return store_err(rc);
}

/* Abort a transaction begun by store_begin. */
void
store_abort(struct store *st, MDB_txn *txn)
{
	mdb_txn_abort(txn);
	pthread_rwlock_unlock(&st->resize);
}

/*
 * Commit a transaction begun by store_begin; 0 only once it is durable.
 * A write is not committed, or not acknowledged, when lock.mdb is no
 * longer the file the environment locks with: processes that opened the
 * database since then lock another file, so their writes and this one
 * may overwrite each other (STORE_ELOCKGONE).
 */
int
store_commit(struct store *st, MDB_txn *txn)
{
	int	rc;

	if (!st->read_only &&
	    (rc = dbfile_lock_check(st->path, &st->lock)) != 0) {
		store_abort(st, txn);
		return rc;
	}
	rc = store_err(mdb_txn_commit(txn));
	pthread_rwlock_unlock(&st->resize);
	if (rc == 0 && !st->read_only)
		rc = dbfile_lock_check(st->path, &st->lock);
	return rc;
}

/* Double the map, up to map_max; 0 or STORE_EFULL at the limit. */
static int
store_grow(struct store *st)
{
	MDB_envinfo	info;
	size_t		size;
	int		rc;

	pthread_rwlock_wrlock(&st->resize);
	mdb_env_info(st->env, &info);
	size = info.me_mapsize;
	if (size >= st->map_max) {
		rc = STORE_EFULL;
		goto unlock;
	}
	size = size > st->map_max / 2 ? st->map_max : size * 2;
	rc = store_err(mdb_env_set_mapsize(st->env, size));
unlock:
	pthread_rwlock_unlock(&st->resize);
	return rc;
}

/*
 * Run fn in a write transaction of its own and commit it, growing the map
 * and running fn again when the map is full.
 */
int
store_write_alone(struct store *st, store_write_fn fn, void *arg)
{
	MDB_txn	*txn;
	int	 rc;

	for (;;) {
		if ((rc = store_begin(st, 1, &txn)) != 0)
			return rc;
		if ((rc = fn(st, txn, arg)) == 0)
			rc = store_commit(st, txn);
		else
			store_abort(st, txn);
		if (rc != STORE_EFULL)
			return rc;
		if ((rc = store_grow(st)) != 0)
			return rc;
	}
}

/*
 * Run one write of a batch in a nested transaction, so that its failure
 * undoes only its own changes.
 */
static int
store_batch_one(struct store *st, MDB_txn *parent, struct store_op *op)
{
	MDB_txn	*child;
	int	 rc;

	if ((rc = mdb_txn_begin(st->env, parent, 0, &child)) != 0)
		return store_err(rc);
	if ((rc = op->fn(st, child, op->arg)) == 0)
		return store_err(mdb_txn_commit(child));
	mdb_txn_abort(child);
	return rc;
}

/*
 * Apply a batch of writes in one transaction and one durable commit; each
 * write gets its own result.  When the map fills, the whole batch runs
 * again on a grown map, or, at the limit, each write alone.
 */
static void
store_batch(struct store *st, struct store_op *batch)
{
	struct store_op	*op;
	MDB_txn		*txn;
	int		 rc, full;

	for (;;) {
		if ((rc = store_begin(st, 1, &txn)) != 0)
			goto fail_all;
		for (full = 0, op = batch; op != NULL && !full; op = op->next)
			full = (op->rc = store_batch_one(st, txn, op)) ==
			    STORE_EFULL;
		if (full) {
			store_abort(st, txn);
			rc = STORE_EFULL;
		} else
			rc = store_commit(st, txn);
		if (rc == 0)
			return;
		if (rc != STORE_EFULL)
			goto fail_all;
		if (store_grow(st) != 0)
			break;
	}
	for (op = batch; op != NULL; op = op->next)
		op->rc = store_write_alone(st, op->fn, op->arg);
	return;

fail_all:
	for (op = batch; op != NULL; op = op->next)
		op->rc = rc;		/* nothing was committed */
}

/* Take up to STORE_BATCH_MAX queued writes; called with group_lock held. */
static struct store_op *
store_take_batch(struct store *st)
{
	struct store_op	*batch = st->queue, *op = batch;
	size_t		 n = 1;

	while (op->next != NULL && n < STORE_BATCH_MAX) {
		op = op->next;
		n++;
	}
	st->queue = op->next;
	if (st->queue == NULL)
		st->queue_tail = &st->queue;
	op->next = NULL;
	return batch;
}

/*
 * Run fn in a write transaction and acknowledge it only once committed.
 * Writes from several threads are grouped.  One thread at a time leads:
 * it takes every write queued so far (its own first) and commits them
 * together, so one durable sync serves them all, then hands the lead to
 * the first write queued meanwhile and wakes each write of its batch.
 * Every waiting thread is woken once, by its own semaphore: when its
 * write is done, or when it leads.  A lone write leads at once.  Nothing
 * of a write is kept unless 0 is returned.
 */
int
store_write(struct store *st, store_write_fn fn, void *arg)
{
	struct store_op	 op, *batch, *o, *next, *lead;

	if (st->read_only)
		return STORE_EROFS;
	memset(&op, 0, sizeof op);
	op.fn = fn;
	op.arg = arg;
	sem_init(&op.wake, 0, 0);
	pthread_mutex_lock(&st->group_lock);
	*st->queue_tail = &op;
	st->queue_tail = &op.next;
	lead = st->committing ? NULL : &op;
	st->committing = 1;
	pthread_mutex_unlock(&st->group_lock);
	if (lead == NULL) {
		while (sem_wait(&op.wake) != 0)
			continue;	/* EINTR */
		if (op.done)
			goto out;
	}
	/* Leading: no one else takes from the queue, and op is its head. */
	pthread_mutex_lock(&st->group_lock);
	batch = store_take_batch(st);
	pthread_mutex_unlock(&st->group_lock);
	store_batch(st, batch);
	pthread_mutex_lock(&st->group_lock);
	if ((lead = st->queue) == NULL)
		st->committing = 0;
	pthread_mutex_unlock(&st->group_lock);
	if (lead != NULL)
		sem_post(&lead->wake);
	for (o = batch; o != NULL; o = next) {
		next = o->next;		/* o is gone once posted */
		if (o != &op) {
			o->done = 1;
			sem_post(&o->wake);
		}
	}
out:
	sem_destroy(&op.wake);
	return op.rc;
}

/* Read a little-endian integer meta value; *v is 0 when it is absent. */
int
store_meta_get(struct store *st, MDB_txn *txn, const char *name, uint64_t *v)
{
	MDB_val		 key = { strlen(name), (void *)name }, val;
	const uint8_t	*p;
	size_t		 i;
	int		 rc;

	*v = 0;
	rc = mdb_get(txn, st->meta, &key, &val);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return store_err(rc);
	if (val.mv_size != 8)
		return STORE_ECORRUPT;
	for (i = 0, p = val.mv_data; i < 8; i++)
		*v |= (uint64_t)p[i] << (8 * i);
	return 0;
}

/* Write a little-endian integer meta value. */
int
store_meta_put(struct store *st, MDB_txn *txn, const char *name, uint64_t v)
{
	MDB_val	key = { strlen(name), (void *)name }, val;
	uint8_t	buf[8];
	size_t	i;

	for (i = 0; i < 8; i++)
		buf[i] = (uint8_t)(v >> (8 * i));
	val.mv_size = sizeof buf;
	val.mv_data = buf;
	return store_err(mdb_put(txn, st->meta, &key, &val, 0));
}

/* Read the database's value mode from meta ("any" when absent). */
int
store_mode_get(struct store *st, MDB_txn *txn, enum presence_mode *mode)
{
	MDB_val	key = { 10, "value-mode" }, val;
	int	rc;

	*mode = PRESENCE_MODE_ANY;
	rc = mdb_get(txn, st->meta, &key, &val);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return store_err(rc);
	if (val.mv_size == 5 && memcmp(val.mv_data, "graph", 5) == 0)
		*mode = PRESENCE_MODE_GRAPH;
	else if (val.mv_size != 3 || memcmp(val.mv_data, "any", 3) != 0)
		return STORE_ECORRUPT;
	return 0;
}

/* Write the database's value mode into meta. */
int
store_mode_put(struct store *st, MDB_txn *txn, enum presence_mode mode)
{
	const char	*name = presence_mode_name(mode);
	MDB_val		 key = { 10, "value-mode" };
	MDB_val		 val = { strlen(name), (void *)name };

	return store_err(mdb_put(txn, st->meta, &key, &val, 0));
}

/* Position c at the first row of a page; MDB_NOTFOUND when there is none. */
int
store_page_start(MDB_cursor *c, const char *from, int backward, MDB_val *key,
    MDB_val *val)
{
	size_t	len = from != NULL ? strlen(from) : 0;
	int	rc;

	if (len == 0)
		return mdb_cursor_get(c, key, val, backward ? MDB_LAST : MDB_FIRST);
	key->mv_size = len;
	key->mv_data = (void *)from;
	rc = mdb_cursor_get(c, key, val, MDB_SET_RANGE);
	if (backward)
		return mdb_cursor_get(c, key, val,
		    rc == MDB_NOTFOUND ? MDB_LAST : MDB_PREV);
	if (rc == 0 && key->mv_size == len && memcmp(key->mv_data, from, len) == 0)
		rc = mdb_cursor_get(c, key, val, MDB_NEXT);
	return rc;
}
