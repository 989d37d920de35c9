#!/bin/sh
# What a presence shows as time passes, through the real presence-fcgi
# whose clock libfaketime moves (no hook in the product): an Available
# session fading to AvailableInactive after 5 minutes and to Away after
# 10, sessions expiring (the default 5 minutes, or their
# expirationDuration), aggregation across fading sessions, a preferred
# presence running out (its own duration, the 1-day and 7-day defaults),
# Offline once the last session is gone, a status message running out at
# its expiry in a named zone (and one without expiry staying), and
# sequenceNumber growing with every change the clock makes, and only then.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_fcgi_console
require_faketime
tap_init blackbox-clock

COLL=/communications/presences
A=aaaaaaaa-0000-4000-8000-00000000000a	# one session fading, expiring
B=bbbbbbbb-0000-4000-8000-00000000000b	# the default 5 minutes
C=cccccccc-0000-4000-8000-00000000000c	# aggregation across fading
D=dddddddd-0000-4000-8000-00000000000d	# the preferred presence
E=eeeeeeee-0000-4000-8000-00000000000e	# no session ever
F=ffffffff-0000-4000-8000-00000000000f	# status messages

mkdir "$T/db" || bail_out "cannot create the database directory"
need_token "$T/db"

# The responder's clock: real time plus the offset in $T/clock.
fcgi_start_faked --db "$T/db" ||
    bail_out "presence-fcgi did not start under libfaketime"

# at MINUTES: move the responder's clock to MINUTES after the start.
at() {
	echo "+$(($1 * 60))" >"$T/clock"
	NOW=$1
}

# post URI BODY
post() {
	fcgi_request -t application/json -d "$2" POST "$1"
	[ "$RESP_STATUS" = 200 ] || [ "$RESP_STATUS" = 201 ] ||
	    { fail "POST $1 at $NOW min: 2xx" "body: $2"; resp_diag; }
}

# session ID SID AVAILABILITY ACTIVITY [DURATION]: setPresence.
session() {
	post "$COLL/$1/setPresence" '{"sessionId":"'"$2"'","availability":"'"$3"'","activity":"'"$4"'"'"${5:+,\"expirationDuration\":\"$5\"}"'}'
}

# shows ID: "availability/activity" of a GET of ID now; SEQ is its number.
shows() {
	fcgi_request GET "$COLL/$1"
	SEQ=$(json_str sequenceNumber "$T/resp.body")
	printf '%s/%s\n' "$(json_str availability "$T/resp.body")" \
	    "$(json_str activity "$T/resp.body")"
}

# check ID WANT WHAT: ID shows WANT now (SEQ: its number).
check() {
	shows "$1" >"$T/shows"
	is "$(cat "$T/shows")" "$2" "at $NOW min: $3: $2" || resp_diag
}

# grows OLD NEW WHAT / same OLD NEW WHAT: sequence numbers compared as
# strings (their order is version order).
grows() {
	if awk -v a="$1" -v b="$2" 'BEGIN { exit !((a "") < (b "")) }'; then
		pass "at $NOW min: $3: sequenceNumber grows"
	else
		fail "at $NOW min: $3: sequenceNumber grows" "from '$1' to '$2'"
	fi
}
same() {
	is "$2" "$1" "at $NOW min: $3: sequenceNumber unchanged"
}

for id in $A $B $C $D $E $F; do
	post "$COLL" '{"id":"'"$id"'","availability":"Base","activity":"State"}'
done

# --- minute 0 ---------------------------------------------------------------------
at 0
check $E Base/State "no session ever: the base state"
E0=$SEQ
check $A Base/State "before any session: the base state"
A0=$SEQ
session $A s1 Available Available PT1H
check $A Available/Available "a new Available session"
A1=$SEQ
grows "$A0" "$A1" "setPresence"
session $B s1 Busy InACall
check $B Busy/InACall "a Busy session with the default duration"
session $C a Available Available PT4H
session $C b Away Away PT4H
check $C Available/Available "Available and Away sessions"
session $D s1 Away Away PT4H
post "$COLL/$D/setUserPreferredPresence" \
    '{"availability":"Busy","activity":"Busy","expirationDuration":"PT1H"}'
check $D Busy/Busy "a preferred presence over a session"
D0=$SEQ

# --- minute 4: nothing has happened yet --------------------------------------------
at 4
check $A Available/Available "4 minutes unrefreshed: still Available"
same "$A1" "$SEQ" "no clock event yet"
check $B Busy/InACall "4 minutes into 5: still there"
check $E Base/State "no session ever"
same "$E0" "$SEQ" "no session ever"

# --- minute 6: fading and the default expiry ------------------------------------------
at 6
check $A Available/AvailableInactive "5 minutes unrefreshed: AvailableInactive"
A2=$SEQ
grows "$A1" "$A2" "the fade"
check $B Offline/Offline "the default 5 minutes ran out: Offline"
fcgi_request -t application/json -d '{"sessionId":"s1"}' \
    POST "$COLL/$B/clearPresence"
is "$RESP_STATUS" 404 "at $NOW min: clearPresence of an expired session: 404"
check $C Available/AvailableInactive \
    "a fading Available session still beats Away"
fcgi_request GET "$COLL/$A"
same "$A2" "$(json_str sequenceNumber "$T/resp.body")" "read twice"

