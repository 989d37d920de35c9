/* The presence model and its validation. */
#ifndef PRESENCE_STORAGE_PRESENCE_H
#define PRESENCE_STORAGE_PRESENCE_H

#include <stddef.h>
#include <stdint.h>

#include "guid.h"

#define PRESENCE_ODATA_TYPE	"#microsoft.graph.presence"
#define PRESENCE_VALUE_MAX	128	/* bytes of UTF-8 in a value */
#define PRESENCE_TIME_LEN	24	/* "2026-11-28T07:35:32.123Z" */
#define PRESENCE_SEQUENCE_LEN	16	/* fixed-width lowercase hex */

/*
 * Which values availability and activity may take.  ANY accepts any short
 * printable string (the founding example's "Availability value"); GRAPH
 * accepts only Graph's enumerations.  A database keeps its mode in `meta`.
 */
enum presence_mode {
	PRESENCE_MODE_ANY,
	PRESENCE_MODE_GRAPH,
};

/*
 * One presence.  Plain fixed-size fields: a struct presence owns no memory
 * and may be copied by assignment.  The store keeps created, modified and
 * sequence; clients cannot set them.
 */
struct presence {
	char		id[GUID_LEN + 1];	/* canonical GUID, or "" */
	char		availability[PRESENCE_VALUE_MAX + 1];
	char		activity[PRESENCE_VALUE_MAX + 1];
	int64_t		created;	/* milliseconds since the epoch, UTC */
	int64_t		modified;	/* milliseconds since the epoch, UTC */
	uint64_t	sequence;	/* grows with every write to the store */
};

/*
 * Why a presence or a request body was refused.  property names the
 * offending property (a static string or one copied into name), or is NULL
 * when the fault is not about one property.
 */
struct presence_fault {
	const char	*property;
	char		 name[PRESENCE_VALUE_MAX + 1];
	char		 message[256];
};

/*
 * Check a presence before it is stored: id empty or canonical, availability
 * and activity non-empty valid UTF-8 without control characters, at most
 * PRESENCE_VALUE_MAX bytes, and in Graph's enumerations in GRAPH mode.
 * Returns 0 or STORE_EINVAL with fault filled (fault may be NULL).
 */
int presence_validate(const struct presence *p, enum presence_mode mode,
    struct presence_fault *fault);

/*
 * Check one value of len bytes for the named property ("availability" or
 * "activity"); the rules of presence_validate.
 */
int presence_check_value(const char *property, const char *value, size_t len,
    enum presence_mode mode, struct presence_fault *fault);

/* Graph's values for availability and activity: NULL-terminated, static. */
extern const char *const presence_availabilities[];
extern const char *const presence_activities[];

/* Parse "any" or "graph"; 0 or STORE_EINVAL. */
int presence_mode_parse(const char *s, enum presence_mode *mode);

/* "any" or "graph". */
const char *presence_mode_name(enum presence_mode mode);

/*
 * The wall clock in milliseconds since the epoch, UTC: the clock every
 * stamp, expiry and computed presence is read against.
 */
int64_t presence_now(void);

/* Format ms since the epoch as Graph's UTC date-time with milliseconds. */
void presence_format_time(int64_t ms, char out[PRESENCE_TIME_LEN + 1]);

/* Format a sequence as fixed-width hex, so string order is write order. */
void presence_format_sequence(uint64_t sequence,
    char out[PRESENCE_SEQUENCE_LEN + 1]);

/* Fill fault (when not NULL) with a property and a formatted message. */
void presence_fault_set(struct presence_fault *fault, const char *property,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
