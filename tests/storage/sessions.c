/*
 * The store's sessions, preferred presence and reads of many, on a real
 * environment in a temporary directory.
 */
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "error.h"
#include "store.h"
#include "tap.h"
#include "tmpdir.h"

#define S	PRESENCE_SEQ_STEP
#define MIN	SESSION_MINUTE_MS

/* Open dir with the defaults. */
static struct store *
open_dir(const char *dir)
{
	struct store_config	 cfg;
	struct store		*st;
	int			 rc;

	store_config_init(&cfg);
	cfg.path = dir;
	cfg.map_size = 1 << 20;
	if ((rc = store_open(&st, &cfg)) != 0)
		tap_bail("cannot open store '%s': %s", dir, store_strerror(rc));
	return st;
}

/* Create the presence id with a base state. */
static void
create(struct store *st, const char *id)
{
	struct presence	p;

	memset(&p, 0, sizeof p);
	snprintf(p.id, sizeof p.id, "%s", id);
	strcpy(p.availability, "Availability value");
	strcpy(p.activity, "Activity value");
	if (store_create(st, &p, NULL) != 0)
		tap_bail("cannot create '%s'", id);
}

/* A setPresence request. */
static struct session_set
req(const char *session_id, enum session_pair pair, int64_t duration)
{
	struct session_set	r;

	memset(&r, 0, sizeof r);
	snprintf(r.session_id, sizeof r.session_id, "%s", session_id);
	r.pair = pair;
	r.duration = duration;
	return r;
}

#define ID1	"11111111-1111-4111-8111-111111111111"
#define ID2	"22222222-2222-4222-8222-222222222222"
#define ID3	"33333333-3333-4333-8333-333333333333"
#define NOID	"44444444-4444-4444-8444-444444444444"

static void
test_sessions(struct store *st)
{
	struct fault		f;
	struct presence_view	v;
	struct session_set	r;
	struct presence		p, q;
	int64_t			before;
	char			sid[8];
	int			i;

	create(st, ID1);
	is_int(store_get_view(st, ID1, &p, &v), 0, "a new presence reads");
	is_str(v.availability, "Availability value", "showing its base state");
	ok(v.sequence == p.sequence && p.sequence == S, "and its stored number");

	before = presence_now();
	r = req("app", SESSION_IN_A_CALL, 0);
	is_int(store_session_set(st, ID1, &r, &f), 0, "setPresence");
	is_int(store_get_view(st, ID1, &p, &v), 0, "reads back");
	ok(p.nsessions == 1 && strcmp(p.sessions[0].id, "app") == 0 &&
	    p.sessions[0].pair == SESSION_IN_A_CALL && p.sessions_seen,
	    "one session, as set");
	ok(p.sessions[0].refreshed >= before &&
	    p.sessions[0].expires == p.sessions[0].refreshed + 5 * MIN,
	    "refreshed now, expiring after the default 5 minutes");
	is_str(v.activity, "InACall", "the view shows it");
	is_int(p.sequence, 2 * S, "the write took the next step");
	ok(p.modified == p.sessions[0].refreshed, "and stamped modified");

	r = req("app", SESSION_AVAILABLE, 60 * MIN);
	is_int(store_session_set(st, ID1, &r, &f), 0, "setPresence again");
	is_int(store_get(st, ID1, &q), 0, "reads back");
	ok(q.nsessions == 1 && q.sessions[0].pair == SESSION_AVAILABLE &&
	    q.sessions[0].expires == q.sessions[0].refreshed + 60 * MIN,
	    "refreshes the same session with its new pair and duration");
	is_int(q.sequence, 3 * S, "another step");

	r = req("app", SESSION_AVAILABLE, 4 * MIN);
	is_int(store_session_set(st, ID1, &r, &f), STORE_EINVAL,
	    "under PT5M is refused");
	is_str(f.property, "expirationDuration", "naming the parameter");
	r = req("app", SESSION_AVAILABLE, 241 * MIN);
	is_int(store_session_set(st, ID1, &r, &f), STORE_EINVAL,
	    "over PT4H is refused");
	r = req("", SESSION_AVAILABLE, 0);
	is_int(store_session_set(st, ID1, &r, &f), STORE_EINVAL,
	    "an empty sessionId is refused");
	is_str(f.property, "sessionId", "naming it");
	r = req("app", SESSION_AVAILABLE, 0);
	is_int(store_session_set(st, NOID, &r, &f), STORE_ENOTFOUND,
	    "an unknown presence is not found");

	for (i = 1; i < PRESENCE_SESSIONS_MAX; i++) {
		snprintf(sid, sizeof sid, "s%d", i);
		r = req(sid, SESSION_AWAY, 0);
		if (store_session_set(st, ID1, &r, &f) != 0)
			break;
	}
	is_int(i, PRESENCE_SESSIONS_MAX, "sixteen sessions in all");
	r = req("one-more", SESSION_AWAY, 0);
	is_int(store_session_set(st, ID1, &r, &f), STORE_EINVAL,
	    "a seventeenth is refused");
	is_str(f.property, "sessionId", "naming sessionId");
	ok(strstr(f.message, "at most 16") != NULL, "and the limit: %s",
	    f.message);
	r = req("s3", SESSION_PRESENTING, 0);
	is_int(store_session_set(st, ID1, &r, &f), 0,
	    "a known one still refreshes");

	is_int(store_session_clear(st, ID1, "nope"), STORE_ENOSESSION,
	    "clearing an unknown session says so");
	is_int(store_session_clear(st, NOID, "app"), STORE_ENOTFOUND,
	    "apart from an unknown presence");
	is_int(store_session_clear(st, ID1, "s3"), 0, "clearPresence");
	is_int(store_get(st, ID1, &q), 0, "reads back");
	ok(q.nsessions == PRESENCE_SESSIONS_MAX - 1, "one session fewer");
	for (i = 0; i < (int)q.nsessions; i++)
		if (strcmp(q.sessions[i].id, "s3") == 0)
			break;
	is_int(i, (int)q.nsessions, "the cleared one is gone");
	is_int(store_session_clear(st, ID1, "s3"), STORE_ENOSESSION,
	    "and cannot be cleared twice");
	for (i = 0; i < (int)q.nsessions; i++)
		store_session_clear(st, ID1, q.sessions[i].id);
	is_int(store_get_view(st, ID1, &p, &v), 0, "all cleared");
	is_str(v.availability, "Offline", "the presence reads Offline");
	ok(p.nsessions == 0 && p.sessions_seen, "with no session left");
}

