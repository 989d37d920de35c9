#!/bin/sh
# POST/GET/PATCH/DELETE /subscriptions through the real presence-fcgi,
# with the real receiver (tests/notify/receiver.js) on 127.0.0.1: the
# subscription's shape, scopes and ownership, each bad body's 400, the
# validation handshake's success and each of its failures, refused
# destinations, the notification's shape against Graph's example
# (tests/notify/fixtures/), renew, expiry, delete stopping delivery, and
# subscriptionRemoved when the owning token is revoked.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/notify/notify.sh"

require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
require_node
require_fcgi
tap_init notify-subscriptions

A=aaaaaaaa-0000-4000-8000-0000000000a1
B=bbbbbbbb-0000-4000-8000-0000000000b2
TENANT=12345678-aaaa-4bbb-8ccc-1234567890ab
DB=$T/db
mkdir "$DB" || bail_out "cannot create '$DB'"
need_token "$DB"
OWNER=$TOKEN
OTHER=$(test_token "$DB" Presence.Read.All) || bail_out "no second token"
BOUND=$(test_token "$DB" Presence.Read "$A") || bail_out "no bound token"
recv_start hook || bail_out "the receiver did not start"
recv_start life || bail_out "the lifecycle receiver did not start"
HOOK=$(recv_url hook)
LIFE=$(recv_url life)
fcgi_start --db "$DB" --notify-allow "$NOTIFY_ALLOW" --tenant-id "$TENANT" ||
    bail_out "presence-fcgi did not start"
presence_create "$A" || bail_out "cannot create $A"

# body [MEMBERS]: a create body to $HOOK/notify for $A, with MEMBERS
# (",..." JSON members) appended.
body() {
	printf '{"changeType":"updated","notificationUrl":"%s/notify","resource":"communications/presences/%s","expirationDateTime":"%s","clientState":"s3cret"%s}' \
	    "$HOOK" "$A" "$(iso_in 1800)" "$1"
}

# --- create, read, list ----------------------------------------------------
fcgi_request -t application/json -d "$(body ",\"lifecycleNotificationUrl\":\"$LIFE/life\"")" \
    POST /v1.0/subscriptions
is "$RESP_STATUS" 201 "create: 201"
S1=$(json_str id "$T/resp.body")
like "$S1" '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' \
    "create: a GUID id"
is "$(resp_header Location)" "http://presence.test/v1.0/subscriptions/$S1" \
    "create: Location"
is "$(json_str resource "$T/resp.body")" "/communications/presences/$A" \
    "create: the resource"
is "$(json_str changeType "$T/resp.body")" updated "create: changeType"
is "$(json_str clientState "$T/resp.body")" s3cret "create: clientState"
is "$(json_str notificationUrl "$T/resp.body")" "$HOOK/notify" \
    "create: notificationUrl"
is "$(json_str lifecycleNotificationUrl "$T/resp.body")" "$LIFE/life" \
    "create: lifecycleNotificationUrl"
like "$(json_str expirationDateTime "$T/resp.body")" \
    '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' \
    "create: expirationDateTime"
is "$(json_str '@odata.context' "$T/resp.body")" \
    'http://presence.test/v1.0/$metadata#subscriptions/$entity' \
    "create: @odata.context"
ok "create: the handshake reached the receiver" \
    eval '[ "$(recv_requests hook handshake)" -ge 1 ]'
ok "create: the lifecycle URL was validated too" \
    eval '[ "$(recv_requests life handshake)" -ge 1 ]'

fcgi_request GET "/subscriptions/$S1"
is "$RESP_STATUS" 200 "get: 200"
is "$(json_str id "$T/resp.body")" "$S1" "get: the same id"

IDS="'$A','$B'"
fcgi_request -t application/json -d "{\"changeType\":\"updated\",\"notificationUrl\":\"$HOOK/bulk\",\"resource\":\"/communications/presences?\$filter=id in ($IDS)\",\"expirationDateTime\":\"$(iso_in 600)\"}" \
    POST /subscriptions
is "$RESP_STATUS" 201 "create: a \$filter of two ids, one not yet created"
S2=$(json_str id "$T/resp.body")
is "$(json_str resource "$T/resp.body")" \
    "/communications/presences?\$filter=id in ($IDS)" "create: the filter back"
