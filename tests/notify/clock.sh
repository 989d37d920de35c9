#!/bin/sh
# Changes the clock makes are notified with no request coming in: a
# setPresence session fades to AvailableInactive after 5 minutes, to Away
# after 10 and expires after its expirationDuration (30 minutes), and each
# step reaches the receiver within seconds of the responder's clock
# passing it, while no request reaches the responder.  libfaketime moves
# the responder's clock (as tests/blackbox/clock.sh does; no hook in the
# product); the receiver runs on the real clock.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/notify/notify.sh"

require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
require_node
require_fcgi
require_faketime
tap_init notify-clock

A=aaaaaaaa-0000-4000-8000-0000000000c1
B=bbbbbbbb-0000-4000-8000-0000000000c2	# watched, never changed
DB=$T/db
mkdir "$DB" || bail_out "cannot create '$DB'"
need_token "$DB"
recv_start hook || bail_out "the receiver did not start"

# The responder's clock: real time plus the offset in $T/clock.
fcgi_start_faked --db "$DB" --notify-allow "$NOTIFY_ALLOW" ||
    bail_out "presence-fcgi did not start under libfaketime"

# at MINUTES: move the responder's clock to MINUTES after the start.
at() {
	echo "+$(($1 * 60))" >"$T/clock"
}

# shows ID: "availability/activity" of a GET of ID now.
shows() {
	fcgi_request GET "/communications/presences/$1"
	printf '%s/%s\n' "$(json_str availability "$T/resp.body")" \
	    "$(json_str activity "$T/resp.body")"
}

# items ID: how many items about ID the receiver acknowledged.
items() {
	recv_count hook | awk -v id="$1" '$1 == id { n = $2 } END { print n + 0 }'
}

presence_create "$A" || { resp_diag; bail_out "cannot create $A"; }
presence_create "$B" || { resp_diag; bail_out "cannot create $B"; }
# 50 minutes: the subscription outlives every step below.
sub_create "$(recv_url hook)/notify" \
    "/communications/presences?\$filter=id in ('$A','$B')" '' 3000 ||
    { resp_diag; bail_out "cannot create the subscription"; }
set_presence "$A" s1 Available Available PT30M || resp_diag
ok "the setPresence is notified" wait_for 20 recv_has hook "$A" 1
n=$(items "$A")

# From here on no request reaches the responder until each step arrived;
# the checks with GET come after.
at 2
sleep 2
is "$(items "$A")" "$n" "no notification while the clock passes no instant"

at 5
if wait_for 15 recv_has hook "$A" $((n + 1)); then
	pass "fading to AvailableInactive is notified within seconds"
else
	fail "fading to AvailableInactive is notified within seconds"
	diag_file "$FCGI_ERR"
fi
n=$(items "$A")
is "$(shows "$A")" Available/AvailableInactive "and the presence shows it"

at 10
ok "going Away is notified within seconds" \
    wait_for 15 recv_has hook "$A" $((n + 1))
n=$(items "$A")
is "$(shows "$A")" Away/Away "and the presence shows it"

at 31
ok "the session's expiry is notified within seconds" \
    wait_for 15 recv_has hook "$A" $((n + 1))
is "$(shows "$A")" Offline/Offline "and the presence shows it"

is "$(items "$B")" 0 "the watched presence that never changed: nothing"
recv_items hook | awk '$4 != "-"' >"$T/items"
is "$(awk '{ print $3 }' "$T/items" | sort -u)" "$SUB_ID" \
    "every item names the subscription"
done_testing
