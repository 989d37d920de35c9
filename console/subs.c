/* The Subscriptions screen's model: every subscription, delete y/N. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "subs.h"

/* Start an empty list over st. */
void
subs_init(struct subs *s, struct store *st, int read_only)
{
	memset(s, 0, sizeof *s);
	s->st = st;
	s->read_only = read_only;
}

/* Free the rows. */
void
subs_release(struct subs *s)
{
	free(s->rows);
	s->rows = NULL;
	s->win.n = s->win.cursor = s->win.top = 0;
}

/* Set or clear the status line. */
void
subs_set_status(struct subs *s, enum status_code code, const char *arg)
{
	s->status = code;
	snprintf(s->status_arg, sizeof s->status_arg, "%s",
	    arg != NULL ? arg : "");
}

/* Put the cursor on row i (clamped) and remember its id. */
static void
subs_place(struct subs *s, size_t i)
{
	window_place(&s->win, i);
	snprintf(s->selected, sizeof s->selected, "%s",
	    s->win.n > 0 ? s->rows[s->win.cursor].id : "");
}

/* Show height rows. */
void
subs_resize(struct subs *s, size_t height)
{
	window_resize(&s->win, height);
}

/* Read one page of subscriptions, whoever owns them, for window_read. */
static int
subs_page(void *st, const void *last, void *out, size_t max, size_t *got,
    int *more)
{
	const struct subscription_row	*row = last;

	return store_subscription_page(st, NULL, row != NULL ? row->id : NULL,
	    out, max, got, more);
}

/* Read every subscription again; the cursor stays on the selected id. */
int
subs_reload(struct subs *s)
{
	struct store_stat	 facts;
	void			*rows;
	size_t			 n, i;
	int			 rc;

	if ((rc = store_stat(s->st, &facts)) != 0 ||
	    (rc = window_read(sizeof *s->rows, SUBS_PAGE, subs_page, s->st,
	    &rows, &n)) != 0)
		return rc;
	free(s->rows);
	s->rows = rows;
	s->win.n = n;
	s->txn_id = facts.txn_id;
	for (i = 0; s->selected[0] != '\0' && i < n; i++)
		if (strcmp(s->rows[i].id, s->selected) >= 0)
			break;
	subs_place(s, s->selected[0] != '\0' ? i : 0);
	return 0;
}

/* Read again when the database changed. */
int
subs_poll(struct subs *s, int *changed)
{
	struct store_stat	facts;
	int			rc;

	*changed = 0;
	if ((rc = store_stat(s->st, &facts)) != 0)
		return rc;
	if (facts.txn_id == s->txn_id)
		return 0;
	*changed = 1;
	return subs_reload(s);
}

/* Move the cursor delta rows, stopping at either end. */
void
subs_move(struct subs *s, long delta)
{
	if (s->win.n > 0)
		subs_place(s, window_step(&s->win, delta));
}

/* Select the first subscription. */
void
subs_first(struct subs *s)
{
	subs_place(s, 0);
}

/* Select the last subscription. */
void
subs_last(struct subs *s)
{
	subs_place(s, s->win.n > 0 ? s->win.n - 1 : 0);
}

/* The selected subscription, or NULL. */
const struct subscription_row *
subs_current(const struct subs *s)
{
	return s->win.n > 0 ? &s->rows[s->win.cursor] : NULL;
}

/* Ask to delete the selected subscription. */
void
subs_delete_ask(struct subs *s)
{
	const struct subscription_row	*row = subs_current(s);

	s->confirm[0] = '\0';
	if (s->read_only)
		subs_set_status(s, STATUS_READ_ONLY, NULL);
	else if (row == NULL)
		subs_set_status(s, STATUS_NO_SUBS, NULL);
	else {
		snprintf(s->confirm, sizeof s->confirm, "%s", row->id);
		subs_set_status(s, STATUS_SUB_CONFIRM, row->id);
	}
}

/* Answer the pending question: yes deletes, anything else keeps. */
int
subs_delete_answer(struct subs *s, int yes)
{
	char	id[GUID_LEN + 1];
	int	rc;

	if (s->confirm[0] == '\0')
		return 0;
	snprintf(id, sizeof id, "%s", s->confirm);
	s->confirm[0] = '\0';
	if (!yes) {
		subs_set_status(s, STATUS_KEPT_SUB, id);
		return 0;
	}
	rc = store_subscription_delete(s->st, id, NULL);
	if (rc == STORE_ENOTFOUND)
		subs_set_status(s, STATUS_SUB_GONE, id);
	else if (rc != 0)
		return rc;
	else
		subs_set_status(s, STATUS_SUB_DELETED, id);
	return subs_reload(s);
}
