#!/bin/sh
# The status message, the out-of-office settings and the work location on
# the real presence-fcgi through cgi-fcgi: setStatusMessage on every path
# form (plain and microsoft.graph.), its expiry in UTC, IANA and Windows
# zones read back as sent, clearing by an empty content, every refusal
# (content type, offset, unknown zone, bounds, read-only members, scopes,
# 404); the four work-location actions on /me/presence, refused on the
# other paths, manual over automatic, each clear; and reads (GET and
# getPresencesByUserId) showing all of it with sequenceNumber growing on
# every change and only then.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_fcgi_console
tap_init blackbox-notes

COLL=/communications/presences
OWN=ba441c11-1c11-4a44-911c-44ba111c44ba
OTHER=3f1d7c1e-9a55-4c5e-8a1e-2b7d9e0c4a11
MISSING=00000000-0000-4000-8000-000000000000

mkdir "$T/db" || bail_out "cannot create the database directory"
scope_tokens "$T/db" "$OWN"
fcgi_start --db "$T/db" || bail_out "presence-fcgi did not start"
TOKEN=$ADMIN

# post URI BODY: POST a JSON body.
post() {
	fcgi_request -t application/json -d "$2" POST "$1"
}

# Whether the last response is the empty 200 of an action.
empty_200() {
	[ "$RESP_STATUS" = 200 ] && [ ! -s "$T/resp.body" ] &&
	    [ "$(resp_header_count Content-Type)" = 0 ]
}

# check_200 WHAT: the last response is that empty 200.
check_200() {
	if empty_200; then
		pass "$1: empty 200"
	else
		fail "$1: empty 200"
		resp_diag
	fi
}

# check_error WHAT STATUS [ERE]: an error, its message matching ERE.
check_error() {
	is "$RESP_STATUS" "$2" "$1: $2" || resp_diag
	is "$(resp_header Content-Type)" application/json "$1: JSON error"
	[ -z "$3" ] || like "$(json_str message "$T/resp.body")" "$3" \
	    "$1: the message says why"
}

# member NAME ID: the compact JSON of the member NAME of a GET of ID (an
# object nested at most two deep, or null).
member() {
	fcgi_request GET "$COLL/$2"
	json_compact "$T/resp.body" |
	    sed -n -e "s/.*\"$1\":\\(null\\|{[^{}]*}\\|{[^{}]*{[^{}]*}[^{}]*{[^{}]*}}\\|{[^{}]*{[^{}]*}[^{}]*}\\).*/\\1/p"
}

# message ID: the content of ID's status message, or "null".
message() {
	m=$(member statusMessage "$1")
	if [ "$m" = null ]; then
		echo null
	else
		printf '%s\n' "$m" | sed -n -e 's/.*"content":"\([^"]*\)".*/\1/p'
	fi
}

# The sequenceNumber of the last GET (its body stays in a file).
seqno() {
	json_str sequenceNumber "$T/resp.body"
}

grows() {
	if awk -v a="$1" -v b="$2" 'BEGIN { exit !((a "") < (b "")) }'; then
		pass "$3: sequenceNumber grows"
	else
		fail "$3: sequenceNumber grows" "from '$1' to '$2'"
	fi
}

for id in "$OWN" "$OTHER"; do
	post "$COLL" '{"id":"'"$id"'","availability":"Available",'\
'"activity":"Available"}'
	[ "$RESP_STATUS" = 201 ] || { resp_diag; bail_out "cannot create $id"; }
done

# --- defaults ------------------------------------------------------------------

is "$(member statusMessage "$OWN")" null "a new presence: statusMessage null"
is "$(member outOfOfficeSettings "$OWN")" \
    '{"isOutOfOffice":false,"message":null}' \
    "a new presence: in office, no message"
is "$(member workLocation "$OWN")" \
    '{"workLocationType":"unspecified","source":"none","placeId":null}' \
    "a new presence: no work location"
S0=$(seqno)

# --- setStatusMessage on every path form -----------------------------------------

n=0
for form in "/users/$OWN/presence" "$COLL/$OWN" /me/presence; do
	for name in setStatusMessage microsoft.graph.setStatusMessage; do
		for version in "" /v1.0; do
			TOKEN=$SELF
			n=$((n + 1))
			post "$version$form/$name" '{"statusMessage":{"message":{"content":"note '"$n"'","contentType":"text"}}}'
			empty_200 || { fail "$version$form/$name: empty 200"
			    resp_diag; }
			TOKEN=$ADMIN
			[ "$(message "$OWN")" = "note $n" ] ||
			    fail "$version$form/$name: the message is read back"
		done
	done
done
is "$n" 12 "setStatusMessage: 12 path forms (paths, names, versions)"
TOKEN=$ADMIN
grows "$S0" "$(seqno)" "setStatusMessage"

