#!/bin/sh
# The actions that change a presence, and getPresencesByUserId, on the real
# presence-fcgi through cgi-fcgi: every path form (/users/{id}/presence/X,
# /communications/presences/{id}/X, /me/presence/X, plain and
# microsoft.graph.X, under /, a mount, v1.0 and beta), the empty 200,
# every refused pair, durations, the session bound, the 650-id bound,
# scopes decided before the body is read, 404s, 405s, and @odata.context.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_fcgi_console
tap_init blackbox-actions

COLL=/communications/presences
MANY=/communications/getPresencesByUserId
OWN=ba441c11-1c11-4a44-911c-44ba111c44ba
OTHER=3f1d7c1e-9a55-4c5e-8a1e-2b7d9e0c4a11
MISSING=00000000-0000-4000-8000-000000000000

mkdir "$T/db" || bail_out "cannot create the database directory"
scope_tokens "$T/db" "$OWN"
SELF_READ=$(test_token "$T/db" Presence.Read "$OWN") && [ -n "$SELF_READ" ] ||
    bail_out "no user-bound reader token"
fcgi_start --db "$T/db" --max-body 1000000 || bail_out "presence-fcgi did not start"
TOKEN=$ADMIN

# post URI BODY: POST a JSON body (options before URI go to fcgi_request).
post() {
	fcgi_request -t application/json -d "$2" POST "$1"
}

# check_empty_200 WHAT: the 200 an action answers: no body, no type.
check_empty_200() {
	is "$RESP_STATUS" 200 "$1: 200" || resp_diag
	is "$(wc -c <"$T/resp.body" | tr -d ' ')" 0 "$1: no body"
	is "$(resp_header_count Content-Type)" 0 "$1: no Content-Type"
	is "$(resp_header Content-Length)" 0 "$1: Content-Length 0"
}

# Whether the last response is that empty 200 (no test point).
empty_200() {
	[ "$RESP_STATUS" = 200 ] && [ ! -s "$T/resp.body" ] &&
	    [ "$(resp_header_count Content-Type)" = 0 ]
}

# check_error WHAT STATUS [ERE]: an error, its message matching ERE.
check_error() {
	is "$RESP_STATUS" "$2" "$1: $2" || resp_diag
	is "$(resp_header Content-Type)" application/json "$1: JSON error"
	[ -z "$3" ] || like "$(json_str message "$T/resp.body")" "$3" \
	    "$1: the message says why"
}

# shows ID: "availability/activity" of a GET of ID.
shows() {
	fcgi_request GET "$COLL/$1"
	printf '%s/%s\n' "$(json_str availability "$T/resp.body")" \
	    "$(json_str activity "$T/resp.body")"
}

for id in "$OWN" "$OTHER"; do
	post "$COLL" '{"id":"'"$id"'","availability":"Available value",'\
'"activity":"Activity value"}'
	[ "$RESP_STATUS" = 201 ] || { resp_diag; bail_out "cannot create $id"; }
done

# --- every path form answers the empty 200 ---------------------------------

SET='{"sessionId":"app-1","availability":"Busy","activity":"InACall"}'
n=0
for mount in "" /graph; do
	for version in "" /v1.0 /beta; do
		for name in setPresence microsoft.graph.setPresence; do
			for form in "/users/$OWN/presence" "$COLL/$OWN" /me/presence; do
				TOKEN=$SELF
				fcgi_request -m "$mount" -t application/json \
				    -d "$SET" POST "$version$form/$name"
				empty_200 ||
				    { fail "$mount$version$form/$name: empty 200"
				      resp_diag; continue; }
				n=$((n + 1))
			done
		done
	done
done
is "$n" 36 "setPresence: 36 path forms (mounts, versions, names, paths)"
TOKEN=$ADMIN
is "$(shows "$OWN")" Busy/InACall "setPresence: the presence shows the session"

