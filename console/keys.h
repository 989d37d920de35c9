/*
 * The key table: which key does what in which view.  The help view and
 * the key bar are drawn from the same table, so they cannot disagree with
 * what the keys do.
 */
#ifndef PRESENCE_CONSOLE_KEYS_H
#define PRESENCE_CONSOLE_KEYS_H

/*
 * A key as the console sees it: a character's code point, or a curses
 * function key (KEY_UP, KEY_F(1)...) marked with KEYS_FUNCTION so the two
 * never collide.
 */
#define KEYS_FUNCTION	0x1000000
#define KEYS_FN(k)	((k) | KEYS_FUNCTION)
#define KEYS_CTRL(c)	((c) & 0x1f)
#define KEYS_ESC	0x1b

/* The views, as a mask: a binding applies in each view it names. */
#define KEYS_LIST	0x01
#define KEYS_INSPECT	0x02
#define KEYS_HELP	0x04
#define KEYS_FORM	0x08
#define KEYS_PROMPT	0x10	/* the find prompt */
#define KEYS_TOKENS	0x20	/* the Tokens screen */
#define KEYS_ISSUE	0x40	/* the issue form */
#define KEYS_SECRET	0x80	/* the dialog that shows a new secret */
#define KEYS_PREFER	0x100	/* the preferred presence form */
#define KEYS_SAY	0x200	/* the status message and out-of-office forms */
#define KEYS_SUBS	0x400	/* the Subscriptions screen */
#define KEYS_BROWSE	(KEYS_LIST | KEYS_INSPECT | KEYS_HELP | KEYS_TOKENS | \
			 KEYS_SUBS)
#define KEYS_EDIT	(KEYS_FORM | KEYS_PROMPT | KEYS_ISSUE | KEYS_PREFER | \
	KEYS_SAY)

/* X(action, what it does) */
#define KEYS_ACTIONS(X)							\
	X(ACTION_NONE,		"")					\
	X(ACTION_UP,		"move up one row")			\
	X(ACTION_DOWN,		"move down one row")			\
	X(ACTION_PAGE_UP,	"move up one screen")			\
	X(ACTION_PAGE_DOWN,	"move down one screen")			\
	X(ACTION_FIRST,		"go to the first row")			\
	X(ACTION_LAST,		"go to the last row")			\
	X(ACTION_INSPECT,	"inspect the selected presence")	\
	X(ACTION_CREATE,	"create a presence")			\
	X(ACTION_DELETE,	"delete the selected presence (asks y/N)") \
	X(ACTION_FIND,		"find an id prefix")			\
	X(ACTION_FIND_NEXT,	"find the next match")			\
	X(ACTION_HELP,		"show this help")			\
	X(ACTION_BACK,		"go back")				\
	X(ACTION_QUIT,		"quit")					\
	X(ACTION_REDRAW,	"redraw the screen")			\
	X(ACTION_SUBMIT,	"create the presence / search")		\
	X(ACTION_CANCEL,	"cancel")				\
	X(ACTION_NEXT_FIELD,	"next field")				\
	X(ACTION_PREV_FIELD,	"previous field")			\
	X(ACTION_CHOOSE_NEXT,	"next offered value (completes what is typed)") \
	X(ACTION_CHOOSE_PREV,	"previous offered value")		\
	X(ACTION_LEFT,		"cursor left")				\
	X(ACTION_RIGHT,		"cursor right")				\
	X(ACTION_HOME,		"cursor to the start")			\
	X(ACTION_END,		"cursor to the end")			\
	X(ACTION_BACKSPACE,	"delete the character before the cursor") \
	X(ACTION_DELETE_CHAR,	"delete the character under the cursor") \
	X(ACTION_KILL,		"delete to the start of the field")	\
	X(ACTION_TOKENS,	"manage the API's bearer tokens")	\
	X(ACTION_ISSUE,		"issue a token")			\
	X(ACTION_REVOKE,	"revoke the selected token (asks y/N)")	\
	X(ACTION_ISSUE_SUBMIT,	"issue the token (its secret shows once)") \
	X(ACTION_CLOSE,		"close: the secret is not shown again") \
	X(ACTION_PREFER,	"set the preferred presence")		\
	X(ACTION_UNPREFER,	"clear the preferred presence (asks y/N)") \
	X(ACTION_SESSION_NEXT,	"select the next session")		\
	X(ACTION_SESSION_PREV,	"select the previous session")		\
	X(ACTION_END_SESSION,	"clear the selected session (asks y/N)") \
	X(ACTION_PREFER_SUBMIT,	"set the preferred presence")		\
	X(ACTION_STATUS_MESSAGE, "set or clear the status message")	\
	X(ACTION_OUT_OF_OFFICE,	"set the out-of-office settings")	\
	X(ACTION_SAY_SUBMIT,	"save the form")				\
	X(ACTION_SUBSCRIPTIONS,	"show the change-notification subscriptions") \
	X(ACTION_UNSUBSCRIBE,	"delete the selected subscription (asks y/N)")

enum action {
#define KEYS_ACTION_ENUM(action, help) action,
	KEYS_ACTIONS(KEYS_ACTION_ENUM)
#undef KEYS_ACTION_ENUM
	ACTION_COUNT
};

struct key_binding {
	int		key;
	unsigned	views;		/* KEYS_* mask */
	enum action	action;
	const char	*bar;		/* its word in the key bar, or NULL */
};

/* The bindings, ended by one whose key is 0. */
extern const struct key_binding keys_table[];

/* The action key has in the views of mask view, or ACTION_NONE. */
enum action keys_lookup(unsigned view, int key);

/* What an action does, for the help view. */
const char *keys_help(enum action action);

/* A key's name as shown to the user ("Up", "PgDn", "F7", "^N", "q"). */
const char *keys_name(int key, char *out, unsigned size);

/* Whether an action writes to the database (hidden when read-only). */
int keys_writes(enum action action);

#endif
