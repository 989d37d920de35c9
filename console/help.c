/* The help view: every key of every view, drawn from the key table. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "screen.h"
#include "view.h"

#define HELP_KEYS_COLS	26

static const struct {
	const char	*title;
	unsigned	 keys;
	int		 writes;	/* hidden when read-only */
} help_sections[] = {
	{ "List", KEYS_LIST, 0 },
	{ "Inspect", KEYS_INSPECT, 0 },
	{ "Create form", KEYS_FORM, 0 },
	{ "Find prompt", KEYS_PROMPT, 0 },
	{ "Preferred presence form", KEYS_PREFER, 1 },
	{ "Status message and out-of-office forms", KEYS_SAY, 1 },
	{ "Tokens", KEYS_TOKENS, 1 },
	{ "Issue form", KEYS_ISSUE, 1 },
	{ "Issued token", KEYS_SECRET, 1 },
	{ "Subscriptions", KEYS_SUBS, 0 },
	{ "Help", KEYS_HELP, 0 },
};

static const char *const help_notes[] = {
	"The list follows the database: changes made elsewhere show within",
	"a second, and the cursor stays on the same presence.",
	"Availability and activity are shown as the API returns them now:",
	"computed from the sessions, the preferred presence and the base",
	"state, and they change as sessions fade and expire.",
	"Control characters and other unprintable text in values are shown",
	"as \\xHH, \\uHHHH or \\UHHHHHHHH escapes, and a backslash as \\\\.",
};

static const char *const help_token_notes[] = {
	"Tokens are the API's bearer tokens.  A new token's secret is shown",
	"once, when it is issued: the database keeps only its hash.  A",
	"revoked token is refused from the next request on.",
};

static const char *const help_subs_notes[] = {
	"Subscriptions are the API's change notifications: BACKLOG counts",
	"the notifications waiting for delivery, LAST DELIVERY says how the",
	"last attempt went.  The responders deliver; the console never does.",
	"Deleting one drops its backlog without a lifecycle notification.",
};

/* Where help lines go: the first shown and the screen lines for them. */
struct help_page {
	int	top;	/* index of the first line shown */
	int	y;	/* next screen line */
	int	last;	/* last screen line */
	int	n;	/* lines so far */
};

/* Count one help line and draw it when it falls on the page. */
static void
help_line(struct help_page *pg, int x, const char *text, enum screen_role role)
{
	if (pg->n++ < pg->top || pg->y > pg->last)
		return;
	screen_str(pg->y++, x, COLS - x - 1, text, role);
}

/* Whether name is already in the ", "-separated list. */
static int
help_listed(const char *list, const char *name)
{
	size_t		 n = strlen(name);
	const char	*at;

	for (at = list; (at = strstr(at, name)) != NULL; at += n)
		if ((at == list || at[-1] == ' ') &&
		    (at[n] == '\0' || at[n] == ','))
			return 1;
	return 0;
}

/* The keys bound to action in the views of mask keys, as "a, b, c". */
static void
help_keys(unsigned keys, enum action action, char *out, size_t size)
{
	const struct key_binding	*b;
	char				 name[32];
	size_t				 len = 0;

	out[0] = '\0';
	for (b = keys_table; b->key != 0; b++) {
		if (b->action != action || !(b->views & keys))
			continue;
		keys_name(b->key, name, sizeof name);
		if (help_listed(out, name))
			continue;
		len += (size_t)snprintf(out + len, size - len, "%s%s",
		    len > 0 ? ", " : "", name);
		if (len >= size)
			break;
	}
}

/* Whether action was already listed for this section. */
static int
help_seen(unsigned keys, const struct key_binding *upto)
{
	const struct key_binding	*b;

	for (b = keys_table; b != upto; b++)
		if (b->action == upto->action && (b->views & keys))
			return 1;
	return 0;
}

