/* The issue form's model: fields, quick choices, parsing, issuing. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "grant.h"

/* The farthest expiry taken: a hundred years, which any clock can show. */
#define GRANT_EXPIRES_MAX	(36500LL * 24 * 60 * 60 * 1000)

static const char *const grant_labels[GRANT_FIELDS] = {
	"name", "scopes", "user", "expires"
};

static const char *const grant_scopes[] = {
	"Presence.Read", "Presence.ReadWrite", "Presence.Read.All",
	"Presence.ReadWrite.All", NULL
};

static const char *const grant_expiries[] = {
	"1d", "7d", "30d", "90d", "365d", NULL
};

/* Start an empty form. */
void
grant_init(struct grant *g)
{
	int	f;

	memset(g, 0, sizeof *g);
	for (f = 0; f < GRANT_FIELDS; f++)
		line_init(&g->field[f], LINE_CAP);
	line_init(&g->field[GRANT_NAME], TOKEN_NAME_MAX);
	line_init(&g->field[GRANT_USER], GUID_LEN);
	g->focus = GRANT_NAME;
}

/* The field's label. */
const char *
grant_label(enum grant_field f)
{
	return f < GRANT_FIELDS ? grant_labels[f] : "";
}

/* The values offered for field f, or NULL. */
const char *const *
grant_choices(enum grant_field f)
{
	switch (f) {
	case GRANT_SCOPES:	return grant_scopes;
	case GRANT_EXPIRES:	return grant_expiries;
	default:		return NULL;
	}
}

/* Move the focus to the next field, wrapping. */
void
grant_focus_next(struct grant *g)
{
	g->focus = (enum grant_field)((g->focus + 1) % GRANT_FIELDS);
}

/* Move the focus to the previous field, wrapping. */
void
grant_focus_prev(struct grant *g)
{
	g->focus = (enum grant_field)((g->focus + GRANT_FIELDS - 1) %
	    GRANT_FIELDS);
}

/* The focused field's line. */
struct line *
grant_line(struct grant *g)
{
	return &g->field[g->focus];
}

/*
 * Where the item that quick choice replaces starts in text: after the
 * last comma and the blanks behind it for scopes, at 0 otherwise.
 */
static size_t
grant_item_start(enum grant_field f, const char *text)
{
	const char	*comma;
	size_t		 at = 0;

	if (f == GRANT_SCOPES && (comma = strrchr(text, ',')) != NULL)
		at = (size_t)(comma - text) + 1;
	while (text[at] == ' ')
		at++;
	return at;
}

/* The index of the value in values that item is (exactly), or -1. */
static int
grant_index(const char *const *values, const char *item, size_t len)
{
	int	i;

	for (i = 0; values[i] != NULL; i++)
		if (strlen(values[i]) == len &&
		    memcmp(values[i], item, len) == 0)
			return i;
	return -1;
}

/* The first value that starts with the len bytes of item, any case. */
static int
grant_complete(const char *const *values, const char *item, size_t len)
{
	int	i;

	for (i = 0; values[i] != NULL; i++)
		if (strncasecmp(values[i], item, len) == 0)
			return i;
	return -1;
}

/* Step through the values offered for the focused field. */
int
grant_choose(struct grant *g, int step)
{
	const char *const	*values = grant_choices(g->focus);
	struct line		*l = grant_line(g);
	char			 text[LINE_CAP + 1];
	size_t			 start, len;
	int			 count, at;

	if (values == NULL)
		return -1;
	for (count = 0; values[count] != NULL; count++)
		continue;
	start = grant_item_start(g->focus, l->text);
	len = l->len - start;
	while (len > 0 && l->text[start + len - 1] == ' ')
		len--;
	if ((at = grant_index(values, l->text + start, len)) >= 0)
		at = (at + count + (step < 0 ? -1 : 1)) % count;
	else if ((at = grant_complete(values, l->text + start, len)) < 0)
		at = step < 0 ? count - 1 : 0;
	if (snprintf(text, sizeof text, "%.*s%s", (int)start, l->text,
	    values[at]) >= (int)l->max + 1)
		return -1;
	line_set(l, text);
	grant_touch(g, g->focus);
	return 0;
}

