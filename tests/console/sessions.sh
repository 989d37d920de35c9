#!/bin/sh
# Sessions and the preferred presence in the console: sessions opened
# through presence-fcgi's setPresence show in the list as the computed
# presence and in the inspect view with their countdowns, which run
# without a key press; the preferred presence set and cleared in the
# console, and a session cleared there, are what presence-fcgi serves
# next; and the list follows the clock (libfaketime moves the console's
# clock: no hook in the product).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/console/tmux.sh"

tap_init console-sessions
require_console
require_fcgi
require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
if [ -z "$FAKETIME_LIB" ]; then
	for FAKETIME_LIB in /usr/lib/*/faketime/libfaketime.so.1 \
	    /usr/lib/faketime/libfaketime.so.1 ''; do
		[ -f "$FAKETIME_LIB" ] && break
	done
fi
[ -n "$FAKETIME_LIB" ] && [ -f "$FAKETIME_LIB" ] ||
    skip_all "libfaketime not found (install the Debian package faketime)"

DB=$T/db
A=a0000000-0000-4000-8000-00000000000a	# two sessions, a preferred one
B=b0000000-0000-4000-8000-00000000000b	# no session: its base state
fcgi_start --db "$DB" || bail_out "presence-fcgi did not start"
need_token "$DB"
create_via_fcgi Available Available "$A" >/dev/null ||
    bail_out "cannot create through presence-fcgi"
create_via_fcgi DoNotDisturb Presenting "$B" >/dev/null

# post URI BODY: a POST that must answer 200.
post() {
	fcgi_request -t application/json -d "$2" POST "$1"
	[ "$RESP_STATUS" = 200 ] || { resp_diag; bail_out "POST $1: $RESP_STATUS"; }
}

# shows ID: "availability/activity" as presence-fcgi serves ID now.
shows() {
	fcgi_request GET "/users/$1/presence"
	printf '%s/%s\n' "$(json_str availability "$T/resp.body")" \
	    "$(json_str activity "$T/resp.body")"
}

post "/users/$A/presence/setPresence" \
    '{"sessionId":"phone","availability":"Available","activity":"Available","expirationDuration":"PT1H"}'
post "/users/$A/presence/setPresence" \
    '{"sessionId":"desk","availability":"Busy","activity":"InACall"}'
is "$(shows "$A")" Busy/InACall "presence-fcgi aggregates the two sessions"

# The console's clock: real time plus the offset in $T/clock, read on
# every call; its monotonic clock (the poll interval) stays real.
echo +0 >"$T/clock"
CONSOLE_ENV="NO_COLOR=1 LD_PRELOAD=$FAKETIME_LIB FAKETIME_TIMESTAMP_FILE=$T/clock FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 ASAN_OPTIONS=verify_asan_link_order=0"
tmux_start
console_start --db "$DB" || bail_out "presence-console did not start"

# --- the list shows the computed presence -----------------------------------
expect_screen "$A +Busy +InACall " \
    "the list shows what the sessions make of a presence, not its base state"
expect_screen "$B +DoNotDisturb +Presenting " \
    "and the base state of one that never had a session"

# --- inspect: base, sessions, preferred, the result ---------------------------
keys Enter
expect_screen "^ +availability +Busy$" "inspect shows the computed availability"
expect_screen "^ +activity +InACall$" "and activity"
expect_screen "^ +base state +Available/Available$" "the base state as created"
expect_screen "^ +shown from +the active sessions$" "where the values come from"
expect_screen "^ +preferred presence +none$" "no preferred presence yet"
expect_screen "Sessions: 2 active" "the sessions are counted"
expect_screen "^ +phone +Available/Available +Available/Available +[45]m [0-9]{2}s +(59m [0-9]{2}s|1h 00m 00s)$" \
    "the phone's session: its pair, as it reads, time to fade and to expire"
expect_screen "^ +desk +Busy/InACall +Busy/InACall +- +[45]m [0-9]{2}s$" \
    "the desk's: a call does not fade"
expect_screen "^ +sequenceNumber +[0-9a-f]{16}$" "and the sequenceNumber"
expect_screen "^\? Help +d Delete +p Prefer +u Unprefer +Tab Session +x Clear +Esc Back +q Quit$" \
    "the key bar offers the new keys, within 80 columns"
bar_cols=$(screen | tail -n 1 | awk '{ print length($0) }')
ok "the key bar fits 80 columns ($bar_cols)" test "$bar_cols" -le 80
seq_shown=$(screen | sed -n -e 's/^ *sequenceNumber *\([0-9a-f]*\)$/\1/p')
fcgi_request GET "/users/$A/presence"
is "$seq_shown" "$(json_str sequenceNumber "$T/resp.body")" \
    "the one presence-fcgi serves"

# The countdowns run as the console polls, without a key press.
desk_left() {
	screen | sed -n -e 's/^ *desk .* \([0-9]m [0-9]*s\)$/\1/p'
}
left=$(desk_left)
like "$left" '^[45]m [0-9]{2}s$' "the desk's session expires in $left"
counted_down() {
	now_left=$(desk_left)
	[ -n "$now_left" ] && [ "$now_left" != "$left" ]
}
if wait_for 10 counted_down; then
	pass "the countdown moves on by itself: $now_left"
else
	fail "the countdown moves on by itself" "still $(desk_left)"
fi

# --- set and clear the preferred presence -------------------------------------
keys p
expect_screen "^ +presence *$" "p opens the preferred presence form"
expect_screen "Offline/OffWork" "offering Graph's preferred pairs"
type_text "Busy/InACall"
keys Enter
expect_screen "'presence' must be one of Graph's preferred pairs" \
    "a session's pair is refused on the form"
keys C-u
type_text "be"
keys C-n
expect_screen "^ +presence +BeRightBack/BeRightBack$" "^N completes a pair"
keys Tab
type_text "8 hours"
keys Enter
expect_screen "'expires in' must be an ISO 8601 duration" \
    "an expiry that is not a duration is refused"
keys C-u
type_text "PT8H"
keys Enter
expect_screen "set the preferred presence: BeRightBack/BeRightBack" \
    "Enter sets it and goes back to inspect"
expect_screen "^ +preferred presence +BeRightBack/BeRightBack, expires in (8h 00m 00s|7h 59m [0-9]{2}s)$" \
    "inspect shows it with its expiry"
expect_screen "^ +availability +BeRightBack$" "and the result"
is "$(shows "$A")" BeRightBack/BeRightBack \
    "presence-fcgi serves the preferred presence set in the console"

# Export carries the sessions and the preferred presence; import brings
# them back as they were.
"$CONSOLE" --db "$DB" export >"$T/export.jsonl" 2>"$T/export.err" ||
    diag_file "$T/export.err"
line=$(grep -F "\"$A\"" "$T/export.jsonl")
like "$line" '"sessions":\[.*"sessionId":"phone"' "export carries the sessions"
like "$line" '"preferredPresence":\{"availability":"BeRightBack"' \
    "and the preferred presence"
"$CONSOLE" --db "$T/copy" import "$T/export.jsonl" >/dev/null 2>"$T/import.err" ||
    diag_file "$T/import.err"
"$CONSOLE" --db "$T/copy" export >"$T/copy.jsonl" 2>&1
ok "an import brings them back as they were" \
    cmp -s "$T/export.jsonl" "$T/copy.jsonl"

keys u
expect_screen "clear the preferred presence BeRightBack/BeRightBack\? \[y/N\]" \
    "u asks before clearing it"
keys n
expect_screen "kept the preferred presence" "n keeps it"
is "$(shows "$A")" BeRightBack/BeRightBack "presence-fcgi still serves it"
keys u
keys y
expect_screen "cleared the preferred presence BeRightBack/BeRightBack" "y clears it"
expect_screen "^ +preferred presence +none$" "inspect shows none"
is "$(shows "$A")" Busy/InACall "presence-fcgi serves the sessions again"

# --- clear a session ----------------------------------------------------------
# The selected session is the one in reverse video; Tab moves it.
selected() {
	screen_attrs | grep -a "$(printf '\033')\[[0-9;]*7[;m]" |
	    grep -Eo '(phone|desk) ' | head -n 1 | tr -d ' '
}
[ "$(selected)" = desk ] || keys Tab
wait_for 5 eval '[ "$(selected)" = desk ]'
is "$(selected)" desk "Tab selects the desk's session"
keys x
expect_screen "clear session 'desk'\? \[y/N\]" "x asks before clearing it"
keys y
expect_screen "cleared session 'desk'" "y clears it"
expect_screen "Sessions: 1 active" "one session is left"
expect_screen "^ +availability +Available$" "the presence shows the phone's"
is "$(shows "$A")" Available/Available "presence-fcgi serves the same"
fcgi_request -t application/json -d '{"sessionId":"desk"}' POST \
    "/users/$A/presence/clearPresence"
is "$RESP_STATUS" 404 "the session is gone for presence-fcgi too"

# --- the clock: fading shows in the list without a key press --------------------
keys Escape
expect_screen "$A +Available +Available " "back in the list"
echo +360 >"$T/clock"
expect_screen "$A +Available +AvailableInacti" \
    "six minutes on the list shows the session faded, by itself"
echo +660 >"$T/clock"
expect_screen "$A +Away +Away " "eleven minutes on, Away"
echo +3660 >"$T/clock"
expect_screen "$A +Offline +Offline " \
    "past its expiry the presence is offline"
keys Enter
expect_screen "^ +shown from +offline: no active session$" \
    "inspect says why"
expect_screen "Sessions: 0 active" "and lists no session"
keys x
expect_screen "no active sessions" "x has nothing to clear"
console_quit q
is "$CONSOLE_STATUS" 0 "q exits with status 0"

# --- read-only ------------------------------------------------------------------
CONSOLE_ENV=NO_COLOR=1
console_start --db "$DB" --read-only || bail_out "presence-console did not start"
keys Enter
expect_screen "^ +base state " "a read-only console inspects"
refuse_screen "p Prefer" "without Prefer in the key bar"
refuse_screen "x Clear" "or Clear (a session)"
keys p
expect_screen "the database is open read-only" "p is refused"
keys x
expect_screen "the database is open read-only" "x is refused"
console_quit q

tmux_stop
done_testing
