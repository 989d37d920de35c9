#!/bin/sh
# The kill loop: several presence-fcgi processes under multiwatch (started
# by spawn-fcgi on a Unix socket), clients creating and deleting presences
# concurrently, and a random worker SIGKILLed every 50-500 ms, while
# presence-console watches the same database in a private tmux server.
# Afterwards every acknowledged create must be present with its values,
# every acknowledged delete absent, every record must decode (each id read
# back, every page listed, every record walked through the storage API),
# the environment must pass mdb_stat and a full mdb_dump, no reader slot
# may belong to a dead process, and the console must show the final count.
#
# STRESS_SECONDS (15) is how long the loop runs; `make stress` runs it
# longer.  STRESS_WORKERS (3) and STRESS_CLIENTS (4) size it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/console/tmux.sh"

SPAWN_FCGI=$(command -v spawn-fcgi || echo /usr/bin/spawn-fcgi)
MULTIWATCH=$(command -v multiwatch || echo /usr/bin/multiwatch)
MDB_DUMP=${MDB_STAT%/*}/mdb_dump
CLIENT=$top_builddir/tests/stress/client

require_tool "$MDB_STAT" mdb_stat lmdb-utils
require_tool "$MDB_DUMP" mdb_dump lmdb-utils
require_tool "$SPAWN_FCGI" spawn-fcgi spawn-fcgi
require_tool "$MULTIWATCH" multiwatch multiwatch
require_tool "$(command -v pgrep)" pgrep procps
require_fcgi
require_console
[ -x "$CLIENT" ] || bail_out "'$CLIENT' is not built"
tap_init stress-kill

DURATION=${STRESS_SECONDS:-15}
WORKERS=${STRESS_WORKERS:-3}
CLIENTS=${STRESS_CLIENTS:-4}
MAXOPS=${STRESS_MAXOPS:-1000000}
DB=$T/db
SOCK=$SOCKDIR/stress.sock
mkdir "$DB" || bail_out "cannot create '$DB'"

# Every request carries a token of the database's own.
PRESENCE_TEST_TOKEN=$("$CLIENT" token "$DB" stress) ||
    bail_out "cannot issue a token"
export PRESENCE_TEST_TOKEN

# The supervisor's workers, one PID a line.
workers() {
	pgrep -P "$SUP"
}

# Whether all the workers run (and the supervisor lives).
workers_up() {
	is_running "$SUP" || return 2
	[ "$(workers | wc -l)" -eq "$WORKERS" ]
}

# -r and -t: multiwatch restarts a slot however often its worker dies.
"$SPAWN_FCGI" -s "$SOCK" -n -- "$MULTIWATCH" -f "$WORKERS" \
    -r 1000000 -t 10 -- "$PRESENCE_FCGI" --db "$DB" </dev/null \
    >"$T/sup.out" 2>"$T/sup.err" &
SUP=$!
track_pid "$SUP"
wait_for 10 workers_up || bail_out "multiwatch did not start $WORKERS workers"
pass "multiwatch runs $WORKERS presence-fcgi workers"

# The console follows the database live while workers die under it.
tmux_start
console_start --db "$DB" || bail_out "presence-console did not start"

i=1
client_pids=
while [ "$i" -le "$CLIENTS" ]; do
	"$CLIENT" load "$SOCK" "$T/log.$i" "$DURATION" "$MAXOPS" "$i" \
	    >"$T/load.$i.out" 2>&1 &
	track_pid $!
	client_pids="$client_pids $!"
	i=$((i + 1))
done

# The killer: a random worker every 50-500 ms until the time is up.
kills=0
misses=0
end=$(($(date +%s) + DURATION))
while [ "$(date +%s)" -lt "$end" ]; do
	ms=$((50 + $(random_below 451)))
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	set -- $(workers)
	if [ $# -eq 0 ]; then
		misses=$((misses + 1))
		continue
	fi
	shift "$(random_below $#)"
	if kill -KILL "$1" 2>/dev/null; then
		kills=$((kills + 1))
	else
		misses=$((misses + 1))
	fi
	# Keep the console reading: jump to the end and back.
	[ $((kills % 8)) -ne 0 ] || keys G
	[ $((kills % 8)) -ne 4 ] || keys g
done
ok "the killer ran ($kills workers SIGKILLed in ${DURATION}s)" \
    [ "$kills" -ge $((DURATION)) ]

all_clients_done=1
for pid in $client_pids; do
	wait_exit "$pid" 60 || all_clients_done=0
done
is "$all_clients_done" 1 "every client finished"
cat "$T"/load.*.out | while read -r line; do diag "$line"; done
ok "the clients had acknowledged writes" \
    grep -q '^[CD] ' "$T"/log.*

# multiwatch restarts what was killed.
if wait_for 10 workers_up; then
	pass "multiwatch restarted every killed worker"
else
	fail "multiwatch restarted every killed worker" \
	    "$(workers | wc -l) of $WORKERS running"
	diag_file "$T/sup.err"
fi

# Nothing lost, nothing half-written: through the API.
if "$CLIENT" verify "$SOCK" "$T"/log.* >"$T/verify.out" 2>&1; then
	pass "every acknowledged write holds, every record reads back"
else
	fail "every acknowledged write holds, every record reads back"
	diag_file "$T/verify.out" 40
fi
summary=$(tail -n 1 "$T/verify.out")
diag "$summary"
listed=$(printf '%s\n' "$summary" | sed -n -e 's/.*listed \([0-9]*\) presences.*/\1/p')

# The console saw it all, and lived through it (it groups thousands).
grouped=$(printf '%s\n' "$listed" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta')
expect_screen " ($listed|$grouped) presences?\$" \
    "the console shows the $listed presences"
ok "the console still runs" is_running "$CONSOLE_PID"

# Reader slots: none belongs to a dead process (a worker that opens the
# environment clears those of the workers killed before it).
"$MDB_STAT" -r "$DB" >"$T/readers" 2>&1
dead=
for pid in $(awk '$1 ~ /^[0-9]+$/ && NF >= 3 { print $1 }' "$T/readers"); do
	is_running "$pid" || dead="$dead $pid"
done
is "$dead" "" "no reader slot of a dead worker remains while serving" ||
    diag_file "$T/readers"

console_quit q || fail "the console quits" "the screen: $(screen)"
stop_pid "$SUP"
ok "the workers stopped with the supervisor" all_gone $(workers 2>/dev/null)

# The environment itself: stat, a reader check, a full dump.
"$MDB_STAT" -rr "$DB" >"$T/check" 2>&1
cleared=$(sed -n -e 's/^ *\([0-9]*\) stale readers cleared.*/\1/p' "$T/check")
diag "reader check: ${cleared:-0} stale slots cleared after the stop"
"$MDB_STAT" -r "$DB" >"$T/readers" 2>&1
ok "no reader slot remains after a reader check" \
    grep -q 'no active readers' "$T/readers" || diag_file "$T/readers"
if "$MDB_STAT" -e -a "$DB" >"$T/stat" 2>&1; then
	pass "mdb_stat -e -a reads the environment"
else
	fail "mdb_stat -e -a reads the environment"
	diag_file "$T/stat"
fi
if "$MDB_DUMP" -s presences "$DB" >"$T/dump" 2>"$T/dump.err"; then
	pass "mdb_dump walks every record with a cursor"
else
	fail "mdb_dump walks every record with a cursor"
	diag_file "$T/dump.err"
fi
"$MDB_DUMP" -a "$DB" >/dev/null 2>&1
ok "mdb_dump -a walks every named database" [ $? -eq 0 ]
# In the dump each record is two lines (key, value) after HEADER=END.
dumped=$(awk '/^HEADER=END/ { on = 1; next } /^DATA=END/ { on = 0 }
    on { n++ } END { print int(n / 2) }' "$T/dump")
is "$dumped" "$listed" "the dump holds what the API listed"
walked=$("$CLIENT" walk "$DB" 2>"$T/walk.err")
is "$walked" "$listed" "every record decodes through the storage API" ||
    diag_file "$T/walk.err"
entries=$(db_entries "$DB")
is "$entries" "$listed" "mdb_stat counts what the API listed"

acked=$(cat "$T"/log.* | grep -c '^[CD] ')
diag "kill loop: $kills workers killed in ${DURATION}s, $acked acknowledged writes; $(printf '%s' "$summary" |
    sed -e 's/^verified //')"
done_testing
