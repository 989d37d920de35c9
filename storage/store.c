/*
 * The presence store over LMDB: the only code that includes <lmdb.h>.
 *
 * Every call runs in its own short transaction.  Transactions hold
 * st->resize shared; changing the map size (growing it, or adopting a size
 * another process grew it to) holds it exclusively, as LMDB requires that
 * no transaction of this process is active then.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lmdb.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "base64.h"
#include "dbfile.h"
#include "error.h"
#include "guid.h"
#include "random.h"
#include "record.h"
#include "store.h"

#define STORE_SCHEMA	1u	/* the layout of the named databases */
#define STORE_KEY_MAX	64	/* longest key a page may start from */

struct store {
	MDB_env			*env;
	MDB_dbi			 presences;	/* id -> record */
	MDB_dbi			 meta;		/* schema, sequence, value-mode */
	MDB_dbi			 tokens;	/* SHA-256 of secret -> token */
	MDB_dbi			 token_names;	/* name -> SHA-256 of secret */
	int			 has_tokens;	/* an old database opened
						   read-only may lack them */
	EVP_MD			*sha256;	/* fetched once, at open */
	pthread_rwlock_t	 resize;
	pthread_mutex_t		 group_lock;	/* guards the fields below */
	struct store_op		*queue;		/* writes waiting for a batch */
	struct store_op		**queue_tail;
	int			 committing;	/* a thread leads: it runs a
						   batch, or will */
	char			 path[PATH_MAX];
	size_t			 map_max;
	int			 read_only;
	enum presence_mode	 mode;
	int			 created;	/* data.mdb was missing or
						   empty at open */
	struct dbfile_lock	 lock;		/* lock.mdb as opened */
};

/* What a write transaction runs; returns 0 or a STORE_E* code. */
typedef int (*store_write_fn)(struct store *, MDB_txn *, void *);

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
static int
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
static int
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
static void
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
static int
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
static int
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
static int
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
static int
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
static int
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
static int
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
static int
store_mode_put(struct store *st, MDB_txn *txn, enum presence_mode mode)
{
	const char	*name = presence_mode_name(mode);
	MDB_val		 key = { 10, "value-mode" };
	MDB_val		 val = { strlen(name), (void *)name };

	return store_err(mdb_put(txn, st->meta, &key, &val, 0));
}

/* What opening asks of the first transaction. */
struct store_init {
	int	value_mode;	/* enum presence_mode, or -1: keep */
};

/* Open the named databases, check the schema and settle the value mode. */
static int
store_init_txn(struct store *st, MDB_txn *txn, void *arg)
{
	const struct store_init	*init = arg;
	unsigned		 flags = st->read_only ? 0 : MDB_CREATE;
	enum presence_mode	 mode;
	uint64_t		 schema;
	int			 rc;

	if ((rc = mdb_dbi_open(txn, "presences", flags, &st->presences)) != 0 ||
	    (rc = mdb_dbi_open(txn, "meta", flags, &st->meta)) != 0)
		return rc == MDB_NOTFOUND ? STORE_ENOENT : store_err(rc);
	rc = mdb_dbi_open(txn, "tokens", flags, &st->tokens);
	if (rc == 0)
		rc = mdb_dbi_open(txn, "token-names", flags, &st->token_names);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_err(rc);
	st->has_tokens = rc == 0;
	if ((rc = store_meta_get(st, txn, "schema", &schema)) != 0)
		return rc;
	if (schema == 0 && !st->read_only)
		rc = store_meta_put(st, txn, "schema", STORE_SCHEMA);
	else if (schema != STORE_SCHEMA)
		rc = STORE_EVERSION;
	if (rc != 0 || (rc = store_mode_get(st, txn, &mode)) != 0)
		return rc;
	if (init->value_mode >= 0 && init->value_mode != (int)mode &&
	    !st->read_only) {
		mode = (enum presence_mode)init->value_mode;
		rc = store_mode_put(st, txn, mode);
	}
	st->mode = mode;
	return rc;
}

/* Run the first transaction: a write one, or a read one when read-only. */
static int
store_init(struct store *st, const struct store_config *cfg)
{
	struct store_init	 init = { cfg->value_mode };
	MDB_txn			*txn;
	int			 rc;

	if (!st->read_only)
		return store_write_alone(st, store_init_txn, &init);
	if ((rc = store_begin(st, 0, &txn)) != 0)
		return rc;
	/* Commit even a read transaction: aborting would close the handles. */
	if ((rc = store_init_txn(st, txn, &init)) != 0) {
		store_abort(st, txn);
		return rc;
	}
	return store_commit(st, txn);
}

