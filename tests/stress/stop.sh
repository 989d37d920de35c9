#!/bin/sh
# Graceful stops under load: clients create and delete presences while one
# threaded presence-fcgi is started on a Unix socket, serves for 100-400 ms
# and gets SIGTERM (what systemd, multiwatch and a web server send), over
# and over.  Every stop must end in exit status 0 within 5 s with nothing
# logged as a failure: the stop signal reaches threads at every point of
# their loop (waiting, accepting, serving), and none of them may take it
# for an error.  Afterwards every acknowledged write must hold.
#
# STOP_SECONDS (6) is how long the clients run; STOP_CLIENTS (4) of them.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

CLIENT=$top_builddir/tests/stress/client

require_fcgi
[ -x "$CLIENT" ] || bail_out "'$CLIENT' is not built"
tap_init stress-stop

DURATION=${STOP_SECONDS:-6}
CLIENTS=${STOP_CLIENTS:-4}
DB=$T/db
SOCK=$SOCKDIR/stop.sock
mkdir "$DB" || bail_out "cannot create '$DB'"
PRESENCE_TEST_TOKEN=$("$CLIENT" token "$DB" stop) ||
    bail_out "cannot issue a token"
export PRESENCE_TEST_TOKEN

responder_listening() {
	is_running "$PID" || return 2
	[ -S "$SOCK" ]
}

i=1
client_pids=
while [ "$i" -le "$CLIENTS" ]; do
	"$CLIENT" load "$SOCK" "$T/log.$i" "$DURATION" 1000000 "$i" \
	    >"$T/load.$i.out" 2>&1 &
	track_pid $!
	client_pids="$client_pids $!"
	i=$((i + 1))
done

# Start, serve a while, stop; until the clients are done.
rounds=0
bad=0
end=$(($(date +%s) + DURATION))
while [ "$(date +%s)" -lt "$end" ]; do
	"$PRESENCE_FCGI" --listen "$SOCK" --db "$DB" </dev/null \
	    >"$T/fcgi.out" 2>"$T/fcgi.err" &
	PID=$!
	track_pid "$PID"
	wait_for 10 responder_listening ||
	    bail_out "presence-fcgi did not listen: $(cat "$T/fcgi.err")"
	ms=$((100 + $(random_below 301)))
	sleep "$(printf '0.%03d' "$ms")"
	kill -TERM "$PID"
	rounds=$((rounds + 1))
	if ! wait_exit "$PID" 5; then
		bad=$((bad + 1))
		diag "stop $rounds: still running 5 s after SIGTERM"
		stop_pid "$PID" KILL
	elif [ "$tap_status" -ne 0 ] || [ -s "$T/fcgi.err" ]; then
		bad=$((bad + 1))
		diag "stop $rounds: exit status $tap_status"
		diag_file "$T/fcgi.err"
	fi
done
ok "the responder was stopped under load $rounds times" [ "$rounds" -ge 5 ]
is "$bad" 0 "every stop under load exited 0 within 5 s, logging nothing"

all_clients_done=1
for pid in $client_pids; do
	wait_exit "$pid" 60 || all_clients_done=0
done
is "$all_clients_done" 1 "every client finished"
cat "$T"/load.*.out | while read -r line; do diag "$line"; done
ok "the clients had acknowledged writes" grep -q '^[CD] ' "$T"/log.*

# Nothing acknowledged was lost across the stops.
fcgi_start --db "$DB" || bail_out "presence-fcgi did not start"
if "$CLIENT" verify "$FCGI_SOCK" "$T"/log.* >"$T/verify.out" 2>&1; then
	pass "every acknowledged write holds, every record reads back"
else
	fail "every acknowledged write holds, every record reads back"
	diag_file "$T/verify.out" 40
fi
diag "$(tail -n 1 "$T/verify.out")"
stop_pid "$FCGI_PID"
done_testing
