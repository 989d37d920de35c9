/* The create form's model: fields, quick choices, validation, create. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "draft.h"

static const char *const draft_labels[DRAFT_FIELDS] = {
	"availability", "activity", "id"
};

/* Start an empty draft for a database in mode. */
void
draft_init(struct draft *d, enum presence_mode mode)
{
	memset(d, 0, sizeof *d);
	line_init(&d->field[DRAFT_AVAILABILITY], PRESENCE_VALUE_MAX);
	line_init(&d->field[DRAFT_ACTIVITY], PRESENCE_VALUE_MAX);
	line_init(&d->field[DRAFT_ID], GUID_LEN);
	d->focus = DRAFT_AVAILABILITY;
	d->mode = mode;
}

/* The field's label. */
const char *
draft_label(enum draft_field f)
{
	return f < DRAFT_FIELDS ? draft_labels[f] : "";
}

/* Graph's values offered for field f, or NULL. */
const char *const *
draft_choices(enum draft_field f)
{
	switch (f) {
	case DRAFT_AVAILABILITY:	return presence_availabilities;
	case DRAFT_ACTIVITY:		return presence_activities;
	default:			return NULL;
	}
}

/* Move the focus to the next field, wrapping. */
void
draft_focus_next(struct draft *d)
{
	d->focus = (enum draft_field)((d->focus + 1) % DRAFT_FIELDS);
}

/* Move the focus to the previous field, wrapping. */
void
draft_focus_prev(struct draft *d)
{
	d->focus = (enum draft_field)((d->focus + DRAFT_FIELDS - 1) %
	    DRAFT_FIELDS);
}

/* The focused field's line. */
struct line *
draft_line(struct draft *d)
{
	return &d->field[d->focus];
}

/* The index of field f's text in its choices, or -1. */
int
draft_choice(const struct draft *d, enum draft_field f)
{
	const char *const	*values = draft_choices(f);
	int			 i;

	for (i = 0; values != NULL && values[i] != NULL; i++)
		if (strcmp(values[i], d->field[f].text) == 0)
			return i;
	return -1;
}

/* The first choice that starts with text (any case), or -1. */
static int
draft_complete(const char *const *values, const char *text)
{
	size_t	len = strlen(text);
	int	i;

	for (i = 0; values[i] != NULL; i++)
		if (strncasecmp(values[i], text, len) == 0)
			return i;
	return -1;
}

/* Step through the Graph values for the focused field. */
int
draft_choose(struct draft *d, int step)
{
	const char *const	*values = draft_choices(d->focus);
	int			 count, at;

	if (values == NULL)
		return -1;
	for (count = 0; values[count] != NULL; count++)
		continue;
	at = draft_choice(d, d->focus);
	if (at >= 0)
		at = (at + count + (step < 0 ? -1 : 1)) % count;
	else if ((at = draft_complete(values, d->field[d->focus].text)) < 0)
		at = step < 0 ? count - 1 : 0;
	line_set(&d->field[d->focus], values[at]);
	draft_touch(d, d->focus);
	return 0;
}

/* Clear the errors of field f. */
void
draft_touch(struct draft *d, enum draft_field f)
{
	d->error[f][0] = '\0';
	d->message[0] = '\0';
}

/* Check one value field into p's matching member. */
static int
draft_check_value(struct draft *d, enum draft_field f, char *out)
{
	struct fault		 fault;
	const struct line	*l = &d->field[f];

	memset(&fault, 0, sizeof fault);
	if (presence_check_value(draft_labels[f], l->text, l->len, d->mode,
	    &fault) != 0) {
		snprintf(d->error[f], sizeof d->error[f], "%s", fault.message);
		return 1;
	}
	memcpy(out, l->text, l->len + 1);
	return 0;
}

/* Check the optional id into out ("" when none was typed). */
static int
draft_check_id(struct draft *d, char out[GUID_LEN + 1])
{
	const struct line	*l = &d->field[DRAFT_ID];

	out[0] = '\0';
	if (l->len == 0)
		return 0;
	if (guid_parse(l->text, l->len, out) != 0) {
		snprintf(d->error[DRAFT_ID], sizeof d->error[DRAFT_ID],
		    "'id' must be a GUID like 8b6a5d2e-0c4f-4a59-9f1e-2d3c4b5a6978");
		return 1;
	}
	return 0;
}

/* Check every field as storage would. */
int
draft_check(struct draft *d, struct presence *p)
{
	struct presence	tmp;
	int		bad = 0, f;

	memset(&tmp, 0, sizeof tmp);
	for (f = 0; f < DRAFT_FIELDS; f++)
		d->error[f][0] = '\0';
	d->message[0] = '\0';
	bad += draft_check_value(d, DRAFT_AVAILABILITY, tmp.availability);
	bad += draft_check_value(d, DRAFT_ACTIVITY, tmp.activity);
	bad += draft_check_id(d, tmp.id);
	for (f = 0; bad > 0 && f < DRAFT_FIELDS; f++)
		if (d->error[f][0] != '\0') {
			d->focus = (enum draft_field)f;
			break;
		}
	if (p != NULL)
		*p = tmp;
	return bad;
}

/* Put a fault from the store beside the field it names. */
static void
draft_place_fault(struct draft *d, const struct fault *fault)
{
	int	f;

	for (f = 0; f < DRAFT_FIELDS; f++)
		if (fault->property != NULL &&
		    strcmp(fault->property, draft_labels[f]) == 0) {
			snprintf(d->error[f], sizeof d->error[f], "%s",
			    fault->message);
			d->focus = (enum draft_field)f;
			return;
		}
	snprintf(d->message, sizeof d->message, "%s", fault->message);
}

/* Check, then create the presence through store_create. */
int
draft_submit(struct draft *d, struct store *st, struct presence *p)
{
	struct fault		fault;
	int			rc;

	d->mode = store_value_mode(st);
	if (draft_check(d, p) != 0)
		return STORE_EINVAL;
	memset(&fault, 0, sizeof fault);
	rc = store_create(st, p, &fault);
	if (rc == STORE_EINVAL)
		draft_place_fault(d, &fault);
	else if (rc == STORE_EEXIST) {
		snprintf(d->error[DRAFT_ID], sizeof d->error[DRAFT_ID],
		    "a presence with id '%s' already exists", p->id);
		d->focus = DRAFT_ID;
	} else if (rc != 0)
		snprintf(d->message, sizeof d->message,
		    "cannot create presence: %s", store_strerror(rc));
	return rc;
}
