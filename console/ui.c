/* The interactive console: signals, the key loop, polling, the frame. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "escape.h"
#include "keys.h"
#include "log.h"
#include "screen.h"
#include "ui.h"
#include "view.h"

/* The signal that asks the console to stop, or 0. */
static volatile sig_atomic_t ui_signal;

/* Remember a stop signal; the loop restores the terminal and leaves. */
static void
ui_on_signal(int sig)
{
	ui_signal = sig;
}

/* Catch the signals that stop the console, without SA_RESTART. */
static void
ui_catch_signals(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
}

/* Restore the terminal, report a fatal problem and exit. */
static void __attribute__((noreturn, format(printf, 1, 2)))
ui_fatal(const char *fmt, ...)
{
	va_list	ap;

	screen_end();
	va_start(ap, fmt);
	log_vwarn(fmt, ap);
	va_end(ap);
	exit(1);
}

/* The rows a list of presences or tokens shows on a screen of lines lines. */
int
ui_list_rows(int lines)
{
	return lines > 4 ? lines - 4 : 0;
}

/* Handle a store error from a view. */
void
ui_store_error(struct ui *ui, int rc)
{
	if (rc == 0)
		return;
	if (rc == STORE_EPANIC || rc == STORE_ENOMEM)
		ui_fatal("cannot read database '%s': %s", store_path(ui->st),
		    store_strerror(rc));
	if (ui->view->status == VIEW_STATUS_ROSTER)
		roster_set_status(&ui->roster, STATUS_STORE,
		    store_strerror(rc));
	else if (ui->view->status == VIEW_STATUS_SUBS)
		subs_set_status(&ui->subs, STATUS_STORE, store_strerror(rc));
	else
		model_set_status(&ui->model, STATUS_STORE, store_strerror(rc));
}

/* Show another view. */
void
ui_switch(struct ui *ui, enum view_id id)
{
	const struct view	*view = ui->views[id];

	if (view->overlay && !ui->view->overlay)
		ui->back = ui->shown;
	ui->view = view;
	ui->shown = id;
	if (view->enter != NULL)
		view->enter(ui);
}