/* Whether value i of field f's choices is in its text now. */
int
grant_chosen(const struct grant *g, enum grant_field f, int i)
{
	const char *const	*values = grant_choices(f);
	const char		*item, *end;
	size_t			 len;

	if (values == NULL || i < 0)
		return 0;
	for (item = g->field[f].text; ; item = end + 1) {
		item += strspn(item, " ");
		end = f == GRANT_SCOPES ? item + strcspn(item, ",") :
		    item + strlen(item);
		len = (size_t)(end - item);
		while (len > 0 && item[len - 1] == ' ')
			len--;
		if (grant_index(values, item, len) == i)
			return 1;
		if (*end == '\0')
			return 0;
	}
}

/* Clear the errors of field f. */
void
grant_touch(struct grant *g, enum grant_field f)
{
	g->error[f][0] = '\0';
	g->message[0] = '\0';
}

/* The name: its length here, its characters by token_validate. */
static int
grant_parse_name(const char *text, struct token *t, char why[GRANT_ERROR_MAX])
{
	struct fault		fault;
	struct token		probe;
	size_t			len = strlen(text);

	memset(&fault, 0, sizeof fault);
	memset(&probe, 0, sizeof probe);
	if (len > TOKEN_NAME_MAX) {
		snprintf(why, GRANT_ERROR_MAX, "a token name has 1 to %d "
		    "characters", TOKEN_NAME_MAX);
		return STORE_EINVAL;
	}
	/* A token that is fine but for its name shows what is wrong with it. */
	memcpy(probe.name, text, len + 1);
	probe.scopes = TOKEN_SCOPE_READ_ALL;
	if (token_validate(&probe, &fault) != 0) {
		snprintf(why, GRANT_ERROR_MAX, "%s", fault.message);
		return STORE_EINVAL;
	}
	memcpy(t->name, text, len + 1);
	return 0;
}

/* The scopes: a comma-separated list of Graph's names. */
static int
grant_parse_scopes(const char *text, struct token *t,
    char why[GRANT_ERROR_MAX])
{
	struct fault		fault;

	memset(&fault, 0, sizeof fault);
	if (text[strspn(text, " ")] == '\0') {
		snprintf(why, GRANT_ERROR_MAX, "a token needs a scope");
		return STORE_EINVAL;
	}
	if (token_scopes_parse(text, &t->scopes, &fault) != 0) {
		snprintf(why, GRANT_ERROR_MAX, "%s", fault.message);
		return STORE_EINVAL;
	}
	return 0;
}

/* The user: empty, or a presence id in any case. */
static int
grant_parse_user(const char *text, struct token *t, char why[GRANT_ERROR_MAX])
{
	t->user[0] = '\0';
	if (text[0] == '\0')
		return 0;
	if (guid_parse(text, strlen(text), t->user) != 0) {
		t->user[0] = '\0';
		snprintf(why, GRANT_ERROR_MAX, "'%.*s' is not a presence id "
		    "(a GUID like 8b6a5d2e-0c4f-4a59-9f1e-2d3c4b5a6978)",
		    GUID_LEN + 4, text);
		return STORE_EINVAL;
	}
	return 0;
}

/* The expiry: empty for never, or a duration from now. */
static int
grant_parse_expires(const char *text, int64_t now, struct token *t,
    char why[GRANT_ERROR_MAX])
{
	int64_t	ms;

	t->expires = 0;
	if (text[0] == '\0')
		return 0;
	if (token_duration_parse(text, &ms) != 0) {
		snprintf(why, GRANT_ERROR_MAX, "'%.32s' is not a duration "
		    "(90d, 12h, 30m, 3600s or 3600)", text);
		return STORE_EINVAL;
	}
	if (ms > GRANT_EXPIRES_MAX) {
		snprintf(why, GRANT_ERROR_MAX, "'%.32s' is too long (36500d "
		    "at most)", text);
		return STORE_EINVAL;
	}
	t->expires = now + ms;
	return 0;
}

/* Parse the text of field f into *t. */
int
grant_parse_field(enum grant_field f, const char *text, int64_t now,
    struct token *t, char why[GRANT_ERROR_MAX])
{
	why[0] = '\0';
	if (text == NULL)
		text = "";
	switch (f) {
	case GRANT_NAME:	return grant_parse_name(text, t, why);
	case GRANT_SCOPES:	return grant_parse_scopes(text, t, why);
	case GRANT_USER:	return grant_parse_user(text, t, why);
	case GRANT_EXPIRES:	return grant_parse_expires(text, now, t, why);
	default:		return STORE_EINVAL;
	}
}