n=0
for action in clearPresence setUserPreferredPresence \
    clearUserPreferredPresence; do
	for form in "/users/$OWN/presence" "$COLL/$OWN" /me/presence; do
		for name in "$action" "microsoft.graph.$action"; do
			TOKEN=$SELF
			case $action in
			clearPresence)
				post "/v1.0/users/$OWN/presence/setPresence" "$SET"
				body='{"sessionId":"app-1"}' ;;
			setUserPreferredPresence)
				body='{"availability":"Away","activity":"Away"}' ;;
			*)	body='{}' ;;
			esac
			fcgi_request -m /graph -t application/json -d "$body" \
			    POST "/beta$form/$name"
			empty_200 && n=$((n + 1)) ||
			    { fail "/graph/beta$form/$name: empty 200"
			      resp_diag; }
		done
	done
done
is "$n" 18 "clearPresence, setUserPreferredPresence, clearUserPreferredPresence: every path, plain and qualified"
TOKEN=$ADMIN

post "/users/$OWN/presence/setPresence" "$SET"
check_empty_200 setPresence
fcgi_request -t application/json -d '{"sessionId":"app-1"}' \
    POST "/users/$OWN/presence/clearPresence"
check_empty_200 clearPresence
is "$(shows "$OWN")" Offline/Offline \
    "after the last session is cleared: Offline/Offline"
fcgi_request -t application/json -d '{"sessionId":"app-1"}' \
    POST "/users/$OWN/presence/clearPresence"
check_error "clearPresence of a cleared session" 404 session
is "$(json_str code "$T/resp.body")" itemNotFound \
    "clearPresence of a cleared session: itemNotFound"
fcgi_request -t application/json -d '{"sessionId":"never"}' \
    POST "$COLL/$OTHER/clearPresence"
check_error "clearPresence of an unknown session" 404 session

# The preferred presence: over the sessions, and only while one is active.
post "$COLL/$OTHER/setUserPreferredPresence" \
    '{"availability":"DoNotDisturb","activity":"DoNotDisturb"}'
check_empty_200 setUserPreferredPresence
is "$(shows "$OTHER")" "Available value/Activity value" \
    "a preferred presence without any session: the base state shows"
post "$COLL/$OTHER/setPresence" \
    '{"sessionId":"s","availability":"Available","activity":"Available"}'
is "$(shows "$OTHER")" DoNotDisturb/DoNotDisturb \
    "a preferred presence over an active session"
fcgi_request POST "$COLL/$OTHER/clearUserPreferredPresence"
check_empty_200 "clearUserPreferredPresence without a body"
is "$(shows "$OTHER")" Available/Available \
    "clearUserPreferredPresence: the session shows again"
fcgi_request -l 0 POST "$COLL/$OTHER/clearUserPreferredPresence"
check_empty_200 "clearUserPreferredPresence with Content-Length 0"
post "$COLL/$OTHER/clearUserPreferredPresence" '{"x":1}'
check_error "clearUserPreferredPresence with a parameter" 400 "'?x'?"

# --- aggregation of sessions -----------------------------------------------

# session SID AVAILABILITY ACTIVITY [DURATION]: setPresence on OTHER.
session() {
	post "$COLL/$OTHER/setPresence" '{"sessionId":"'"$1"'","availability":"'"$2"'","activity":"'"$3"'"'"${4:+,\"expirationDuration\":\"$4\"}"'}'
	[ "$RESP_STATUS" = 200 ] || { fail "setPresence $1 $2/$3: 200"; resp_diag; }
}
session s Away Away
session t Available Available
is "$(shows "$OTHER")" Available/Available "Available beats Away"
session u Busy InAConferenceCall
is "$(shows "$OTHER")" Busy/InAConferenceCall "Busy beats Available"
session v DoNotDisturb Presenting PT4H
is "$(shows "$OTHER")" DoNotDisturb/Presenting "DoNotDisturb beats Busy"
session w Busy InACall
is "$(shows "$OTHER")" DoNotDisturb/Presenting \
    "a newer Busy session does not beat DoNotDisturb"
