/* The action bodies, ISO 8601 durations, and the GET and export writers. */
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "error.h"
#include "tap.h"

#define MIN	SESSION_MINUTE_MS
#define SET(s)	codec_session_set_from_json(s, strlen(s), &set, &f)
#define PREF(s)	codec_preferred_set_from_json(s, strlen(s), &pref, &f)

static void
test_duration(void)
{
	static const struct { const char *s; int64_t ms; } good[] = {
		{ "PT5M", 5 * MIN }, { "PT1H", 60 * MIN },
		{ "P1D", 24 * 60 * MIN }, { "PT1H30M", 90 * MIN },
		{ "P1DT1S", 24 * 60 * MIN + 1000 }, { "PT1.5S", 1500 },
		{ "PT0.25S", 250 }, { "PT300S", 5 * MIN }, { "PT0S", 0 },
	};
	static const char *const bad[] = {
		"", "P", "PT", "5M", "-PT5M", "PT-5M", "P1Y", "P1M", "P1W",
		"PT1.5M", "PT1.2345S", "PT5M5M", "PT5H1H", "P1DT", "PT5m",
		"pt5m", "PT1M1H", "PT.5S", "PT5", "P1H", "PT1D",
		"PT9999999999S", "P99999D", " PT5M", "PT5M ",
	};
	int64_t	ms;
	size_t	i;

	for (i = 0; i < sizeof good / sizeof *good; i++) {
		ms = -1;
		ok(codec_duration_parse(good[i].s, strlen(good[i].s), &ms) == 0 &&
		    ms == good[i].ms, "'%s' is %lld ms", good[i].s,
		    (long long)good[i].ms);
	}
	for (i = 0; i < sizeof bad / sizeof *bad; i++)
		is_int(codec_duration_parse(bad[i], strlen(bad[i]), &ms),
		    STORE_EINVAL, "'%s' is refused", bad[i]);
}

static void
test_set_presence(void)
{
	struct fault		f;
	struct session_set	set;
	static const struct { const char *body, *prop; } bad[] = {
		{ "{\"availability\":\"Available\",\"activity\":\"Available\"}",
		    "sessionId" },
		{ "{\"sessionId\":\"a\",\"activity\":\"Available\"}",
		    "availability" },
		{ "{\"sessionId\":\"a\",\"availability\":\"Busy\","
		    "\"activity\":\"Busy\"}", "activity" },
		{ "{\"sessionId\":\"a\",\"availability\":\"Offline\","
		    "\"activity\":\"OffWork\"}", "availability" },
		{ "{\"sessionId\":\"a\",\"availability\":\"DoNotDisturb\","
		    "\"activity\":\"DoNotDisturb\"}", "activity" },
		{ "{\"sessionId\":\"a\",\"availability\":\"Available\","
		    "\"activity\":\"Available\",\"expirationDuration\":\"PT4M\"}",
		    "expirationDuration" },
		{ "{\"sessionId\":\"a\",\"availability\":\"Available\","
		    "\"activity\":\"Available\",\"expirationDuration\":\"PT4H1S\"}",
		    "expirationDuration" },
		{ "{\"sessionId\":\"a\",\"availability\":\"Available\","
		    "\"activity\":\"Available\",\"expirationDuration\":5}",
		    "expirationDuration" },
		{ "{\"sessionId\":\"a\",\"availability\":\"Available\","
		    "\"activity\":\"Available\",\"colour\":\"blue\"}", "colour" },
		{ "{\"sessionId\":\"\",\"availability\":\"Available\","
		    "\"activity\":\"Available\"}", "sessionId" },
		{ "{\"sessionId\":7,\"availability\":\"Available\","
		    "\"activity\":\"Available\"}", "sessionId" },
		{ "{\"sessionId\":\"a\",\"sessionId\":\"b\","
		    "\"availability\":\"Available\",\"activity\":\"Available\"}",
		    "sessionId" },
	};
	size_t	i;

	is_int(SET("{\"sessionId\":\"22553876-f5ab-4529-bffb-cfe50aa89f87\","
	    "\"availability\":\"Busy\",\"activity\":\"InAConferenceCall\","
	    "\"expirationDuration\":\"PT1H\"}"), 0, "a setPresence body");
	is_str(set.session_id, "22553876-f5ab-4529-bffb-cfe50aa89f87",
	    "its sessionId");
	is_int(set.pair, SESSION_IN_A_CONFERENCE_CALL, "its pair");
	is_int(set.duration, 60 * MIN, "its duration");
	is_int(SET("{\"sessionId\":\"a\",\"availability\":\"DoNotDisturb\","
	    "\"activity\":\"Presenting\"}"), 0, "without a duration");
	is_int(set.duration, SESSION_DURATION_DEFAULT, "PT5M by default");
	is_int(SET("{\"sessionId\":\"a\",\"availability\":\"Away\","
	    "\"activity\":\"Away\",\"expirationDuration\":\"PT4H\"}"), 0,
	    "PT4H is the most");
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(&f, 0, sizeof f);
		is_int(SET(bad[i].body), STORE_EINVAL, "refused: %s",
		    bad[i].body);
		is_str(f.property, bad[i].prop, "naming %s (%s)", bad[i].prop,
		    f.message);
	}
	is_int(SET("[]"), STORE_EINVAL, "an array is refused");
	is_int(SET("{\"sessionId\":\"a\""), STORE_EINVAL,
	    "broken JSON is refused");
}

