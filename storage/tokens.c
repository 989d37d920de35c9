/* The tokens named databases: issue, verify, revoke and pages. */
#include <string.h>

#include <openssl/crypto.h>

#include "db.h"
#include "error.h"
#include "record.h"

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
    char secret[TOKEN_SECRET_LEN + 1], struct fault *fault)
{
	struct store_token_op	op = { .t = t };
	int			rc;

	secret[0] = '\0';
	if (!st->has_tokens)
		return STORE_EROFS;
	t->created = presence_now();
	if ((rc = token_validate(t, fault)) != 0 ||
	    (rc = token_secret_draw(secret)) != 0 ||
	    (rc = store_token_hash(st, secret, TOKEN_SECRET_LEN, op.hash)) != 0)
		goto wipe;
	if ((rc = store_write(st, store_token_issue_txn, &op)) == 0)
		return 0;
	if (rc == STORE_EEXIST)
		fault_set(fault, "name", "a token named '%s' exists",
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
	if (!st->has_tokens || !token_secret_wellformed(secret, len))
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
	    (rc = mdb_del(txn, st->tokens, &hash, NULL)) != 0 ||
	    (rc = mdb_del(txn, st->token_names, &key, NULL)) != 0)
		return store_err(rc);
	/* Its subscriptions go with it. */
	return store_notify_owner_gone(st, txn, name);
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
