/* Local date-times in named zones, through ICU's calendar. */
#include <string.h>

#include <unicode/ucal.h>

#include "presence.h"
#include "zone.h"

/* A zone id in UTF-16, as ICU takes it. */
struct zone_id {
	UChar	s[ZONE_NAME_MAX + 1];
	int32_t	len;
};

/* Widen printable ASCII into UTF-16; -1 for anything else or too long. */
static int
zone_widen(const char *name, size_t len, UChar *out)
{
	size_t	i;

	if (len == 0 || len > ZONE_NAME_MAX)
		return -1;
	for (i = 0; i < len; i++) {
		if (name[i] < 0x20 || name[i] > 0x7e)
			return -1;
		out[i] = (UChar)name[i];
	}
	return 0;
}

/* Resolve a Windows or IANA name to an ICU zone id. */
static int
zone_resolve(const char *name, size_t len, struct zone_id *id)
{
	UChar		in[ZONE_NAME_MAX + 1];
	UErrorCode	err = U_ZERO_ERROR;
	UBool		system = 0;
	int32_t		n;

	if (zone_widen(name, len, in) != 0)
		return ZONE_EUNKNOWN;
	n = ucal_getTimeZoneIDForWindowsID(in, (int32_t)len, NULL, id->s,
	    ZONE_NAME_MAX, &err);
	if (U_SUCCESS(err) && n > 0 && n <= ZONE_NAME_MAX) {
		id->len = n;
		return 0;
	}
	err = U_ZERO_ERROR;
	n = ucal_getCanonicalTimeZoneID(in, (int32_t)len, id->s, ZONE_NAME_MAX,
	    &system, &err);
	if (err == U_MEMORY_ALLOCATION_ERROR)
		return ZONE_ENOMEM;
	if (U_FAILURE(err) || !system || n <= 0 || n > ZONE_NAME_MAX)
		return ZONE_EUNKNOWN;
	id->len = n;
	return 0;
}

/* Whether name names a zone. */
int
zone_check(const char *name, size_t len)
{
	struct zone_id	id;

	return zone_resolve(name, len, &id);
}

/* A local date-time's fields. */
struct zone_local {
	int	year, month, day, hour, minute, second, milli;
};

/* Read exactly n digits at s; -1 when they are not. */
static int
zone_digits(const char *s, size_t n)
{
	int	v = 0;
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Whether the fields name a day of the Gregorian calendar and a time. */
static int
zone_fields_valid(const struct zone_local *t)
{
	return t->year >= 1970 && presence_date_valid(t->year, t->month,
	    t->day, t->hour, t->minute, t->second);
}

/* Whether s[i..len) is an offset: "Z", or +hh:mm / -hh:mm and the like. */
static int
zone_is_offset(const char *s, size_t len, size_t i)
{
	return i < len && (s[i] == 'Z' || s[i] == 'z' || s[i] == '+' ||
	    s[i] == '-');
}

/* Parse "YYYY-MM-DDTHH:MM:SS[.f{1,7}]". */
static int
zone_parse_local(const char *s, size_t len, struct zone_local *t)
{
	size_t	i = 19, start, digits;

	if (len < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return ZONE_EFORMAT;
	t->year = zone_digits(s, 4);
	t->month = zone_digits(s + 5, 2);
	t->day = zone_digits(s + 8, 2);
	t->hour = zone_digits(s + 11, 2);
	t->minute = zone_digits(s + 14, 2);
	t->second = zone_digits(s + 17, 2);
	t->milli = 0;
	if (t->year < 0 || t->month < 0 || t->day < 0 || t->hour < 0 ||
	    t->minute < 0 || t->second < 0 || !zone_fields_valid(t))
		return ZONE_EFORMAT;
	if (i < len && s[i] == '.') {
		start = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 7) {
			if (i - start < 3)
				t->milli = t->milli * 10 + (s[i] - '0');
			i++;
		}
		if (i == start)
			return ZONE_EFORMAT;
		for (digits = i - start; digits < 3; digits++)
			t->milli *= 10;
	}
	if (zone_is_offset(s, len, i))
		return ZONE_EOFFSET;
	return i == len ? 0 : ZONE_EFORMAT;
}

/* The instant of a local date-time in a zone. */
int
zone_instant(const char *local, size_t local_len, const char *name,
    size_t name_len, int64_t *ms)
{
	struct zone_local	t;
	struct zone_id		id;
	UCalendar		*cal;
	UErrorCode		 err = U_ZERO_ERROR;
	UDate			 when;
	int			 rc;

	if ((rc = zone_parse_local(local, local_len, &t)) != 0 ||
	    (rc = zone_resolve(name, name_len, &id)) != 0)
		return rc;
	cal = ucal_open(id.s, id.len, "en_US_POSIX", UCAL_GREGORIAN, &err);
	if (U_FAILURE(err))
		return err == U_MEMORY_ALLOCATION_ERROR ? ZONE_ENOMEM :
		    ZONE_EUNKNOWN;
	ucal_setAttribute(cal, UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
	ucal_setAttribute(cal, UCAL_SKIPPED_WALL_TIME, UCAL_WALLTIME_LAST);
	ucal_clear(cal);
	ucal_setDateTime(cal, t.year, t.month - 1, t.day, t.hour, t.minute,
	    t.second, &err);
	ucal_set(cal, UCAL_MILLISECOND, t.milli);
	when = ucal_getMillis(cal, &err);
	ucal_close(cal);
	if (U_FAILURE(err))
		return err == U_MEMORY_ALLOCATION_ERROR ? ZONE_ENOMEM :
		    ZONE_EFORMAT;
	if (when <= 0)
		return ZONE_EFORMAT;
	*ms = (int64_t)when;
	return 0;
}
