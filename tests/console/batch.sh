#!/bin/sh
# export and import: JSON Lines of the API's JSON; export -> import into
# an empty database round-trips byte for byte; every bad line is reported
# and nothing is written; --batch commits in steps; the command line.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

CONSOLE=$top_builddir/presence-console
GEN=$top_srcdir/tests/console/gen.awk

tap_init console-batch
[ -x "$CONSOLE" ] || bail_out "'$CONSOLE' is not built"
require_fcgi
require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin

# console ARG...: run presence-console; sets RC, $T/out and $T/err.
console() {
	"$CONSOLE" "$@" >"$T/out" 2>"$T/err"
	RC=$?
}

# count_of DB: the presences in DB, by exporting it.
count_of() {
	"$CONSOLE" --db "$1" export | wc -l | tr -d ' '
}

# --- the command line -------------------------------------------------------
console --help
is "$RC" 0 "--help exits 0"
like "$(cat "$T/out")" "presence-console \\[OPTION\\.\\.\\.\\] import" \
    "--help shows the usage"
console --version
like "$(cat "$T/out")" "^presence-console [0-9]+\\.[0-9]+" "--version"
console --db "$T/x" frobnicate
is "$RC" 2 "an unknown command is a usage error"
like "$(cat "$T/err")" "unknown command 'frobnicate'" "and says which"
console --db "$T/x" import
is "$RC" 2 "import without a file is a usage error"
console --db "$T/x" --read-only import "$T/none"
is "$RC" 2 "import with --read-only is a usage error"
console --db "$T/x" --batch 0 import "$T/none"
is "$RC" 2 "--batch 0 is refused"
console --db "$T/x" --batch 5 export
is "$RC" 2 "--batch with export is refused"
PRESENCE_MAP_SIZE=lots "$CONSOLE" --db "$T/x" export >/dev/null 2>"$T/err"
like "$(cat "$T/err")" "PRESENCE_MAP_SIZE" "a bad environment variable is named"
console --db "$T/missing" export
is "$RC" 1 "exporting a database that does not exist fails"
like "$(cat "$T/err")" "^presence-console: cannot open database '$T/missing': " \
    "with the usual message"

# --- round trip: records made by presence-fcgi ------------------------------
fcgi_start --db "$T/a" || bail_out "presence-fcgi did not start"
need_token "$T/a"
for v in Available Busy Away DoNotDisturb 'Caf\u00e9 \u65e5\u672c' 'a\\\"b/c'; do
	fcgi_request -t application/json \
	    -d "{\"availability\":\"$v\",\"activity\":\"InACall\"}" \
	    POST /communications/presences
	[ "$RESP_STATUS" = 201 ] || { resp_diag; bail_out "cannot create"; }
done
fcgi_request GET '/communications/presences?$top=999'
json_ids "$T/resp.body" >"$T/ids.api"
console --db "$T/a" export
is "$RC" 0 "export exits 0"
cp "$T/out" "$T/a.jsonl"
is "$(wc -l <"$T/a.jsonl" | tr -d ' ')" 6 "one line per presence"
sed -e 's/^.*"id":"\([^"]*\)".*$/\1/' "$T/a.jsonl" >"$T/ids.export"
if cmp -s "$T/ids.api" "$T/ids.export"; then
	pass "in id order, as the API lists them"
else
	fail "in id order, as the API lists them"
fi
FIRST=$(head -n 1 "$T/ids.export")
# A GET's JSON less its context, and less what a presence says beside its
# availability while that is the default: export writes it only when set.
plain_entity() {
	json_entity "$1" | sed -e 's/"statusMessage":null,"outOfOfficeSettings":{"isOutOfOffice":false,"message":null},"workLocation":{"workLocationType":"unspecified","source":"none","placeId":null},//'
}
fcgi_request GET "/communications/presences/$FIRST"
is "$(head -n 1 "$T/a.jsonl")" "$(plain_entity "$T/resp.body")" \
    "each line is the API's JSON for the presence (less its context and the defaults it shows)"