/* One section: its title, then a line per action. */
static void
help_section(struct ui *ui, struct help_page *pg, const char *title,
    unsigned keys)
{
	const struct key_binding	*b;
	char				 names[128];
	int				 y;

	help_line(pg, 1, title, SCREEN_HEADING);
	for (b = keys_table; b->key != 0; b++) {
		if (!(b->views & keys) || help_seen(keys, b) ||
		    (ui->read_only && keys_writes(b->action)))
			continue;
		help_keys(keys, b->action, names, sizeof names);
		y = pg->y;
		help_line(pg, 3, names, SCREEN_KEY);
		if (pg->y > y)
			screen_str(y, 3 + HELP_KEYS_COLS, COLS - 4 -
			    HELP_KEYS_COLS, keys_help(b->action), SCREEN_NORMAL);
	}
	help_line(pg, 1, "", SCREEN_NORMAL);
}

/* Lay out (and draw what fits of) the help; the number of lines. */
static int
help_render(struct ui *ui, int top, int y, int last)
{
	struct help_page	pg = { top, y, last, 0 };
	size_t			i;

	for (i = 0; i < sizeof help_sections / sizeof help_sections[0]; i++)
		if (!ui->read_only || !help_sections[i].writes)
			help_section(ui, &pg, help_sections[i].title,
			    help_sections[i].keys);
	for (i = 0; i < sizeof help_notes / sizeof help_notes[0]; i++)
		help_line(&pg, 1, help_notes[i], SCREEN_DIM);
	for (i = 0; !ui->read_only &&
	    i < sizeof help_token_notes / sizeof help_token_notes[0]; i++)
		help_line(&pg, 1, help_token_notes[i], SCREEN_DIM);
	for (i = 0; i < sizeof help_subs_notes / sizeof help_subs_notes[0]; i++)
		help_line(&pg, 1, help_subs_notes[i], SCREEN_DIM);
	return pg.n;
}

/* The help line where the section for the keys of view begins, or 0. */
static int
help_section_line(struct ui *ui, unsigned view)
{
	struct help_page	pg = { INT_MAX, 0, -1, 0 };
	size_t			i;

	for (i = 0; i < sizeof help_sections / sizeof help_sections[0]; i++) {
		if (ui->read_only && help_sections[i].writes)
			continue;
		if (help_sections[i].keys == view)
			return pg.n;
		help_section(ui, &pg, help_sections[i].title,
		    help_sections[i].keys);
	}
	return 0;
}

/* Draw the help, scrolled to ui->help_top. */
static void
help_draw(struct ui *ui)
{
	int	page = LINES - 4, total;

	total = help_render(ui, 0, 1, 0);
	if (ui->help_top > total - page)
		ui->help_top = total - page;
	if (ui->help_top < 0)
		ui->help_top = 0;
	ui_draw_title(ui, "help", NULL);
	help_render(ui, ui->help_top, 2, LINES - 3);
	ui_draw_status(ui, ui->read_only ?
	    "the database is open read-only: every change and the tokens are off" :
	    "", 0);
	ui_draw_keybar(ui, KEYS_HELP);
}

/* A key in the help view. */
static void
help_key(struct ui *ui, int key)
{
	int	page = LINES - 4;

	switch (keys_lookup(KEYS_HELP, key)) {
	case ACTION_UP:		ui->help_top--; break;
	case ACTION_DOWN:	ui->help_top++; break;
	case ACTION_PAGE_UP:	ui->help_top -= page; break;
	case ACTION_PAGE_DOWN:	ui->help_top += page; break;
	case ACTION_FIRST:	ui->help_top = 0; break;
	case ACTION_LAST:	ui->help_top = 1 << 20; break;
	case ACTION_BACK:
	case ACTION_HELP:
		ui_switch(ui, ui->back);
		break;
	case ACTION_QUIT:	ui->quit = 1; break;
	case ACTION_REDRAW:	clearok(curscr, TRUE); break;
	default:		break;
	}
}

/* Open the help at the section of the view it was called from. */
static void
help_enter(struct ui *ui)
{
	ui->help_top = help_section_line(ui, ui->views[ui->back]->keys);
}

const struct view view_help = {
	.name = "help",
	.keys = KEYS_HELP,
	.status = VIEW_STATUS_MODEL,
	.overlay = 1,
	.draw = help_draw,
	.key = help_key,
	.enter = help_enter,
};
