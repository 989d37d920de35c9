/*
 * The views, one per file: list.c, inspect.c, form.c, help.c, tokens.c
 * (the Tokens screen), issue.c (the issue form and its secret), prefer.c
 * (the preferred presence form), say.c (the status message and
 * out-of-office forms) and subscriptions.c (the Subscriptions screen).
 * Each draws the whole screen
 * from the state in struct ui and handles the keys pressed while it is
 * shown.  Views switch by enum view_id through
 * ui_switch, never by naming each other, and ui.c names none of them:
 * only main.c's table does, so no two console files depend on each other.
 */
#ifndef PRESENCE_CONSOLE_VIEW_H
#define PRESENCE_CONSOLE_VIEW_H

#include "ui.h"

/*
 * Where a view's store errors are shown: the list's status line (the
 * presence views) or the Tokens screen's (the token views).
 */
enum view_status {
	VIEW_STATUS_MODEL,
	VIEW_STATUS_ROSTER,
	VIEW_STATUS_SUBS,	/* the Subscriptions screen's */
};

struct view {
	const char	*name;
	unsigned	 keys;		/* its KEYS_* mask in the key table */
	enum view_status status;	/* where its store errors go */
	int		 overlay;	/* shown over a view it goes back to */
	void		(*draw)(struct ui *ui);
	void		(*key)(struct ui *ui, int key);
	void		(*enter)(struct ui *ui);	/* or NULL */
	/* Check the database for what this view shows beyond the list, which
	 * is always polled; whether anything changed.  Or NULL. */
	int		(*poll)(struct ui *ui);
};

extern const struct view view_list;
extern const struct view view_inspect;
extern const struct view view_form;
extern const struct view view_help;
extern const struct view view_tokens;
extern const struct view view_issue;
extern const struct view view_prefer;
extern const struct view view_say;
extern const struct view view_subscriptions;

#endif
