/*
 * The interactive console: its state, shared by the views, and the loop
 * that reads keys, polls the database and redraws.
 */
#ifndef PRESENCE_CONSOLE_UI_H
#define PRESENCE_CONSOLE_UI_H

#include "detail.h"
#include "draft.h"
#include "grant.h"
#include "line.h"
#include "memo.h"
#include "model.h"
#include "pick.h"
#include "roster.h"
#include "store.h"
#include "subs.h"

#define UI_POLL_MS	250	/* how often the database is checked */

struct view;

/* The views, by which they are switched to; main.c has their table. */
enum view_id {
	VIEW_LIST,
	VIEW_INSPECT,
	VIEW_FORM,
	VIEW_HELP,
	VIEW_TOKENS,
	VIEW_ISSUE,
	VIEW_PREFER,
	VIEW_SAY,
	VIEW_SUBSCRIPTIONS,
	VIEW_COUNT
};

struct ui {
	struct store		*st;		/* borrowed */
	int			 read_only;
	struct model		 model;		/* the list */
	struct draft		 draft;		/* the create form */
	struct roster		 roster;	/* the Tokens screen */
	struct subs		 subs;		/* the Subscriptions screen */
	struct grant		 grant;		/* the issue form */
	struct detail		 detail;	/* the inspected presence */
	struct pick		 pick;		/* the preferred presence form */
	struct memo		 memo;		/* the status message and
						   out-of-office forms */
	struct line		 prompt;	/* the find prompt's text */
	int			 prompting;
	const struct view *const *views;	/* by enum view_id; borrowed */
	const struct view	*view;		/* on screen */
	enum view_id		 shown;		/* which one that is */
	enum view_id		 back;		/* where help goes back to */
	char			 inspect_id[GUID_LEN + 1];
	int64_t			 drawn_at;	/* the instant the list's
						   computed values are for */
	int			 help_top;	/* first help line shown */
	int			 cursor_y;	/* where the terminal cursor */
	int			 cursor_x;	/* goes, or -1: hidden */
	int			 quit;
};

/*
 * Run the console over st, showing first, until the user quits or a signal
 * stops it; the terminal is restored in every case.  Returns the exit status.
 */
int ui_run(struct store *st, int read_only, int color,
    const struct view *const views[VIEW_COUNT], enum view_id first);

/* The rows a list of presences or tokens shows on a screen of lines lines. */
int ui_list_rows(int lines);

/* Show another view. */
void ui_switch(struct ui *ui, enum view_id id);

/*
 * Handle a store error from a view: fatal ones (the environment failed,
 * memory ran out) restore the terminal and exit, others go to the status
 * line.
 */
void ui_store_error(struct ui *ui, int rc);

/*
 * Apply an editing action (or, for ACTION_NONE, insert the typed
 * character key) to l.  Returns 1 when the text changed, 0 otherwise.
 */
int ui_edit_line(struct line *l, int action, int key);

/*
 * Draw l in cols columns at y, x, scrolled so its cursor shows, and ask
 * for the terminal cursor there.
 */
void ui_draw_line(struct ui *ui, const struct line *l, int y, int x,
    int cols, int role);

/* Draw the top line: title on the left, database facts on the right. */
void ui_draw_title(struct ui *ui, const char *title, const char *subject);

/* Draw the status line (the model's status, or the find prompt). */
void ui_draw_status(struct ui *ui, const char *text, int error);

/* Draw the key bar for the views of mask keys. */
void ui_draw_keybar(struct ui *ui, unsigned keys);

#endif
