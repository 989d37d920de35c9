/* The list view: a table of presences, one screen read at a time. */
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "screen.h"
#include "view.h"

#define LIST_ID_COLS	GUID_LEN
#define LIST_TIME_COLS	PRESENCE_TIME_LEN
#define LIST_MIN_VALUE	8	/* below this the time column goes */

/* Where each column starts and how wide it is. */
struct list_columns {
	int	id, id_w;
	int	avail, avail_w;
	int	act, act_w;
	int	time, time_w;	/* time_w 0: not shown */
};

/*
 * Lay the columns out for the terminal's width: a margin, the id, then
 * each other column after two blanks; the time goes first when narrow.
 */
static void
list_layout(struct list_columns *c)
{
	int	rest;

	memset(c, 0, sizeof *c);
	c->id = 1;
	c->id_w = COLS - 2 < LIST_ID_COLS ? COLS - 2 : LIST_ID_COLS;
	rest = COLS - (c->id + c->id_w + 1);
	if (rest >= 3 * 2 + 2 * LIST_MIN_VALUE + LIST_TIME_COLS) {
		c->time_w = LIST_TIME_COLS;
		rest -= 2 + LIST_TIME_COLS;
	}
	rest = rest > 4 ? rest - 4 : 0;
	c->avail = c->id + c->id_w + 2;
	c->avail_w = rest / 2;
	c->act = c->avail + c->avail_w + 2;
	c->act_w = rest - c->avail_w;
	c->time = c->act + c->act_w + 2;
}

/* Draw the column titles. */
static void
list_draw_heading(const struct list_columns *c)
{
	screen_blank(1, 0, COLS, SCREEN_HEADING);
	screen_str(1, c->id, c->id_w, "ID", SCREEN_HEADING);
	screen_str(1, c->avail, c->avail_w, "AVAILABILITY", SCREEN_HEADING);
	screen_str(1, c->act, c->act_w, "ACTIVITY", SCREEN_HEADING);
	if (c->time_w > 0)
		screen_str(1, c->time, c->time_w, "LAST MODIFIED",
		    SCREEN_HEADING);
}

/* Draw one presence on screen line y, as it shows at now. */
static void
list_draw_row(const struct list_columns *c, int y, const struct presence *p,
    int64_t now, int selected)
{
	enum screen_role	role = selected ? SCREEN_CURSOR : SCREEN_NORMAL;
	char			when[PRESENCE_TIME_LEN + 1];
	struct presence_view	view;

	presence_view(p, now, &view);
	if (selected)
		screen_blank(y, 0, COLS, SCREEN_CURSOR);
	screen_str(y, c->id, c->id_w, p->id, role);
	screen_str(y, c->avail, c->avail_w, view.availability, role);
	screen_str(y, c->act, c->act_w, view.activity, role);
	if (c->time_w > 0) {
		presence_format_time(p->modified, when);
		screen_str(y, c->time, c->time_w, when, role);
	}
}

/* Where the screen sits in the list, as pagers say it. */
static const char *
list_position(const struct model *m)
{
	if (m->n == 0)
		return "";
	if (!m->more_before && !m->more_after)
		return "All";
	if (!m->more_before)
		return "Top";
	if (!m->more_after)
		return "Bot";
	return "";
}

/* Draw the status line: the find prompt, the model's status or a hint. */
static void
list_draw_status(struct ui *ui)
{
	const struct model	*m = &ui->model;
	const char		*where = list_position(m);
	char			 text[256];
	int			 y = LINES - 2, x;

	if (ui->prompting) {
		screen_blank(y, 0, COLS, SCREEN_NORMAL);
		x = 1 + screen_str(y, 1, COLS - 1, "find id: ", SCREEN_HEADING);
		ui_draw_line(ui, &ui->prompt, y, x, COLS - x - 1, SCREEN_NORMAL);
		return;
	}
	if (m->status != STATUS_NONE)
		status_format(m->status, m->status_arg, text, sizeof text);
	else if (m->n == 0)
		status_format(STATUS_EMPTY, NULL, text, sizeof text);
	else
		text[0] = '\0';
	ui_draw_status(ui, text, status_is_error(m->status));
	if (COLS > 8 && where[0] != '\0')
		screen_str(y, COLS - 4, 3, where, SCREEN_DIM);
}

