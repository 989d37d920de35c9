#!/bin/sh
# Hard limits of the database: a map that reaches its maximum size answers
# creates 507 with nothing half-written while reads, lists and deletes
# keep working, and the console says why it cannot create; requests over
# the key and value bounds are refused before LMDB is asked: the fault
# shim counts not one file write or sync for them.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/console/tmux.sh"

CLIENT=$top_builddir/tests/stress/client
SHIM=$top_builddir/tests/fault/shim.so
MDB_DUMP=${MDB_STAT%/*}/mdb_dump

require_tool "$MDB_STAT" mdb_stat lmdb-utils
require_tool "$MDB_DUMP" mdb_dump lmdb-utils
require_fcgi
require_console
[ -x "$CLIENT" ] || bail_out "'$CLIENT' is not built"
[ -r "$SHIM" ] || bail_out "'$SHIM' is not built"
tap_init fault-limits
COLL=/communications/presences

# request SOCK METHOD URI [BODY]: sets STATUS (or noconnect, lost) and BODY.
request() {
	"$CLIENT" request "$@" >"$T/reply" 2>&1
	STATUS=$(sed -n -e 1p "$T/reply")
	BODY=$(sed -n -e 2p "$T/reply")
}

# --- a full map -------------------------------------------------------------------

FULL=$T/full
mkdir "$FULL" || bail_out "cannot create '$FULL'"
# The token goes in with the same map settings: a larger map would stay.
PRESENCE_TEST_TOKEN=$(PRESENCE_MAP_SIZE=128K PRESENCE_MAP_MAX=128K \
    "$CLIENT" token "$FULL" limits) || bail_out "cannot issue a token"
export PRESENCE_TEST_TOKEN
fcgi_start --db "$FULL" --map-size 128K --map-max 128K ||
    bail_out "presence-fcgi did not start"
SOCK=$FCGI_SOCK

# Create until the map is full, logging as the kill loop's clients do.
: >"$T/log"
n=0
while [ "$n" -lt 3000 ]; do
	id=$(printf '%08x-0000-4000-8000-%012x' "$n" "$n")
	printf 'c %s full-%d\n' "$id" "$n" >>"$T/log"
	request "$SOCK" POST "$COLL" \
	    "{\"id\":\"$id\",\"availability\":\"Available\",\"activity\":\"full-$n\"}"
	[ "$STATUS" = 201 ] || break
	printf 'C %s\n' "$id" >>"$T/log"
	n=$((n + 1))
done
created=$n
is "$STATUS" 507 "a full map answers 507 (after $created creates)" ||
    diag "$BODY"
like "$BODY" '"code":"quotaLimitReached"' "with Graph's quotaLimitReached"
request "$SOCK" POST "$COLL" '{"availability":"Available","activity":"more"}'
is "$STATUS" 507 "and again 507 on the next create"
ok "the responder runs on" is_running "$FCGI_PID"
if "$CLIENT" verify "$SOCK" "$T/log" >"$T/verify.out" 2>&1; then
	pass "every acknowledged create reads back, the list has them all"
else
	fail "every acknowledged create reads back, the list has them all"
	diag_file "$T/verify.out" 20
fi
diag "$(tail -n 1 "$T/verify.out")"
is "$(db_entries "$FULL")" "$created" "nothing half-written: $created records"
first=$(sed -n -e 's/^C //p' "$T/log" | head -n 1)
request "$SOCK" DELETE "$COLL/$first"
is "$STATUS" 204 "a delete works in a full map"
stop_pid "$FCGI_PID"
if "$MDB_DUMP" -s presences "$FULL" >"$T/dump" 2>&1; then
	pass "mdb_dump reads every record of the full map"
else
	fail "mdb_dump reads every record of the full map"
	diag_file "$T/dump"
fi

# The console, on the same full database, says why a create fails.
tmux_start
console_start --db "$FULL" --map-size 128K --map-max 128K ||
    bail_out "presence-console did not start"
keys c
expect_screen "^ +availability *\$" "the console opens its create form"
type_text "Available"
keys Tab
type_text "Console"
keys Enter
expect_screen "maximum size|full" "the console says the database is full"
console_quit Escape q || console_quit q

# --- bounds before LMDB ---------------------------------------------------------------

# Count the responder's file writes and syncs while it refuses requests
# that break a bound: there must be none.
DB=$T/db
mkdir "$DB" || bail_out "cannot create '$DB'"
PRESENCE_TEST_TOKEN=$("$CLIENT" token "$DB" bounds) ||
    bail_out "cannot issue a token"
# count_writes REQUEST...: run presence-fcgi under the shim, counting, send
# the requests (each "METHOD URI [BODY]", a field per line); print the count.
count_writes() {
	rm -f "$T/shim.log" "$SOCKDIR/shim.sock"
	env LD_PRELOAD="$SHIM" FAULT_IO_NTH=0 FAULT_LOG="$T/shim.log" \
	    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	    "$PRESENCE_FCGI" --listen "$SOCKDIR/shim.sock" --db "$DB" \
	    --max-body 4096 </dev/null >>"$T/shim.err" 2>&1 &
	FCGI_PID=$!
	FCGI_SOCK=$SOCKDIR/shim.sock
	track_pid "$FCGI_PID"
	wait_for 10 fcgi_listening ||
	    bail_out "presence-fcgi did not start under the shim"
	for spec in "$@"; do
		method=$(printf '%s\n' "$spec" | sed -n -e 1p)
		uri=$(printf '%s\n' "$spec" | sed -n -e 2p)
		body=$(printf '%s\n' "$spec" | sed -n -e 3p)
		if [ -n "$body" ]; then
			request "$FCGI_SOCK" "$method" "$uri" "$body"
		else
			request "$FCGI_SOCK" "$method" "$uri"
		fi
		printf '%s %s\n' "$STATUS" "$(printf '%s' "$uri" | cut -c1-60)" \
		    >>"$T/statuses"
	done
	stop_pid "$FCGI_PID"
	sed -n -e 's/^exit io \([0-9]*\) .*/\1/p' "$T/shim.log"
}