/* Format a count with thousands separators. */
static void
ui_format_count(size_t n, char *out, size_t size)
{
	char	digits[32];
	size_t	len, i, o = 0;

	snprintf(digits, sizeof digits, "%zu", n);
	len = strlen(digits);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

/*
 * Draw text in the title bar within cols columns, keeping its end: a
 * database path is told apart by its last components, so a long one loses
 * its start behind an ellipsis.
 */
static void
ui_draw_tail(int x, int cols, const char *text)
{
	size_t	len = strlen(text), skip;

	if (cols < 2)
		return;
	if (len <= (size_t)cols) {
		screen_str(0, x, cols, text, SCREEN_TITLE);
		return;
	}
	skip = len - (size_t)cols + 1;
	while (((unsigned char)text[skip] & 0xc0) == 0x80)
		skip++;		/* start on a whole character */
	screen_str(0, x, 1, screen_escape_flags() & ESCAPE_ASCII ? "~" :
	    "\xe2\x80\xa6", SCREEN_TITLE);
	screen_str(0, x + 1, cols - 1, text + skip, SCREEN_TITLE);
}

/* Draw the top line: title and subject on the left, facts on the right. */
void
ui_draw_title(struct ui *ui, const char *title, const char *subject)
{
	char	count[32], facts[96];
	int	x, right;

	ui_format_count(ui->model.stat.count, count, sizeof count);
	snprintf(facts, sizeof facts, "%s%s%s presence%s ",
	    ui->read_only ? "read-only  " : "",
	    store_value_mode(ui->st) == PRESENCE_MODE_GRAPH ?
	    "graph values  " : "", count,
	    ui->model.stat.count == 1 ? "" : "s");
	screen_blank(0, 0, COLS, SCREEN_TITLE);
	x = 1 + screen_str(0, 1, COLS - 1, title, SCREEN_TITLE);
	right = COLS - (int)strlen(facts);
	if (subject != NULL && x + 2 < right - 2)
		ui_draw_tail(x + 2, right - 2 - (x + 2), subject);
	if (right > x)
		screen_str(0, right, COLS - right, facts, SCREEN_TITLE);
}

/* Draw the status line. */
void
ui_draw_status(struct ui *ui, const char *text, int error)
{
	(void)ui;
	screen_blank(LINES - 2, 0, COLS, SCREEN_NORMAL);
	screen_str(LINES - 2, 1, COLS - 1, text,
	    error ? SCREEN_ERROR : SCREEN_NORMAL);
}

/* Draw the key bar: each shown binding's key, then its word. */
void
ui_draw_keybar(struct ui *ui, unsigned keys)
{
	const struct key_binding	*b;
	char				 name[32];
	int				 x = 0, y = LINES - 1;

	screen_blank(y, 0, COLS, SCREEN_NORMAL);
	for (b = keys_table; b->key != 0 && x < COLS; b++) {
		if (b->bar == NULL || !(b->views & keys) ||
		    (ui->read_only && keys_writes(b->action)))
			continue;
		keys_name(b->key, name, sizeof name);
		x += screen_str(y, x, COLS - x, name, SCREEN_KEY);
		x += 1 + screen_str(y, x + 1, COLS - x - 1, b->bar,
		    SCREEN_LABEL);
		x += 2;
	}
}

/* Milliseconds on the monotonic clock. */
static long long
ui_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait up to UI_POLL_MS for a key: its code, or 0 when none came. */
static int
ui_read_key(void)
{
	wint_t	wch;
	int	rc;

	rc = get_wch(&wch);
	if (rc == KEY_CODE_YES)
		return KEYS_FN((int)wch);
	if (rc == OK)
		return (int)wch;
	return 0;
}

/* Draw the current view and put the terminal cursor where it asks. */
static void
ui_draw(struct ui *ui)
{
	ui->cursor_y = ui->cursor_x = -1;
	erase();
	if (LINES < 6 || COLS < 20)
		screen_str(0, 0, COLS, "terminal too small", SCREEN_ERROR);
	else
		ui->view->draw(ui);
	if (ui->cursor_y >= 0) {
		curs_set(1);
		move(ui->cursor_y, ui->cursor_x);
	} else
		curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
}

/* Fit the list and the Tokens screen to a new terminal size. */
static void
ui_resize(struct ui *ui)
{
	int	height = ui_list_rows(LINES);

	roster_resize(&ui->roster, height > 0 ? (size_t)height : 0);
	subs_resize(&ui->subs, height > 0 ? (size_t)height : 0);
	ui_store_error(ui, model_resize(&ui->model,
	    height > 0 ? (size_t)height : 0));
}

/* Check the database for changes made elsewhere; whether any showed. */
static int
ui_poll(struct ui *ui)
{
	int	changed = 0, more = 0;

	ui_store_error(ui, model_poll(&ui->model, &changed));
	if (ui->view->poll != NULL)
		more = ui->view->poll(ui);
	return changed || more;
}

/* Read keys, poll the database and redraw until asked to stop. */
static void
ui_loop(struct ui *ui)
{
	long long	last_poll = ui_now_ms();
	int		key, dirty = 1;

	while (!ui->quit && ui_signal == 0) {
		if (dirty)
			ui_draw(ui);
		dirty = 0;
		key = ui_read_key();
		if (ui_signal != 0)
			break;
		if (key == KEYS_FN(KEY_RESIZE)) {
			ui_resize(ui);
			dirty = 1;
		} else if (key != 0) {
			ui->view->key(ui, key);
			dirty = 1;
		}
		if (ui_now_ms() - last_poll >= UI_POLL_MS) {
			last_poll = ui_now_ms();
			dirty |= ui_poll(ui);
		}
	}
}

/* Run the console over st from the view first until asked to stop. */
int
ui_run(struct store *st, int read_only, int color,
    const struct view *const views[VIEW_COUNT], enum view_id first)
{
	struct ui	ui;
	int		sig;

	memset(&ui, 0, sizeof ui);
	ui.st = st;
	ui.read_only = read_only;
	ui.views = views;
	ui.view = views[first];
	ui.shown = ui.back = first;
	model_init(&ui.model, st, read_only);
	roster_init(&ui.roster, st, read_only);
	subs_init(&ui.subs, st, read_only);
	detail_init(&ui.detail, st, read_only);
	ui_catch_signals();
	if (screen_begin(color) != 0) {
		log_warn("cannot use the terminal '%s'",
		    getenv("TERM") != NULL ? getenv("TERM") : "");
		model_release(&ui.model);
		return 1;
	}
	atexit(screen_end);
	timeout(UI_POLL_MS);
	ui_resize(&ui);
	ui_loop(&ui);
	screen_end();
	grant_forget(&ui.grant);
	roster_release(&ui.roster);
	subs_release(&ui.subs);
	model_release(&ui.model);
	if ((sig = ui_signal) != 0) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return 0;
}

/* Apply an editing action, or insert a typed character. */
int
ui_edit_line(struct line *l, int action, int key)
{
	switch (action) {
	case ACTION_LEFT:	line_left(l); return 0;
	case ACTION_RIGHT:	line_right(l); return 0;
	case ACTION_HOME:	line_home(l); return 0;
	case ACTION_END:	line_end(l); return 0;
	case ACTION_BACKSPACE:	return line_backspace(l) == 0;
	case ACTION_DELETE_CHAR: return line_delete(l) == 0;
	case ACTION_KILL:	line_kill(l); return 1;
	case ACTION_NONE:
		if ((key & KEYS_FUNCTION) || key < 0x20 || key == 0x7f)
			return 0;
		if (line_insert_char(l, (unsigned long)key) != 0) {
			beep();
			return 0;
		}
		return 1;
	default:
		return 0;
	}
}

/* Draw a line editor's text, scrolled so its cursor shows. */
void
ui_draw_line(struct ui *ui, const struct line *l, int y, int x, int cols,
    int role)
{
	struct buf	all, head;
	size_t		head_w, skip = 0, at = 0;
	int		flags = screen_escape_flags();

	if (cols < 2)
		return;
	buf_init(&all);
	buf_init(&head);
	screen_blank(y, x, cols, (enum screen_role)role);
	if (escape_text(l->text, l->len, flags, &all) == 0 &&
	    escape_text(l->text, l->cursor, flags, &head) == 0) {
		head_w = escape_width(head.data);
		if (head_w > (size_t)cols - 1)
			skip = head_w - ((size_t)cols - 1);
		at = escape_fit(all.data, skip, &skip);
		attrset(screen_attr((enum screen_role)role));
		mvaddnstr(y, x, all.data + at,
		    (int)escape_fit(all.data + at, (size_t)cols, NULL));
		attrset(A_NORMAL);
		ui->cursor_y = y;
		ui->cursor_x = x + (int)(head_w - skip);
	}
	buf_release(&all);
	buf_release(&head);
}