# --- minute 11: Away ----------------------------------------------------------------------
at 11
check $A Away/Away "10 minutes unrefreshed: Away"
A3=$SEQ
grows "$A2" "$A3" "the fall to Away"
check $C Away/Away "both sessions Away"
C1=$SEQ
session $C c Busy InAConferenceCall
check $C Busy/InAConferenceCall "a new Busy session beats the faded one"
C2=$SEQ
grows "$C1" "$C2" "setPresence"
session $A s1 Available Available PT1H
check $A Available/Available "a refresh: Available again"
A4=$SEQ
grows "$A3" "$A4" "the refresh"
fcgi_request -t application/json -d '{"ids":["'"$A"'","'"$B"'","'"$C"'"]}' \
    POST /communications/getPresencesByUserId
like "$(json_compact "$T/resp.body")" \
    '"availability":"Available","activity":"Available".*"availability":"Offline","activity":"Offline".*"availability":"Busy","activity":"InAConferenceCall"' \
    "at $NOW min: getPresencesByUserId answers what each shows now"

# --- minutes 17 to 22 -----------------------------------------------------------------------
at 17
check $C Away/Away "the Busy session expired (5 minutes): Away again"
grows "$C2" "$SEQ" "the expiry"
check $A Available/AvailableInactive "5 minutes after the refresh"
A5=$SEQ
grows "$A4" "$A5" "the fade after the refresh"
at 22
check $A Away/Away "10 minutes after the refresh"
grows "$A5" "$SEQ" "the fall to Away after the refresh"
A6=$SEQ

# --- the preferred presence --------------------------------------------------------------
at 30
check $D Busy/Busy "the preferred presence within its hour"
D1=$SEQ
same "$D0" "$D1" "the preferred presence, no event yet"
at 61
check $D Away/Away "the preferred presence ran out: the session shows"
grows "$D1" "$SEQ" "the preferred presence's expiry"
post "$COLL/$D/setUserPreferredPresence" \
    '{"availability":"DoNotDisturb","activity":"DoNotDisturb"}'
check $D DoNotDisturb/DoNotDisturb "a preferred presence, no duration"

# --- minute 72: the last session expires ---------------------------------------------
at 72
check $A Offline/Offline "the session's hour after its refresh ran out: Offline"
A7=$SEQ
grows "$A6" "$A7" "the expiry"
at 100
check $A Offline/Offline "Offline stays"
same "$A7" "$SEQ" "Offline stays"
session $A s2 Busy InACall PT5M
check $A Busy/InACall "a new session after Offline"

# --- a day: the preferred presence's defaults ------------------------------------------
at 241
check $D Offline/Offline \
    "the session expired: Offline, though a preferred presence is set"
at 1400
session $D s1 Away Away PT4H
check $D DoNotDisturb/DoNotDisturb \
    "a new session: the preferred presence shows again, within its day"
at 1502
check $D Away/Away "DoNotDisturb's default of 1 day ran out"
post "$COLL/$D/setUserPreferredPresence" \
    '{"availability":"BeRightBack","activity":"BeRightBack"}'
at 1530
session $D s1 Busy InACall PT4H
check $D BeRightBack/BeRightBack "BeRightBack, no duration: in force"
at 11500
session $D s1 Busy InACall PT4H
check $D BeRightBack/BeRightBack "BeRightBack: in force after 6 days"
at 11600
check $D Busy/InACall "BeRightBack's default of 7 days ran out"
check $E Base/State "no session ever, a week later"
same "$E0" "$SEQ" "no session ever, a week later"

# --- a status message's expiry, in a zone -------------------------------------------

# local_time ZONE MINUTES: the wall time in ZONE at MINUTES after the
# start, as the responder's clock will read it (real time plus the offset).
local_time() {
	TZ=$1 date -d "@$(($(date +%s) + $2 * 60))" +%Y-%m-%dT%H:%M:%S
}

# status_is ID WANT WHAT: the content of ID's status message now (null
# for none) is WANT; SEQ its number.
status_is() {
	status "$1" >"$T/status"
	is "$(cat "$T/status")" "$2" "at $NOW min: $3" || resp_diag
}

# status ID: the content of ID's status message now, or null.
status() {
	fcgi_request GET "$COLL/$1"
	SEQ=$(json_str sequenceNumber "$T/resp.body")
	json_compact "$T/resp.body" | sed -n -e \
	    's/.*"statusMessage":{"message":{"content":"\([^"]*\)".*/\1/p' \
	    -e 's/.*"statusMessage":null.*/null/p'
}

at 11600
post "$COLL/$F/setStatusMessage" '{"statusMessage":{"message":{"content":"lunch"},"expiryDateTime":{"dateTime":"'"$(local_time Europe/Berlin 11630)"'","timeZone":"Europe/Berlin"}}}'
status_is $F lunch "a message expiring in 30 minutes (Berlin time)"
F0=$SEQ
at 11629
status_is $F lunch "still shown a minute before"
same "$F0" "$SEQ" "before the expiry"
at 11631
status_is $F null "gone a minute after: statusMessage null"
grows "$F0" "$SEQ" "the message expired"
F1=$SEQ
at 11700
status_is $F null "and stays gone"
same "$F1" "$SEQ" "nothing else happened"
post "$COLL/$F/setStatusMessage" '{"statusMessage":{"message":{"content":"west"},"expiryDateTime":{"dateTime":"'"$(local_time America/Los_Angeles 11760)"'","timeZone":"Pacific Standard Time"}}}'
at 11759
status_is $F west "a Windows zone's expiry, not yet"
at 11761
status_is $F null "a Windows zone's expiry, passed"
post "$COLL/$F/setStatusMessage" '{"statusMessage":{"message":{"content":"forever"}}}'
at 50000
status_is $F forever "a message without expiry stays"

done_testing
