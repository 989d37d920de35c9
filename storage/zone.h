/*
 * A local date-time in a named time zone, as Graph's dateTimeTimeZone
 * carries it, turned into an instant.  The zone data is ICU's: the tz
 * database for IANA names and CLDR's windowsZones for Windows names, so
 * the names follow the system's ICU, never a table of ours.  No ICU type
 * crosses this header.
 */
#ifndef PRESENCE_STORAGE_ZONE_H
#define PRESENCE_STORAGE_ZONE_H

#include <stddef.h>
#include <stdint.h>

#define ZONE_NAME_MAX	64	/* bytes of a zone name as sent */
#define ZONE_LOCAL_MAX	27	/* "2026-08-28T17:00:00.0000000" */

/* Why a date-time and zone do not make an instant. */
enum zone_error {
	ZONE_OK = 0,
	ZONE_EFORMAT = -1,	/* dateTime is not YYYY-MM-DDTHH:MM:SS[.f] */
	ZONE_EOFFSET = -2,	/* dateTime carries 'Z' or an offset */
	ZONE_EUNKNOWN = -3,	/* timeZone names no zone */
	ZONE_ENOMEM = -4	/* ICU failed for want of memory */
};

/*
 * Whether name (len bytes) names a zone: "UTC", a Windows name such as
 * "Pacific Standard Time", or an IANA name such as "Europe/Berlin" (a
 * link like "US/Pacific" too; ICU's custom ids like "GMT+05:00" are not
 * names).  0 or ZONE_EUNKNOWN.
 */
int zone_check(const char *name, size_t len);

/*
 * The instant, in ms since the epoch (UTC), of the local date-time
 * local (len bytes: "YYYY-MM-DDTHH:MM:SS", optionally with a fraction of
 * 1 to 7 digits, of which milliseconds count; year 1970 to 9999) in the
 * zone name.  A local time that a DST change skips is read with the
 * offset in force before the change (02:30 in a gap from 02:00 to 03:00
 * is 03:30); one that it repeats is the first of the two.  Returns 0,
 * ZONE_EFORMAT, ZONE_EOFFSET, ZONE_EUNKNOWN or ZONE_ENOMEM.
 */
int zone_instant(const char *local, size_t local_len, const char *name,
    size_t name_len, int64_t *ms);

#endif