static void
test_preferred(struct store *st)
{
	struct fault		f;
	struct preferred_set	pr = { PREFERRED_DO_NOT_DISTURB, 0 };
	struct presence_view	v;
	struct session_set	r = req("app", SESSION_AVAILABLE, 0);
	struct presence		p;
	uint64_t		seq;

	create(st, ID2);
	is_int(store_preferred_set(st, ID2, &pr, &f), 0,
	    "setUserPreferredPresence");
	is_int(store_get_view(st, ID2, &p, &v), 0, "reads back");
	ok(p.preferred.set && p.preferred.pair == PREFERRED_DO_NOT_DISTURB &&
	    p.preferred.expires == p.modified + PREFERRED_DURATION_SHORT,
	    "DoNotDisturb, expiring after a day by default");
	is_str(v.availability, "Availability value",
	    "without a session the base state shows");
	is_int(store_session_set(st, ID2, &r, &f), 0, "a session starts");
	is_int(store_get_view(st, ID2, &p, &v), 0, "reads back");
	is_str(v.availability, "DoNotDisturb", "the preferred presence shows");
	pr = (struct preferred_set){ PREFERRED_AWAY, 0 };
	is_int(store_preferred_set(st, ID2, &pr, &f), 0, "Away preferred");
	is_int(store_get(st, ID2, &p), 0, "reads back");
	ok(p.preferred.expires == p.modified + PREFERRED_DURATION_LONG,
	    "expiring after 7 days by default");
	pr = (struct preferred_set){ PREFERRED_BUSY, 2 * 365 * SESSION_DAY_MS };
	is_int(store_preferred_set(st, ID2, &pr, &f), STORE_EINVAL,
	    "over a year is refused");
	is_str(f.property, "expirationDuration", "naming the parameter");
	pr.duration = 0;
	is_int(store_preferred_set(st, NOID, &pr, &f), STORE_ENOTFOUND,
	    "an unknown presence is not found");

	is_int(store_preferred_clear(st, ID2), 0, "clearUserPreferredPresence");
	is_int(store_get_view(st, ID2, &p, &v), 0, "reads back");
	ok(!p.preferred.set, "none is set");
	is_str(v.availability, "Available", "the session shows again");
	seq = p.sequence;
	is_int(store_preferred_clear(st, ID2), 0, "clearing again");
	is_int(store_get(st, ID2, &p), 0, "reads back");
	ok(p.sequence == seq, "writes nothing: the number stays");
	is_int(store_preferred_clear(st, NOID), STORE_ENOTFOUND,
	    "an unknown presence is not found");
}

