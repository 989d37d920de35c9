/* The list's model over a real LMDB store: paging, cursor, find, delete. */
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "tap.h"
#include "teststore.h"
#include "tmpdir.h"

#define RECORDS	100
#define HEIGHT	10

/* The id of the n-th record: even numbers, so odd ones fall between. */
static const char *
id_of(unsigned n)
{
	static char	ids[8][GUID_LEN + 1];
	static int	next;
	char		*id = ids[next++ % 8];

	snprintf(id, GUID_LEN + 1, "%08x-0000-4000-8000-000000000000", n);
	return id;
}

#define ID(i)		id_of(2 * (unsigned)(i) + 2)	/* record i */
#define BETWEEN(i)	id_of(2 * (unsigned)(i) + 3)	/* after record i */

/* Create a presence with id, or bail out. */
static void
create(struct store *st, const char *id)
{
	struct presence	p;
	int		rc;

	memset(&p, 0, sizeof p);
	snprintf(p.id, sizeof p.id, "%s", id);
	snprintf(p.availability, sizeof p.availability, "Available");
	snprintf(p.activity, sizeof p.activity, "Available");
	if ((rc = store_create(st, &p, NULL)) != 0)
		tap_bail("cannot create %s: %s", id, store_strerror(rc));
}

/* The id under the cursor, or "". */
static const char *
current(const struct model *m)
{
	const struct presence	*p = model_current(m);

	return p != NULL ? p->id : "";
}

/* Whether the screen's rows are strictly in key order. */
static int
in_order(const struct model *m)
{
	size_t	i;

	for (i = 1; i < m->n; i++)
		if (strcmp(m->rows[i - 1].id, m->rows[i].id) >= 0)
			return 0;
	return 1;
}

/* An empty database: nothing to show, nothing breaks. */
static void
test_empty(struct store *st)
{
	struct model	m;

	model_init(&m, st, 0);
	is_int(model_resize(&m, HEIGHT), 0, "an empty list loads");
	is_int(m.n, 0, "with no rows");
	ok(model_current(&m) == NULL, "and no current presence");
	is_int(model_move(&m, 1), 0, "moving is harmless");
	is_int(model_last(&m), 0, "so is going to the end");
	is_int(model_find(&m, "0"), 0, "finding");
	is_int(m.status, STATUS_NO_MATCH, "finds nothing");
	model_delete_ask(&m);
	is_int(m.status, STATUS_EMPTY, "delete says there is nothing");
	model_release(&m);
}

/* Walk down a page at a time, then back up; pages abut exactly. */
static void
test_paging(struct model *m)
{
	int	i, page, seen_gap = 0, ordered = 1;

	is_int(model_first(m), 0, "first");
	is_int(m->n, HEIGHT, "a full screen is read");
	is_str(m->rows[0].id, ID(0), "starting at the first record");
	ok(!m->more_before && m->more_after, "with more after it only");
	for (page = 1; page < RECORDS / HEIGHT; page++) {
		model_move(m, HEIGHT);
		ordered &= in_order(m);
		for (i = 0; i < HEIGHT; i++)
			if (strcmp(m->rows[i].id, ID(page * HEIGHT + i)) != 0)
				seen_gap = 1;
	}
	ok(ordered, "every page is in key order");
	ok(!seen_gap, "page down shows the next %d records, no gap or overlap",
	    HEIGHT);
	ok(m->more_before && !m->more_after, "the last page has no more after");
	is_str(current(m), ID(RECORDS - HEIGHT), "the cursor kept its row");
	model_move(m, HEIGHT);
	is_str(current(m), ID(RECORDS - 1), "page down at the end: last record");
	is_str(m->rows[HEIGHT - 1].id, ID(RECORDS - 1), "at the bottom row");
	model_move(m, -HEIGHT);
	is_str(current(m), ID(RECORDS - 1 - HEIGHT), "page up moves a screen");
	for (page = 0; page < RECORDS / HEIGHT + 2; page++)
		model_move(m, -HEIGHT);
	is_str(m->rows[0].id, ID(0), "page up ends at the first record");
	ok(!m->more_before, "with nothing before it");
	is_str(current(m), ID(0), "and the cursor on it");
}