post "$COLL/$OTHER/clearPresence" '{"sessionId":"v"}'
is "$(shows "$OTHER")" Busy/InACall \
    "two Busy sessions: the one refreshed last gives the activity"
session u Busy InAConferenceCall
is "$(shows "$OTHER")" Busy/InAConferenceCall \
    "a refresh makes a session the latest"
session u Away Away
is "$(shows "$OTHER")" Busy/InACall "a refresh changes a session's pair"

# A presence holds at most 16 sessions; a 17th is refused by name.
i=4	# s, t, u and w are open
while [ $i -lt 16 ]; do
	session "more-$i" Away Away
	i=$((i + 1))
done
post "$COLL/$OTHER/setPresence" \
    '{"sessionId":"one-too-many","availability":"Away","activity":"Away"}'
check_error "a 17th session" 400 '16'
session more-15 Available Available
pass "an existing session is still refreshed at the bound"

# --- refusals of the bodies: pairs, durations, parameters --------------------

AVAILABILITIES="Available AvailableIdle Away BeRightBack Busy BusyIdle DoNotDisturb Offline PresenceUnknown"
ACTIVITIES="Available Away BeRightBack Busy DoNotDisturb InACall InAConferenceCall Inactive InAMeeting Offline OffWork OutOfOffice PresenceUnknown Presenting UrgentInterruptionsOnly AvailableInactive"
SET_PAIRS=" Available/Available Busy/InACall Busy/InAConferenceCall Away/Away DoNotDisturb/Presenting "
PREFERRED_PAIRS=" Available/Available Busy/Busy DoNotDisturb/DoNotDisturb BeRightBack/BeRightBack Away/Away Offline/OffWork "

# Every pair of Graph's values: accepted exactly when in the action's table.
for action in setPresence setUserPreferredPresence; do
	if [ $action = setPresence ]; then
		pairs=$SET_PAIRS extra='"sessionId":"pairs",'
	else
		pairs=$PREFERRED_PAIRS extra=
	fi
	good=0 refused=0 wrong=
	for a in $AVAILABILITIES; do
		for b in $ACTIVITIES; do
			post "$COLL/$OWN/$action" \
			    "{$extra\"availability\":\"$a\",\"activity\":\"$b\"}"
			case $pairs in
			*" $a/$b "*) want=200 ;;
			*) want=400 ;;
			esac
			if [ "$RESP_STATUS" != "$want" ]; then
				wrong="$wrong $a/$b:$RESP_STATUS"
			elif [ "$want" = 200 ]; then
				good=$((good + 1))
			elif json_str message "$T/resp.body" |
			    grep -Eq "'(availability|activity)'"; then
				refused=$((refused + 1))
			else
				wrong="$wrong $a/$b:message"
			fi
		done
	done
	is "$wrong" "" "$action: every pair answers as its table says"
	is "$good" "$(echo $pairs | wc -w | tr -d ' ')" \
	    "$action: each pair of the table accepted"
	is "$refused" $((9 * 16 - good)) \
	    "$action: every other pair refused, naming the property"
done

# The founding example's free values are for create only.
post "$COLL/$OWN/setPresence" \
    '{"sessionId":"x","availability":"Availability value","activity":"Activity value"}'
check_error "setPresence with free values" 400 "'availability'"
post "$COLL/$OWN/setPresence" \
    '{"sessionId":"x","availability":"available","activity":"available"}'
check_error "setPresence: pairs are case-sensitive" 400 "'availability'"

for d in PT5M PT4H PT1H30M PT240M PT300S; do
	post "$COLL/$OWN/setPresence" '{"sessionId":"d","availability":"Away","activity":"Away","expirationDuration":"'"$d"'"}'
	is "$RESP_STATUS" 200 "setPresence expirationDuration $d: 200"
