/*
 * The status message and out-of-office forms' model, for one presence:
 * a status message with an optional expiry in a named zone (set, or
 * cleared by an empty message), and the out-of-office settings (on or
 * off, and a message).  It checks with the storage code the responder
 * uses (zone_instant, note_check_text) and writes through
 * store_status_set and store_ooo_set.  Curses-free.
 */
#ifndef PRESENCE_CONSOLE_MEMO_H
#define PRESENCE_CONSOLE_MEMO_H

#include "line.h"
#include "presence.h"
#include "store.h"

/* Which form. */
enum memo_kind {
	MEMO_STATUS,		/* message, expires at, time zone */
	MEMO_OOF		/* out of office, message */
};

/* The fields, by what they hold; a form shows some, in memo->order. */
enum memo_field {
	MEMO_TEXT,		/* the message; "" clears or means none */
	MEMO_WHEN,		/* a local date-time ("" never), or on/off */
	MEMO_ZONE,		/* the expiry's time zone */
	MEMO_FIELDS
};

struct memo {
	enum memo_kind	 kind;
	char		 id[GUID_LEN + 1];	/* the presence */
	struct line	 field[MEMO_FIELDS];
	char		 error[MEMO_FIELDS][256]; /* "" when fine */
	char		 message[256];		/* about the whole form */
	enum memo_field	 order[MEMO_FIELDS];	/* the fields shown, in order */
	int		 nfields;
	int		 focus;			/* an index into order */
};

/*
 * Start the form of kind for p (its id, and its current values in the
 * fields: the status message and its expiry as sent, "UTC" when it has
 * none; or "on"/"off" and the out-of-office message), focus on the first.
 */
void memo_init(struct memo *m, enum memo_kind kind, const struct presence *p);

/* The label and the hint of the field shown at index i. */
const char *memo_label(const struct memo *m, int i);
const char *memo_hint(const struct memo *m, int i);

/* Move the focus to the next or the previous field, wrapping. */
void memo_focus_next(struct memo *m);
void memo_focus_prev(struct memo *m);

/* The line being edited: the focused field's. */
struct line *memo_line(struct memo *m);

/* Clear the error of the focused field (called when it is edited). */
void memo_touch(struct memo *m);

/*
 * Check the fields and write: a status message (with its expiry read by
 * zone_instant in the zone, "UTC" when empty) or its clearing, or the
 * out-of-office settings ("on" or "off", any case).  Returns 0,
 * STORE_EINVAL with the errors filled and the focus on the first bad
 * field, or another STORE_E* code with m->message set (STORE_ENOTFOUND:
 * the presence is gone).
 */
int memo_submit(struct memo *m, struct store *st);

#endif
