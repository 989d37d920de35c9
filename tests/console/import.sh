#!/bin/sh
# import against a live database and after a crash: sequence numbers are
# never shared and each write's is above every number stored before it,
# whatever the mix of creates through presence-fcgi and `import --batch`;
# create-shaped lines are filled in as the API fills them in, under the
# API's rules; an import killed with SIGKILL resumes with --resume to the
# database a full import makes.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

CONSOLE=$top_builddir/presence-console
GEN=$top_srcdir/tests/console/gen.awk

tap_init console-import
[ -x "$CONSOLE" ] || bail_out "'$CONSOLE' is not built"
require_fcgi
require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
require_tool "$MDB_STAT" mdb_stat lmdb-utils

# console ARG...: run presence-console; sets RC, $T/out and $T/err.
console() {
	"$CONSOLE" "$@" >"$T/out" 2>"$T/err"
	RC=$?
}

# seqs FILE: the sequenceNumber of each line of an export, in order.
seqs() {
	sed -e 's/^.*"sequenceNumber":"\([0-9a-f]*\)".*$/\1/' "$1"
}

# rising FILE: whether the lines of FILE (fixed-width hex) strictly rise.
rising() {
	awk 'NR > 1 && $0 "" <= prev { exit 1 } { prev = $0 "" }' "$1"
}

# create: one create through presence-fcgi; prints its sequenceNumber.
create() {
	fcgi_request -t application/json \
	    -d '{"availability":"Available","activity":"InACall"}' \
	    POST /communications/presences
	[ "$RESP_STATUS" = 201 ] || return 1
	json_str sequenceNumber "$T/resp.body"
}

# entries_above DB N: whether DB holds more than N presences (2 when
# the import at $IMPORT_PID is gone, so waiting is pointless).
entries_above() {
	[ "$(db_entries "$1")" -gt "$2" ] 2>/dev/null && return 0
	is_running "$IMPORT_PID" || return 2
	return 1
}

# --- creates through presence-fcgi between the batches of an import ---------
# Each create is made after the import committed one more batch and while
# it still runs; a fast machine finishes a small file before that, so the
# file grows until creates land between batches.
N=3000
INTERLEAVED=0
for attempt in 1 2 3; do
	DB=$T/live.$attempt
	fcgi_start --db "$DB" || bail_out "presence-fcgi did not start"
	need_token "$DB"
	: >"$T/creates"
	for i in 1 2 3; do
		create >>"$T/creates" || { resp_diag; bail_out "cannot create"; }
	done
	awk -v n=$N -f "$GEN" >"$T/k.jsonl"
	"$CONSOLE" --db "$DB" --batch 2 import "$T/k.jsonl" \
	    >"$T/import.out" 2>"$T/import.err" &
	IMPORT_PID=$!
	track_pid "$IMPORT_PID"
	seen=3 i=0
	while [ $i -lt 20 ] && wait_for 60 entries_above "$DB" "$seen" &&
	    is_running "$IMPORT_PID"; do
		create >>"$T/creates" || { resp_diag; bail_out "cannot create"; }
		is_running "$IMPORT_PID" && INTERLEAVED=$((INTERLEAVED + 1))
		seen=$(db_entries "$DB")
		i=$((i + 1))
	done
	wait_exit "$IMPORT_PID" 120 || bail_out "the import did not end"
	IMPORT_RC=$tap_status
	for i in 1 2 3; do
		create >>"$T/creates" || { resp_diag; bail_out "cannot create"; }
	done
	stop_pid "$FCGI_PID"
	[ "$INTERLEAVED" -gt 0 ] && break
	diag "no create landed inside an import of $N lines; trying $((N * 4))"
	N=$((N * 4))
done
is "$IMPORT_RC" 0 "import --batch 2 of $N lines beside live creates exits 0"
ok "creates were made between its batches ($INTERLEAVED)" \
    test "$INTERLEAVED" -gt 0
"$CONSOLE" --db "$DB" export >"$T/live.jsonl"
is "$(wc -l <"$T/live.jsonl" | tr -d ' ')" $((N + $(wc -l <"$T/creates"))) \
    "every line and every create is stored"
seqs "$T/live.jsonl" | sort | uniq -d >"$T/dups"
is "$(wc -l <"$T/dups" | tr -d ' ')" 0 "no two presences share a number"
# The import's lines, in file order, as stored.
sed -e 's/^.*"id":"\([^"]*\)".*$/\1/' "$T/k.jsonl" >"$T/ids.k"
awk 'NR == FNR { want[$0] = 1; next }
    { id = $0; sub(/^.*"id":"/, "", id); sub(/".*$/, "", id) }
    id in want' "$T/ids.k" "$T/live.jsonl" >"$T/imported.jsonl"
seqs "$T/imported.jsonl" >"$T/imported.seq"	# id order = file order
ok "each batch's numbers are above every earlier one's, in file order" \
    rising "$T/imported.seq"
