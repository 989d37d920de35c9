/* The key table: every binding of every view, in one place. */
#include <stdio.h>

#include "keys.h"
#include "screen.h"

#define FN	KEYS_FN
#define CTRL	KEYS_CTRL

#define KEYS_FORMS	(KEYS_FORM | KEYS_ISSUE | KEYS_PREFER | KEYS_SAY) /* forms */
#define KEYS_BACK	(KEYS_INSPECT | KEYS_HELP | KEYS_TOKENS | KEYS_SUBS)

/* In each view the first binding of an action is the one help names. */
const struct key_binding keys_table[] = {
	/* the list, inspect and help views */
	{ '?',			KEYS_BROWSE,	ACTION_HELP,	"Help" },
	{ FN(KEY_F(1)),		KEYS_BROWSE | KEYS_FORMS, ACTION_HELP, NULL },
	{ '\r',			KEYS_LIST,	ACTION_INSPECT,	"Inspect" },
	{ '\n',			KEYS_LIST,	ACTION_INSPECT,	NULL },
	{ FN(KEY_ENTER),	KEYS_LIST,	ACTION_INSPECT,	NULL },
	{ 'c',			KEYS_LIST,	ACTION_CREATE,	"Create" },
	{ FN(KEY_F(7)),		KEYS_LIST,	ACTION_CREATE,	NULL },
	{ 'd',			KEYS_LIST | KEYS_INSPECT, ACTION_DELETE, "Delete" },
	{ FN(KEY_F(8)),		KEYS_LIST | KEYS_INSPECT, ACTION_DELETE, NULL },
	{ FN(KEY_DC),		KEYS_LIST,	ACTION_DELETE,	NULL },
	{ '/',			KEYS_LIST,	ACTION_FIND,	"Find" },
	{ 'n',			KEYS_LIST,	ACTION_FIND_NEXT, "Next" },
	{ 't',			KEYS_LIST,	ACTION_TOKENS,	"Tokens" },
	{ 's',			KEYS_LIST,	ACTION_SUBSCRIPTIONS, "Subs" },

	/* the inspect view's preferred presence and sessions */
	{ 'p',			KEYS_INSPECT,	ACTION_PREFER,	"Prefer" },
	{ 'u',			KEYS_INSPECT,	ACTION_UNPREFER, "Unprefer" },
	{ '\t',			KEYS_INSPECT,	ACTION_SESSION_NEXT, "Session" },
	{ FN(KEY_BTAB),		KEYS_INSPECT,	ACTION_SESSION_PREV, NULL },
	{ 'x',			KEYS_INSPECT,	ACTION_END_SESSION, "Clear" },
	{ 'm',			KEYS_INSPECT,	ACTION_STATUS_MESSAGE, NULL },
	{ 'o',			KEYS_INSPECT,	ACTION_OUT_OF_OFFICE, NULL },

	/* the Tokens screen */
	{ 'i',			KEYS_TOKENS,	ACTION_ISSUE,	"Issue" },
	{ 'c',			KEYS_TOKENS,	ACTION_ISSUE,	NULL },
	{ FN(KEY_F(7)),		KEYS_TOKENS,	ACTION_ISSUE,	NULL },
	{ 'r',			KEYS_TOKENS,	ACTION_REVOKE,	"Revoke" },
	{ 'd',			KEYS_TOKENS,	ACTION_REVOKE,	NULL },
	{ FN(KEY_F(8)),		KEYS_TOKENS,	ACTION_REVOKE,	NULL },
	{ FN(KEY_DC),		KEYS_TOKENS,	ACTION_REVOKE,	NULL },

	/* the Subscriptions screen */
	{ 'd',			KEYS_SUBS,	ACTION_UNSUBSCRIBE, "Delete" },
	{ FN(KEY_F(8)),		KEYS_SUBS,	ACTION_UNSUBSCRIBE, NULL },
	{ FN(KEY_DC),		KEYS_SUBS,	ACTION_UNSUBSCRIBE, NULL },
	{ FN(KEY_UP),		KEYS_BROWSE,	ACTION_UP,	NULL },
	{ 'k',			KEYS_BROWSE,	ACTION_UP,	NULL },
	{ FN(KEY_DOWN),		KEYS_BROWSE,	ACTION_DOWN,	NULL },
	{ 'j',			KEYS_BROWSE,	ACTION_DOWN,	NULL },
	{ FN(KEY_PPAGE),	KEYS_BROWSE,	ACTION_PAGE_UP,	NULL },
	{ CTRL('b'),		KEYS_BROWSE,	ACTION_PAGE_UP,	NULL },
	{ FN(KEY_NPAGE),	KEYS_BROWSE,	ACTION_PAGE_DOWN, NULL },
	{ CTRL('f'),		KEYS_BROWSE,	ACTION_PAGE_DOWN, NULL },
	{ ' ',			KEYS_BROWSE,	ACTION_PAGE_DOWN, NULL },
	{ FN(KEY_HOME),		KEYS_BROWSE,	ACTION_FIRST,	NULL },
	{ 'g',			KEYS_BROWSE,	ACTION_FIRST,	NULL },
	{ FN(KEY_END),		KEYS_BROWSE,	ACTION_LAST,	NULL },
	{ 'G',			KEYS_BROWSE,	ACTION_LAST,	NULL },
	{ KEYS_ESC,		KEYS_BACK,	ACTION_BACK,	"Back" },
	{ FN(KEY_BACKSPACE),	KEYS_BACK,	ACTION_BACK,	NULL },
	{ FN(KEY_LEFT),		KEYS_BACK,	ACTION_BACK,	NULL },
	{ 'h',			KEYS_BACK,	ACTION_BACK,	NULL },
	{ CTRL('l'),		KEYS_BROWSE | KEYS_FORMS, ACTION_REDRAW, NULL },
	{ 'q',			KEYS_BROWSE,	ACTION_QUIT,	"Quit" },
	{ FN(KEY_F(10)),	KEYS_BROWSE | KEYS_FORMS, ACTION_QUIT, NULL },

	/* the create form and the find prompt */
	{ '\r',			KEYS_FORM,	ACTION_SUBMIT,	"Create" },
	{ '\r',			KEYS_PROMPT,	ACTION_SUBMIT,	"Find" },
	{ '\n',			KEYS_FORM | KEYS_PROMPT, ACTION_SUBMIT, NULL },
	{ FN(KEY_ENTER),	KEYS_FORM | KEYS_PROMPT, ACTION_SUBMIT, NULL },
	{ '\r',			KEYS_ISSUE,	ACTION_ISSUE_SUBMIT, "Issue" },
	{ '\n',			KEYS_ISSUE,	ACTION_ISSUE_SUBMIT, NULL },
	{ FN(KEY_ENTER),	KEYS_ISSUE,	ACTION_ISSUE_SUBMIT, NULL },
	{ '\r',			KEYS_PREFER,	ACTION_PREFER_SUBMIT, "Set" },
	{ '\n',			KEYS_PREFER,	ACTION_PREFER_SUBMIT, NULL },
	{ FN(KEY_ENTER),	KEYS_PREFER,	ACTION_PREFER_SUBMIT, NULL },
	{ '\r',			KEYS_SAY,	ACTION_SAY_SUBMIT, "Save" },
	{ '\n',			KEYS_SAY,	ACTION_SAY_SUBMIT, NULL },
	{ FN(KEY_ENTER),	KEYS_SAY,	ACTION_SAY_SUBMIT, NULL },
	{ '\t',			KEYS_FORMS,	ACTION_NEXT_FIELD, "Next field" },
	{ FN(KEY_DOWN),		KEYS_FORMS,	ACTION_NEXT_FIELD, NULL },
	{ FN(KEY_BTAB),		KEYS_FORMS,	ACTION_PREV_FIELD, NULL },
	{ FN(KEY_UP),		KEYS_FORMS,	ACTION_PREV_FIELD, NULL },
	{ CTRL('n'),		KEYS_FORM,	ACTION_CHOOSE_NEXT, "Graph value" },
	{ CTRL('n'),		KEYS_ISSUE | KEYS_PREFER, ACTION_CHOOSE_NEXT,
				"Choose" },
	{ FN(KEY_NPAGE),	KEYS_FORMS,	ACTION_CHOOSE_NEXT, NULL },
	{ CTRL('p'),		KEYS_FORMS,	ACTION_CHOOSE_PREV, NULL },
	{ FN(KEY_PPAGE),	KEYS_FORMS,	ACTION_CHOOSE_PREV, NULL },
	{ KEYS_ESC,		KEYS_EDIT,	ACTION_CANCEL,	"Cancel" },
	{ FN(KEY_LEFT),		KEYS_EDIT,	ACTION_LEFT,	NULL },
	{ FN(KEY_RIGHT),	KEYS_EDIT,	ACTION_RIGHT,	NULL },
	{ FN(KEY_HOME),		KEYS_EDIT,	ACTION_HOME,	NULL },
	{ CTRL('a'),		KEYS_EDIT,	ACTION_HOME,	NULL },
	{ FN(KEY_END),		KEYS_EDIT,	ACTION_END,	NULL },
	{ CTRL('e'),		KEYS_EDIT,	ACTION_END,	NULL },
	{ FN(KEY_BACKSPACE),	KEYS_EDIT,	ACTION_BACKSPACE, NULL },
	{ 0x7f,			KEYS_EDIT,	ACTION_BACKSPACE, NULL },
	{ CTRL('h'),		KEYS_EDIT,	ACTION_BACKSPACE, NULL },
	{ FN(KEY_DC),		KEYS_EDIT,	ACTION_DELETE_CHAR, NULL },
	{ CTRL('d'),		KEYS_EDIT,	ACTION_DELETE_CHAR, NULL },
	{ CTRL('u'),		KEYS_EDIT,	ACTION_KILL,	NULL },

	/* the dialog that shows a new token's secret */
	{ '\r',			KEYS_SECRET,	ACTION_CLOSE,	"Close" },
	{ '\n',			KEYS_SECRET,	ACTION_CLOSE,	NULL },
	{ FN(KEY_ENTER),	KEYS_SECRET,	ACTION_CLOSE,	NULL },
	{ KEYS_ESC,		KEYS_SECRET,	ACTION_CLOSE,	NULL },
	{ 0,			0,		ACTION_NONE,	NULL }
};

