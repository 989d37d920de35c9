/* The token subcommands: issue, list and revoke. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "buf.h"
#include "codec.h"
#include "presence.h"
#include "roster.h"
#include "tokcmd.h"

#define TOKCMD_PROGRAM	"presence-console"

/* Report a problem on err, prefixed with the program's name. */
static void __attribute__((format(printf, 2, 3)))
tokcmd_warn(FILE *err, const char *fmt, ...)
{
	va_list	ap;

	fprintf(err, "%s: ", TOKCMD_PROGRAM);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
}

/* What each field is called on the command line, then the token itself. */
static const char *const tokcmd_what[GRANT_FIELDS + 1] = {
	[GRANT_NAME] = "token name",
	[GRANT_SCOPES] = "--scope",
	[GRANT_USER] = "--user",
	[GRANT_EXPIRES] = "--expires",
	[GRANT_FIELDS] = "token",
};

/* Parse issue's name and options into *t before the database is opened. */
int
tokcmd_prepare(const char *const text[GRANT_FIELDS], int64_t now,
    struct token *t, FILE *err)
{
	enum grant_field	bad;
	char			why[GRANT_ERROR_MAX];

	if (grant_parse(text, now, t, &bad, why) == 0)
		return 0;
	tokcmd_warn(err, "invalid %s: %s", tokcmd_what[bad < GRANT_FIELDS ?
	    bad : GRANT_FIELDS], why);
	fprintf(err, "try 'presence-console --help'\n");
	return 2;
}

/* Say on err what was issued. */
static void
tokcmd_describe(const struct token *t, FILE *err)
{
	char	scopes[TOKEN_SCOPES_MAX + 1], when[PRESENCE_TIME_LEN + 1];

	token_scopes_format(t->scopes, scopes);
	fprintf(err, "issued token '%s': %s", t->name, scopes);
	if (t->user[0] != '\0')
		fprintf(err, " for user %s", t->user);
	if (t->expires != 0) {
		presence_format_time(t->expires, when);
		fprintf(err, ", expires %s", when);
	} else
		fprintf(err, ", never expires");
	fprintf(err, "\nthe secret on standard output is shown only this "
	    "once: the database keeps only its hash\n");
}

/* Issue *t and print its secret. */
int
tokcmd_issue(struct store *st, struct token *t, FILE *out, FILE *err)
{
	struct fault		fault;
	char			secret[TOKEN_SECRET_LEN + 1];
	int			rc, status = 0;

	memset(&fault, 0, sizeof fault);
	if ((rc = store_token_issue(st, t, secret, &fault)) != 0) {
		if (rc == STORE_EEXIST)
			tokcmd_warn(err, "a token named '%s' exists", t->name);
		else if (rc == STORE_EINVAL)
			tokcmd_warn(err, "cannot issue token '%s': %s", t->name,
			    fault.message);
		else
			tokcmd_warn(err, "cannot issue token '%s': %s", t->name,
			    store_strerror(rc));
		return 1;
	}
	if (fprintf(out, "%s\n", secret) < 0 || fflush(out) != 0 ||
	    ferror(out)) {
		tokcmd_warn(err, "cannot write the secret: %s; token '%s' "
		    "revoked again", strerror(errno), t->name);
		store_token_revoke(st, t->name);
		status = 1;
	} else
		tokcmd_describe(t, err);
	explicit_bzero(secret, sizeof secret);
	return status;
}

/* Append a token's time, or null when it is 0 and may be. */
static int
tokcmd_json_time(struct buf *line, int64_t ms, int nullable)
{
	char	when[PRESENCE_TIME_LEN + 1];

	if (ms == 0 && nullable)
		return buf_adds(line, "null");
	presence_format_time(ms, when);
	return codec_put_string(line, when, strlen(when));
}

/* Append one token as a JSON object on a line of its own. */
static int
tokcmd_json(struct buf *line, const struct token *t, int64_t now)
{
	char	scopes[TOKEN_SCOPES_MAX + 1];
	char	*scope, *next;
	int	err = 0;

	token_scopes_format(t->scopes, scopes);
	err |= buf_adds(line, "{\"name\":");
	err |= codec_put_string(line, t->name, strlen(t->name));
	err |= buf_adds(line, ",\"scopes\":[");
	for (scope = scopes; scope != NULL; scope = next) {
		if ((next = strchr(scope, ',')) != NULL)
			*next++ = '\0';
		if (scope != scopes)
			err |= buf_adds(line, ",");
		err |= codec_put_string(line, scope, strlen(scope));
	}
	err |= buf_adds(line, "],\"user\":");
	if (t->user[0] != '\0')
		err |= codec_put_string(line, t->user, strlen(t->user));
	else
		err |= buf_adds(line, "null");
	err |= buf_adds(line, ",\"created\":");
	err |= tokcmd_json_time(line, t->created, 0);
	err |= buf_adds(line, ",\"expires\":");
	err |= tokcmd_json_time(line, t->expires, 1);
	err |= buf_adds(line, roster_expired(t, now) ? ",\"expired\":true}\n" :
	    ",\"expired\":false}\n");
	return err != 0 ? STORE_ENOMEM : 0;
}