static void
test_get_many(struct store *st)
{
	static struct presence	out[8];
	struct presence_view	views[8];
	const char		*ids[8] = { ID3, NOID, ID1, "not-a-guid", ID3,
	    "22222222-2222-4222-8222-22222222222Z", ID2, ID1 };
	size_t			n;

	create(st, ID3);
	is_int(store_get_many(st, ids, 8, out, views, &n), 0, "get many");
	is_int(n, 3, "three known ids, each once");
	ok(n == 3 && strcmp(out[0].id, ID3) == 0 && strcmp(out[1].id, ID1) ==
	    0 && strcmp(out[2].id, ID2) == 0, "in request order");
	is_str(views[1].availability, "Offline", "each with its view");
	is_str(views[2].availability, "Available", "computed at the instant");
	is_int(store_get_many(st, ids, 2, out, NULL, &n), 0,
	    "without views");
	is_int(n, 1, "the unknown one left out");
	is_int(store_get_many(st, ids, 0, out, NULL, &n), 0, "no ids");
	is_int(n, 0, "none read");
}

/* Append every presence of st as export lines, one a line, to out. */
static void
export_all(struct store *st, struct buf *out)
{
	static struct presence	rows[64];
	size_t			n, i;
	int			more;

	buf_reset(out);
	if (store_page(st, "", 0, rows, 64, &n, &more) != 0 || more)
		tap_bail("cannot read the presences");
	for (i = 0; i < n; i++)
		if (codec_presence_to_export(&rows[i], out) != 0 ||
		    buf_add(out, "\n", 1) != 0)
			tap_bail("cannot write an export line");
}

/* The lines of an export, read back as an import reads them. */
struct lines {
	const char	*text;
	size_t		 at, len;
};

/* store_import's source: the next line, through the import parser. */
static int
lines_next(void *arg, struct presence *p)
{
	struct lines		*l = arg;
	struct fault		 f;
	const char		*nl;
	size_t			 n;

	if (l->at >= l->len)
		return 0;
	nl = memchr(l->text + l->at, '\n', l->len - l->at);
	n = (size_t)(nl - (l->text + l->at));
	if (codec_presence_from_import(l->text + l->at, n, p, &f) != 0)
		tap_bail("an export line does not read back: %s", f.message);
	l->at += n + 1;
	return 1;
}

/* store_import's rewind: only a whole load runs again. */
static int
lines_rewind(void *arg, size_t done)
{
	struct lines	*l = arg;

	if (done != 0)
		return STORE_EINVAL;
	l->at = 0;
	return 0;
}

/* Import the lines of text into st in one transaction. */
static int
import_lines(struct store *st, const char *text, size_t len, int skip_same,
    struct store_import *imp)
{
	static struct lines	l;

	l = (struct lines){ text, 0, len };
	memset(imp, 0, sizeof *imp);
	imp->next = lines_next;
	imp->rewind = lines_rewind;
	imp->arg = &l;
	imp->skip_same = skip_same;
	return store_import(st, imp);
}

/* Import one line into st with skip_same: the property refused, or NULL. */
static const char *
resume_line(struct store *st, const char *line, struct store_import *imp)
{
	static char	text[CODEC_EXPORT_JSON_MAX + 2];
	size_t		len = strlen(line);
	int		rc;

	if (len + 1 >= sizeof text)
		tap_bail("a line too long");
	memcpy(text, line, len);
	text[len] = '\n';
	rc = import_lines(st, text, len + 1, 1, imp);
	if (rc == 0)
		return NULL;
	return rc == STORE_EEXIST ? imp->fault.property : "(other)";
}