/* Create the LMDB environment handle with cfg's limits and flags. */
static int
store_env_open(struct store *st, const struct store_config *cfg)
{
	MDB_envinfo	info;
	unsigned	flags = MDB_NOTLS;
	int		rc, dead;

	if (cfg->read_only)
		flags |= MDB_RDONLY;
	if (cfg->durability == STORE_NOSYNC)
		flags |= MDB_NOSYNC;
	if ((rc = mdb_env_create(&st->env)) != 0)
		return store_err(rc);
	/* A new environment starts at map_size; an old one keeps its own. */
	if (st->created && (rc = mdb_env_set_mapsize(st->env, cfg->map_size)) != 0)
		return store_err(rc);
	if ((rc = mdb_env_set_maxdbs(st->env, 8)) != 0 ||
	    (rc = mdb_env_set_maxreaders(st->env, cfg->max_readers)) != 0 ||
	    (rc = mdb_env_open(st->env, st->path, flags, 0660)) != 0)
		return store_err(rc);
	if (!cfg->read_only && (rc = dbfile_lock_get(st->path, &st->lock)) != 0)
		return rc;
	mdb_reader_check(st->env, &dead);
	/* Never shrink a map that grew, but honour a larger map_size. */
	mdb_env_info(st->env, &info);
	if (info.me_mapsize < cfg->map_size && !cfg->read_only)
		rc = mdb_env_set_mapsize(st->env, cfg->map_size);
	return store_err(rc);
}

/* Open the environment at cfg->path. */
int
store_open(struct store **out, const struct store_config *cfg)
{
	pthread_rwlockattr_t	 attr;
	struct store		*st;
	int			 rc;

	if (cfg->path == NULL || strlen(cfg->path) >= sizeof st->path ||
	    cfg->map_size == 0 || cfg->map_max < cfg->map_size)
		return STORE_EINVAL;
	if ((st = calloc(1, sizeof *st)) == NULL)
		return STORE_ENOMEM;
	snprintf(st->path, sizeof st->path, "%s", cfg->path);
	st->map_max = cfg->map_max;
	st->read_only = cfg->read_only;
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr,
	    PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&st->resize, &attr);
	pthread_rwlockattr_destroy(&attr);
	pthread_mutex_init(&st->group_lock, NULL);
	st->queue_tail = &st->queue;
	/*
	 * OpenSSL builds its library context lazily, in the first digest;
	 * doing it here keeps that (and its failures) out of every request.
	 */
	if (OPENSSL_init_crypto(0, NULL) != 1 ||
	    (st->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL) {
		rc = STORE_ENOMEM;
		goto free_store;
	}
	if (!st->read_only && mkdir(st->path, 0770) != 0 && errno != EEXIST) {
		rc = store_err(errno);
		goto free_store;
	}
	/* Refuse a damaged data.mdb before LMDB maps it. */
	if ((rc = dbfile_check(st->path, &st->created)) != 0)
		goto free_store;
	if ((rc = store_env_open(st, cfg)) != 0 ||
	    (rc = store_init(st, cfg)) != 0)
		goto close_env;
	*out = st;
	return 0;

close_env:
	if (st->env != NULL)
		mdb_env_close(st->env);
free_store:
	EVP_MD_free(st->sha256);
	pthread_mutex_destroy(&st->group_lock);
	pthread_rwlock_destroy(&st->resize);
	free(st);
	return rc;
}

/* Close the environment; st may be NULL. */
void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	mdb_env_close(st->env);
	EVP_MD_free(st->sha256);
	pthread_mutex_destroy(&st->group_lock);
	pthread_rwlock_destroy(&st->resize);
	free(st);
}

/* The environment directory, valid while st is open. */
const char *
store_path(const struct store *st)
{
	return st->path;
}

/* Whether this open found data.mdb missing or empty and made a new one. */
int
store_created(const struct store *st)
{
	return st->created && !st->read_only;
}

/* The database's value mode, as read at open. */
enum presence_mode
store_value_mode(const struct store *st)
{
	return st->mode;
}

/* What a create asks of its write transaction. */
struct store_create_op {
	struct presence		*p;
	struct presence_fault	*fault;
};

