#!/bin/sh
# Exactly one deliverer per database, and another takes over when it dies:
# two presence-fcgi processes on one database, one of them holding
# notify.lock (read from /proc/locks); SIGKILL it, even in the middle of a
# delivery the receiver is slow to answer, and the survivor takes the
# lock and delivers what was committed, including the change whose POST
# the killed one never saw answered (at least once: a repeat is allowed).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/notify/notify.sh"

require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
require_node
require_fcgi
[ -r /proc/locks ] || skip_all "no /proc/locks to see who holds notify.lock"
tap_init notify-handoff

A=aaaaaaaa-0000-4000-8000-0000000000d1
B=bbbbbbbb-0000-4000-8000-0000000000d2
DB=$T/db
mkdir "$DB" || bail_out "cannot create '$DB'"
need_token "$DB"
recv_start hook || bail_out "the receiver did not start"

fcgi_start --db "$DB" --notify-allow "$NOTIFY_ALLOW" ||
    bail_out "the first presence-fcgi did not start"
P1=$FCGI_PID S1=$FCGI_SOCK
fcgi_start --db "$DB" --notify-allow "$NOTIFY_ALLOW" ||
    bail_out "the second presence-fcgi did not start"
P2=$FCGI_PID S2=$FCGI_SOCK

# one_holder: exactly one of the responders holds notify.lock.
one_holder() {
	HOLDER=$(lock_holders "$DB")
	[ "$HOLDER" = "$P1" ] || [ "$HOLDER" = "$P2" ]
}
if wait_for 10 one_holder; then
	pass "one of the two responders holds notify.lock"
else
	fail "one of the two responders holds notify.lock" \
	    "holders: '$(lock_holders "$DB")', responders $P1 $P2"
	grep -n . /proc/locks | while read -r l; do diag "$l"; done
	bail_out "no deliverer to kill"
fi
if [ "$HOLDER" = "$P1" ]; then
	OTHER=$P2 FCGI_SOCK=$S2
else
	OTHER=$P1 FCGI_SOCK=$S1
fi

presence_create "$A" || { resp_diag; bail_out "cannot create $A"; }
presence_create "$B" || { resp_diag; bail_out "cannot create $B"; }
sub_create "$(recv_url hook)/notify" "communications/presences/$A" ||
    { resp_diag; bail_out "cannot create the subscription"; }
set_presence "$A" s1 Busy InACall || resp_diag
ok "the active deliverer delivers" wait_for 20 recv_has hook "$A" 1

# Kill the holder while the receiver holds its POST unanswered.
recv_control hook '* post delay 4000'
posts=$(recv_requests hook post)
set_presence "$A" s1 DoNotDisturb Presenting || resp_diag
ok "the deliverer is in the middle of a POST" \
    wait_for 20 eval '[ $(recv_requests hook post) -gt '"$posts"' ]'
kill -KILL "$HOLDER"
ok "the holder is gone" wait_for 5 is_gone "$HOLDER"
ok "the other responder takes notify.lock over" \
    wait_for 10 eval '[ "$(lock_holders "$DB")" = "$OTHER" ]'
recv_control hook
ok "the change whose POST was cut is delivered again" \
    wait_for 30 recv_has hook "$A" 2
set_presence "$B" s1 Busy InACall || resp_diag
set_presence "$A" s1 Available Available || resp_diag
ok "changes after the handoff are delivered" \
    wait_for 20 recv_has hook "$A" 3
ok "the survivor still serves" is_running "$OTHER"

is "$(recv_count hook | awk -v id="$B" '$1 == id')" "" \
    "an unwatched presence changed before is not notified"
done_testing
