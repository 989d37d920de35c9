/* The JSON codec: output against golden files, strict input rules. */
#include <stdio.h>
#include <string.h>

#include "bodies.h"
#include "codec.h"
#include "error.h"
#include "store.h"
#include "tap.h"

/* Read a golden file into b (without a trailing newline). */
static void
golden(const char *name, struct buf *b)
{
	char	 path[4096], chunk[4096];
	FILE	*f;
	size_t	 n;

	snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, name);
	if ((f = fopen(path, "r")) == NULL)
		tap_bail("cannot open '%s'", path);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	fclose(f);
	while (b->len > 0 && b->data[b->len - 1] == '\n')
		b->data[--b->len] = '\0';
}

/* One body that must be refused, with what the fault must say. */
struct bad_body {
	const char	*body;
	const char	*property;	/* NULL: not about one property */
	const char	*message;	/* a part of the message */
};

static const struct bad_body bad_bodies[] = {
	{ "", NULL, "unexpected end of input" },
	{ "   ", NULL, "unexpected end of input" },
	{ "{", NULL, "expected a key" },
	{ "{\"availability\":\"a\",\"activity\":\"b\"", NULL, "expected ','" },
	{ "{\"availability\":\"a\",\"activity\":\"b\"} x", NULL, "trailing" },
	{ "{\"availability\":\"a\",\"activity\":\"b\"}{}", NULL, "trailing" },
	{ "{\"availability\":\"a\",\"availability\":\"b\"}", "availability",
	    "duplicate property 'availability'" },
	{ "{\"activity\":\"a\",\"act\\u0069vity\":\"b\"}", "activity",
	    "duplicate property 'activity'" },
	{ "{\"a\":NaN}", NULL, "unexpected character" },
	{ "{\"a\":Infinity}", NULL, "unexpected character" },
	{ "{\"a\":-Infinity}", NULL, "bad number" },
	{ "{'availability':'a'}", NULL, "expected a key" },
	{ "{\"a\":\"\xff\"}", NULL, "invalid UTF-8" },
	{ "{\"a\":\"\xc0\xaf\"}", NULL, "invalid UTF-8" },
	{ "{\"a\":\"x\\u0000y\"}", NULL, "NUL" },
	{ "{\"a\":\"\\ud800\"}", NULL, "lone high surrogate" },
	{ "{\"a\":\"\\udc00\"}", NULL, "lone low surrogate" },
	{ "{\"a\":\"\\x41\"}", NULL, "bad escape" },
	{ "{\"a\":\"\t\"}", NULL, "control character" },
	{ "{\"a\":01}", NULL, "expected ','" },
	{ "{\"a\":1.}", NULL, "bad number" },
	{ "{\"a\":[1,]}", NULL, "unexpected character" },
	{ "{\"a\":1,}", NULL, "expected a key" },
	{ "{\"a\":tru}", NULL, "unexpected character" },
	{ "[]", NULL, "must be a JSON object" },
	{ "\"text\"", NULL, "must be a JSON object" },
	{ "null", NULL, "must be a JSON object" },
	{ "{}", "availability", "'availability' is required" },
	{ "{\"availability\":\"a\"}", "activity", "'activity' is required" },
	{ "{\"availability\":1,\"activity\":\"b\"}", "availability",
	    "must be a string" },
	{ "{\"availability\":\"a\",\"activity\":null}", "activity",
	    "must be a string" },
	{ "{\"availability\":\"a\",\"activity\":\"b\",\"id\":\"nope\"}", "id",
	    "'id' is not a valid GUID" },
	{ "{\"availability\":\"a\",\"activity\":\"b\",\"id\":7}", "id",
	    "must be a string" },
	{ "{\"@odata.type\":\"#microsoft.graph.user\",\"availability\":\"a\"}",
	    "@odata.type", "must be '#microsoft.graph.presence'" },
	{ "{\"availability\":\"a\",\"activity\":\"b\",\"sequenceNumber\":\"1\"}",
	    "sequenceNumber", "property 'sequenceNumber' is read-only" },
	{ "{\"createdDateTime\":\"x\"}", "createdDateTime", "read-only" },
	{ "{\"availability\":\"a\",\"activity\":\"b\",\"mood\":\"happy\"}",
	    "mood", "property 'mood' does not exist" },
};