/* Validate, stamp and insert one new presence. */
static int
store_create_txn(struct store *st, MDB_txn *txn, void *arg)
{
	struct store_create_op	*op = arg;
	struct presence		*p = op->p;
	enum presence_mode	 mode;
	unsigned char		 rec[RECORD_MAX];
	uint64_t		 seq;
	MDB_val			 key, val;
	int			 rc;

	if ((rc = store_mode_get(st, txn, &mode)) != 0 ||
	    (rc = presence_validate(p, mode, op->fault)) != 0 ||
	    (rc = store_meta_get(st, txn, "sequence", &seq)) != 0 ||
	    (rc = store_meta_put(st, txn, "sequence", seq + 1)) != 0)
		return rc;
	p->sequence = seq + 1;
	p->created = p->modified = presence_now();
	key.mv_size = GUID_LEN;
	key.mv_data = p->id;
	val.mv_size = record_encode(p, rec);
	val.mv_data = rec;
	return store_err(mdb_put(txn, st->presences, &key, &val,
	    MDB_NOOVERWRITE));
}

/* Store a new presence; 0 only after the commit returned. */
int
store_create(struct store *st, struct presence *p,
    struct presence_fault *fault)
{
	struct store_create_op	op = { p, fault };
	int			rc;

	if (p->id[0] == '\0' && (rc = guid_generate(p->id)) != 0)
		return rc;
	return store_write(st, store_create_txn, &op);
}

/* Decode the record under key into *out. */
static int
store_decode(const MDB_val *key, const MDB_val *val, struct presence *out)
{
	int	rc;

	memset(out, 0, sizeof *out);
	if (key->mv_size != GUID_LEN)
		return STORE_ECORRUPT;
	if ((rc = record_decode(val->mv_data, val->mv_size, out)) != 0)
		return rc;
	memcpy(out->id, key->mv_data, GUID_LEN);
	out->id[GUID_LEN] = '\0';
	return 0;
}

/* Read the presence with canonical id into *out. */
int
store_get(struct store *st, const char *id, struct presence *out)
{
	MDB_txn	*txn;
	MDB_val	 key = { strlen(id), (void *)id }, val;
	int	 rc;

	if (key.mv_size != GUID_LEN)
		return STORE_ENOTFOUND;
	if ((rc = store_begin(st, 0, &txn)) != 0)
		return rc;
	rc = store_err(mdb_get(txn, st->presences, &key, &val));
	if (rc == 0)
		rc = store_decode(&key, &val, out);
	store_abort(st, txn);
	return rc;
}

/* Delete one presence inside a write transaction. */
static int
store_delete_txn(struct store *st, MDB_txn *txn, void *arg)
{
	MDB_val	key = { GUID_LEN, arg };

	return store_err(mdb_del(txn, st->presences, &key, NULL));
}

/* Delete the presence with canonical id. */
int
store_delete(struct store *st, const char *id)
{
	if (strlen(id) != GUID_LEN)
		return STORE_ENOTFOUND;
	return store_write(st, store_delete_txn, (void *)id);
}

/* One batch of a bulk load, as its write transaction sees it. */
struct store_import_op {
	struct store_import	*imp;
	size_t			 n;		/* presences in this batch */
	size_t			 skipped;	/* of them, already stored */
	int			 tries;		/* runs of this batch */
	int			 end;		/* the source is exhausted */
	int			 keep;		/* keep the numbers carried */
	int64_t			 now;		/* for presences without times */
	uint64_t		 floor;		/* the counter before the batch */
	uint64_t		 seq;		/* the largest number written */
	uint64_t		*kept;		/* the numbers kept so far */
	size_t			 nkept, capkept;
};

/* A load's run that cannot keep its numbers: run it again renumbering. */
#define STORE_IMPORT_RENUMBER	1

/* The largest number a load keeps: room for any count of later writes. */
#define STORE_SEQ_KEEP_MAX	(UINT64_C(1) << 62)

/* Check one presence of a bulk load before it is loaded. */
int
store_import_check(const struct presence *p, enum presence_mode mode,
    int skip_same, struct presence_fault *fault)
{
	if (p->id[0] != '\0' && !guid_is_canonical(p->id)) {
		presence_fault_set(fault, "id", "'id' must be a GUID");
		return STORE_EINVAL;
	}
	if (p->id[0] == '\0' && skip_same) {
		presence_fault_set(fault, "id", "a presence without an 'id' "
		    "cannot be resumed: it would be created again");
		return STORE_EINVAL;
	}
	if ((p->created == 0) != (p->modified == 0)) {
		presence_fault_set(fault, p->created == 0 ? "createdDateTime" :
		    "lastModifiedDateTime", "'createdDateTime' and "
		    "'lastModifiedDateTime' must be given together");
		return STORE_EINVAL;
	}
	return presence_validate(p, mode, fault);
}

