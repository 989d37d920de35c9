/*
 * Time zones (UTC, IANA and Windows names, DST gaps and overlaps, refused
 * offsets and unknown zones) and the bodies of setStatusMessage and the
 * work-location actions.
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "note.h"
#include "tap.h"
#include "zone.h"

/* Check the instant of local in zone. */
static void
instant(const char *local, const char *zone, long long want, const char *what)
{
	int64_t	ms = 0;
	int	rc = zone_instant(local, strlen(local), zone, strlen(zone), &ms);

	if (!ok(rc == 0 && ms == want, "%s: %s in %s", what, local, zone))
		printf("#   got %d, %lld\n", rc, (long long)ms);
}

/* Check that local in zone is refused with rc. */
static void
refused(const char *local, const char *zone, int want, const char *what)
{
	int64_t	ms = 0;

	is_int(zone_instant(local, strlen(local), zone, strlen(zone), &ms),
	    want, "%s: '%s' in '%s'", what, local, zone);
}

static void
test_zones(void)
{
	instant("2026-08-28T17:00:00", "UTC", 1787936400000LL, "UTC");
	instant("2026-08-28T17:00:00.1234567", "UTC", 1787936400123LL,
	    "seven decimals, milliseconds kept");
	instant("2026-08-28T17:00:00.5", "UTC", 1787936400500LL,
	    "one decimal");
	instant("2026-08-28T17:00:00", "Europe/Berlin", 1787929200000LL,
	    "an IANA name in summer time");
	instant("2026-01-15T09:00:00", "Pacific Standard Time",
	    1768496400000LL, "a Windows name in winter");
	instant("2026-07-15T09:00:00", "Pacific Standard Time",
	    1784131200000LL, "the same Windows name in summer");
	instant("2026-07-15T09:00:00", "America/Los_Angeles", 1784131200000LL,
	    "its IANA name agrees");
	instant("2026-07-15T09:00:00", "US/Pacific", 1784131200000LL,
	    "and so does a link");
	instant("2026-08-28T17:00:00", "W. Europe Standard Time",
	    1787929200000LL, "Windows' name for Berlin");
	instant("2026-03-29T02:30:00", "Europe/Berlin", 1774747800000LL,
	    "a time in the spring gap reads with the offset before it");
	instant("2026-10-25T02:30:00", "Europe/Berlin", 1792888200000LL,
	    "a repeated time in autumn is the first of the two");
	refused("2026-08-28T17:00:00", "Mars/Olympus_Mons", ZONE_EUNKNOWN,
	    "an unknown zone");
	refused("2026-08-28T17:00:00", "", ZONE_EUNKNOWN, "an empty zone");
	refused("2026-08-28T17:00:00", "GMT+05:00", ZONE_EUNKNOWN,
	    "a custom offset id is no name");
	refused("2026-08-28T17:00:00", "Pacific\tStandard Time", ZONE_EUNKNOWN,
	    "a control character");
	refused("2026-08-28T17:00:00Z", "UTC", ZONE_EOFFSET, "a 'Z'");
	refused("2026-08-28T17:00:00+02:00", "UTC", ZONE_EOFFSET,
	    "an offset");
	refused("2026-08-28T17:00:00.000-07:00", "UTC", ZONE_EOFFSET,
	    "an offset after a fraction");
	refused("2026-02-29T17:00:00", "UTC", ZONE_EFORMAT,
	    "a day 2026 does not have");
	refused("2026-08-28 17:00:00", "UTC", ZONE_EFORMAT, "a space");
	refused("2026-08-28T17:00", "UTC", ZONE_EFORMAT, "no seconds");
	refused("2026-08-28T24:00:00", "UTC", ZONE_EFORMAT, "hour 24");
	refused("2026-08-28T17:00:00.12345678", "UTC", ZONE_EFORMAT,
	    "eight decimals");
	refused("1969-12-31T23:00:00", "UTC", ZONE_EFORMAT, "before 1970");
	instant("2028-02-29T00:00:00", "UTC", 1835395200000LL, "a leap day");
	is_int(zone_check("Europe/Berlin", 13), 0, "zone_check knows a name");
	is_int(zone_check("Europe/Nowhere", 14), ZONE_EUNKNOWN,
	    "and not a made-up one");
}

/* Parse a setStatusMessage body, expecting rc and (on error) property. */
static void
status_body(const char *body, int want, const char *property,
    const char *what)
{
	struct note_status	s;
	struct fault		f;
	int			rc;

	memset(&f, 0, sizeof f);
	rc = note_status_from_json(body, strlen(body), &s, &f);
	if (!ok(rc == want && (property == NULL || (f.property != NULL &&
	    strcmp(f.property, property) == 0)), "%s", what))
		printf("#   got %d, '%s': %s\n", rc, f.property != NULL ?
		    f.property : "(null)", f.message);
}

