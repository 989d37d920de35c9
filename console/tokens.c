/* The Tokens screen: a table of the API's bearer tokens, issue, revoke. */
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "screen.h"
#include "view.h"

#define TOKENS_NAME_MAX		24	/* columns of the name at most */
#define TOKENS_USER_MIN		9	/* a user id's first group and "…" */
#define TOKENS_EXPIRY_LEN	(sizeof "expired " - 1 + ROSTER_TIME_LEN)

/* Where each column starts and how wide it is (0: not shown). */
struct tokens_columns {
	int	name, name_w;
	int	scopes, scopes_w;
	int	user, user_w;
	int	created, created_w;
	int	expires, expires_w;
};

/* A token's expiry as the table shows it. */
static void
tokens_expiry(const struct token *t, int64_t now,
    char out[TOKENS_EXPIRY_LEN + 1])
{
	char	when[ROSTER_TIME_LEN + 1];

	roster_format_time(t->expires, when);
	snprintf(out, TOKENS_EXPIRY_LEN + 1, "%s%s", t->expires == 0 ?
	    "never" : roster_expired(t, now) ? "expired " : "",
	    t->expires == 0 ? "" : when);
}

/* The widest name, scopes and expiry among the rows; whether any user. */
static int
tokens_measure(const struct roster *r, int64_t now, struct tokens_columns *c)
{
	char	scopes[TOKEN_SCOPES_MAX + 1], expiry[TOKENS_EXPIRY_LEN + 1];
	int	len, need = (int)strlen("SCOPES");
	size_t	i;

	c->name_w = (int)strlen("NAME");
	c->user_w = (int)strlen("USER");
	c->expires_w = (int)strlen("EXPIRES");
	for (i = 0; i < r->win.n; i++) {
		if ((len = (int)strlen(r->rows[i].name)) > c->name_w)
			c->name_w = len;
		token_scopes_format(r->rows[i].scopes, scopes);
		if ((len = (int)strlen(scopes)) > need)
			need = len;
		if (r->rows[i].user[0] != '\0')
			c->user_w = GUID_LEN;
		tokens_expiry(&r->rows[i], now, expiry);
		if ((len = (int)strlen(expiry)) > c->expires_w)
			c->expires_w = len;
	}
	if (c->name_w > TOKENS_NAME_MAX)
		c->name_w = TOKENS_NAME_MAX;
	return need;
}

/*
 * Lay the columns out: the scopes take what the others leave; when that
 * is too little for them the creation time goes first, then the user id
 * is cut down to its first group (which tells ids apart well enough).
 */
static void
tokens_layout(const struct roster *r, int64_t now, struct tokens_columns *c)
{
	int	need, rest, give;

	memset(c, 0, sizeof *c);
	need = tokens_measure(r, now, c);
	c->created_w = ROSTER_TIME_LEN;
	rest = COLS - 2 - (c->name_w + 2) - (c->user_w + 2) -
	    (c->created_w + 2) - c->expires_w - 2;
	if (rest < need) {
		rest += c->created_w + 2;
		c->created_w = 0;
	}
	if (rest < need && c->user_w > TOKENS_USER_MIN) {
		give = need - rest < c->user_w - TOKENS_USER_MIN ?
		    need - rest : c->user_w - TOKENS_USER_MIN;
		c->user_w -= give;
		rest += give;
	}
	c->scopes_w = rest > need ? need : rest > 6 ? rest : 6;
	c->name = 1;
	c->scopes = c->name + c->name_w + 2;
	c->user = c->scopes + c->scopes_w + 2;
	c->created = c->user + c->user_w + 2;
	c->expires = c->created + (c->created_w > 0 ? c->created_w + 2 : 0);
}

/* Draw text in a column, clipped to the screen. */
static void
tokens_cell(int y, int x, int w, const char *text, enum screen_role role)
{
	if (w > COLS - 1 - x)
		w = COLS - 1 - x;
	if (w > 0)
		screen_str(y, x, w, text, role);
}

/* Draw the column titles. */
static void
tokens_draw_heading(const struct tokens_columns *c)
{
	screen_blank(1, 0, COLS, SCREEN_HEADING);
	tokens_cell(1, c->name, c->name_w, "NAME", SCREEN_HEADING);
	tokens_cell(1, c->scopes, c->scopes_w, "SCOPES", SCREEN_HEADING);
	tokens_cell(1, c->user, c->user_w, "USER", SCREEN_HEADING);
	if (c->created_w > 0)
		tokens_cell(1, c->created, c->created_w, "CREATED",
		    SCREEN_HEADING);
	tokens_cell(1, c->expires, c->expires_w, "EXPIRES", SCREEN_HEADING);
}

