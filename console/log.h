/*
 * presence-console's messages to the operator on stderr, each one line
 * starting "presence-console: ".  The interactive console gives the
 * terminal back before it prints one (ui.c).
 */
#ifndef PRESENCE_CONSOLE_LOG_H
#define PRESENCE_CONSOLE_LOG_H

#include <stdarg.h>

/* Print one line. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* log_warn with a va_list. */
void log_vwarn(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

/* Print one line and exit with status. */
void log_die(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

#endif
