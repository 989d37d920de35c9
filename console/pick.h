/*
 * The preferred presence form's model: one of Graph's six preferred pairs
 * and an optional expiry, for one presence.  It checks with the storage
 * code the responder uses (the pair table, the ISO 8601 duration parser)
 * and sets through store_preferred_set, as setUserPreferredPresence does.
 * Curses-free.
 */
#ifndef PRESENCE_CONSOLE_PICK_H
#define PRESENCE_CONSOLE_PICK_H

#include "line.h"
#include "presence.h"
#include "store.h"

#define PICK_PAIR_LEN	(2 * PRESENCE_VALUE_MAX + 2)

enum pick_field {
	PICK_PRESENCE,		/* "Busy/Busy" */
	PICK_EXPIRES,		/* an ISO 8601 duration, or "" */
	PICK_FIELDS
};

struct pick {
	char		 id[GUID_LEN + 1];	/* the presence */
	struct line	 field[PICK_FIELDS];
	char		 error[PICK_FIELDS][256]; /* "" when fine */
	char		 message[256];		/* about the whole form */
	enum pick_field	 focus;
	char		 pairs[PREFERRED_NPAIRS][PICK_PAIR_LEN];
	const char	*choices[PREFERRED_NPAIRS + 1]; /* into pairs */
};

/*
 * Start the form for the presence with canonical id, its presence field
 * holding current ("Busy/Busy", or NULL: empty), focus on it.
 */
void pick_init(struct pick *k, const char *id, const char *current);

/* The field's label ("presence", "expires in"). */
const char *pick_label(enum pick_field f);

/* The values offered for field f, NULL-terminated. */
const char *const *pick_choices(const struct pick *k, enum pick_field f);

/* Move the focus to the next or the previous field, wrapping. */
void pick_focus_next(struct pick *k);
void pick_focus_prev(struct pick *k);

/* The line being edited: the focused field's. */
struct line *pick_line(struct pick *k);

/*
 * Step through the focused field's offered values as draft_choose does:
 * the next (1) or previous (-1) after the one typed, or the first that
 * starts with what was typed (any case).
 */
void pick_choose(struct pick *k, int step);

/* The index of field f's text in its choices, or -1. */
int pick_choice(const struct pick *k, enum pick_field f);

/* Clear the errors of field f (called when it is edited). */
void pick_touch(struct pick *k, enum pick_field f);

/*
 * Check both fields: the presence must be one of the preferred pairs,
 * the expiry empty (the pair's default) or an ISO 8601 duration
 * (codec_duration_parse).  Fills the errors, moves the focus to the first
 * bad field and returns how many are bad; *req gets the request.
 */
int pick_check(struct pick *k, struct preferred_set *req);

/*
 * Check, then set the preferred presence through store_preferred_set.
 * Returns 0, STORE_EINVAL with the errors filled, or another STORE_E*
 * code with k->message set (STORE_ENOTFOUND: the presence is gone).
 */
int pick_submit(struct pick *k, struct store *st);

#endif
