#!/bin/sh
# import of presences with sessions and preferred presences, through the
# real presence-console: an export line (as codec_presence_to_export
# writes it) imported into an empty database comes back byte-identical;
# --resume skips the same lines and refuses different sessions; a bad
# session member is refused with its line and the member named.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

CONSOLE=$top_builddir/presence-console
SESSIONDB=$top_builddir/tests/console/sessiondb

tap_init console-import-sessions
[ -x "$CONSOLE" ] || bail_out "'$CONSOLE' is not built"
[ -x "$SESSIONDB" ] || bail_out "'$SESSIONDB' is not built"

# console ARG...: run presence-console; sets RC, $T/out and $T/err.
console() {
	"$CONSOLE" "$@" >"$T/out" 2>"$T/err"
	RC=$?
}

# line_of ID FILE: the line of FILE holding the presence ID.
line_of() {
	grep -F "\"id\":\"$1\"" "$2"
}

ID1=11111111-1111-4111-8111-111111111111
ID2=22222222-2222-4222-8222-222222222222

"$SESSIONDB" seed "$T/a" >"$T/seed.err" 2>&1 ||
    { diag_file "$T/seed.err"; bail_out "cannot seed a database"; }
"$SESSIONDB" dump "$T/a" >"$T/a.jsonl" 2>"$T/dump.err" ||
    { diag_file "$T/dump.err"; bail_out "cannot dump it"; }
like "$(line_of $ID1 "$T/a.jsonl")" \
    '"sessionsSeen":true,"sessions":\[\{"sessionId":"phone \\"work\\"".*"preferredPresence":\{"availability":"DoNotDisturb"' \
    "the export line holds the sessions and the preferred presence"

console --db "$T/b" import "$T/a.jsonl"
is "$RC" 0 "it imports into an empty database" || diag_file "$T/err"
is "$(cat "$T/out")" "imported 4 presences from '$T/a.jsonl'" "all four"
"$SESSIONDB" dump "$T/b" >"$T/b.jsonl" 2>"$T/dump.err"
if cmp -s "$T/a.jsonl" "$T/b.jsonl"; then
	pass "and comes back byte-identical"
else
	fail "and comes back byte-identical" "$(diff "$T/a.jsonl" "$T/b.jsonl")"
fi

console --db "$T/b" --resume import "$T/a.jsonl"
is "$RC" 0 "--resume over the same lines succeeds" || diag_file "$T/err"
like "$(cat "$T/out")" "imported 0 presences .*; 4 were there already" \
    "skipping all four"

# The same presence with another session: refused by name.
line_of $ID1 "$T/a.jsonl" | sed -e 's/"sessionId":"desk"/"sessionId":"laptop"/' \
    >"$T/other.jsonl"
console --db "$T/b" --resume import "$T/other.jsonl"
is "$RC" 1 "--resume refuses a presence with other sessions"
like "$(cat "$T/err")" "different 'sessions'" "naming them" ||
    diag_file "$T/err"
line_of $ID2 "$T/a.jsonl" | sed -e 's/,"sessionsSeen":true//' \
    >"$T/unseen.jsonl"
console --db "$T/b" --resume import "$T/unseen.jsonl"
is "$RC" 1 "and one that forgets a session existed"
like "$(cat "$T/err")" "different 'sessionsSeen'" "naming the flag" ||
    diag_file "$T/err"

# Bad session members, each refused with its line and name.
{
	line_of $ID1 "$T/a.jsonl" |
	    sed -e 's/"sessionId":"desk"/"sessionId":"phone \\"work\\""/'
	line_of $ID1 "$T/a.jsonl" | sed -e 's/"InACall"/"Busy"/'
	line_of $ID1 "$T/a.jsonl" |
	    sed -e 's/"preferredPresence":{"availability":"DoNotDisturb"/"preferredPresence":{"availability":"Presenting"/'
} >"$T/bad.jsonl"
console --db "$T/c" import "$T/bad.jsonl"
is "$RC" 1 "bad sessions are refused"
like "$(cat "$T/err")" ":1: 'sessions\\[1\\]\\.sessionId' repeats" \
    "a repeated sessionId, by line and member" || diag_file "$T/err"
like "$(cat "$T/err")" ":2: 'sessions\\[0\\]\\.activity' is not in a pair" \
    "a pair setPresence does not take" || diag_file "$T/err"
like "$(cat "$T/err")" ":3: 'preferredPresence\\.availability'" \
    "a preferred pair it does not take" || diag_file "$T/err"

# A line of the previous release, without them, still imports.
sed -e 's/,"sessionsSeen".*}$/}/' -e 's/,"preferredPresence".*}$/}/' \
    "$T/a.jsonl" >"$T/old.jsonl"
console --db "$T/d" import "$T/old.jsonl"
is "$RC" 0 "lines without sessions import" || diag_file "$T/err"
"$SESSIONDB" dump "$T/d" >"$T/d.jsonl" 2>"$T/dump.err"
if cmp -s "$T/old.jsonl" "$T/d.jsonl"; then
	pass "as presences without sessions"
else
	fail "as presences without sessions" "$(diff "$T/old.jsonl" "$T/d.jsonl")"
fi

done_testing
