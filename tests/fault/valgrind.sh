#!/bin/sh
# The request path under valgrind's memcheck: the in-process handler tests
# (tests/fcgi/handler), then presence-fcgi itself, black-box through
# cgi-fcgi, over every kind of answer it gives, until SIGTERM.  Both must
# end with no error and no leak of any kind; the one block suppressed is
# libfcgi's I/O table, which it allocates once and keeps
# (tests/fault/valgrind.supp).  Not run in sanitizer builds, whose
# binaries valgrind cannot run; `make valgrind` runs it alone.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

VALGRIND=$(command -v valgrind || :)
HANDLER=$top_builddir/tests/fcgi/handler
require_tool "$VALGRIND" valgrind valgrind
require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
require_fcgi
[ -x "$HANDLER" ] || bail_out "'$HANDLER' is not built"
tap_init fault-valgrind

# vg ARG...: run a program under memcheck, in this process (exec).
vg() {
	exec "$VALGRIND" --error-exitcode=97 --leak-check=full \
	    --show-leak-kinds=all --errors-for-leak-kinds=all \
	    --suppressions="$top_srcdir/tests/fault/valgrind.supp" "$@"
}

# summary LOG: the error count and what leaked, from a valgrind log.
summary() {
	sed -n -e 's/^==[0-9]*== ERROR SUMMARY: \([0-9]*\) errors.*/errors: \1/p' \
	    -e 's/^==[0-9]*== *\(definitely lost\|still reachable\): \(.*\)/\1: \2/p' "$1"
}

# --- the handler tests in-process ----------------------------------------------

(cd "$top_builddir" && vg --log-file="$T/handler.vg" "$HANDLER") \
    >"$T/handler.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then
	pass "tests/fcgi/handler passes under memcheck with no error or leak"
else
	fail "tests/fcgi/handler passes under memcheck with no error or leak" \
	    "exit $rc"
	grep -v '^ok ' "$T/handler.out" | head -n 20 | sed -e 's/^/#   /'
	diag_file "$T/handler.vg" 60
fi
like "$(tail -n 1 "$T/handler.out")" '^1\.\.[0-9]+$' "and runs to its end"

# --- presence-fcgi, black-box -----------------------------------------------------

mkdir "$T/db" || bail_out "cannot create '$T/db'"
TOKEN=$(test_token "$T/db") && [ -n "$TOKEN" ] ||
    bail_out "cannot issue a token"
SOCK=$SOCKDIR/vg.sock
(vg --log-file="$T/fcgi.vg" "$PRESENCE_FCGI" --listen "$SOCK" --db "$T/db" \
    --max-body 1K) </dev/null >"$T/fcgi.out" 2>&1 &
VG_PID=$!
track_pid "$VG_PID"
FCGI_PID=$VG_PID
FCGI_SOCK=$SOCK
wait_for 30 fcgi_listening || bail_out "presence-fcgi did not start under valgrind"

COLL=/communications/presences
ID=ba441c11-1c11-ba44-111c-44ba111c44ba
statuses=
r() {
	fcgi_request "$@"
	statuses="$statuses $RESP_STATUS"
}
founding_body >"$T/founding.json"
r -t application/json -b "$T/founding.json" POST "$COLL"
r -t application/json -d "{\"id\":\"$ID\",\"availability\":\"Busy\",\"activity\":\"InACall\"}" POST "$COLL"
r -t application/json -d "{\"id\":\"$ID\",\"availability\":\"Busy\",\"activity\":\"InACall\"}" POST "$COLL"
r GET "$COLL/$ID"
r GET "/v1.0/users/$ID/presence"
r HEAD "$COLL/$ID"
r GET "$COLL?\$top=1"
r GET "$COLL?\$filter=x"
r -t application/json -d '{"availability":' POST "$COLL"
r -t text/plain -d '{}' POST "$COLL"
r -t application/json -l - POST "$COLL"
r -t application/json -d "$(printf '%02000d' 0)" POST "$COLL"
r PUT "$COLL"
r GET /nowhere
r -e HTTP_AUTHORIZATION='Bearer prs_nope' GET "$COLL"
r DELETE "$COLL/$ID"
r DELETE "$COLL/$ID"
is "$statuses" " 201 201 409 200 200 200 200 400 400 415 411 413 405 404 401 204 404" \
    "every kind of answer, under memcheck"

kill -TERM "$VG_PID"
if wait_exit "$VG_PID" 30; then
	is "$tap_status" 0 "presence-fcgi exits 0 on SIGTERM, with no error or leak"
else
	fail "presence-fcgi exits 0 on SIGTERM, with no error or leak" \
	    "it is still running"
fi
[ "${tap_status:-1}" -eq 0 ] || diag_file "$T/fcgi.vg" 80
diag "handler: $(summary "$T/handler.vg" | tr '\n' ' ')"
diag "presence-fcgi: $(summary "$T/fcgi.vg" | tr '\n' ' ')"
done_testing
