/* Opening, closing and describing the store's LMDB environment. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "db.h"
#include "error.h"

#define STORE_SCHEMA	1u	/* the layout of the named databases */

/* What opening asks of the first transaction. */
struct store_init {
	int		value_mode;	/* enum presence_mode, or -1: keep */
	uint64_t	notify_backlog;	/* 0: keep */
};

/*
 * Open the named databases, check the schema and settle the value mode
 * and the backlog bound.
 */
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
	rc = mdb_dbi_open(txn, "subscriptions", flags, &st->subscriptions);
	if (rc == 0)
		rc = mdb_dbi_open(txn, "watch", flags | MDB_DUPSORT, &st->watch);
	if (rc == 0)
		rc = mdb_dbi_open(txn, "outbox", flags, &st->outbox);
	if (rc == 0)
		rc = mdb_dbi_open(txn, "clock", flags, &st->clock);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_err(rc);
	st->has_notify = rc == 0;
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
	if (rc != 0 || (rc = store_meta_get(st, txn, "notify-backlog",
	    &st->notify_backlog_found)) != 0)
		return rc;
	st->notify_backlog = st->notify_backlog_found;
	if (init->notify_backlog != 0 && !st->read_only &&
	    init->notify_backlog != st->notify_backlog_found) {
		st->notify_backlog = init->notify_backlog;
		rc = store_meta_put(st, txn, "notify-backlog",
		    init->notify_backlog);
	}
	if (st->notify_backlog == 0)
		st->notify_backlog = NOTIFY_BACKLOG_DEFAULT;
	return rc;
}

/* Run the first transaction: a write one, or a read one when read-only. */
static int
store_init(struct store *st, const struct store_config *cfg)
{
	struct store_init	 init = { cfg->value_mode, cfg->notify_backlog };
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
	if ((rc = mdb_env_set_maxdbs(st->env, 16)) != 0 ||
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

/* The database's backlog bound as this open left it, and the one found. */
uint64_t
store_notify_backlog(const struct store *st, uint64_t *found)
{
	if (found != NULL)
		*found = st->notify_backlog_found;
	return st->notify_backlog;
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
	if (rc == 0)
		rc = store_notify_stat(st, txn, &out->subscriptions,
		    &out->backlog);
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

/* The id of the last committed transaction. */
uint64_t
store_txn_last(struct store *st)
{
	MDB_envinfo	info;

	if (mdb_env_info(st->env, &info) != 0)
		return 0;
	return (uint64_t)info.me_last_txnid;
}
