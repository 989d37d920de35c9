#!/bin/sh
# The notification kill loop: presence-fcgi workers under multiwatch
# (started by spawn-fcgi on a Unix socket), clients calling setPresence
# without pause, and a worker SIGKILLed every 50-500 ms: every other kill
# is the worker holding notify.lock (the active deliverer, read from
# /proc/locks), the others a random one.  One subscription watches every
# client's presence and the receiver (tests/notify/receiver.js) records
# what it acknowledges.  Afterwards, once the outbox drained, each
# presence must have been notified at least as often as its changes were
# acknowledged: a change acknowledged is committed with its notification,
# and a notification leaves the outbox only once a receiver acknowledged
# it (repeats are allowed).
#
# Each client owns one presence and alternates it between two states,
# repeating a write until it is acknowledged, so every acknowledged write
# is a change of its own.  STRESS_SECONDS (15) is how long the loop runs;
# `make stress` runs it longer.  STRESS_WORKERS (3) and STRESS_CLIENTS (3)
# size it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/notify/notify.sh"

SPAWN_FCGI=${SPAWN_FCGI:-$(command -v spawn-fcgi || echo /usr/bin/spawn-fcgi)}
MULTIWATCH=${MULTIWATCH:-$(command -v multiwatch || echo /usr/bin/multiwatch)}

require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
require_tool "$MDB_STAT" mdb_stat lmdb-utils
require_tool "$SPAWN_FCGI" spawn-fcgi spawn-fcgi
require_tool "$MULTIWATCH" multiwatch multiwatch
require_tool "$(command -v pgrep)" pgrep procps
require_node
require_fcgi
[ -r /proc/locks ] || skip_all "no /proc/locks to see who holds notify.lock"
tap_init stress-notify

DURATION=${STRESS_SECONDS:-15}
WORKERS=${STRESS_WORKERS:-3}
CLIENTS=${STRESS_CLIENTS:-3}
DB=$T/db
SOCK=$SOCKDIR/notify.sock
mkdir "$DB" || bail_out "cannot create '$DB'"
need_token "$DB"
recv_start hook || bail_out "the receiver did not start"

# The supervisor's workers, one PID a line.
workers() {
	pgrep -P "$SUP"
}

# Whether all the workers run (and the supervisor lives).
workers_up() {
	is_running "$SUP" || return 2
	[ "$(workers | wc -l)" -eq "$WORKERS" ]
}

# Whether one of the workers holds notify.lock.
deliverer_up() {
	HOLDER=$(lock_holders "$DB")
	[ -n "$HOLDER" ] && workers | grep -qx "$HOLDER"
}

"$SPAWN_FCGI" -s "$SOCK" -n -- "$MULTIWATCH" -f "$WORKERS" \
    -r 1000000 -t 10 -- "$PRESENCE_FCGI" --db "$DB" \
    --notify-allow "$NOTIFY_ALLOW" </dev/null >"$T/sup.out" 2>"$T/sup.err" &
SUP=$!
track_pid "$SUP"
wait_for 10 workers_up || bail_out "multiwatch did not start $WORKERS workers"
pass "multiwatch runs $WORKERS presence-fcgi workers"
FCGI_SOCK=$SOCK
ok "one worker holds notify.lock" wait_for 10 deliverer_up

# The presences, one per client, and one subscription watching them all.
ids=
i=1
while [ "$i" -le "$CLIENTS" ]; do
	id=$(printf '5a5a5a5a-0000-4000-8000-%012d' "$i")
	presence_create "$id" || { resp_diag; bail_out "cannot create $id"; }
	ids="$ids${ids:+,}'$id'"
	i=$((i + 1))
done
sub_create "$(recv_url hook)/notify" \
    "/communications/presences?\$filter=id in ($ids)" ||
    { resp_diag; bail_out "cannot create the subscription"; }
pass "a subscription watches the $CLIENTS presences"

