/*
 * presence-fcgi's log: one line per event on stderr, which the web server
 * or systemd keeps.  Each line is written whole, with a single write, so
 * the lines of concurrent threads never interleave.  A line written while
 * serving a request names it: "presence-fcgi: [request-id ID] text", ID
 * being the response's request-id header.  When stderr is the journal
 * (JOURNAL_STREAM names it), each line starts with its priority, "<3>",
 * "<4>" or "<6>", as sd-daemon(3) describes.
 */
#ifndef PRESENCE_FCGI_LOG_H
#define PRESENCE_FCGI_LOG_H

#include <stdarg.h>

/* A line's priority: syslog's numbers, which the journal reads. */
enum log_priority {
	LOG_PRIO_ERROR = 3,	/* something failed */
	LOG_PRIO_WARNING = 4,	/* something works, but needs attention */
	LOG_PRIO_INFO = 6	/* something happened, as it should */
};

/* Find out once, at start-up, whether stderr is the journal. */
void log_init(void);

/*
 * What starts a line at priority: "<N>" when stderr is the journal, or
 * "", for a line that must be written without log_vline (in a signal
 * handler).
 */
const char *log_priority_prefix(enum log_priority prio);

/* Log one line at priority; request_id NULL or "": tied to no request. */
void log_vline(enum log_priority prio, const char *request_id,
    const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

/* Log one line at priority, tied to no request. */
void log_at(enum log_priority prio, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Log one line at priority about the request with request_id. */
void log_request(const char *request_id, enum log_priority prio,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Log one failure, "presence-fcgi: " and the formatted text. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* log_warn with a va_list. */
void log_vwarn(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

/* Log one failure and exit with status. */
void log_die(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

#endif