/* Draw one token on screen line y. */
static void
tokens_draw_row(const struct tokens_columns *c, int y, const struct token *t,
    int64_t now, int selected)
{
	enum screen_role	role = selected ? SCREEN_CURSOR : SCREEN_NORMAL;
	char			scopes[TOKEN_SCOPES_MAX + 1];
	char			created[ROSTER_TIME_LEN + 1];
	char			expiry[TOKENS_EXPIRY_LEN + 1];

	if (selected)
		screen_blank(y, 0, COLS, SCREEN_CURSOR);
	token_scopes_format(t->scopes, scopes);
	roster_format_time(t->created, created);
	tokens_expiry(t, now, expiry);
	tokens_cell(y, c->name, c->name_w, t->name, role);
	tokens_cell(y, c->scopes, c->scopes_w, scopes, role);
	tokens_cell(y, c->user, c->user_w, t->user[0] != '\0' ? t->user : "-",
	    role);
	if (c->created_w > 0)
		tokens_cell(y, c->created, c->created_w, created, role);
	tokens_cell(y, c->expires, c->expires_w, expiry,
	    roster_expired(t, now) && !selected ? SCREEN_ERROR : role);
}

/* Draw the status line: the roster's status, or a hint when empty. */
static void
tokens_draw_status(struct ui *ui)
{
	const struct roster	*r = &ui->roster;
	char			 text[256];

	if (r->status != STATUS_NONE)
		status_format(r->status, r->status_arg, text, sizeof text);
	else if (r->win.n == 0)
		snprintf(text, sizeof text, "no tokens: press i to issue one");
	else
		snprintf(text, sizeof text, "%zu token%s; times in UTC",
		    r->win.n, r->win.n == 1 ? "" : "s");
	ui_draw_status(ui, text, status_is_error(r->status));
}

/* Draw the Tokens screen. */
static void
tokens_draw(struct ui *ui)
{
	const struct roster	*r = &ui->roster;
	struct tokens_columns	 c;
	int64_t			 now = presence_now();
	size_t			 i;

	ui_draw_title(ui, "tokens", store_path(ui->st));
	tokens_layout(r, now, &c);
	tokens_draw_heading(&c);
	for (i = r->win.top; i < window_end(&r->win); i++)
		tokens_draw_row(&c, 2 + (int)(i - r->win.top), &r->rows[i], now,
		    i == r->win.cursor);
	tokens_draw_status(ui);
	ui_draw_keybar(ui, KEYS_TOKENS);
}

/* Run one action of the Tokens screen. */
static void
tokens_act(struct ui *ui, enum action action)
{
	struct roster	*r = &ui->roster;
	long		 page = (long)r->win.height;

	switch (action) {
	case ACTION_UP:		roster_move(r, -1); break;
	case ACTION_DOWN:	roster_move(r, 1); break;
	case ACTION_PAGE_UP:	roster_move(r, -page); break;
	case ACTION_PAGE_DOWN:	roster_move(r, page); break;
	case ACTION_FIRST:	roster_first(r); break;
	case ACTION_LAST:	roster_last(r); break;
	case ACTION_REVOKE:	roster_revoke_ask(r); break;
	case ACTION_ISSUE:
		grant_init(&ui->grant);
		ui_switch(ui, VIEW_ISSUE);
		break;
	case ACTION_BACK:	ui_switch(ui, VIEW_LIST); break;
	case ACTION_HELP:	ui_switch(ui, VIEW_HELP); break;
	case ACTION_QUIT:	ui->quit = 1; break;
	case ACTION_REDRAW:
		clearok(curscr, TRUE);
		ui_store_error(ui, roster_reload(r));
		break;
	default:
		break;
	}
}

/* A key on the Tokens screen; a pending revocation takes it first. */
static void
tokens_key(struct ui *ui, int key)
{
	struct roster	*r = &ui->roster;

	if (r->confirm[0] != '\0') {
		ui_store_error(ui, roster_revoke_answer(r,
		    key == 'y' || key == 'Y'));
		return;
	}
	roster_set_status(r, STATUS_NONE, NULL);
	tokens_act(ui, keys_lookup(KEYS_TOKENS, key));
}

/* Coming to the Tokens screen: read the tokens again. */
static void
tokens_enter(struct ui *ui)
{
	int	height = ui_list_rows(LINES);

	roster_resize(&ui->roster, height > 0 ? (size_t)height : 0);
	ui_store_error(ui, roster_reload(&ui->roster));
}

/* Follow tokens issued or revoked elsewhere; whether any showed. */
static int
tokens_poll(struct ui *ui)
{
	int	changed = 0;

	ui_store_error(ui, roster_poll(&ui->roster, &changed));
	return changed;
}

const struct view view_tokens = {
	.name = "tokens",
	.keys = KEYS_TOKENS,
	.status = VIEW_STATUS_ROSTER,
	.draw = tokens_draw,
	.key = tokens_key,
	.enter = tokens_enter,
	.poll = tokens_poll,
};
