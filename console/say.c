/*
 * The status message and out-of-office forms: what a presence says
 * beside its availability, as the operator sets it.
 */
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "screen.h"
#include "view.h"

#define SAY_LABEL_X	2
#define SAY_FIELD_X	17
#define SAY_FIELD_MAX	60	/* columns of a field at most */
#define SAY_TOP		4	/* line of the first field */

/* Draw the field shown at index i with its error or hint below it. */
static void
say_draw_field(struct ui *ui, int i, int y)
{
	const struct memo	*m = &ui->memo;
	const struct line	*l = &m->field[m->order[i]];
	const char		*error = m->error[m->order[i]];
	int			 cols = COLS - SAY_FIELD_X - 2;

	if (cols > SAY_FIELD_MAX)
		cols = SAY_FIELD_MAX;
	screen_str(y, SAY_LABEL_X, SAY_FIELD_X - SAY_LABEL_X - 1,
	    memo_label(m, i), m->focus == i ? SCREEN_HEADING : SCREEN_NORMAL);
	if (m->focus == i)
		ui_draw_line(ui, l, y, SAY_FIELD_X, cols, SCREEN_FIELD);
	else {
		screen_blank(y, SAY_FIELD_X, cols, SCREEN_FIELD);
		screen_text(y, SAY_FIELD_X, cols, l->text, l->len,
		    SCREEN_FIELD);
	}
	screen_str(y + 1, SAY_FIELD_X, COLS - SAY_FIELD_X - 1,
	    error[0] != '\0' ? error : memo_hint(m, i),
	    error[0] != '\0' ? SCREEN_ERROR : SCREEN_DIM);
}

/* Draw the form. */
static void
say_draw(struct ui *ui)
{
	const struct memo	*m = &ui->memo;
	int			 i;

	ui_draw_title(ui, m->kind == MEMO_STATUS ? "status message" :
	    "out of office", m->id);
	screen_str(2, SAY_LABEL_X, COLS - SAY_LABEL_X - 1,
	    m->kind == MEMO_STATUS ? "Shown with the presence until it "
	    "expires, as setStatusMessage sets it." : "While out of office, "
	    "Available and Away read with the activity OutOfOffice.",
	    SCREEN_DIM);
	for (i = 0; i < m->nfields; i++)
		say_draw_field(ui, i, SAY_TOP + 2 * i);
	ui_draw_status(ui, m->message, m->message[0] != '\0');
	ui_draw_keybar(ui, KEYS_SAY);
}

/* Save the form; on success go back to inspect. */
static void
say_submit(struct ui *ui)
{
	struct memo	*m = &ui->memo;
	int		 rc;

	rc = memo_submit(m, ui->st);
	if (rc == STORE_EPANIC || rc == STORE_ENOMEM)
		ui_store_error(ui, rc);
	if (rc != 0)
		return;
	ui_switch(ui, VIEW_INSPECT);
	detail_set_status(&ui->detail, STATUS_SAID, m->kind == MEMO_STATUS ?
	    (m->field[MEMO_TEXT].len > 0 ? "the status message is set" :
	    "the status message is cleared") :
	    (strcmp(m->field[MEMO_WHEN].text, "off") == 0 ||
	    strcmp(m->field[MEMO_WHEN].text, "OFF") == 0 ?
	    "in office" : "out of office"));
}

/* A key in the form. */
static void
say_key(struct ui *ui, int key)
{
	struct memo	*m = &ui->memo;
	int		 action = keys_lookup(KEYS_SAY, key);

	switch (action) {
	case ACTION_SAY_SUBMIT:	say_submit(ui); break;
	case ACTION_CANCEL:	ui_switch(ui, VIEW_INSPECT); break;
	case ACTION_NEXT_FIELD:	memo_focus_next(m); break;
	case ACTION_PREV_FIELD:	memo_focus_prev(m); break;
	case ACTION_HELP:	ui_switch(ui, VIEW_HELP); break;
	case ACTION_QUIT:	ui->quit = 1; break;
	case ACTION_REDRAW:	clearok(curscr, TRUE); break;
	default:
		if (ui_edit_line(memo_line(m), action, key))
			memo_touch(m);
		break;
	}
}

const struct view view_say = {
	.name = "say",
	.keys = KEYS_SAY,
	.status = VIEW_STATUS_MODEL,
	.draw = say_draw,
	.key = say_key,
};
