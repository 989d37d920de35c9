/* The presences named database: create, read, delete, pages, bulk loads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "guid.h"
#include "record.h"

#define STORE_KEY_MAX	64	/* longest key a page may start from */

/* What a create asks of its write transaction. */
struct store_create_op {
	struct presence		*p;
	struct fault		*fault;
};

/* The next multiple of PRESENCE_SEQ_STEP above counter. */
uint64_t
store_seq_next(uint64_t counter)
{
	return (counter / PRESENCE_SEQ_STEP + 1) * PRESENCE_SEQ_STEP;
}

/* Take the sequence number of a write from the database's counter. */
int
store_seq_take(struct store *st, MDB_txn *txn, uint64_t *seq)
{
	uint64_t	counter;
	int		rc;

	if ((rc = store_meta_get(st, txn, "sequence", &counter)) != 0)
		return rc;
	*seq = store_seq_next(counter);
	return store_meta_put(st, txn, "sequence", *seq);
}

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
	    (rc = store_seq_take(st, txn, &seq)) != 0)
		return rc;
	p->sequence = seq;
	p->created = p->modified = presence_now();
	key.mv_size = GUID_LEN;
	key.mv_data = p->id;
	val.mv_size = record_encode(p, rec);
	val.mv_data = rec;
	if ((rc = store_err(mdb_put(txn, st->presences, &key, &val,
	    MDB_NOOVERWRITE))) != 0)
		return rc;
	return store_notify_presence(st, txn, p->id, p, p->modified);
}

/* Store a new presence; 0 only after the commit returned. */
int
store_create(struct store *st, struct presence *p,
    struct fault *fault)
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

/* Read the presence with canonical id inside a transaction. */
int
store_presence_read(struct store *st, MDB_txn *txn, const char *id,
    struct presence *out)
{
	MDB_val	key = { strlen(id), (void *)id }, val;
	int	rc;

	if (key.mv_size != GUID_LEN)
		return STORE_ENOTFOUND;
	if ((rc = store_err(mdb_get(txn, st->presences, &key, &val))) != 0)
		return rc;
	return store_decode(&key, &val, out);
}

/* Write p back, changed at now, with a new sequence number. */
int
store_presence_write(struct store *st, MDB_txn *txn, struct presence *p,
    int64_t now)
{
	unsigned char	rec[RECORD_MAX];
	MDB_val		key = { GUID_LEN, p->id }, val;
	int		rc;

	if ((rc = store_seq_take(st, txn, &p->sequence)) != 0)
		return rc;
	p->modified = now;
	val.mv_size = record_encode(p, rec);
	val.mv_data = rec;
	if ((rc = store_err(mdb_put(txn, st->presences, &key, &val, 0))) != 0)
		return rc;
	/* The change and its notifications commit together. */
	return store_notify_presence(st, txn, p->id, p, now);
}

/* Read the presence with canonical id into *out. */
int
store_get(struct store *st, const char *id, struct presence *out)
{
	MDB_txn	*txn;
	int	 rc;

	if (strlen(id) != GUID_LEN)
		return STORE_ENOTFOUND;
	if ((rc = store_begin(st, 0, &txn)) != 0)
		return rc;
	rc = store_presence_read(st, txn, id, out);
	store_abort(st, txn);
	return rc;
}