/* Write every token of r as JSON Lines; 0 or STORE_ENOMEM. */
static int
tokcmd_json_lines(FILE *out, const struct roster *r, int64_t now)
{
	struct buf	line;
	size_t		i;
	int		rc = 0;

	buf_init(&line);
	for (i = 0; i < r->win.n && rc == 0; i++) {
		buf_reset(&line);
		if ((rc = tokcmd_json(&line, &r->rows[i], now)) == 0)
			fwrite(line.data, 1, line.len, out);
	}
	buf_release(&line);
	return rc;
}

/* The expiry column: "never", the time, or "expired" and the time. */
static void
tokcmd_expiry(const struct token *t, int64_t now, char *out, size_t size)
{
	char	when[PRESENCE_TIME_LEN + 1];

	presence_format_time(t->expires, when);
	if (t->expires == 0)
		snprintf(out, size, "never");
	else
		snprintf(out, size, "%s%s", roster_expired(t, now) ?
		    "expired " : "", when);
}

/* The tokens as a table with a heading, columns as wide as their text. */
static void
tokcmd_table(FILE *out, const struct roster *r, int64_t now)
{
	char	scopes[TOKEN_SCOPES_MAX + 1], created[PRESENCE_TIME_LEN + 1];
	char	expiry[PRESENCE_TIME_LEN + 16];
	int	name_w = 4, scopes_w = 6, user_w = 4, len;
	size_t	i;

	for (i = 0; i < r->win.n; i++) {
		token_scopes_format(r->rows[i].scopes, scopes);
		if ((len = (int)strlen(r->rows[i].name)) > name_w)
			name_w = len;
		if ((len = (int)strlen(scopes)) > scopes_w)
			scopes_w = len;
		if (r->rows[i].user[0] != '\0')
			user_w = GUID_LEN;
	}
	fprintf(out, "%-*s  %-*s  %-*s  %-*s  %s\n", name_w, "NAME", scopes_w,
	    "SCOPES", user_w, "USER", PRESENCE_TIME_LEN, "CREATED", "EXPIRES");
	for (i = 0; i < r->win.n; i++) {
		token_scopes_format(r->rows[i].scopes, scopes);
		presence_format_time(r->rows[i].created, created);
		tokcmd_expiry(&r->rows[i], now, expiry, sizeof expiry);
		fprintf(out, "%-*s  %-*s  %-*s  %s  %s\n", name_w,
		    r->rows[i].name, scopes_w, scopes, user_w,
		    r->rows[i].user[0] != '\0' ? r->rows[i].user : "-",
		    created, expiry);
	}
}

/* List every token. */
int
tokcmd_list(struct store *st, int json, int64_t now, FILE *out, FILE *err)
{
	struct roster	r;
	int		rc;

	roster_init(&r, st, 1);
	if ((rc = roster_reload(&r)) != 0) {
		tokcmd_warn(err, "cannot list tokens: %s", store_strerror(rc));
		roster_release(&r);
		return 1;
	}
	if (r.win.n == 0)
		fprintf(err, "no tokens\n");
	else if (json)
		rc = tokcmd_json_lines(out, &r, now);
	else
		tokcmd_table(out, &r, now);
	roster_release(&r);
	if (rc != 0) {
		tokcmd_warn(err, "cannot list tokens: %s", store_strerror(rc));
		return 1;
	}
	if (fflush(out) != 0 || ferror(out)) {
		tokcmd_warn(err, "cannot write to standard output: %s",
		    strerror(errno));
		return 1;
	}
	return 0;
}

/* Revoke the token named name. */
int
tokcmd_revoke(struct store *st, const char *name, FILE *out, FILE *err)
{
	int	rc = store_token_revoke(st, name);

	if (rc == STORE_ENOTFOUND) {
		tokcmd_warn(err, "no such token '%s'", name);
		return 1;
	}
	if (rc != 0) {
		tokcmd_warn(err, "cannot revoke token '%s': %s", name,
		    store_strerror(rc));
		return 1;
	}
	fprintf(out, "revoked token '%s'\n", name);
	return 0;
}