/* Each bad body is refused with the expected fault. */
static void
test_bad_bodies(void)
{
	const struct bad_body	*b;
	struct fault		 f;
	struct presence		 p;
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof bad_bodies / sizeof bad_bodies[0]; i++) {
		b = &bad_bodies[i];
		memset(&f, 0, sizeof f);
		rc = codec_presence_from_json(b->body, strlen(b->body), &p, &f);
		if (!ok(rc == STORE_EINVAL && strstr(f.message, b->message) &&
		    (b->property == NULL ? f.property == NULL :
		    f.property && strcmp(f.property, b->property) == 0),
		    "bad body %zu is refused: %s", i, f.message))
			printf("#   body: %s\n#   rc %d, property %s\n", b->body,
			    rc, f.property ? f.property : "(none)");
	}
}

/* Depth up to the limit passes the checker, one more is refused. */
static void
test_depth(void)
{
	struct fault		f;
	char			doc[2 * CODEC_MAX_DEPTH + 8];
	int			depth;

	for (depth = CODEC_MAX_DEPTH; depth <= CODEC_MAX_DEPTH + 1; depth++) {
		memset(doc, '[', (size_t)depth);
		memset(doc + depth, ']', (size_t)depth);
		doc[2 * depth] = '\0';
		is_int(codec_json_check(doc, strlen(doc), &f),
		    depth > CODEC_MAX_DEPTH ? STORE_EINVAL : 0,
		    "nesting %d deep", depth);
	}
	ok(strstr(f.message, "nested too deeply") != NULL,
	    "the refusal says why: %s", f.message);
}

/* The founding example parses; the output matches the golden file. */
static void
test_founding(void)
{
	static const char body[] = "{\n"
	    "  \"@odata.type\": \"#microsoft.graph.presence\",\n"
	    "  \"availability\": \"Availability value\",\n"
	    "  \"activity\": \"Activity value\"\n}\n";
	struct fault		f;
	struct presence		p;
	struct buf		out, want;

	is_int(codec_presence_from_json(body, strlen(body), &p, &f), 0,
	    "the founding request parses");
	is_str(p.id, "", "without an id");
	is_str(p.availability, "Availability value", "availability");
	is_str(p.activity, "Activity value", "activity");

	strcpy(p.id, "ba441c11-1c11-ba44-111c-44ba111c44ba");
	p.created = 1795851332123LL;
	p.modified = 1795851332456LL;
	p.sequence = 1;
	buf_init(&out);
	buf_init(&want);
	is_int(codec_presence_to_json(&p, &out), 0, "the presence encodes");
	golden("founding.json", &want);
	is_str(out.data, want.data, "as golden/founding.json");
	buf_release(&out);
	buf_release(&want);
}

/* Ids in any case are lowered; escapes and non-ASCII survive a round trip. */
static void
test_values(void)
{
	static const char body[] = "{\"id\":\"BA441C11-1C11-BA44-111C-44BA111C44BA\","
	    "\"availability\":\"Caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" a/b\","
	    "\"activity\":\"\xe2\x82\xac\"}";
	struct fault		f;
	struct presence		p;
	struct buf		out, want;

	is_int(codec_presence_from_json(body, strlen(body), &p, &f), 0,
	    "a body with escapes parses");
	is_str(p.id, "ba441c11-1c11-ba44-111c-44ba111c44ba", "the id is lowered");
	is_str(p.availability, "Caf\xc3\xa9 \xf0\x9f\x98\x80 \"q\" a/b",
	    "escapes are decoded");
	buf_init(&out);
	buf_init(&want);
	codec_presence_to_json(&p, &out);
	golden("escapes.json", &want);
	is_str(out.data, want.data, "as golden/escapes.json");
	buf_release(&out);
	buf_release(&want);
}