/* Replace the first from in line (of size bytes) by to. */
static void
replace(char *line, size_t size, const char *from, const char *to)
{
	char	*at = strstr(line, from), rest[CODEC_EXPORT_JSON_MAX];

	if (at == NULL)
		tap_bail("no '%s' in the line", from);
	snprintf(rest, sizeof rest, "%s", at + strlen(from));
	snprintf(at, size - (size_t)(at - line), "%s%s", to, rest);
}

/* The export line of the presence id in an export, into line. */
static void
line_of(const struct buf *b, const char *id, char *line, size_t size)
{
	const char	*at = strstr(b->data, id), *start, *end;

	if (at == NULL)
		tap_bail("no line for '%s'", id);
	for (start = at; start > b->data && start[-1] != '\n'; start--)
		;
	end = strchr(at, '\n');
	snprintf(line, size, "%.*s", (int)(end - start), start);
}

/* Give id a status message with a Windows zone and both locations. */
static void
notes(struct store *st, const char *id)
{
	static const char	body[] = "{\"statusMessage\":{\"message\":"
	    "{\"content\":\"gone \\\"fishing\\\"\\n\\u00e9\"},\"expiryDateTime\":"
	    "{\"dateTime\":\"2029-12-31T16:00:00.0000000\",\"timeZone\":"
	    "\"Pacific Standard Time\"}}}";
	struct note_status	status;
	struct note_ooo		ooo;
	struct note_location	l;
	struct fault		f;

	if (note_status_from_json(body, sizeof body - 1, &status, &f) != 0 ||
	    store_status_set(st, id, &status, &f) != 0)
		tap_bail("cannot set a status message: %s", f.message);
	memset(&ooo, 0, sizeof ooo);
	ooo.on = 1;
	strcpy(ooo.message, "on leave");
	memset(&l, 0, sizeof l);
	l.type = NOTE_WORK_TIME_OFF;
	if (store_ooo_set(st, id, &ooo, &f) != 0 ||
	    store_location_set(st, id, STORE_LOCATION_MANUAL, &l, &f) != 0)
		tap_bail("cannot set out of office or a location: %s", f.message);
	l.type = NOTE_WORK_OFFICE;
	strcpy(l.place, "b4/12");
	if (store_location_set(st, id, STORE_LOCATION_AUTOMATIC, &l, &f) != 0)
		tap_bail("cannot set a location: %s", f.message);
}

/*
 * The line of id with "from" replaced by "to", read and checked as an
 * import reads and checks it: the property refused.
 */
static const char *
bad_line(const struct buf *b, const char *id, const char *from,
    const char *to)
{
	static char		line[CODEC_EXPORT_JSON_MAX + 2];
	static struct fault	f;
	struct presence		p;

	line_of(b, id, line, sizeof line);
	replace(line, sizeof line, from, to);
	memset(&f, 0, sizeof f);
	if (codec_presence_from_import(line, strlen(line), &p, &f) == 0 &&
	    store_import_check(&p, PRESENCE_MODE_ANY, 0, &f) == 0)
		return "(accepted)";
	return f.property != NULL ? f.property : "(none)";
}

/* An import refuses bad notes, naming the member. */
static void
test_bad_notes(const struct buf *one)
{
	is_str(bad_line(one, ID1, "Pacific Standard Time", "Nowhere Time"),
	    "statusMessage.expiryDateTime.timeZone", "an unknown zone");
	is_str(bad_line(one, ID1, "2029-12-31T16:00:00.0000000",
	    "2029-12-31T16:00:00Z"), "statusMessage.expiryDateTime.dateTime",
	    "an offset");
	is_str(bad_line(one, ID1, "\"contentType\":\"text\"",
	    "\"contentType\":\"html\""), "statusMessage.message.contentType",
	    "an html content");
	is_str(bad_line(one, ID1, "\"publishedDateTime\":\"",
	    "\"publishedDateTime\":\"x"), "statusMessage.publishedDateTime",
	    "a bad publishedDateTime");
	is_str(bad_line(one, ID1, "\"isOutOfOffice\":true",
	    "\"isOutOfOffice\":\"yes\""), "outOfOfficeSettings.isOutOfOffice",
	    "isOutOfOffice not a boolean");
	is_str(bad_line(one, ID1, "\"timeOff\"", "\"home\""),
	    "manualLocation.workLocationType", "an unknown workLocationType");
	is_str(bad_line(one, ID1, "\"b4/12\"", "\"b4\\u0001\""),
	    "automaticLocation.placeId", "a control character in a placeId");
	is_str(bad_line(one, ID1, "\"automaticLocation\":{",
	    "\"automaticLocation\":{\"source\":\"manual\","),
	    "automaticLocation.source", "a member that is no property");
}

