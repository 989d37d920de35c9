/*
 * The Subscriptions screen: every change-notification subscription with
 * the presences it watches, where it delivers, when it expires, how many
 * notifications wait and how the last delivery went; delete asks y/N.
 * The console only reads and deletes: it never delivers.
 */
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "screen.h"
#include "view.h"

#define SUBS_ID_W	8	/* a GUID's first group tells them apart */
#define SUBS_WHEN_W	(ROSTER_TIME_LEN + 3)	/* "2026-11-28 07:35:12" */
#define SUBS_BACKLOG_W	7
#define SUBS_RESOURCE_W	(SUBS_ID_W + 5)		/* "aaaaaaaa +649" */

/* Where each column starts and how wide it is. */
struct subs_columns {
	int	id, resource, dest, dest_w, expires, backlog, result, result_w;
};

/*
 * Lay the columns out: the fixed ones first, then the destination and the
 * last result share what is left (the destination at most its widest).
 */
static void
subs_layout(const struct subs *s, struct subs_columns *c)
{
	int	rest, widest = (int)strlen("DESTINATION"), len;
	size_t	i;

	for (i = 0; i < s->win.n; i++)
		if ((len = (int)strlen(s->rows[i].notify_url)) > widest)
			widest = len;
	c->id = 1;
	c->resource = c->id + SUBS_ID_W + 2;
	c->dest = c->resource + SUBS_RESOURCE_W + 2;
	rest = COLS - 1 - c->dest - SUBS_WHEN_W - 2 - SUBS_BACKLOG_W - 2;
	c->dest_w = rest / 2 > widest ? widest : rest / 2;
	if (c->dest_w < 8)
		c->dest_w = 8;
	c->expires = c->dest + c->dest_w + 2;
	c->backlog = c->expires + SUBS_WHEN_W + 2;
	c->result = c->backlog + SUBS_BACKLOG_W + 2;
	c->result_w = COLS - 1 - c->result;
}

/* Draw text in a column, clipped to the screen. */
static void
subs_cell(int y, int x, int w, const char *text, enum screen_role role)
{
	if (w > COLS - 1 - x)
		w = COLS - 1 - x;
	if (w > 0)
		screen_str(y, x, w, text, role);
}

/* Draw the column titles. */
static void
subs_draw_heading(const struct subs_columns *c)
{
	screen_blank(1, 0, COLS, SCREEN_HEADING);
	subs_cell(1, c->id, SUBS_ID_W, "ID", SCREEN_HEADING);
	subs_cell(1, c->resource, SUBS_RESOURCE_W, "RESOURCE", SCREEN_HEADING);
	subs_cell(1, c->dest, c->dest_w, "DESTINATION", SCREEN_HEADING);
	subs_cell(1, c->expires, SUBS_WHEN_W, "EXPIRES", SCREEN_HEADING);
	subs_cell(1, c->backlog, SUBS_BACKLOG_W, "BACKLOG", SCREEN_HEADING);
	subs_cell(1, c->result, c->result_w, "LAST DELIVERY", SCREEN_HEADING);
}

/* The watched presences in short: the first id's first group, +N more. */
static void
subs_resource(const struct subscription_row *row, char *out, size_t size)
{
	if (row->nids > 1)
		snprintf(out, size, "%.*s +%zu", SUBS_ID_W, row->first_id,
		    row->nids - 1);
	else
		snprintf(out, size, "%.*s", SUBS_ID_W, row->first_id);
}

/* The last delivery as the table shows it: its result, or what waits. */
static void
subs_result(const struct subscription_row *row, char *out, size_t size)
{
	const struct subscription_state	*st = &row->state;

	if (st->last_attempt == 0)
		snprintf(out, size, "%s", st->backlog > 0 || st->missed ||
		    st->removed ? "not tried yet" : "-");
	else if (st->failures > 0)
		snprintf(out, size, "failed %u: %s", st->failures,
		    st->last_result);
	else
		snprintf(out, size, "%s", st->last_result);
}

