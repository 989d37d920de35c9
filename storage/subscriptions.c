/*
 * The subscriptions, watch, outbox and clock named databases: change
 * notifications kept in the same transactions as the changes.
 *
 *   subscriptions	id "c" -> the subscription as created (record below),
 *			id "s" -> its delivery state, rewritten often
 *   watch		presence id -> subscription ids (MDB_DUPSORT)
 *   outbox		subscription id, counter (8 bytes big-endian) ->
 *			presence id, sequence, commit time
 *   clock		"i" instant (8 bytes big-endian) presence id -> "",
 *			"p" presence id -> instant: the next clock event of
 *			each watched presence, by time and by presence
 *
 * Records start with a version byte; integers are little-endian, strings
 * a 2-byte length and their bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "guid.h"
#include "record.h"

#define SUB_KEY_LEN	(GUID_LEN + 1)
#define OUT_KEY_LEN	(GUID_LEN + 8)
#define OUT_VAL_LEN	(GUID_LEN + 16)
#define CLOCK_KEY_LEN	(1 + 8 + GUID_LEN)
#define SUB_VERSION	1
#define STATE_MAX	(1 + 7 * 8 + 4 + 1 + 2 + SUBSCRIPTION_RESULT_MAX)
#define CONFIG_MAX	(1 + 4 * 2 + TOKEN_NAME_MAX + 2 * SUBSCRIPTION_URL_MAX + \
	SUBSCRIPTION_STATE_MAX + 1 + 16 + 1 + 2 + \
	SUBSCRIPTION_IDS_MAX * GUID_LEN)
#define TICK_CHUNK	256	/* clock rows taken at a time */

/* A record being written or read, with bounds. */
struct rec {
	unsigned char	*p;
	size_t		 len, cap;
	int		 bad;		/* read past the end */
};

/* Append v, little-endian; the record has room (its size is bounded). */
static void
rec_u64(struct rec *r, uint64_t v)
{
	size_t	i;

	for (i = 0; i < 8; i++)
		r->p[r->len++] = (unsigned char)(v >> (8 * i));
}

/* Append s with its 2-byte length. */
static void
rec_str(struct rec *r, const char *s)
{
	size_t	n = strlen(s);

	r->p[r->len++] = (unsigned char)(n & 0xff);
	r->p[r->len++] = (unsigned char)(n >> 8);
	memcpy(r->p + r->len, s, n);
	r->len += n;
}

/* Read a little-endian integer; r->bad past the end. */
static uint64_t
rec_get_u64(struct rec *r)
{
	uint64_t	v = 0;
	size_t		i;

	if (r->cap - r->len < 8) {
		r->bad = 1;
		return 0;
	}
	for (i = 0; i < 8; i++)
		v |= (uint64_t)r->p[r->len++] << (8 * i);
	return v;
}

/* Read a byte; r->bad past the end. */
static unsigned
rec_get_u8(struct rec *r)
{
	if (r->len >= r->cap) {
		r->bad = 1;
		return 0;
	}
	return r->p[r->len++];
}

/* Read a string of at most max bytes into dst (room for max + 1). */
static void
rec_get_str(struct rec *r, char *dst, size_t max)
{
	size_t	n;

	dst[0] = '\0';
	if (r->cap - r->len < 2) {
		r->bad = 1;
		return;
	}
	n = r->p[r->len] | (size_t)r->p[r->len + 1] << 8;
	r->len += 2;
	if (n > max || r->cap - r->len < n) {
		r->bad = 1;
		return;
	}
	memcpy(dst, r->p + r->len, n);
	dst[n] = '\0';
	r->len += n;
}