/* Delete one presence inside a write transaction. */
static int
store_delete_txn(struct store *st, MDB_txn *txn, void *arg)
{
	MDB_val	key = { GUID_LEN, arg };
	int	rc;

	if ((rc = store_err(mdb_del(txn, st->presences, &key, NULL))) != 0)
		return rc;
	return store_notify_presence(st, txn, arg, NULL, presence_now());
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

/* Fault about a member of a loaded presence's session i. */
static int
store_import_session_fail(struct fault *fault, size_t i,
    const char *key, const char *what)
{
	if (fault == NULL)
		return STORE_EINVAL;
	snprintf(fault->name, sizeof fault->name, "sessions[%zu].%s", i, key);
	fault_set(fault, fault->name, "'%s' %s", fault->name, what);
	return STORE_EINVAL;
}

/*
 * Check the sessions and the preferred presence of a loaded presence:
 * what setPresence and setUserPreferredPresence could have stored.
 */
static int
store_import_check_sessions(const struct presence *p,
    struct fault *fault)
{
	const struct presence_session	*s;
	int64_t				 d;
	size_t				 i, j;

	if (p->nsessions > PRESENCE_SESSIONS_MAX) {
		fault_set(fault, "sessions", "'sessions' holds more "
		    "than %d sessions", PRESENCE_SESSIONS_MAX);
		return STORE_EINVAL;
	}
	if (p->nsessions > 0 && !p->sessions_seen) {
		fault_set(fault, "sessionsSeen", "'sessionsSeen' must "
		    "be true when there are 'sessions'");
		return STORE_EINVAL;
	}
	for (i = 0; i < p->nsessions; i++) {
		s = &p->sessions[i];
		if (!session_id_valid(s->id, strnlen(s->id, sizeof s->id)))
			return store_import_session_fail(fault, i, "sessionId",
			    "must be 1 to 64 bytes of printable ASCII");
		for (j = 0; j < i; j++)
			if (strcmp(p->sessions[j].id, s->id) == 0)
				return store_import_session_fail(fault, i,
				    "sessionId", "repeats an earlier session's");
		if (s->pair >= SESSION_NPAIRS)
			return store_import_session_fail(fault, i, "activity",
			    "is not in a pair setPresence accepts");
		if (s->refreshed <= 0)
			return store_import_session_fail(fault, i,
			    "refreshedDateTime", "must be after 1970");
		d = s->expires - s->refreshed;
		if (d < SESSION_DURATION_MIN || d > SESSION_DURATION_MAX)
			return store_import_session_fail(fault, i,
			    "expirationDateTime", "must be 5 minutes to 4 hours "
			    "after its 'refreshedDateTime'");
	}
	if (p->preferred.set && p->preferred.pair >= PREFERRED_NPAIRS) {
		fault_set(fault, "preferredPresence.activity",
		    "'preferredPresence.activity' is not in a pair "
		    "setUserPreferredPresence accepts");
		return STORE_EINVAL;
	}
	if (p->preferred.set && p->preferred.expires <= 0) {
		fault_set(fault, "preferredPresence.expirationDateTime",
		    "'preferredPresence.expirationDateTime' must be after 1970");
		return STORE_EINVAL;
	}
	return 0;
}

/* Check the status message, out of office and work location of a load. */
static int
store_import_check_notes(const struct presence *p, struct fault *fault)
{
	static const char *const where[2] = { "manualLocation",
	    "automaticLocation" };
	const struct note_location	*l;
	int				 i, rc;

	if (p->status.set && (rc = note_status_check(&p->status, fault)) != 0)
		return rc;
	if ((rc = note_check_text("outOfOfficeSettings.message",
	    p->ooo.message, strnlen(p->ooo.message, sizeof p->ooo.message),
	    NOTE_MESSAGE_MAX, 1, fault)) != 0)
		return rc;
	for (i = 0; i < 2; i++) {
		l = i == 0 ? &p->manual : &p->automatic;
		if (!l->set)
			continue;
		if (l->type >= NOTE_NWORK) {
			fault_set(fault, where[i], "'%s' has an unknown "
			    "workLocationType", where[i]);
			return STORE_EINVAL;
		}
		if (note_check_text(where[i], l->place, strnlen(l->place,
		    sizeof l->place), NOTE_PLACE_MAX, 0, fault) != 0)
			return STORE_EINVAL;
	}
	return 0;
}

/* Check one presence of a bulk load before it is loaded. */
int
store_import_check(const struct presence *p, enum presence_mode mode,
    int skip_same, struct fault *fault)
{
	int	rc;

	if (p->id[0] != '\0' && !guid_is_canonical(p->id)) {
		fault_set(fault, "id", "'id' must be a GUID");
		return STORE_EINVAL;
	}
	if (p->id[0] == '\0' && skip_same) {
		fault_set(fault, "id", "a presence without an 'id' "
		    "cannot be resumed: it would be created again");
		return STORE_EINVAL;
	}
	if ((p->created == 0) != (p->modified == 0)) {
		fault_set(fault, p->created == 0 ? "createdDateTime" :
		    "lastModifiedDateTime", "'createdDateTime' and "
		    "'lastModifiedDateTime' must be given together");
		return STORE_EINVAL;
	}
	if ((rc = store_import_check_sessions(p, fault)) != 0 ||
	    (rc = store_import_check_notes(p, fault)) != 0)
		return rc;
	return presence_validate(p, mode, fault);
}

/* Whether two presences hold the same sessions, in the same order. */
static int
store_sessions_same(const struct presence *a, const struct presence *b)
{
	const struct presence_session	*s, *t;
	size_t				 i;

	if (a->nsessions != b->nsessions)
		return 0;
	for (i = 0; i < a->nsessions; i++) {
		s = &a->sessions[i];
		t = &b->sessions[i];
		if (strcmp(s->id, t->id) != 0 || s->pair != t->pair ||
		    s->refreshed != t->refreshed || s->expires != t->expires)
			return 0;
	}
	return 1;
}

/* Whether two status messages are the same. */
static int
store_status_same(const struct note_status *a, const struct note_status *b)
{
	if (a->set != b->set)
		return 0;
	return !a->set || (strcmp(a->content, b->content) == 0 &&
	    a->published == b->published && a->expires == b->expires &&
	    strcmp(a->expiry_time, b->expiry_time) == 0 &&
	    strcmp(a->expiry_zone, b->expiry_zone) == 0);
}

/* Whether two work location layers are the same. */
static int
store_location_same(const struct note_location *a,
    const struct note_location *b)
{
	if (a->set != b->set)
		return 0;
	return !a->set || (a->type == b->type &&
	    strcmp(a->place, b->place) == 0);
}

/* Whether a loaded presence has the content of the stored one. */
const char *
store_import_differs(const struct presence *stored, const struct presence *p)
{
	if (strcmp(stored->availability, p->availability) != 0)
		return "availability";
	if (strcmp(stored->activity, p->activity) != 0)
		return "activity";
	if (!stored->sessions_seen != !p->sessions_seen)
		return "sessionsSeen";
	if (!store_sessions_same(stored, p))
		return "sessions";
	if (stored->preferred.set != p->preferred.set ||
	    (p->preferred.set && (stored->preferred.pair != p->preferred.pair ||
	    stored->preferred.expires != p->preferred.expires)))
		return "preferredPresence";
	if (!store_status_same(&stored->status, &p->status))
		return "statusMessage";
	if (!stored->ooo.on != !p->ooo.on ||
	    strcmp(stored->ooo.message, p->ooo.message) != 0)
		return "outOfOfficeSettings";
	if (!store_location_same(&stored->manual, &p->manual))
		return "manualLocation";
	if (!store_location_same(&stored->automatic, &p->automatic))
		return "automaticLocation";
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
 * keeps them, else the counter's next step.  STORE_IMPORT_RENUMBER when a
 * kept number would not be above every number stored, or is not a
 * multiple of PRESENCE_SEQ_STEP.
 */
static int
store_import_number(const struct store_import_op *op,
    const struct presence *p, uint64_t *seq)
{
	if (!op->keep) {
		*seq = store_seq_next(op->seq);
		return 0;
	}
	/* A number shown is the stored one plus fewer than a step. */
	if (p->sequence == 0 || p->sequence <= op->floor ||
	    p->sequence % PRESENCE_SEQ_STEP != 0 ||
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
		fault_set(&imp->fault, "id",
		    "presence '%s' already exists", p->id);
		return store_import_refuse(imp, p, STORE_EEXIST);
	}
	if ((rc = store_decode(key, val, &old)) != 0)
		return rc;
	if ((what = store_import_differs(&old, p)) == NULL) {
		op->skipped++;
		return 0;
	}
	fault_set(&imp->fault, what, "presence '%s' already exists "
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
	if ((rc = store_notify_presence(st, txn, q.id, &q, op->now)) != 0)
		return rc;
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