/* Whether a loaded presence has the content of the stored one. */
const char *
store_import_differs(const struct presence *stored, const struct presence *p)
{
	if (strcmp(stored->availability, p->availability) != 0)
		return "availability";
	if (strcmp(stored->activity, p->activity) != 0)
		return "activity";
	if (p->created == 0 && p->modified == 0)
		return NULL;
	if (stored->created != p->created)
		return "createdDateTime";
	if (stored->modified != p->modified)
		return "lastModifiedDateTime";
	return NULL;
}

/* Refuse one presence of a bulk load, saying which. */
static int
store_import_refuse(struct store_import *imp, const struct presence *p,
    int rc)
{
	snprintf(imp->id, sizeof imp->id, "%s", p->id);
	return rc;
}

/*
 * The number a presence about to be written gets: its own when the load
 * keeps them, else the counter's next.  STORE_IMPORT_RENUMBER when a kept
 * number would not be above every number stored.
 */
static int
store_import_number(const struct store_import_op *op,
    const struct presence *p, uint64_t *seq)
{
	if (!op->keep) {
		*seq = op->seq + 1;
		return 0;
	}
	if (p->sequence == 0 || p->sequence <= op->floor ||
	    p->sequence > STORE_SEQ_KEEP_MAX)
		return STORE_IMPORT_RENUMBER;
	*seq = p->sequence;
	return 0;
}

/* Note that a presence was written with number seq. */
static int
store_import_take(struct store_import_op *op, uint64_t seq)
{
	uint64_t	*grown;
	size_t		 cap;

	if (op->keep) {
		if (op->nkept == op->capkept) {
			cap = op->capkept > 0 ? op->capkept * 2 : 4096;
			grown = realloc(op->kept, cap * sizeof *grown);
			if (grown == NULL)
				return STORE_ENOMEM;
			op->kept = grown;
			op->capkept = cap;
		}
		op->kept[op->nkept++] = seq;
	}
	if (seq > op->seq)
		op->seq = seq;
	return 0;
}

/* Order sequence numbers. */
static int
store_seq_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Whether the numbers kept are distinct: 0 or STORE_IMPORT_RENUMBER. */
static int
store_import_distinct(struct store_import_op *op)
{
	size_t	i;

	if (op->nkept < 2)
		return 0;	/* and qsort may not be given NULL */
	qsort(op->kept, op->nkept, sizeof *op->kept, store_seq_cmp);
	for (i = 1; i < op->nkept; i++)
		if (op->kept[i] == op->kept[i - 1])
			return STORE_IMPORT_RENUMBER;
	return 0;
}

/* Skip a presence that is stored already, if it may be and is the same. */
static int
store_import_existing(struct store_import_op *op, const MDB_val *key,
    const MDB_val *val, const struct presence *p)
{
	struct store_import	*imp = op->imp;
	struct presence		 old;
	const char		*what;
	int			 rc;

	if (!imp->skip_same) {
		presence_fault_set(&imp->fault, "id",
		    "presence '%s' already exists", p->id);
		return store_import_refuse(imp, p, STORE_EEXIST);
	}
	if ((rc = store_decode(key, val, &old)) != 0)
		return rc;
	if ((what = store_import_differs(&old, p)) == NULL) {
		op->skipped++;
		return 0;
	}
	presence_fault_set(&imp->fault, what, "presence '%s' already exists "
	    "with a different '%s'", p->id, what);
	return store_import_refuse(imp, p, STORE_EEXIST);
}

/* Insert one loaded presence with its number, or skip it. */
static int
store_import_put(struct store *st, MDB_txn *txn, enum presence_mode mode,
    struct store_import_op *op, struct presence *p)
{
	struct store_import	*imp = op->imp;
	unsigned char		 rec[RECORD_MAX];
	struct presence		 q;
	uint64_t		 seq;
	MDB_val			 key, val;
	int			 rc;

