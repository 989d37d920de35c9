/* presence-fcgi's log lines on stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define LOG_PREFIX	"presence-fcgi: "
#define LOG_LINE_MAX	1024	/* longer lines end in "..." */

/* Log one line, written whole. */
void
log_vwarn(const char *fmt, va_list ap)
{
	char	line[LOG_LINE_MAX];
	size_t	len = sizeof LOG_PREFIX - 1;
	int	n;

	memcpy(line, LOG_PREFIX, len);
	n = vsnprintf(line + len, sizeof line - len - 1, fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof line - len - 1) {
		len = sizeof line - 4;
		memcpy(line + len - 3, "...", 3);
	} else
		len += (size_t)n;
	line[len++] = '\n';
	/* Nothing can be done about a log that cannot be written. */
	if (write(STDERR_FILENO, line, len) < 0)
		return;
}

/* Log one line. */
void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwarn(fmt, ap);
	va_end(ap);
}

/* Log one line and exit with status. */
void
log_die(int status, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}
