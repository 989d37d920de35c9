/* The inspect view's model: one presence, what it shows now, its sessions. */
#include <stdio.h>
#include <string.h>

#include "detail.h"

/* Start a detail over st. */
void
detail_init(struct detail *d, struct store *st, int read_only)
{
	memset(d, 0, sizeof *d);
	d->st = st;
	d->read_only = read_only;
	d->rc = STORE_ENOTFOUND;
}

/* Set or clear the status. */
void
detail_set_status(struct detail *d, enum status_code code, const char *arg)
{
	d->status = code;
	snprintf(d->status_arg, sizeof d->status_arg, "%s",
	    arg != NULL ? arg : "");
}

/* The active session with id, as an index into d->active, or -1. */
static long
detail_find(const struct detail *d, const char *id)
{
	size_t	i;

	for (i = 0; i < d->nactive; i++)
		if (strcmp(d->p.sessions[d->active[i]].id, id) == 0)
			return (long)i;
	return -1;
}

/* Note the sessions not expired at d->now and keep the selection on one. */
static void
detail_collect(struct detail *d)
{
	size_t	i;

	d->nactive = 0;
	for (i = 0; d->rc == 0 && i < d->p.nsessions; i++)
		if (session_phase(&d->p.sessions[i], d->now, NULL, NULL) !=
		    SESSION_EXPIRED)
			d->active[d->nactive++] = i;
	if (d->session[0] != '\0' && detail_find(d, d->session) >= 0)
		return;
	if (d->nactive > 0)
		snprintf(d->session, sizeof d->session, "%s",
		    d->p.sessions[d->active[0]].id);
	else
		d->session[0] = '\0';
}

/* Read the presence with id and compute what it shows at now. */
int
detail_load(struct detail *d, const char *id, int64_t now)
{
	int	rc;

	if (strcmp(d->id, id) != 0) {
		snprintf(d->id, sizeof d->id, "%s", id);
		d->session[0] = '\0';
		d->ask = DETAIL_ASK_NONE;
	}
	d->now = now;
	rc = store_get(d->st, d->id, &d->p);
	if (rc != 0 && rc != STORE_ENOTFOUND) {
		d->rc = STORE_ENOTFOUND;
		d->nactive = 0;
		return rc;
	}
	d->rc = rc;
	if (rc == 0)
		presence_view(&d->p, now, &d->view);
	detail_collect(d);
	return 0;
}

/* Move the selection step sessions, wrapping. */
void
detail_select(struct detail *d, int step)
{
	long	at, n = (long)d->nactive;

	if (n == 0) {
		detail_set_status(d, STATUS_NO_SESSIONS, "");
		return;
	}
	at = detail_find(d, d->session);
	at = at < 0 ? 0 : (at + n + (step < 0 ? -1 : 1)) % n;
	snprintf(d->session, sizeof d->session, "%s",
	    d->p.sessions[d->active[at]].id);
}

/* Write a pair as "availability/activity". */
static void
detail_pair(const char *availability, const char *activity,
    char out[DETAIL_PAIR_LEN])
{
	snprintf(out, DETAIL_PAIR_LEN, "%s/%s", availability, activity);
}

/* The time from now to at, as a countdown, or "-" when at is 0. */
static void
detail_until(const struct detail *d, int64_t at, char span[DETAIL_SPAN_LEN])
{
	if (at == 0)
		snprintf(span, DETAIL_SPAN_LEN, "-");
	else
		detail_span(at - d->now, span);
}

/* Fill *row for active session number i. */
void
detail_row(const struct detail *d, size_t i, struct detail_row *row)
{
	const struct presence_session	*s = &d->p.sessions[d->active[i]];
	const char			*avail = "", *act = "";
	int64_t				 fade = 0;

	memset(row, 0, sizeof *row);
	row->id = s->id;
	row->selected = strcmp(s->id, d->session) == 0;
	if (s->pair < SESSION_NPAIRS)
		detail_pair(session_pairs[s->pair].availability,
		    session_pairs[s->pair].activity, row->set);
	switch (session_phase(s, d->now, &avail, &act)) {
	case SESSION_ACTIVE:	fade = session_fades_at(s); break;
	case SESSION_INACTIVE:	fade = session_away_at(s); break;
	default:		break;
	}
	detail_pair(avail, act, row->shows);
	detail_until(d, fade, row->fades);
	detail_until(d, s->expires, row->expires);
}

/* The preferred presence and the time until it expires; 0 when none. */
int
detail_preferred(const struct detail *d, char pair[DETAIL_PAIR_LEN],
    char span[DETAIL_SPAN_LEN])
{
	const struct presence_preferred	*pr = &d->p.preferred;

	pair[0] = span[0] = '\0';
	if (d->rc != 0 || !pr->set || pr->pair >= PREFERRED_NPAIRS ||
	    d->now >= pr->expires)
		return 0;
	detail_pair(preferred_pairs[pr->pair].availability,
	    preferred_pairs[pr->pair].activity, pair);
	detail_span(pr->expires - d->now, span);
	return 1;
}

