#!/bin/sh
# End to end: lighttpd with the shipped fcgi/conf/lighttpd.conf on a free
# 127.0.0.1 port spawns presence-fcgi; curl POSTs the founding example
# with a bearer token, GETs it back by its Location, and again after the
# responder and then lighttpd itself were restarted.  Without the token,
# or with a revoked one, lighttpd hands back presence-fcgi's 401.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tool "$LIGHTTPD" lighttpd lighttpd
require_tool "$CURL" curl curl
require_fcgi
tap_init lighttpd-e2e

CONF=$top_srcdir/fcgi/conf/lighttpd.conf
[ -r "$CONF" ] || bail_out "cannot read '$CONF'"
RUNDIR=$SOCKDIR/run
mkdir "$T/db" "$RUNDIR" || bail_out "cannot create the run directories"
need_token "$T/db"
founding_body >"$T/founding.json"
COLL=/communications/presences

# http METHOD URL [CURL-ARG...]: one request, with the bearer token when
# TOKEN is set; sets HTTP_STATUS and the files $T/resp.headers (CRs
# removed) and $T/resp.body.
http() {
	method=$1
	url=$2
	shift 2
	[ -z "$TOKEN" ] || set -- -H "Authorization: Bearer $TOKEN" "$@"
	HTTP_STATUS=$("$CURL" -q -s --noproxy '*' --max-time 10 -X "$method" \
	    -D "$T/resp.raw-headers" -o "$T/resp.body" -w '%{http_code}' \
	    "$@" "$url")
	tr -d '\r' <"$T/resp.raw-headers" >"$T/resp.headers"
}

# Set RESPONDERS to the responders lighttpd runs (its children), and
# record them to be stopped at the end even if lighttpd leaves them behind.
find_responders() {
	RESPONDERS=$(children_of "$LT_PID" | tr '\n' ' ')
	RESPONDERS=${RESPONDERS% }
	for pid in $RESPONDERS; do
		track_pid "$pid"
	done
}

# lighttpd's own check of the configuration (-tt also loads the modules).
PRESENCE_PORT=8080 PRESENCE_BIN=$PRESENCE_FCGI PRESENCE_DB=$T/db \
    PRESENCE_RUNDIR=$RUNDIR "$LIGHTTPD" -tt -f "$CONF" >"$T/tt.log" 2>&1
is "$?" 0 "lighttpd -tt accepts the shipped configuration" || diag_file "$T/tt.log"
env -u PRESENCE_DB PRESENCE_PORT=8080 PRESENCE_BIN=$PRESENCE_FCGI \
    PRESENCE_RUNDIR=$RUNDIR "$LIGHTTPD" -tt -f "$CONF" >"$T/tt.log" 2>&1
unlike "$?" '^0$' "lighttpd refuses the configuration without PRESENCE_DB"

lighttpd_start "$CONF" || bail_out "lighttpd did not start"
pass "lighttpd starts with the shipped configuration"
BASE=http://127.0.0.1:$PORT

# --- the founding example -----------------------------------------------------

http POST "$BASE$COLL" -H 'Content-Type: application/json' \
    -H 'client-request-id: e2e-0001' --data-binary @"$T/founding.json"
is "$HTTP_STATUS" 201 "POST the founding example: 201" || diag_file "$LT_LOG"
is "$(resp_header Content-Type)" application/json \
    "POST the founding example: Content-Type application/json"
ID=$(json_str id "$T/resp.body")
like "$ID" "$GUID_V4_ERE" "POST the founding example: id is a lowercase v4 GUID"
like "$(json_compact "$T/resp.body")" "$(presence_ere "$ID")" \
    "POST the founding example: the example's body, in its order"
LOCATION=$(resp_header Location)
is "$LOCATION" "$BASE$COLL/$ID" "POST the founding example: Location"
like "$(resp_header request-id)" "$GUID_ERE" "POST: request-id header"
is "$(resp_header client-request-id)" e2e-0001 "POST: client-request-id echoed"
cp "$T/resp.body" "$T/created.json"

http GET "$LOCATION"
is "$HTTP_STATUS" 200 "GET the Location: 200"
is "$(json_entity "$T/resp.body")" "$(json_compact "$T/created.json")" \
    "GET the Location: the created presence"
is "$(json_str @odata.context "$T/resp.body")" \
    "$BASE/\$metadata#communications/presences/\$entity" \
    "GET the Location: its @odata.context"

http GET "$BASE/v1.0$COLL/$ID"
is "$HTTP_STATUS" 200 "GET under /v1.0 through lighttpd: 200"
http GET "$BASE$COLL?\$top=1"
is "$HTTP_STATUS" 200 "list through lighttpd: 200"
is "$(json_ids "$T/resp.body")" "$ID" "list through lighttpd: the record"

http POST "$BASE$COLL" -H 'Content-Type: text/plain' \
    --data-binary @"$T/founding.json"
