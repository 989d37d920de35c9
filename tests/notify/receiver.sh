#!/bin/sh
# The notification receiver the other tests rely on (tests/notify/
# receiver.js), driven with curl: it echoes the validation token as
# text/plain, records each request before it answers, counts items per
# presence, and fails each handshake and notification the way its control
# file says.  A receiver that passed everything would make the product's
# tests unable to fail.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/notify/notify.sh"

require_node
require_tool "$CURL" curl curl
tap_init notify-receiver

recv_start r || bail_out "the receiver did not start"
URL=$(recv_url r)
like "$(recv_port r)" '^[0-9]+$' "the receiver writes the port it took"

# post PATH [QUERY [BODY [TYPE]]]: POST with curl; sets CODE, TYPE, BODY
# and LOCATION (5 s at most).
post() {
	"$CURL" -s -m 5 -o "$T/body" -D "$T/headers" -X POST \
	    -H "Content-Type: ${4:-text/plain}" --data-binary "${3:-}" \
	    "$URL$1${2:+?$2}" >/dev/null 2>&1
	CODE=$(sed -n -e '1s/^HTTP\/[0-9.]* \([0-9]*\).*$/\1/p' "$T/headers" \
	    2>/dev/null)
	: "${CODE:=none}"
	TYPE=$(sed -n -e 's/\r$//' -e 's/^[Cc]ontent-[Tt]ype: *//p' \
	    "$T/headers" 2>/dev/null)
	LOCATION=$(sed -n -e 's/\r$//' -e 's/^[Ll]ocation: *//p' \
	    "$T/headers" 2>/dev/null)
	BODY=$(cat "$T/body" 2>/dev/null)
}

# The handshake, the token decoded.
post /hook 'validationToken=Validation%3A%20Testing%20client%20application%2B1'
is "$CODE" 200 "handshake: 200"
like "$TYPE" '^text/plain' "handshake: text/plain"
is "$BODY" 'Validation: Testing client application+1' \
    "handshake: the decoded token is the whole body"
post /hook 'a=b&validationToken=t0k'
is "$BODY" t0k "handshake: the token after another parameter"

# A notification: 202, recorded with its items.
A=aaaaaaaa-0000-4000-8000-00000000000a
B=bbbbbbbb-0000-4000-8000-00000000000b
item() {
	printf '{"subscriptionId":"%s","changeType":"updated","resource":"communications/presences/%s","resourceData":{"@odata.id":"users/%s/presence","@odata.type":"#microsoft.graph.presence","id":"%s"}}' \
	    "$1" "$2" "$2" "$2"
}
post /notify '' "{\"value\":[$(item s1 "$A"),$(item s1 "$B"),$(item s1 "$A")]}" \
    application/json
is "$CODE" 202 "notification: 202"
is "$(recv_count r)" "$A 2
$B 1" "count: items per presence"
is "$(recv_items r | awk '{ print $2, $3, $4, $5 }' | head -n 1)" \
    "/notify s1 $A -" "items: path, subscription, presence, no event"
ok "recv_has: 2 items about A" recv_has r "$A" 2
ok "recv_has: not 3" eval '! recv_has r "$A" 3'
post /life '' '{"value":[{"subscriptionId":"s1","lifecycleEvent":"missed"}]}' \
    application/json
ok "a lifecycle item is read as one" recv_lifecycle r missed 1
is "$(recv_count r | wc -l | tr -d ' ')" 2 "lifecycle items count for no presence"
like "$(tail -n 1 "$T/recv.r.log")" \
    '^\{"t":[0-9]{13},"kind":"post","method":"POST","path":"/life","query":"","type":"application/json","status":202,"body":\{"value":' \
    "the log's line: time, kind, path, type, status, body"

# Told to fail: notifications.
recv_control r '/notify post status 500'
post /notify '' "{\"value\":[$(item s1 "$B")]}" application/json
is "$CODE" 500 "control: status 500 on /notify"
post /life '' '{"value":[]}' application/json
is "$CODE" 202 "control: other paths still 202"
is "$(recv_count r | awk -v id="$B" '$1 == id { print $2 }')" 1 \
    "a refused POST's items are not counted"
recv_control r '* post delay 1500'
t0=$(date +%s%N)
post /notify '' '{"value":[]}' application/json
t1=$(date +%s%N)
is "$CODE" 202 "control: delay answers"
ok "control: delay waits (at least 1.5 s)" [ $(((t1 - t0) / 1000000)) -ge 1500 ]
recv_control r '* post delay 1500'
"$CURL" -s -m 0.5 -o /dev/null -X POST --data-binary '{"value":[]}' \
    "$URL/gone" 2>/dev/null
gone_answered() {
	grep -q '"path":"/gone"' "$T/recv.r.log"
}
wait_for 5 gone_answered
like "$(grep '"path":"/gone"' "$T/recv.r.log")" '"status":0,' \
    "control: a caller that hung up during a delay is recorded with status 0"
recv_control r '* post close'
post /notify '' '{"value":[]}' application/json
is "$CODE" none "control: close answers nothing"
recv_control r '* post hang'
"$CURL" -s -m 2 -o /dev/null -w '%{http_code}' -X POST --data-binary '{}' \
    "$URL/notify" >"$T/hang" 2>/dev/null
is "$(cat "$T/hang")" 000 "control: hang answers nothing within 2 s"

# Told to fail: handshakes, each way the service must refuse.
recv_control r '# comments are skipped' '* handshake wrong-body'
post /hook validationToken=abc
is "$CODE/$BODY" 200/abcx "handshake: wrong-body"
recv_control r '* handshake wrong-type'
post /hook validationToken=abc
is "$CODE/$BODY" 200/abc "handshake: wrong-type keeps the body"
like "$TYPE" '^application/json' "handshake: wrong-type says JSON"
recv_control r '* handshake status 403'
post /hook validationToken=abc
is "$CODE" 403 "handshake: status 403"
recv_control r '* handshake redirect'
post /hook validationToken=abc
is "$CODE" 307 "handshake: redirect answers 307"
is "$LOCATION" "$URL/redirected?validationToken=abc" \
    "handshake: the redirect's target would have passed"
recv_control r '* handshake timeout'
"$CURL" -s -m 2 -o /dev/null -w '%{http_code}' -X POST \
    "$URL/hook?validationToken=abc" >"$T/hang" 2>/dev/null
is "$(cat "$T/hang")" 000 "handshake: timeout answers nothing"
recv_control r '/other handshake status 500'
post /hook validationToken=abc
is "$CODE/$BODY" 200/abc "a rule for another path leaves this one alone"
recv_control r
post /notify '' '{"value":[]}' application/json
is "$CODE" 202 "an empty control file: behave"

is "$(recv_requests r handshake)" 8 "every handshake recorded, answered or not"
grep -c '"status":0,' "$T/recv.r.log" >"$T/zero"
is "$(cat "$T/zero")" 4 "unanswered requests are recorded with status 0"

# The port survives a restart: recv_start NAME PORT.
port=$(recv_port r)
recv_stop r
"$CURL" -s -m 2 -o /dev/null -X POST "$URL/notify" 2>/dev/null
is "$?" 7 "a stopped receiver refuses connections"
recv_start r "$port" || bail_out "the receiver did not start again"
is "$(recv_port r)" "$port" "started again on the same port"
post /notify '' '{"value":[]}' application/json
is "$CODE" 202 "and answers there"
done_testing
