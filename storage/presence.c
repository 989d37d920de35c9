/* The presence model: validation, Graph's values and text forms. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "presence.h"
#include "utf8.h"

const char *const presence_availabilities[] = {
	"Available", "AvailableIdle", "Away", "BeRightBack", "Busy",
	"BusyIdle", "DoNotDisturb", "Offline", "PresenceUnknown", NULL
};

const char *const presence_activities[] = {
	"Available", "Away", "BeRightBack", "Busy", "DoNotDisturb", "InACall",
	"InAConferenceCall", "Inactive", "InAMeeting", "Offline", "OffWork",
	"OutOfOffice", "PresenceUnknown", "Presenting",
	"UrgentInterruptionsOnly", NULL
};

/* Whether a code point is a C0 or C1 control character or DEL. */
static int
presence_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* Whether value (len bytes) is one of the NULL-terminated names. */
static int
presence_in_list(const char *const *names, const char *value, size_t len)
{
	for (; *names != NULL; names++)
		if (strlen(*names) == len && memcmp(*names, value, len) == 0)
			return 1;
	return 0;
}

/* Check one value for availability or activity. */
int
presence_check_value(const char *property, const char *value, size_t len,
    enum presence_mode mode, struct fault *fault)
{
	const unsigned char	*s = (const unsigned char *)value;
	const char *const	*names;
	size_t			 i, n;
	uint32_t		 cp;

	if (len == 0) {
		fault_set(fault, property, "'%s' must not be empty",
		    property);
		return STORE_EINVAL;
	}
	if (len > PRESENCE_VALUE_MAX) {
		fault_set(fault, property,
		    "'%s' is longer than %d bytes", property,
		    PRESENCE_VALUE_MAX);
		return STORE_EINVAL;
	}
	for (i = 0; i < len; i += n) {
		n = utf8_next(s + i, len - i, &cp);
		if (n == 0) {
			fault_set(fault, property,
			    "'%s' is not valid UTF-8", property);
			return STORE_EINVAL;
		}
		if (presence_is_control(cp)) {
			fault_set(fault, property,
			    "'%s' must not contain control characters",
			    property);
			return STORE_EINVAL;
		}
	}
	if (mode != PRESENCE_MODE_GRAPH)
		return 0;
	names = strcmp(property, "activity") == 0 ? presence_activities :
	    presence_availabilities;
	if (!presence_in_list(names, value, len)) {
		fault_set(fault, property,
		    "'%s' must be one of Graph's %s values", property,
		    property);
		return STORE_EINVAL;
	}
	return 0;
}

/* Check a presence before it is stored. */
int
presence_validate(const struct presence *p, enum presence_mode mode,
    struct fault *fault)
{
	int	rc;

	if (p->id[0] != '\0' && !guid_is_canonical(p->id)) {
		fault_set(fault, "id", "'id' must be a GUID");
		return STORE_EINVAL;
	}
	rc = presence_check_value("availability", p->availability,
	    strnlen(p->availability, sizeof p->availability), mode, fault);
	if (rc != 0)
		return rc;
	return presence_check_value("activity", p->activity,
	    strnlen(p->activity, sizeof p->activity), mode, fault);
}

/* Parse "any" or "graph"; 0 or STORE_EINVAL. */
int
presence_mode_parse(const char *s, enum presence_mode *mode)
{
	if (strcmp(s, "any") == 0)
		*mode = PRESENCE_MODE_ANY;
	else if (strcmp(s, "graph") == 0)
		*mode = PRESENCE_MODE_GRAPH;
	else
		return STORE_EINVAL;
	return 0;
}

/* "any" or "graph". */
const char *
presence_mode_name(enum presence_mode mode)
{
	return mode == PRESENCE_MODE_GRAPH ? "graph" : "any";
}

/* The wall clock in milliseconds since the epoch, UTC. */
int64_t
presence_now(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return (int64_t)time(NULL) * 1000;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Write value as width decimal digits at out (value < 10^width). */
static void
presence_put_digits(char *out, unsigned value, int width)
{
	while (width-- > 0) {
		out[width] = (char)('0' + value % 10);
		value /= 10;
	}
}

/*
 * Format ms since the epoch as Graph's UTC date-time with milliseconds.
 * Written digit by digit: lists and reads of many format three stamps a
 * presence, and snprintf was most of their cost.
 */
void
presence_format_time(int64_t ms, char out[PRESENCE_TIME_LEN + 1])
{
	struct tm	tm;
	time_t		secs;
	int		millis;

	secs = (time_t)(ms / 1000);
	millis = (int)(ms % 1000);
	if (millis < 0) {
		millis += 1000;
		secs--;
	}
	if (gmtime_r(&secs, &tm) == NULL || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 0) {
		memset(&tm, 0, sizeof tm);
		tm.tm_year = 70;
		tm.tm_mday = 1;
		millis = 0;
	}
	/* The year is within 0..9999: "YYYY-MM-DDTHH:MM:SS.mmmZ". */
	memcpy(out, "0000-00-00T00:00:00.000Z", PRESENCE_TIME_LEN);
	presence_put_digits(out, (unsigned)(tm.tm_year + 1900), 4);
	presence_put_digits(out + 5, (unsigned)tm.tm_mon + 1, 2);
	presence_put_digits(out + 8, (unsigned)tm.tm_mday, 2);
	presence_put_digits(out + 11, (unsigned)tm.tm_hour, 2);
	presence_put_digits(out + 14, (unsigned)tm.tm_min, 2);
	presence_put_digits(out + 17, (unsigned)tm.tm_sec, 2);
	presence_put_digits(out + 20, (unsigned)millis, 3);
	out[PRESENCE_TIME_LEN] = '\0';
}

/* Format a sequence as fixed-width hex, so string order is write order. */
void
presence_format_sequence(uint64_t sequence,
    char out[PRESENCE_SEQUENCE_LEN + 1])
{
	static const char	hex[] = "0123456789abcdef";
	int			i;

	for (i = PRESENCE_SEQUENCE_LEN - 1; i >= 0; i--) {
		out[i] = hex[sequence & 0xf];
		sequence >>= 4;
	}
	out[PRESENCE_SEQUENCE_LEN] = '\0';
}

/* A UTC date and time as seconds since the epoch. */
int64_t
presence_utc_seconds(int y, int mo, int d, int h, int mi, int sec)
{
	struct tm	tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	return (int64_t)timegm(&tm);
}

/* Whether the fields name a day of the Gregorian calendar and a time. */
int
presence_date_valid(int y, int mo, int d, int h, int mi, int sec)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int	leap;

	if (mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || sec < 0 || sec > 59)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[mo - 1] + (mo == 2 && leap);
}

/* Parse a time as presence_format_time writes it. */
int
presence_parse_time(const char *s, int64_t *ms)
{
	char		back[PRESENCE_TIME_LEN + 1];
	int		y, mo, d, h, mi, sec, milli;

	if (strlen(s) != PRESENCE_TIME_LEN ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &y, &mo, &d, &h, &mi,
	    &sec, &milli) != 7)
		return -1;
	*ms = presence_utc_seconds(y, mo, d, h, mi, sec) * 1000 + milli;
	presence_format_time(*ms, back);
	return strcmp(back, s) == 0 ? 0 : -1;	/* only the canonical form */
}
