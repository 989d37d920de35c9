/* The presence a read shows at an instant: the one place of the rules. */
#include <string.h>

#include "presence.h"
#include "session.h"

/* The phase of a session at now, and the pair it reads as. */
enum session_phase
session_phase(const struct presence_session *s, int64_t now,
    const char **availability, const char **activity)
{
	(void)s;
	(void)now;
	(void)availability;
	(void)activity;
	return SESSION_EXPIRED;
}

/* When s fades to AvailableInactive, or 0. */
int64_t
session_fades_at(const struct presence_session *s)
{
	(void)s;
	return 0;
}

/* When s falls to Away, or 0. */
int64_t
session_away_at(const struct presence_session *s)
{
	(void)s;
	return 0;
}

/* Compute what p shows at now. */
void
presence_view(const struct presence *p, int64_t now,
    struct presence_view *out)
{
	(void)now;
	memset(out, 0, sizeof *out);
	memcpy(out->availability, p->availability, sizeof out->availability);
	memcpy(out->activity, p->activity, sizeof out->activity);
	out->sequence = p->sequence;
}

/* Drop what has expired at now. */
void
presence_prune(struct presence *p, int64_t now)
{
	(void)p;
	(void)now;
}