/* Write v big-endian, so that keys sort in number order. */
static void
put_be64(unsigned char *p, uint64_t v)
{
	int	i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

/* Read a big-endian integer of a key. */
static uint64_t
get_be64(const unsigned char *p)
{
	uint64_t	v = 0;
	int		i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* The key of a subscription's record: its id and kind 'c' or 's'. */
static void
sub_key(unsigned char k[SUB_KEY_LEN], const char *id, char kind)
{
	memcpy(k, id, GUID_LEN);
	k[GUID_LEN] = (unsigned char)kind;
}

/* Write the subscription s as created. */
static int
config_put(struct store *st, MDB_txn *txn, const struct subscription *s)
{
	unsigned char	 k[SUB_KEY_LEN];
	struct rec	 r = { NULL, 0, CONFIG_MAX, 0 };
	MDB_val		 key = { SUB_KEY_LEN, k }, val;
	size_t		 i;
	int		 rc;

	if ((r.p = malloc(CONFIG_MAX)) == NULL)
		return STORE_ENOMEM;
	r.p[r.len++] = SUB_VERSION;
	rec_str(&r, s->owner);
	rec_str(&r, s->notify_url);
	rec_str(&r, s->lifecycle_url);
	rec_str(&r, s->client_state);
	r.p[r.len++] = (unsigned char)((s->has_client_state ? 1 : 0) |
	    (s->filter ? 2 : 0));
	rec_u64(&r, (uint64_t)s->created);
	rec_u64(&r, (uint64_t)s->expires);
	r.p[r.len++] = (unsigned char)(s->nids & 0xff);
	r.p[r.len++] = (unsigned char)(s->nids >> 8);
	for (i = 0; i < s->nids; i++) {
		memcpy(r.p + r.len, s->ids[i], GUID_LEN);
		r.len += GUID_LEN;
	}
	sub_key(k, s->id, 'c');
	val.mv_size = r.len;
	val.mv_data = r.p;
	rc = store_err(mdb_put(txn, st->subscriptions, &key, &val, 0));
	free(r.p);
	return rc;
}

/*
 * Decode a subscription record into *row, and into *s with every id when
 * s is not NULL (a row keeps the first id only).
 */
static int
config_decode(const MDB_val *val, struct subscription_row *row,
    struct subscription *s)
{
	struct rec	 r = { val->mv_data, 0, val->mv_size, 0 };
	unsigned	 flags;
	size_t		 i, nids;
	char		 cs[SUBSCRIPTION_STATE_MAX + 1];

	if (rec_get_u8(&r) != SUB_VERSION)
		return STORE_ECORRUPT;
	rec_get_str(&r, row->owner, TOKEN_NAME_MAX);
	rec_get_str(&r, row->notify_url, SUBSCRIPTION_URL_MAX);
	rec_get_str(&r, row->lifecycle_url, SUBSCRIPTION_URL_MAX);
	rec_get_str(&r, cs, SUBSCRIPTION_STATE_MAX);
	flags = rec_get_u8(&r);
	row->created = (int64_t)rec_get_u64(&r);
	row->expires = (int64_t)rec_get_u64(&r);
	nids = rec_get_u8(&r);
	nids |= (size_t)rec_get_u8(&r) << 8;
	row->filter = (flags & 2) != 0;
	row->nids = nids;
	if (r.bad || nids == 0 || nids > SUBSCRIPTION_IDS_MAX ||
	    r.cap - r.len != nids * GUID_LEN)
		return STORE_ECORRUPT;
	memcpy(row->first_id, r.p + r.len, GUID_LEN);
	row->first_id[GUID_LEN] = '\0';
	if (s == NULL)
		return 0;
	memcpy(s->owner, row->owner, sizeof s->owner);
	memcpy(s->notify_url, row->notify_url, sizeof s->notify_url);
	memcpy(s->lifecycle_url, row->lifecycle_url, sizeof s->lifecycle_url);
	memcpy(s->client_state, cs, sizeof s->client_state);
	s->has_client_state = (flags & 1) != 0;
	s->created = row->created;
	s->expires = row->expires;
	s->filter = row->filter;
	s->nids = nids;
	for (i = 0; i < nids; i++) {
		memcpy(s->ids[i], r.p + r.len + i * GUID_LEN, GUID_LEN);
		s->ids[i][GUID_LEN] = '\0';
	}
	return 0;
}

/* Read the subscription id; s may be NULL (the row is enough). */
static int
config_get(struct store *st, MDB_txn *txn, const char *id,
    struct subscription_row *row, struct subscription *s)
{
	unsigned char	 k[SUB_KEY_LEN];
	MDB_val		 key = { SUB_KEY_LEN, k }, val;
	int		 rc;

	if (strlen(id) != GUID_LEN)
		return STORE_ENOTFOUND;
	sub_key(k, id, 'c');
	if ((rc = store_err(mdb_get(txn, st->subscriptions, &key, &val))) != 0)
		return rc;
	memcpy(row->id, id, GUID_LEN + 1);
	if (s != NULL)
		memcpy(s->id, id, GUID_LEN + 1);
	return config_decode(&val, row, s);
}

/* Write a subscription's delivery state. */
static int
state_put(struct store *st, MDB_txn *txn, const char *id,
    const struct subscription_state *sst)
{
	unsigned char	 k[SUB_KEY_LEN], buf[STATE_MAX];
	struct rec	 r = { buf, 0, sizeof buf, 0 };
	MDB_val		 key = { SUB_KEY_LEN, k }, val;
	size_t		 i;

	r.p[r.len++] = SUB_VERSION;
	rec_u64(&r, sst->next);
	rec_u64(&r, sst->backlog);
	rec_u64(&r, sst->delivered);
	rec_u64(&r, sst->dropped);
	rec_u64(&r, (uint64_t)sst->last_attempt);
	rec_u64(&r, (uint64_t)sst->last_success);
	rec_u64(&r, (uint64_t)sst->next_attempt);
	for (i = 0; i < 4; i++)
		r.p[r.len++] = (unsigned char)(sst->failures >> (8 * i));
	r.p[r.len++] = (unsigned char)((sst->missed ? 1 : 0) |
	    (sst->removed ? 2 : 0));
	rec_str(&r, sst->last_result);
	sub_key(k, id, 's');
	val.mv_size = r.len;
	val.mv_data = r.p;
	return store_err(mdb_put(txn, st->subscriptions, &key, &val, 0));
}

/* Decode a delivery state. */
static int
state_decode(const MDB_val *val, struct subscription_state *sst)
{
	struct rec	r = { val->mv_data, 0, val->mv_size, 0 };
	unsigned	flags, i;

	memset(sst, 0, sizeof *sst);
	if (rec_get_u8(&r) != SUB_VERSION)
		return STORE_ECORRUPT;
	sst->next = rec_get_u64(&r);
	sst->backlog = rec_get_u64(&r);
	sst->delivered = rec_get_u64(&r);
	sst->dropped = rec_get_u64(&r);
	sst->last_attempt = (int64_t)rec_get_u64(&r);
	sst->last_success = (int64_t)rec_get_u64(&r);
	sst->next_attempt = (int64_t)rec_get_u64(&r);
	for (i = 0; i < 4; i++)
		sst->failures |= rec_get_u8(&r) << (8 * i);
	flags = rec_get_u8(&r);
	sst->missed = (flags & 1) != 0;
	sst->removed = (flags & 2) != 0;
	rec_get_str(&r, sst->last_result, SUBSCRIPTION_RESULT_MAX);
	return r.bad || r.len != r.cap ? STORE_ECORRUPT : 0;
}

/* Read the delivery state of the subscription id. */
static int
state_get(struct store *st, MDB_txn *txn, const char *id,
    struct subscription_state *sst)
{
	unsigned char	 k[SUB_KEY_LEN];
	MDB_val		 key = { SUB_KEY_LEN, k }, val;
	int		 rc;

	sub_key(k, id, 's');
	if ((rc = mdb_get(txn, st->subscriptions, &key, &val)) != 0)
		return rc == MDB_NOTFOUND ? STORE_ECORRUPT : store_err(rc);
	return state_decode(&val, sst);
}

/*
 * Delete the outbox rows of the subscription id with a counter up to upto
 * (UINT64_MAX: all); *count (when not NULL) says how many went.
 */
static int
outbox_drop(struct store *st, MDB_txn *txn, const char *id, uint64_t upto,
    uint64_t *count)
{
	unsigned char	 k[OUT_KEY_LEN];
	MDB_cursor	*c;
	MDB_val		 key = { OUT_KEY_LEN, k }, val;
	uint64_t	 n = 0;
	int		 rc;

	memcpy(k, id, GUID_LEN);
	put_be64(k + GUID_LEN, 0);
	if ((rc = mdb_cursor_open(txn, st->outbox, &c)) != 0)
		return store_err(rc);
	rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
	while (rc == 0 && key.mv_size == OUT_KEY_LEN &&
	    memcmp(key.mv_data, id, GUID_LEN) == 0 &&
	    get_be64((unsigned char *)key.mv_data + GUID_LEN) <= upto) {
		if ((rc = mdb_cursor_del(c, 0)) != 0)
			break;
		n++;
		/* After a delete, NEXT reads the row that followed it. */
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	}
	mdb_cursor_close(c);
	if (count != NULL)
		*count = n;
	return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_err(rc);
}

/*
 * Queue one notification for the subscription sub about the presence
 * pid, or, past the backlog bound, drop the backlog for a "missed" event.
 * The bound is the database's, read here: whichever process writes, the
 * last one set holds.
 */
static int
outbox_append(struct store *st, MDB_txn *txn, const char *sub,
    const char *pid, uint64_t seq, int64_t now)
{
	struct subscription_state	 sst;
	unsigned char			 k[OUT_KEY_LEN], v[OUT_VAL_LEN];
	MDB_val				 key = { OUT_KEY_LEN, k };
	MDB_val				 val = { OUT_VAL_LEN, v };
	uint64_t			 bound;
	int				 rc;

	if ((rc = state_get(st, txn, sub, &sst)) != 0 ||
	    (rc = store_meta_get(st, txn, "notify-backlog", &bound)) != 0)
		return rc;
	if (sst.removed)
		return 0;
	if (bound == 0)
		bound = NOTIFY_BACKLOG_DEFAULT;
	if (sst.backlog >= bound) {
		if ((rc = outbox_drop(st, txn, sub, UINT64_MAX, NULL)) != 0)
			return rc;
		sst.dropped += sst.backlog + 1;
		sst.backlog = 0;
		sst.missed = 1;
		return state_put(st, txn, sub, &sst);
	}
	memcpy(k, sub, GUID_LEN);
	put_be64(k + GUID_LEN, sst.next);
	memcpy(v, pid, GUID_LEN);
	put_be64(v + GUID_LEN, seq);
	put_be64(v + GUID_LEN + 8, (uint64_t)now);
	if ((rc = mdb_put(txn, st->outbox, &key, &val, 0)) != 0)
		return store_err(rc);
	sst.next++;
	sst.backlog++;
	return state_put(st, txn, sub, &sst);
}

/*
 * Read the presence pid as stored (0 or STORE_ENOTFOUND); read here, not
 * through presences.c, which calls this file on every write.
 */
static int
presence_load(struct store *st, MDB_txn *txn, const char *pid,
    struct presence *p)
{
	MDB_val	key = { GUID_LEN, (void *)pid }, val;
	int	rc;

	if ((rc = store_err(mdb_get(txn, st->presences, &key, &val))) != 0)
		return rc;
	memset(p, 0, sizeof *p);
	if ((rc = record_decode(val.mv_data, val.mv_size, p)) != 0)
		return rc;
	memcpy(p->id, pid, GUID_LEN + 1);
	return 0;
}

/* Put the presence pid's next clock event at instant (0: none). */
static int
clock_set(struct store *st, MDB_txn *txn, const char *pid, int64_t instant)
{
	unsigned char	 pk[1 + GUID_LEN], ik[CLOCK_KEY_LEN], iv[8];
	MDB_val		 key = { sizeof pk, pk }, val, ikey = { sizeof ik, ik };
	MDB_val		 empty = { 0, "" }, inst = { 8, iv };
	int		 rc;

	pk[0] = 'p';
	memcpy(pk + 1, pid, GUID_LEN);
	ik[0] = 'i';
	memcpy(ik + 9, pid, GUID_LEN);
	rc = mdb_get(txn, st->clock, &key, &val);
	if (rc == 0 && val.mv_size == 8) {
		if (get_be64(val.mv_data) == (uint64_t)instant)
			return 0;
		memcpy(ik + 1, val.mv_data, 8);
		rc = mdb_del(txn, st->clock, &ikey, NULL);
	}
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_err(rc);
	if (instant <= 0) {
		rc = mdb_del(txn, st->clock, &key, NULL);
		return rc == MDB_NOTFOUND ? 0 : store_err(rc);
	}
	put_be64(iv, (uint64_t)instant);
	memcpy(ik + 1, iv, 8);
	if ((rc = mdb_put(txn, st->clock, &ikey, &empty, 0)) != 0)
		return store_err(rc);
	return store_err(mdb_put(txn, st->clock, &key, &inst, 0));
}

/*
 * Queue a notification about the presence pid for every subscription
 * watching it, and keep its clock row at next_event; *watched (when not
 * NULL) says whether any does.
 */
static int
notify_watchers(struct store *st, MDB_txn *txn, const char *pid,
    uint64_t seq, int64_t now, int64_t next_event, int *watched)
{
	MDB_cursor	*c;
	MDB_val		 key = { GUID_LEN, (void *)pid }, val;
	char		 sub[GUID_LEN + 1];
	int		 rc, n = 0;

	if ((rc = mdb_cursor_open(txn, st->watch, &c)) != 0)
		return store_err(rc);
	rc = mdb_cursor_get(c, &key, &val, MDB_SET_KEY);
	while (rc == 0) {
		if (val.mv_size != GUID_LEN) {
			rc = STORE_ECORRUPT;
			goto close_cursor;
		}
		memcpy(sub, val.mv_data, GUID_LEN);
		sub[GUID_LEN] = '\0';
		n++;
		if ((rc = outbox_append(st, txn, sub, pid, seq, now)) != 0)
			goto close_cursor;
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT_DUP);
	}
	rc = rc == MDB_NOTFOUND ? 0 : store_err(rc);
close_cursor:
	mdb_cursor_close(c);
	if (watched != NULL)
		*watched = n > 0;
	if (rc == 0 && n > 0)
		rc = clock_set(st, txn, pid, next_event);
	return rc;
}

/* A presence changed inside txn: notify its watchers (db.h). */
int
store_notify_presence(struct store *st, MDB_txn *txn, const char *id,
    const struct presence *p, int64_t now)
{
	struct presence_view	view;

	if (!st->has_notify)
		return 0;
	if (p == NULL)
		return notify_watchers(st, txn, id, 0, now, 0, NULL);
	presence_view(p, now, &view);
	return notify_watchers(st, txn, id, view.sequence, now,
	    view.next_event, NULL);
}

/* Start watching the presences of s, setting their clock rows. */
static int
watch_add(struct store *st, MDB_txn *txn, const struct subscription *s,
    int64_t now)
{
	struct presence_view	 view;
	struct presence		*p;
	MDB_val			 key, val;
	size_t			 i;
	int			 rc = 0;

	if ((p = malloc(sizeof *p)) == NULL)
		return STORE_ENOMEM;
	for (i = 0; i < s->nids && rc == 0; i++) {
		key.mv_size = val.mv_size = GUID_LEN;
		key.mv_data = (void *)s->ids[i];
		val.mv_data = (void *)s->id;
		if ((rc = store_err(mdb_put(txn, st->watch, &key, &val, 0))) != 0)
			break;
		rc = presence_load(st, txn, s->ids[i], p);
		if (rc == STORE_ENOTFOUND) {
			rc = 0;
			continue;
		}
		if (rc == 0) {
			presence_view(p, now, &view);
			rc = clock_set(st, txn, s->ids[i], view.next_event);
		}
	}
	free(p);
	return rc;
}

/* Stop watching for the subscription id: its watch rows. */
static int
watch_drop(struct store *st, MDB_txn *txn, const char *id,
    const struct subscription *s)
{
	MDB_val	key, val;
	size_t	i;
	int	rc;

	for (i = 0; i < s->nids; i++) {
		key.mv_size = val.mv_size = GUID_LEN;
		key.mv_data = (void *)s->ids[i];
		val.mv_data = (void *)id;
		rc = mdb_del(txn, st->watch, &key, &val);
		if (rc != 0 && rc != MDB_NOTFOUND)
			return store_err(rc);
	}
	return 0;
}

/* Delete the subscription id: watch rows, backlog, records. */
static int
sub_remove(struct store *st, MDB_txn *txn, const char *id)
{
	struct subscription_row	 row;
	struct subscription	*s;
	unsigned char		 k[SUB_KEY_LEN];
	MDB_val			 key = { SUB_KEY_LEN, k };
	int			 rc;

	if ((s = malloc(sizeof *s)) == NULL)
		return STORE_ENOMEM;
	if ((rc = config_get(st, txn, id, &row, s)) == 0 &&
	    (rc = watch_drop(st, txn, id, s)) == 0 &&
	    (rc = outbox_drop(st, txn, id, UINT64_MAX, NULL)) == 0) {
		sub_key(k, id, 'c');
		rc = store_err(mdb_del(txn, st->subscriptions, &key, NULL));
		sub_key(k, id, 's');
		if (rc == 0)
			rc = store_err(mdb_del(txn, st->subscriptions, &key,
			    NULL));
	}
	free(s);
	return rc;
}

/* What creating a subscription asks of its write transaction. */
struct sub_create_op {
	struct subscription	*s;
	struct fault		*fault;
};

/* Validate and store a new subscription, and watch its presences. */
static int
sub_create_txn(struct store *st, MDB_txn *txn, void *arg)
{
	struct sub_create_op		*op = arg;
	struct subscription_state	 sst;
	int				 rc;

	op->s->created = presence_now();
	if ((rc = subscription_validate(op->s, op->s->created,
	    op->fault)) != 0)
		return rc;
	memset(&sst, 0, sizeof sst);
	sst.next = 1;
	if ((rc = config_put(st, txn, op->s)) != 0 ||
	    (rc = state_put(st, txn, op->s->id, &sst)) != 0)
		return rc;
	return watch_add(st, txn, op->s, op->s->created);
}

/* Store a new subscription and start watching its presences. */
int
store_subscription_create(struct store *st, struct subscription *s,
    struct fault *fault)
{
	struct sub_create_op	op = { s, fault };
	int			rc;

	if (!st->has_notify)
		return STORE_EROFS;
	if ((rc = guid_generate(s->id)) != 0)
		return rc;
	return store_write(st, sub_create_txn, &op);
}

/* Whether a subscription read as row belongs to owner (NULL: anyone). */
static int
sub_visible(const struct subscription_row *row, const char *owner)
{
	if (owner == NULL)
		return 1;
	return !row->state.removed && strcmp(row->owner, owner) == 0;
}

/*
 * Read the subscription id's row with its state (and all of it into s
 * when not NULL); STORE_ENOTFOUND unless owner may see it.
 */
static int
sub_find(struct store *st, MDB_txn *txn, const char *id, const char *owner,
    struct subscription_row *row, struct subscription *s)
{
	int	rc;

	if ((rc = config_get(st, txn, id, row, s)) != 0 ||
	    (rc = state_get(st, txn, id, &row->state)) != 0)
		return rc;
	return sub_visible(row, owner) ? 0 : STORE_ENOTFOUND;
}

/* Read the subscription id and its state. */
int
store_subscription_get(struct store *st, const char *id, const char *owner,
    struct subscription *out, struct subscription_state *state)
{
	struct subscription_row	*row;
	MDB_txn			*txn;
	int			 rc;

	if (!st->has_notify)
		return STORE_ENOTFOUND;
	if ((row = malloc(sizeof *row)) == NULL)
		return STORE_ENOMEM;
	if ((rc = store_begin(st, 0, &txn)) != 0)
		goto free_row;
	rc = sub_find(st, txn, id, owner, row, out);
	store_abort(st, txn);
	if (rc == 0 && state != NULL)
		*state = row->state;
free_row:
	free(row);
	return rc;
}

/* What renewing asks of its write transaction. */
struct sub_renew_op {
	const char		*id, *owner;
	int64_t			 expires;
	struct subscription	*s;
	struct fault		*fault;
};

/* Check the owner and the new expiry, and write it. */
static int
sub_renew_txn(struct store *st, MDB_txn *txn, void *arg)
{
	struct sub_renew_op	*op = arg;
	struct subscription_row	 row;
	int			 rc;

	if ((rc = sub_find(st, txn, op->id, op->owner, &row, op->s)) != 0)
		return rc;
	if (row.expires <= presence_now())
		return STORE_ENOTFOUND;
	if ((rc = subscription_check_expiry(op->expires, presence_now(),
	    op->fault)) != 0)
		return rc;
	op->s->expires = op->expires;
	return config_put(st, txn, op->s);
}

/* Give the subscription id a new expiry. */
int
store_subscription_renew(struct store *st, const char *id, const char *owner,
    int64_t expires, struct subscription *out, struct fault *fault)
{
	struct sub_renew_op	op = { id, owner, expires, out, fault };
	int			rc;

	if (!st->has_notify)
		return STORE_ENOTFOUND;
	if (out == NULL && (op.s = malloc(sizeof *op.s)) == NULL)
		return STORE_ENOMEM;
	rc = store_write(st, sub_renew_txn, &op);
	if (out == NULL)
		free(op.s);
	return rc;
}

/* What deleting asks of its write transaction. */
struct sub_delete_op {
	const char	*id, *owner;
};

/* Check the owner and delete the subscription with its backlog. */
static int
sub_delete_txn(struct store *st, MDB_txn *txn, void *arg)
{
	struct sub_delete_op	*op = arg;
	struct subscription_row	 row;
	int			 rc;

	if ((rc = sub_find(st, txn, op->id, op->owner, &row, NULL)) != 0)
		return rc;
	return sub_remove(st, txn, op->id);
}

/* Delete the subscription id with its backlog. */
int
store_subscription_delete(struct store *st, const char *id, const char *owner)
{
	struct sub_delete_op	op = { id, owner };

	if (!st->has_notify || strlen(id) != GUID_LEN)
		return STORE_ENOTFOUND;
	return store_write(st, sub_delete_txn, &op);
}

/*
 * Position c on the record of the first subscription after `after` ("":
 * the first), and read its row; MDB_NOTFOUND at the end.
 */
static int
sub_cursor_next(MDB_cursor *c, MDB_txn *txn, struct store *st, int first,
    const char *after, struct subscription_row *row)
{
	unsigned char	 k[SUB_KEY_LEN];
	MDB_val		 key, val;
	int		 rc;

	if (first && after != NULL && strlen(after) == GUID_LEN) {
		sub_key(k, after, 't');
		key.mv_size = SUB_KEY_LEN;
		key.mv_data = k;
		rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
	} else
		rc = mdb_cursor_get(c, &key, &val, first ? MDB_FIRST : MDB_NEXT);
	for (; rc == 0; rc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
		if (key.mv_size != SUB_KEY_LEN)
			return STORE_ECORRUPT;
		if (((unsigned char *)key.mv_data)[GUID_LEN] != 'c')
			continue;
		memcpy(row->id, key.mv_data, GUID_LEN);
		row->id[GUID_LEN] = '\0';
		if ((rc = config_decode(&val, row, NULL)) != 0)
			return rc;
		return state_get(st, txn, row->id, &row->state);
	}
	return rc;
}

/* Read one page of subscriptions in id order. */
int
store_subscription_page(struct store *st, const char *owner,
    const char *after, struct subscription_row *rows, size_t max, size_t *n,
    int *more)
{
	struct subscription_row	*row;
	MDB_cursor		*c;
	MDB_txn			*txn;
	int			 rc, first = 1;

	*n = 0;
	*more = 0;
	if (!st->has_notify)
		return 0;
	if ((row = malloc(sizeof *row)) == NULL)
		return STORE_ENOMEM;
	if ((rc = store_begin(st, 0, &txn)) != 0)
		goto free_row;
	if ((rc = store_err(mdb_cursor_open(txn, st->subscriptions, &c))) != 0)
		goto abort_txn;
	while ((rc = sub_cursor_next(c, txn, st, first, after, row)) == 0) {
		first = 0;
		if (!sub_visible(row, owner))
			continue;
		if (*n == max) {
			*more = 1;
			break;
		}
		rows[(*n)++] = *row;
	}
	rc = rc == MDB_NOTFOUND ? 0 : rc < 0 ? rc : store_err(rc);
	mdb_cursor_close(c);
abort_txn:
	store_abort(st, txn);
free_row:
	free(row);
	return rc;
}

/* Whether a subscription's state asks for a delivery. */
static int
state_has_work(const struct subscription_state *sst)
{
	return sst->backlog > 0 || sst->missed || sst->removed;
}

/* The subscriptions with something to deliver due at now. */
int
store_notify_due(struct store *st, int64_t now, char (*ids)[GUID_LEN + 1],
    size_t max, size_t *n, int64_t *next)
{
	struct subscription_state	 sst;
	MDB_cursor			*c;
	MDB_txn				*txn;
	MDB_val				 key, val;
	int				 rc;

	*n = 0;
	*next = 0;
	if (!st->has_notify)
		return 0;
	if ((rc = store_begin(st, 0, &txn)) != 0)
		return rc;
	if ((rc = store_err(mdb_cursor_open(txn, st->subscriptions, &c))) != 0)
		goto abort_txn;
	for (rc = mdb_cursor_get(c, &key, &val, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
		if (key.mv_size != SUB_KEY_LEN ||
		    ((unsigned char *)key.mv_data)[GUID_LEN] != 's')
			continue;
		if ((rc = state_decode(&val, &sst)) != 0)
			break;
		if (!state_has_work(&sst))
			continue;
		if (sst.next_attempt > now) {
			if (*next == 0 || sst.next_attempt < *next)
				*next = sst.next_attempt;
		} else if (*n < max) {
			memcpy(ids[*n], key.mv_data, GUID_LEN);
			ids[(*n)++][GUID_LEN] = '\0';
		}
	}
	rc = rc == MDB_NOTFOUND ? 0 : rc < 0 ? rc : store_err(rc);
	mdb_cursor_close(c);
abort_txn:
	store_abort(st, txn);
	return rc;
}

/* Read up to NOTIFY_BATCH_MAX outbox rows of the subscription id. */
static int
outbox_read(struct store *st, MDB_txn *txn, const char *id,
    struct notify_batch *out)
{
	unsigned char		 k[OUT_KEY_LEN];
	struct notify_item	*it;
	MDB_cursor		*c;
	MDB_val			 key = { OUT_KEY_LEN, k }, val;
	const unsigned char	*v;
	int			 rc;

	memcpy(k, id, GUID_LEN);
	put_be64(k + GUID_LEN, 0);
	if ((rc = mdb_cursor_open(txn, st->outbox, &c)) != 0)
		return store_err(rc);
	rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
	while (rc == 0 && out->n < NOTIFY_BATCH_MAX &&
	    key.mv_size == OUT_KEY_LEN &&
	    memcmp(key.mv_data, id, GUID_LEN) == 0) {
		if (val.mv_size != OUT_VAL_LEN) {
			rc = STORE_ECORRUPT;
			break;
		}
		it = &out->items[out->n++];
		v = val.mv_data;
		it->counter = get_be64((unsigned char *)key.mv_data + GUID_LEN);
		memcpy(it->presence, v, GUID_LEN);
		it->presence[GUID_LEN] = '\0';
		it->sequence = get_be64(v + GUID_LEN);
		it->committed = (int64_t)get_be64(v + GUID_LEN + 8);
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND || rc == 0 ? 0 : rc < 0 ? rc : store_err(rc);
}

/* Read what to deliver next to the subscription id. */
int
store_notify_take(struct store *st, const char *id, struct notify_batch *out)
{
	MDB_txn	*txn;
	int	 rc;

	out->n = 0;
	if (!st->has_notify)
		return STORE_ENOTFOUND;
	if ((rc = store_begin(st, 0, &txn)) != 0)
		return rc;
	if ((rc = sub_find(st, txn, id, NULL, &out->sub, NULL)) == 0)
		rc = outbox_read(st, txn, id, out);
	store_abort(st, txn);
	return rc;
}

/* What recording a delivery asks of its write transaction. */
struct notify_done_op {
	const char	*id;
	uint64_t	 upto, dropped;
	int		 missed, removed, failed;
	int64_t		 now, retry_at;
	const char	*result;
};

/* Record a delivery's outcome: rows delivered, events cleared, a retry. */
static int
notify_done_txn(struct store *st, MDB_txn *txn, void *arg)
{
	struct notify_done_op		*op = arg;
	struct subscription_state	 sst;
	struct subscription_row		 row;
	uint64_t			 gone = 0;
	int				 missed, rc;

	if ((rc = config_get(st, txn, op->id, &row, NULL)) != 0 ||
	    (rc = state_get(st, txn, op->id, &sst)) != 0)
		return rc;
	if (op->removed || (op->failed && sst.removed && row.expires <= op->now))
		return sub_remove(st, txn, op->id);
	/* A drop after the take asks for another "missed". */
	missed = op->missed && sst.dropped == op->dropped;
	if (!op->failed && op->upto == 0 && op->missed) {
		/*
		 * Only the lifecycle URL answered: the notification URL's
		 * backoff and last result stay as its own POSTs left them.
		 */
		sst.missed = missed ? 0 : sst.missed;
		return state_put(st, txn, op->id, &sst);
	}
	sst.last_attempt = op->now;
	snprintf(sst.last_result, sizeof sst.last_result, "%s", op->result);
	if (op->failed) {
		sst.failures++;
		sst.next_attempt = op->retry_at;
		return state_put(st, txn, op->id, &sst);
	}
	if (op->upto > 0 &&
	    (rc = outbox_drop(st, txn, op->id, op->upto, &gone)) != 0)
		return rc;
	sst.backlog = sst.backlog > gone ? sst.backlog - gone : 0;
	sst.delivered += gone;
	if (missed)
		sst.missed = 0;
	sst.last_success = op->now;
	sst.failures = 0;
	sst.next_attempt = 0;
	return state_put(st, txn, op->id, &sst);
}

/* Record a delivery acknowledged at now. */
int
store_notify_done(struct store *st, const char *id, uint64_t upto,
    int missed, uint64_t dropped, int removed, int64_t now, const char *result)
{
	struct notify_done_op	op = { id, upto, dropped, missed, removed, 0,
	    now, 0, result };

	if (!st->has_notify)
		return STORE_ENOTFOUND;
	return store_write(st, notify_done_txn, &op);
}

/* Record a failed delivery, to be tried again from retry_at. */
int
store_notify_failed(struct store *st, const char *id, int64_t now,
    int64_t retry_at, const char *result)
{
	struct notify_done_op	op = { id, 0, 0, 0, 0, 1, now, retry_at,
	    result };

	if (!st->has_notify)
		return STORE_ENOTFOUND;
	return store_write(st, notify_done_txn, &op);
}

/* Notify one presence's clock event due now; its clock row moves on. */
static int
tick_presence(struct store *st, MDB_txn *txn, const char *pid, int64_t now)
{
	struct presence_view	 view;
	struct presence		*p;
	int			 rc, watched;

	if ((p = malloc(sizeof *p)) == NULL)
		return STORE_ENOMEM;
	rc = presence_load(st, txn, pid, p);
	if (rc == STORE_ENOTFOUND) {
		rc = clock_set(st, txn, pid, 0);
		goto free_p;
	}
	if (rc != 0)
		goto free_p;
	presence_view(p, now, &view);
	rc = notify_watchers(st, txn, pid, view.sequence, now,
	    view.next_event, &watched);
	if (rc == 0 && !watched)
		rc = clock_set(st, txn, pid, 0);
free_p:
	free(p);
	return rc;
}

/*
 * Take up to TICK_CHUNK presences whose clock event is due by now into
 * pids; *next is the first instant after them (0: none).
 */
static int
tick_due(struct store *st, MDB_txn *txn, int64_t now,
    char (*pids)[GUID_LEN + 1], size_t *n, int64_t *next)
{
	unsigned char	 k[1] = { 'i' };
	MDB_cursor	*c;
	MDB_val		 key = { 1, k }, val;
	int64_t		 at;
	int		 rc;

	*n = 0;
	*next = 0;
	if ((rc = mdb_cursor_open(txn, st->clock, &c)) != 0)
		return store_err(rc);
	rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
	for (; rc == 0; rc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
		if (key.mv_size != CLOCK_KEY_LEN ||
		    ((unsigned char *)key.mv_data)[0] != 'i')
			break;
		at = (int64_t)get_be64((unsigned char *)key.mv_data + 1);
		if (at > now || *n == TICK_CHUNK) {
			*next = at;
			break;
		}
		memcpy(pids[*n], (unsigned char *)key.mv_data + 9, GUID_LEN);
		pids[(*n)++][GUID_LEN] = '\0';
	}
	mdb_cursor_close(c);
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_err(rc);
}

/*
 * The subscriptions expired by now into ids (up to max) and *first, the
 * earliest expiry after now (0: none).
 */
static int
tick_expired(struct store *st, MDB_txn *txn, int64_t now,
    char (*ids)[GUID_LEN + 1], size_t max, size_t *n, int64_t *first)
{
	struct subscription_row	*row;
	MDB_cursor		*c;
	int			 rc, start = 1;

	*n = 0;
	*first = 0;
	if ((row = malloc(sizeof *row)) == NULL)
		return STORE_ENOMEM;
	if ((rc = mdb_cursor_open(txn, st->subscriptions, &c)) != 0) {
		free(row);
		return store_err(rc);
	}
	while ((rc = sub_cursor_next(c, txn, st, start, NULL, row)) == 0) {
		start = 0;
		if (row->expires > now) {
			if (*first == 0 || row->expires < *first)
				*first = row->expires;
		} else if (*n < max)
			memcpy(ids[(*n)++], row->id, GUID_LEN + 1);
	}
	mdb_cursor_close(c);
	free(row);
	return rc == MDB_NOTFOUND ? 0 : rc < 0 ? rc : store_err(rc);
}

/* What a tick finds, and does in its write transaction. */
struct tick_op {
	int64_t		 now, next;
	char		 (*pids)[GUID_LEN + 1];
	size_t		 npids;
	char		 (*subs)[GUID_LEN + 1];
	size_t		 nsubs;
};

/* Look for due work; in a write transaction, do it. */
static int
tick_txn(struct store *st, MDB_txn *txn, void *arg)
{
	struct tick_op	*op = arg;
	int64_t		 clock_next, expiry_next;
	size_t		 i;
	int		 rc;

	if ((rc = tick_due(st, txn, op->now, op->pids, &op->npids,
	    &clock_next)) != 0 ||
	    (rc = tick_expired(st, txn, op->now, op->subs, TICK_CHUNK,
	    &op->nsubs, &expiry_next)) != 0)
		return rc;
	op->next = clock_next;
	if (expiry_next != 0 && (op->next == 0 || expiry_next < op->next))
		op->next = expiry_next;
	if (op->npids == TICK_CHUNK || op->nsubs == TICK_CHUNK)
		op->next = op->now;	/* more at once */
	for (i = 0; i < op->nsubs && rc == 0; i++)
		rc = sub_remove(st, txn, op->subs[i]);
	for (i = 0; i < op->npids && rc == 0; i++)
		rc = tick_presence(st, txn, op->pids[i], op->now);
	return rc;
}

/* Notify due clock events and delete expired subscriptions. */
int
store_notify_tick(struct store *st, int64_t now, int64_t *next)
{
	struct tick_op	 op;
	MDB_txn		*txn;
	int		 rc;

	*next = 0;
	if (!st->has_notify)
		return 0;
	memset(&op, 0, sizeof op);
	op.now = now;
	op.pids = calloc(TICK_CHUNK, sizeof *op.pids);
	op.subs = calloc(TICK_CHUNK, sizeof *op.subs);
	if (op.pids == NULL || op.subs == NULL) {
		rc = STORE_ENOMEM;
		goto free_op;
	}
	/* Look first in a read transaction: most ticks find nothing. */
	if ((rc = store_begin(st, 0, &txn)) != 0)
		goto free_op;
	rc = tick_due(st, txn, now, op.pids, &op.npids, next);
	if (rc == 0)
		rc = tick_expired(st, txn, now, op.subs, TICK_CHUNK, &op.nsubs,
		    &op.next);
	store_abort(st, txn);
	if (rc == 0 && op.next != 0 && (*next == 0 || op.next < *next))
		*next = op.next;
	if (rc != 0 || (op.npids == 0 && op.nsubs == 0))
		goto free_op;
	if ((rc = store_write(st, tick_txn, &op)) == 0)
		*next = op.next;
free_op:
	free(op.pids);
	free(op.subs);
	return rc;
}

/*
 * The token named owner is gone: its subscriptions stop watching, lose
 * their backlog and wait to send "subscriptionRemoved", or, without a
 * lifecycle URL, go at once (db.h).
 */
int
store_notify_owner_gone(struct store *st, MDB_txn *txn, const char *owner)
{
	struct subscription_state	 sst;
	struct subscription		*s;
	struct subscription_row		*row;
	char				(*ids)[GUID_LEN + 1] = NULL;
	MDB_cursor			*c;
	size_t				 n = 0, cap = 0, i;
	int				 rc, first = 1;
	void				*grown;

	if (!st->has_notify)
		return 0;
	s = malloc(sizeof *s);
	row = malloc(sizeof *row);
	if (s == NULL || row == NULL) {
		rc = STORE_ENOMEM;
		goto free_all;
	}
	if ((rc = store_err(mdb_cursor_open(txn, st->subscriptions, &c))) != 0)
		goto free_all;
	while ((rc = sub_cursor_next(c, txn, st, first, NULL, row)) == 0) {
		first = 0;
		if (row->state.removed || strcmp(row->owner, owner) != 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			if ((grown = realloc(ids, cap * sizeof *ids)) == NULL) {
				rc = STORE_ENOMEM;
				break;
			}
			ids = grown;
		}
		memcpy(ids[n++], row->id, GUID_LEN + 1);
	}
	mdb_cursor_close(c);
	rc = rc == MDB_NOTFOUND ? 0 : rc < 0 ? rc : store_err(rc);
	for (i = 0; i < n && rc == 0; i++) {
		if ((rc = config_get(st, txn, ids[i], row, s)) != 0)
			break;
		if (s->lifecycle_url[0] == '\0') {
			rc = sub_remove(st, txn, ids[i]);
			continue;
		}
		if ((rc = state_get(st, txn, ids[i], &sst)) != 0 ||
		    (rc = watch_drop(st, txn, ids[i], s)) != 0 ||
		    (rc = outbox_drop(st, txn, ids[i], UINT64_MAX, NULL)) != 0)
			break;
		sst.dropped += sst.backlog;
		sst.backlog = 0;
		sst.missed = 0;
		sst.removed = 1;
		sst.next_attempt = 0;
		rc = state_put(st, txn, ids[i], &sst);
	}
free_all:
	free(ids);
	free(row);
	free(s);
	return rc;
}

/* Count subscriptions and their backlogs into out (store_stat). */
int
store_notify_stat(struct store *st, MDB_txn *txn, size_t *count,
    uint64_t *backlog)
{
	struct subscription_state	 sst;
	MDB_cursor			*c;
	MDB_val				 key, val;
	int				 rc;

	*count = 0;
	*backlog = 0;
	if (!st->has_notify)
		return 0;
	if ((rc = mdb_cursor_open(txn, st->subscriptions, &c)) != 0)
		return store_err(rc);
	for (rc = mdb_cursor_get(c, &key, &val, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
		if (key.mv_size != SUB_KEY_LEN ||
		    ((unsigned char *)key.mv_data)[GUID_LEN] != 's')
			continue;
		if ((rc = state_decode(&val, &sst)) != 0)
			break;
		(*count)++;
		*backlog += sst.backlog;
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc < 0 ? rc : store_err(rc);
}
