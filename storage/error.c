/* Messages for the storage error codes, and the faults input is refused with. */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"

/* The message for a STORE_E* code: a static string, never NULL. */
const char *
store_strerror(int err)
{
	switch (err) {
#define STORE_ERROR_CASE(name, value, message) case name: return message;
	STORE_ERRORS(STORE_ERROR_CASE)
#undef STORE_ERROR_CASE
	}
	return "unknown storage error";
}

/* Whether err says data.mdb itself is damaged. */
int
store_error_is_damage(int err)
{
	return err == STORE_ESHORT || err == STORE_EBADMETA ||
	    err == STORE_EBADROOT || err == STORE_ECORRUPT;
}

/* Fill fault (when not NULL) with a property and a formatted message. */
void
fault_set(struct fault *fault, const char *property, const char *fmt, ...)
{
	va_list	ap;

	if (fault == NULL)
		return;
	fault->property = property;
	va_start(ap, fmt);
	if (vsnprintf(fault->message, sizeof fault->message, fmt, ap) < 0)
		fault->message[0] = '\0';
	va_end(ap);
}