/* An export line reads back into the same presence and the same bytes. */
static void
test_export(void)
{
	struct fault		f;
	struct presence		p, q;
	struct buf		line, again;
	char			bad[1024];

	memset(&p, 0, sizeof p);
	strcpy(p.id, "ba441c11-1c11-ba44-111c-44ba111c44ba");
	strcpy(p.availability, "Busy");
	strcpy(p.activity, "InAMeeting \"quoted\"");
	p.created = 1795851332123LL;
	p.modified = 1795851399000LL;
	p.sequence = 0xfedcba9876543210ULL;
	buf_init(&line);
	buf_init(&again);
	codec_presence_to_json(&p, &line);
	is_int(codec_presence_from_export(line.data, line.len, &q, &f), 0,
	    "an export line reads back");
	ok(memcmp(&p, &q, sizeof p) == 0, "into the same presence");
	codec_presence_to_json(&q, &again);
	is_str(again.data, line.data, "which writes the same bytes");
	is_int(codec_presence_from_json(line.data, line.len, &q, &f),
	    STORE_EINVAL, "a create request may not carry read-only values");
	is_str(f.property, "sequenceNumber", "the first one is named");

	snprintf(bad, sizeof bad, "{\"id\":\"%s\",\"availability\":\"a\","
	    "\"activity\":\"b\"}", p.id);
	is_int(codec_presence_from_export(bad, strlen(bad), &q, &f),
	    STORE_EINVAL, "an export line needs every property");
	is_str(f.property, "@odata.type", "naming the first missing one");
	buf_reset(&again);
	buf_adds(&again, line.data);
	memcpy(strstr(again.data, "2026-11-28T07:35:32.123Z"),
	    "2026-11-28T07:35:32+000", 23);
	is_int(codec_presence_from_export(again.data, again.len, &q, &f),
	    STORE_EINVAL, "a date-time in another form is refused");
	is_str(f.property, "createdDateTime", "by name");
	buf_reset(&again);
	buf_adds(&again, line.data);
	memcpy(strstr(again.data, "fedcba"), "FEDCBA", 6);
	is_int(codec_presence_from_export(again.data, again.len, &q, &f),
	    STORE_EINVAL, "an upper-case sequence number is refused");

	/* An import line: an export line, or a create request's body. */
	is_int(codec_presence_from_import(line.data, line.len, &q, &f), 0,
	    "an export line is an import line");
	ok(memcmp(&p, &q, sizeof p) == 0, "read the same way");
	is_int(codec_presence_from_import(bad, strlen(bad), &q, &f), 0,
	    "so is a create request's body");
	ok(strcmp(q.id, p.id) == 0 && strcmp(q.activity, "b") == 0 &&
	    q.sequence == 0 && q.created == 0 && q.modified == 0,
	    "with what it lacks left 0");
	snprintf(bad, sizeof bad, "{\"availability\":\"a\"}");
	is_int(codec_presence_from_import(bad, strlen(bad), &q, &f),
	    STORE_EINVAL, "an import line needs an activity");
	is_str(f.property, "activity", "naming it");
	snprintf(bad, sizeof bad, "{\"availability\":\"a\",\"activity\":"
	    "\"b\",\"etag\":\"x\"}");
	is_int(codec_presence_from_import(bad, strlen(bad), &q, &f),
	    STORE_EINVAL, "and may hold nothing a presence does not have");
	is_str(f.property, "etag", "naming it");
	buf_release(&line);
	buf_release(&again);
}