ok "each create's number is above every earlier one's" rising "$T/creates"
FIRST_IMPORTED=$(head -n 1 "$T/imported.seq")
ok "the first imported line is above the creates before the import" \
    test "$FIRST_IMPORTED" \> "$(sed -n 3p "$T/creates")"
LAST_IMPORTED=$(tail -n 1 "$T/imported.seq")
ok "the creates after the import are above all of it" \
    test "$(tail -n 3 "$T/creates" | head -n 1)" \> "$LAST_IMPORTED"
BETWEEN=$(awk -v lo="$FIRST_IMPORTED" -v hi="$LAST_IMPORTED" \
    '$0 "" > lo && $0 "" < hi' "$T/creates" | wc -l | tr -d ' ')
ok "creates made during the import fall between its batches ($BETWEEN)" \
    test "$BETWEEN" -gt 0

# An export of another database into this live one, in one transaction:
# its numbers (1 to 10) are taken already, so they are given anew.
TOP=$(seqs "$T/live.jsonl" | sort | tail -n 1)
awk -v n=10 -f "$GEN" | sed -e 's/"id":"0000/"id":"ffff/' >"$T/other.jsonl"
console --db "$DB" import "$T/other.jsonl"
is "$RC" 0 "lower numbers import into a live database"
is "$(cat "$T/out")" \
    "imported 10 presences from '$T/other.jsonl' with new sequence numbers" \
    "saying they were given new numbers"
"$CONSOLE" --db "$DB" export | grep '"id":"ffff' >"$T/other.out"
seqs "$T/other.out" >"$T/other.seq"
ok "each above every number stored before ($(head -n 1 "$T/other.seq") > $TOP)" \
    test "$(head -n 1 "$T/other.seq")" \> "$TOP"
ok "in file order" rising "$T/other.seq"
"$CONSOLE" --db "$DB" export | seqs /dev/stdin | sort | uniq -d >"$T/dups"
is "$(wc -l <"$T/dups" | tr -d ' ')" 0 "still no number is shared"

# --- create-shaped lines ----------------------------------------------------
BEFORE="$(date -u +%Y-%m-%dT%H:%M:%S).000Z"
awk -v n=1 -f "$GEN" >"$T/full.jsonl"
{
	echo '{"availability":"Available","activity":"Available"}'
	echo '{"@odata.type":"#microsoft.graph.presence","availability":"Busy","activity":"InACall"}'
	echo '{"id":"ABCDEF01-1111-4222-8333-444444444444","availability":"Away","activity":"Away"}'
	cat "$T/full.jsonl"
} >"$T/api.jsonl"
console --db "$T/api" import "$T/api.jsonl"
AFTER="$(date -u -d '+1 second' +%Y-%m-%dT%H:%M:%S).999Z"
is "$RC" 0 "lines shaped like create requests import"
like "$(cat "$T/out")" "^imported 4 presences" "all four"
"$CONSOLE" --db "$T/api" export >"$T/api.out"
NOSEQ='s/"sequenceNumber":"[0-9a-f]*",//'
sed -e "$NOSEQ" "$T/api.out" | grep -qF "$(sed -e "$NOSEQ" "$T/full.jsonl")"
is "$?" 0 "an export line beside them keeps its id, values and times"
grep -v '"id":"00000001-' "$T/api.out" >"$T/api.new"
json_ids "$T/api.new" | grep -Ec "$GUID_V4_ERE" >"$T/n"
is "$(cat "$T/n")" 3 "the others have lowercase GUIDs"
grep -c '"id":"abcdef01-1111-4222-8333-444444444444"' "$T/api.new" >"$T/n"
is "$(cat "$T/n")" 1 "a given id is kept, in lowercase"
awk -v lo="$BEFORE" -v hi="$AFTER" '{
	c = $0; sub(/^.*"createdDateTime":"/, "", c); sub(/".*$/, "", c)
	m = $0; sub(/^.*"lastModifiedDateTime":"/, "", m); sub(/".*$/, "", m)
	if (c != m || c < lo || c > hi) bad++ }
	END { exit bad > 0 }' "$T/api.new"
is "$?" 0 "stamped with the time of the import"
seqs "$T/api.out" | sort | tr '\n' ' ' >"$T/n"
is "$(cat "$T/n")" "0000000000010000 0000000000020000 0000000000030000 0000000000040000 " \
    "and numbered like creates (in steps of 0x10000)"

# Validation is the API's: the same bodies are accepted and refused.
fcgi_start --db "$T/rules" || bail_out "presence-fcgi did not start"
need_token "$T/rules"
while IFS= read -r body; do
	fcgi_request -t application/json -d "$body" POST /communications/presences
	printf '%s\n' "$body" >"$T/one.jsonl"
	console --db "$T/rules.import" import "$T/one.jsonl"
	case $RESP_STATUS:$RC in
	201:0|400:1) pass "API $RESP_STATUS, import $RC: $body" ;;
	*) fail "API $RESP_STATUS, import $RC: $body" "$(cat "$T/err")" ;;
	esac