static void
test_status_bodies(void)
{
	struct note_status	s;
	struct fault		f;
	const char		*body = "{\"statusMessage\":{\"message\":"
	    "{\"content\":\"Hey I am available now\",\"contentType\":\"text\"},"
	    "\"expiryDateTime\":{\"dateTime\":\"2026-08-28T17:00:00.0000000\","
	    "\"timeZone\":\"Pacific Standard Time\"}}}";

	is_int(note_status_from_json(body, strlen(body), &s, &f), 0,
	    "Graph's example body");
	ok(s.set && strcmp(s.content, "Hey I am available now") == 0 &&
	    strcmp(s.expiry_time, "2026-08-28T17:00:00.0000000") == 0 &&
	    strcmp(s.expiry_zone, "Pacific Standard Time") == 0 &&
	    s.expires == 1787961600000LL && s.published == 0,
	    "its content, the expiry as sent and its instant");
	status_body("{\"statusMessage\":{\"message\":{\"content\":\"x\"}}}", 0,
	    NULL, "no contentType, no expiry");
	status_body("{\"statusMessage\":{\"message\":{\"content\":\"x\"},"
	    "\"expiryDateTime\":null}}", 0, NULL, "a null expiry");
	body = "{\"statusMessage\":{\"message\":{\"content\":\"\"}}}";
	is_int(note_status_from_json(body, strlen(body), &s, &f), 0,
	    "an empty content");
	ok(!s.set, "clears the message");
	status_body("{\"statusMessage\":{\"message\":{\"content\":\"x\","
	    "\"contentType\":\"html\"}}}", STORE_EINVAL,
	    "statusMessage.message.contentType", "html is refused");
	status_body("{\"statusMessage\":{\"message\":{\"content\":\"x\"},"
	    "\"expiryDateTime\":{\"dateTime\":\"2026-08-28T17:00:00Z\","
	    "\"timeZone\":\"UTC\"}}}", STORE_EINVAL,
	    "statusMessage.expiryDateTime.dateTime", "an offset is refused");
	status_body("{\"statusMessage\":{\"message\":{\"content\":\"x\"},"
	    "\"expiryDateTime\":{\"dateTime\":\"2026-08-28T17:00:00\","
	    "\"timeZone\":\"Nowhere Standard Time\"}}}", STORE_EINVAL,
	    "statusMessage.expiryDateTime.timeZone", "an unknown zone is "
	    "refused");
	status_body("{\"statusMessage\":{\"message\":{\"content\":\"x\"},"
	    "\"expiryDateTime\":{\"dateTime\":\"2026-08-28T17:00:00\"}}}",
	    STORE_EINVAL, "statusMessage.expiryDateTime.timeZone",
	    "a missing timeZone");
	status_body("{\"statusMessage\":{\"message\":{\"content\":\"x\"},"
	    "\"publishedDateTime\":\"2026-08-28T17:00:00.000Z\"}}",
	    STORE_EINVAL, "statusMessage.publishedDateTime",
	    "publishedDateTime is read-only");
	status_body("{\"statusMessage\":{}}", STORE_EINVAL,
	    "statusMessage.message", "a missing message");
	status_body("{}", STORE_EINVAL, "statusMessage", "a missing "
	    "statusMessage");
	status_body("{\"statusMessage\":{\"message\":{\"content\":\"x\"}},"
	    "\"extra\":1}", STORE_EINVAL, "extra", "another parameter");
	status_body("{\"statusMessage\":{\"message\":{\"content\":7}}}",
	    STORE_EINVAL, "statusMessage.message.content",
	    "a content that is not a string");
	status_body("{\"statusMessage\":{\"message\":{\"content\":\"a\\u0001\"}}}",
	    STORE_EINVAL, "statusMessage.message.content",
	    "a control character");
	status_body("{\"statusMessage\":{\"message\":{\"content\":\"a\\nb\"}}}",
	    0, NULL, "a newline is kept");
}

/* Parse a location body, expecting rc and (on error) property. */
static void
location_body(const char *body, int want, const char *property,
    const char *what)
{
	struct note_location	l;
	struct fault		f;
	int			rc;

	memset(&f, 0, sizeof f);
	rc = note_location_from_json(body, strlen(body), "setManualLocation",
	    &l, &f);
	if (!ok(rc == want && (property == NULL || (f.property != NULL &&
	    strcmp(f.property, property) == 0)), "%s", what))
		printf("#   got %d, '%s': %s\n", rc, f.property != NULL ?
		    f.property : "(null)", f.message);
}

static void
test_location_bodies(void)
{
	struct note_location	l;
	struct fault		f;
	const char		*body = "{\"workLocationType\":\"timeOff\","
	    "\"placeId\":\"b7b2 room 4\"}";
	char			long_place[NOTE_PLACE_MAX + 64];

	is_int(note_location_from_json(body, strlen(body), "setManualLocation",
	    &l, &f), 0, "a location body");
	ok(l.set && l.type == NOTE_WORK_TIME_OFF &&
	    strcmp(l.place, "b7b2 room 4") == 0, "its type and place");
	location_body("{\"workLocationType\":\"office\",\"placeId\":null}", 0,
	    NULL, "a null placeId");
	location_body("{\"workLocationType\":\"unspecified\"}", 0, NULL,
	    "unspecified, no placeId");
	location_body("{\"workLocationType\":\"Office\"}", STORE_EINVAL,
	    "workLocationType", "the wire names only");
	location_body("{\"workLocationType\":\"unknownFutureValue\"}",
	    STORE_EINVAL, "workLocationType", "not unknownFutureValue");
	location_body("{\"placeId\":\"x\"}", STORE_EINVAL, "workLocationType",
	    "workLocationType is required");
	location_body("{\"workLocationType\":\"office\",\"source\":\"manual\"}",
	    STORE_EINVAL, "source", "source is not a parameter");
	snprintf(long_place, sizeof long_place, "{\"workLocationType\":"
	    "\"office\",\"placeId\":\"%0*d\"}", NOTE_PLACE_MAX + 1, 0);
	location_body(long_place, STORE_EINVAL, "placeId",
	    "a placeId over the bound");
}

int
main(void)
{
	test_zones();
	test_status_bodies();
	test_location_bodies();
	return tap_done();
}
