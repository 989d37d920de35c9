/*
 * The presence store: one LMDB environment shared by every process of the
 * service.  No LMDB type crosses this header.
 *
 * A struct store may be used by several threads at once; each call runs in
 * its own transaction and holds none when it returns.  Returned presences
 * are copies the caller owns.
 */
#ifndef PRESENCE_STORAGE_STORE_H
#define PRESENCE_STORAGE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "presence.h"
#include "subscription.h"
#include "token.h"

/*
 * How commits reach the disk.  DURABLE (the default) syncs every commit, so
 * an acknowledged write survives a power loss.  NOSYNC leaves the flush to
 * the kernel: a process crash loses nothing, an operating-system crash or
 * power loss loses the last commits.
 */
enum store_durability {
	STORE_DURABLE,
	STORE_NOSYNC,
};

/*
 * The configuration every program opens the store with.  Set by
 * store_config_init, then by store_config_env and store_config_set, in
 * that order of precedence (options last).
 */
struct store_config {
	const char		*path;		/* environment directory; borrowed */
	size_t			 map_size;	/* initial map size, bytes */
	size_t			 map_max;	/* the map never grows past this */
	unsigned		 max_readers;	/* reader slots, all processes */
	int			 read_only;
	enum store_durability	 durability;
	int			 value_mode;	/* enum presence_mode, or -1: keep */
	uint64_t		 notify_backlog; /* pending notifications per
						   subscription at most, kept
						   in the database; 0: keep */
};

/* The compiled-in defaults. */
void store_config_init(struct store_config *cfg);

/*
 * Set one configuration key from its text form; the keys are "db",
 * "map-size", "map-max" (sizes take K, M, G or T), "max-readers",
 * "durability" ("durable" or "nosync"), "value-mode" ("any" or
 * "graph") and "notify-backlog" (1..NOTIFY_BACKLOG_MAX; both become the
 * database's at open).  value must
 * outlive cfg (it may be kept).  Returns 0 or
 * STORE_EINVAL for an unknown key or a bad value.
 */
int store_config_set(struct store_config *cfg, const char *key,
    const char *value);

/*
 * Apply the environment: PRESENCE_DB, PRESENCE_MAP_SIZE, PRESENCE_MAP_MAX,
 * PRESENCE_MAX_READERS, PRESENCE_DURABILITY, PRESENCE_VALUE_MODE,
 * PRESENCE_NOTIFY_BACKLOG.  Returns 0
 * or STORE_EINVAL with *bad naming the variable at fault.
 */
int store_config_env(struct store_config *cfg, const char **bad);

struct store;

/*
 * Open (creating when missing and not read-only) the environment at
 * cfg->path with cfg's flags and map size, clear stale reader slots, and
 * check or write the schema version.  Open after fork, once per process.
 * *out is set only on success; release it with store_close.
 *
 * data.mdb is checked before it is mapped: its meta pages, its length
 * against the last page they record (pages missing at the end must be
 * free ones, which LMDB may leave unwritten), and the root page of every
 * tree (STORE_EBADMETA, STORE_ESHORT, STORE_EBADROOT; store_error_is_damage
 * says yes to them).  Damage deeper in the trees is not looked for.
 * STORE_ENOTDIR, STORE_ELOCKFILE, STORE_EDATAFILE and STORE_EFSRDONLY
 * name what is wrong with the directory or its files.
 *
 * Every write checks, before its commit and again before it is
 * acknowledged, that lock.mdb is the file this open locked with; when it
 * was removed or replaced the write answers STORE_ELOCKGONE (and may or
 * may not be in data.mdb), and every write after it does too: close the
 * store and exit.
 */
int store_open(struct store **out, const struct store_config *cfg);

/* Close the environment; st may be NULL. */
void store_close(struct store *st);

/* The environment directory, valid while st is open. */
const char *store_path(const struct store *st);

/*
 * Whether this open found no data.mdb (or an empty one) and created a new,
 * empty database: worth a line in a log, since a lost data.mdb otherwise
 * comes back empty without a word.
 */
int store_created(const struct store *st);

/* The database's value mode, as read at open. */
enum presence_mode store_value_mode(const struct store *st);

/*
 * The database's backlog bound (notify-backlog) as this open left it,
 * and in *found (when not NULL) the one it found there (0: none, so the
 * default held).  Every writer reads the bound inside each write, so a
 * bound written by a later open holds for all processes from then on.
 */