ok "create: clientState absent is null" \
    grep -q '"clientState":null' "$T/resp.body"

fcgi_request GET /subscriptions
is "$RESP_STATUS" 200 "list: 200"
is "$(json_ids "$T/resp.body" | sort | tr '\n' ' ')" \
    "$(printf '%s\n' "$S1" "$S2" | sort | tr '\n' ' ')" "list: both"

# --- scopes and ownership --------------------------------------------------
TOKEN=$OTHER
fcgi_request GET "/subscriptions/$S1"
is "$RESP_STATUS" 404 "another token: 404 on get"
fcgi_request -t application/json -d "{\"expirationDateTime\":\"$(iso_in 900)\"}" \
    PATCH "/subscriptions/$S1"
is "$RESP_STATUS" 404 "another token: 404 on patch"
fcgi_request DELETE "/subscriptions/$S1"
is "$RESP_STATUS" 404 "another token: 404 on delete"
fcgi_request GET /subscriptions
is "$(json_ids "$T/resp.body" | wc -l | tr -d ' ')" 0 "another token: lists none"
TOKEN=$BOUND
fcgi_request -t application/json -d "$(body)" POST /subscriptions
is "$RESP_STATUS" 403 "Presence.Read bound to one id: 403"
TOKEN=
fcgi_request GET /subscriptions
is "$RESP_STATUS" 401 "no token: 401"
TOKEN=$OWNER

# --- bad bodies ------------------------------------------------------------
# refuse NAME BODY PATTERN: POST BODY, expect 400 with PATTERN in the message.
refuse() {
	fcgi_request -t application/json -d "$2" POST /subscriptions
	is "$RESP_STATUS" 400 "$1: 400"
	like "$(json_str message "$T/resp.body")" "$3" "$1: says why"
}
NOW=$(iso_in 1800)
refuse "no changeType" "{\"notificationUrl\":\"$HOOK/n\",\"resource\":\"communications/presences/$A\",\"expirationDateTime\":\"$NOW\"}" changeType
refuse "changeType created" "$(body | sed 's/"updated"/"created"/')" changeType
refuse "no notificationUrl" "{\"changeType\":\"updated\",\"resource\":\"communications/presences/$A\",\"expirationDateTime\":\"$NOW\"}" notificationUrl
refuse "no resource" "{\"changeType\":\"updated\",\"notificationUrl\":\"$HOOK/n\",\"expirationDateTime\":\"$NOW\"}" resource
refuse "no expiry" "{\"changeType\":\"updated\",\"notificationUrl\":\"$HOOK/n\",\"resource\":\"communications/presences/$A\"}" expirationDateTime
refuse "February 30" "$(body | sed 's/"expirationDateTime":"[^"]*"/"expirationDateTime":"2026-02-30T00:00:00Z"/')" "expirationDateTime.*ISO 8601"
refuse "a resource of users" "$(body | sed "s|communications/presences/$A|users/$A|")" resource
refuse "an id that is no GUID" "$(body | sed "s|presences/$A|presences/nope|")" resource
refuse "an unquoted filter id" "$(body | sed "s|communications/presences/$A|communications/presences?\$filter=id in ($A)|")" resource
MANY=$(awk 'BEGIN { for (i = 1; i <= 651; i++) printf "%s\047%08x-0000-4000-8000-000000000000\047", (i > 1 ? "," : ""), i }')
refuse "651 ids" "$(body | sed "s|communications/presences/$A|communications/presences?\$filter=id in ($MANY)|")" 650
MOST=$(awk 'BEGIN { for (i = 1; i <= 650; i++) printf "%s\047%08x-0000-4000-8000-000000000000\047", (i > 1 ? "," : ""), i }')
fcgi_request -t application/json -d "$(body | sed "s|communications/presences/$A|communications/presences?\$filter=id in ($MOST)|")" \
    POST /subscriptions
is "$RESP_STATUS" 201 "650 ids: 201"
S650=$(json_str id "$T/resp.body")
refuse "a lifetime over an hour" "$(body | sed "s|\"expirationDateTime\":\"[^\"]*\"|\"expirationDateTime\":\"$(iso_in 3700)\"|")" "60 minutes"
refuse "an expiry in the past" "$(body | sed "s|\"expirationDateTime\":\"[^\"]*\"|\"expirationDateTime\":\"2020-01-01T00:00:00Z\"|")" future
refuse "an expiry that is no date" "$(body | sed "s|\"expirationDateTime\":\"[^\"]*\"|\"expirationDateTime\":\"tomorrow\"|")" "ISO 8601"
refuse "clientState over 128" "$(body ",\"clientState\":\"$(printf '%0129d' 0)\"" | sed 's/"clientState":"s3cret",//')" clientState
refuse "includeResourceData true" "$(body ',"includeResourceData":true')" includeResourceData
refuse "an unknown member" "$(body ',"colour":"blue"')" colour
refuse "a duplicate member" "$(body ',"clientState":"again"')" .
refuse "not JSON" '{"changeType":' .
refuse "an ftp URL" "$(body | sed "s|$HOOK/notify|ftp://127.0.0.1/x|")" notificationUrl
fcgi_request -t application/json -d "$(body ',"includeResourceData":false')" \
    POST /subscriptions
