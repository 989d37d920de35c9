/* presence-fcgi's log lines on stderr. */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define LOG_PREFIX	"presence-fcgi: "
#define LOG_LINE_MAX	1024	/* longer lines end in "..." */

/* Whether stderr is the journal: set once by log_init, before threads. */
static int	log_journal;

/*
 * Parse a decimal number ending at end (one of its characters); -1 when
 * there is none or it overflows.
 */
static int
parse_number(const char *s, char end, const char **rest,
    unsigned long long *out)
{
	char	*stop;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &stop, 10);
	if (errno != 0 || *stop != end)
		return -1;
	*rest = stop;
	return 0;
}

/* Find out once whether JOURNAL_STREAM names stderr ("DEV:INODE"). */
void
log_init(void)
{
	const char		*s = getenv("JOURNAL_STREAM");
	unsigned long long	 dev, ino;
	struct stat		 st;

	log_journal = 0;
	if (s == NULL || parse_number(s, ':', &s, &dev) != 0 ||
	    parse_number(s + 1, '\0', &s, &ino) != 0)
		return;
	if (fstat(STDERR_FILENO, &st) != 0)
		return;
	log_journal = (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

/* "<N>" when stderr is the journal, or "". */
const char *
log_priority_prefix(enum log_priority prio)
{
	if (!log_journal)
		return "";
	switch (prio) {
	case LOG_PRIO_ERROR:
		return "<3>";
	case LOG_PRIO_WARNING:
		return "<4>";
	case LOG_PRIO_INFO:
		return "<6>";
	}
	return "<3>";
}

/* Log one line at priority, about request_id unless NULL or ""; whole. */
void
log_vline(enum log_priority prio, const char *request_id, const char *fmt,
    va_list ap)
{
	char		 line[LOG_LINE_MAX];
	const char	*pri = log_priority_prefix(prio);
	size_t		 len = strlen(pri);
	int		 n;

	memcpy(line, pri, len);
	memcpy(line + len, LOG_PREFIX, sizeof LOG_PREFIX - 1);
	len += sizeof LOG_PREFIX - 1;
	if (request_id != NULL && request_id[0] != '\0') {
		/* A request id is a GUID: it always fits. */
		n = snprintf(line + len, sizeof line - len - 1,
		    "[request-id %.40s] ", request_id);
		if (n > 0)
			len += (size_t)n;
	}
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

/* Log one line at priority, tied to no request. */
void
log_at(enum log_priority prio, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vline(prio, NULL, fmt, ap);
	va_end(ap);
}

/* Log one line at priority about the request with request_id. */
void
log_request(const char *request_id, enum log_priority prio,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vline(prio, request_id, fmt, ap);
	va_end(ap);
}

/* Log one failure. */
void
log_vwarn(const char *fmt, va_list ap)
{
	log_vline(LOG_PRIO_ERROR, NULL, fmt, ap);
}

/* Log one failure. */
void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vline(LOG_PRIO_ERROR, NULL, fmt, ap);
	va_end(ap);
}

/* Log one failure and exit with status. */
void
log_die(int status, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vline(LOG_PRIO_ERROR, NULL, fmt, ap);
	va_end(ap);
	exit(status);
}
