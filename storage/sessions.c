/*
 * A presence's sessions, preferred presence, status message,
 * out-of-office settings and work location, kept inside its record:
 * setPresence, clearPresence, the preferred presence, setStatusMessage,
 * the location actions, the operator's out of office, and reads of many.
 * Each change is one write transaction that reads the presence, drops
 * what has expired, changes it and writes it back with a new number.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "guid.h"

/* Read the presence id with what it shows now. */
int
store_get_view(struct store *st, const char *id, struct presence *out,
    struct presence_view *view)
{
	int	rc;

	if ((rc = store_get(st, id, out)) != 0)
		return rc;
	presence_view(out, presence_now(), view);
	return 0;
}

/* Order indexes into the ids arg by their id, then by position. */
static int
store_many_cmp(const void *a, const void *b, void *arg)
{
	const char *const	*ids = arg;
	size_t			 i = *(const size_t *)a, j = *(const size_t *)b;
	int			 c = strcmp(ids[i], ids[j]);

	return c != 0 ? c : (i > j) - (i < j);
}

/*
 * Mark in repeated[] every id that came earlier in ids: sorting keeps
 * this O(n log n), where looking back at every id was quadratic.
 */
static int
store_many_repeats(const char *const *ids, size_t n, unsigned char *repeated)
{
	size_t	*order, i;

	memset(repeated, 0, n);
	if (n < 2)
		return 0;
	if ((order = malloc(n * sizeof *order)) == NULL)
		return STORE_ENOMEM;
	for (i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof *order, store_many_cmp, (void *)ids);
	for (i = 1; i < n; i++)
		if (strcmp(ids[order[i]], ids[order[i - 1]]) == 0)
			repeated[order[i]] = 1;
	free(order);
	return 0;
}

/* Read many presences in one read transaction. */
int
store_get_many(struct store *st, const char *const *ids, size_t n,
    struct presence *out, struct presence_view *views, size_t *found)
{
	unsigned char	*repeated;
	MDB_txn		*txn;
	int64_t		 now;
	size_t		 i;
	int		 rc;

	*found = 0;
	if ((repeated = malloc(n > 0 ? n : 1)) == NULL)
		return STORE_ENOMEM;
	if ((rc = store_many_repeats(ids, n, repeated)) != 0)
		goto free_repeated;
	if ((rc = store_begin(st, 0, &txn)) != 0)
		goto free_repeated;
	for (i = 0; i < n; i++) {
		if (repeated[i] || strlen(ids[i]) != GUID_LEN ||
		    !guid_is_canonical(ids[i]))
			continue;
		rc = store_presence_read(st, txn, ids[i], &out[*found]);
		if (rc == STORE_ENOTFOUND)
			continue;
		if (rc != 0)
			goto abort_txn;
		(*found)++;
	}
	rc = 0;
abort_txn:
	store_abort(st, txn);
free_repeated:
	free(repeated);
	if (rc != 0) {
		*found = 0;
		return rc;
	}
	now = presence_now();
	for (i = 0; views != NULL && i < *found; i++)
		presence_view(&out[i], now, &views[i]);
	return 0;
}

/* What one change to a presence asks of its write transaction. */
struct store_change_op {
	const char			*id;
	const struct session_set	*session;
	const char			*session_id;	/* clearPresence */
	const struct preferred_set	*preferred;
	int				 clear_preferred;
	const struct note_status	*status;	/* set, or clear */
	const struct note_ooo		*ooo;
	const struct note_location	*location;
	int				 location_op;	/* enum store_location_op,
							   or -1: none */
	struct fault			*fault;
};

/* The session of p with id session_id, or NULL. */
static struct presence_session *
store_session_find(struct presence *p, const char *session_id)
{
	size_t	i;

	for (i = 0; i < p->nsessions; i++)
		if (strcmp(p->sessions[i].id, session_id) == 0)
			return &p->sessions[i];
	return NULL;
}

/* Check a setPresence request before anything is read. */
static int
store_session_check(const struct session_set *req,
    struct fault *fault)
{
	int64_t	d = req->duration;