is "$HTTP_STATUS" 415 "POST as text/plain through lighttpd: 415"
is "$(json_str code "$T/resp.body")" unsupportedMediaType \
    "POST as text/plain: unsupportedMediaType"

# One byte over 64 KiB, the responder's limit and lighttpd's.
printf '%065537d' 0 >"$T/big.json"
http POST "$BASE$COLL" -H 'Content-Type: application/json' \
    --data-binary @"$T/big.json"
is "$HTTP_STATUS" 413 "a body over 64 KiB: 413"

# --- tokens through lighttpd ---------------------------------------------------

KEPT=$TOKEN
TOKEN=
http GET "$LOCATION"
is "$HTTP_STATUS" 401 "GET without a token through lighttpd: 401"
is "$(resp_header WWW-Authenticate)" 'Bearer realm="presence"' \
    "401 through lighttpd: WWW-Authenticate"
is "$(json_str code "$T/resp.body")" InvalidAuthenticationToken \
    "401 through lighttpd: InvalidAuthenticationToken"
http POST "$BASE$COLL" -H 'Content-Type: application/json' \
    --data-binary @"$T/big.json"
is "$HTTP_STATUS" 401 "a body over 64 KiB without a token: 401 first"
TOKEN=prs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
http GET "$LOCATION"
is "$HTTP_STATUS" 401 "GET with an unknown token through lighttpd: 401"
is "$(resp_header WWW-Authenticate)" \
    'Bearer realm="presence", error="invalid_token"' \
    "an unknown token: error=\"invalid_token\""
TOKEN=$KEPT
http GET "$LOCATION"
is "$HTTP_STATUS" 200 "the Authorization header reaches presence-fcgi intact"

# A token revoked from the console is refused by the running responder.
TOKEN=$(test_token "$T/db" Presence.Read.All)
like "$TOKEN" '^prs_[A-Za-z0-9_-]{43}$' "presence-console issues a token"
http GET "$LOCATION"
is "$HTTP_STATUS" 200 "a token issued while lighttpd runs is taken"
"$PRESENCE_CONSOLE" --db "$T/db" token revoke "$(last_token_name)" \
    >"$T/revoke.out" 2>&1
is "$?" 0 "presence-console token revoke" || diag_file "$T/revoke.out"
http GET "$LOCATION"
is "$HTTP_STATUS" 401 "the revoked token is refused at once"
TOKEN=$KEPT

# --- restart the responder: lighttpd spawns a new one ------------------------------

find_responders
OLD=$RESPONDERS
like "$OLD" '^[0-9]+$' "lighttpd spawned one responder"
if [ -n "$OLD" ]; then
	kill -TERM "$OLD"
	if wait_for 10 is_gone "$OLD"; then
		pass "the responder exits on SIGTERM under lighttpd"
	else
		fail "the responder exits on SIGTERM under lighttpd"
	fi
fi
get_ok() {
	http GET "$LOCATION"
	[ "$HTTP_STATUS" = 200 ]
}
if wait_for 10 get_ok; then
	pass "GET after the responder restarted: 200"
else
	fail "GET after the responder restarted: 200" "last status $HTTP_STATUS"
	diag_file "$LT_LOG"
fi
is "$(json_str id "$T/resp.body")" "$ID" "GET after the responder restarted: the record"
find_responders
NEW=$RESPONDERS
like "$NEW" '^[0-9]+$' "lighttpd runs one responder again"
unlike "$NEW" "^$OLD\$" "the new responder is another process"

# --- restart lighttpd and the responder with it ----------------------------------------

find_responders
RESP_PID=$RESPONDERS
kill -TERM "$LT_PID"
if wait_exit "$LT_PID" 10; then
	is "$tap_status" 0 "lighttpd exits 0 on SIGTERM"
else
	fail "lighttpd exits 0 on SIGTERM" "still running"
fi
if [ -n "$RESP_PID" ] && wait_for 10 all_gone $RESP_PID; then
	pass "the responder stops with lighttpd"
else
	fail "the responder stops with lighttpd" "pid '$RESP_PID'"
fi

lighttpd_start "$CONF" || bail_out "lighttpd did not restart"
BASE=http://127.0.0.1:$PORT
http GET "$BASE$COLL/$ID"
is "$HTTP_STATUS" 200 "GET after lighttpd restarted: 200"
like "$(json_entity "$T/resp.body")" "$(presence_ere "$ID")" \
    "GET after lighttpd restarted: the same presence"

find_responders
RESP_PID=$RESPONDERS
stop_pid "$LT_PID"
if [ -z "$RESP_PID" ] || wait_for 10 all_gone $RESP_PID; then
	pass "everything stopped"
else
	fail "everything stopped" "responder $RESP_PID still runs"
fi
if grep -a -q -F -e "${TOKEN#prs_}" "$T"/lighttpd.*.log "$T/db/data.mdb"; then
	fail "no secret in lighttpd's logs or data.mdb"
else
	pass "no secret in lighttpd's logs or data.mdb"
fi

done_testing
