/*
 * The issue form (name, scopes, user, expiry) and the dialog that shows
 * the new token's secret, once.
 */
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "screen.h"
#include "view.h"

#define ISSUE_LABEL_X	2
#define ISSUE_FIELD_X	12
#define ISSUE_FIELD_MAX	60	/* columns of a field at most */
#define ISSUE_TOP	4	/* line of the first field */
#define ISSUE_SCOPE_W	24	/* columns of a scope's name in the choices */

/* What each field expects, shown below it while it has no error. */
static const char *const issue_hints[GRANT_FIELDS] = {
	"a unique name without spaces, such as ci-deploy",
	"comma-separated; ^N and ^P offer Graph's scopes",
	"optional: the presence id that Presence.Read and .ReadWrite cover",
	"optional: 90d, 12h, 30m or seconds; empty: never expires",
};

/* What each of Graph's scopes allows, in grant_choices' order. */
static const char *const issue_scope_helps[] = {
	"read the user's own presence",
	"read and write the user's own presence",
	"read every presence",
	"read and write every presence, create and delete",
};

/* Draw one field with its error or hint below it. */
static void
issue_draw_field(struct ui *ui, enum grant_field f, int y)
{
	const struct grant	*g = &ui->grant;
	int			 cols = COLS - ISSUE_FIELD_X - 2;
	int			 focused = g->focus == f;

	if (cols > ISSUE_FIELD_MAX)
		cols = ISSUE_FIELD_MAX;
	screen_str(y, ISSUE_LABEL_X, ISSUE_FIELD_X - ISSUE_LABEL_X - 1,
	    grant_label(f), focused ? SCREEN_HEADING : SCREEN_NORMAL);
	if (focused)
		ui_draw_line(ui, &g->field[f], y, ISSUE_FIELD_X, cols,
		    SCREEN_FIELD);
	else {
		screen_blank(y, ISSUE_FIELD_X, cols, SCREEN_FIELD);
		screen_text(y, ISSUE_FIELD_X, cols, g->field[f].text,
		    g->field[f].len, SCREEN_FIELD);
	}
	screen_str(y + 1, ISSUE_FIELD_X, COLS - ISSUE_FIELD_X - 1,
	    g->error[f][0] != '\0' ? g->error[f] : issue_hints[f],
	    g->error[f][0] != '\0' ? SCREEN_ERROR : SCREEN_DIM);
}

/* Draw Graph's scopes, one a line with what it allows; chosen ones lit. */
static void
issue_draw_scopes(struct ui *ui, int y)
{
	const char *const	*values = grant_choices(GRANT_SCOPES);
	enum screen_role	 role;
	int			 i;

	screen_str(y++, ISSUE_LABEL_X, COLS - ISSUE_LABEL_X - 1,
	    "Graph's scopes (^N, ^P; after a comma ^N adds another):",
	    SCREEN_HEADING);
	for (i = 0; values[i] != NULL && y < LINES - 2; i++, y++) {
		role = grant_chosen(&ui->grant, GRANT_SCOPES, i) ?
		    SCREEN_CURSOR : SCREEN_NORMAL;
		screen_str(y, ISSUE_LABEL_X + 2, ISSUE_SCOPE_W, values[i],
		    role);
		screen_str(y, ISSUE_LABEL_X + 2 + ISSUE_SCOPE_W, COLS - 3 -
		    ISSUE_LABEL_X - ISSUE_SCOPE_W, issue_scope_helps[i],
		    SCREEN_NORMAL);
	}
}

/* Draw the expiries offered, on one line. */
static void
issue_draw_expiries(struct ui *ui, int y)
{
	const char *const	*values = grant_choices(GRANT_EXPIRES);
	int			 x = ISSUE_LABEL_X, i;

	screen_str(y++, ISSUE_LABEL_X, COLS - ISSUE_LABEL_X - 1,
	    "Expiries (^N, ^P):", SCREEN_HEADING);
	for (i = 0; values[i] != NULL && x < COLS - 1; i++)
		x += 2 + screen_str(y, x, COLS - 1 - x, values[i],
		    grant_chosen(&ui->grant, GRANT_EXPIRES, i) ?
		    SCREEN_CURSOR : SCREEN_NORMAL);
}