	if (!session_id_valid(req->session_id, strnlen(req->session_id,
	    sizeof req->session_id))) {
		fault_set(fault, "sessionId", "'sessionId' must be "
		    "1 to %d bytes of printable ASCII", SESSION_ID_MAX);
		return STORE_EINVAL;
	}
	if (req->pair < 0 || req->pair >= SESSION_NPAIRS) {
		fault_set(fault, "activity", "'activity': not a pair "
		    "setPresence accepts");
		return STORE_EINVAL;
	}
	if (d != 0 && (d < SESSION_DURATION_MIN || d > SESSION_DURATION_MAX)) {
		fault_set(fault, "expirationDuration",
		    "'expirationDuration' must be from PT5M to PT4H");
		return STORE_EINVAL;
	}
	return 0;
}

/* Create or refresh the session of a setPresence in p at now. */
static int
store_session_apply(struct presence *p, const struct session_set *req,
    int64_t now, struct fault *fault)
{
	struct presence_session	*s = store_session_find(p, req->session_id);

	if (s == NULL) {
		if (p->nsessions == PRESENCE_SESSIONS_MAX) {
			fault_set(fault, "sessionId", "'sessionId': a "
			    "presence holds at most %d sessions; clear one or "
			    "let it expire", PRESENCE_SESSIONS_MAX);
			return STORE_EINVAL;
		}
		s = &p->sessions[p->nsessions++];
		memset(s, 0, sizeof *s);
		memcpy(s->id, req->session_id, strnlen(req->session_id,
		    SESSION_ID_MAX));
	}
	s->pair = (unsigned char)req->pair;
	s->refreshed = now;
	s->expires = now + (req->duration != 0 ? req->duration :
	    SESSION_DURATION_DEFAULT);
	p->sessions_seen = 1;
	return 0;
}

/* Set the preferred presence of p at now. */
static void
store_preferred_apply(struct presence *p, const struct preferred_set *req,
    int64_t now)
{
	int64_t	d = req->duration;

	if (d == 0)
		d = req->pair == PREFERRED_BUSY ||
		    req->pair == PREFERRED_DO_NOT_DISTURB ?
		    PREFERRED_DURATION_SHORT : PREFERRED_DURATION_LONG;
	p->preferred.set = 1;
	p->preferred.pair = (unsigned char)req->pair;
	p->preferred.expires = now + d;
}

/*
 * Change what p says beside its availability as op asks; 1 when a clear
 * finds nothing to clear (nothing shown changes), else 0.
 */
static int
store_note_apply(struct presence *p, const struct store_change_op *op,
    int64_t now)
{
	if (op->status != NULL) {
		if (!op->status->set && !p->status.set)
			return 1;
		if (op->status->set) {
			p->status = *op->status;
			p->status.published = now;
		} else
			memset(&p->status, 0, sizeof p->status);
	}
	if (op->ooo != NULL)
		p->ooo = *op->ooo;
	switch (op->location_op) {
	case STORE_LOCATION_MANUAL:
		p->manual = *op->location;
		p->manual.set = 1;
		break;
	case STORE_LOCATION_AUTOMATIC:
		p->automatic = *op->location;
		p->automatic.set = 1;
		break;
	case STORE_LOCATION_CLEAR_AUTOMATIC:
		if (!p->automatic.set)
			return 1;
		memset(&p->automatic, 0, sizeof p->automatic);
		break;
	case STORE_LOCATION_CLEAR:
		if (!p->manual.set && !p->automatic.set)
			return 1;
		memset(&p->manual, 0, sizeof p->manual);
		memset(&p->automatic, 0, sizeof p->automatic);
		break;
	}
	return 0;
}

/* Read, change and write back one presence. */
static int
store_change_txn(struct store *st, MDB_txn *txn, void *arg)
{
	struct store_change_op	*op = arg;
	struct presence_session	*s;
	struct presence		 p;
	int64_t			 now = presence_now();
	int			 rc;

	if ((rc = store_presence_read(st, txn, op->id, &p)) != 0)
		return rc;
	presence_prune(&p, now);
	if (op->session != NULL &&
	    (rc = store_session_apply(&p, op->session, now, op->fault)) != 0)
		return rc;
	if (op->session_id != NULL) {
		if ((s = store_session_find(&p, op->session_id)) == NULL)
			return STORE_ENOSESSION;
		p.nsessions--;
		memmove(s, s + 1, (size_t)(p.sessions + p.nsessions - s) *
		    sizeof *s);
	}
	if (op->preferred != NULL)
		store_preferred_apply(&p, op->preferred, now);
	if (op->clear_preferred) {
		if (!p.preferred.set)
			return 0;	/* nothing shown changes */
		memset(&p.preferred, 0, sizeof p.preferred);
	}
	if (store_note_apply(&p, op, now) != 0)
		return 0;		/* nothing shown changes */
	return store_presence_write(st, txn, &p, now);
}