/* Line moves scroll at the edges; first/last jump. */
static void
test_moves(struct model *m)
{
	int	i;

	model_first(m);
	for (i = 0; i < HEIGHT - 1; i++)
		model_move(m, 1);
	is_int(m->cursor, HEIGHT - 1, "down walks to the bottom row");
	is_str(m->rows[0].id, ID(0), "without scrolling");
	model_move(m, 1);
	is_int(m->cursor, HEIGHT - 1, "down at the bottom row stays there");
	is_str(m->rows[0].id, ID(1), "and scrolls one line");
	is_str(current(m), ID(HEIGHT), "onto the next record");
	for (i = 0; i < HEIGHT; i++)
		model_move(m, -1);
	is_int(m->cursor, 0, "up walks to the top row");
	is_str(current(m), ID(0), "onto the first record");
	model_set_status(m, STATUS_NONE, NULL);
	model_move(m, -1);
	is_int(m->status, STATUS_FIRST, "up at the first says so");
	model_last(m);
	is_str(current(m), ID(RECORDS - 1), "last");
	is_int(m->cursor, HEIGHT - 1, "on the bottom row");
	model_move(m, 1);
	is_int(m->status, STATUS_LAST, "down at the last says so");
	model_first(m);
	is_str(current(m), ID(0), "first again");
}

/* Writes by others before the cursor: it stays on its record and row. */
static void
test_follow(struct store *st, struct model *m)
{
	size_t	row;
	int	changed;

	model_first(m);
	model_select(m, ID(45));
	for (row = 0; row < 5; row++)
		model_move(m, 1);
	row = m->cursor;
	is_str(current(m), ID(50), "selected record 50");
	is_int(row, 5, "on screen row 5");
	is_int(model_poll(m, &changed), 0, "poll");
	is_int(changed, 0, "reports no change when nothing was written");
	create(st, BETWEEN(49));
	create(st, BETWEEN(10));
	is_int(model_poll(m, &changed), 0, "poll after inserts");
	is_int(changed, 1, "sees the change");
	is_str(current(m), ID(50), "the cursor is on the same record");
	is_int(m->cursor, row, "on the same screen row");
	is_str(m->rows[row - 1].id, BETWEEN(49), "the new record shows above");
	is_int(m->stat.count, RECORDS + 2, "the count follows");
	store_delete(st, BETWEEN(49));
	store_delete(st, ID(48));
	model_poll(m, &changed);
	is_str(current(m), ID(50), "after deletes before it, same record");
	is_int(m->cursor, row, "same row");
	is_str(m->rows[row - 1].id, ID(49), "the rows above closed up");
	store_delete(st, ID(50));
	model_poll(m, &changed);
	is_str(current(m), ID(51), "its own deletion moves it to the next");
	is_int(m->cursor, row, "on the same row");
	create(st, ID(50));
	create(st, ID(48));
	store_delete(st, BETWEEN(10));
	model_poll(m, &changed);
	ok(in_order(m), "rows stay in key order");
}

/* Find an id prefix, the next match, wrapping, and bad prefixes. */
static void
test_find(struct model *m)
{
	/* ID(i) is 2i+2 in hex: 0x40..0x4e are records 31..38. */
	is_int(model_find_next(m), 0, "next before any find");
	is_int(m->status, STATUS_NO_FIND, "asks for a find first");
	is_int(model_find(m, "0000004"), 0, "find a prefix");
	is_str(current(m), ID(31), "selects the first match");
	is_int(m->status, STATUS_FOUND, "and says so");
	model_find_next(m);
	is_str(current(m), ID(32), "n: the next match");
	model_last(m);
	model_find_next(m);
	is_str(current(m), ID(31), "n after the last match wraps");
	is_int(m->status, STATUS_WRAPPED, "and says it wrapped");
	model_find(m, "0000004E");
	is_str(current(m), ID(38), "any case");
	model_find_next(m);
	is_int(m->status, STATUS_ONLY_MATCH, "the only match is reported");
	model_find(m, ID(70));
	is_str(current(m), ID(70), "a whole id");
	model_find(m, "ffff");
	is_int(m->status, STATUS_NO_MATCH, "no match");
	is_str(current(m), ID(70), "leaves the cursor where it was");
	model_find(m, "xyz");
	is_int(m->status, STATUS_BAD_PREFIX, "a prefix of other characters");
	model_find(m, "00000000-0000-4000-8000-0000000000000");
	is_int(m->status, STATUS_BAD_PREFIX, "a prefix longer than an id");
}