/* Draw the form. */
static void
issue_draw_form(struct ui *ui)
{
	const struct grant	*g = &ui->grant;
	int			 f, y = ISSUE_TOP + 2 * GRANT_FIELDS + 1;

	ui_draw_title(ui, "issue a token", NULL);
	screen_str(2, ISSUE_LABEL_X, COLS - ISSUE_LABEL_X - 1,
	    "The secret is shown once, after issuing; the database keeps "
	    "only its hash.", SCREEN_DIM);
	for (f = 0; f < GRANT_FIELDS; f++)
		issue_draw_field(ui, (enum grant_field)f, ISSUE_TOP + 2 * f);
	if (g->focus == GRANT_SCOPES)
		issue_draw_scopes(ui, y);
	else if (g->focus == GRANT_EXPIRES)
		issue_draw_expiries(ui, y);
	ui_draw_status(ui, g->message, g->message[0] != '\0');
	ui_draw_keybar(ui, KEYS_ISSUE);
}

/*
 * Draw the secret from line y, split over lines when the terminal is too
 * narrow for it: it is never cut short.  Returns the next free line.
 */
static int
issue_draw_secret(const char *secret, int y)
{
	int	len = (int)strlen(secret), cols = COLS - 6, at;

	if (cols < 1)
		cols = 1;
	for (at = 0; at < len && y < LINES - 2; at += cols, y++)
		screen_text(y, 4, cols, secret + at, (size_t)(len - at < cols ?
		    len - at : cols), SCREEN_HEADING);
	return y;
}

/* Draw the dialog that shows the new token's secret. */
static void
issue_draw_dialog(struct ui *ui)
{
	const struct grant	*g = &ui->grant;
	char			 text[128];
	int			 y = 3;

	ui_draw_title(ui, "token issued", NULL);
	snprintf(text, sizeof text, "Token '%s' is issued.  Its secret:",
	    g->issued.name);
	screen_str(y, 2, COLS - 3, text, SCREEN_NORMAL);
	y = issue_draw_secret(g->secret, y + 2) + 1;
	screen_str(y++, 2, COLS - 3, "Copy it now: it cannot be shown again "
	    "(the database keeps only its hash).", SCREEN_ERROR);
	screen_str(++y, 2, COLS - 3, "Clients send it in every request as",
	    SCREEN_NORMAL);
	screen_str(++y, 4, COLS - 5, "Authorization: Bearer <secret>",
	    SCREEN_DIM);
	ui_draw_status(ui, "", 0);
	ui_draw_keybar(ui, KEYS_SECRET);
}

/* Draw the form, or the dialog once a token is issued. */
static void
issue_draw(struct ui *ui)
{
	if (ui->grant.secret[0] != '\0')
		issue_draw_dialog(ui);
	else
		issue_draw_form(ui);
}

/* Issue the token; on success the dialog shows its secret. */
static void
issue_submit(struct ui *ui)
{
	int	rc = grant_submit(&ui->grant, ui->st, presence_now());

	if (rc == STORE_EPANIC || rc == STORE_ENOMEM)
		ui_store_error(ui, rc);
}

/* Close the dialog: forget the secret, select the token in the table. */
static void
issue_close(struct ui *ui)
{
	char	name[TOKEN_NAME_MAX + 1];

	memcpy(name, ui->grant.issued.name, sizeof name);
	grant_forget(&ui->grant);
	clearok(curscr, TRUE);	/* no copy of the secret stays on screen */
	ui_switch(ui, VIEW_TOKENS);
	ui_store_error(ui, roster_select(&ui->roster, name));
	roster_set_status(&ui->roster, STATUS_ISSUED, name);
}

/* A key in the form, or in the dialog. */
static void
issue_key(struct ui *ui, int key)
{
	struct grant	*g = &ui->grant;
	int		 action;

	if (g->secret[0] != '\0') {
		if (keys_lookup(KEYS_SECRET, key) == ACTION_CLOSE)
			issue_close(ui);
		return;
	}
	switch ((action = keys_lookup(KEYS_ISSUE, key))) {
	case ACTION_ISSUE_SUBMIT: issue_submit(ui); break;
	case ACTION_CANCEL:	ui_switch(ui, VIEW_TOKENS); break;
	case ACTION_NEXT_FIELD:	grant_focus_next(g); break;
	case ACTION_PREV_FIELD:	grant_focus_prev(g); break;
	case ACTION_CHOOSE_NEXT: grant_choose(g, 1); break;
	case ACTION_CHOOSE_PREV: grant_choose(g, -1); break;
	case ACTION_HELP:	ui_switch(ui, VIEW_HELP); break;
	case ACTION_QUIT:	ui->quit = 1; break;
	case ACTION_REDRAW:	clearok(curscr, TRUE); break;
	default:
		if (ui_edit_line(grant_line(g), action, key))
			grant_touch(g, g->focus);
		break;
	}
}

const struct view view_issue = {
	.name = "issue",
	.keys = KEYS_ISSUE,
	.status = VIEW_STATUS_ROSTER,
	.draw = issue_draw,
	.key = issue_key,
};
