/* Presence validation and text forms. */
#include <string.h>

#include "error.h"
#include "presence.h"
#include "tap.h"

/* Fill p with valid values. */
static void
valid(struct presence *p)
{
	memset(p, 0, sizeof *p);
	strcpy(p->availability, "Availability value");
	strcpy(p->activity, "Activity value");
}

/* Validate with one value replaced; return the code. */
static int
check(const char *property, const char *value, enum presence_mode mode,
    struct fault *fault)
{
	return presence_check_value(property, value, strlen(value), mode,
	    fault);
}

int
main(void)
{
	struct presence		p;
	struct fault		f;
	char			long_value[PRESENCE_VALUE_MAX + 2];
	char			t[PRESENCE_TIME_LEN + 1];
	char			s[PRESENCE_SEQUENCE_LEN + 1];
	enum presence_mode	mode;

	valid(&p);
	is_int(presence_validate(&p, PRESENCE_MODE_ANY, &f), 0,
	    "the founding example's values are valid in any mode");
	is_int(presence_validate(&p, PRESENCE_MODE_GRAPH, &f), STORE_EINVAL,
	    "but not in graph mode");
	is_str(f.property, "availability", "the fault names availability");

	strcpy(p.availability, "Busy");
	strcpy(p.activity, "InAMeeting");
	is_int(presence_validate(&p, PRESENCE_MODE_GRAPH, &f), 0,
	    "Graph's values are valid in graph mode");
	is_int(check("availability", "InAMeeting", PRESENCE_MODE_GRAPH, &f),
	    STORE_EINVAL, "an activity is not an availability");
	is_int(check("activity", "AvailableIdle", PRESENCE_MODE_GRAPH, &f),
	    STORE_EINVAL, "an availability-only value is not an activity");
	is_int(check("activity", "busy", PRESENCE_MODE_GRAPH, &f),
	    STORE_EINVAL, "graph values are case-sensitive");

	is_int(check("activity", "", PRESENCE_MODE_ANY, &f), STORE_EINVAL,
	    "empty is refused");
	ok(strstr(f.message, "empty") != NULL, "and says so: %s", f.message);
	is_int(check("activity", "a\tb", PRESENCE_MODE_ANY, &f), STORE_EINVAL,
	    "a tab is refused");
	is_int(check("activity", "a\x1b[31m", PRESENCE_MODE_ANY, &f),
	    STORE_EINVAL, "an escape sequence is refused");
	is_int(check("activity", "a\x7f", PRESENCE_MODE_ANY, &f), STORE_EINVAL,
	    "DEL is refused");
	is_int(check("activity", "a\xc2\x85", PRESENCE_MODE_ANY, &f),
	    STORE_EINVAL, "a C1 control (NEL) is refused");
	is_int(check("activity", "\xff", PRESENCE_MODE_ANY, &f), STORE_EINVAL,
	    "invalid UTF-8 is refused");
	is_int(check("activity", "\xc0\xaf", PRESENCE_MODE_ANY, &f),
	    STORE_EINVAL, "an overlong form is refused");
	is_int(check("activity", "\xed\xa0\x80", PRESENCE_MODE_ANY, &f),
	    STORE_EINVAL, "an encoded surrogate is refused");
	is_int(check("activity", "Caf\xc3\xa9 \xf0\x9f\x98\x80",
	    PRESENCE_MODE_ANY, &f), 0, "non-ASCII text is accepted");
	memset(long_value, 'x', sizeof long_value);
	long_value[PRESENCE_VALUE_MAX] = '\0';
	is_int(check("activity", long_value, PRESENCE_MODE_ANY, &f), 0,
	    "%d bytes are accepted", PRESENCE_VALUE_MAX);
	long_value[PRESENCE_VALUE_MAX] = 'x';
	long_value[PRESENCE_VALUE_MAX + 1] = '\0';
	is_int(check("activity", long_value, PRESENCE_MODE_ANY, &f),
	    STORE_EINVAL, "%d bytes are refused", PRESENCE_VALUE_MAX + 1);

	valid(&p);
	strcpy(p.id, "BA441C11-1C11-BA44-111C-44BA111C44BA");
	is_int(presence_validate(&p, PRESENCE_MODE_ANY, &f), STORE_EINVAL,
	    "a non-canonical id is refused by validation");
	is_str(f.property, "id", "the fault names id");

	is_int(presence_mode_parse("graph", &mode), 0, "graph parses");
	is_int(mode, PRESENCE_MODE_GRAPH, "to GRAPH");
	is_int(presence_mode_parse("Graph", &mode), STORE_EINVAL,
	    "mode names are exact");
	is_str(presence_mode_name(PRESENCE_MODE_ANY), "any", "ANY is 'any'");

	presence_format_time(0, t);
	is_str(t, "1970-01-01T00:00:00.000Z", "the epoch");
	presence_format_time(1795851332123LL, t);
	is_str(t, "2026-11-28T07:35:32.123Z", "a time with milliseconds");
	presence_format_sequence(0x2a, s);
	is_str(s, "000000000000002a", "a sequence is fixed-width hex");
	return tap_done();
}
