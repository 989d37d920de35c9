/*
 * The actions bound to a presence (setPresence, clearPresence,
 * setUserPreferredPresence, clearUserPreferredPresence, setStatusMessage,
 * setManualLocation, setAutomaticLocation, clearAutomaticLocation,
 * clearLocation) and
 * getPresencesByUserId: handlers of an exchange, like handler.c's.
 */
#ifndef PRESENCE_FCGI_ACTIONS_H
#define PRESENCE_FCGI_ACTIONS_H

#include "exchange.h"

/*
 * POST on one of the three paths of a presence, to the action the route
 * names; the four work-location actions only on /me/presence (400 on the
 * other two, first of all, as Graph no longer serves them there).  The
 * caller's scope is checked against the presence the path
 * names (403) before its body is looked at or the presence looked up;
 * then the body's type and length (415, 411, 400, 413), the body (400
 * naming the parameter), the presence (404) and, for clearPresence, the
 * session (404).  Success is 200 with an empty body and no Content-Type,
 * once the change is committed.
 */
void action_serve(struct exchange *x);

/*
 * POST /communications/getPresencesByUserId: what each known id shows,
 * in request order, each id once, read in one transaction.  Needs
 * Presence.Read.All or Presence.ReadWrite.All (403 before the body is
 * read).
 */
void action_get_many(struct exchange *x);

#endif