	if ((rc = store_import_check(p, mode, imp->skip_same,
	    &imp->fault)) != 0)
		return store_import_refuse(imp, p, rc);
	if (p->id[0] == '\0' && (rc = guid_generate(p->id)) != 0)
		return rc;
	if ((rc = store_import_number(op, p, &seq)) != 0)
		return rc;
	q = *p;
	q.sequence = seq;
	if (q.created == 0 && q.modified == 0)
		q.created = q.modified = op->now;
	key.mv_size = GUID_LEN;
	key.mv_data = p->id;
	val.mv_size = record_encode(&q, rec);
	val.mv_data = rec;
	/* On MDB_KEYEXIST, val is the stored record. */
	rc = mdb_put(txn, st->presences, &key, &val, MDB_NOOVERWRITE);
	if (rc == MDB_KEYEXIST)
		return store_import_existing(op, &key, &val, p);
	if (rc != 0)
		return store_err(rc);
	return store_import_take(op, seq);
}

/* Pull and insert one batch, then raise the database's counter. */
static int
store_import_txn(struct store *st, MDB_txn *txn, void *arg)
{
	struct store_import_op	*op = arg;
	struct store_import	*imp = op->imp;
	enum presence_mode	 mode;
	struct presence		 p;
	int			 rc;

	op->n = op->skipped = op->nkept = 0;
	op->now = presence_now();
	if (op->tries++ > 0 && (rc = imp->rewind(imp->arg, imp->done)) != 0)
		return rc;
	if ((rc = store_mode_get(st, txn, &mode)) != 0 ||
	    (rc = store_meta_get(st, txn, "sequence", &op->floor)) != 0)
		return rc;
	op->seq = op->floor;
	while (imp->batch == 0 || op->n < imp->batch) {
		if ((rc = imp->next(imp->arg, &p)) < 0)
			return rc;
		if (rc == 0) {
			op->end = 1;
			break;
		}
		if ((rc = store_import_put(st, txn, mode, op, &p)) != 0)
			return rc;
		op->n++;
	}
	if (op->keep && (rc = store_import_distinct(op)) != 0)
		return rc;
	return op->seq > op->floor ?
	    store_meta_put(st, txn, "sequence", op->seq) : 0;
}

/* Run a bulk load in batches of imp->batch presences. */
int
store_import(struct store *st, struct store_import *imp)
{
	struct store_import_op	op = { .imp = imp, .keep = imp->batch == 0 };
	int			rc = 0;

	imp->done = imp->skipped = 0;
	imp->renumbered = 0;
	imp->id[0] = '\0';
	memset(&imp->fault, 0, sizeof imp->fault);
	/* A bulk load commits on its own, outside the small writes' batches. */
	if (st->read_only)
		return STORE_EROFS;
	while (!op.end) {
		op.tries = 0;
		rc = store_write_alone(st, store_import_txn, &op);
		if (rc == STORE_IMPORT_RENUMBER) {
			/* Run again from the start (tries > 0 rewinds). */
			op.keep = 0;
			op.end = 0;
			rc = store_write_alone(st, store_import_txn, &op);
		}
		if (rc != 0)
			goto free_kept;
		imp->done += op.n;
		imp->skipped += op.skipped;
	}
	imp->renumbered = !op.keep && imp->done > imp->skipped;
free_kept:
	free(op.kept);
	return rc;
}

/* Position c at the first row of a page; MDB_NOTFOUND when there is none. */
static int
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

/* Put rows[0..n) into key order after a backward walk. */
static void
store_page_reverse(struct presence *rows, size_t n)
{
	struct presence	tmp;
	size_t		i;

	for (i = 0; i < n / 2; i++) {
		tmp = rows[i];
		rows[i] = rows[n - 1 - i];
		rows[n - 1 - i] = tmp;
	}
}

/* Read up to max presences in key order after (or before) a key. */
int
store_page(struct store *st, const char *after, int backward,
    struct presence *rows, size_t max, size_t *n, int *more)
{
	MDB_cursor_op	 step = backward ? MDB_PREV : MDB_NEXT;
	MDB_cursor	*c;
	MDB_txn		*txn;
	MDB_val		 key, val;
	int		 rc;