/* Create or refresh a session. */
int
store_session_set(struct store *st, const char *id,
    const struct session_set *req, struct fault *fault)
{
	struct store_change_op	op = { .id = id, .session = req,
	    .location_op = -1, .fault = fault };
	int			rc;

	if ((rc = store_session_check(req, fault)) != 0)
		return rc;
	return store_write(st, store_change_txn, &op);
}

/* End a session. */
int
store_session_clear(struct store *st, const char *id, const char *session_id)
{
	struct store_change_op	op = { .id = id, .session_id = session_id,
	    .location_op = -1 };

	return store_write(st, store_change_txn, &op);
}

/* Set the preferred presence. */
int
store_preferred_set(struct store *st, const char *id,
    const struct preferred_set *req, struct fault *fault)
{
	struct store_change_op	op = { .id = id, .preferred = req,
	    .location_op = -1, .fault = fault };

	if (req->pair < 0 || req->pair >= PREFERRED_NPAIRS) {
		fault_set(fault, "activity", "'activity': not a pair "
		    "setUserPreferredPresence accepts");
		return STORE_EINVAL;
	}
	if (req->duration < 0 || req->duration > PREFERRED_DURATION_MAX) {
		fault_set(fault, "expirationDuration",
		    "'expirationDuration' must be positive and at most P365D");
		return STORE_EINVAL;
	}
	return store_write(st, store_change_txn, &op);
}

/* Clear the preferred presence. */
int
store_preferred_clear(struct store *st, const char *id)
{
	struct store_change_op	op = { .id = id, .clear_preferred = 1,
	    .location_op = -1 };

	return store_write(st, store_change_txn, &op);
}

/* Set or clear the status message. */
int
store_status_set(struct store *st, const char *id,
    const struct note_status *req, struct fault *fault)
{
	struct store_change_op	op = { .id = id, .status = req,
	    .location_op = -1, .fault = fault };
	int			rc;

	if (req->set && ((rc = note_check_text("statusMessage.message.content",
	    req->content, strnlen(req->content, sizeof req->content),
	    NOTE_MESSAGE_MAX, 1, fault)) != 0 || req->expires < 0))
		return STORE_EINVAL;
	return store_write(st, store_change_txn, &op);
}

/* Set the out-of-office settings. */
int
store_ooo_set(struct store *st, const char *id, const struct note_ooo *req,
    struct fault *fault)
{
	struct store_change_op	op = { .id = id, .ooo = req,
	    .location_op = -1, .fault = fault };

	if (note_check_text("outOfOfficeSettings.message", req->message,
	    strnlen(req->message, sizeof req->message), NOTE_MESSAGE_MAX, 1,
	    fault) != 0)
		return STORE_EINVAL;
	return store_write(st, store_change_txn, &op);
}

/* Run a work-location action. */
int
store_location_set(struct store *st, const char *id,
    enum store_location_op op_kind, const struct note_location *req,
    struct fault *fault)
{
	struct store_change_op	op = { .id = id, .location = req,
	    .location_op = (int)op_kind, .fault = fault };

	if (op_kind == STORE_LOCATION_MANUAL ||
	    op_kind == STORE_LOCATION_AUTOMATIC) {
		if (req->type >= NOTE_NWORK) {
			fault_set(fault, "workLocationType", "'workLocationType' "
			    "must be one of unspecified, office, remote, "
			    "timeOff");
			return STORE_EINVAL;
		}
		if (note_check_text("placeId", req->place, strnlen(req->place,
		    sizeof req->place), NOTE_PLACE_MAX, 0, fault) != 0)
			return STORE_EINVAL;
	}
	return store_write(st, store_change_txn, &op);
}