done
for d in PT4M59S PT4H0M1S PT241M P1D PT0S -PT5M PT5.5M 5M PT P1Y PT5m \
    "PT5M " "" P1W; do
	post "$COLL/$OWN/setPresence" '{"sessionId":"d","availability":"Away","activity":"Away","expirationDuration":"'"$d"'"}'
	check_error "setPresence expirationDuration '$d'" 400 expirationDuration
done
post "$COLL/$OWN/setPresence" '{"sessionId":"d","availability":"Away","activity":"Away","expirationDuration":300}'
check_error "setPresence expirationDuration as a number" 400 expirationDuration
for d in PT1M P1D P30D PT1H30M; do
	post "$COLL/$OWN/setUserPreferredPresence" '{"availability":"Away","activity":"Away","expirationDuration":"'"$d"'"}'
	is "$RESP_STATUS" 200 "setUserPreferredPresence expirationDuration $d: 200"
done
for d in PT0S -P1D P1Y P400D nonsense; do
	post "$COLL/$OWN/setUserPreferredPresence" '{"availability":"Away","activity":"Away","expirationDuration":"'"$d"'"}'
	check_error "setUserPreferredPresence expirationDuration '$d'" 400 \
	    expirationDuration
done

post "$COLL/$OWN/setPresence" '{"availability":"Away","activity":"Away"}'
check_error "setPresence without sessionId" 400 sessionId
post "$COLL/$OWN/setPresence" '{"sessionId":"","availability":"Away","activity":"Away"}'
check_error "setPresence with an empty sessionId" 400 sessionId
LONG=$(printf '%065d' 0)
post "$COLL/$OWN/setPresence" '{"sessionId":"'"$LONG"'","availability":"Away","activity":"Away"}'
check_error "setPresence with a 65-byte sessionId" 400 sessionId
post "$COLL/$OWN/setPresence" '{"sessionId":"a","activity":"Away"}'
check_error "setPresence without availability" 400 availability
post "$COLL/$OWN/setPresence" '{"sessionId":"a","availability":"Away"}'
check_error "setPresence without activity" 400 activity
post "$COLL/$OWN/setPresence" '{"sessionId":"a","availability":"Away","activity":"Away","color":"red"}'
check_error "setPresence with an unknown parameter" 400 color
post "$COLL/$OWN/setPresence" '{"sessionId":"a","sessionId":"b","availability":"Away","activity":"Away"}'
check_error "setPresence with a duplicate key" 400
post "$COLL/$OWN/setPresence" '[1]'
check_error "setPresence with an array" 400
post "$COLL/$OWN/clearPresence" '{}'
check_error "clearPresence without sessionId" 400 sessionId
post "$COLL/$OWN/setUserPreferredPresence" '{"availability":"Away"}'
check_error "setUserPreferredPresence without activity" 400 activity

# --- getPresencesByUserId -----------------------------------------------------

post "$MANY" '{"ids":["'"$OTHER"'","'"$MISSING"'","not-a-guid","'"$OWN"'","'"$OTHER"'"]}'
is "$RESP_STATUS" 200 "getPresencesByUserId: 200" || resp_diag
is "$(resp_header Content-Type)" application/json \
    "getPresencesByUserId: application/json"
is "$(json_ids "$T/resp.body" | tr '\n' ' ')" "$OTHER $OWN " \
    "getPresencesByUserId: request order, each id once, unknown ids left out"
like "$(json_compact "$T/resp.body")" \
    '^\{"@odata\.context":"http://presence\.test/\$metadata#Collection\(microsoft\.graph\.presence\)","value":\[\{"@odata\.type":"#microsoft\.graph\.presence","id":"' \
    "getPresencesByUserId: the collection's context, then presences"
is "$(json_compact "$T/resp.body" | grep -o '@odata.context' | wc -l | tr -d ' ')" 1 \
    "getPresencesByUserId: no context inside the items"
