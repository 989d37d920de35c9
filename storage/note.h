/*
 * What a presence says beside availability and activity: the status
 * message setStatusMessage sets, the out-of-office settings the operator
 * sets, and the work location in its two layers (setManualLocation,
 * setAutomaticLocation).  Plain fixed-size types: a struct presence holds
 * them by value.
 */
#ifndef PRESENCE_STORAGE_NOTE_H
#define PRESENCE_STORAGE_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "walk.h"
#include "zone.h"

#define NOTE_MESSAGE_MAX	1024	/* bytes of UTF-8 in a status or
					   out-of-office message */
#define NOTE_PLACE_MAX		256	/* bytes of UTF-8 in a placeId */

/*
 * A status message.  expires is the instant expiry_time reads as in
 * expiry_zone, both kept as the client sent them so that reads give them
 * back; expires 0 (and both texts "") when it never expires.
 */
struct note_status {
	int		set;
	char		content[NOTE_MESSAGE_MAX + 1];
	int64_t		published;	/* ms since the epoch, UTC */
	int64_t		expires;	/* ms since the epoch, or 0: never */
	char		expiry_time[ZONE_LOCAL_MAX + 1];
	char		expiry_zone[ZONE_NAME_MAX + 1];
};

/* The out-of-office settings; message "" reads as null. */
struct note_ooo {
	int		on;
	char		message[NOTE_MESSAGE_MAX + 1];
};

/* workLocationType's values, in the order of Graph's enumeration. */
enum note_work {
	NOTE_WORK_UNSPECIFIED,
	NOTE_WORK_OFFICE,
	NOTE_WORK_REMOTE,
	NOTE_WORK_TIME_OFF,
	NOTE_NWORK
};

/* One layer of the work location; place "" reads as null. */
struct note_location {
	int		set;
	unsigned char	type;			/* enum note_work */
	char		place[NOTE_PLACE_MAX + 1];
};

/* Which layer the work location shows: Graph's workLocationSource. */
enum note_source {
	NOTE_SOURCE_NONE,
	NOTE_SOURCE_MANUAL,
	NOTE_SOURCE_AUTOMATIC,
	NOTE_NSOURCE
};

/* The wire names of enum note_source ("none", "manual", "automatic"). */
extern const char *const note_source_names[NOTE_NSOURCE];

/* The wire names of enum note_work ("unspecified", ..., "timeOff"). */
extern const char *const note_work_names[NOTE_NWORK];

/* The index of a workLocationType's wire name (len bytes), or -1. */
int note_work_find(const char *name, size_t len);

/*
 * Check the text of len bytes for the named property: at most max
 * bytes of valid UTF-8, no control character but, when lines is set,
 * tab and newline.  0 or STORE_EINVAL with fault filled.
 */
int note_check_text(const char *property, const char *s, size_t len,
    size_t max, int lines, struct fault *fault);

/*
 * Check a status message as it would be stored: content non-empty and
 * valid (note_check_text, lines allowed), published after 1970, and
 * either no expiry (expires 0, both texts "") or an expiry whose
 * dateTime and timeZone read as the instant expires (zone_instant).
 * Faults name "statusMessage.message.content",
 * "statusMessage.expiryDateTime.dateTime" and so on.  0 or STORE_EINVAL.
 */
int note_status_check(const struct note_status *s, struct fault *fault);

/*
 * Set fault for a zone_instant error, naming prefix + ".dateTime" or
 * prefix + ".timeZone" (prefix e.g. "expiryDateTime"), with the zone's
 * name in the message.  Returns STORE_EINVAL, or STORE_ENOMEM.
 */
int note_zone_fault(int zone_error, const char *prefix, const char *zone,
    struct fault *fault);

/*
 * setStatusMessage's body, {"statusMessage": {"message": {"content",
 * "contentType"}, "expiryDateTime": {"dateTime", "timeZone"}}}, strict
 * JSON of these members only: content a string (may be empty: out->set
 * is then 0, the message cleared), contentType "text" when present,
 * expiryDateTime absent or null (never expires) or both its members
 * strings, read by zone_instant into out->expires.  out->published is
 * left 0 for the store to stamp.  Returns 0, STORE_EINVAL with fault
 * naming the member (e.g. "statusMessage.expiryDateTime.timeZone"), or
 * STORE_ENOMEM.
 */
int note_status_from_json(const char *body, size_t len,
    struct note_status *out, struct fault *fault);

/*
 * setManualLocation's and setAutomaticLocation's body:
 * "workLocationType" (required, one of note_work_names) and "placeId"
 * (optional, a string of at most NOTE_PLACE_MAX bytes or null); action
 * names the action for the fault of another member.  out->set is 1.
 * Returns 0, STORE_EINVAL with fault filled, or STORE_ENOMEM.
 */
int note_location_from_json(const char *body, size_t len, const char *action,
    struct note_location *out, struct fault *fault);

/*
 * The members of an export line (where names it: "statusMessage",
 * "outOfOfficeSettings", "manualLocation", "automaticLocation"), each v
 * the member's value: the status message as GET shows it, with its
 * "publishedDateTime" (checked by note_status_check); the out-of-office
 * settings, both members required; a location layer, both members
 * required.  Faults name the member, e.g. "manualLocation.placeId".
 * Each returns 0 or STORE_EINVAL.
 */
int note_status_take(const struct walk_value *v, struct note_status *out,
    struct fault *fault);
int note_ooo_take(const struct walk_value *v, struct note_ooo *out,
    struct fault *fault);
int note_location_take(const struct walk_value *v, const char *where,
    struct note_location *out, struct fault *fault);

#endif
