/*
 * The create form's model: a draft presence being typed in.  It holds the
 * fields, which one has the focus, the Graph values offered for quick
 * choice and the errors shown beside each field.  It validates with the
 * storage code the responder uses and creates through store_create.
 * Curses-free.
 */
#ifndef PRESENCE_CONSOLE_DRAFT_H
#define PRESENCE_CONSOLE_DRAFT_H

#include "line.h"
#include "presence.h"
#include "store.h"

enum draft_field {
	DRAFT_AVAILABILITY,
	DRAFT_ACTIVITY,
	DRAFT_ID,
	DRAFT_FIELDS
};

struct draft {
	struct line		field[DRAFT_FIELDS];
	char			error[DRAFT_FIELDS][256]; /* "" when fine */
	char			message[256];	/* about the whole form */
	enum draft_field	focus;
	enum presence_mode	mode;		/* the database's value mode */
};

/* Start an empty draft for a database in mode, focus on availability. */
void draft_init(struct draft *d, enum presence_mode mode);

/* The field's label ("availability", "activity", "id"). */
const char *draft_label(enum draft_field f);

/* Graph's values offered for field f (NULL-terminated), or NULL for id. */
const char *const *draft_choices(enum draft_field f);

/* Move the focus to the next or the previous field, wrapping. */
void draft_focus_next(struct draft *d);
void draft_focus_prev(struct draft *d);

/* The line being edited: the focused field's. */
struct line *draft_line(struct draft *d);

/*
 * Step through the Graph values for the focused field: to the next (step
 * 1) or previous (-1) value after the one typed, or, when the text is not
 * a Graph value, to the first value that starts with it (any case).
 * Returns 0, or -1 when the field offers no values.
 */
int draft_choose(struct draft *d, int step);

/* The index of the focused field's text in its choices, or -1. */
int draft_choice(const struct draft *d, enum draft_field f);

/* Clear the errors of field f (called when it is edited). */
void draft_touch(struct draft *d, enum draft_field f);

/*
 * Check every field as storage would: availability and activity with
 * presence_check_value in the database's mode, the id (optional) with
 * guid_parse.  Fills the errors, moves the focus to the first bad field
 * and returns how many fields are bad.  *p (when not NULL) receives the
 * presence to create.
 */
int draft_check(struct draft *d, struct presence *p);

/*
 * Check, then create the presence through store_create.  Returns 0 with
 * *p the stored presence (its id, stamps), STORE_EINVAL or STORE_EEXIST
 * with the errors filled, or another STORE_E* code with d->message set.
 */
int draft_submit(struct draft *d, struct store *st, struct presence *p);

#endif