UPPER=$(printf '%s' "$OWN" | tr a-f A-F)
fcgi_request -m /graph -t application/json -d '{"ids":["'"$UPPER"'"]}' \
    POST "/beta/communications/microsoft.graph.getPresencesByUserId"
is "$(json_ids "$T/resp.body")" "$OWN" \
    "getPresencesByUserId under a mount, qualified, with an uppercase id"
like "$(json_str @odata.context "$T/resp.body")" \
    '^http://presence\.test/graph/beta/\$metadata#' \
    "getPresencesByUserId: the context has the mount and version"
post "$MANY" '{"ids":[]}'
is "$(json_compact "$T/resp.body")" \
    '{"@odata.context":"http://presence.test/$metadata#Collection(microsoft.graph.presence)","value":[]}' \
    "getPresencesByUserId with no ids: an empty collection"

# ids_body N: {"ids":[...]} with N ids, OWN first, then missing ones.
ids_body() {
	awk -v n="$1" -v own="$OWN" 'BEGIN {
		printf "{\"ids\":[\"%s\"", own
		for (i = 1; i < n; i++)
			printf ",\"%08x-0000-4000-8000-000000000000\"", i
		printf "]}"
	}' >"$T/ids.json"
}
ids_body 650
fcgi_request -t application/json -b "$T/ids.json" POST "$MANY"
is "$RESP_STATUS" 200 "650 ids: 200" || resp_diag
is "$(json_ids "$T/resp.body")" "$OWN" "650 ids: the one known answered"
ids_body 651
fcgi_request -t application/json -b "$T/ids.json" POST "$MANY"
check_error "651 ids" 400 ids
for body in '{}' '{"ids":null}' '{"ids":"'"$OWN"'"}' '{"ids":[1]}' \
    '{"ids":[null]}' '{"ids":[["'"$OWN"'"]]}' '{"ids":[],"more":1}' '[]'; do
	post "$MANY" "$body"
	check_error "getPresencesByUserId $body" 400
done

# --- scopes: decided before the presence is looked up or the body read -------

# A huge Content-Length with no body behind it: reading would answer 400.
TOKEN=$SELF
post "/users/$OWN/presence/setPresence" "$SET"
check_empty_200 "Presence.ReadWrite on its own presence"
for form in "/users/$OTHER/presence" "$COLL/$OTHER" "/users/$MISSING/presence"; do
	fcgi_request -t application/json -l 900000 POST "$form/setPresence"
	check_error "Presence.ReadWrite on $form: refused unread" 403 \
	    Presence.ReadWrite
done
fcgi_request -t text/plain -l 900000 POST "/users/$OTHER/presence/setUserPreferredPresence"
check_error "403 comes before 415" 403
fcgi_request -t application/json -l 900000 POST "$MANY"
check_error "Presence.ReadWrite: getPresencesByUserId refused unread" 403 \
    'Read\.All'
TOKEN=$SELF_READ
fcgi_request -t application/json -l 900000 POST "/me/presence/clearPresence"
check_error "Presence.Read: no action on its own presence" 403
fcgi_request -t application/json -l 900000 POST "$MANY"
check_error "Presence.Read: getPresencesByUserId refused" 403
TOKEN=$READER
fcgi_request -t application/json -l 900000 \
    POST "/users/$OWN/presence/clearUserPreferredPresence"
check_error "Presence.Read.All: no action" 403
post "$MANY" '{"ids":["'"$OWN"'"]}'
is "$RESP_STATUS" 200 "Presence.Read.All: getPresencesByUserId"
fcgi_request -t application/json -l 900000 POST /me/presence/setPresence
check_error "/me/presence/X without a user" 400 "/me"
TOKEN=
fcgi_request -t application/json -l 900000 POST "/users/$OWN/presence/setPresence"
is "$RESP_STATUS" 401 "no token: 401 before anything"
fcgi_request -t application/json -l 900000 POST "$MANY"
is "$RESP_STATUS" 401 "no token: getPresencesByUserId 401"
TOKEN=$ADMIN