/* Draw the list view. */
static void
list_draw(struct ui *ui)
{
	const struct model	*m = &ui->model;
	struct list_columns	 c;
	size_t			 i;

	ui_draw_title(ui, "presence-console", store_path(ui->st));
	list_layout(&c);
	list_draw_heading(&c);
	ui->drawn_at = presence_now();
	for (i = 0; i < m->n; i++)
		list_draw_row(&c, 2 + (int)i, &m->rows[i], ui->drawn_at,
		    i == m->cursor);
	list_draw_status(ui);
	ui_draw_keybar(ui, ui->prompting ? KEYS_PROMPT : KEYS_LIST);
}

/* A key while the find prompt is open. */
static void
list_prompt_key(struct ui *ui, int key)
{
	int	action = keys_lookup(KEYS_PROMPT, key);

	if (action == ACTION_CANCEL)
		ui->prompting = 0;
	else if (action == ACTION_SUBMIT) {
		ui->prompting = 0;
		if (ui->prompt.len > 0)
			ui_store_error(ui, model_find(&ui->model,
			    ui->prompt.text));
	} else
		ui_edit_line(&ui->prompt, action, key);
}

/* Open the inspect view on the selected presence. */
static void
list_inspect(struct ui *ui)
{
	const struct presence	*p = model_current(&ui->model);

	if (p == NULL) {
		model_set_status(&ui->model, STATUS_EMPTY, NULL);
		return;
	}
	memcpy(ui->inspect_id, p->id, sizeof ui->inspect_id);
	ui_switch(ui, VIEW_INSPECT);
}

/* Run one list action. */
static void
list_act(struct ui *ui, enum action action)
{
	struct model	*m = &ui->model;
	long		 page = (long)m->height;
	int		 rc = 0;

	switch (action) {
	case ACTION_UP:		rc = model_move(m, -1); break;
	case ACTION_DOWN:	rc = model_move(m, 1); break;
	case ACTION_PAGE_UP:	rc = model_move(m, -page); break;
	case ACTION_PAGE_DOWN:	rc = model_move(m, page); break;
	case ACTION_FIRST:	rc = model_first(m); break;
	case ACTION_LAST:	rc = model_last(m); break;
	case ACTION_FIND_NEXT:	rc = model_find_next(m); break;
	case ACTION_DELETE:	model_delete_ask(m); break;
	case ACTION_INSPECT:	list_inspect(ui); break;
	case ACTION_HELP:	ui_switch(ui, VIEW_HELP); break;
	case ACTION_QUIT:	ui->quit = 1; break;
	case ACTION_FIND:
		line_init(&ui->prompt, GUID_LEN);
		ui->prompting = 1;
		break;
	case ACTION_TOKENS:
		if (ui->read_only)
			model_set_status(m, STATUS_READ_ONLY, NULL);
		else
			ui_switch(ui, VIEW_TOKENS);
		break;
	case ACTION_SUBSCRIPTIONS:
		ui_switch(ui, VIEW_SUBSCRIPTIONS);
		break;
	case ACTION_CREATE:
		if (ui->read_only)
			model_set_status(m, STATUS_READ_ONLY, NULL);
		else {
			draft_init(&ui->draft, store_value_mode(ui->st));
			ui_switch(ui, VIEW_FORM);
		}
		break;
	case ACTION_REDRAW:
		clearok(curscr, TRUE);
		rc = model_reload(m);
		break;
	default:
		break;
	}
	ui_store_error(ui, rc);
}

/* A key in the list view. */
static void
list_key(struct ui *ui, int key)
{
	struct model	*m = &ui->model;

	if (m->confirm[0] != '\0') {
		ui_store_error(ui, model_delete_answer(m,
		    key == 'y' || key == 'Y'));
		return;
	}
	if (ui->prompting) {
		list_prompt_key(ui, key);
		return;
	}
	model_set_status(m, STATUS_NONE, NULL);
	list_act(ui, keys_lookup(KEYS_LIST, key));
}

/*
 * Whether a row on screen shows something else now than when drawn: a
 * session faded or expired, a preferred presence ran out.
 */
static int
list_poll(struct ui *ui)
{
	int64_t	next = model_next_event(&ui->model, ui->drawn_at);

	return next != 0 && presence_now() >= next;
}

/* Coming back to the list: read the screen again. */
static void
list_enter(struct ui *ui)
{
	ui_store_error(ui, model_reload(&ui->model));
}

const struct view view_list = {
	.name = "list",
	.keys = KEYS_LIST,
	.status = VIEW_STATUS_MODEL,
	.draw = list_draw,
	.key = list_key,
	.enter = list_enter,
	.poll = list_poll,
};
