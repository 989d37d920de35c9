/* The inspect view: every property of one presence, and its API JSON. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "codec.h"
#include "escape.h"
#include "keys.h"
#include "screen.h"
#include "view.h"

#define INSPECT_LABEL_COLS	22

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
inspect_draw_json(const struct presence *p, int y)
{
	struct buf	json, pretty;

	buf_init(&json);
	buf_init(&pretty);
	screen_str(y++, 2, COLS - 3, "As the API returns it", SCREEN_HEADING);
	if (codec_presence_to_json(p, &json) == 0 &&
	    inspect_indent(json.data, &pretty) == 0)
		inspect_wrap(y, LINES - 3, pretty.data);
	buf_release(&json);
	buf_release(&pretty);
}

/* Draw every property of the inspected presence. */
static void
inspect_draw(struct ui *ui)
{
	struct presence	p;
	char		created[PRESENCE_TIME_LEN + 1];
	char		modified[PRESENCE_TIME_LEN + 1];
	char		sequence[PRESENCE_SEQUENCE_LEN + 1];
	char		text[256] = "";
	int		y = 2, rc;

	ui_draw_title(ui, "presence", ui->inspect_id);
	rc = store_get(ui->st, ui->inspect_id, &p);
	if (rc == 0) {
		presence_format_time(p.created, created);
		presence_format_time(p.modified, modified);
		presence_format_sequence(p.sequence, sequence);
		y = inspect_field(y, "id", p.id);
		y = inspect_field(y, "availability", p.availability);
		y = inspect_field(y, "activity", p.activity);
		y = inspect_field(y, "sequenceNumber", sequence);
		y = inspect_field(y, "createdDateTime", created);
		y = inspect_field(y, "lastModifiedDateTime", modified);
		inspect_draw_json(&p, y + 1);
	} else if (rc == STORE_ENOTFOUND)
		status_format(STATUS_GONE, ui->inspect_id, text, sizeof text);
	else
		status_format(STATUS_STORE, store_strerror(rc), text,
		    sizeof text);
	if (text[0] == '\0' && ui->model.status != STATUS_NONE)
		status_format(ui->model.status, ui->model.status_arg, text,
		    sizeof text);
	ui_draw_status(ui, text, rc != 0 || status_is_error(ui->model.status));
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

/* A key in the inspect view. */
static void
inspect_key(struct ui *ui, int key)
{
	struct model	*m = &ui->model;

	model_set_status(m, STATUS_NONE, NULL);
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
}

const struct view view_inspect = {
	.name = "inspect",
	.keys = KEYS_INSPECT,
	.status = VIEW_STATUS_MODEL,
	.draw = inspect_draw,
	.key = inspect_key,
	.enter = inspect_enter,
};
