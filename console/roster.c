/* The Tokens screen's model: every token, a cursor by name, revoke y/N. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "presence.h"
#include "roster.h"

/* Copy a token name (or "") into a name-sized buffer. */
static void
roster_copy_name(char dst[TOKEN_NAME_MAX + 1], const char *src)
{
	snprintf(dst, TOKEN_NAME_MAX + 1, "%s", src);
}

/* Start an empty roster over st. */
void
roster_init(struct roster *r, struct store *st, int read_only)
{
	memset(r, 0, sizeof *r);
	r->st = st;
	r->read_only = read_only;
}

/* Free the rows. */
void
roster_release(struct roster *r)
{
	free(r->rows);
	r->rows = NULL;
	r->win.n = r->win.cursor = r->win.top = 0;
}

/* Set or clear the status line. */
void
roster_set_status(struct roster *r, enum status_code code, const char *arg)
{
	r->status = code;
	snprintf(r->status_arg, sizeof r->status_arg, "%s",
	    arg != NULL ? arg : "");
}

/* Put the cursor on row i (clamped) and remember its name. */
static void
roster_place(struct roster *r, size_t i)
{
	window_place(&r->win, i);
	if (r->win.n > 0)
		roster_copy_name(r->selected, r->rows[r->win.cursor].name);
	else
		r->selected[0] = '\0';
}

/* Show height rows. */
void
roster_resize(struct roster *r, size_t height)
{
	window_resize(&r->win, height);
}

/* Read one page of tokens for window_read. */
static int
roster_page(void *st, const void *last, void *out, size_t max, size_t *got,
    int *more)
{
	const struct token	*t = last;

	return store_token_page(st, t != NULL ? t->name : NULL, out, max, got,
	    more);
}

/* Read every token again and put the cursor back on the selected name. */
int
roster_reload(struct roster *r)
{
	struct store_stat	 facts;
	void			*rows;
	size_t			 n, i;
	int			 rc;

	if ((rc = store_stat(r->st, &facts)) != 0 ||
	    (rc = window_read(sizeof *r->rows, ROSTER_PAGE, roster_page,
	    r->st, &rows, &n)) != 0)
		return rc;
	free(r->rows);
	r->rows = rows;
	r->win.n = n;
	r->txn_id = facts.txn_id;
	for (i = 0; r->selected[0] != '\0' && i < n; i++)
		if (strcmp(r->rows[i].name, r->selected) >= 0)
			break;
	roster_place(r, r->selected[0] != '\0' ? i : 0);
	return 0;
}

/* Read again when the database changed. */
int
roster_poll(struct roster *r, int *changed)
{
	struct store_stat	facts;
	int			rc;

	*changed = 0;
	if ((rc = store_stat(r->st, &facts)) != 0)
		return rc;
	if (facts.txn_id == r->txn_id)
		return 0;
	*changed = 1;
	return roster_reload(r);
}

/* Move the cursor delta rows, stopping at either end. */
void
roster_move(struct roster *r, long delta)
{
	if (r->win.n > 0)
		roster_place(r, window_step(&r->win, delta));
}

/* Select the first token. */
void
roster_first(struct roster *r)
{
	roster_place(r, 0);
}

/* Select the last token. */
void
roster_last(struct roster *r)
{
	roster_place(r, r->win.n > 0 ? r->win.n - 1 : 0);
}

/* Select the token named name (or the one after it). */
int
roster_select(struct roster *r, const char *name)
{
	roster_copy_name(r->selected, name);
	return roster_reload(r);
}

/* The selected token, or NULL. */
const struct token *
roster_current(const struct roster *r)
{
	return r->win.n > 0 ? &r->rows[r->win.cursor] : NULL;
}

/* Ask to revoke the selected token. */
void
roster_revoke_ask(struct roster *r)
{
	const struct token	*t = roster_current(r);

	r->confirm[0] = '\0';
	if (r->read_only)
		roster_set_status(r, STATUS_READ_ONLY, NULL);
	else if (t == NULL)
		roster_set_status(r, STATUS_NO_TOKENS, NULL);
	else {
		roster_copy_name(r->confirm, t->name);
		roster_set_status(r, STATUS_REVOKE_CONFIRM, t->name);
	}
}

/* Answer the pending question: yes revokes, anything else keeps. */
int
roster_revoke_answer(struct roster *r, int yes)
{
	char	name[TOKEN_NAME_MAX + 1];
	int	rc;

	if (r->confirm[0] == '\0')
		return 0;
	roster_copy_name(name, r->confirm);
	r->confirm[0] = '\0';
	if (!yes) {
		roster_set_status(r, STATUS_KEPT_TOKEN, name);
		return 0;
	}
	rc = store_token_revoke(r->st, name);
	if (rc == STORE_ENOTFOUND)
		roster_set_status(r, STATUS_TOKEN_GONE, name);
	else if (rc != 0)
		return rc;
	else
		roster_set_status(r, STATUS_REVOKED, name);
	return roster_reload(r);
}

/* Whether t has expired at now. */
int
roster_expired(const struct token *t, int64_t now)
{
	return t->expires != 0 && t->expires <= now;
}

/* Write ms as "2026-11-28 07:35", UTC. */
void
roster_format_time(int64_t ms, char out[ROSTER_TIME_LEN + 1])
{
	char	iso[PRESENCE_TIME_LEN + 1];

	presence_format_time(ms, iso);
	memcpy(out, iso, ROSTER_TIME_LEN);
	out[10] = ' ';
	out[ROSTER_TIME_LEN] = '\0';
}