static void
test_others(void)
{
	struct fault		 f;
	struct preferred_set	 pref;
	char			 sid[SESSION_ID_MAX + 1];
	struct codec_ids	*ids = malloc(sizeof *ids);
	struct buf		 b;
	size_t			 i;

	if (ids == NULL)
		tap_bail("out of memory");
	is_int(codec_session_clear_from_json("{\"sessionId\":\"x\"}", 17, sid,
	    &f), 0, "a clearPresence body");
	is_str(sid, "x", "its sessionId");
	is_int(codec_session_clear_from_json("{}", 2, sid, &f), STORE_EINVAL,
	    "without a sessionId it is refused");
	is_str(f.property, "sessionId", "naming it");

	is_int(PREF("{\"availability\":\"Offline\",\"activity\":\"OffWork\"}"),
	    0, "a setUserPreferredPresence body");
	ok(pref.pair == PREFERRED_OFF_WORK &&
	    pref.duration == PREFERRED_DURATION_LONG,
	    "Offline/OffWork for 7 days by default");
	is_int(PREF("{\"availability\":\"Busy\",\"activity\":\"Busy\"}"), 0,
	    "Busy/Busy");
	is_int(pref.duration, PREFERRED_DURATION_SHORT, "for 1 day by default");
	is_int(PREF("{\"availability\":\"DoNotDisturb\",\"activity\":"
	    "\"DoNotDisturb\",\"expirationDuration\":\"PT8H\"}"), 0,
	    "with a duration");
	is_int(pref.duration, 8 * 60 * MIN, "taken");
	is_int(PREF("{\"availability\":\"Busy\",\"activity\":\"InACall\"}"),
	    STORE_EINVAL, "a setPresence pair is refused");
	is_str(f.property, "activity", "naming activity");
	is_int(PREF("{\"availability\":\"Available\",\"activity\":"
	    "\"Available\",\"sessionId\":\"a\"}"), STORE_EINVAL,
	    "a sessionId is not its parameter");
	is_str(f.property, "sessionId", "naming it");
	is_int(PREF("{\"availability\":\"Away\",\"activity\":\"Away\","
	    "\"expirationDuration\":\"PT0S\"}"), STORE_EINVAL,
	    "a zero duration is refused");

	is_int(codec_preferred_clear_from_json("", 0, &f), 0,
	    "clearUserPreferredPresence without a body");
	is_int(codec_preferred_clear_from_json("{}", 2, &f), 0, "or with {}");
	is_int(codec_preferred_clear_from_json("{\"a\":1}", 7, &f),
	    STORE_EINVAL, "but nothing in it");

	buf_init(&b);
	buf_adds(&b, "{\"ids\":[\"BA441C11-1C11-BA44-111C-44BA111C44BA\","
	    "\"x\",\"ba441c11-1c11-ba44-111c-44ba111c44ba\"]}");
	is_int(codec_ids_from_json(b.data, b.len, ids, &f), 0, "ids");
	ok(ids->n == 3 && strcmp(ids->ids[0],
	    "ba441c11-1c11-ba44-111c-44ba111c44ba") == 0 &&
	    ids->ids[1][0] == '\0' && strcmp(ids->ids[2], ids->ids[0]) == 0,
	    "lowercased, a non-GUID left empty, in order");
	for (i = 650; i <= 651; i++) {
		size_t	j;

		buf_reset(&b);
		buf_adds(&b, "{\"ids\":[");
		for (j = 0; j < i; j++)
			buf_adds(&b, j > 0 ? ",\"x\"" : "\"x\"");
		buf_adds(&b, "]}");
		is_int(codec_ids_from_json(b.data, b.len, ids, &f),
		    i == 650 ? 0 : STORE_EINVAL, "%zu ids: %s", i,
		    i == 650 ? "taken" : "refused");
	}
	is_str(f.property, "ids", "naming ids");
	ok(strstr(f.message, "650") != NULL, "and the bound: %s", f.message);
	is_int(codec_ids_from_json("{}", 2, ids, &f), STORE_EINVAL,
	    "missing ids are refused");
	is_int(codec_ids_from_json("{\"ids\":\"a\"}", 11, ids, &f),
	    STORE_EINVAL, "so are ids that are not a list");
	is_int(codec_ids_from_json("{\"ids\":[1]}", 11, ids, &f),
	    STORE_EINVAL, "and ids that are not strings");
	is_int(codec_ids_from_json("{\"ids\":null}", 12, ids, &f),
	    STORE_EINVAL, "and null");
	buf_release(&b);
	free(ids);
}