/*
 * Sessions, the preferred presence and "a session has existed" go out in
 * an export and come back in an import: the export of the import is the
 * same bytes; a resumed import skips them when the same and refuses them
 * when different, naming what differs.
 */
static void
test_export_import(const char *dir)
{
	static char		 line[CODEC_EXPORT_JSON_MAX + 2];
	char			 a[PATH_MAX + 8], b[PATH_MAX + 8], sid[16];
	struct preferred_set	 pr = { PREFERRED_BE_RIGHT_BACK, 0 };
	struct fault		 f;
	struct store_import	 imp;
	struct session_set	 r;
	struct note_ooo		 ooo;
	struct store		*src, *dst;
	struct buf		 one, two;
	struct presence		 p;
	int			 i;

	snprintf(a, sizeof a, "%s/a", dir);
	snprintf(b, sizeof b, "%s/b", dir);
	buf_init(&one);
	buf_init(&two);
	src = open_dir(a);
	create(src, ID1);
	create(src, ID2);
	create(src, ID3);
	create(src, NOID);
	/* ID1: sixteen sessions, a quote in one id, and a preferred presence. */
	for (i = 0; i < PRESENCE_SESSIONS_MAX; i++) {
		snprintf(sid, sizeof sid, i == 3 ? "say \"%d\"" : "s%d", i);
		r = req(sid, (enum session_pair)(i % SESSION_NPAIRS),
		    (5 + i) * MIN);
		if (store_session_set(src, ID1, &r, &f) != 0)
			tap_bail("cannot set session %d: %s", i, f.message);
	}
	store_preferred_set(src, ID1, &pr, &f);
	/* ID2: a session that ended; ID3: a preferred presence alone. */
	r = req("gone", SESSION_AVAILABLE, 0);
	store_session_set(src, ID2, &r, &f);
	store_session_clear(src, ID2, "gone");
	store_preferred_set(src, ID3, &pr, &f);
	/* ID1 also says all the rest; ID3 only that it is out of office. */
	notes(src, ID1);
	memset(&ooo, 0, sizeof ooo);
	ooo.on = 1;
	if (store_ooo_set(src, ID3, &ooo, &f) != 0)
		tap_bail("cannot set out of office: %s", f.message);
	export_all(src, &one);
	store_close(src);
	ok(strstr(one.data, "\"statusMessage\":{\"message\":{\"content\":"
	    "\"gone \\\"fishing\\\"\\n\xc3\xa9\"") != NULL &&
	    strstr(one.data, "\"timeZone\":\"Pacific Standard Time\"}") != NULL &&
	    strstr(one.data, "\"outOfOfficeSettings\":{\"isOutOfOffice\":true,"
	    "\"message\":\"on leave\"}") != NULL &&
	    strstr(one.data, "\"outOfOfficeSettings\":{\"isOutOfOffice\":true,"
	    "\"message\":null}") != NULL &&
	    strstr(one.data, "\"manualLocation\":{\"workLocationType\":"
	    "\"timeOff\",\"placeId\":null}") != NULL &&
	    strstr(one.data, "\"automaticLocation\":{\"workLocationType\":"
	    "\"office\",\"placeId\":\"b4/12\"}") != NULL,
	    "the export carries the status message, out of office and locations");
	ok(strstr(one.data, "\"sessionId\":\"say \\\"3\\\"\"") != NULL &&
	    strstr(one.data, "\"sessionsSeen\":true") != NULL &&
	    strstr(one.data, "\"preferredPresence\":{") != NULL,
	    "the export carries sessions, the flag and the preferred presence");

	dst = open_dir(b);
	is_int(import_lines(dst, one.data, one.len, 0, &imp), 0,
	    "it imports into an empty database");
	ok(imp.done == 4 && !imp.renumbered, "every presence, numbers kept");
	is_int(store_get(dst, ID1, &p), 0, "a presence reads back");
	ok(p.nsessions == PRESENCE_SESSIONS_MAX && p.sessions_seen &&
	    p.preferred.set && p.preferred.pair == PREFERRED_BE_RIGHT_BACK,
	    "with its sessions and preferred presence");
	ok(p.status.set && strcmp(p.status.expiry_zone,
	    "Pacific Standard Time") == 0 && p.status.expires == 1893456000000LL &&
	    p.ooo.on && strcmp(p.ooo.message, "on leave") == 0 &&
	    p.manual.set && p.manual.type == NOTE_WORK_TIME_OFF &&
	    p.automatic.set && strcmp(p.automatic.place, "b4/12") == 0,
	    "and its status message, out of office and locations");
	is_int(store_get(dst, ID2, &p), 0, "the ended one reads back");
	ok(p.nsessions == 0 && p.sessions_seen,
	    "knowing a session has existed");
	export_all(dst, &two);
	ok(two.len == one.len && memcmp(one.data, two.data, one.len) == 0,
	    "its export is the same bytes");

	is_int(import_lines(dst, one.data, one.len, 1, &imp), 0,
	    "a resumed import of the same lines succeeds");
	ok(imp.done == 4 && imp.skipped == 4, "skipping all four");
	line_of(&one, ID1, line, sizeof line);
	replace(line, sizeof line, "\"s5\"", "\"s55\"");
	is_str(resume_line(dst, line, &imp), "sessions",
	    "another session is refused, naming 'sessions'");
	line_of(&one, ID1, line, sizeof line);
	replace(line, sizeof line, "\"BeRightBack\",\"activity\":"
	    "\"BeRightBack\"", "\"Away\",\"activity\":\"Away\"");
	is_str(resume_line(dst, line, &imp), "preferredPresence",
	    "another preferred presence, naming it");
	line_of(&one, ID2, line, sizeof line);
	replace(line, sizeof line, ",\"sessionsSeen\":true", "");
	is_str(resume_line(dst, line, &imp), "sessionsSeen",
	    "no sessionsSeen where one is stored, naming it");
	line_of(&one, NOID, line, sizeof line);
	replace(line, sizeof line, "}", ",\"sessionsSeen\":true}");
	is_str(resume_line(dst, line, &imp), "sessionsSeen",
	    "and the other way round");
	line_of(&one, ID3, line, sizeof line);
	replace(line, sizeof line, ",\"preferredPresence\"", ",\"sessionsSeen"
	    "\":false,\"preferredPresence\"");
	ok(resume_line(dst, line, &imp) == NULL && imp.skipped == 1,
	    "an explicit false is the same as none");
	line_of(&one, ID1, line, sizeof line);
	replace(line, sizeof line, "on leave", "on holiday");
	is_str(resume_line(dst, line, &imp), "outOfOfficeSettings",
	    "another out-of-office message, naming it");
	line_of(&one, ID1, line, sizeof line);
	replace(line, sizeof line, "\"timeOff\"", "\"remote\"");
	is_str(resume_line(dst, line, &imp), "manualLocation",
	    "another manual location, naming it");
	line_of(&one, ID1, line, sizeof line);
	replace(line, sizeof line, "fishing", "hunting");
	is_str(resume_line(dst, line, &imp), "statusMessage",
	    "another status message, naming it");
	test_bad_notes(&one);
	store_close(dst);
	buf_release(&one);
	buf_release(&two);
}

int
main(void)
{
	char		 dir[PATH_MAX];
	struct store	*st;

	tmpdir_make("store-sessions", dir);
	st = open_dir(dir);
	test_sessions(st);
	test_preferred(st);
	test_get_many(st);
	store_close(st);
	test_export_import(dir);
	tmpdir_remove(dir);
	return tap_done();
}
