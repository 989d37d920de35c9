/* The preferred presence form: one of Graph's pairs and an expiry. */
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "screen.h"
#include "view.h"

#define PREFER_LABEL_X	2
#define PREFER_FIELD_X	16
#define PREFER_FIELD_MAX 40	/* columns of a field at most */
#define PREFER_TOP	4	/* line of the first field */

static const char *const prefer_hints[PICK_FIELDS] = {
	"one of Graph's preferred pairs: ^N and ^P choose",
	"ISO 8601; empty: 1 day for Busy and DoNotDisturb, 7 days otherwise",
};

/* Draw one field with its error or hint below it. */
static void
prefer_draw_field(struct ui *ui, enum pick_field f, int y)
{
	const struct pick	*k = &ui->pick;
	int			 cols = COLS - PREFER_FIELD_X - 2;

	if (cols > PREFER_FIELD_MAX)
		cols = PREFER_FIELD_MAX;
	screen_str(y, PREFER_LABEL_X, PREFER_FIELD_X - PREFER_LABEL_X - 1,
	    pick_label(f), k->focus == f ? SCREEN_HEADING : SCREEN_NORMAL);
	if (k->focus == f)
		ui_draw_line(ui, &k->field[f], y, PREFER_FIELD_X, cols,
		    SCREEN_FIELD);
	else {
		screen_blank(y, PREFER_FIELD_X, cols, SCREEN_FIELD);
		screen_text(y, PREFER_FIELD_X, cols, k->field[f].text,
		    k->field[f].len, SCREEN_FIELD);
	}
	screen_str(y + 1, PREFER_FIELD_X, COLS - PREFER_FIELD_X - 1,
	    k->error[f][0] != '\0' ? k->error[f] : prefer_hints[f],
	    k->error[f][0] != '\0' ? SCREEN_ERROR : SCREEN_DIM);
}

/* Draw the values offered for the focused field, one a line. */
static void
prefer_draw_choices(struct ui *ui, int y)
{
	const struct pick	*k = &ui->pick;
	const char *const	*values = pick_choices(k, k->focus);
	int			 chosen = pick_choice(k, k->focus), i;

	screen_str(y++, PREFER_LABEL_X, COLS - PREFER_LABEL_X - 1,
	    k->focus == PICK_PRESENCE ? "Preferred pairs (^N, ^P):" :
	    "Expiries (^N, ^P; or type another):", SCREEN_HEADING);
	for (i = 0; values[i] != NULL && y < LINES - 2; i++)
		screen_str(y++, PREFER_LABEL_X + 2, COLS - PREFER_LABEL_X - 3,
		    values[i], i == chosen ? SCREEN_CURSOR : SCREEN_NORMAL);
}

/* Draw the form. */
static void
prefer_draw(struct ui *ui)
{
	const struct pick	*k = &ui->pick;
	int			 f;

	ui_draw_title(ui, "preferred presence", k->id);
	screen_str(2, PREFER_LABEL_X, COLS - PREFER_LABEL_X - 1,
	    "It overrides the sessions while at least one is active, "
	    "until it expires.", SCREEN_DIM);
	for (f = 0; f < PICK_FIELDS; f++)
		prefer_draw_field(ui, (enum pick_field)f, PREFER_TOP + 2 * f);
	prefer_draw_choices(ui, PREFER_TOP + 2 * PICK_FIELDS + 1);
	ui_draw_status(ui, k->message, k->message[0] != '\0');
	ui_draw_keybar(ui, KEYS_PREFER);
}

/* Set the preferred presence; on success go back to inspect. */
static void
prefer_submit(struct ui *ui)
{
	struct pick	*k = &ui->pick;
	int		 rc;

	rc = pick_submit(k, ui->st);
	if (rc == STORE_EPANIC || rc == STORE_ENOMEM)
		ui_store_error(ui, rc);
	if (rc != 0)
		return;
	ui_switch(ui, VIEW_INSPECT);
	detail_set_status(&ui->detail, STATUS_PREFERRED,
	    k->field[PICK_PRESENCE].text);
}

/* A key in the form. */
static void
prefer_key(struct ui *ui, int key)
{
	struct pick	*k = &ui->pick;
	int		 action = keys_lookup(KEYS_PREFER, key);

	switch (action) {
	case ACTION_PREFER_SUBMIT: prefer_submit(ui); break;
	case ACTION_CANCEL:	ui_switch(ui, VIEW_INSPECT); break;
	case ACTION_NEXT_FIELD:	pick_focus_next(k); break;
	case ACTION_PREV_FIELD:	pick_focus_prev(k); break;
	case ACTION_CHOOSE_NEXT: pick_choose(k, 1); break;
	case ACTION_CHOOSE_PREV: pick_choose(k, -1); break;
	case ACTION_HELP:	ui_switch(ui, VIEW_HELP); break;
	case ACTION_QUIT:	ui->quit = 1; break;
	case ACTION_REDRAW:	clearok(curscr, TRUE); break;
	default:
		if (ui_edit_line(pick_line(k), action, key))
			pick_touch(k, k->focus);
		break;
	}
}

const struct view view_prefer = {
	.name = "prefer",
	.keys = KEYS_PREFER,
	.status = VIEW_STATUS_MODEL,
	.draw = prefer_draw,
	.key = prefer_key,
};