# --- 404, 405 and the body's framing ---------------------------------------------

for action in setPresence clearPresence setUserPreferredPresence \
    clearUserPreferredPresence; do
	case $action in
	setPresence) body=$SET ;;
	clearPresence) body='{"sessionId":"app-1"}' ;;
	setUserPreferredPresence) body='{"availability":"Away","activity":"Away"}' ;;
	*) body='{}' ;;
	esac
	post "/users/$MISSING/presence/$action" "$body"
	check_error "$action on an unknown presence" 404
	post "$COLL/not-a-guid/$action" "$body"
	check_error "$action on an id that is no GUID" 404
	fcgi_request GET "/users/$OWN/presence/$action"
	check_error "GET $action" 405
	is "$(resp_header Allow)" POST "GET $action: Allow: POST"
done
fcgi_request GET "$MANY"
check_error "GET getPresencesByUserId" 405
is "$(resp_header Allow)" POST "GET getPresencesByUserId: Allow: POST"
fcgi_request -t application/json -d '{}' DELETE "/me/presence/setPresence"
is "$RESP_STATUS" 405 "DELETE on an action: 405"
post "/users/$OWN/presence/setNoSuchThing" '{}'
check_error "an action not served" 404
post "/users/$OWN/presence/setpresence" "$SET"
check_error "action names are case-sensitive" 404

fcgi_request -t text/plain -d "$SET" POST "/users/$OWN/presence/setPresence"
check_error "setPresence as text/plain" 415
fcgi_request -t application/json -l - POST "/users/$OWN/presence/setPresence"
check_error "setPresence without Content-Length" 411
fcgi_request -t application/json -l 2000000 POST "/users/$OWN/presence/setPresence"
check_error "setPresence over --max-body" 413
fcgi_request -t application/json -l 100 -d '{}' POST "/users/$OWN/presence/setPresence"
check_error "setPresence shorter than its Content-Length" 400
fcgi_request -t application/json -l - POST "$MANY"
check_error "getPresencesByUserId without Content-Length" 411

# --- what GET answers: @odata.context from the URL the client used ---------------

fcgi_request GET "/users/$OWN/presence"
like "$(json_compact "$T/resp.body")" \
    "^\\{\"@odata\\.context\":\"http://presence\\.test/\\\$metadata#users\\('$OWN'\\)/presence/\\\$entity\",\"@odata\\.type\":\"#microsoft\\.graph\\.presence\",\"id\":\"$OWN\",\"availability\":" \
    "GET /users/{id}/presence: the context first, then the presence"
TOKEN=$SELF
fcgi_request -m /graph GET "/v1.0/me/presence"
is "$(json_str @odata.context "$T/resp.body")" \
    "http://presence.test/graph/v1.0/\$metadata#users('$OWN')/presence/\$entity" \
    "GET /me/presence: users('{id}') under the mount and version"
TOKEN=$ADMIN
fcgi_request -e REQUEST_SCHEME=https -e HTTPS=on GET "/beta$COLL/$OTHER"
is "$(json_str @odata.context "$T/resp.body")" \
    "https://presence.test/beta/\$metadata#communications/presences/\$entity" \
    "GET /communications/presences/{id}: its own context, https kept"
fcgi_request -u HTTP_HOST GET "/users/$OWN/presence"
is "$(json_str @odata.context "$T/resp.body")" \
    "/\$metadata#users('$OWN')/presence/\$entity" \
    "without a Host: a relative context"
fcgi_request GET "$COLL"
like "$(json_compact "$T/resp.body")" \
    '^\{"@odata\.context":"http://presence\.test/\$metadata#communications/presences","value":\[\{"@odata\.type"' \
    "the list: the collection's context"

done_testing
