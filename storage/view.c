/* The presence a read shows at an instant: the one place of the rules. */
#include <stdio.h>
#include <string.h>

#include "presence.h"
#include "session.h"

/* The phase of a session at now, and the pair it reads as. */
enum session_phase
session_phase(const struct presence_session *s, int64_t now,
    const char **availability, const char **activity)
{
	const struct presence_pair	*pair = &session_pairs[s->pair];
	enum session_phase		 phase = SESSION_ACTIVE;
	const char			*av = pair->availability;
	const char			*ac = pair->activity;
	int64_t				 fade = session_fades_at(s);
	int64_t				 away = session_away_at(s);

	if (now >= s->expires) {
		phase = SESSION_EXPIRED;
		av = ac = "Offline";
	} else if (away != 0 && now >= away) {
		phase = SESSION_FADED;
		av = ac = "Away";
	} else if (fade != 0 && now >= fade) {
		phase = SESSION_INACTIVE;
		ac = "AvailableInactive";
	}
	if (availability != NULL)
		*availability = av;
	if (activity != NULL)
		*activity = ac;
	return phase;
}

/* The instant refreshed + after, when s is Available and has not expired. */
static int64_t
session_step_at(const struct presence_session *s, int64_t after)
{
	/* A stored time may be anything: no sum past INT64_MAX. */
	if (s->pair != SESSION_AVAILABLE || s->refreshed > INT64_MAX - after ||
	    s->refreshed + after >= s->expires)
		return 0;
	return s->refreshed + after;
}

/* When s fades to AvailableInactive, or 0. */
int64_t
session_fades_at(const struct presence_session *s)
{
	return session_step_at(s, SESSION_FADE_MS);
}

/* When s falls to Away, or 0. */
int64_t
session_away_at(const struct presence_session *s)
{
	return session_step_at(s, SESSION_AWAY_MS);
}

/* The rank of an availability in the aggregation: higher wins. */
static int
view_rank(const char *availability)
{
	static const char *const order[] = {
		"Away", "Available", "Busy", "DoNotDisturb"
	};
	int	i;

	for (i = 0; i < 4; i++)
		if (strcmp(order[i], availability) == 0)
			return i + 1;
	return 0;
}

/* Copy s into out of size bytes, cut to fit, NUL-terminated. */
static void
view_copy(char *out, size_t size, const char *s)
{
	size_t	len = strnlen(s, size - 1);

	memcpy(out, s, len);
	out[len] = '\0';
}

/* Copy a pair into the view (snprintf cost more than the rest of it). */
static void
view_set(struct presence_view *out, const char *availability,
    const char *activity, enum presence_source source)
{
	view_copy(out->availability, sizeof out->availability, availability);
	view_copy(out->activity, sizeof out->activity, activity);
	out->source = source;
}

/* Count one clock event at e: into k when it lies in (from, now]. */
static void
view_event(int64_t e, int64_t from, int64_t now, uint64_t *k,
    int64_t *next)
{
	if (e == 0)
		return;
	if (e > from && e <= now)
		(*k)++;
	if (e > now && (*next == 0 || e < *next))
		*next = e;
}

/* The clock events of p: how many in (modified, now], and the next one. */
static void
view_events(const struct presence *p, int64_t now, uint64_t *k,
    int64_t *next)
{
	size_t	i;

	*k = 0;
	*next = 0;
	for (i = 0; i < p->nsessions; i++) {
		view_event(session_fades_at(&p->sessions[i]), p->modified, now,
		    k, next);
		view_event(session_away_at(&p->sessions[i]), p->modified, now,
		    k, next);
		view_event(p->sessions[i].expires, p->modified, now, k, next);
	}
	if (p->preferred.set)
		view_event(p->preferred.expires, p->modified, now, k, next);
	if (p->status.set)
		view_event(p->status.expires, p->modified, now, k, next);
}

/*
 * While out of office, the activity an availability reads with: Graph's
 * Available/OutOfOffice, kept for Busy, DoNotDisturb and the rest (a
 * call stays a call) and for appearing offline.
 */
static void
view_out_of_office(struct presence_view *out)
{
	static const char *const away[] = {
		"Available", "AvailableIdle", "Away", "BeRightBack", "Offline"
	};
	size_t	i;

	if (strcmp(out->availability, "Offline") == 0 &&
	    strcmp(out->activity, "OffWork") == 0)
		return;
	for (i = 0; i < sizeof away / sizeof away[0]; i++) {
		if (strcmp(out->availability, away[i]) == 0) {
			view_copy(out->activity, sizeof out->activity,
			    "OutOfOffice");
			return;
		}
	}
}

/* Compute what p shows at now. */
void
presence_view(const struct presence *p, int64_t now,
    struct presence_view *out)
{
	const struct presence_session	*best = NULL;
	const char			*av, *ac, *best_av = NULL;
	const char			*best_ac = NULL;
	uint64_t			 k;
	size_t				 i;
	int				 rank, best_rank = 0;

	memset(out, 0, sizeof *out);
	for (i = 0; i < p->nsessions; i++) {
		const struct presence_session *s = &p->sessions[i];

		if (session_phase(s, now, &av, &ac) == SESSION_EXPIRED)
			continue;
		out->active++;
		rank = view_rank(av);
		if (best == NULL || rank > best_rank || (rank == best_rank &&
		    s->refreshed > best->refreshed)) {
			best = s;
			best_rank = rank;
			best_av = av;
			best_ac = ac;
		}
	}
	if (best != NULL && p->preferred.set && now < p->preferred.expires)
		view_set(out, preferred_pairs[p->preferred.pair].availability,
		    preferred_pairs[p->preferred.pair].activity,
		    PRESENCE_FROM_PREFERRED);
	else if (best != NULL)
		view_set(out, best_av, best_ac, PRESENCE_FROM_SESSIONS);
	else if (p->sessions_seen)
		view_set(out, "Offline", "Offline", PRESENCE_FROM_OFFLINE);
	else
		view_set(out, p->availability, p->activity, PRESENCE_FROM_BASE);
	if (p->ooo.on)
		view_out_of_office(out);
	out->status_shown = p->status.set &&
	    (p->status.expires == 0 || now < p->status.expires);
	out->location = p->manual.set ? NOTE_SOURCE_MANUAL :
	    p->automatic.set ? NOTE_SOURCE_AUTOMATIC : NOTE_SOURCE_NONE;
	view_events(p, now, &k, &out->next_event);
	out->sequence = p->sequence + k;
}

/* Drop what has expired at now. */
void
presence_prune(struct presence *p, int64_t now)
{
	size_t	i, kept = 0;

	for (i = 0; i < p->nsessions; i++)
		if (now < p->sessions[i].expires)
			p->sessions[kept++] = p->sessions[i];
	p->nsessions = kept;
	if (p->preferred.set && now >= p->preferred.expires)
		memset(&p->preferred, 0, sizeof p->preferred);
	if (p->status.set && p->status.expires != 0 &&
	    now >= p->status.expires)
		memset(&p->status, 0, sizeof p->status);
}
