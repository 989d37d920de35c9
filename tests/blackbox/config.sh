#!/bin/sh
# presence-fcgi's configuration, through cgi-fcgi: the --listen socket's
# mode, settings from the environment and options overriding them, an
# explicit --base, the graph value mode, and a map that cannot grow (507,
# nothing half-written).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
require_tool "$MDB_STAT" mdb_stat lmdb-utils
require_fcgi
tap_init blackbox-config
COLL=/communications/presences
founding_body >"$T/founding.json"
# A 160-byte body: over 100 bytes, under 1000, its values under 128 bytes.
big='{"availability":"'$(printf '%0100d' 0)'","activity":"'$(printf '%024d' 0)'"}'

# stop_fcgi: stop the responder started last, by PID.
stop_fcgi() {
	stop_pid "$FCGI_PID"
}

# --- --listen -------------------------------------------------------------------

mkdir "$T/db" || bail_out "cannot create a database directory"
fcgi_start --db "$T/db" || bail_out "presence-fcgi did not start"
is "$(stat -c %a "$FCGI_SOCK")" 660 "--listen: the socket has mode 0660"
stop_fcgi

# --- the environment, and options over it -------------------------------------------

mkdir "$T/envdb" || bail_out "cannot create a database directory"
need_token "$T/envdb"
FCGI_SOCK=$SOCKDIR/env.sock
FCGI_ERR=$T/env.err
PRESENCE_DB=$T/envdb PRESENCE_LISTEN=$FCGI_SOCK PRESENCE_MAX_BODY=100 \
    "$PRESENCE_FCGI" </dev/null >/dev/null 2>"$FCGI_ERR" &
FCGI_PID=$!
track_pid "$FCGI_PID"
if wait_for 10 fcgi_listening; then
	pass "PRESENCE_LISTEN: listens there"
else
	fail "PRESENCE_LISTEN: listens there"
	diag_file "$FCGI_ERR"
fi
fcgi_request -t application/json -b "$T/founding.json" POST "$COLL"
is "$RESP_STATUS" 413 "PRESENCE_MAX_BODY=100: a 124-byte body is 413"
fcgi_request -t application/json -d '{"availability":"a","activity":"b"}' \
    POST "$COLL"
is "$RESP_STATUS" 201 "PRESENCE_MAX_BODY=100: a short body is 201"
is "$(db_entries "$T/envdb")" 1 "PRESENCE_DB: the record is in that database"
stop_fcgi

mkdir "$T/optdb" || bail_out "cannot create a database directory"
need_token "$T/optdb"
export PRESENCE_DB="$T/envdb" PRESENCE_MAX_BODY=100
fcgi_start --db "$T/optdb" --max-body 1000 ||
    bail_out "presence-fcgi did not start"
unset PRESENCE_DB PRESENCE_MAX_BODY
fcgi_request -t application/json -d "$big" POST "$COLL"
is "$RESP_STATUS" 201 "--max-body 1000 overrides PRESENCE_MAX_BODY=100" ||
    resp_diag
is "$(db_entries "$T/optdb")" 1 "--db overrides PRESENCE_DB (written there)"
is "$(db_entries "$T/envdb")" 1 "--db overrides PRESENCE_DB (not written here)"
stop_fcgi

# --- an explicit --base ---------------------------------------------------------------

# A server that hands over the whole path (no SCRIPT_NAME split).
need_token "$T/db"
fcgi_start --db "$T/db" --base /graph || bail_out "presence-fcgi did not start"
fcgi_request -t application/json -b "$T/founding.json" \
    POST "/graph/v1.0$COLL"
is "$RESP_STATUS" 201 "--base /graph: POST /graph/v1.0$COLL is 201" ||
    resp_diag
BID=$(json_str id "$T/resp.body")
is "$(resp_header Location)" "http://presence.test/graph/v1.0$COLL/$BID" \
    "--base /graph: Location keeps the prefix"
fcgi_request GET "/graph$COLL/$BID"
is "$RESP_STATUS" 200 "--base /graph: GET /graph$COLL/{id} is 200"
stop_fcgi

# --- the graph value mode --------------------------------------------------------------

mkdir "$T/graphdb" || bail_out "cannot create a database directory"
need_token "$T/graphdb"
fcgi_start --db "$T/graphdb" --value-mode graph ||
    bail_out "presence-fcgi did not start"
fcgi_request -t application/json -b "$T/founding.json" POST "$COLL"
is "$RESP_STATUS" 400 "graph mode: the founding example's values are 400"
like "$(json_str message "$T/resp.body")" "'(availability|activity)'" \
    "graph mode: the message names the property"
fcgi_request -t application/json \
    -d '{"availability":"Busy","activity":"InAMeeting"}' POST "$COLL"
is "$RESP_STATUS" 201 "graph mode: Busy/InAMeeting is 201" || resp_diag
stop_fcgi

# --- a map that cannot grow -------------------------------------------------------------

mkdir "$T/full" || bail_out "cannot create a database directory"
# The token is issued with the same map settings: a process that opened
# the database with a larger map would have grown it.
TOKEN=$("$PRESENCE_CONSOLE" --db "$T/full" --map-size 64K --map-max 64K \
    token issue full --scope Presence.ReadWrite.All 2>"$T/token.err") &&
    [ -n "$TOKEN" ] || bail_out "cannot issue a token into '$T/full'"
fcgi_start --db "$T/full" --map-size 64K --map-max 64K ||
    bail_out "presence-fcgi did not start"
created=0
n=0
status=
while [ $n -lt 2000 ]; do
	fcgi_request -t application/json \
	    -d '{"availability":"Available","activity":"record '"$n"'"}' \
	    POST "$COLL"
	status=$RESP_STATUS
	[ "$status" = 201 ] || break
	created=$((created + 1))
	n=$((n + 1))
done
is "$status" 507 "a full map answers 507 (after $created creates)" || resp_diag
is "$(json_str code "$T/resp.body")" quotaLimitReached \
    "a full map: quotaLimitReached"
fcgi_request -t application/json -b "$T/founding.json" POST "$COLL"
is "$RESP_STATUS" 507 "a full map stays full: 507 again"
ok "the responder runs on after 507" is_running "$FCGI_PID"
is "$(db_entries "$T/full")" "$created" "nothing half-written: $created records"
fcgi_request GET "$COLL?\$top=999"
is "$(json_ids "$T/resp.body" | wc -l | tr -d ' ')" "$created" \
    "a full map still lists every record"
stop_fcgi

done_testing