/* The field a fault from token_validate or the store is about. */
static enum grant_field
grant_field_of(const struct fault *fault)
{
	if (fault->property == NULL)
		return GRANT_FIELDS;
	if (strcmp(fault->property, "name") == 0)
		return GRANT_NAME;
	if (strcmp(fault->property, "scope") == 0)
		return GRANT_SCOPES;
	if (strcmp(fault->property, "user") == 0)
		return GRANT_USER;
	if (strcmp(fault->property, "expires") == 0)
		return GRANT_EXPIRES;
	return GRANT_FIELDS;
}

/* Check the parsed token as a whole (a user for Presence.Read...). */
static int
grant_validate(struct token *t, int64_t now, enum grant_field *bad,
    char why[GRANT_ERROR_MAX])
{
	struct fault		fault;

	memset(&fault, 0, sizeof fault);
	t->created = now;
	if (token_validate(t, &fault) == 0)
		return 0;
	*bad = grant_field_of(&fault);
	snprintf(why, GRANT_ERROR_MAX, "%s", fault.message);
	return STORE_EINVAL;
}

/* Parse every field's text into *t and check it. */
int
grant_parse(const char *const text[GRANT_FIELDS], int64_t now,
    struct token *t, enum grant_field *bad, char why[GRANT_ERROR_MAX])
{
	int	f;

	memset(t, 0, sizeof *t);
	for (f = 0; f < GRANT_FIELDS; f++) {
		*bad = (enum grant_field)f;
		if (grant_parse_field((enum grant_field)f, text[f], now, t,
		    why) != 0)
			return STORE_EINVAL;
	}
	*bad = GRANT_FIELDS;
	return grant_validate(t, now, bad, why);
}

/* Put a message beside field f, or above the form when f is none. */
static void
grant_place(struct grant *g, enum grant_field f, const char *why)
{
	if (f < GRANT_FIELDS)
		snprintf(g->error[f], sizeof g->error[f], "%s", why);
	else
		snprintf(g->message, sizeof g->message, "%s", why);
}

/* Check every field, filling the errors. */
int
grant_check(struct grant *g, int64_t now, struct token *t)
{
	struct token		tmp;
	enum grant_field	bad = GRANT_FIELDS;
	char			why[GRANT_ERROR_MAX];
	int			f, count = 0;

	memset(&tmp, 0, sizeof tmp);
	g->message[0] = '\0';
	for (f = 0; f < GRANT_FIELDS; f++) {
		g->error[f][0] = '\0';
		if (grant_parse_field((enum grant_field)f, g->field[f].text,
		    now, &tmp, why) != 0) {
			grant_place(g, (enum grant_field)f, why);
			count++;
		}
	}
	if (count == 0 && grant_validate(&tmp, now, &bad, why) != 0) {
		grant_place(g, bad, why);
		count++;
	}
	for (f = 0; count > 0 && f < GRANT_FIELDS; f++)
		if (g->error[f][0] != '\0') {
			g->focus = (enum grant_field)f;
			break;
		}
	if (t != NULL)
		*t = tmp;
	return count;
}

/* Check, then issue the token. */
int
grant_submit(struct grant *g, struct store *st, int64_t now)
{
	struct fault		fault;
	struct token		t;
	int			rc;

	grant_forget(g);
	if (grant_check(g, now, &t) != 0)
		return STORE_EINVAL;
	memset(&fault, 0, sizeof fault);
	rc = store_token_issue(st, &t, g->secret, &fault);
	if (rc == 0) {
		g->issued = t;
		return 0;
	}
	g->secret[0] = '\0';
	if (rc == STORE_EEXIST) {
		snprintf(g->error[GRANT_NAME], sizeof g->error[GRANT_NAME],
		    "a token named '%s' exists", t.name);
		g->focus = GRANT_NAME;
	} else if (rc == STORE_EINVAL) {
		grant_place(g, grant_field_of(&fault), fault.message);
		if (grant_field_of(&fault) < GRANT_FIELDS)
			g->focus = grant_field_of(&fault);
	} else
		snprintf(g->message, sizeof g->message,
		    "cannot issue token: %s", store_strerror(rc));
	return rc;
}

/* Wipe the secret from memory. */
void
grant_forget(struct grant *g)
{
	explicit_bzero(g->secret, sizeof g->secret);
	memset(&g->issued, 0, sizeof g->issued);
}