uint64_t store_notify_backlog(const struct store *st, uint64_t *found);

/*
 * Store a new presence.  An empty p->id is replaced by a fresh random GUID.
 * The values are validated first (fault says why on STORE_EINVAL); created,
 * modified and sequence are set by the store and written back into p.
 * Returns 0 only after the commit returned; STORE_EEXIST when the id is
 * taken; STORE_EFULL when the map cannot grow further.  Nothing is written
 * unless 0 is returned.
 */
int store_create(struct store *st, struct presence *p,
    struct fault *fault);

/* Read the presence with canonical id into *out; 0 or STORE_ENOTFOUND. */
int store_get(struct store *st, const char *id, struct presence *out);

/*
 * Read the presence with canonical id into *out and what it shows now
 * (presence_now()) into *view: what GET answers.  0 or STORE_ENOTFOUND.
 */
int store_get_view(struct store *st, const char *id, struct presence *out,
    struct presence_view *view);

/*
 * Read the presences named by ids[0..n) (canonical GUIDs; anything else
 * is an unknown id) in ONE read transaction, in request order, each id
 * once (a repeated id is left out after its first time), unknown ids left
 * out.  out has room for n presences; *found says how many were read.
 * When views is not NULL (room for n) it gets what each shows at one
 * instant, presence_now() read once.  0 or a STORE_E* code (*found is 0).
 */
int store_get_many(struct store *st, const char *const *ids, size_t n,
    struct presence *out, struct presence_view *views, size_t *found);

/* A setPresence request, as codec_session_set_from_json reads it. */
struct session_set {
	char		session_id[SESSION_ID_MAX + 1];
	int		pair;		/* enum session_pair */
	int64_t		duration;	/* ms; 0: SESSION_DURATION_DEFAULT */
};

/*
 * Create or refresh the session req->session_id of the presence id: pair
 * as asked, refreshed now and expiring duration later.  Expired sessions
 * are dropped first; the presence takes a new sequence and modified.
 * The time is presence_now(), read inside the write.  Returns 0 only
 * after the commit returned; STORE_ENOTFOUND for an unknown presence;
 * STORE_EINVAL with fault filled for a bad session id, pair or duration
 * (outside SESSION_DURATION_MIN..MAX, property "expirationDuration"), or
 * a new session beyond PRESENCE_SESSIONS_MAX (property "sessionId").
 */
int store_session_set(struct store *st, const char *id,
    const struct session_set *req, struct fault *fault);

/*
 * End the session session_id of the presence id.  Returns 0 after the
 * commit; STORE_ENOTFOUND for an unknown presence, STORE_ENOSESSION when
 * the presence has no such unexpired session (nothing is written then).
 */
int store_session_clear(struct store *st, const char *id,
    const char *session_id);

/* A setUserPreferredPresence request. */
struct preferred_set {
	int		pair;		/* enum preferred_pair */
	int64_t		duration;	/* ms; 0: the pair's default */
};

/*
 * Set the preferred presence of the presence id, expiring duration after
 * now (the default: PREFERRED_DURATION_SHORT for Busy and DoNotDisturb,
 * PREFERRED_DURATION_LONG otherwise).  Returns 0 after the commit;
 * STORE_ENOTFOUND; STORE_EINVAL with fault filled for a bad pair or a
 * duration not in 1 ms..PREFERRED_DURATION_MAX.
 */
int store_preferred_set(struct store *st, const char *id,
    const struct preferred_set *req, struct fault *fault);

/*
 * Clear the preferred presence of the presence id.  Returns 0 after the
 * commit, or at once when none is set (nothing changes, nothing is
 * written); STORE_ENOTFOUND for an unknown presence.
 */
int store_preferred_clear(struct store *st, const char *id);

/*
 * Set the status message of the presence id to req (as
 * note_status_from_json reads it), published now, or clear it when
 * req->set is 0.  Returns 0 after the commit, or at once when clearing
 * finds none (nothing is written); STORE_ENOTFOUND; STORE_EINVAL with
 * fault filled for content that note_check_text refuses.
 */
int store_status_set(struct store *st, const char *id,
    const struct note_status *req, struct fault *fault);

/*
 * Set the out-of-office settings of the presence id (the operator's):
 * 0 after the commit; STORE_ENOTFOUND; STORE_EINVAL with fault filled
 * for a message note_check_text refuses.
 */
