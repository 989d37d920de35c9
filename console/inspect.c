/*
 * The inspect view: one presence's base state, sessions, preferred
 * presence, status message, out-of-office settings and work location,
 * what it shows now, and its API JSON; the preferred presence and the
 * sessions can be cleared from here, and the status message and
 * out-of-office forms opened.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "codec.h"
#include "escape.h"
#include "keys.h"
#include "screen.h"
#include "view.h"

#define INSPECT_LABEL_COLS	22
#define INSPECT_PAIR_COLS	23	/* "DoNotDisturb/Presenting" */
#define INSPECT_SPAN_COLS	10	/* "3h 59m 59s" */
#define INSPECT_MIN_ID		12	/* below this SET goes */

/* Draw one labelled property; returns the next free line. */
static int
inspect_field(int y, const char *label, const char *value)
{
	screen_str(y, 2, INSPECT_LABEL_COLS, label, SCREEN_HEADING);
	screen_str(y, 2 + INSPECT_LABEL_COLS, COLS - 3 - INSPECT_LABEL_COLS,
	    value, SCREEN_NORMAL);
	return y + 1;
}

/* Append a newline and the indentation for depth. */
static int
inspect_newline(struct buf *out, int depth)
{
	int	rc, i;

	rc = buf_add(out, "\n", 1);
	for (i = 0; i < depth && rc == 0; i++)
		rc = buf_adds(out, "  ");
	return rc;
}

/*
 * Lay compact JSON out one member a line, indented by depth: a string-aware
 * walk over the codec's output, so it never changes a value.
 */
static int
inspect_indent(const char *json, struct buf *out)
{
	const char	*c;
	int		 depth = 0, in_string = 0, escaped = 0, rc = 0;

	for (c = json; *c != '\0' && rc == 0; c++) {
		if (in_string) {
			if (escaped)
				escaped = 0;
			else if (*c == '\\')
				escaped = 1;
			else if (*c == '"')
				in_string = 0;
			rc = buf_add(out, c, 1);
			continue;
		}
		if ((*c == '}' || *c == ']') &&
		    (rc = inspect_newline(out, --depth)) != 0)
			break;
		if ((rc = buf_add(out, c, 1)) != 0)
			break;
		if (*c == '"')
			in_string = 1;
		else if (*c == ':')
			rc = buf_add(out, " ", 1);
		else if (*c == '{' || *c == '[')
			rc = inspect_newline(out, ++depth);
		else if (*c == ',')
			rc = inspect_newline(out, depth);
	}
	return rc;
}

/* Draw text line by line from y, wrapping at the width; the next line. */
static int
inspect_wrap(int y, int last, const char *text)
{
	const char	*line = text, *end, *s;
	struct buf	 b;
	size_t		 fit;

	buf_init(&b);
	while (*line != '\0' && y <= last) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		buf_reset(&b);
		if (escape_text(line, (size_t)(end - line),
		    screen_escape_flags(), &b) != 0)
			break;
		s = b.data;
		do {
			fit = escape_fit(s, (size_t)COLS - 4, NULL);
			mvaddnstr(y++, 4, s, (int)fit);
			s += fit;
		} while (*s != '\0' && fit > 0 && y <= last);
		line = *end == '\n' ? end + 1 : end;
	}
	buf_release(&b);
	return y;
}

/* Draw the presence's JSON as the API returns it, from line y. */
static void
inspect_draw_json(const struct detail *d, int y)
{
	struct buf	json, pretty;

	if (y > LINES - 4)
		return;
	buf_init(&json);
	buf_init(&pretty);
	screen_str(y++, 2, COLS - 3, "As the API returns it now",
	    SCREEN_HEADING);
	if (codec_presence_view_to_json(&d->p, &d->view, NULL, &json) == 0 &&
	    inspect_indent(json.data, &pretty) == 0)
		inspect_wrap(y, LINES - 3, pretty.data);
	buf_release(&json);
	buf_release(&pretty);
}

/* Where each column of the sessions table starts and how wide it is. */
struct inspect_columns {
	int	id, id_w;
	int	set, set_w;	/* set_w 0: not shown */
	int	shows, shows_w;
	int	fades, fades_w;
	int	expires, expires_w;
};

