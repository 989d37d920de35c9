#!/bin/sh
# The Subscriptions screen over a database a running presence-fcgi
# delivers from: it lists each subscription (id, watched presences,
# destination, expiry, backlog, last delivery) whoever made it, follows
# deliveries and failures by itself, deletes after a y/N question (No by
# default) so that the API no longer knows it and nothing more is
# delivered, and offers no delete when the database is open read-only.
# The subscriptions are made through the API against a real receiver
# (tests/notify/receiver.js).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/console/tmux.sh"
. "$top_srcdir/tests/notify/notify.sh"

tap_init console-subscriptions
require_console
require_fcgi
require_node
require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin

TMUX_COLS=160
TMUX_ROWS=50
DB=$T/db
A=aaaaaaaa-0000-4000-8000-0000000000e1
B=bbbbbbbb-0000-4000-8000-0000000000e2
C=cccccccc-0000-4000-8000-0000000000e3
mkdir "$DB" || bail_out "cannot create '$DB'"
need_token "$DB" Presence.ReadWrite.All
recv_start hook || bail_out "the receiver did not start"
fcgi_start --db "$DB" --notify-allow "$NOTIFY_ALLOW" ||
    bail_out "presence-fcgi did not start"
for id in "$A" "$B" "$C"; do
	presence_create "$id" || { resp_diag; bail_out "cannot create $id"; }
done
URL=$(recv_url hook)

tmux_start
CONSOLE_ENV=NO_COLOR=1 console_start --db "$DB" ||
    bail_out "presence-console did not start"
expect_screen "s Subs" "the list's key bar offers the Subscriptions screen"
keys s
expect_screen "^ +ID +RESOURCE +DESTINATION +EXPIRES +BACKLOG +LAST DELIVERY$" \
    "s opens the Subscriptions screen, with its columns"
expect_screen "no subscriptions: clients create them with POST /subscriptions" \
    "with none it says how they come"
expect_screen "d Delete +Esc Back +q Quit" "the key bar"

# One subscription for A, one for B and C by a token of its own.
sub_create "$URL/one" "communications/presences/$A" ||
    { resp_diag; bail_out "cannot create the first subscription"; }
S1=$SUB_ID
TOKEN1=$TOKEN
need_token "$DB" Presence.Read.All
sub_create "$URL/two" "/communications/presences?\$filter=id in ('$B','$C')" ||
    { resp_diag; bail_out "cannot create the second subscription"; }
S2=$SUB_ID
TOKEN2=$TOKEN
fcgi_request GET "/subscriptions/$S2"
is "$RESP_STATUS" 200 "its owner reads the second through the API" || resp_diag
TOKEN=$TOKEN1
S1_8=$(printf '%.8s' "$S1")
S2_8=$(printf '%.8s' "$S2")
WHEN='20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}'
expect_screen "^ +$S1_8 +aaaaaaaa +http://127\\.0\\.0\\.1:[0-9]+/one +$WHEN +0 +- *\$" \
    "a subscription made through the API appears by itself"
expect_screen "^ +$S2_8 +bbbbbbbb \\+1 +http://127\\.0\\.0\\.1:[0-9]+/two +$WHEN +0 +- *\$" \
    "one of another token's too, with how many more presences it watches"
expect_screen "2 subscriptions, 0 notifications waiting; times in UTC" \
    "the status line counts them"

# A delivery shows as the last result.
set_presence "$A" s1 Busy InACall || resp_diag
expect_screen "^ +$S1_8 .* +0 +[^ -].*\$" \
    "a delivery shows as its last result" 20
screen | grep "^ *$S1_8 " | sed -e 's/^.* 0  *//' >"$T/result"
diag "the last delivery to /one: $(cat "$T/result")"

# A failing receiver: the backlog grows and the failure shows.
recv_control hook '/two post status 503'
set_presence "$B" s1 Busy InACall || resp_diag
set_presence "$C" s1 Busy InACall || resp_diag
expect_screen "^ +$S2_8 .* +2 +failed [0-9]+: .*503" \
    "a failing receiver: the backlog and the failure show" 20
expect_screen "2 subscriptions, 2 notifications waiting" \
    "the status line counts what waits"

# Delete: No by default, then yes.
# The table is in id order: the second is first or last.
if [ "$(printf '%s\n' "$S1" "$S2" | sort | tail -n 1)" = "$S2" ]; then
	keys G
else
	keys g
fi
keys d
expect_screen "delete subscription $S2\\? \\[y/N\\]" "d asks first, naming it"
keys n
expect_screen "kept subscription $S2" "anything but y keeps it"
expect_screen "^ +$S2_8 " "and it is still listed"
keys d
expect_screen "delete subscription $S2\\? \\[y/N\\]" "d asks again"
keys y
expect_screen "deleted subscription $S2" "y deletes it"
keys g
expect_screen "1 subscription, 0 notifications waiting" \
    "the next key: one left, nothing waits"
refuse_screen "^ +$S2_8 " "it is gone from the table"
TOKEN=$TOKEN2
fcgi_request GET "/subscriptions/$S2"
is "$RESP_STATUS" 404 "its owner no longer finds it through the API" ||
    resp_diag
TOKEN=$TOKEN1
posts=$(recv_requests hook post)
recv_control hook
set_presence "$B" s1 Available Available || resp_diag
set_presence "$A" s1 Available Available || resp_diag
ok "the other one is still delivered to" wait_for 20 recv_has hook "$A" 2
is "$(recv_items hook | awk '$2 == "/two"' | wc -l | tr -d ' ')" 0 \
    "nothing was ever acknowledged by the deleted one's receiver"

# Help and back.
keys '?'
expect_screen "^ Subscriptions$" "help has a Subscriptions section"
expect_screen "delete the selected subscription \\(asks y/N\\)" \
    "which names delete"
keys Escape
expect_screen "^ +ID +RESOURCE +DESTINATION" "help goes back to the screen"
keys Escape
expect_screen "s Subs" "Esc goes back to the list"
console_quit q || fail "the console quits" "the screen: $(screen)"

# Read-only: the screen lists, delete is neither offered nor done.
CONSOLE_ENV=NO_COLOR=1 console_start --db "$DB" --read-only ||
    bail_out "presence-console --read-only did not start"
keys s
expect_screen "^ +$S1_8 " "read-only: the screen lists"
refuse_screen "d Delete" "read-only: no delete in the key bar"
keys d
expect_screen "the database is open read-only" "read-only: d is refused"
expect_screen "^ +$S1_8 " "and the subscription stays"
console_quit q || fail "the console quits" "the screen: $(screen)"
done_testing
