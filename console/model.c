/* The list's model: one screen of presences read around the cursor. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* Copy a canonical id (or "") into a GUID-sized buffer. */
static void
model_copy_id(char dst[GUID_LEN + 1], const char *src)
{
	snprintf(dst, GUID_LEN + 1, "%s", src);
}

/* Start an empty model over st. */
void
model_init(struct model *m, struct store *st, int read_only)
{
	memset(m, 0, sizeof *m);
	m->st = st;
	m->read_only = read_only;
}

/* Free the rows. */
void
model_release(struct model *m)
{
	free(m->rows);
	free(m->scratch);
	m->rows = m->scratch = NULL;
	m->height = m->n = m->cursor = 0;
}

/* Set or clear the status line. */
void
model_set_status(struct model *m, enum status_code code, const char *arg)
{
	m->status = code;
	snprintf(m->status_arg, sizeof m->status_arg, "%s",
	    arg != NULL ? arg : "");
}

/* Read the rows above the screen so a short screen ends at the last row. */
static int
model_fill_above(struct model *m)
{
	size_t	need = m->height - m->n, got;
	int	more, rc;

	rc = store_page(m->st, m->n > 0 ? m->rows[0].id : NULL, 1, m->scratch,
	    need, &got, &more);
	if (rc != 0)
		return rc;
	memmove(m->rows + got, m->rows, m->n * sizeof *m->rows);
	memcpy(m->rows, m->scratch, got * sizeof *m->rows);
	m->n += got;
	m->more_before = more;
	return 0;
}

/* Put the cursor on the selected id, or the first row after it. */
static void
model_place_cursor(struct model *m)
{
	size_t	i;

	m->cursor = 0;
	if (m->selected[0] != '\0') {
		for (i = 0; i < m->n; i++)
			if (strcmp(m->rows[i].id, m->selected) >= 0)
				break;
		m->cursor = i < m->n ? i : (m->n > 0 ? m->n - 1 : 0);
	}
	if (m->n > 0)
		model_copy_id(m->selected, m->rows[m->cursor].id);
	else
		m->selected[0] = '\0';
	m->offset = m->cursor;
}

/*
 * Read the screen: up to offset rows before the selected id, then forward
 * from there, then (near the end) more rows above to fill the screen.
 */
static int
model_fill(struct model *m)
{
	size_t		 k, nb = 0, shown, nf = 0;
	const char	*after = NULL;
	int		 more_b = 0, more_f = 0, rc;

	m->n = m->cursor = 0;
	m->more_before = m->more_after = 0;
	if (m->height == 0)
		return 0;
	k = m->offset < m->height ? m->offset : m->height - 1;
	if (m->selected[0] != '\0' && (rc = store_page(m->st, m->selected, 1,
	    m->scratch, k > 0 ? k : 1, &nb, &more_b)) != 0)
		return rc;
	shown = nb < k ? nb : k;
	memcpy(m->rows, m->scratch + (nb - shown), shown * sizeof *m->rows);
	if (nb > 0)
		after = m->scratch[nb - 1].id;
	m->more_before = more_b || nb > shown;
	if ((rc = store_page(m->st, after, 0, m->rows + shown,
	    m->height - shown, &nf, &more_f)) != 0)
		return rc;
	m->n = shown + nf;
	m->more_after = more_f;
	if (m->n < m->height && m->more_before &&
	    (rc = model_fill_above(m)) != 0)
		return rc;
	model_place_cursor(m);
	return 0;
}

/* Read the screen again around the selected record. */
int
model_reload(struct model *m)
{
	int	rc;

	if ((rc = store_stat(m->st, &m->stat)) != 0)
		return rc;
	return model_fill(m);
}

/* Show height rows and read the screen. */
int
model_resize(struct model *m, size_t height)
{
	struct presence	*rows, *scratch;
	size_t		 cap = height > 0 ? height : 1;

	rows = calloc(cap, sizeof *rows);
	scratch = calloc(cap, sizeof *scratch);
	if (rows == NULL || scratch == NULL) {
		free(rows);
		free(scratch);
		return STORE_ENOMEM;
	}
	free(m->rows);
	free(m->scratch);
	m->rows = rows;
	m->scratch = scratch;
	m->height = height;
	m->n = m->cursor = 0;
	return model_reload(m);
}

/* Read the screen again when the database has changed. */
int
model_poll(struct model *m, int *changed)
{
	struct store_stat	s;
	int			rc;

	*changed = 0;
	if ((rc = store_stat(m->st, &s)) != 0)
		return rc;
	if (s.txn_id == m->stat.txn_id && s.count == m->stat.count)
		return 0;
	*changed = 1;
	m->stat = s;
	return model_fill(m);
}

/* Move the cursor delta records, scrolling as needed. */
int
model_move(struct model *m, long delta)
{
	size_t	steps, got;
	int	backward = delta < 0, more, rc;

	if (m->n == 0 || delta == 0)
		return model_reload(m);
	steps = backward ? (size_t)-delta : (size_t)delta;
	if (steps > m->height)
		steps = m->height;
	if ((rc = store_page(m->st, m->selected, backward, m->scratch, steps,
	    &got, &more)) != 0)
		return rc;
	if (got == 0) {
		model_set_status(m, backward ? STATUS_FIRST : STATUS_LAST, NULL);
		return model_reload(m);
	}
	model_copy_id(m->selected, m->scratch[backward ? 0 : got - 1].id);
	if (steps == 1 && backward)
		m->offset = m->cursor > 0 ? m->cursor - 1 : 0;
	else if (steps == 1)
		m->offset = m->cursor + 1;
	else
		m->offset = m->cursor;
	return model_reload(m);
}