console --db "$T/b" import "$T/a.jsonl"
is "$RC" 0 "import into an empty database exits 0"
is "$(cat "$T/out")" "imported 6 presences from '$T/a.jsonl'" "and counts"
"$CONSOLE" --db "$T/b" export >"$T/b.jsonl"
if cmp -s "$T/a.jsonl" "$T/b.jsonl"; then
	pass "export -> import -> export is byte-identical"
else
	fail "export -> import -> export is byte-identical" \
	    "$(diff "$T/a.jsonl" "$T/b.jsonl" | head -n 5)"
fi
stop_pid "$FCGI_PID"
fcgi_start --db "$T/b" || bail_out "presence-fcgi did not start"
need_token "$T/b"
fcgi_request GET "/communications/presences/$FIRST"
is "$(plain_entity "$T/resp.body")" "$(head -n 1 "$T/a.jsonl")" \
    "presence-fcgi serves an imported presence exactly as before"
fcgi_request -t application/json -d '{"availability":"Busy","activity":"Busy"}' \
    POST /communications/presences
SEQ_A=$(sed -e 's/^.*"sequenceNumber":"\([0-9a-f]*\)".*$/\1/' "$T/a.jsonl" |
    sort | tail -n 1)
SEQ_NEW=$(json_str sequenceNumber "$T/resp.body")
ok "a write after the import gets a later sequenceNumber ($SEQ_NEW > $SEQ_A)" \
    test "$SEQ_NEW" \> "$SEQ_A"
stop_pid "$FCGI_PID"

console --db "$T/c" import - <"$T/a.jsonl"
is "$RC" 0 "import - reads standard input"
"$CONSOLE" --db "$T/c" export | cmp -s - "$T/a.jsonl"
is "$?" 0 "with the same result"
console --db "$T/empty" import /dev/null
is "$RC" 1 "a file that is not a regular file is refused"
: >"$T/nothing.jsonl"
console --db "$T/empty" import "$T/nothing.jsonl"
is "$RC" 0 "an empty file imports nothing"
console --db "$T/empty" export
is "$(cat "$T/out")" "" "the export of an empty database is empty"

# --- bad lines: every one reported, nothing written -------------------------
awk -v n=5 -f "$GEN" >"$T/good.jsonl"
L1=$(sed -n 1p "$T/good.jsonl")
L2=$(sed -n 2p "$T/good.jsonl")
L3=$(sed -n 3p "$T/good.jsonl")
{
	echo "$L1"
	echo '{"@odata.type":"#microsoft.graph.presence","id":'
	echo "$L2" | sed -e 's/"availability":"[^"]*"/"availability":""/'
	echo "$L3" | sed -e 's/"activity":"[^"]*"/"activity":"a\\u0001b"/'
	echo "$L3" | sed -e 's/00000003-0003-4003-8003-000000000003/not-a-guid/'
	echo ""
	echo "$L3" | sed -e 's/}$/,"extra":1}/'
	echo "$L3" | sed -e 's/,"createdDateTime":"[^"]*"//'
	echo "$L1"
	sed -n 4,5p "$T/good.jsonl"
} >"$T/bad.jsonl"
console --db "$T/d" import "$T/bad.jsonl"
is "$RC" 1 "a file with bad lines fails"
for n in 2 3 4 5 6 7 8 9; do
	like "$(cat "$T/err")" "^$T/bad.jsonl:$n: " "line $n is reported"
done
unlike "$(cat "$T/err")" "bad.jsonl:(1|10|11): " "good lines are not"
like "$(grep ':3: ' "$T/err")" "availability" "each with its reason (line 3)"
like "$(grep ':8: ' "$T/err")" "must be given together" \
    "one time without the other is bad (line 8)"