static const char *const keys_helps[ACTION_COUNT] = {
#define KEYS_HELP_ENTRY(action, help) [action] = help,
	KEYS_ACTIONS(KEYS_HELP_ENTRY)
#undef KEYS_HELP_ENTRY
};

/* The action key has in the views of mask view. */
enum action
keys_lookup(unsigned view, int key)
{
	const struct key_binding	*b;

	for (b = keys_table; b->key != 0; b++)
		if (b->key == key && (b->views & view))
			return b->action;
	return ACTION_NONE;
}

/* What an action does, for the help view. */
const char *
keys_help(enum action action)
{
	return action < ACTION_COUNT ? keys_helps[action] : "";
}

/* The name of a function key, or NULL. */
static const char *
keys_function_name(int code)
{
	switch (code) {
	case KEY_UP:		return "Up";
	case KEY_DOWN:		return "Down";
	case KEY_LEFT:		return "Left";
	case KEY_RIGHT:		return "Right";
	case KEY_PPAGE:		return "PgUp";
	case KEY_NPAGE:		return "PgDn";
	case KEY_HOME:		return "Home";
	case KEY_END:		return "End";
	case KEY_ENTER:		return "Enter";
	case KEY_BACKSPACE:	return "Backspace";
	case KEY_DC:		return "Delete";
	case KEY_BTAB:		return "Shift-Tab";
	default:		return NULL;
	}
}

