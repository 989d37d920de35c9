#!/bin/sh
# A presence as presence-fcgi answers it fills the model of Graph's
# Kiota-generated SDK (@microsoft/msgraph-sdk, with Kiota's JSON parse node
# from @microsoft/kiota-serialization-json; npm packages pinned by
# tests/sdk/package-lock.json): lighttpd runs the real responder with the
# shipped configuration; presence-console imports a presence that is out
# of office (the operator's setting), and curl gives it a session, a
# status message expiring in a Windows zone and a manual work location
# through the API.  Then tests/sdk/kiota.mjs reads what GET and
# getPresencesByUserId answer into the model and checks every property by
# value, and that the model leaves nothing unplaced (additionalData) but
# presence's own two dates and, on a GET, the @odata.context annotation.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tool "$NODE" node nodejs
require_tool "$NPM" npm npm
require_tool "$LIGHTTPD" lighttpd lighttpd
require_tool "$CURL" curl curl
require_fcgi
[ -x "$PRESENCE_CONSOLE" ] || bail_out "'$PRESENCE_CONSOLE' is not built"
tap_init sdk-kiota

. "$top_srcdir/tests/sdk/npm.sh"
RUNDIR=$SOCKDIR/run
mkdir -p "$T/db" "$RUNDIR" || bail_out "cannot create the run directories"

if ! sdk_install; then
	diag_file "$SDK_DIR/npm-ci.log" 30
	bail_out "npm ci cannot install the SDK packages from tests/sdk/package-lock.json (without the npm registry, npm's cache must hold its packages; see $SDK_DIR/npm-ci.log)"
fi
version() {
	NODE_PATH=$SDK_DIR/node_modules "$NODE" -p "require('$1/package.json').version"
}
is "$(version @microsoft/msgraph-sdk)" 1.0.0-preview.90 \
    "npm ci installed @microsoft/msgraph-sdk 1.0.0-preview.90"
is "$(version @microsoft/kiota-serialization-json)" 1.0.0-preview.109 \
    "npm ci installed @microsoft/kiota-serialization-json 1.0.0-preview.109"

# --- lighttpd with presence-fcgi ----------------------------------------------

CONF=$top_srcdir/fcgi/conf/lighttpd.conf
need_token "$T/db"
lighttpd_start "$CONF" || bail_out "lighttpd did not start"
URL=http://127.0.0.1:$PORT/v1.0

# api METHOD PATH [BODY]: one request with TOKEN; sets HTTP_STATUS and
# $T/resp.body.
api() {
	api_method=$1
	api_path=$2
	shift 2
	[ $# -eq 0 ] ||
	    set -- -H 'Content-Type: application/json' --data-binary "$1"
	HTTP_STATUS=$("$CURL" -q -s --noproxy '*' --max-time 10 \
	    -X "$api_method" -H "Authorization: Bearer $TOKEN" \
	    -o "$T/resp.body" -w '%{http_code}' "$@" "$URL$api_path")
}

# --- a presence with everything set ------------------------------------------

# Out of office is the operator's: the presence comes in by import, with
# its settings, beside the running responder.
ID=9b2f4c1d-5e6a-4b7c-8d9e-0f1a2b3c4d5e
OOF_MESSAGE="Away until Monday; ask the desk"
printf '{"id":"%s","availability":"Available","activity":"Available","outOfOfficeSettings":{"isOutOfOffice":true,"message":"%s"}}\n' \
    "$ID" "$OOF_MESSAGE" >"$T/import.jsonl"
"$PRESENCE_CONSOLE" --db "$T/db" import "$T/import.jsonl" \
    >"$T/import.out" 2>&1
is "$?" 0 "presence-console imports a presence that is out of office" || {
	diag_file "$T/import.out"
	api POST /communications/presences \
	    "{\"id\":\"$ID\",\"availability\":\"Available\",\"activity\":\"Available\"}"
}
APP=22553876-f5ab-4529-bffb-cfe50aa89f87
api POST "/users/$ID/presence/setPresence" "{\"sessionId\":\"$APP\",
    \"availability\":\"Busy\",\"activity\":\"InACall\"}"
is "$HTTP_STATUS" 200 "setPresence Busy/InACall"

# A status message that expires in a month, in a Windows zone name.
EXPIRY=$(date -u -d '+30 days' +%Y-%m-%dT17:00:00.0000000)
ZONE="Pacific Standard Time"
STATUS_TEXT="In the lab, back at 3"
api POST "/users/$ID/presence/setStatusMessage" "{\"statusMessage\":
    {\"message\":{\"content\":\"$STATUS_TEXT\",\"contentType\":\"text\"},
    \"expiryDateTime\":{\"dateTime\":\"$EXPIRY\",\"timeZone\":\"$ZONE\"}}}"
is "$HTTP_STATUS" 200 "setStatusMessage, expiring in $ZONE" ||
    diag_file "$T/resp.body"

# The work location, on /me/presence with a token bound to the presence.
KEPT=$TOKEN
TOKEN=$(test_token "$T/db" Presence.ReadWrite "$ID")
api POST /me/presence/setManualLocation \
    '{"workLocationType":"office","placeId":"building-42"}'
is "$HTTP_STATUS" 200 "setManualLocation office on /me/presence" ||
    diag_file "$T/resp.body"
TOKEN=$KEPT

# --- read into the Kiota model -------------------------------------------------

# An ES module finds its packages from where it lies (NODE_PATH is for
# require only): kiota.mjs runs beside the installed node_modules.
[ "$SDK_SRC" = "$SDK_DIR" ] || cp "$SDK_SRC/kiota.mjs" "$SDK_DIR/" ||
    bail_out "cannot copy kiota.mjs into $SDK_DIR"

# kiota EXPECTED-FILE: run kiota.mjs on $T/resp.body; each of its checks
# is a test point here.
kiota() {
	timeout 60 "$NODE" "$SDK_DIR/kiota.mjs" "$T/resp.body" "$1" \
	    >"$T/kiota.out" 2>"$T/kiota.err"
	is "$?" 0 "kiota.mjs ran" || diag_file "$T/kiota.err"
	like "$(grep -c -e '^ok - ' -e '^not ok - ' "$T/kiota.out")" \
	    '^[1-9][0-9]+$' "kiota.mjs made its checks"
	while IFS= read -r line; do
		case $line in
		'ok - '*) pass "${line#ok - }" ;;
		'not ok - '*) fail "${line#not ok - }" ;;
		'#'*) diag "${line#\# }" ;;
		esac
	done <"$T/kiota.out"
}