int store_ooo_set(struct store *st, const char *id,
    const struct note_ooo *req, struct fault *fault);

/* What a work-location action does. */
enum store_location_op {
	STORE_LOCATION_MANUAL,		/* setManualLocation */
	STORE_LOCATION_AUTOMATIC,	/* setAutomaticLocation */
	STORE_LOCATION_CLEAR_AUTOMATIC,	/* clearAutomaticLocation */
	STORE_LOCATION_CLEAR		/* clearLocation: both layers */
};

/*
 * Run a work-location action on the presence id; req (for the two
 * sets) as note_location_from_json reads it.  Returns 0 after the
 * commit, or at once when a clear finds nothing to clear (nothing is
 * written); STORE_ENOTFOUND; STORE_EINVAL with fault filled for a bad
 * workLocationType or placeId.
 */
int store_location_set(struct store *st, const char *id,
    enum store_location_op op, const struct note_location *req,
    struct fault *fault);

/* Delete the presence with canonical id; 0 or STORE_ENOTFOUND. */
int store_delete(struct store *st, const char *id);

/*
 * Read up to max presences in key order into rows, starting just after
 * the key `after` ("" or NULL: from the first), or, when backward is set,
 * ending just before it ("" or NULL: at the last) with rows still in key
 * order.  *n is the number read; *more says whether more rows lie beyond
 * them in that direction.  Rows are as stored: what each shows is
 * presence_view(&rows[i], now, &view) with one now for the page.
 */
int store_page(struct store *st, const char *after, int backward,
    struct presence *rows, size_t max, size_t *n, int *more);

/*
 * A bulk load of presences: export lines read back, or create requests.
 * The store pulls presences from the caller through next, inside write
 * transactions of `batch` presences each (0: one transaction for the whole
 * load, so it is all or nothing).  When the map must grow the batch's
 * transaction is abandoned, rewind is called to go back to the batch's first
 * presence, and the batch runs again; so it is when a one-transaction load
 * cannot keep its sequence numbers (see store_import).
 */
struct store_import {
	/* Fill *p with the next presence: 1, 0 at the end, or a STORE_E* code
	 * that stops the load (the open batch is abandoned). */
	int			(*next)(void *arg, struct presence *p);
	/* Go back to presence number `done` (from 0): the first of the batch
	 * that is about to run again, a multiple of batch.  0 or STORE_E*. */
	int			(*rewind)(void *arg, size_t done);
	void			*arg;
	size_t			 batch;
	int			 skip_same;	/* resume: skip a presence that
						   is stored with the same
						   content (store_import_same) */
	size_t			 done;		/* out: presences committed or
						   skipped */
	size_t			 skipped;	/* out: of done, those skipped */
	int			 renumbered;	/* out: sequence numbers were
						   given anew */
	struct fault		 fault;		/* out: why one was refused */
	char			 id[GUID_LEN + 1]; /* out: the one refused */
};

/*
 * Check one presence of a bulk load before it is loaded: its values as
 * presence_validate checks them in mode, its id "" or canonical (and not
 * "" when skip_same is set: such a presence cannot be recognised when the
 * load runs again), its two times both 0 or both set, and what setPresence
 * and setUserPreferredPresence could have stored: at most
 * PRESENCE_SESSIONS_MAX sessions, only with sessions_seen set, each with a
 * valid and distinct sessionId, one of setPresence's pairs and an expiry
 * SESSION_DURATION_MIN..MAX after its refresh (a refresh after 1970); a
 * preferred presence of setUserPreferredPresence's pairs expiring after
 * 1970; a status message as note_status_check checks it, an
 * out-of-office message and placeIds as note_check_text does.  Returns 0
 * or STORE_EINVAL with fault filled, fault->property naming the member at
 * fault (e.g. "sessions[2].sessionId", "statusMessage.expiryDateTime.timeZone").
 */
int store_import_check(const struct presence *p, enum presence_mode mode,
    int skip_same, struct fault *fault);

/*
 * Whether p, a presence of a load, has the content of stored, the stored
 * presence with its id: the same availability and activity, the same
 * sessions_seen, sessions (in the same order), preferred presence, status
 * message, out-of-office settings and work location layers (absent in
 * p: none), and, when p carries times, the same times.
 * Sequence numbers are not compared (a load may give them anew).  Returns
 * NULL when it has, otherwise the name of the first property that differs
 * (a static string: "sessionsSeen", "sessions", "preferredPresence",
 * "statusMessage", "outOfOfficeSettings", "manualLocation", ...).
 */