# client N END: setPresence on presence N until END (seconds since the
# epoch), each write repeated until acknowledged; one line per
# acknowledged write in $T/ack.N.  Its own directory keeps fcgi_request's
# files apart from the other clients'.
client() {
	trap - EXIT INT TERM HUP PIPE
	id=$(printf '5a5a5a5a-0000-4000-8000-%012d' "$1")
	T=$T/client.$1
	mkdir "$T" || exit 1
	k=0
	while [ "$(date +%s)" -lt "$2" ]; do
		k=$((k + 1))
		act=InACall
		[ $((k % 2)) -eq 0 ] || act=InAConferenceCall
		while [ "$(date +%s)" -lt "$2" ]; do
			if set_presence "$id" s1 Busy "$act" PT1H; then
				echo "$id $k" >>"$T/../ack.$1"
				break
			fi
			echo "$id $k $RESP_STATUS" >>"$T/../unacked.$1"
		done
	done
}

end=$(($(date +%s) + DURATION))
client_pids=
i=1
while [ "$i" -le "$CLIENTS" ]; do
	: >"$T/ack.$i"
	client "$i" "$end" >"$T/client.$i.out" 2>&1 &
	track_pid $!
	client_pids="$client_pids $!"
	i=$((i + 1))
done

# The killer: every other kill the deliverer, else a random worker.
kills=0
holder_kills=0
while [ "$(date +%s)" -lt "$end" ]; do
	ms=$((50 + $(random_below 451)))
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	victim=
	if [ $((kills % 2)) -eq 0 ] && deliverer_up; then
		victim=$HOLDER
	else
		set -- $(workers)
		[ $# -eq 0 ] || { shift "$(random_below $#)"; victim=$1; }
	fi
	[ -n "$victim" ] || continue
	deliverer_up && [ "$victim" = "$HOLDER" ] && is_holder=1 || is_holder=0
	if kill -KILL "$victim" 2>/dev/null; then
		kills=$((kills + 1))
		holder_kills=$((holder_kills + is_holder))
	fi
done
ok "the killer ran ($kills workers SIGKILLed, $holder_kills of them the deliverer)" \
    [ "$kills" -ge $((DURATION / 2)) ]
ok "the deliverer itself was killed more than once" [ "$holder_kills" -ge 2 ]

all_done=1
for pid in $client_pids; do
	wait_exit "$pid" 60 || all_done=0
done
is "$all_done" 1 "every client finished"
acked=$(cat "$T"/ack.* | wc -l | tr -d ' ')
unacked=$(cat "$T"/unacked.* 2>/dev/null | wc -l | tr -d ' ')
ok "the clients had acknowledged writes ($acked; $unacked tries refused or cut)" \
    [ "$acked" -gt 0 ]
ok "multiwatch restarted every killed worker" wait_for 10 workers_up
ok "a worker delivers again" wait_for 10 deliverer_up

# Everything committed leaves the outbox only through the receiver.
if wait_for 120 eval '[ "$(outbox_rows "$DB")" = 0 ]'; then
	pass "the outbox drained"
else
	fail "the outbox drained" "$(outbox_rows "$DB") rows left"
fi

# Per presence: items received >= writes acknowledged.
recv_count hook >"$T/received"
short=
i=1
while [ "$i" -le "$CLIENTS" ]; do
	id=$(printf '5a5a5a5a-0000-4000-8000-%012d' "$i")
	want=$(wc -l <"$T/ack.$i" | tr -d ' ')
	got=$(awk -v id="$id" '$1 == id { print $2 }' "$T/received")
	diag "$id: $want acknowledged, ${got:-0} notified"
	[ "${got:-0}" -ge "$want" ] || short="$short $id(${got:-0}<$want)"
	i=$((i + 1))
done
is "$short" "" "every acknowledged change was notified at least once"
received=$(awk '{ n += $2 } END { print n + 0 }' "$T/received")
is "$(recv_items hook | awk '$4 != "-" { print $3 }' | sort -u)" "$SUB_ID" \
    "every item is the subscription's"

stop_pid "$SUP"
ok "the workers stopped with the supervisor" all_gone $(workers 2>/dev/null)
if "$MDB_STAT" -e -a "$DB" >"$T/stat" 2>&1; then
	pass "mdb_stat -e -a reads the environment"
else
	fail "mdb_stat -e -a reads the environment"
	diag_file "$T/stat"
fi
diag "notify kill loop: $kills kills ($holder_kills deliverers) in ${DURATION}s, $acked changes acknowledged, $received items received"
done_testing
