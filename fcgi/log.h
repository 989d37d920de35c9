/*
 * presence-fcgi's log: one line per event on stderr, which the web server
 * or systemd keeps.  Each line is written whole, with a single write, so
 * the lines of concurrent threads never interleave.
 */
#ifndef PRESENCE_FCGI_LOG_H
#define PRESENCE_FCGI_LOG_H

#include <stdarg.h>

/* Log one line, "presence-fcgi: " and the formatted text. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* log_warn with a va_list. */
void log_vwarn(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

/* Log one line and exit with status. */
void log_die(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

#endif