/*
 * Lay the sessions table out from the right: the countdowns and the pairs
 * keep their width, the session id takes the rest, and the pair as set
 * goes first when the terminal is narrow, then what it reads as and when
 * it fades.
 */
static void
inspect_layout(struct inspect_columns *c)
{
	c->expires_w = INSPECT_SPAN_COLS;
	c->expires = COLS - 1 - c->expires_w;
	c->fades_w = INSPECT_SPAN_COLS;
	c->fades = c->expires - 2 - c->fades_w;
	c->shows_w = INSPECT_PAIR_COLS + 4;
	c->shows = c->fades - 2 - c->shows_w;
	c->set_w = INSPECT_PAIR_COLS;
	c->set = c->shows - 2 - c->set_w;
	c->id = 4;
	c->id_w = c->set - 2 - c->id;
	if (c->id_w < INSPECT_MIN_ID) {
		c->set_w = 0;
		c->id_w = c->shows - 2 - c->id;
	}
	if (c->id_w < INSPECT_MIN_ID) {	/* only the id and the expiry fit */
		c->shows_w = c->fades_w = 0;
		c->id_w = c->expires - 2 - c->id;
	}
	if (c->id_w < 1)
		c->id_w = 1;
}

/* Draw one row of the sessions table. */
static void
inspect_draw_session(const struct inspect_columns *c, int y, const char *id,
    const char *set, const char *shows, const char *fades,
    const char *expires, enum screen_role role)
{
	if (role == SCREEN_CURSOR)
		screen_blank(y, 2, COLS - 3, role);
	screen_str(y, c->id, c->id_w, id, role);
	if (c->set_w > 0)
		screen_str(y, c->set, c->set_w, set, role);
	if (c->shows_w > 0) {
		screen_str(y, c->shows, c->shows_w, shows, role);
		screen_str(y, c->fades, c->fades_w, fades, role);
	}
	if (c->expires > c->id)
		screen_str(y, c->expires, c->expires_w, expires, role);
}

/* Draw the active sessions from line y; the next free line. */
static int
inspect_draw_sessions(const struct detail *d, int y)
{
	struct inspect_columns	c;
	struct detail_row	row;
	char			title[64];
	size_t			i;

	snprintf(title, sizeof title, "Sessions: %zu active (at most %d)",
	    d->nactive, PRESENCE_SESSIONS_MAX);
	screen_str(y++, 2, COLS - 3, title, SCREEN_HEADING);
	if (d->nactive == 0)
		return y;
	inspect_layout(&c);
	inspect_draw_session(&c, y++, "SESSION", "SET", "SHOWS", "FADES IN",
	    "EXPIRES IN", SCREEN_DIM);
	for (i = 0; i < d->nactive && y < LINES - 2; i++) {
		detail_row(d, i, &row);
		inspect_draw_session(&c, y++, row.id, row.set, row.shows,
		    row.fades, row.expires,
		    row.selected ? SCREEN_CURSOR : SCREEN_NORMAL);
	}
	return y;
}

/* Draw the status message, out of office and work location; the next. */
static int
inspect_draw_notes(const struct detail *d, int y)
{
	const struct presence		*p = &d->p;
	const struct note_location	*l = NULL;
	char				 text[NOTE_MESSAGE_MAX + 64];

	if (d->view.status_shown)
		snprintf(text, sizeof text, "%s", p->status.content);
	else
		snprintf(text, sizeof text, p->status.set ? "none (expired)" :
		    "none");
	y = inspect_field(y, "status message", text);
	if (d->view.status_shown && p->status.expires != 0)
		snprintf(text, sizeof text, "%s %s", p->status.expiry_time,
		    p->status.expiry_zone);
	else
		snprintf(text, sizeof text, d->view.status_shown ? "never" : "-");
	y = inspect_field(y, "message expires", text);
	snprintf(text, sizeof text, "%s%s%s", p->ooo.on ? "on" : "off",
	    p->ooo.message[0] != '\0' ? ", message: " : "", p->ooo.message);
	y = inspect_field(y, "out of office", text);
	if (d->view.location == NOTE_SOURCE_MANUAL)
		l = &p->manual;
	else if (d->view.location == NOTE_SOURCE_AUTOMATIC)
		l = &p->automatic;
	if (l == NULL)
		snprintf(text, sizeof text, "none");
	else
		snprintf(text, sizeof text, "%s (%s)%s%s",
		    note_work_names[l->type % NOTE_NWORK],
		    note_source_names[d->view.location], l->place[0] != '\0' ?
		    ", place " : "", l->place);
	return inspect_field(y, "work location", text);
}

