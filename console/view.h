/*
 * The views, one per file: list.c, inspect.c, form.c, help.c, tokens.c
 * (the Tokens screen) and issue.c (the issue form and its secret).  Each
 * draws the whole screen from the state in struct ui and handles the keys
 * pressed while it is shown.
 */
#ifndef PRESENCE_CONSOLE_VIEW_H
#define PRESENCE_CONSOLE_VIEW_H

#include "ui.h"

struct view {
	const char	*name;
	unsigned	 keys;		/* its KEYS_* mask in the key table */
	void		(*draw)(struct ui *ui);
	void		(*key)(struct ui *ui, int key);
	void		(*enter)(struct ui *ui);	/* or NULL */
};

extern const struct view view_list;
extern const struct view view_inspect;
extern const struct view view_form;
extern const struct view view_help;
extern const struct view view_tokens;
extern const struct view view_issue;

/* The rows the list shows on a screen of lines lines. */
int view_list_height(int lines);

#endif