is "$RESP_STATUS" 201 "includeResourceData false: 201"
S3=$(json_str id "$T/resp.body")
fcgi_request -t text/plain -d "$(body)" POST /subscriptions
is "$RESP_STATUS" 415 "text/plain body: 415"

# --- the handshake and its failures ----------------------------------------
# shake NAME CONTROL PATTERN: with the receiver told CONTROL, a create is a
# 400 whose message says PATTERN.
shake() {
	recv_control hook "$2"
	refuse "handshake $1" "$(body)" "validation request failed.*$3"
	recv_control hook
}
shake "answering 500" '* handshake status 500' 'status 500'
shake "with another body" '* handshake wrong-body' 'validationToken'
shake "as application/json" '* handshake wrong-type' 'text/plain'
shake "redirected" '* handshake redirect' 'redirect'
shake "closed unanswered" '* handshake close' .
ok "a redirect was not followed" eval \
    '! grep -q "\"path\":\"/redirected\"" "$T/recv.hook.log"'
recv_control hook '* handshake hang'
t0=$(date +%s)
refuse "handshake never answered" "$(body)" "timed out after 10 s"
recv_control hook
t1=$(date +%s)
ok "the unanswered handshake took about 10 s, not more than 15" \
    eval '[ $((t1 - t0)) -le 15 ] && [ $((t1 - t0)) -ge 9 ]'
PORT=$(free_port) || bail_out "no free port"
refuse "handshake refused" "$(body | sed "s|$HOOK/notify|http://127.0.0.1:$PORT/n|")" "connection refused"
recv_control life '* handshake status 404'
refuse "a lifecycle URL failing its handshake" \
    "$(body ",\"lifecycleNotificationUrl\":\"$LIFE/life\"")" lifecycleNotificationUrl
recv_control life

# --- refused destinations --------------------------------------------------
refuse "a private address not allowed" "$(body | sed "s|$HOOK/notify|http://10.1.2.3/n|")" "not an allowed destination"
refuse "https to loopback on another entry's scheme" "$(body | sed "s|$HOOK/notify|https://[::1]:$PORT/n|")" "not an allowed destination"
fcgi_stop_one() { stop_pid "$FCGI_PID"; }
fcgi_stop_one
fcgi_start --db "$DB" || bail_out "presence-fcgi without --notify-allow"
refuse "http without --notify-allow" "$(body)" "http is not allowed"
refuse "https to loopback without --notify-allow" "$(body | sed "s|$HOOK|https://127.0.0.1:$(recv_port hook)|")" "loopback"
refuse "https to a private name without --notify-allow" "$(body | sed "s|$HOOK|https://localhost:$(recv_port hook)|")" "loopback"
fcgi_stop_one
fcgi_start --db "$DB" --notify-allow "http://127.0.0.1:1" ||
    bail_out "presence-fcgi with a port in --notify-allow"
refuse "loopback on another port than allowed" "$(body)" "not allowed by --notify-allow"
fcgi_stop_one
"$PRESENCE_FCGI" --listen "$T/x.sock" --db "$DB" --notify-allow 'http://[::1' \
    </dev/null >/dev/null 2>"$T/bad.err"
is "$?" 2 "a bad --notify-allow: exit 2"
like "$(cat "$T/bad.err")" "notify-allow" "a bad --notify-allow: named"
fcgi_start --db "$DB" --notify-allow "$NOTIFY_ALLOW" --tenant-id "$TENANT" ||
    bail_out "presence-fcgi did not start again"