/* Select the first presence. */
int
model_first(struct model *m)
{
	m->selected[0] = '\0';
	m->offset = 0;
	return model_reload(m);
}

/* Select the last presence. */
int
model_last(struct model *m)
{
	size_t	got;
	int	more, rc;

	if (m->height == 0)
		return model_reload(m);
	if ((rc = store_page(m->st, NULL, 1, m->scratch, 1, &got, &more)) != 0)
		return rc;
	if (got == 1)
		model_copy_id(m->selected, m->scratch[0].id);
	m->offset = m->height - 1;
	return model_reload(m);
}

/* Select the presence with canonical id, at the cursor's screen row. */
int
model_select(struct model *m, const char *id)
{
	model_copy_id(m->selected, id);
	m->offset = m->cursor;
	return model_reload(m);
}

/* The selected presence, or NULL when the list is empty. */
const struct presence *
model_current(const struct model *m)
{
	return m->n > 0 ? &m->rows[m->cursor] : NULL;
}

/*
 * The first presence after the id `after` (NULL: from the start) whose id
 * starts with m->find: 1 and *hit set, 0 when there is none, or STORE_E*.
 */
static int
model_search(struct model *m, const char *after, struct presence *hit)
{
	size_t	len = strlen(m->find), n;
	int	more, rc;

	if (after == NULL && len == GUID_LEN) {
		rc = store_get(m->st, m->find, hit);
		return rc == 0 ? 1 : rc == STORE_ENOTFOUND ? 0 : rc;
	}
	/* Keys are whole ids, so no key equals a shorter prefix: reading
	 * after the prefix starts at the first id not below it. */
	rc = store_page(m->st, after != NULL ? after : m->find, 0, hit, 1, &n,
	    &more);
	if (rc != 0)
		return rc;
	return n == 1 && strncmp(hit->id, m->find, len) == 0;
}

/* Select the first presence whose id starts with prefix. */
int
model_find(struct model *m, const char *prefix)
{
	struct presence	hit;
	size_t		i, len = strlen(prefix);
	int		rc;

	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)prefix[i]) && prefix[i] != '-')
			break;
	if (len == 0 || len > GUID_LEN || i < len) {
		model_set_status(m, STATUS_BAD_PREFIX, prefix);
		return 0;
	}
	for (i = 0; i <= len; i++)
		m->find[i] = (char)tolower((unsigned char)prefix[i]);
	if ((rc = model_search(m, NULL, &hit)) < 0)
		return rc;
	if (rc == 0) {
		model_set_status(m, STATUS_NO_MATCH, m->find);
		return model_reload(m);
	}
	model_set_status(m, STATUS_FOUND, hit.id);
	return model_select(m, hit.id);
}

/* Select the next presence that matches the last prefix, wrapping. */
int
model_find_next(struct model *m)
{
	struct presence	hit;
	int		rc;

	if (m->find[0] == '\0') {
		model_set_status(m, STATUS_NO_FIND, NULL);
		return 0;
	}
	if (m->selected[0] != '\0' &&
	    (rc = model_search(m, m->selected, &hit)) != 0) {
		if (rc < 0)
			return rc;
		model_set_status(m, STATUS_FOUND, hit.id);
		return model_select(m, hit.id);
	}
	if ((rc = model_search(m, NULL, &hit)) < 0)
		return rc;
	if (rc == 0) {
		model_set_status(m, STATUS_NO_MATCH, m->find);
		return model_reload(m);
	}
	if (strcmp(hit.id, m->selected) == 0)
		model_set_status(m, STATUS_ONLY_MATCH, hit.id);
	else
		model_set_status(m, STATUS_WRAPPED, hit.id);
	return model_select(m, hit.id);
}

/* Ask to delete the selected presence. */
void
model_delete_ask(struct model *m)
{
	const struct presence	*p = model_current(m);

	m->confirm[0] = '\0';
	if (m->read_only)
		model_set_status(m, STATUS_READ_ONLY, NULL);
	else if (p == NULL)
		model_set_status(m, STATUS_EMPTY, NULL);
	else {
		model_copy_id(m->confirm, p->id);
		model_set_status(m, STATUS_CONFIRM, p->id);
	}
}

/* Answer the pending question: yes deletes, anything else keeps. */
int
model_delete_answer(struct model *m, int yes)
{
	char	id[GUID_LEN + 1];
	int	rc;

	if (m->confirm[0] == '\0')
		return 0;
	model_copy_id(id, m->confirm);
	m->confirm[0] = '\0';
	if (!yes) {
		model_set_status(m, STATUS_KEPT, id);
		return 0;
	}
	rc = store_delete(m->st, id);
	if (rc == STORE_ENOTFOUND)
		model_set_status(m, STATUS_GONE, id);
	else if (rc != 0)
		return rc;
	else
		model_set_status(m, STATUS_DELETED, id);
	return model_reload(m);
}

/* The first clock event after `after` of the presences on screen, or 0. */
int64_t
model_next_event(const struct model *m, int64_t after)
{
	struct presence_view	view;
	int64_t			next = 0;
	size_t			i;

	for (i = 0; i < m->n; i++) {
		presence_view(&m->rows[i], after, &view);
		if (view.next_event != 0 &&
		    (next == 0 || view.next_event < next))
			next = view.next_event;
	}
	return next;
}
