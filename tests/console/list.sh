#!/bin/sh
# The list over a live database: records written through presence-fcgi
# show (also while the console is open, without a key press, keeping the
# cursor), inspect shows every property, delete asks y/N, find jumps, and
# stored text is escaped on screen.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/console/tmux.sh"

tap_init console-list
require_console
require_fcgi
require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin

DB=$T/db
fcgi_start --db "$DB" || bail_out "presence-fcgi did not start"
need_token "$DB"
A=$(create_via_fcgi Available InACall 20000000-0000-4000-8000-000000000001) ||
    bail_out "cannot create through presence-fcgi"
B=$(create_via_fcgi Busy InAMeeting 30000000-0000-4000-8000-000000000002)
C=$(create_via_fcgi Away BeRightBack 40000000-0000-4000-8000-000000000003)

tmux_start
CONSOLE_ENV=NO_COLOR=1 console_start --db "$DB" ||
    bail_out "presence-console did not start"

# --- the list shows what the responder wrote --------------------------------
expect_screen "$A +Available +InACall +20[0-9]{2}-" \
    "a record created through presence-fcgi is listed with its values"
expect_screen "$B +Busy +InAMeeting" "the second one"
expect_screen "$C +Away +BeRightBack" "the third one"
expect_screen " 3 presences *$" "the header counts them"
expect_screen "ID +AVAILABILITY +ACTIVITY +LAST MODIFIED" "the column titles"
# A long path keeps its end (make distcheck's build tree is deep).
db_tail=$(printf '%s' "$DB" | tail -c 40)
like "$(screen | sed -n 1p)" "presence-console +[^ ]*$db_tail " \
    "the header names the database"
is "$(cursor_id)" "$A" "the cursor starts on the first record"

# --- no read transaction is held while it waits ----------------------------
# LMDB's reader table lists each open read transaction with its process;
# an idle console must not be in it (a poll's transaction lasts
# microseconds, so one sample of five may catch it).
MDB_STAT=${MDB_STAT:-$(command -v mdb_stat)}
if [ -n "$MDB_STAT" ]; then
	held=0
	for i in 1 2 3 4 5; do
		"$MDB_STAT" -r "$DB" >"$T/readers" 2>&1
		grep -Eq "^ *$CONSOLE_PID " "$T/readers" && held=$((held + 1))
		sleep 0.1
	done
	ok "no read transaction is held while waiting for a key" \
	    test "$held" -le 1
else
	pass "# SKIP mdb_stat not found (install the Debian package lmdb-utils)"
fi

# --- live: writes by the responder appear without a key press --------------
keys j
wait_for 5 cursor_is "$B"
is "$(cursor_id)" "$B" "j moves the cursor down"
B_LINE=$(screen_line_of "$B")
D=$(create_via_fcgi Offline OffWork 10000000-0000-4000-8000-000000000004)
expect_screen "$D +Offline +OffWork" \
    "a record the responder creates meanwhile appears by itself" 3
expect_screen " 4 presences *$" "the count follows"
is "$(cursor_id)" "$B" "the cursor stays on the same record"
is "$(screen_line_of "$B")" "$((B_LINE + 1))" \
    "which moved down a line, as one was inserted before it"
fcgi_request DELETE "/communications/presences/$D"
is "$RESP_STATUS" 204 "the responder deletes it"
if wait_for 3 screen_lacks "$D"; then
	pass "and it disappears by itself"
else
	fail "and it disappears by itself"
fi
is "$(cursor_id)" "$B" "the cursor is still on the same record"

# --- inspect ----------------------------------------------------------------
fcgi_request GET "/communications/presences/$B"
CREATED=$(json_str createdDateTime "$T/resp.body")
SEQ=$(json_str sequenceNumber "$T/resp.body")
keys Enter
expect_screen "^ +id +$B\$" "Enter inspects the selected record"
expect_screen "^ +availability +Busy\$" "its availability"
expect_screen "^ +activity +InAMeeting\$" "its activity"
expect_screen "^ +sequenceNumber +$SEQ\$" "its sequenceNumber, as the API says"
expect_screen "^ +createdDateTime +$CREATED\$" "its createdDateTime"
expect_screen "^ +lastModifiedDateTime +20[0-9-]+T[0-9:.]+Z\$" \
    "its lastModifiedDateTime"
expect_screen "\"@odata.type\": \"#microsoft.graph.presence\"," \
    "and the record as the API returns it"
expect_screen "\"id\": \"$B\"," "with its id"
keys j
expect_screen "^ +id +$C\$" "j in inspect shows the next record"
keys Escape
expect_screen "q Quit" "Esc goes back to the list"
is "$(cursor_id)" "$C" "with the cursor on the record inspected last"

# --- delete asks y/N --------------------------------------------------------
keys d
expect_screen "delete presence $C\\? \\[y/N\\]" "d asks before deleting"
keys n
expect_screen "kept presence $C" "n keeps it"
fcgi_request GET "/communications/presences/$C"
is "$RESP_STATUS" 200 "the responder still serves it"
keys d
expect_screen "\\[y/N\\]" "d asks again"
keys Enter
expect_screen "kept presence $C" "Enter (the default) keeps it"
keys d
expect_screen "\\[y/N\\]" "and again"
keys y
expect_screen "deleted presence $C" "y deletes it"
fcgi_request GET "/communications/presences/$C"
is "$RESP_STATUS" 404 "the responder no longer finds it"
refuse_screen "$C +Away" "it left the list"

# --- find -------------------------------------------------------------------
keys g / 3 0 Enter
expect_screen "found $B" "/ finds an id prefix"
is "$(cursor_id)" "$B" "and selects the match"
keys / f f Enter
expect_screen "no presence id starts with 'ff'" "a prefix without a match"
E=$(create_via_fcgi Available Available 30000000-0000-4000-8000-00000000000e)
expect_screen "$E" "a new match appears"
keys / 3 Enter
expect_screen "found $B" "find goes to the first match"
keys n
expect_screen "found $E" "n goes to the next"
keys n
expect_screen "search wrapped: found $B" "and wraps"

# --- stored text is escaped -------------------------------------------------
# Storage refuses control characters, so use what it accepts but a
# terminal must not get raw: a right-to-left override and a backslash.
F=$(create_via_fcgi 'left\u202eright' 'back\\slash' 50000000-0000-4000-8000-00000000000f)
expect_screen "$F +left\\\\u202eright +back\\\\\\\\slash" \
    "an invisible control and a backslash are shown escaped"

# --- q ----------------------------------------------------------------------
if console_quit q && is_gone "$CONSOLE_PID"; then
	pass "q quits"
else
	fail "q quits"
fi
tmux_stop
done_testing
