/*
 * The token subcommands, for scripts and provisioning: `token issue`
 * (the secret alone on standard output), `token list` and `token revoke`.
 * Each returns the exit status: 0, 1 when the store refused or failed,
 * 2 for a usage error.  Curses-free.
 */
#ifndef PRESENCE_CONSOLE_TOKCMD_H
#define PRESENCE_CONSOLE_TOKCMD_H

#include <stdint.h>
#include <stdio.h>

#include "grant.h"
#include "store.h"

/*
 * Parse issue's NAME and its --scope, --user and --expires texts (NULL:
 * not given) into *t, checked as the store will check it, before any
 * database is opened.  Returns 0, or 2 after saying why on err.
 */
int tokcmd_prepare(const char *const text[GRANT_FIELDS], int64_t now,
    struct token *t, FILE *err);

/*
 * Issue *t: its secret and a newline on out, nothing else; what was
 * issued on err.  Should out fail, the token is revoked again, since no
 * one could use it.  The secret is wiped from memory.
 */
int tokcmd_issue(struct store *st, struct token *t, FILE *out, FILE *err);

/*
 * List every token, never a secret: a table of name, scopes, user,
 * created and expiry (or "expired ..." when past now), or with json one
 * JSON object a line.  "no tokens" goes to err when there are none.
 */
int tokcmd_list(struct store *st, int json, int64_t now, FILE *out,
    FILE *err);

/* Revoke the token named name; 1 with "no such token" when none is. */
int tokcmd_revoke(struct store *st, const char *name, FILE *out, FILE *err);

#endif
