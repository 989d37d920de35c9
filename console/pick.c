/* The preferred presence form's model: a pair, an expiry, the store call. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "codec.h"
#include "pick.h"

static const char *const pick_labels[PICK_FIELDS] = {
	"presence", "expires in"
};

/* A few expiries offered; any ISO 8601 duration may be typed. */
static const char *const pick_expiries[] = {
	"PT1H", "PT8H", "P1D", "P7D", "P30D", NULL
};

/* Start the form for the presence id. */
void
pick_init(struct pick *k, const char *id, const char *current)
{
	int	i;

	memset(k, 0, sizeof *k);
	snprintf(k->id, sizeof k->id, "%s", id);
	for (i = 0; i < PREFERRED_NPAIRS; i++) {
		snprintf(k->pairs[i], sizeof k->pairs[i], "%s/%s",
		    preferred_pairs[i].availability,
		    preferred_pairs[i].activity);
		k->choices[i] = k->pairs[i];
	}
	k->choices[PREFERRED_NPAIRS] = NULL;
	line_init(&k->field[PICK_PRESENCE], PICK_PAIR_LEN - 1);
	line_init(&k->field[PICK_EXPIRES], 32);
	if (current != NULL)
		line_set(&k->field[PICK_PRESENCE], current);
	k->focus = PICK_PRESENCE;
}

/* The field's label. */
const char *
pick_label(enum pick_field f)
{
	return f < PICK_FIELDS ? pick_labels[f] : "";
}

/* The values offered for field f. */
const char *const *
pick_choices(const struct pick *k, enum pick_field f)
{
	return f == PICK_PRESENCE ? k->choices : pick_expiries;
}

/* Move the focus to the next field, wrapping. */
void
pick_focus_next(struct pick *k)
{
	k->focus = (enum pick_field)((k->focus + 1) % PICK_FIELDS);
}

/* Move the focus to the previous field, wrapping. */
void
pick_focus_prev(struct pick *k)
{
	k->focus = (enum pick_field)((k->focus + PICK_FIELDS - 1) %
	    PICK_FIELDS);
}

/* The focused field's line. */
struct line *
pick_line(struct pick *k)
{
	return &k->field[k->focus];
}

/* The index of field f's text in its choices, or -1. */
int
pick_choice(const struct pick *k, enum pick_field f)
{
	const char *const	*values = pick_choices(k, f);
	int			 i;

	for (i = 0; values[i] != NULL; i++)
		if (strcmp(values[i], k->field[f].text) == 0)
			return i;
	return -1;
}

/* Step through the focused field's offered values. */
void
pick_choose(struct pick *k, int step)
{
	const char *const	*values = pick_choices(k, k->focus);
	const struct line	*l = &k->field[k->focus];
	int			 count, at;

	for (count = 0; values[count] != NULL; count++)
		continue;
	at = pick_choice(k, k->focus);
	if (at >= 0)
		at = (at + count + (step < 0 ? -1 : 1)) % count;
	else {
		for (at = 0; l->len > 0 && at < count; at++)
			if (strncasecmp(values[at], l->text, l->len) == 0)
				break;
		if (l->len == 0 || at == count)
			at = step < 0 ? count - 1 : 0;
	}
	line_set(&k->field[k->focus], values[at]);
	pick_touch(k, k->focus);
}

/* Clear the errors of field f. */
void
pick_touch(struct pick *k, enum pick_field f)
{
	k->error[f][0] = '\0';
	k->message[0] = '\0';
}

/* Check the presence field into req->pair. */
static int
pick_check_pair(struct pick *k, struct preferred_set *req)
{
	int	at = pick_choice(k, PICK_PRESENCE);

	if (at < 0) {
		snprintf(k->error[PICK_PRESENCE], sizeof k->error[PICK_PRESENCE],
		    "'presence' must be one of Graph's preferred pairs (^N)");
		return 1;
	}
	req->pair = at;
	return 0;
}

/* Check the expiry field into req->duration (0: the pair's default). */
static int
pick_check_expiry(struct pick *k, struct preferred_set *req)
{
	const struct line	*l = &k->field[PICK_EXPIRES];

	req->duration = 0;
	if (l->len == 0)
		return 0;
	if (codec_duration_parse(l->text, l->len, &req->duration) != 0 ||
	    req->duration <= 0) {
		snprintf(k->error[PICK_EXPIRES], sizeof k->error[PICK_EXPIRES],
		    "'expires in' must be an ISO 8601 duration like PT8H or P1D");
		return 1;
	}
	return 0;
}

/* Check both fields. */
int
pick_check(struct pick *k, struct preferred_set *req)
{
	int	bad = 0, f;

	memset(req, 0, sizeof *req);
	for (f = 0; f < PICK_FIELDS; f++)
		k->error[f][0] = '\0';
	k->message[0] = '\0';
	bad += pick_check_pair(k, req);
	bad += pick_check_expiry(k, req);
	for (f = 0; bad > 0 && f < PICK_FIELDS; f++)
		if (k->error[f][0] != '\0') {
			k->focus = (enum pick_field)f;
			break;
		}
	return bad;
}

/* Check, then set the preferred presence through store_preferred_set. */
int
pick_submit(struct pick *k, struct store *st)
{
	struct preferred_set	req;
	struct fault		fault;
	enum pick_field		f;
	int			rc;

	if (pick_check(k, &req) != 0)
		return STORE_EINVAL;
	memset(&fault, 0, sizeof fault);
	rc = store_preferred_set(st, k->id, &req, &fault);
	if (rc == STORE_EINVAL) {
		f = fault.property != NULL &&
		    strcmp(fault.property, "expirationDuration") == 0 ?
		    PICK_EXPIRES : PICK_PRESENCE;
		snprintf(k->error[f], sizeof k->error[f], "%s", fault.message);
		k->focus = f;
	} else if (rc == STORE_ENOTFOUND)
		snprintf(k->message, sizeof k->message,
		    "presence %s no longer exists", k->id);
	else if (rc != 0)
		snprintf(k->message, sizeof k->message,
		    "cannot set the preferred presence: %s",
		    store_strerror(rc));
	return rc;
}