# expected WHAT COLLECTION EXTRA: the expectations for the presence ID,
# with the stamps its last read answered.
expected() {
	cat <<EOF
{"what": "$1", "collection": $2,
 "presence": {
  "odataType": "#microsoft.graph.presence",
  "id": "$ID",
  "availability": "Busy",
  "activity": "InACall",
  "statusMessage": {
   "message": {"content": "$STATUS_TEXT", "contentType": "text"},
   "publishedDateTime": {"\$date": "$(json_str publishedDateTime "$T/resp.body")"},
   "expiryDateTime": {"dateTime": "$EXPIRY", "timeZone": "$ZONE"}
  },
  "outOfOfficeSettings": {"isOutOfOffice": true, "message": "$OOF_MESSAGE"},
  "workLocation": {"workLocationType": "office", "source": "manual",
   "placeId": "building-42"},
  "sequenceNumber": "$(json_str sequenceNumber "$T/resp.body")"
 },
 "additionalData": [$3"createdDateTime", "lastModifiedDateTime"]}
EOF
}

api GET "/users/$ID/presence"
is "$HTTP_STATUS" 200 "GET /users/{id}/presence"
like "$(json_str sequenceNumber "$T/resp.body")" '^[0-9a-f]{16}$' \
    "GET: a sequenceNumber to expect"
like "$(json_str publishedDateTime "$T/resp.body")" '^[0-9]{4}-' \
    "GET: a publishedDateTime to expect"
expected "GET /users/{id}/presence" false '"@odata.context", ' \
    >"$T/expected.json"
kiota "$T/expected.json"

# The checks can fail: a property the model does not know, and a value
# other than the one set, are each caught.
sed -e 's/"availability":"Busy"/"mood":"fine","availability":"Away"/' \
    "$T/resp.body" >"$T/doctored.json"
timeout 60 "$NODE" "$SDK_DIR/kiota.mjs" "$T/doctored.json" \
    "$T/expected.json" >"$T/doctored.out" 2>&1
like "$(grep '^not ok' "$T/doctored.out" | tr '\n' ' ')" \
    'availability is .*additionalData holds only' \
    "kiota.mjs catches an unknown property and a wrong value" ||
    diag_file "$T/doctored.out"

api POST /communications/getPresencesByUserId "{\"ids\":[\"$ID\"]}"
is "$HTTP_STATUS" 200 "getPresencesByUserId"
expected "getPresencesByUserId's presence" true "" >"$T/expected.json"
kiota "$T/expected.json"

done_testing