/* A key's name as shown to the user. */
const char *
keys_name(int key, char *out, unsigned size)
{
	const char	*name = NULL;
	int		 code = key & ~KEYS_FUNCTION;

	if (key & KEYS_FUNCTION) {
		if (code >= KEY_F(1) && code <= KEY_F(12))
			snprintf(out, size, "F%d", code - KEY_F0);
		else if ((name = keys_function_name(code)) != NULL)
			snprintf(out, size, "%s", name);
		else
			snprintf(out, size, "key %d", code);
		return out;
	}
	switch (key) {
	case '\r':	name = "Enter"; break;
	case '\n':	name = "^J"; break;
	case '\t':	name = "Tab"; break;
	case ' ':	name = "Space"; break;
	case KEYS_ESC:	name = "Esc"; break;
	case 0x7f:	name = "^?"; break;
	}
	if (name != NULL)
		snprintf(out, size, "%s", name);
	else if (key < 0x20)
		snprintf(out, size, "^%c", key + '@');
	else if (key < 0x7f)
		snprintf(out, size, "%c", key);
	else
		snprintf(out, size, "U+%04X", (unsigned)key);
	return out;
}

/* Whether an action writes to the database. */
int
keys_writes(enum action action)
{
	switch (action) {
	case ACTION_CREATE:
	case ACTION_DELETE:
	case ACTION_TOKENS:
	case ACTION_ISSUE:
	case ACTION_REVOKE:
	case ACTION_ISSUE_SUBMIT:
	case ACTION_PREFER:
	case ACTION_UNPREFER:
	case ACTION_END_SESSION:
	case ACTION_PREFER_SUBMIT:
	case ACTION_STATUS_MESSAGE:
	case ACTION_OUT_OF_OFFICE:
	case ACTION_SAY_SUBMIT:
	case ACTION_UNSUBSCRIBE:
		return 1;
	default:
		return 0;
	}
}
