/*
 * The issue form's model: a token being drafted (name, scopes, user,
 * expiry), the values offered for quick choice, the errors shown beside
 * each field, and the secret of the token just issued until the operator
 * has seen it.  The token subcommands parse their options with the same
 * functions, so the form and the command line accept the same text.
 * Curses-free.
 */
#ifndef PRESENCE_CONSOLE_GRANT_H
#define PRESENCE_CONSOLE_GRANT_H

#include <stddef.h>
#include <stdint.h>

#include "line.h"
#include "store.h"
#include "token.h"

#define GRANT_ERROR_MAX	256

enum grant_field {
	GRANT_NAME,
	GRANT_SCOPES,
	GRANT_USER,
	GRANT_EXPIRES,
	GRANT_FIELDS
};

struct grant {
	struct line		field[GRANT_FIELDS];
	char			error[GRANT_FIELDS][GRANT_ERROR_MAX];
	char			message[GRANT_ERROR_MAX]; /* about the form */
	enum grant_field	focus;
	struct token		issued;		/* the token last issued */
	char			secret[TOKEN_SECRET_LEN + 1]; /* its secret, */
						/* "" once forgotten */
};

/* Start an empty form, focus on the name. */
void grant_init(struct grant *g);

/* The field's label ("name", "scopes", "user", "expires"). */
const char *grant_label(enum grant_field f);

/*
 * The values offered for field f (NULL-terminated, static): Graph's four
 * presence scopes, or a few expiry durations; NULL for name and user.
 */
const char *const *grant_choices(enum grant_field f);

/* Move the focus to the next or the previous field, wrapping. */
void grant_focus_next(struct grant *g);
void grant_focus_prev(struct grant *g);

/* The line being edited: the focused field's. */
struct line *grant_line(struct grant *g);

/*
 * Step through the values offered for the focused field.  For scopes only
 * the last comma-separated item changes, so "Presence.Read.All," and ^N
 * add a second scope.  Like the create form: the next (step 1) or
 * previous (-1) value after the one typed, or the first that starts with
 * what was typed (any case).  Returns 0, or -1 when the field offers none.
 */
int grant_choose(struct grant *g, int step);

/* Whether value i of field f's choices is in its text now. */
int grant_chosen(const struct grant *g, enum grant_field f, int i);

/* Clear the errors of field f (called when it is edited). */
void grant_touch(struct grant *g, enum grant_field f);

/*
 * Parse the text of field f into the matching member of *t (an empty user
 * or expiry means none; the expiry is counted from now).  Returns 0 or
 * STORE_EINVAL with the reason in why.
 */
int grant_parse_field(enum grant_field f, const char *text, int64_t now,
    struct token *t, char why[GRANT_ERROR_MAX]);

/*
 * Parse every field's text (NULL counts as empty) into *t, stamped as
 * created now, and check it with token_validate.  Returns 0, or
 * STORE_EINVAL with *bad the first field at fault and why the reason.
 */
int grant_parse(const char *const text[GRANT_FIELDS], int64_t now,
    struct token *t, enum grant_field *bad, char why[GRANT_ERROR_MAX]);

/*
 * Check every field as grant_parse does, filling the errors and moving
 * the focus to the first bad field.  Returns how many fields are bad;
 * *t (when not NULL) receives the token to issue.
 */
int grant_check(struct grant *g, int64_t now, struct token *t);

/*
 * Check, then issue the token through store_token_issue.  Returns 0 with
 * g->issued and g->secret set; STORE_EINVAL or STORE_EEXIST with the
 * errors filled; or another STORE_E* code with g->message set.
 */
int grant_submit(struct grant *g, struct store *st, int64_t now);

/* Wipe the secret from memory once it has been shown. */
void grant_forget(struct grant *g);

#endif