# --- delivery and the payload's shape --------------------------------------
fcgi_request DELETE "/subscriptions/$S650"
fcgi_request DELETE "/subscriptions/$S3"
set_presence "$A" s1 Busy InACall || resp_diag
ok "a change is delivered" wait_for 20 recv_has hook "$A" 1
"$NODE" -e '
	const lines = require("fs").readFileSync(process.argv[1], "utf8")
	    .split("\n").filter(Boolean).map(JSON.parse)
	    .filter(l => l.kind === "post" && l.path === "/notify");
	console.log(JSON.stringify(lines[lines.length - 1].body));
' "$T/recv.hook.log" >"$T/notification.json"
is "$("$NODE" "$top_srcdir/tests/notify/shape.js" \
    "$top_srcdir/tests/notify/fixtures/presence-notification.json" \
    "$T/notification.json" "$S1" "$A" s3cret "$TENANT" 2>&1)" "" \
    "the notification has the shape of Graph's example"
ok "the notification came as application/json" \
    grep -q '"path":"/notify","query":"","type":"application/json"' \
    "$T/recv.hook.log"
ok "the bulk subscription heard about A too" wait_for 20 eval \
    'recv_items hook | awk -v a="$A" "\$2 == \"/bulk\" && \$4 == a" | grep -q .'
presence_create "$B" || bail_out "cannot create $B"
ok "creating a watched presence is notified" wait_for 20 eval \
    'recv_items hook | awk -v b="$B" "\$2 == \"/bulk\" && \$4 == b" | grep -q .'

# --- renew -----------------------------------------------------------------
NEW=$(iso_in 3000)
fcgi_request -t application/json -d "{\"expirationDateTime\":\"$NEW\"}" \
    PATCH "/subscriptions/$S1"
is "$RESP_STATUS" 200 "renew: 200"
is "$(json_str expirationDateTime "$T/resp.body" | cut -c1-19)" \
    "$(echo "$NEW" | cut -c1-19)" "renew: the new expiry"
fcgi_request -t application/json -d "{\"expirationDateTime\":\"$(iso_in 4000)\"}" \
    PATCH "/subscriptions/$S1"
is "$RESP_STATUS" 400 "renew past an hour: 400"
fcgi_request -t application/json -d '{"notificationUrl":"http://127.0.0.1/x"}' \
    PATCH "/subscriptions/$S1"
is "$RESP_STATUS" 400 "patching another member: 400"
fcgi_request GET "/subscriptions/$S1"
is "$(json_str expirationDateTime "$T/resp.body" | cut -c1-19)" \
    "$(echo "$NEW" | cut -c1-19)" "a refused renew changed nothing"

# --- delete stops delivery --------------------------------------------------
fcgi_request DELETE "/subscriptions/$S1"
is "$RESP_STATUS" 204 "delete: 204"
fcgi_request GET "/subscriptions/$S1"
is "$RESP_STATUS" 404 "deleted: 404"
fcgi_request DELETE "/subscriptions/$S1"
is "$RESP_STATUS" 404 "deleted twice: 404"
before=$(recv_items hook | awk '$2 == "/notify"' | wc -l)
bulk=$(recv_items hook | awk -v a="$A" '$2 == "/bulk" && $4 == a' | wc -l)
set_presence "$A" s1 Away Away || resp_diag
set_presence "$A" s1 Busy InACall || resp_diag
ok "the other subscription hears both changes" wait_for 20 eval \
    '[ $(recv_items hook | awk -v a="$A" "\$2 == \"/bulk\" && \$4 == a" | wc -l) -ge $((bulk + 2)) ]'
is "$(recv_items hook | awk '$2 == "/notify"' | wc -l)" "$before" \
    "the deleted one hears nothing more"

# --- expiry ----------------------------------------------------------------
fcgi_request -t application/json -d "$(body | sed "s|\"expirationDateTime\":\"[^\"]*\"|\"expirationDateTime\":\"$(iso_in 3)\"|; s|/notify|/short|")" \
    POST /subscriptions