# Graph's example, with a Windows zone: read back as sent.
post "/users/$OWN/presence/setStatusMessage" '{"statusMessage":{"message":{"content":"Hey I am available now","contentType":"text"},"expiryDateTime":{"dateTime":"2099-08-28T17:00:00.0000000","timeZone":"Pacific Standard Time"}}}'
check_200 "a Windows zone"
m=$(member statusMessage "$OWN")
like "$m" '^\{"message":\{"content":"Hey I am available now","contentType":"text"\},"publishedDateTime":"[0-9-]{10}T[0-9:]{8}\.[0-9]{3}Z","expiryDateTime":\{"dateTime":"2099-08-28T17:00:00\.0000000","timeZone":"Pacific Standard Time"\}\}$' \
    "statusMessage: content, text, publishedDateTime, the expiry as sent"
S1=$(seqno)
for zone in UTC Europe/Berlin "W. Europe Standard Time" Asia/Kolkata; do
	post "/users/$OWN/presence/setStatusMessage" '{"statusMessage":{"message":{"content":"z"},"expiryDateTime":{"dateTime":"2099-01-01T00:00:00","timeZone":"'"$zone"'"}}}'
	check_200 "timeZone $zone"
done
is "$(member statusMessage "$OWN" | sed -n -e 's/.*"timeZone":"\([^"]*\)".*/\1/p')" \
    Asia/Kolkata "the last zone is the one read back"
grows "$S1" "$(seqno)" "a new message"

# An expiry already past: stored, and read as no message.
post "/users/$OWN/presence/setStatusMessage" '{"statusMessage":{"message":{"content":"old"},"expiryDateTime":{"dateTime":"2001-01-01T00:00:00","timeZone":"UTC"}}}'
check_200 "an expiry in the past"
is "$(message "$OWN")" null "an expired message reads null"

# Clearing: an empty content.
post "/users/$OWN/presence/setStatusMessage" '{"statusMessage":{"message":{"content":"again"}}}'
is "$(message "$OWN")" again "a message without expiry"
S2=$(seqno)
post "/users/$OWN/presence/setStatusMessage" '{"statusMessage":{"message":{"content":"","contentType":"text"}}}'
check_200 "an empty content"
is "$(message "$OWN")" null "an empty content clears the message"
grows "$S2" "$(seqno)" "clearing"
S3=$(seqno)
post "/users/$OWN/presence/setStatusMessage" '{"statusMessage":{"message":{"content":""}}}'
check_200 "clearing again"
message "$OWN" >/dev/null
is "$(seqno)" "$S3" "clearing no message changes nothing: sequenceNumber unchanged"

# --- setStatusMessage refusals -----------------------------------------------------

U=/users/$OWN/presence/setStatusMessage
post "$U" '{"statusMessage":{"message":{"content":"x","contentType":"html"}}}'
check_error "contentType html" 400 "statusMessage\\.message\\.contentType.*text"
post "$U" '{"statusMessage":{"message":{"content":"x"},"expiryDateTime":{"dateTime":"2099-08-28T17:00:00Z","timeZone":"UTC"}}}'
check_error "a dateTime with Z" 400 "expiryDateTime\\.dateTime.*offset"
post "$U" '{"statusMessage":{"message":{"content":"x"},"expiryDateTime":{"dateTime":"2099-08-28T17:00:00-07:00","timeZone":"Pacific Standard Time"}}}'
check_error "a dateTime with an offset" 400 "expiryDateTime\\.dateTime.*offset"
post "$U" '{"statusMessage":{"message":{"content":"x"},"expiryDateTime":{"dateTime":"2099-08-28T17:00:00","timeZone":"Middle Earth Standard Time"}}}'
check_error "an unknown zone" 400 "timeZone.*Middle Earth Standard Time"
post "$U" '{"statusMessage":{"message":{"content":"x"},"expiryDateTime":{"dateTime":"28/08/2099","timeZone":"UTC"}}}'
check_error "a dateTime that is none" 400 "expiryDateTime\\.dateTime"
post "$U" '{"statusMessage":{"message":{"content":"x"},"expiryDateTime":{"timeZone":"UTC"}}}'
check_error "no dateTime" 400 "expiryDateTime\\.dateTime.*required"
post "$U" '{"statusMessage":{"message":{"content":"x"},"publishedDateTime":"2026-01-01T00:00:00.000Z"}}'
check_error "publishedDateTime" 400 "publishedDateTime.*read-only"
post "$U" '{"statusMessage":{"message":{"content":"x"}},"availability":"Busy"}'
check_error "another parameter" 400 "availability.*not a parameter"
post "$U" '{}'
check_error "no statusMessage" 400 "statusMessage.*required"
post "$U" '{"statusMessage":"busy"}'
check_error "a statusMessage that is a string" 400 "statusMessage.*object"
long=$(awk 'BEGIN { while (n++ < 1025) printf "m" }')
post "$U" '{"statusMessage":{"message":{"content":"'"$long"'"}}}'
check_error "content over 1024 bytes" 400 "content.*1024"
post "$U" '{"statusMessage":{"message":{"content":"'"${long%m}"'"}}}'
check_200 "content of 1024 bytes"
post "$U" '{"statusMessage":'
check_error "not JSON" 400
post "/users/$MISSING/presence/setStatusMessage" '{"statusMessage":{"message":{"content":"x"}}}'
check_error "an unknown presence" 404
TOKEN=$SELF
post "/users/$OTHER/presence/setStatusMessage" '{"statusMessage":{"message":{"content":"x"}}}'
check_error "another user's presence" 403
TOKEN=$READER
post "$U" '{"statusMessage":{"message":{"content":"x"}}}'
check_error "a reader" 403
TOKEN=$ADMIN
is "$(message "$OTHER")" null "nothing refused was written"

# --- work location ------------------------------------------------------------------

TOKEN=$SELF
member workLocation "$OWN" >/dev/null
L0=$(seqno)
post /me/presence/setAutomaticLocation '{"workLocationType":"remote"}'
check_200 setAutomaticLocation
is "$(member workLocation "$OWN")" \
    '{"workLocationType":"remote","source":"automatic","placeId":null}' \
    "the automatic layer alone shows"
grows "$L0" "$(seqno)" setAutomaticLocation
post /me/presence/microsoft.graph.setManualLocation \
    '{"workLocationType":"office","placeId":"building 4, desk 12"}'
check_200 "setManualLocation (qualified)"
is "$(member workLocation "$OWN")" \
    '{"workLocationType":"office","source":"manual","placeId":"building 4, desk 12"}' \
    "manual over automatic"
post /v1.0/me/presence/setManualLocation '{"workLocationType":"timeOff","placeId":null}'
check_200 "setManualLocation timeOff"
is "$(member workLocation "$OWN")" \
    '{"workLocationType":"timeOff","source":"manual","placeId":null}' \
    "a new manual location replaces the old"
post /me/presence/clearAutomaticLocation ''
check_200 "clearAutomaticLocation without a body"
is "$(member workLocation "$OWN")" \
    '{"workLocationType":"timeOff","source":"manual","placeId":null}' \
    "the manual layer stays"
L1=$(seqno)
post /me/presence/clearAutomaticLocation '{}'
check_200 "clearAutomaticLocation again"
member workLocation "$OWN" >/dev/null
is "$(seqno)" "$L1" "clearing nothing: sequenceNumber unchanged"
post /me/presence/setAutomaticLocation '{"workLocationType":"unspecified","placeId":"x"}'
post /me/presence/clearLocation '{}'
check_200 clearLocation
is "$(member workLocation "$OWN")" \
    '{"workLocationType":"unspecified","source":"none","placeId":null}' \
    "clearLocation clears both layers"
grows "$L1" "$(seqno)" "clearLocation"

for action in setManualLocation setAutomaticLocation clearAutomaticLocation \
    clearLocation; do
	for form in "/users/$OWN/presence" "$COLL/$OWN"; do
		post "$form/$action" '{"workLocationType":"office"}'
		check_error "$form/$action" 400 "no longer supported.*/me/presence"
	done
done
post /me/presence/setManualLocation '{"workLocationType":"Office"}'
check_error "workLocationType Office" 400 "workLocationType.*unspecified, office, remote, timeOff"
post /me/presence/setManualLocation '{"workLocationType":"home"}'
check_error "workLocationType home" 400 "workLocationType"
post /me/presence/setManualLocation '{"placeId":"x"}'
check_error "no workLocationType" 400 "workLocationType.*required"
post /me/presence/setManualLocation '{"workLocationType":"office","placeId":7}'
check_error "a placeId that is a number" 400 "placeId"
post /me/presence/setManualLocation '{"workLocationType":"office","source":"manual"}'
check_error "source" 400 "source.*not a parameter of setManualLocation"
post /me/presence/clearLocation '{"workLocationType":"office"}'
check_error "clearLocation with a parameter" 400 "workLocationType.*not a parameter of clearLocation"
TOKEN=$ADMIN
post /me/presence/setManualLocation '{"workLocationType":"office"}'
check_error "/me with a token bound to no user" 400 "/me"
TOKEN=$READER
post /me/presence/setManualLocation '{"workLocationType":"office"}'
check_error "/me for a reader" 400 "/me"

# --- reads of many show it all -------------------------------------------------------

TOKEN=$SELF
post /me/presence/setManualLocation '{"workLocationType":"remote"}'
post /me/presence/setStatusMessage '{"statusMessage":{"message":{"content":"in many"}}}'
TOKEN=$READER
post /communications/getPresencesByUserId '{"ids":["'"$OWN"'","'"$OTHER"'"]}'
is "$RESP_STATUS" 200 "getPresencesByUserId: 200"
body=$(json_compact "$T/resp.body")
like "$body" '"id":"'"$OWN"'","availability":"Available","activity":"Available","statusMessage":\{"message":\{"content":"in many","contentType":"text"\},"publishedDateTime":"[^"]*","expiryDateTime":null\},"outOfOfficeSettings":\{"isOutOfOffice":false,"message":null\},"workLocation":\{"workLocationType":"remote","source":"manual","placeId":null\},"sequenceNumber"' \
    "getPresencesByUserId: every property, in order"
like "$body" '"id":"'"$OTHER"'","availability":"Available","activity":"Available","statusMessage":null,' \
    "getPresencesByUserId: the other presence with no message"

done_testing
