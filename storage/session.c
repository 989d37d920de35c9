/* Sessions, the preferred presence, and the presence a read shows. */
#include <string.h>

#include "error.h"
#include "presence.h"
#include "session.h"

const struct presence_pair session_pairs[SESSION_NPAIRS] = {
	{ "Available", "Available" },
	{ "Busy", "InACall" },
	{ "Busy", "InAConferenceCall" },
	{ "Away", "Away" },
	{ "DoNotDisturb", "Presenting" },
};

const struct presence_pair preferred_pairs[PREFERRED_NPAIRS] = {
	{ "Available", "Available" },
	{ "Busy", "Busy" },
	{ "DoNotDisturb", "DoNotDisturb" },
	{ "BeRightBack", "BeRightBack" },
	{ "Away", "Away" },
	{ "Offline", "OffWork" },
};

/* The index of a pair in a table of n, or -1. */
static int
session_table_find(const struct presence_pair *t, int n,
    const char *availability, const char *activity)
{
	int	i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].availability, availability) == 0 &&
		    (activity == NULL || strcmp(t[i].activity, activity) == 0))
			return i;
	return -1;
}

/* The index of a setPresence pair, or -1. */
int
session_pair_find(const char *availability, const char *activity)
{
	return session_table_find(session_pairs, SESSION_NPAIRS,
	    availability, activity);
}

/* The index of a setUserPreferredPresence pair, or -1. */
int
preferred_pair_find(const char *availability, const char *activity)
{
	return session_table_find(preferred_pairs, PREFERRED_NPAIRS,
	    availability, activity);
}

/* Whether some setPresence pair has this availability. */
int
session_pair_has_availability(const char *availability)
{
	return session_table_find(session_pairs, SESSION_NPAIRS,
	    availability, NULL) >= 0;
}

/* Whether some setUserPreferredPresence pair has this availability. */
int
preferred_pair_has_availability(const char *availability)
{
	return session_table_find(preferred_pairs, PREFERRED_NPAIRS,
	    availability, NULL) >= 0;
}

/* Whether id may be a sessionId. */
int
session_id_valid(const char *id, size_t len)
{
	size_t	i;

	if (len == 0 || len > SESSION_ID_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (id[i] < 0x20 || id[i] > 0x7e)
			return 0;
	return 1;
}