/* The one JSON string escaper: escapes, and bytes not UTF-8 replaced. */
static void
test_json_string(void)
{
	static const struct {
		const char	*in;
		size_t		 len;
		const char	*want;
	} rows[] = {
		{ "plain", 5, "\"plain\"" },
		{ "caf\xc3\xa9", 5, "\"caf\xc3\xa9\"" },
		{ "\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"" },
		{ "\t\r\n\b\f", 5, "\"\\t\\r\\n\\b\\f\"" },
		{ "a\0b", 3, "\"a\\u0000b\"" },
		{ "\xff", 1, "\"\\ufffd\"" },
		{ "\xc0\xaf", 2, "\"\\ufffd\\ufffd\"" },
		{ "\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"" },
		{ "\xe2\x82", 2, "\"\\ufffd\\ufffd\"" },
		{ "\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"" },
		{ "/", 1, "\"/\"" },
		{ "q\"b\\", 4, "\"q\\\"b\\\\\"" },
	};
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		buf_reset(&b);
		codec_put_string(&b, rows[i].in, rows[i].len);
		is_str(b.data, rows[i].want, "json string row %zu", i);
	}
	buf_release(&b);
}

/*
 * What json-c 0.16 accepts and the codec must not: one text per rule of
 * storage/strict.c (and the trailing and duplicate checks around json-c),
 * each with a part of the message.
 */
static const struct {
	const char	*text;
	size_t		 len;		/* 0: strlen */
	const char	*message;
} jsonc_lets_through[] = {
	{ "{'a':1}", 0, "expected a key" },
	{ "[NaN]", 0, "unexpected character" },
	{ "[-Infinity]", 0, "bad number" },
	{ "[-01]", 0, "expected ','" },
	{ "[1.]", 0, "bad number" },
	{ "[99999999999999999999999]", 0, "out of range" },
	{ "[-9223372036854775809]", 0, "out of range" },
	{ "[1e400]", 0, "out of range" },
	{ "[1e308]", 0, "out of range" },
	{ "[\"\t\"]", 0, "control character" },
	{ "[\"\x7f\x01\"]", 0, "control character" },
	{ "[\"a\\u0000\"]", 0, "NUL" },
	{ "[\"\\ud800\\u0041\"]", 0, "lone high surrogate" },
	{ "[\"\\udc00\\ud800\"]", 0, "lone low surrogate" },
	{ "[\"\xc0\xaf\"]", 0, "invalid UTF-8" },
	{ "[\"\xe0\x80\x80\"]", 0, "invalid UTF-8" },
	{ "[\"\xed\xa0\x80\"]", 0, "invalid UTF-8" },
	{ "[\"\xf4\x90\x80\x80\"]", 0, "invalid UTF-8" },
	{ "{\"a\":\"b\"}\0", 10, "trailing characters" },
	{ "{\"a\":1}\f", 0, "trailing characters" },
	{ "{\"x\":{\"a\":1,\"a\":2}}", 0, "duplicate property 'a'" },
	{ "[{\"a\":1},{\"b\":1,\"\\u0062\":2}]", 0,
	    "duplicate property 'b'" },
	{ "{\"\":1,\"\":2}", 0, "duplicate property ''" },
};

/* Each text json-c accepts is refused, saying why. */
static void
test_jsonc_lets_through(void)
{
	struct fault		f;
	size_t			i, len;
	int			rc;

	for (i = 0; i < sizeof jsonc_lets_through /
	    sizeof jsonc_lets_through[0]; i++) {
		len = jsonc_lets_through[i].len;
		if (len == 0)
			len = strlen(jsonc_lets_through[i].text);
		memset(&f, 0, sizeof f);
		rc = codec_json_check(jsonc_lets_through[i].text, len, &f);
		ok(rc == STORE_EINVAL &&
		    strstr(f.message, jsonc_lets_through[i].message) != NULL,
		    "json-c lets through text %zu; refused: %s", i, f.message);
	}
	is_int(codec_json_check("[9.9e307,-9223372036854775808,0.5e-400]", 39,
	    &f), 0, "numbers in range pass");
	is_int(codec_json_check("42", 2, &f), 0, "a number at the end passes");
	is_int(codec_json_check("null", 4, &f), 0, "null passes");
}

/*
 * A body of up to 1 MiB of each costly shape is accepted or refused in
 * well under a second of CPU (50 ms on an idle core; the bound is generous
 * for loaded machines, five times that under the sanitizers).  The
 * quadratic duplicate check took 1.75 s for 100,000 names.
 */
static void
test_big_bodies(void)
{
	struct fault		 f;
	struct buf		 b;
	double			 bound = 1.0, t;
	int			 shape, rc;

#if defined(__SANITIZE_ADDRESS__)
	bound *= 5;
#endif
	for (shape = 0; shape < BODIES_NSHAPES; shape++) {
		buf_init(&b);
		if (bodies_make((enum bodies_shape)shape, &b) != 0)
			tap_bail("out of memory");
		ok(b.len <= BODIES_SIZE, "%s: %zu bytes", bodies_names[shape],
		    b.len);
		t = bodies_time(&b, &rc, &f);
		is_int(rc, bodies_accepted[shape] ? 0 : STORE_EINVAL, "%s: %s",
		    bodies_names[shape],
		    rc == 0 ? "accepted" : f.message);
		ok(t < bound, "%s: %.1f ms of CPU, under %.0f ms",
		    bodies_names[shape], t * 1e3, bound * 1e3);
		buf_release(&b);
	}
}

/* An export line with two sessions and a preferred presence. */
#define SX_HEAD	"{\"@odata.type\":\"#microsoft.graph.presence\"," \
	"\"id\":\"ba441c11-1c11-4a44-911c-44ba111c44ba\"," \
	"\"availability\":\"Available\",\"activity\":\"Available\"," \
	"\"sequenceNumber\":\"0000000000030000\"," \
	"\"createdDateTime\":\"2026-11-28T07:35:32.123Z\"," \
	"\"lastModifiedDateTime\":\"2026-11-28T08:00:00.000Z\""
#define SX_S0	"{\"sessionId\":\"phone\",\"availability\":\"Busy\"," \
	"\"activity\":\"InACall\"," \
	"\"refreshedDateTime\":\"2026-11-28T07:50:00.000Z\"," \
	"\"expirationDateTime\":\"2026-11-28T08:50:00.000Z\"}"
#define SX_S1	"{\"sessionId\":\"desk \\\"2\\\"\",\"availability\":" \
	"\"Available\",\"activity\":\"Available\"," \
	"\"refreshedDateTime\":\"2026-11-28T08:00:00.000Z\"," \
	"\"expirationDateTime\":\"2026-11-28T08:05:00.000Z\"}"
#define SX_PREF	"{\"availability\":\"BeRightBack\",\"activity\":" \
	"\"BeRightBack\",\"expirationDateTime\":\"2026-12-05T08:00:00.000Z\"}"
#define SX_LINE	SX_HEAD ",\"sessionsSeen\":true,\"sessions\":[" SX_S0 "," \
	SX_S1 "],\"preferredPresence\":" SX_PREF "}"

/* An export line the codec refuses, or store_import_check does. */
struct bad_line {
	const char	*from, *to;	/* SX_LINE with from replaced by to */
	const char	*property;	/* the property named */
	int		 stored;	/* the codec reads it; the check refuses */
};

static const struct bad_line bad_lines[] = {
	{ "\"sessions\":[", "\"sessions\":\"x\",\"other\":[", "sessions", 0 },
	{ SX_S0, "\"phone\"", "sessions[0]", 0 },
	{ ",\"expirationDateTime\":\"2026-11-28T08:50:00.000Z\"", "",
	    "sessions[0].expirationDateTime", 0 },
	{ "\"sessionId\":\"phone\"", "\"sessionId\":\"phone\",\"etag\":\"x\"",
	    "sessions[0].etag", 0 },
	{ "\"sessionId\":\"phone\"", "\"sessionId\":7", "sessions[0].sessionId",
	    0 },
	{ "\"phone\"", "\"0123456789012345678901234567890123456789012345678901"
	    "2345678901234\"", "sessions[0].sessionId", 0 },
	{ "\"InACall\"", "\"Busy\"", "sessions[0].activity", 0 },
	{ "\"availability\":\"Busy\"", "\"availability\":\"Offline\"",
	    "sessions[0].availability", 0 },
	{ "\"2026-11-28T08:00:00.000Z\",\"expirationDateTime\":"
	    "\"2026-11-28T08:05", "\"2026-11-28T08:00:00Z\","
	    "\"expirationDateTime\":\"2026-11-28T08:05",
	    "sessions[1].refreshedDateTime", 0 },
	{ "\"BeRightBack\",\"activity\":\"BeRightBack\"",
	    "\"BeRightBack\",\"activity\":\"Away\"",
	    "preferredPresence.activity", 0 },
	{ ",\"expirationDateTime\":\"2026-12-05T08:00:00.000Z\"", "",
	    "preferredPresence.expirationDateTime", 0 },
	{ "{\"availability\":\"BeRightBack\"", "{\"sessionId\":\"a\","
	    "\"availability\":\"BeRightBack\"", "preferredPresence.sessionId",
	    0 },
	{ "\"preferredPresence\":" SX_PREF, "\"preferredPresence\":null",
	    "preferredPresence", 0 },
	{ "\"sessionsSeen\":true", "\"sessionsSeen\":1", "sessionsSeen", 0 },
	{ "\"phone\"", "\"ph\\u0001one\"", "sessions[0].sessionId", 1 },
	{ "\"phone\"", "\"\"", "sessions[0].sessionId", 1 },
	{ "\"desk \\\"2\\\"\"", "\"phone\"", "sessions[1].sessionId", 1 },
	{ "\"2026-11-28T08:50:00.000Z\"", "\"2026-11-28T07:51:00.000Z\"",
	    "sessions[0].expirationDateTime", 1 },
	{ "\"2026-11-28T08:50:00.000Z\"", "\"2026-11-28T11:50:00.001Z\"",
	    "sessions[0].expirationDateTime", 1 },
	{ "\"2026-11-28T07:50:00.000Z\",\"expirationDateTime\":"
	    "\"2026-11-28T08:50:00.000Z\"", "\"1970-01-01T00:00:00.000Z\","
	    "\"expirationDateTime\":\"1970-01-01T00:05:00.000Z\"",
	    "sessions[0].refreshedDateTime", 1 },
	{ "\"2026-12-05T08:00:00.000Z\"", "\"1970-01-01T00:00:00.000Z\"",
	    "preferredPresence.expirationDateTime", 1 },
	{ "\"sessionsSeen\":true,", "", "sessionsSeen", 1 },
	{ "\"sessionsSeen\":true,", "\"sessionsSeen\":false,", "sessionsSeen",
	    1 },
};

/*
 * Sessions, the preferred presence and sessionsSeen: an export line reads
 * back into the same presence and bytes; what could not have been stored
 * is refused naming the member.
 */
static void
test_export_sessions(void)
{
	struct fault		f;
	struct presence		p, q;
	struct buf		b, line;
	const char		*at;
	size_t			i, n;
	int			rc;

	buf_init(&b);
	buf_init(&line);
	is_int(codec_presence_from_export(SX_LINE, strlen(SX_LINE), &p, &f), 0,
	    "an export line with sessions reads");
	ok(p.sessions_seen && p.nsessions == 2 &&
	    p.sessions[0].pair == SESSION_IN_A_CALL &&
	    strcmp(p.sessions[1].id, "desk \"2\"") == 0 &&
	    p.sessions[1].expires - p.sessions[1].refreshed == 5 * 60000 &&
	    p.preferred.set && p.preferred.pair == PREFERRED_BE_RIGHT_BACK,
	    "into its sessions and preferred presence");
	is_int(store_import_check(&p, PRESENCE_MODE_GRAPH, 1, &f), 0,
	    "which an import takes");
	codec_presence_to_export(&p, &b);
	is_str(b.data, SX_LINE, "and writes the same bytes");
	is_int(codec_presence_from_import(b.data, b.len, &q, &f), 0,
	    "as an import line");
	ok(memcmp(&p, &q, sizeof p) == 0, "the same presence");
	is_int(codec_presence_from_json(SX_LINE, strlen(SX_LINE), &q, &f),
	    STORE_EINVAL, "a create request may not carry them");

	/* Sixteen sessions at most. */
	buf_reset(&b);
	buf_adds(&b, SX_HEAD ",\"sessionsSeen\":true,\"sessions\":[" SX_S0);
	for (i = 1; i <= PRESENCE_SESSIONS_MAX; i++)
		buf_adds(&b, "," SX_S0);
	buf_adds(&b, "]}");
	is_int(codec_presence_from_export(b.data, b.len, &q, &f), STORE_EINVAL,
	    "seventeen sessions are refused");
	is_str(f.property, "sessions", "naming 'sessions': %s", f.message);

	for (i = 0; i < sizeof bad_lines / sizeof bad_lines[0]; i++) {
		const struct bad_line	*bl = &bad_lines[i];

		if ((at = strstr(SX_LINE, bl->from)) == NULL)
			tap_bail("bad line %zu: no '%s'", i, bl->from);
		n = (size_t)(at - SX_LINE);
		buf_reset(&line);
		buf_add(&line, SX_LINE, n);
		buf_adds(&line, bl->to);
		buf_adds(&line, at + strlen(bl->from));
		memset(&f, 0, sizeof f);
		rc = codec_presence_from_import(line.data, line.len, &q, &f);
		if (bl->stored && rc == 0)
			rc = store_import_check(&q, PRESENCE_MODE_GRAPH, 0, &f);
		is_int(rc, STORE_EINVAL, "%s: %s", bl->property, f.message);
		is_str(f.property, bl->property, "%s refused by the %s",
		    bl->property, bl->stored ? "import's check" : "codec");
	}
	buf_release(&b);
	buf_release(&line);
}

int
main(void)
{
	test_jsonc_lets_through();
	test_big_bodies();
	test_json_string();
	test_export();
	test_export_sessions();
	test_founding();
	test_values();
	test_bad_bodies();
	test_depth();
	return tap_done();
}