/* Delete asks first; n keeps, y deletes the one that was asked about. */
static void
test_delete(struct store *st, struct model *m)
{
	struct presence	p;

	model_select(m, ID(20));
	model_delete_ask(m);
	is_int(m->status, STATUS_CONFIRM, "d asks");
	is_str(m->confirm, ID(20), "about the selected record");
	is_int(model_delete_answer(m, 0), 0, "answer no");
	is_int(m->status, STATUS_KEPT, "kept");
	is_int(store_get(st, ID(20), &p), 0, "the record is still there");
	model_delete_ask(m);
	create(st, BETWEEN(19));
	model_move(m, -1);
	is_str(current(m), BETWEEN(19), "the cursor moved meanwhile");
	is_int(model_delete_answer(m, 1), 0, "answer yes");
	is_int(m->status, STATUS_DELETED, "deleted");
	is_int(store_get(st, ID(20), &p), STORE_ENOTFOUND,
	    "the record asked about is gone");
	is_int(store_get(st, BETWEEN(19), &p), 0,
	    "the one under the cursor now is not");
	model_select(m, ID(21));
	model_delete_ask(m);
	store_delete(st, ID(21));
	model_delete_answer(m, 1);
	is_int(m->status, STATUS_GONE, "deleted elsewhere first: says so");
	model_delete_answer(m, 1);
	is_int(m->status, STATUS_GONE, "an answer with nothing asked is a no-op");
	create(st, ID(20));
	create(st, ID(21));
	store_delete(st, BETWEEN(19));
}

/* A read-only model refuses to ask. */
static void
test_read_only(struct store *st)
{
	struct model	m;

	model_init(&m, st, 1);
	model_resize(&m, HEIGHT);
	model_delete_ask(&m);
	is_int(m.status, STATUS_READ_ONLY, "read-only: delete is refused");
	is_str(m.confirm, "", "and nothing waits for an answer");
	model_release(&m);
}

/* Resizing keeps the record; tiny screens still page. */
static void
test_resize(struct model *m)
{
	model_select(m, ID(40));
	is_int(model_resize(m, 3), 0, "shrink to three rows");
	is_str(current(m), ID(40), "the cursor stays on its record");
	ok(m->cursor < 3, "inside the screen");
	model_resize(m, 1);
	model_first(m);
	model_move(m, 1);
	model_move(m, 1);
	is_str(current(m), ID(2), "a one-row screen moves a row at a time");
	model_move(m, -1);
	is_str(current(m), ID(1), "both ways");
	is_int(model_resize(m, 0), 0, "a zero-row screen");
	is_int(m->n, 0, "reads nothing");
	model_resize(m, HEIGHT);
	model_select(m, ID(40));
	is_str(current(m), ID(40), "growing again finds the record");
}

/* The first instant a row on screen shows something else. */
static void
test_next_event(struct store *st, struct model *m)
{
	struct session_set	req;
	struct presence		p;
	int64_t			t;

	model_first(m);
	ok(model_next_event(m, presence_now()) == 0,
	    "no session: nothing on screen changes with the clock");
	memset(&req, 0, sizeof req);
	snprintf(req.session_id, sizeof req.session_id, "app");
	req.pair = SESSION_AVAILABLE;
	req.duration = 60 * SESSION_MINUTE_MS;
	is_int(store_session_set(st, ID(1), &req, NULL), 0,
	    "a session on the second row");
	req.pair = SESSION_IN_A_CALL;
	req.duration = 30 * SESSION_MINUTE_MS;
	is_int(store_session_set(st, ID(2), &req, NULL), 0,
	    "and a call on the third");
	model_reload(m);
	if (store_get(st, ID(1), &p) != 0 || p.nsessions != 1)
		tap_bail("the session is not stored");
	t = p.sessions[0].refreshed;
	ok(model_next_event(m, t) == t + SESSION_FADE_MS,
	    "the first change: the session fades");
	ok(model_next_event(m, t + SESSION_FADE_MS) == t + SESSION_AWAY_MS,
	    "then it falls to Away");
	store_get(st, ID(2), &p);
	ok(model_next_event(m, t + SESSION_AWAY_MS) == p.sessions[0].expires,
	    "then the call expires");
}

int
main(void)
{
	char		 dir[PATH_MAX];
	struct store	*st;
	struct model	 m;
	int		 i;

	tmpdir_make("console-model", dir);
	st = teststore_open(dir, NULL, 0);
	test_empty(st);
	for (i = 0; i < RECORDS; i++)
		create(st, ID(i));
	model_init(&m, st, 0);
	if (model_resize(&m, HEIGHT) != 0)
		tap_bail("cannot read the list");
	test_paging(&m);
	test_moves(&m);
	test_follow(st, &m);
	test_find(&m);
	test_delete(st, &m);
	test_read_only(st);
	test_resize(&m);
	test_next_event(st, &m);
	model_release(&m);
	store_close(st);
	tmpdir_remove(dir);
	return tap_done();
}