/* Draw the stored and the computed properties from line y; the next. */
static int
inspect_draw_fields(const struct detail *d, int y)
{
	const struct presence	*p = &d->p;
	char			 created[PRESENCE_TIME_LEN + 1];
	char			 modified[PRESENCE_TIME_LEN + 1];
	char			 sequence[PRESENCE_SEQUENCE_LEN + 1];
	char			 pair[DETAIL_PAIR_LEN], span[DETAIL_SPAN_LEN];
	char			 text[DETAIL_PAIR_LEN + DETAIL_SPAN_LEN + 16];

	presence_format_time(p->created, created);
	presence_format_time(p->modified, modified);
	presence_format_sequence(d->view.sequence, sequence);
	y = inspect_field(y, "id", p->id);
	y = inspect_field(y, "availability", d->view.availability);
	y = inspect_field(y, "activity", d->view.activity);
	y = inspect_field(y, "sequenceNumber", sequence);
	y = inspect_field(y, "shown from", detail_source(d));
	detail_next_event(d, span);
	y = inspect_field(y, "next change in", span);
	snprintf(text, sizeof text, "%s/%s", p->availability, p->activity);
	y = inspect_field(y, "base state", text);
	if (detail_preferred(d, pair, span))
		snprintf(text, sizeof text, "%s, expires in %s", pair, span);
	else
		snprintf(text, sizeof text, "none");
	y = inspect_field(y, "preferred presence", text);
	y = inspect_draw_notes(d, y);
	y = inspect_field(y, "createdDateTime", created);
	y = inspect_field(y, "lastModifiedDateTime", modified);
	return y;
}

/* The status line's text: the detail's, the model's, or a read's error. */
static int
inspect_status(struct ui *ui, int rc, char *text, size_t size)
{
	const struct detail	*d = &ui->detail;

	text[0] = '\0';
	if (rc != 0)
		status_format(STATUS_STORE, store_strerror(rc), text, size);
	else if (d->status != STATUS_NONE) {
		status_format(d->status, d->status_arg, text, size);
		return status_is_error(d->status);
	} else if (d->rc == STORE_ENOTFOUND)
		status_format(STATUS_GONE, d->id, text, size);
	else if (ui->model.status != STATUS_NONE) {
		status_format(ui->model.status, ui->model.status_arg, text,
		    size);
		return status_is_error(ui->model.status);
	}
	return rc != 0 || d->rc != 0;
}

/*
 * Draw the inspected presence as it is now: it is read again for every
 * frame, so the countdowns run as the console polls.
 */
static void
inspect_draw(struct ui *ui)
{
	struct detail	*d = &ui->detail;
	char		 text[256];
	int		 y = 2, rc, error;

	ui_draw_title(ui, "presence", ui->inspect_id);
	rc = detail_load(d, ui->inspect_id, presence_now());
	if (rc == STORE_EPANIC || rc == STORE_ENOMEM)
		ui_store_error(ui, rc);
	if (rc == 0 && d->rc == 0) {
		y = inspect_draw_fields(d, y);
		y = inspect_draw_sessions(d, y + 1);
		inspect_draw_json(d, y + 1);
	}
	error = inspect_status(ui, rc, text, sizeof text);
	ui_draw_status(ui, text, error);
	ui_draw_keybar(ui, KEYS_INSPECT);
}

/* Follow the list's cursor after moving it from here. */
static void
inspect_follow(struct ui *ui, int rc)
{
	const struct presence	*p = model_current(&ui->model);

	ui_store_error(ui, rc);
	if (p != NULL)
		memcpy(ui->inspect_id, p->id, sizeof ui->inspect_id);
}

