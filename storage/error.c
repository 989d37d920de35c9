/* Messages for the storage error codes. */
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