	*n = 0;
	*more = 0;
	if (after != NULL && strlen(after) > STORE_KEY_MAX)
		return STORE_EINVAL;
	if ((rc = store_begin(st, 0, &txn)) != 0)
		return rc;
	if ((rc = store_err(mdb_cursor_open(txn, st->presences, &c))) != 0)
		goto abort_txn;
	rc = store_page_start(c, after, backward, &key, &val);
	while (rc == 0 && *n < max) {
		if ((rc = store_decode(&key, &val, &rows[*n])) != 0)
			goto close_cursor;
		(*n)++;
		rc = mdb_cursor_get(c, &key, &val, step);
	}
	*more = rc == 0;
	rc = rc == MDB_NOTFOUND ? 0 : store_err(rc);
	if (backward)
		store_page_reverse(rows, *n);
close_cursor:
	mdb_cursor_close(c);
abort_txn:
	store_abort(st, txn);
	return rc;
}

/* The SHA-256 of a token's secret: the only form the store keeps. */
#define STORE_HASH_LEN	32

/* Hash len bytes of secret; 0 or STORE_EINTERNAL. */
static int
store_token_hash(struct store *st, const char *secret, size_t len,
    unsigned char hash[STORE_HASH_LEN])
{
	unsigned int	n = 0;

	if (EVP_Digest(secret, len, hash, &n, st->sha256, NULL) != 1 ||
	    n != STORE_HASH_LEN)
		return STORE_EINTERNAL;
	return 0;
}

/* Draw a fresh secret: the prefix and 32 random bytes in base64url. */
static int
store_token_secret(char secret[TOKEN_SECRET_LEN + 1])
{
	unsigned char	raw[32];
	size_t		n = sizeof TOKEN_PREFIX - 1;

	if (random_fill(raw, sizeof raw) != 0)
		return STORE_EIO;
	memcpy(secret, TOKEN_PREFIX, n);
	n += base64url_encode(raw, sizeof raw, secret + n);
	OPENSSL_cleanse(raw, sizeof raw);
	return n == TOKEN_SECRET_LEN ? 0 : STORE_EINTERNAL;
}

/* Whether len bytes at s have the form of a secret. */
static int
store_token_wellformed(const char *s, size_t len)
{
	size_t	i, n = sizeof TOKEN_PREFIX - 1;

	if (len != TOKEN_SECRET_LEN || memcmp(s, TOKEN_PREFIX, n) != 0)
		return 0;
	for (i = n; i < len; i++)
		if (!base64url_char(s[i]))
			return 0;
	return 1;
}

/* What issuing a token asks of its write transaction. */
struct store_token_op {
	const struct token	*t;
	unsigned char		 hash[STORE_HASH_LEN];
};

/* Store a token under its hash and its name. */
static int
store_token_issue_txn(struct store *st, MDB_txn *txn, void *arg)
{
	struct store_token_op	*op = arg;
	unsigned char		 rec[RECORD_TOKEN_MAX];
	MDB_val			 name = { strlen(op->t->name), (void *)op->t->name };
	MDB_val			 hash = { STORE_HASH_LEN, op->hash };
	MDB_val			 val;
	int			 rc;

	rc = mdb_put(txn, st->token_names, &name, &hash, MDB_NOOVERWRITE);
	if (rc != 0)
		return store_err(rc);
	val.mv_size = record_token_encode(op->t, rec);
	val.mv_data = rec;
	return store_err(mdb_put(txn, st->tokens, &hash, &val,
	    MDB_NOOVERWRITE));
}

/* Issue a token and hand back its secret. */
int
store_token_issue(struct store *st, struct token *t,
    char secret[TOKEN_SECRET_LEN + 1], struct presence_fault *fault)
{
	struct store_token_op	op = { .t = t };
	int			rc;

	secret[0] = '\0';
	if (!st->has_tokens)
		return STORE_EROFS;
	t->created = presence_now();
	if ((rc = token_validate(t, fault)) != 0 ||
	    (rc = store_token_secret(secret)) != 0 ||
	    (rc = store_token_hash(st, secret, TOKEN_SECRET_LEN, op.hash)) != 0)
		goto wipe;
	if ((rc = store_write(st, store_token_issue_txn, &op)) == 0)
		return 0;
	if (rc == STORE_EEXIST)
		presence_fault_set(fault, "name", "a token named '%s' exists",
		    t->name);
wipe:
	OPENSSL_cleanse(secret, TOKEN_SECRET_LEN + 1);
	return rc;
}

