/* The terminal: start, restore, colors, escaped drawing. */
#include <langinfo.h>
#include <string.h>

#include "buf.h"
#include "escape.h"
#include "screen.h"

static SCREEN	*screen_term;
static int	 screen_color;
static int	 screen_flags;

/* The monochrome look of each role. */
static const attr_t screen_mono[SCREEN_ROLES] = {
	[SCREEN_NORMAL]		= A_NORMAL,
	[SCREEN_TITLE]		= A_REVERSE,
	[SCREEN_HEADING]	= A_BOLD,
	[SCREEN_CURSOR]		= A_REVERSE,
	[SCREEN_ERROR]		= A_BOLD,
	[SCREEN_KEY]		= A_REVERSE,
	[SCREEN_LABEL]		= A_NORMAL,
	[SCREEN_FIELD]		= A_UNDERLINE,
	[SCREEN_DIM]		= A_DIM,
};

/* The colors of each role: foreground, background, extra attributes. */
static const struct {
	short	fg, bg;
	attr_t	attr;
} screen_palette[SCREEN_ROLES] = {
	[SCREEN_NORMAL]		= { -1, -1, A_NORMAL },
	[SCREEN_TITLE]		= { COLOR_WHITE, COLOR_BLUE, A_BOLD },
	[SCREEN_HEADING]	= { COLOR_GREEN, -1, A_BOLD },
	[SCREEN_CURSOR]		= { COLOR_BLACK, COLOR_CYAN, A_NORMAL },
	[SCREEN_ERROR]		= { COLOR_RED, -1, A_BOLD },
	[SCREEN_KEY]		= { COLOR_BLACK, COLOR_CYAN, A_NORMAL },
	[SCREEN_LABEL]		= { -1, -1, A_NORMAL },
	[SCREEN_FIELD]		= { COLOR_WHITE, COLOR_BLUE, A_NORMAL },
	[SCREEN_DIM]		= { COLOR_YELLOW, -1, A_NORMAL },
};

/* Set up a color pair per role; colors stay off when that fails. */
static void
screen_init_colors(void)
{
	int	role;

	if (!has_colors() || start_color() == ERR || COLOR_PAIRS < SCREEN_ROLES)
		return;
	use_default_colors();
	for (role = 1; role < SCREEN_ROLES; role++)
		if (init_pair((short)role, screen_palette[role].fg,
		    screen_palette[role].bg) == ERR)
			return;
	screen_color = 1;
}

/* Take over the terminal. */
int
screen_begin(int color)
{
	const char	*codeset = nl_langinfo(CODESET);

	screen_flags = strcmp(codeset, "UTF-8") == 0 ? 0 : ESCAPE_ASCII;
	if ((screen_term = newterm(NULL, stdout, stdin)) == NULL)
		return -1;
	set_term(screen_term);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (color)
		screen_init_colors();
	return 0;
}

/* Give the terminal back as it was. */
void
screen_end(void)
{
	if (screen_term == NULL)
		return;
	curs_set(1);
	endwin();
	delscreen(screen_term);
	screen_term = NULL;
	fflush(stdout);
}

/* The attributes for a role. */
attr_t
screen_attr(enum screen_role role)
{
	if (role >= SCREEN_ROLES)
		role = SCREEN_NORMAL;
	if (!screen_color)
		return screen_mono[role];
	return COLOR_PAIR(role) | screen_palette[role].attr;
}

/* The escape flags for this terminal. */
int
screen_escape_flags(void)
{
	return screen_flags;
}

/*
 * Draw raw text escaped, clipped to cols columns; text that does not fit
 * ends in an ellipsis, so a cut value never passes for a whole one.
 */
int
screen_text(int y, int x, int cols, const char *raw, size_t len,
    enum screen_role role)
{
	struct buf	b;
	size_t		fit, width = 0;

	if (cols <= 0)
		return 0;
	buf_init(&b);
	if (escape_text(raw, len, screen_flags, &b) == 0 && b.len > 0) {
		attrset(screen_attr(role));
		fit = escape_fit(b.data, (size_t)cols, &width);
		if (fit < b.len && cols > 1) {
			fit = escape_fit(b.data, (size_t)cols - 1, &width);
			mvaddnstr(y, x + (int)width, screen_flags & ESCAPE_ASCII ?
			    "~" : "\xe2\x80\xa6", -1);
			width++;
		}
		mvaddnstr(y, x, b.data, (int)fit);
		attrset(A_NORMAL);
	}
	buf_release(&b);
	return (int)width;
}

/* screen_text for a NUL-terminated string. */
int
screen_str(int y, int x, int cols, const char *raw, enum screen_role role)
{
	return screen_text(y, x, cols, raw, strlen(raw), role);
}

/* Fill cols columns at y, x with blanks in the role's look. */
void
screen_blank(int y, int x, int cols, enum screen_role role)
{
	if (cols <= 0)
		return;
	mvhline(y, x, ' ' | screen_attr(role), cols);
}
