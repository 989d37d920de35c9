/* The status message and out-of-office forms' model. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "memo.h"
#include "note.h"
#include "zone.h"

/*
 * The message field holds a whole stored message, so a form saved as it
 * was opened keeps every byte (tabs and newlines included: the field
 * shows them escaped and keeps them).
 */
_Static_assert(LINE_CAP >= NOTE_MESSAGE_MAX, "a line holds a message");

static const char *const memo_labels[2][MEMO_FIELDS] = {
	{ "message", "expires at", "time zone" },
	{ "message", "out of office", "" },
};

static const char *const memo_hints[2][MEMO_FIELDS] = {
	{ "empty clears the status message",
	  "local time 2026-08-28T17:00:00; empty: never",
	  "UTC, Europe/Berlin or Pacific Standard Time" },
	{ "the auto-reply text; empty: none", "on or off", "" },
};

/* Start the form of kind for p. */
void
memo_init(struct memo *m, enum memo_kind kind, const struct presence *p)
{
	memset(m, 0, sizeof *m);
	m->kind = kind;
	snprintf(m->id, sizeof m->id, "%s", p->id);
	line_init(&m->field[MEMO_TEXT], NOTE_MESSAGE_MAX);
	line_init(&m->field[MEMO_WHEN], ZONE_LOCAL_MAX);
	line_init(&m->field[MEMO_ZONE], ZONE_NAME_MAX);
	if (kind == MEMO_STATUS) {
		m->order[0] = MEMO_TEXT;
		m->order[1] = MEMO_WHEN;
		m->order[2] = MEMO_ZONE;
		m->nfields = 3;
		if (p->status.set) {
			line_set(&m->field[MEMO_TEXT], p->status.content);
			line_set(&m->field[MEMO_WHEN], p->status.expiry_time);
			line_set(&m->field[MEMO_ZONE], p->status.expiry_zone);
		}
		if (m->field[MEMO_ZONE].len == 0)
			line_set(&m->field[MEMO_ZONE], "UTC");
	} else {
		m->order[0] = MEMO_WHEN;
		m->order[1] = MEMO_TEXT;
		m->nfields = 2;
		line_set(&m->field[MEMO_WHEN], p->ooo.on ? "on" : "off");
		line_set(&m->field[MEMO_TEXT], p->ooo.message);
	}
}

/* The label of the field shown at index i. */
const char *
memo_label(const struct memo *m, int i)
{
	return i >= 0 && i < m->nfields ? memo_labels[m->kind][m->order[i]] :
	    "";
}

/* The hint of the field shown at index i. */
const char *
memo_hint(const struct memo *m, int i)
{
	return i >= 0 && i < m->nfields ? memo_hints[m->kind][m->order[i]] :
	    "";
}

/* Move the focus to the next field, wrapping. */
void
memo_focus_next(struct memo *m)
{
	m->focus = (m->focus + 1) % m->nfields;
}

/* Move the focus to the previous field, wrapping. */
void
memo_focus_prev(struct memo *m)
{
	m->focus = (m->focus + m->nfields - 1) % m->nfields;
}

/* The focused field's line. */
struct line *
memo_line(struct memo *m)
{
	return &m->field[m->order[m->focus]];
}

/* Clear the focused field's error. */
void
memo_touch(struct memo *m)
{
	m->error[m->order[m->focus]][0] = '\0';
	m->message[0] = '\0';
}

/* Put an error on field f and the focus there; STORE_EINVAL. */
static int
memo_fail(struct memo *m, enum memo_field f, const char *what)
{
	int	i;

	snprintf(m->error[f], sizeof m->error[f], "%s", what);
	for (i = 0; i < m->nfields; i++)
		if (m->order[i] == f)
			m->focus = i;
	return STORE_EINVAL;
}

/* Read the status message form into s. */
static int
memo_status(struct memo *m, struct note_status *s)
{
	const struct line	*when = &m->field[MEMO_WHEN];
	const struct line	*zone = &m->field[MEMO_ZONE];
	const char		*z = zone->len > 0 ? zone->text : "UTC";
	int			 rc;

	memset(s, 0, sizeof *s);
	if (m->field[MEMO_TEXT].len == 0)
		return 0;	/* clears */
	s->set = 1;
	memcpy(s->content, m->field[MEMO_TEXT].text,
	    m->field[MEMO_TEXT].len + 1);
	if (when->len == 0)
		return 0;
	rc = zone_instant(when->text, when->len, z, strlen(z), &s->expires);
	if (rc == ZONE_EUNKNOWN)
		return memo_fail(m, MEMO_ZONE, "not a time zone: a Windows "
		    "name, an IANA name or UTC");
	if (rc == ZONE_EOFFSET)
		return memo_fail(m, MEMO_WHEN, "no offset or Z: the zone goes "
		    "in the time zone field");
	if (rc != 0)
		return memo_fail(m, MEMO_WHEN, "not a local date-time such as "
		    "2026-08-28T17:00:00");
	memcpy(s->expiry_time, when->text, when->len + 1);
	snprintf(s->expiry_zone, sizeof s->expiry_zone, "%s", z);
	return 0;
}

/* Read the out-of-office form into o. */
static int
memo_ooo(struct memo *m, struct note_ooo *o)
{
	const char	*on = m->field[MEMO_WHEN].text;

	memset(o, 0, sizeof *o);
	if (strcasecmp(on, "on") == 0)
		o->on = 1;
	else if (strcasecmp(on, "off") != 0)
		return memo_fail(m, MEMO_WHEN, "on or off");
	memcpy(o->message, m->field[MEMO_TEXT].text,
	    m->field[MEMO_TEXT].len + 1);
	return 0;
}

/* Check the fields and write. */
int
memo_submit(struct memo *m, struct store *st)
{
	struct note_status	status;
	struct note_ooo		ooo;
	struct fault		fault;
	int			i, rc;

	for (i = 0; i < MEMO_FIELDS; i++)
		m->error[i][0] = '\0';
	m->message[0] = '\0';
	memset(&fault, 0, sizeof fault);
	if (m->kind == MEMO_STATUS) {
		if ((rc = memo_status(m, &status)) != 0)
			return rc;
		rc = store_status_set(st, m->id, &status, &fault);
	} else {
		if ((rc = memo_ooo(m, &ooo)) != 0)
			return rc;
		rc = store_ooo_set(st, m->id, &ooo, &fault);
	}
	if (rc == STORE_EINVAL)
		return memo_fail(m, MEMO_TEXT, fault.message);
	if (rc == STORE_ENOTFOUND)
		snprintf(m->message, sizeof m->message,
		    "presence %s no longer exists", m->id);
	else if (rc != 0)
		snprintf(m->message, sizeof m->message, "cannot save: %s",
		    store_strerror(rc));
	return rc;
}