/* Look up the token whose secret is given. */
int
store_token_verify(struct store *st, const char *secret, size_t len,
    int64_t now, struct token *out)
{
	unsigned char	 hash[STORE_HASH_LEN];
	MDB_txn		*txn;
	MDB_val		 key = { STORE_HASH_LEN, hash }, val;
	int		 rc;

	memset(out, 0, sizeof *out);
	if (!st->has_tokens || !store_token_wellformed(secret, len))
		return STORE_ENOTFOUND;
	if ((rc = store_token_hash(st, secret, len, hash)) != 0 ||
	    (rc = store_begin(st, 0, &txn)) != 0)
		return rc;
	rc = store_err(mdb_get(txn, st->tokens, &key, &val));
	if (rc == 0 && CRYPTO_memcmp(key.mv_data, hash, STORE_HASH_LEN) != 0)
		rc = STORE_ENOTFOUND;
	if (rc == 0)
		rc = record_token_decode(val.mv_data, val.mv_size, out);
	store_abort(st, txn);
	if (rc == 0 && out->expires != 0 && out->expires <= now)
		rc = STORE_EEXPIRED;
	return rc;
}

/* Delete a token by name, with its hash entry. */
static int
store_token_revoke_txn(struct store *st, MDB_txn *txn, void *arg)
{
	const char	*name = arg;
	MDB_val		 key = { strlen(name), (void *)name }, hash;
	int		 rc;

	if ((rc = mdb_get(txn, st->token_names, &key, &hash)) != 0 ||
	    (rc = mdb_del(txn, st->tokens, &hash, NULL)) != 0)
		return store_err(rc);
	return store_err(mdb_del(txn, st->token_names, &key, NULL));
}

/* Revoke (delete) the token named name. */
int
store_token_revoke(struct store *st, const char *name)
{
	size_t	len = strlen(name);

	if (!st->has_tokens || len == 0 || len > TOKEN_NAME_MAX)
		return st->has_tokens ? STORE_ENOTFOUND : STORE_EROFS;
	return store_write(st, store_token_revoke_txn, (void *)name);
}

/* Read one page of tokens in name order. */
int
store_token_page(struct store *st, const char *after, struct token *rows,
    size_t max, size_t *n, int *more)
{
	MDB_cursor	*names;
	MDB_txn		*txn;
	MDB_val		 key, hash, val;
	int		 rc;

	*n = 0;
	*more = 0;
	if (!st->has_tokens)
		return 0;
	if (after != NULL && strlen(after) > TOKEN_NAME_MAX)
		return STORE_EINVAL;
	if ((rc = store_begin(st, 0, &txn)) != 0)
		return rc;
	if ((rc = store_err(mdb_cursor_open(txn, st->token_names, &names))) != 0)
		goto abort_txn;
	rc = store_page_start(names, after, 0, &key, &hash);
	while (rc == 0 && *n < max) {
		if ((rc = mdb_get(txn, st->tokens, &hash, &val)) != 0) {
			/* A name without its token: the index is broken. */
			rc = rc == MDB_NOTFOUND ? STORE_ECORRUPT : store_err(rc);
			goto close_cursor;
		}
		rc = record_token_decode(val.mv_data, val.mv_size, &rows[*n]);
		if (rc != 0)
			goto close_cursor;
		(*n)++;
		rc = mdb_cursor_get(names, &key, &hash, MDB_NEXT);
	}
	*more = rc == 0;
	rc = rc == MDB_NOTFOUND ? 0 : store_err(rc);
close_cursor:
	mdb_cursor_close(names);
abort_txn:
	store_abort(st, txn);
	return rc;
}

/* Facts about the environment, cheap enough to poll. */
int
store_stat(struct store *st, struct store_stat *out)
{
	MDB_envinfo	 info;
	MDB_stat	 env_stat, db_stat;
	MDB_txn		*txn;
	int		 rc;

	memset(out, 0, sizeof *out);
	if ((rc = store_begin(st, 0, &txn)) != 0)
		return rc;
	rc = store_err(mdb_stat(txn, st->presences, &db_stat));
	if (rc == 0)
		rc = store_err(mdb_env_stat(st->env, &env_stat));
	if (rc == 0)
		rc = store_err(mdb_env_info(st->env, &info));
	store_abort(st, txn);
	if (rc != 0)
		return rc;
	out->count = db_stat.ms_entries;
	out->txn_id = info.me_last_txnid;
	out->map_size = info.me_mapsize;
	out->map_used = (info.me_last_pgno + 1) * (size_t)env_stat.ms_psize;
	out->map_max = st->map_max;
	out->readers = info.me_numreaders;
	out->max_readers = info.me_maxreaders;
	return 0;
}
