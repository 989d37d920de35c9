#!/bin/sh
# presence-fcgi's life: SIGTERM stops an idle responder with status 0 and
# lets a responder finish the request in hand; a responder killed with
# SIGKILL and started again still serves every record it acknowledged.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
require_tool "$MDB_STAT" mdb_stat lmdb-utils
require_fcgi
tap_init blackbox-lifecycle

mkdir "$T/db" || bail_out "cannot create the database directory"
need_token "$T/db"
COLL=/communications/presences

# --- SIGTERM to an idle responder ---------------------------------------------

fcgi_start --db "$T/db" || bail_out "presence-fcgi did not start"
fcgi_request GET "$COLL"
is "$RESP_STATUS" 200 "the responder answers before SIGTERM"
kill -TERM "$FCGI_PID"
if wait_exit "$FCGI_PID" 5; then
	pass "idle responder exits within 5 s of SIGTERM"
	is "$tap_status" 0 "idle responder exits 0 on SIGTERM"
else
	fail "idle responder exits within 5 s of SIGTERM"
	fail "idle responder exits 0 on SIGTERM" "it is still running"
fi

# --- SIGTERM while a request is in hand ----------------------------------------

# The body reaches cgi-fcgi through a FIFO in two parts, with SIGTERM in
# between, while the responder waits for the rest of it.
fcgi_start --db "$T/db" || bail_out "presence-fcgi did not start"
mkfifo "$T/body.fifo" || bail_out "cannot create a FIFO"
part1='{"availability":"Available",'
part2='"activity":"Terminated mid-request"}'
len=$((${#part1} + ${#part2}))
timeout 20 env -i REQUEST_METHOD=POST SCRIPT_NAME= PATH_INFO="$COLL" \
    REQUEST_URI="$COLL" QUERY_STRING= SERVER_PROTOCOL=HTTP/1.1 \
    GATEWAY_INTERFACE=CGI/1.1 HTTP_HOST=presence.test \
    CONTENT_TYPE=application/json CONTENT_LENGTH="$len" \
    HTTP_AUTHORIZATION="Bearer $TOKEN" \
    "$CGI_FCGI" -bind -connect "$FCGI_SOCK" \
    <"$T/body.fifo" >"$T/resp.raw" 2>"$T/resp.err" &
CLIENT_PID=$!
track_pid "$CLIENT_PID"
exec 3>"$T/body.fifo"
printf '%s' "$part1" >&3

# The responder holds the request once it has a second socket open (the
# accepted connection next to the listening one).
sockets_open() {
	is_running "$FCGI_PID" || return 2
	n=0
	for fd in "/proc/$FCGI_PID/fd"/*; do
		case $(readlink "$fd" 2>/dev/null) in
		socket:*) n=$((n + 1)) ;;
		esac
	done
	[ "$n" -ge 2 ]
}
if wait_for 10 sockets_open; then
	pass "the responder accepted the request"
else
	fail "the responder accepted the request"
fi
kill -TERM "$FCGI_PID"
# A wrong responder quits before the body is complete: give it a second.
if wait_for 1 is_gone "$FCGI_PID"; then
	fail "the responder keeps running for the request in hand"
else
	pass "the responder keeps running for the request in hand"
fi
printf '%s' "$part2" >&3
exec 3>&-
if wait_exit "$CLIENT_PID" 10; then
	resp_split "$T/resp.raw"
	is "$RESP_STATUS" 201 "the request in hand is answered 201" || resp_diag
else
	fail "the request in hand is answered 201" "cgi-fcgi did not finish"
fi
TERM_ID=$(json_str id "$T/resp.body")
if wait_exit "$FCGI_PID" 5; then
	is "$tap_status" 0 "then the responder exits 0"
else
	fail "then the responder exits 0" "still running 5 s after the answer"
fi

# --- SIGKILL loses nothing acknowledged ------------------------------------------

fcgi_start --db "$T/db" || bail_out "presence-fcgi did not start"
if [ -n "$TERM_ID" ]; then
	fcgi_request GET "$COLL/$TERM_ID"
	is "$RESP_STATUS" 200 "the record created during SIGTERM was stored"
else
	fail "the record created during SIGTERM was stored" "no id was answered"
fi

: >"$T/acked"
n=0
while [ $n -lt 25 ]; do
	fcgi_request -t application/json \
	    -d '{"availability":"Busy","activity":"record '"$n"'"}' POST "$COLL"
	if [ "$RESP_STATUS" = 201 ]; then
		json_str id "$T/resp.body" >>"$T/acked"
	else
		resp_diag
	fi
	n=$((n + 1))
done
is "$(wc -l <"$T/acked" | tr -d ' ')" 25 "25 creates acknowledged"

kill -KILL "$FCGI_PID"
if wait_exit "$FCGI_PID" 5; then
	is "$tap_status" 137 "the responder died of SIGKILL"
else
	fail "the responder died of SIGKILL" "still running"
fi

is "$(db_entries "$T/db")" 26 "mdb_stat counts the 26 records after SIGKILL"

fcgi_start --db "$T/db" || bail_out "presence-fcgi did not restart"
pass "the responder restarts on the database after SIGKILL"
missing=0
while read -r id; do
	fcgi_request GET "$COLL/$id"
	if [ "$RESP_STATUS" != 200 ] ||
	    [ "$(json_str id "$T/resp.body")" != "$id" ]; then
		missing=$((missing + 1))
		diag "GET $COLL/$id -> $RESP_STATUS"
	fi
done <"$T/acked"
is "$missing" 0 "every acknowledged record is served after SIGKILL"

fcgi_request GET "$COLL?\$top=999"
is "$(json_ids "$T/resp.body" | wc -l | tr -d ' ')" 26 \
    "the list has the 26 records, no more"

# A create after the restart still works (the store is writable).
fcgi_request -t application/json -d '{"availability":"A","activity":"B"}' \
    POST "$COLL"
is "$RESP_STATUS" 201 "create after the restart: 201"

# Every responder's stderr, for the log.
for f in "$T"/fcgi.*.err; do
	[ -s "$f" ] && { diag "$(basename "$f"):"; diag_file "$f"; }
done
done_testing
