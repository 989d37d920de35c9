/* The create form: availability, activity and an optional id. */
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "screen.h"
#include "view.h"

#define FORM_LABEL_X	2
#define FORM_FIELD_X	16
#define FORM_FIELD_MAX	60	/* columns of a field at most */
#define FORM_TOP	4	/* line of the first field */

/* Draw one field with its error or hint below it; the focused one holds
 * the terminal cursor. */
static void
form_draw_field(struct ui *ui, enum draft_field f, int y)
{
	const struct draft	*d = &ui->draft;
	int			 cols = COLS - FORM_FIELD_X - 2;
	int			 focused = d->focus == f;

	if (cols > FORM_FIELD_MAX)
		cols = FORM_FIELD_MAX;
	screen_str(y, FORM_LABEL_X, FORM_FIELD_X - FORM_LABEL_X - 1,
	    draft_label(f), focused ? SCREEN_HEADING : SCREEN_NORMAL);
	if (focused)
		ui_draw_line(ui, &d->field[f], y, FORM_FIELD_X, cols,
		    SCREEN_FIELD);
	else {
		screen_blank(y, FORM_FIELD_X, cols, SCREEN_FIELD);
		screen_text(y, FORM_FIELD_X, cols, d->field[f].text,
		    d->field[f].len, SCREEN_FIELD);
	}
	if (d->error[f][0] != '\0')
		screen_str(y + 1, FORM_FIELD_X, COLS - FORM_FIELD_X - 1,
		    d->error[f], SCREEN_ERROR);
	else if (f == DRAFT_ID)
		screen_str(y + 1, FORM_FIELD_X, COLS - FORM_FIELD_X - 1,
		    "optional: leave empty for a random id", SCREEN_DIM);
}

/* Draw the Graph values offered for the focused field, wrapped. */
static void
form_draw_choices(struct ui *ui, int y)
{
	const struct draft	*d = &ui->draft;
	const char *const	*values = draft_choices(d->focus);
	int			 chosen = draft_choice(d, d->focus);
	int			 x = FORM_LABEL_X, i, w;
	char			 title[96];

	if (values == NULL)
		return;
	snprintf(title, sizeof title, "Graph values for %s (^N, ^P):",
	    draft_label(d->focus));
	screen_str(y++, FORM_LABEL_X, COLS - FORM_LABEL_X - 1, title,
	    SCREEN_HEADING);
	for (i = 0; values[i] != NULL && y < LINES - 2; i++) {
		w = (int)strlen(values[i]);
		if (x > FORM_LABEL_X && x + w >= COLS - 1) {
			x = FORM_LABEL_X;
			y++;
		}
		if (y >= LINES - 2)
			break;
		screen_str(y, x, COLS - 1 - x, values[i],
		    i == chosen ? SCREEN_CURSOR : SCREEN_NORMAL);
		x += w + 2;
	}
}

/* Draw the create form. */
static void
form_draw(struct ui *ui)
{
	const struct draft	*d = &ui->draft;
	int			 f;

	ui_draw_title(ui, "create a presence", NULL);
	screen_str(2, FORM_LABEL_X, COLS - FORM_LABEL_X - 1,
	    d->mode == PRESENCE_MODE_GRAPH ?
	    "This database accepts Graph's values only." :
	    "Any short text is accepted; Graph's values are offered.",
	    SCREEN_DIM);
	for (f = 0; f < DRAFT_FIELDS; f++)
		form_draw_field(ui, (enum draft_field)f, FORM_TOP + 2 * f);
	form_draw_choices(ui, FORM_TOP + 2 * DRAFT_FIELDS + 1);
	ui_draw_status(ui, d->message, d->message[0] != '\0');
	ui_draw_keybar(ui, KEYS_FORM);
}

/* Create the presence; on success select it in the list. */
static void
form_submit(struct ui *ui)
{
	struct presence	p;
	int		rc;

	rc = draft_submit(&ui->draft, ui->st, &p);
	if (rc == STORE_EPANIC || rc == STORE_ENOMEM)
		ui_store_error(ui, rc);
	if (rc != 0)
		return;
	ui_switch(ui, VIEW_LIST);
	ui_store_error(ui, model_select(&ui->model, p.id));
	model_set_status(&ui->model, STATUS_CREATED, p.id);
}

/* A key in the create form. */
static void
form_key(struct ui *ui, int key)
{
	struct draft	*d = &ui->draft;
	int		 action = keys_lookup(KEYS_FORM, key);

	switch (action) {
	case ACTION_SUBMIT:	form_submit(ui); break;
	case ACTION_CANCEL:	ui_switch(ui, VIEW_LIST); break;
	case ACTION_NEXT_FIELD:	draft_focus_next(d); break;
	case ACTION_PREV_FIELD:	draft_focus_prev(d); break;
	case ACTION_CHOOSE_NEXT: draft_choose(d, 1); break;
	case ACTION_CHOOSE_PREV: draft_choose(d, -1); break;
	case ACTION_HELP:	ui_switch(ui, VIEW_HELP); break;
	case ACTION_QUIT:	ui->quit = 1; break;
	case ACTION_REDRAW:	clearok(curscr, TRUE); break;
	default:
		if (ui_edit_line(draft_line(d), action, key))
			draft_touch(d, d->focus);
		break;
	}
}

const struct view view_form = {
	.name = "form",
	.keys = KEYS_FORM,
	.status = VIEW_STATUS_MODEL,
	.draw = form_draw,
	.key = form_key,
};