done <<'EOF'
{"availability":"Available","activity":"Available"}
{"@odata.type":"#microsoft.graph.presence","availability":"A","activity":"B"}
{"availability":"","activity":"Available"}
{"availability":"Available"}
{"availability":"Available","activity":7}
{"availability":"A\u0001","activity":"B"}
{"@odata.type":"#microsoft.graph.user","availability":"A","activity":"B"}
{"id":"not-a-guid","availability":"A","activity":"B"}
{"availability":"A","activity":"B","colour":"red"}
{"availability":"A","activity":"B","availability":"C"}
EOF
stop_pid "$FCGI_PID"
fcgi_start --db "$T/graph" --value-mode graph || bail_out "presence-fcgi did not start"
stop_pid "$FCGI_PID"
echo '{"availability":"Available","activity":"Reading"}' >"$T/one.jsonl"
console --db "$T/graph" import "$T/one.jsonl"
is "$RC" 1 "a graph-mode database refuses a value outside Graph's"
like "$(cat "$T/err")" "one.jsonl:1: .*must be one of Graph's" "naming the line"

# --- a killed import resumes ------------------------------------------------
# SIGKILL once some batches are committed; a fast machine finishes a small
# file first, so the file grows until the kill lands mid-way.
N=20000
for attempt in 1 2 3; do
	K=$T/killed.$attempt
	awk -v n=$N -f "$GEN" >"$T/big.jsonl"
	"$CONSOLE" --db "$K" --batch 10 import "$T/big.jsonl" \
	    >"$T/import.out" 2>"$T/import.err" &
	IMPORT_PID=$!
	track_pid "$IMPORT_PID"
	wait_for 60 entries_above "$K" 0
	kill -KILL "$IMPORT_PID" 2>/dev/null
	wait "$IMPORT_PID" 2>/dev/null
	C=$(db_entries "$K")
	[ -n "$C" ] && [ "$C" -gt 0 ] && [ "$C" -lt "$N" ] && break
	diag "the kill did not land inside an import of $N lines ($C)"
	N=$((N * 4))
done
ok "SIGKILL stopped the import mid-way ($C of $N)" \
    test -n "$C" -a "$C" -gt 0 -a "$C" -lt "$N"
console --db "$K" --batch 10 import "$T/big.jsonl"
is "$RC" 1 "running it again without --resume is refused"
like "$(cat "$T/err")" "stored already with the same content: --resume skips" \
    "with a hint"
is "$(db_entries "$K")" "$C" "and writes nothing"
console --db "$K" --batch 10 --resume import "$T/big.jsonl"
is "$RC" 0 "--resume goes on"
is "$(cat "$T/out")" "imported $((N - C)) presences from '$T/big.jsonl' with new sequence numbers; $C were there already" \
    "counting what it skipped"
"$CONSOLE" --db "$K" export >"$T/resumed.jsonl"
"$CONSOLE" --db "$T/full" import "$T/big.jsonl" >/dev/null 2>&1 ||
    bail_out "cannot import '$T/big.jsonl' in one go"
"$CONSOLE" --db "$T/full" export >"$T/full.out"
if cmp -s "$T/resumed.jsonl" "$T/full.out"; then
	pass "the database equals a full import, byte for byte"
else
	fail "the database equals a full import, byte for byte" \
	    "$(diff "$T/resumed.jsonl" "$T/full.out" | head -n 5)"
fi
console --db "$K" --resume import "$T/big.jsonl"
is "$RC" 0 "resuming a finished import changes nothing"
like "$(cat "$T/out")" "^imported 0 presences .*; $N were there already" \
    "it skips every line"

# A presence stored with other content is refused, naming line and id.
awk -v n=10 -f "$GEN" >"$T/ten.jsonl"
head -n 5 "$T/ten.jsonl" >"$T/five.jsonl"
console --db "$T/part" import "$T/five.jsonl"
sed -e '3s/"activity":"[^"]*"/"activity":"Changed"/' "$T/ten.jsonl" \
    >"$T/changed.jsonl"
console --db "$T/part" --batch 2 --resume import "$T/changed.jsonl"
is "$RC" 1 "--resume refuses a presence stored with other content"
like "$(cat "$T/err")" \
    "changed.jsonl:3: presence '00000003-[^']*' already exists in the database with a different 'activity'" \
    "naming the line, the id and the property"
is "$(db_entries "$T/part")" 5 "and writes nothing"
{
	sed -n 6,10p "$T/ten.jsonl"
	echo '{"availability":"Available","activity":"Available"}'
} >"$T/noid.jsonl"
console --db "$T/part" --resume import "$T/noid.jsonl"
is "$RC" 1 "--resume refuses a line without an id"
like "$(cat "$T/err")" "noid.jsonl:6: .*cannot be resumed" "saying why"
console --db "$T/part" --resume export
is "$RC" 2 "--resume is only for import"

done_testing
