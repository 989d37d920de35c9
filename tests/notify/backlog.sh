#!/bin/sh
# A receiver that keeps failing, answering 500 and then dead (nothing
# listening on its port): the backlog of its subscription stays within
# --notify-backlog (the outbox's rows counted with mdb_stat while changes
# keep coming), the deliverer retries with backoff rather than in a loop,
# each overflow is announced by a "missed" lifecycle notification to the
# live lifecycleNotificationUrl, and delivery resumes once the receiver
# answers again.  The receivers are real HTTP servers on 127.0.0.1
# (tests/notify/receiver.js).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/notify/notify.sh"

require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
require_tool "$MDB_STAT" mdb_stat lmdb-utils
require_node
require_fcgi
tap_init notify-backlog

BOUND=5
A=aaaaaaaa-0000-4000-8000-0000000000a1
DB=$T/db
mkdir "$DB" || bail_out "cannot create '$DB'"
need_token "$DB"
recv_start hook || bail_out "the notification receiver did not start"
recv_start life || bail_out "the lifecycle receiver did not start"
fcgi_start --db "$DB" --notify-allow "$NOTIFY_ALLOW" \
    --notify-backlog "$BOUND" || bail_out "presence-fcgi did not start"
presence_create "$A" || { resp_diag; bail_out "cannot create $A"; }

if sub_create "$(recv_url hook)/notify" "communications/presences/$A" \
    "$(recv_url life)/life"; then
	pass "a subscription with a lifecycle URL"
else
	resp_diag
	bail_out "cannot create the subscription"
fi

# The receiver works: a change arrives.
set_presence "$A" s1 Available Available || resp_diag
ok "a change is delivered while the receiver answers 202" \
    wait_for 20 recv_has hook "$A" 1

# The receiver fails every POST from now on.
recv_control hook '/notify post status 500'
posts0=$(recv_requests hook post)
t0=$(date +%s)
changes=0
over=0
for act in InACall InAConferenceCall InACall InAConferenceCall InACall \
    InAConferenceCall InACall InAConferenceCall InACall InAConferenceCall \
    InACall InAConferenceCall InACall InAConferenceCall InACall \
    InAConferenceCall InACall InAConferenceCall InACall InAConferenceCall; do
	set_presence "$A" s1 Busy "$act" || { resp_diag; break; }
	changes=$((changes + 1))
	rows=$(outbox_rows "$DB")
	[ "${rows:-0}" -le "$BOUND" ] || over=$((over + 1))
done
is "$changes" 20 "20 changes acknowledged while the receiver fails"
is "$over" 0 "the outbox never held more than $BOUND rows (--notify-backlog)"
ok "the backlog's overflow is announced as missed" \
    wait_for 30 recv_lifecycle life missed 1
recv_items life | awk '$5 == "missed"' | head -n 1 >"$T/missed"
is "$(awk '{ print $2, $3 }' "$T/missed")" "/life $SUB_ID" \
    "missed: to the lifecycle URL, for the subscription"
like "$(grep '"lifecycleEvent":"missed"' "$T/recv.life.log" | head -n 1)" \
    '"clientState":"notify-test"' "missed: with the clientState"
like "$(grep '"lifecycleEvent":"missed"' "$T/recv.life.log" | head -n 1)" \
    '"subscriptionExpirationDateTime":"[0-9]{4}-' \
    "missed: with the subscription's expiry"
ok "the failing receiver was tried again" \
    wait_for 20 eval '[ $(recv_requests hook post) -ge $((posts0 + 2)) ]'

# Backoff: a failing receiver is not hammered.  However slow the machine,
# a loop without backoff would have tried far more often than this.
elapsed=$(($(date +%s) - t0 + 1))
tries=$(($(recv_requests hook post) - posts0))
ok "retries back off ($tries tries in ${elapsed}s)" \
    [ "$tries" -le $((elapsed + 2)) ]
rows=$(outbox_rows "$DB")
ok "the backlog is still bounded ($rows rows)" [ "${rows:-0}" -le "$BOUND" ]

# The receiver answers again: what waits and what comes is delivered.
recv_control hook
n0=$(recv_count hook | awk -v id="$A" '$1 == id { print $2 }')
set_presence "$A" s1 Away Away || resp_diag
ok "delivery resumes once the receiver answers (backoff at most 5 min)" \
    wait_for 90 recv_has hook "$A" $((n0 + 1))
ok "the backlog drains" wait_for 30 eval '[ "$(outbox_rows "$DB")" = 0 ]'

# A dead receiver: nothing listens on its port any more.
missed() {
	recv_items life | awk '$5 == "missed"' | wc -l | tr -d ' '
}
m0=$(missed)
port=$(recv_port hook)
recv_stop hook
changes=0
over=0
for act in InACall InAConferenceCall InACall InAConferenceCall InACall \
    InAConferenceCall InACall InAConferenceCall InACall InAConferenceCall; do
	set_presence "$A" s1 Busy "$act" || { resp_diag; break; }
	changes=$((changes + 1))
	rows=$(outbox_rows "$DB")
	[ "${rows:-0}" -le "$BOUND" ] || over=$((over + 1))
done
is "$changes" 10 "10 changes acknowledged while the receiver is dead"
is "$over" 0 "the outbox never held more than $BOUND rows"
ok "the overflow is announced as missed again" \
    wait_for 30 eval '[ "$(missed)" -gt "$m0" ]'
recv_start hook "$port" || bail_out "the receiver did not start again"
n0=$(recv_count hook | awk -v id="$A" '$1 == id { print $2 }')
set_presence "$A" s1 Away Away || resp_diag
ok "delivery resumes once the receiver is back on its port" \
    wait_for 90 recv_has hook "$A" $((n0 + 1))
ok "and the backlog drains" wait_for 30 eval '[ "$(outbox_rows "$DB")" = 0 ]'
unlike "$(recv_items hook | awk '{ print $5 }' | sort -u)" missed \
    "no lifecycle event goes to the notification URL"
done_testing
