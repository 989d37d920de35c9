/* A tiny TAP producer for the C unit tests (header only). */
#ifndef PRESENCE_TESTS_TAP_H
#define PRESENCE_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count;
static int tap_failed;

/* Report one test point; returns cond so callers can stop early. */
static inline int __attribute__((format(printf, 4, 5)))
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...)	tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Compare integers and show both on failure. */
#define is_int(got, want, ...) do {					\
	long long tap_g_ = (long long)(got), tap_w_ = (long long)(want);\
	if (!ok(tap_g_ == tap_w_, __VA_ARGS__))				\
		printf("#   got %lld, want %lld\n", tap_g_, tap_w_);	\
} while (0)

/* Compare strings and show both on failure. */
#define is_str(got, want, ...) do {					\
	const char *tap_g_ = (got), *tap_w_ = (want);			\
	if (!ok(tap_g_ && tap_w_ && strcmp(tap_g_, tap_w_) == 0,	\
	    __VA_ARGS__))						\
		printf("#   got '%s'\n#  want '%s'\n",			\
		    tap_g_ ? tap_g_ : "(null)", tap_w_ ? tap_w_ : "(null)");\
} while (0)

/* Stop the whole test with a reason (setup failed). */
#define tap_bail(...) do {						\
	printf("Bail out! ");						\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	exit(99);							\
} while (0)

/* Print the plan and return the exit status for main. */
static inline int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
