/*
 * The store's LMDB layer, private to storage/: struct store, transactions
 * with group commit and map growth, meta values and cursor paging.
 * store.c opens and closes the environment; presences.c and tokens.c keep
 * their named databases through these calls, and a new named database
 * (sessions, subscriptions, an outbox) goes in a file of its own beside
 * them the same way.  Only storage/ includes this header, and only files
 * that include it include <lmdb.h>.
 *
 * Every call runs in its own short transaction.  Transactions hold
 * st->resize shared; changing the map size (growing it, or adopting a size
 * another process grew it to) holds it exclusively, as LMDB requires that
 * no transaction of this process is active then.
 */
#ifndef PRESENCE_STORAGE_DB_H
#define PRESENCE_STORAGE_DB_H

#include <limits.h>
#include <pthread.h>
#include <stdint.h>

#include <lmdb.h>
#include <openssl/evp.h>

#include "dbfile.h"
#include "presence.h"
#include "store.h"

struct store_op;

struct store {
	MDB_env			*env;
	MDB_dbi			 presences;	/* id -> record */
	MDB_dbi			 meta;		/* schema, sequence, value-mode,
						   notify-backlog */
	MDB_dbi			 tokens;	/* SHA-256 of secret -> token */
	MDB_dbi			 token_names;	/* name -> SHA-256 of secret */
	int			 has_tokens;	/* an old database opened
						   read-only may lack them */
	MDB_dbi			 subscriptions;	/* id, kind -> record */
	MDB_dbi			 watch;		/* presence -> subscriptions */
	MDB_dbi			 outbox;	/* id, counter -> change */
	MDB_dbi			 clock;		/* instant, presence -> "" */
	int			 has_notify;	/* as has_tokens */
	uint64_t		 notify_backlog; /* in the database at open */
	uint64_t		 notify_backlog_found; /* before it; 0: none */
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

/* Translate an LMDB or errno code into the storage vocabulary. */
int store_err(int rc);

/*
 * Begin a transaction holding st->resize shared, adopting a map grown by
 * another process and clearing stale reader slots when they run out.
 * End it with store_commit or store_abort.
 */
int store_begin(struct store *st, int write, MDB_txn **txn);

/* Abort a transaction begun by store_begin. */
void store_abort(struct store *st, MDB_txn *txn);

/*
 * Commit a transaction begun by store_begin; a write is refused
 * (STORE_ELOCKGONE) when lock.mdb is no longer the file opened.
 */
int store_commit(struct store *st, MDB_txn *txn);

/*
 * Run fn in a write transaction of its own, growing the map and running
 * it again when it fills; 0 only after the commit returned.
 */
int store_write_alone(struct store *st, store_write_fn fn, void *arg);

/*
 * Run fn in a write transaction that may be shared with other threads'
 * writes (group commit): each runs in a nested transaction, one sync
 * acknowledges them all.  0 only after the commit returned.
 */
int store_write(struct store *st, store_write_fn fn, void *arg);

/* Read a little-endian integer meta value; *v is 0 when it is absent. */
int store_meta_get(struct store *st, MDB_txn *txn, const char *name,
    uint64_t *v);

/* Write a little-endian integer meta value. */
int store_meta_put(struct store *st, MDB_txn *txn, const char *name,
    uint64_t v);

/* Read the database's value mode from meta ("any" when absent). */
int store_mode_get(struct store *st, MDB_txn *txn, enum presence_mode *mode);

/* Write the database's value mode into meta. */
int store_mode_put(struct store *st, MDB_txn *txn, enum presence_mode mode);

/*
 * Take the sequence number of a write: the next multiple of
 * PRESENCE_SEQ_STEP above the database's counter, which it becomes.
 */
int store_seq_take(struct store *st, MDB_txn *txn, uint64_t *seq);

/* The next multiple of PRESENCE_SEQ_STEP above counter. */
uint64_t store_seq_next(uint64_t counter);

/*
 * presences.c's record access for the files that change a presence:
 * read the presence with canonical id (0 or STORE_ENOTFOUND), and write
 * p back stamped as changed at now with a new sequence number.
 */
int store_presence_read(struct store *st, MDB_txn *txn, const char *id,
    struct presence *out);
int store_presence_write(struct store *st, MDB_txn *txn, struct presence *p,
    int64_t now);

/*
 * subscriptions.c's hooks.  store_notify_presence: the presence id
 * changed in txn at now (p is what is written; NULL: it was deleted);
 * queue a notification for each subscription watching it and keep its
 * clock row.  Every write of a presence calls it.
 * store_notify_owner_gone: the token named owner was revoked in txn.
 * store_notify_stat: count subscriptions and the notifications waiting.
 */
int store_notify_presence(struct store *st, MDB_txn *txn, const char *id,
    const struct presence *p, int64_t now);
int store_notify_owner_gone(struct store *st, MDB_txn *txn,
    const char *owner);
int store_notify_stat(struct store *st, MDB_txn *txn, size_t *count,
    uint64_t *backlog);

/*
 * Position c at the first row of a page: the first key after from (before
 * it when backward; "" or NULL: the first or last key).  Returns 0 or
 * an LMDB code, MDB_NOTFOUND when there is none.
 */
int store_page_start(MDB_cursor *c, const char *from, int backward,
    MDB_val *key, MDB_val *val);

#endif
