/* The status line's messages, from one table. */
#include <stdio.h>

#include "status.h"

static const struct {
	int		 error;
	const char	*message;
} status_table[] = {
#define STATUS_ENTRY(code, error, message) { error, message },
	STATUS_CODES(STATUS_ENTRY)
#undef STATUS_ENTRY
};

/* Write the message for code, with arg in place of its %s, into out. */
void
status_format(enum status_code code, const char *arg, char *out, size_t size)
{
	if (size == 0)
		return;
	if ((size_t)code >= sizeof status_table / sizeof status_table[0] ||
	    snprintf(out, size, status_table[code].message,
	    arg != NULL ? arg : "") < 0)
		out[0] = '\0';
}

/* Whether code reports an error. */
int
status_is_error(enum status_code code)
{
	if ((size_t)code >= sizeof status_table / sizeof status_table[0])
		return 1;
	return status_table[code].error;
}