const char *store_import_differs(const struct presence *stored,
    const struct presence *p);

/*
 * Run a bulk load.  Each presence is checked (store_import_check) and must
 * not exist yet (STORE_EEXIST), unless imp->skip_same is set and it exists
 * with the same content: then it is skipped.  An empty id is replaced by a
 * fresh random GUID, and times of 0 by the load's time, as store_create
 * does.
 *
 * Sequence numbers keep the store's promise, that no two presences share
 * one and each commit's are above every number stored before it.  A load
 * in one transaction (batch 0) keeps the numbers its presences carry when
 * every presence it loads carries one (not 0), no two are equal and all
 * are above every number stored (and at most 2^62, so that the counter
 * never runs out): an export read back into an empty
 * database is the same database.  Otherwise, and always in batches, each
 * presence written gets the next number of the database's counter in load
 * order, as a create does, and imp->renumbered is set.  The counter ends at
 * the largest number stored.
 *
 * Returns 0 when every presence is committed or skipped; otherwise
 * imp->done says how many were (0 when batch is 0) and, for STORE_EINVAL
 * and STORE_EEXIST, imp->id and imp->fault say which and why.
 */
int store_import(struct store *st, struct store_import *imp);

/*
 * Issue a token: validate t, stamp t->created, draw a fresh secret into
 * secret (NUL-terminated; shown to the operator once, never stored) and
 * store the token under the SHA-256 of its secret.  Returns 0 once
 * committed, STORE_EINVAL (fault says why) or STORE_EEXIST when the name
 * is taken.
 */
int store_token_issue(struct store *st, struct token *t,
    char secret[TOKEN_SECRET_LEN + 1], struct fault *fault);

/*
 * Look up the token whose secret is the len bytes at secret, comparing
 * hashes in constant time, into *out.  Returns 0, STORE_ENOTFOUND for a
 * malformed, unknown or revoked secret, or STORE_EEXPIRED (with *out
 * filled) when it expired before now (milliseconds since the epoch).
 * Every call reads the database, so a revocation takes effect on the next
 * request in every process.
 */
int store_token_verify(struct store *st, const char *secret, size_t len,
    int64_t now, struct token *out);

/* Revoke (delete) the token named name; 0 or STORE_ENOTFOUND. */
int store_token_revoke(struct store *st, const char *name);

/*
 * Read up to max tokens in name order after the name `after` ("" or NULL:
 * from the first) into rows; *n and *more as for store_page.
 */
int store_token_page(struct store *st, const char *after, struct token *rows,
    size_t max, size_t *n, int *more);

/*
 * Change notifications.  Every change of a presence (create, delete, each
 * action, and the clock events a read would show) appends, in the same
 * transaction, one outbox row per subscription watching it; so a change
 * is acknowledged only with its notifications committed.  Rows leave the
 * outbox only when delivered (store_notify_done), when the subscription
 * goes, or when its backlog passed the bound (notify-backlog): then its
 * whole backlog is dropped and a "missed" lifecycle event waits instead.
 */

/*
 * Store a new subscription s (validated at presence_now(); s->id and
 * s->created are set here) and start watching its presences.  Returns 0
 * after the commit, STORE_EINVAL with fault filled, STORE_EROFS when the
 * database cannot hold subscriptions (an old one opened read-only).
 */
int store_subscription_create(struct store *st, struct subscription *s,
    struct fault *fault);

/*
 * Read the subscription id into *out (when not NULL) and its delivery
 * state into *state (when not NULL).  When owner is not NULL a
 * subscription of another owner, or one removed by the service, is
 * STORE_ENOTFOUND too.
 */
int store_subscription_get(struct store *st, const char *id,
    const char *owner, struct subscription *out,
    struct subscription_state *state);

/*
 * Give the subscription id (of owner, unless owner is NULL) the new
 * expiry expires, checked against now (subscription_check_expiry; fault).
 * *out (when not NULL) gets the subscription renewed.  0 after the commit,
 * STORE_ENOTFOUND, STORE_EINVAL.
 */
int store_subscription_renew(struct store *st, const char *id,
    const char *owner, int64_t expires, struct subscription *out,
    struct fault *fault);

/*
 * Delete the subscription id (of owner, unless owner is NULL) with its
 * backlog, silently: no lifecycle event.  0 or STORE_ENOTFOUND.
 */