static void
test_writers(void)
{
	struct presence		p;
	struct presence_view	v;
	struct buf		b;

	memset(&p, 0, sizeof p);
	strcpy(p.id, "ba441c11-1c11-ba44-111c-44ba111c44ba");
	strcpy(p.availability, "Availability value");
	strcpy(p.activity, "Activity value");
	p.created = p.modified = 0;
	p.sequence = PRESENCE_SEQ_STEP;
	p.sessions_seen = 1;
	p.nsessions = 1;
	strcpy(p.sessions[0].id, "app\"1");
	p.sessions[0].pair = SESSION_AVAILABLE;
	p.sessions[0].refreshed = 0;
	p.sessions[0].expires = 5 * MIN;
	p.preferred.set = 1;
	p.preferred.pair = PREFERRED_BE_RIGHT_BACK;
	p.preferred.expires = 1000;
	presence_view(&p, 2000, &v);
	buf_init(&b);
	is_int(codec_presence_view_to_json(&p, &v, "https://h/g/v1.0/$metadata"
	    "#users('ba441c11-1c11-ba44-111c-44ba111c44ba')/presence/$entity",
	    &b), 0, "the GET form");
	buf_add(&b, "", 1);
	is_str(b.data, "{\"@odata.context\":\"https://h/g/v1.0/$metadata"
	    "#users('ba441c11-1c11-ba44-111c-44ba111c44ba')/presence/$entity\","
	    "\"@odata.type\":\"#microsoft.graph.presence\","
	    "\"id\":\"ba441c11-1c11-ba44-111c-44ba111c44ba\","
	    "\"availability\":\"Available\",\"activity\":\"Available\","
	    "\"statusMessage\":null,"
	    "\"outOfOfficeSettings\":{\"isOutOfOffice\":false,\"message\":null},"
	    "\"workLocation\":{\"workLocationType\":\"unspecified\","
	    "\"source\":\"none\",\"placeId\":null},"
	    "\"sequenceNumber\":\"0000000000010001\","
	    "\"createdDateTime\":\"1970-01-01T00:00:00.000Z\","
	    "\"lastModifiedDateTime\":\"1970-01-01T00:00:00.000Z\"}",
	    "the context first, the view's values and number");
	buf_reset(&b);
	is_int(codec_presence_view_to_json(&p, &v, NULL, &b), 0,
	    "without a context");
	ok(b.len > 15 && memcmp(b.data, "{\"@odata.type\"", 14) == 0,
	    "it starts with @odata.type");
	buf_reset(&b);
	is_int(codec_presence_to_export(&p, &b), 0, "the export form");
	buf_add(&b, "", 1);
	is_str(b.data, "{\"@odata.type\":\"#microsoft.graph.presence\","
	    "\"id\":\"ba441c11-1c11-ba44-111c-44ba111c44ba\","
	    "\"availability\":\"Availability value\","
	    "\"activity\":\"Activity value\","
	    "\"sequenceNumber\":\"0000000000010000\","
	    "\"createdDateTime\":\"1970-01-01T00:00:00.000Z\","
	    "\"lastModifiedDateTime\":\"1970-01-01T00:00:00.000Z\","
	    "\"sessionsSeen\":true,\"sessions\":[{\"sessionId\":\"app\\\"1\","
	    "\"availability\":\"Available\",\"activity\":\"Available\","
	    "\"refreshedDateTime\":\"1970-01-01T00:00:00.000Z\","
	    "\"expirationDateTime\":\"1970-01-01T00:05:00.000Z\"}],"
	    "\"preferredPresence\":{\"availability\":\"BeRightBack\","
	    "\"activity\":\"BeRightBack\","
	    "\"expirationDateTime\":\"1970-01-01T00:00:01.000Z\"}}",
	    "the stored state, sessions and preferred presence");
	buf_release(&b);
}

int
main(void)
{
	test_duration();
	test_set_presence();
	test_others();
	test_writers();
	return tap_done();
}
