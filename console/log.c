/* presence-console's one-line messages on stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

/* Print one line. */
void
log_vwarn(const char *fmt, va_list ap)
{
	fputs("presence-console: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Print one line. */
void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwarn(fmt, ap);
	va_end(ap);
}

/* Print one line and exit with status. */
void
log_die(int status, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}