int store_subscription_delete(struct store *st, const char *id,
    const char *owner);

/* One subscription as a listing shows it: the model without its ids. */
struct subscription_row {
	char				 id[GUID_LEN + 1];
	char				 owner[TOKEN_NAME_MAX + 1];
	char				 notify_url[SUBSCRIPTION_URL_MAX + 1];
	char				 lifecycle_url[SUBSCRIPTION_URL_MAX + 1];
	char				 first_id[GUID_LEN + 1]; /* of the ids */
	size_t				 nids;
	int				 filter;
	int64_t				 created;
	int64_t				 expires;
	struct subscription_state	 state;
};

/*
 * Read up to max subscriptions in id order after `after` ("" or NULL:
 * from the first), those of owner only unless owner is NULL, into rows;
 * *n and *more as for store_page.  An old database opened read-only that
 * has no subscriptions lists none.
 */
int store_subscription_page(struct store *st, const char *owner,
    const char *after, struct subscription_row *rows, size_t max, size_t *n,
    int *more);

/* One notification waiting in the outbox. */
struct notify_item {
	uint64_t	counter;	/* its place in the subscription's order */
	char		presence[GUID_LEN + 1];
	uint64_t	sequence;	/* the presence's sequence it reports */
	int64_t		committed;	/* ms: when the change was committed */
};

/*
 * What one POST delivers: the subscription (the owner, URLs, clientState,
 * expiry), its state, and the first items of its backlog in commit order
 * (at most NOTIFY_BATCH_MAX).  A missed or removed state asks for that
 * lifecycle event first.
 */
struct notify_batch {
	struct subscription_row	 sub;
	size_t			 n;
	struct notify_item	 items[NOTIFY_BATCH_MAX];
};

/*
 * The ids (into ids, room for max) of subscriptions with something to
 * deliver due at now: a backlog, a missed or removed event, and no retry
 * time after now.  *n is how many; *next (ms, 0: none) the earliest retry
 * time after now of the others with something to deliver.
 */
int store_notify_due(struct store *st, int64_t now,
    char (*ids)[GUID_LEN + 1], size_t max, size_t *n, int64_t *next);

/* Read what to deliver next to the subscription id; STORE_ENOTFOUND. */
int store_notify_take(struct store *st, const char *id,
    struct notify_batch *out);

/*
 * Record a delivery to the subscription id acknowledged at now: the rows
 * up to and including counter `upto` (0: none) leave the outbox, the
 * events named (missed, removed) are cleared; a removed subscription is
 * then deleted.  dropped is the state's count of dropped notifications
 * as taken: a "missed" stays waiting when more were dropped since, while
 * the POST was in flight.  result is kept as the last result.
 * STORE_ENOTFOUND when the subscription went meanwhile (nothing to do).
 */
int store_notify_done(struct store *st, const char *id, uint64_t upto,
    int missed, uint64_t dropped, int removed, int64_t now,
    const char *result);

/*
 * Record a failed delivery to the subscription id at now, to be tried
 * again from retry_at; result says why.  A removed subscription whose
 * event cannot be delivered is deleted once it expires.
 */
int store_notify_failed(struct store *st, const char *id, int64_t now,
    int64_t retry_at, const char *result);

/*
 * Notify the clock events due by now (a session fading, going Away or
 * expiring, a preferred presence expiring) of watched presences, each in
 * the outbox as a change, and delete subscriptions expired by now with
 * their backlog.  *next (ms, 0: none) is the next instant either is due.
 */
int store_notify_tick(struct store *st, int64_t now, int64_t *next);

/* Facts about the environment, cheap enough to poll. */
struct store_stat {
	size_t		count;		/* presences */
	uint64_t	txn_id;		/* last committed transaction */
	size_t		map_size;	/* current map size, bytes */
	size_t		map_used;	/* bytes in use */
	size_t		map_max;
	unsigned	readers;	/* reader slots in use */
	unsigned	max_readers;
	size_t		subscriptions;	/* change-notification subscriptions */
	uint64_t	backlog;	/* notifications waiting, all of them */
};

/* Fill *out; 0 or a STORE_E* code. */
int store_stat(struct store *st, struct store_stat *out);

/*
 * The id of the environment's last committed transaction, 0 when it
 * cannot be read: a change in any process changes it.  Cheap enough to
 * poll every few milliseconds.
 */
uint64_t store_txn_last(struct store *st);

#endif