/* Go back to the list and ask there to delete the inspected presence. */
static void
inspect_delete(struct ui *ui)
{
	const struct presence	*p;

	ui_switch(ui, VIEW_LIST);
	ui_store_error(ui, model_select(&ui->model, ui->inspect_id));
	p = model_current(&ui->model);
	if (p == NULL || strcmp(p->id, ui->inspect_id) != 0)
		model_set_status(&ui->model, STATUS_GONE, ui->inspect_id);
	else
		model_delete_ask(&ui->model);
}

/* Open the preferred presence form, on the pair set now if any. */
static void
inspect_prefer(struct ui *ui)
{
	struct detail	*d = &ui->detail;
	char		 pair[DETAIL_PAIR_LEN], span[DETAIL_SPAN_LEN];

	if (ui->read_only)
		detail_set_status(d, STATUS_READ_ONLY, NULL);
	else if (d->rc != 0)
		detail_set_status(d, STATUS_GONE, d->id);
	else {
		pick_init(&ui->pick, d->id, detail_preferred(d, pair, span) ?
		    pair : NULL);
		ui_switch(ui, VIEW_PREFER);
	}
}

/* Open the status message or the out-of-office form. */
static void
inspect_say(struct ui *ui, enum memo_kind kind)
{
	struct detail	*d = &ui->detail;

	if (ui->read_only)
		detail_set_status(d, STATUS_READ_ONLY, NULL);
	else if (d->rc != 0)
		detail_set_status(d, STATUS_GONE, d->id);
	else {
		memo_init(&ui->memo, kind, &d->p);
		ui_switch(ui, VIEW_SAY);
	}
}

/* A key in the inspect view. */
static void
inspect_key(struct ui *ui, int key)
{
	struct model	*m = &ui->model;
	struct detail	*d = &ui->detail;

	if (d->ask != DETAIL_ASK_NONE) {
		ui_store_error(ui, detail_answer(d, key == 'y' || key == 'Y',
		    presence_now()));
		return;
	}
	model_set_status(m, STATUS_NONE, NULL);
	detail_set_status(d, STATUS_NONE, NULL);
	switch (keys_lookup(KEYS_INSPECT, key)) {
	case ACTION_UP:		inspect_follow(ui, model_move(m, -1)); break;
	case ACTION_DOWN:	inspect_follow(ui, model_move(m, 1)); break;
	case ACTION_PAGE_UP:
		inspect_follow(ui, model_move(m, -(long)m->height));
		break;
	case ACTION_PAGE_DOWN:
		inspect_follow(ui, model_move(m, (long)m->height));
		break;
	case ACTION_FIRST:	inspect_follow(ui, model_first(m)); break;
	case ACTION_LAST:	inspect_follow(ui, model_last(m)); break;
	case ACTION_DELETE:	inspect_delete(ui); break;
	case ACTION_PREFER:	inspect_prefer(ui); break;
	case ACTION_UNPREFER:	detail_ask_unprefer(d); break;
	case ACTION_STATUS_MESSAGE: inspect_say(ui, MEMO_STATUS); break;
	case ACTION_OUT_OF_OFFICE: inspect_say(ui, MEMO_OOF); break;
	case ACTION_SESSION_NEXT: detail_select(d, 1); break;
	case ACTION_SESSION_PREV: detail_select(d, -1); break;
	case ACTION_END_SESSION: detail_ask_session(d); break;
	case ACTION_BACK:	ui_switch(ui, VIEW_LIST); break;
	case ACTION_HELP:	ui_switch(ui, VIEW_HELP); break;
	case ACTION_QUIT:	ui->quit = 1; break;
	case ACTION_REDRAW:	clearok(curscr, TRUE); break;
	default:		break;
	}
}

/* Start inspecting at the list's cursor. */
static void
inspect_enter(struct ui *ui)
{
	ui_store_error(ui, model_select(&ui->model, ui->inspect_id));
	ui_store_error(ui, detail_load(&ui->detail, ui->inspect_id,
	    presence_now()));
}

/* The countdowns run: draw again at every poll. */
static int
inspect_poll(struct ui *ui)
{
	(void)ui;
	return 1;
}

const struct view view_inspect = {
	.name = "inspect",
	.keys = KEYS_INSPECT,
	.status = VIEW_STATUS_MODEL,
	.draw = inspect_draw,
	.key = inspect_key,
	.enter = inspect_enter,
	.poll = inspect_poll,
};
