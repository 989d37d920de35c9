/*
 * What the status line says.  The codes and their messages come from one
 * table, so every message the console can show is listed here.  Curses-free.
 */
#ifndef PRESENCE_CONSOLE_STATUS_H
#define PRESENCE_CONSOLE_STATUS_H

#include <stddef.h>

/* X(code, is an error, message with at most one %s) */
#define STATUS_CODES(X)							\
	X(STATUS_NONE,		0, "")					\
	X(STATUS_CREATED,	0, "created presence %s")		\
	X(STATUS_DELETED,	0, "deleted presence %s")		\
	X(STATUS_KEPT,		0, "kept presence %s")			\
	X(STATUS_CONFIRM,	0, "delete presence %s? [y/N]")		\
	X(STATUS_FOUND,		0, "found %s")				\
	X(STATUS_WRAPPED,	0, "search wrapped: found %s")		\
	X(STATUS_ONLY_MATCH,	0, "%s is the only match")		\
	X(STATUS_FIRST,		0, "already at the first presence")	\
	X(STATUS_LAST,		0, "already at the last presence")	\
	X(STATUS_EMPTY,		0, "no presences")			\
	X(STATUS_NO_MATCH,	1, "no presence id starts with '%s'")	\
	X(STATUS_BAD_PREFIX,	1, "'%s' is not an id prefix (hex digits and dashes)") \
	X(STATUS_NO_FIND,	1, "nothing to find yet: press / first")	\
	X(STATUS_GONE,		1, "presence %s no longer exists")	\
	X(STATUS_READ_ONLY,	1, "the database is open read-only")	\
	X(STATUS_STORE,		1, "database error: %s")			\
	X(STATUS_ISSUED,	0, "issued token '%s'")			\
	X(STATUS_REVOKED,	0, "revoked token '%s'")		\
	X(STATUS_KEPT_TOKEN,	0, "kept token '%s'")			\
	X(STATUS_REVOKE_CONFIRM, 0, "revoke token '%s'? [y/N]")		\
	X(STATUS_NO_TOKENS,	0, "no tokens")				\
	X(STATUS_TOKEN_GONE,	1, "token '%s' no longer exists")	\
	X(STATUS_PREFERRED,	0, "set the preferred presence: %s")	\
	X(STATUS_UNPREFER_CONFIRM, 0, "clear the preferred presence %s? [y/N]") \
	X(STATUS_UNPREFERRED,	0, "cleared the preferred presence %s")	\
	X(STATUS_KEPT_PREFERRED, 0, "kept the preferred presence %s")	\
	X(STATUS_NO_PREFERRED,	1, "no preferred presence is set")	\
	X(STATUS_SESSION_CONFIRM, 0, "clear session '%s'? [y/N]")	\
	X(STATUS_SESSION_CLEARED, 0, "cleared session '%s'")		\
	X(STATUS_KEPT_SESSION,	0, "kept session '%s'")			\
	X(STATUS_SESSION_GONE,	1, "session '%s' no longer exists")	\
	X(STATUS_NO_SESSIONS,	1, "no active sessions")		\
	X(STATUS_SAID,		0, "saved: %s")				\
	X(STATUS_SUB_CONFIRM,	0, "delete subscription %s? [y/N]")	\
	X(STATUS_SUB_DELETED,	0, "deleted subscription %s")		\
	X(STATUS_KEPT_SUB,	0, "kept subscription %s")		\
	X(STATUS_SUB_GONE,	1, "subscription %s no longer exists")	\
	X(STATUS_NO_SUBS,	0, "no subscriptions")

enum status_code {
#define STATUS_ENUM(code, error, message) code,
	STATUS_CODES(STATUS_ENUM)
#undef STATUS_ENUM
};

/* Write the message for code, with arg in place of its %s, into out. */
void status_format(enum status_code code, const char *arg, char *out,
    size_t size);

/* Whether code reports an error (shown in the error color). */
int status_is_error(enum status_code code);

#endif
