/*
 * What json-c 0.16 lets through and RFC 8259 does not: a linear check of
 * the bytes the codec hands to json-c's tokener, with the counts the codec
 * compares json-c's tree against.  It reads no JSON into values and never
 * allocates.
 */
#ifndef PRESENCE_STORAGE_STRICT_H
#define PRESENCE_STORAGE_STRICT_H

#include <stddef.h>

#include "presence.h"

/* What the check saw in the first JSON value of a text. */
struct strict_counts {
	size_t	names;		/* object member names */
	size_t	values;		/* values of any type, the top-level one too */
	size_t	bytes;		/* decoded bytes of every string, names too */
	size_t	end;		/* offset just past the value (0: never ended) */
	int	null_root;	/* the value is the literal null */
};

/*
 * Check the first JSON value of text (len bytes) against the rules json-c
 * does not keep, and that it holds at most max_values values (0: any
 * number), and count it into *c.  Returns 0 or STORE_EINVAL with fault's
 * message "invalid JSON at byte N: what".  Grammar is json-c's to check:
 * text that passes here may still not be JSON.
 */
int strict_check(const char *text, size_t len, size_t max_values,
    struct strict_counts *c, struct fault *fault);

/*
 * Say into fault what the grammar expected at byte pos of text (where
 * json-c stopped: pos == len for the end of the input), as
 * "invalid JSON at byte N: expected ..."; always STORE_EINVAL.
 */
int strict_expected(const char *text, size_t len, size_t pos,
    struct fault *fault);

/* What strict_names reports, in document order. */
enum strict_event {
	STRICT_OPEN,	/* an object begins */
	STRICT_NAME,	/* a member name: start at its '"', n bytes with quotes */
	STRICT_CLOSE	/* the innermost object ends */
};

/*
 * Call fn for each object and member name of a text strict_check and
 * json-c accepted; stop at the first non-zero return and return it.
 */
int strict_names(const char *text, size_t len,
    int (*fn)(void *arg, enum strict_event ev, size_t start, size_t n),
    void *arg);

#endif