NL='
'
long=$(printf '%0129d' 0)
huge=$(printf '%03000d' 0)
wide=$(printf '%0900d' 0)
deep=$(printf '%040d' 0 | sed -e 's/0/[/g')
: >"$T/statuses"
writes=$(count_writes \
    "POST$NL$COLL$NL{\"availability\":\"$long\",\"activity\":\"a\"}" \
    "POST$NL$COLL$NL{\"availability\":\"a\",\"activity\":\"$huge\"}" \
    "POST$NL$COLL$NL{\"availability\":\"a\",\"activity\":\"$huge$huge\"}" \
    "POST$NL$COLL$NL{\"availability\":\"a\",\"activity\":\"b\",\"x\":$deep}" \
    "POST$NL$COLL$NL{\"id\":\"not-a-guid\",\"availability\":\"a\",\"activity\":\"b\"}" \
    "POST$NL$COLL$NL{\"availability\":\"a\",\"activity\":\"b\",\"sequenceNumber\":\"1\"}" \
    "GET$NL$COLL/$wide" \
    "DELETE$NL$COLL/0000000000000000000000000000000000000000000000000000" \
    "GET$NL$COLL?\$skiptoken=$wide" \
    "GET$NL$COLL?\$top=100000")
is "$writes" 0 "requests over the bounds cause no file write or sync" ||
    diag_file "$T/statuses"
ok "each of them is refused with a 4xx" \
    [ "$(grep -c '^4[0-9][0-9] ' "$T/statuses")" -eq 10 ] ||
    diag_file "$T/statuses"
: >"$T/statuses"
writes=$(count_writes "POST$NL$COLL$NL{\"availability\":\"a\",\"activity\":\"b\"}")
ok "while one valid create does write ($writes)" [ "${writes:-0}" -gt 0 ]
done_testing