/* The time to the view's next clock event, or "-". */
void
detail_next_event(const struct detail *d, char span[DETAIL_SPAN_LEN])
{
	detail_until(d, d->rc == 0 ? d->view.next_event : 0, span);
}

/* Where the view's values come from, in words. */
const char *
detail_source(const struct detail *d)
{
	switch (d->view.source) {
	case PRESENCE_FROM_BASE:
		return "the base state: no session yet";
	case PRESENCE_FROM_SESSIONS:
		return "the active sessions";
	case PRESENCE_FROM_PREFERRED:
		return "the preferred presence, over the sessions";
	case PRESENCE_FROM_OFFLINE:
		return "offline: no active session";
	}
	return "";
}

/* Ask to clear the preferred presence. */
void
detail_ask_unprefer(struct detail *d)
{
	char	pair[DETAIL_PAIR_LEN], span[DETAIL_SPAN_LEN];

	d->ask = DETAIL_ASK_NONE;
	if (d->read_only)
		detail_set_status(d, STATUS_READ_ONLY, NULL);
	else if (d->rc != 0)
		detail_set_status(d, STATUS_GONE, d->id);
	else if (!detail_preferred(d, pair, span))
		detail_set_status(d, STATUS_NO_PREFERRED, "");
	else {
		d->ask = DETAIL_ASK_UNPREFER;
		detail_set_status(d, STATUS_UNPREFER_CONFIRM, pair);
	}
}

/* Ask to clear the selected session. */
void
detail_ask_session(struct detail *d)
{
	d->ask = DETAIL_ASK_NONE;
	if (d->read_only)
		detail_set_status(d, STATUS_READ_ONLY, NULL);
	else if (d->rc != 0)
		detail_set_status(d, STATUS_GONE, d->id);
	else if (d->session[0] == '\0')
		detail_set_status(d, STATUS_NO_SESSIONS, "");
	else {
		d->ask = DETAIL_ASK_SESSION;
		snprintf(d->asked, sizeof d->asked, "%s", d->session);
		detail_set_status(d, STATUS_SESSION_CONFIRM, d->asked);
	}
}

/* Answer the pending question; then read the presence again at now. */
int
detail_answer(struct detail *d, int yes, int64_t now)
{
	enum detail_ask	ask = d->ask;
	char		pair[DETAIL_PAIR_LEN], span[DETAIL_SPAN_LEN];
	int		rc = 0;

	d->ask = DETAIL_ASK_NONE;
	if (ask == DETAIL_ASK_NONE)
		return 0;
	if (!detail_preferred(d, pair, span))
		pair[0] = '\0';
	if (!yes)
		detail_set_status(d, ask == DETAIL_ASK_SESSION ?
		    STATUS_KEPT_SESSION : STATUS_KEPT_PREFERRED,
		    ask == DETAIL_ASK_SESSION ? d->asked : pair);
	else if (ask == DETAIL_ASK_SESSION)
		rc = store_session_clear(d->st, d->id, d->asked);
	else
		rc = store_preferred_clear(d->st, d->id);
	if (yes && rc == 0)
		detail_set_status(d, ask == DETAIL_ASK_SESSION ?
		    STATUS_SESSION_CLEARED : STATUS_UNPREFERRED,
		    ask == DETAIL_ASK_SESSION ? d->asked : pair);
	else if (rc == STORE_ENOSESSION)
		detail_set_status(d, STATUS_SESSION_GONE, d->asked);
	else if (rc == STORE_ENOTFOUND)
		detail_set_status(d, STATUS_GONE, d->id);
	else if (rc != 0)
		return rc;
	return detail_load(d, d->id, now);
}

/* A remaining time as a countdown, whole seconds rounded up. */
void
detail_span(int64_t ms, char span[DETAIL_SPAN_LEN])
{
	int64_t	s = ms > 0 ? (ms + 999) / 1000 : 0;
	int64_t	days = s / 86400, h = s / 3600 % 24, m = s / 60 % 60;

	s %= 60;
	if (days > 0)
		snprintf(span, DETAIL_SPAN_LEN, "%lldd %02lldh %02lldm %02llds",
		    (long long)days, (long long)h, (long long)m, (long long)s);
	else if (h > 0)
		snprintf(span, DETAIL_SPAN_LEN, "%lldh %02lldm %02llds",
		    (long long)h, (long long)m, (long long)s);
	else if (m > 0)
		snprintf(span, DETAIL_SPAN_LEN, "%lldm %02llds", (long long)m,
		    (long long)s);
	else
		snprintf(span, DETAIL_SPAN_LEN, "%llds", (long long)s);
}