is "$RESP_STATUS" 201 "a subscription of 3 s"
S4=$(json_str id "$T/resp.body")
sub_gone() { fcgi_request GET "/subscriptions/$S4"; [ "$RESP_STATUS" = 404 ]; }
ok "it is gone once expired" wait_for 20 sub_gone
set_presence "$A" s1 Away Away || resp_diag
ok "the bulk subscription still hears" wait_for 20 eval \
    '[ $(recv_items hook | awk -v a="$A" "\$2 == \"/bulk\" && \$4 == a" | wc -l) -ge $((bulk + 3)) ]'
is "$(recv_items hook | awk '$2 == "/short"' | wc -l | tr -d ' ')" 0 \
    "the expired one heard nothing"

# --- the owner's token revoked ---------------------------------------------
fcgi_request -t application/json -d "$(body ",\"lifecycleNotificationUrl\":\"$LIFE/life\"")" \
    POST /subscriptions
S5=$(json_str id "$T/resp.body")
is "$RESP_STATUS" 201 "a subscription with a lifecycle URL"
"$PRESENCE_CONSOLE" --db "$DB" token revoke test-1 </dev/null >/dev/null 2>&1
ok "revoking its token sends subscriptionRemoved" \
    wait_for 20 recv_lifecycle life subscriptionRemoved 1
is "$(recv_items life | awk '$5 == "subscriptionRemoved" { print $3 }' | sort -u)" \
    "$S5" "subscriptionRemoved names the subscription with a lifecycle URL"
TOKEN=$OTHER
fcgi_request GET "/subscriptions/$S5"
is "$RESP_STATUS" 404 "the removed subscription is gone"

# --- owners signed in by the web server ------------------------------------
# Two REMOTE_USERs alike in their first 64 bytes are two owners, and a
# REMOTE_USER named like a token owns nothing of the token's.
DN="/C=US/O=Example Corporation/OU=Engineering Department/OU=Platform/CN="
TOKEN=$OTHER
fcgi_request -t application/json -d "$(body)" POST /subscriptions
is "$RESP_STATUS" 201 "a subscription of the token test-2"
S6=$(json_str id "$T/resp.body")
fcgi_stop_one
fcgi_start --db "$DB" --notify-allow "$NOTIFY_ALLOW" --auth remote-user \
    --remote-user-scopes Presence.ReadWrite.All ||
    bail_out "presence-fcgi in remote-user mode did not start"
TOKEN=
fcgi_request -e "REMOTE_USER=${DN}alice" -t application/json \
    -d "$(body)" POST /subscriptions
is "$RESP_STATUS" 201 "remote user: create 201"
S7=$(json_str id "$T/resp.body")
like "$(json_str creatorId "$T/resp.body")" '^remote-user [A-Za-z0-9_-]{43}$' \
    "remote user: creatorId names no token"
fcgi_request -e "REMOTE_USER=${DN}alice" GET "/subscriptions/$S7"
is "$RESP_STATUS" 200 "remote user: its own subscription"
is "$(json_str clientState "$T/resp.body")" s3cret \
    "remote user: its own clientState"
fcgi_request -e "REMOTE_USER=${DN}mallory" GET "/subscriptions/$S7"
is "$RESP_STATUS" 404 "a user alike in 64 bytes: GET 404"
fcgi_request -e "REMOTE_USER=${DN}mallory" GET /subscriptions
is "$RESP_STATUS" 200 "a user alike in 64 bytes: list 200"
ok "a user alike in 64 bytes: the list leaves it out" \
    eval '! grep -q "$S7" "$T/resp.body"'
fcgi_request -e "REMOTE_USER=${DN}mallory" -t application/json \
    -d "{\"expirationDateTime\":\"$(iso_in 2000)\"}" PATCH "/subscriptions/$S7"
is "$RESP_STATUS" 404 "a user alike in 64 bytes: PATCH 404"
fcgi_request -e "REMOTE_USER=${DN}mallory" DELETE "/subscriptions/$S7"
is "$RESP_STATUS" 404 "a user alike in 64 bytes: DELETE 404"
fcgi_request -e "REMOTE_USER=test-2" GET "/subscriptions/$S6"
is "$RESP_STATUS" 404 "a user named like a token: not its subscription"
fcgi_request -e "REMOTE_USER=${DN}alice" DELETE "/subscriptions/$S7"
is "$RESP_STATUS" 204 "remote user: deletes its own"
done_testing