like "$(grep ':9: ' "$T/err")" "duplicate id .* \\(first on line 1\\)" \
    "a repeated id names the first line with it"
like "$(cat "$T/err")" "nothing imported: 8 of 11 lines are bad" \
    "the summary counts them"
is "$(count_of "$T/d")" 0 "and nothing was written"
console --db "$T/d" --batch 2 import "$T/bad.jsonl"
is "$RC" 1 "with --batch too"
is "$(count_of "$T/d")" 0 "nothing was written either"

# An id that is already stored is a bad line too.
console --db "$T/e" import "$T/good.jsonl"
is "$RC" 0 "five presences"
{
	awk -v n=7 -f "$GEN" | sed -n 6,7p
	sed -n 2p "$T/good.jsonl"
} >"$T/again.jsonl"
console --db "$T/e" import "$T/again.jsonl"
is "$RC" 1 "importing an id that exists fails"
like "$(cat "$T/err")" "again.jsonl:3: presence '00000002-[^']*' already exists" \
    "naming the line and the id"
is "$(count_of "$T/e")" 5 "and writes nothing"

# Graph value mode: the database's rules apply to imports.
fcgi_start --db "$T/g" --value-mode graph || bail_out "presence-fcgi did not start"
stop_pid "$FCGI_PID"
sed -e 's/"activity":"[^"]*"/"activity":"Reading"/' "$T/good.jsonl" >"$T/free.jsonl"
console --db "$T/g" import "$T/free.jsonl"
is "$RC" 1 "a graph-mode database refuses other values"
is "$(grep -c "must be one of Graph's" "$T/err")" 5 "on every line"

# --- batches ----------------------------------------------------------------
awk -v n=1000 -f "$GEN" >"$T/k.jsonl"
console --db "$T/f" --batch 64 import "$T/k.jsonl"
is "$RC" 0 "--batch 64 imports 1000 lines"
is "$(cat "$T/out")" \
    "imported 1000 presences from '$T/k.jsonl' with new sequence numbers" \
    "and counts them"
"$CONSOLE" --db "$T/f" export | cmp -s - "$T/k.jsonl"
is "$?" 0 "the export equals the file imported (numbered in steps, in order)"
# A tiny map that must grow many times under the load.
PRESENCE_MAP_SIZE=64K PRESENCE_MAP_MAX=64M \
    "$CONSOLE" --db "$T/h" --batch 100 import "$T/k.jsonl" >"$T/out" 2>"$T/err"
is "$?" 0 "batches run again from their start when the map grows"
"$CONSOLE" --db "$T/h" export | cmp -s - "$T/k.jsonl"
is "$?" 0 "with nothing lost or doubled"
PRESENCE_MAP_SIZE=64K PRESENCE_MAP_MAX=64M \
    "$CONSOLE" --db "$T/i" import - <"$T/k.jsonl" >"$T/out" 2>"$T/err"
is "$?" 0 "so does one transaction of everything"
is "$(count_of "$T/i")" 1000 "all of it"
# The map cannot hold it: batches before the failure stay.
PRESENCE_MAP_SIZE=64K PRESENCE_MAP_MAX=128K \
    "$CONSOLE" --db "$T/j" --batch 100 import "$T/k.jsonl" >"$T/out" 2>"$T/err"
is "$?" 1 "a full map stops the import"
like "$(cat "$T/err")" "maximum size" "and says why"
N=$(count_of "$T/j")
ok "the batches committed before it stay ($N)" test "$N" -gt 0 -a "$N" -lt 1000
like "$(cat "$T/err")" "import stopped: $N presences were imported" \
    "the summary says how many"
PRESENCE_MAP_SIZE=64K PRESENCE_MAP_MAX=128K \
    "$CONSOLE" --db "$T/l" import "$T/k.jsonl" >"$T/out" 2>"$T/err"
is "$?" 1 "without --batch"
is "$(count_of "$T/l")" 0 "nothing is written"

done_testing