/* Draw one subscription on screen line y. */
static void
subs_draw_row(const struct subs_columns *c, int y,
    const struct subscription_row *row, int selected)
{
	enum screen_role	role = selected ? SCREEN_CURSOR : SCREEN_NORMAL;
	char			id[SUBS_ID_W + 1];
	char			resource[SUBS_RESOURCE_W + 24];
	char			when[PRESENCE_TIME_LEN + 1], backlog[24];
	char			result[SUBSCRIPTION_RESULT_MAX + 32];

	if (selected)
		screen_blank(y, 0, COLS, SCREEN_CURSOR);
	subs_resource(row, resource, sizeof resource);
	presence_format_time(row->expires, when);
	when[10] = ' ';
	when[SUBS_WHEN_W] = '\0';
	snprintf(backlog, sizeof backlog, "%llu",
	    (unsigned long long)row->state.backlog);
	subs_result(row, result, sizeof result);
	snprintf(id, sizeof id, "%.*s", SUBS_ID_W, row->id);
	subs_cell(y, c->id, SUBS_ID_W, id, role);
	subs_cell(y, c->resource, SUBS_RESOURCE_W, resource, role);
	subs_cell(y, c->dest, c->dest_w, row->notify_url, role);
	subs_cell(y, c->expires, SUBS_WHEN_W, when, role);
	subs_cell(y, c->backlog, SUBS_BACKLOG_W, backlog, role);
	subs_cell(y, c->result, c->result_w, result,
	    row->state.failures > 0 && !selected ? SCREEN_ERROR : role);
}

/* Draw the status line: the list's status, or a summary. */
static void
subs_draw_status(struct ui *ui)
{
	const struct subs	*s = &ui->subs;
	char			 text[256];
	unsigned long long	 waiting = 0;
	size_t			 i;

	for (i = 0; i < s->win.n; i++)
		waiting += s->rows[i].state.backlog;
	if (s->status != STATUS_NONE)
		status_format(s->status, s->status_arg, text, sizeof text);
	else if (s->win.n == 0)
		snprintf(text, sizeof text, "no subscriptions: clients "
		    "create them with POST /subscriptions");
	else
		snprintf(text, sizeof text, "%zu subscription%s, %llu "
		    "notification%s waiting; times in UTC", s->win.n,
		    s->win.n == 1 ? "" : "s", waiting, waiting == 1 ? "" : "s");
	ui_draw_status(ui, text, status_is_error(s->status));
}

/* Draw the Subscriptions screen. */
static void
subs_draw(struct ui *ui)
{
	const struct subs	*s = &ui->subs;
	struct subs_columns	 c;
	size_t			 i;

	ui_draw_title(ui, "subscriptions", store_path(ui->st));
	subs_layout(s, &c);
	subs_draw_heading(&c);
	for (i = s->win.top; i < window_end(&s->win); i++)
		subs_draw_row(&c, 2 + (int)(i - s->win.top), &s->rows[i],
		    i == s->win.cursor);
	subs_draw_status(ui);
	ui_draw_keybar(ui, KEYS_SUBS);
}

/* Run one action of the Subscriptions screen. */
static void
subs_act(struct ui *ui, enum action action)
{
	struct subs	*s = &ui->subs;
	long		 page = (long)s->win.height;

	switch (action) {
	case ACTION_UP:		subs_move(s, -1); break;
	case ACTION_DOWN:	subs_move(s, 1); break;
	case ACTION_PAGE_UP:	subs_move(s, -page); break;
	case ACTION_PAGE_DOWN:	subs_move(s, page); break;
	case ACTION_FIRST:	subs_first(s); break;
	case ACTION_LAST:	subs_last(s); break;
	case ACTION_UNSUBSCRIBE: subs_delete_ask(s); break;
	case ACTION_BACK:	ui_switch(ui, VIEW_LIST); break;
	case ACTION_HELP:	ui_switch(ui, VIEW_HELP); break;
	case ACTION_QUIT:	ui->quit = 1; break;
	case ACTION_REDRAW:
		clearok(curscr, TRUE);
		ui_store_error(ui, subs_reload(s));
		break;
	default:
		break;
	}
}

/* A key on the Subscriptions screen; a pending deletion takes it first. */
static void
subs_key(struct ui *ui, int key)
{
	struct subs	*s = &ui->subs;

	if (s->confirm[0] != '\0') {
		ui_store_error(ui, subs_delete_answer(s,
		    key == 'y' || key == 'Y'));
		return;
	}
	subs_set_status(s, STATUS_NONE, NULL);
	subs_act(ui, keys_lookup(KEYS_SUBS, key));
}

/* Coming to the Subscriptions screen: read them again. */
static void
subs_enter(struct ui *ui)
{
	int	height = ui_list_rows(LINES);

	subs_resize(&ui->subs, height > 0 ? (size_t)height : 0);
	ui_store_error(ui, subs_reload(&ui->subs));
}

/* Follow subscriptions made, renewed, delivered to or deleted elsewhere. */
static int
subs_view_poll(struct ui *ui)
{
	int	changed = 0;

	ui_store_error(ui, subs_poll(&ui->subs, &changed));
	return changed;
}

const struct view view_subscriptions = {
	.name = "subscriptions",
	.keys = KEYS_SUBS,
	.status = VIEW_STATUS_SUBS,
	.draw = subs_draw,
	.key = subs_key,
	.enter = subs_enter,
	.poll = subs_view_poll,
};
