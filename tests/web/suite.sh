# The black-box API suite every deployment runs (POSIX sh, curl), sourced
# after tests/lib.sh and tests/web/web.sh: suite_run LABEL ORIGIN MOUNT
# drives the API mounted at MOUNT ("" or "/graph") of the server at
# ORIGIN (http://127.0.0.1:PORT), on a fresh database.  Every request
# carries `Authorization: Bearer $TOKEN` when TOKEN is set.

COLL=/communications/presences
SUITE_MISSING=00000000-0000-4000-8000-000000000000

# http METHOD URL [CURL-ARG...]: one request, with the token unless
# SUITE_ANON is set; sets HTTP_STATUS and the files $T/resp.headers (CRs
# removed) and $T/resp.body.
http() {
	http_method=$1
	http_url=$2
	shift 2
	if [ -n "$TOKEN" ] && [ -z "$SUITE_ANON" ]; then
		set -- -H "Authorization: Bearer $TOKEN" "$@"
	fi
	# An empty Expect header keeps curl from waiting for a 100 Continue
	# before a large body; with SUITE_EXPECT set curl waits, and a
	# server may refuse the body unsent.
	[ -n "$SUITE_EXPECT" ] || set -- -H 'Expect:' "$@"
	if [ "$http_method" = HEAD ]; then
		set -- -I "$@"
	else
		set -- -X "$http_method" "$@"
	fi
	HTTP_STATUS=$("$CURL" -q -s --noproxy '*' --max-time 20 \
	    -D "$T/resp.raw-headers" -o "$T/resp.body" -w '%{http_code}' \
	    "$@" "$http_url")
	tr -d '\r' <"$T/resp.raw-headers" >"$T/resp.headers" 2>/dev/null
	: >>"$T/resp.body"
}

# Show the last response, and the logs, as diagnostics.
http_diag() {
	diag "response $HTTP_STATUS:"
	diag_file "$T/resp.headers"
	diag_file "$T/resp.body" 5
	diag_file "$WEB_LOG" 10
	web_server_errors
	[ -z "$WEB_RESPONDER_LOG" ] || diag_file "$WEB_RESPONDER_LOG" 10
}

# is_status EXPECTED DESCRIPTION: the last status, with diagnostics.
is_status() {
	is "$HTTP_STATUS" "$1" "$2" || http_diag
}

# is_error STATUS CODE DESCRIPTION: the last response is the responder's
# JSON error STATUS with Graph's error code CODE.
is_error() {
	is_status "$1" "$3: $1"
	is "$(resp_header Content-Type):$(json_str code "$T/resp.body")" \
	    "application/json:$2" "$3: $2 as application/json"
}

# A create body of exactly SIZE bytes: the founding example padded with
# spaces, which strict JSON allows.
suite_padded() {
	suite_head='{"@odata.type":"#microsoft.graph.presence","availability":"Availability value","activity":"Activity value"'
	{
		printf '%s' "$suite_head"
		head -c $(($1 - ${#suite_head} - 1)) /dev/zero | tr '\0' ' '
		printf '}'
	} >"$2"
}

# suite_run LABEL ORIGIN MOUNT
suite_run() {
	L=$1
	B=$2$3
	founding_body >"$T/founding.json"

	# --- create, and read back by Location --------------------------------
	http POST "$B$COLL" -H 'Content-Type: application/json' \
	    -H 'client-request-id: web-0001' --data-binary @"$T/founding.json"
	is_status 201 "$L: POST the founding example: 201"
	is "$(resp_header Content-Type)" application/json \
	    "$L: POST: Content-Type application/json"
	ID=$(json_str id "$T/resp.body")
	like "$ID" "$GUID_V4_ERE" "$L: POST: id is a lowercase v4 GUID"
	like "$(json_compact "$T/resp.body")" "$(presence_ere "$ID")" \
	    "$L: POST: the founding example's body, in its order"
	LOCATION=$(resp_header Location)
	is "$LOCATION" "$B$COLL/$ID" "$L: POST: Location is the URL the client used"
	is "$(resp_header client-request-id)" web-0001 \
	    "$L: POST: client-request-id echoed"
	cp "$T/resp.body" "$T/created.json"

	http GET "$LOCATION"
	is_status 200 "$L: GET the Location: 200"
	# Graph's @odata.context first, from the URL the client used.
	is "$(json_compact "$T/resp.body")" \
	    "{\"@odata.context\":\"$B/\$metadata#communications/presences/\$entity\",$(json_compact "$T/created.json" | cut -c2-)" \
	    "$L: GET the Location: its context, then the created presence"
	http HEAD "$LOCATION"
	is_status 200 "$L: HEAD the Location: 200"
	http GET "$B/v1.0$COLL/$ID"
	is_status 200 "$L: GET under /v1.0: 200"
	http GET "$B/beta/users/$ID/presence"
	is_status 200 "$L: GET /beta/users/{id}/presence: 200"
	is "$(json_str id "$T/resp.body")" "$ID" "$L: GET /users/{id}/presence: the presence"

	# --- the actions: an empty 200 that no server dresses up as JSON -------
	http POST "$B/v1.0/users/$ID/presence/setPresence" \
	    -H 'Content-Type: application/json' --data-binary \
	    '{"sessionId":"web","availability":"Busy","activity":"InACall"}'
	is_status 200 "$L: setPresence: 200"
	is "$(wc -c <"$T/resp.body" | tr -d ' '):$(resp_header Content-Type)" \
	    "0:" "$L: setPresence: no body, no Content-Type"
	http POST "$B/beta/communications/getPresencesByUserId" \
	    -H 'Content-Type: application/json' --data-binary "{\"ids\":[\"$ID\"]}"
	is_status 200 "$L: getPresencesByUserId: 200"
	is "$(json_str @odata.context "$T/resp.body"):$(json_str activity "$T/resp.body")" \
	    "$B/beta/\$metadata#Collection(microsoft.graph.presence):InACall" \
	    "$L: getPresencesByUserId: its context, what the session set"
	http POST "$B$COLL/$ID/microsoft.graph.clearPresence" \
	    -H 'Content-Type: application/json' --data-binary '{"sessionId":"web"}'
	is_status 200 "$L: clearPresence, namespace-qualified: 200"
	http GET "$B/users/$ID/presence/clearPresence"
	is_status 405 "$L: GET on an action: 405"

	# --- the body limit: 64 KiB passes the server, one byte more is 413 ----
	suite_padded 65536 "$T/limit.json"
	http POST "$B$COLL" -H 'Content-Type: application/json' \
	    --data-binary @"$T/limit.json"
	is_status 201 "$L: a body of exactly 64 KiB: 201"
	ID2=$(json_str id "$T/resp.body")
	suite_padded 65537 "$T/over.json"
	http POST "$B$COLL" -H 'Content-Type: application/json' \
	    --data-binary @"$T/over.json"
	is_error 413 requestTooLarge "$L: a body of 64 KiB and one byte"
	# Past the server's own limit (1 MiB) the server refuses the body
	# itself, before it reaches the responder (whose answers carry a
	# request-id).
	suite_padded 1048577 "$T/huge.json"
	SUITE_EXPECT=1
	http POST "$B$COLL" -H 'Content-Type: application/json' \
	    --data-binary @"$T/huge.json"
	SUITE_EXPECT=
	is_status 413 "$L: a body over the server's 1 MiB: 413"
	is "$(resp_header request-id)" "" \
	    "$L: a body over 1 MiB: refused by the server itself"

	# --- paging: @odata.nextLink keeps the mount and the version ------------
	http GET "$B/v1.0$COLL?\$top=1"
	is_status 200 "$L: list with \$top=1: 200"
	FIRST=$(json_ids "$T/resp.body")
	NEXT=$(json_str @odata.nextLink "$T/resp.body")
	case $NEXT in
	"$B/v1.0$COLL?"*) pass "$L: nextLink is under the URL the client used" ;;
	*) fail "$L: nextLink is under the URL the client used" \
	    "got '$NEXT'" "expected '$B/v1.0$COLL?...'" ;;
	esac
	http GET "$NEXT"
	is_status 200 "$L: follow nextLink: 200"
	SECOND=$(json_ids "$T/resp.body")
	is "$(printf '%s\n%s\n' "$FIRST" "$SECOND" | sort | tr '\n' ' ')" \
	    "$(printf '%s\n%s\n' "$ID" "$ID2" | sort | tr '\n' ' ')" \
	    "$L: the two pages hold the two presences"
	unlike "$(json_compact "$T/resp.body")" 'nextLink' \
	    "$L: the last page has no nextLink"

	# --- the same errors as everywhere ----------------------------------------
	http GET "$B$COLL/$SUITE_MISSING"
	is_error 404 itemNotFound "$L: GET a missing presence"
	http GET "$B/no/such/path"
	is_error 404 itemNotFound "$L: GET a path the API does not have"
	http DELETE "$B$COLL"
	is_error 405 methodNotAllowed "$L: DELETE the collection"
	is "$(resp_header Allow)" "GET, HEAD, POST" "$L: DELETE the collection: Allow"
	http POST "$LOCATION" -H 'Content-Type: application/json' \
	    --data-binary @"$T/founding.json"
	is_error 405 methodNotAllowed "$L: POST to a presence"
	is "$(resp_header Allow)" "GET, HEAD, DELETE" "$L: POST to a presence: Allow"
	http POST "$B$COLL" -H 'Content-Type: text/plain' \
	    --data-binary @"$T/founding.json"
	is_error 415 unsupportedMediaType "$L: POST as text/plain"
	# lighttpd and nginx decode it into the path, Apache refuses it.
	http GET "$B/communications%2Fpresences"
	is_status 404 "$L: GET with an encoded slash in the path: 404"

	# --- $metadata, which anyone may read ---------------------------------------
	SUITE_ANON=1
	http GET "$B/v1.0/\$metadata"
	is_status 200 "$L: GET /v1.0/\$metadata without a token: 200"
	is "$(resp_header Content-Type)" application/xml \
	    "$L: \$metadata: Content-Type application/xml"
	cmp -s "$T/resp.body" "$top_srcdir/fcgi/metadata.xml"
	is "$?" 0 "$L: \$metadata: the body is fcgi/metadata.xml"
	SUITE_ANON=

	suite_auth
	suite_outside "$2" "$3"

	# --- delete ------------------------------------------------------------------
	http DELETE "$LOCATION"
	is_status 204 "$L: DELETE the Location: 204"
	http GET "$LOCATION"
	is_error 404 itemNotFound "$L: GET after DELETE"
}

# The Authorization header reaches the responder intact: with a token,
# everything above passed with it, and without it or with another one
# the responder answers 401.
suite_auth() {
	if [ -z "$TOKEN" ]; then
		diag "$L: no token, so no Authorization checks (the" \
		    "responders check none)"
		return 0
	fi
	SUITE_ANON=1
	http GET "$LOCATION"
	is_status 401 "$L: GET without a token: 401"
	http GET "$LOCATION" -H \
	    'Authorization: Bearer prs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
	is_status 401 "$L: GET with another token: 401"
	SUITE_ANON=
}

# Paths outside the mount never reach the responder (its answers carry
# a request-id).
suite_outside() {
	[ -n "$2" ] || return 0
	for suite_path in "$COLL" "${2}x$COLL"; do
		http GET "$1$suite_path"
		is_status 404 "$L: GET $suite_path outside the mount: 404"
		is "$(resp_header request-id)" "" \
		    "$L: GET $suite_path: not the responder's answer"
	done
}

# --- --auth remote-user: only the server's own sign-in names the caller -----
#
# The responders run with --auth remote-user and Presence.ReadWrite
# (web_remote_user), so REMOTE_USER alone decides whose presence a caller
# may read and delete.  Headers a client may send to claim to be bob:
# none may ever become REMOTE_USER.

# suite_forged N: the Nth such header, or fail past the last.  The first
# is the one nginx's $remote_user takes, whether checked or not.
suite_forged() {
	case $1 in
	1) printf 'Authorization: Basic %s\n' \
	    "$(printf '%s:anything' "$WEB_BOB" | base64)" ;;
	2) echo "Remote-User: $WEB_BOB" ;;
	3) echo "X-Remote-User: $WEB_BOB" ;;
	4) echo "Remote_User: $WEB_BOB" ;;
	5) echo "X-Forwarded-User: $WEB_BOB" ;;
	6) echo "X-Auth-Request-User: $WEB_BOB" ;;
	*) return 1 ;;
	esac
}

# suite_signed_in NAME: the curl arguments (no blanks within one) that
# sign NAME (alice or bob) in the way WEB_LOGIN says.
suite_signed_in() {
	case $WEB_LOGIN:$1 in
	basic:alice) echo "-u $WEB_ALICE:alice-pw" ;;
	basic:bob) echo "-u $WEB_BOB:bob-pw" ;;
	sso:*) echo "-b session=s-$1" ;;
	esac
}

# suite_remote_user_signed LABEL ORIGIN MOUNT: the server signs callers
# in.  Each signed-in user is accepted as themselves, whatever headers
# they add; a caller it did not sign in never reaches a presence.
suite_remote_user_signed() {
	L=$1
	B=$2$3
	SUITE_ANON=1
	for sr_name in bob alice; do
		sr_id=$WEB_ALICE
		[ "$sr_name" = alice ] || sr_id=$WEB_BOB
		printf '{"id":"%s","availability":"%s","activity":"%s"}' \
		    "$sr_id" Available Available >"$T/ru.json"
		http POST "$B$COLL" $(suite_signed_in $sr_name) \
		    -H 'Content-Type: application/json' \
		    --data-binary @"$T/ru.json"
		is_status 201 "$L: $sr_name, signed in, creates their presence"
	done
	http GET "$B/me/presence" $(suite_signed_in alice)
	is_status 200 "$L: alice, signed in: GET /me/presence"
	is "$(json_str id "$T/resp.body")" "$WEB_ALICE" \
	    "$L: alice, signed in: /me is alice's presence"

	sr_n=1
	while sr_h=$(suite_forged $sr_n); do
		sr_n=$((sr_n + 1))
		sr_name=${sr_h%%:*}
		# Basic sign-in is itself the Authorization header.
		if [ "$WEB_LOGIN" != basic ] ||
		    [ "$sr_name" != Authorization ]; then
			http GET "$B/me/presence" $(suite_signed_in alice) \
			    -H "$sr_h"
			is "$HTTP_STATUS:$(json_str id "$T/resp.body")" \
			    "200:$WEB_ALICE" \
			    "$L: alice with $sr_name naming bob: /me: alice's" ||
			    http_diag
			http DELETE "$B$COLL/$WEB_BOB" $(suite_signed_in alice) \
			    -H "$sr_h"
			is_error 403 accessDenied \
			    "$L: alice with $sr_name naming bob: DELETE bob's"
		fi
		http GET "$B/me/presence" -H "$sr_h"
		is_status 401 "$L: not signed in, $sr_name naming bob: GET /me"
		http DELETE "$B$COLL/$WEB_BOB" -H "$sr_h"
		is_status 401 "$L: not signed in, $sr_name naming bob: DELETE"
	done
	http GET "$B/me/presence" $(suite_signed_in bob)
	is "$HTTP_STATUS:$(json_str id "$T/resp.body")" "200:$WEB_BOB" \
	    "$L: bob, signed in: his presence is still there" || http_diag
	SUITE_ANON=
}

# suite_remote_user_shipped LABEL ORIGIN MOUNT: the shipped file as it
# is, no sign-in configured: no header makes a REMOTE_USER, so every
# request gets the responder's 401 (bob's presence, created before,
# stays: the caller checks that with presence-console).
suite_remote_user_shipped() {
	L=$1
	B=$2$3
	SUITE_ANON=1
	sr_n=1
	while sr_h=$(suite_forged $sr_n); do
		sr_n=$((sr_n + 1))
		sr_name=${sr_h%%:*}
		http GET "$B/me/presence" -H "$sr_h"
		is_error 401 InvalidAuthenticationToken \
		    "$L: $sr_name naming bob: GET /me"
		is "$(json_str message "$T/resp.body")" \
		    "the web server sent no authenticated user" \
		    "$L: $sr_name naming bob: the responder got no REMOTE_USER"
		http DELETE "$B$COLL/$WEB_BOB" -H "$sr_h"
		is_error 401 InvalidAuthenticationToken \
		    "$L: $sr_name naming bob: DELETE bob's"
	done
	SUITE_ANON=
}

# suite_kept LABEL ID: the presence ID is still in the database, as
# presence-console exports it.
suite_kept() {
	"$PRESENCE_CONSOLE" --db "$WEB_DB" export >"$T/export.json" \
	    2>"$T/export.err"
	is "$(grep -c "\"id\":\"$2\"" "$T/export.json")" 1 \
	    "$1: the presence $2 is still there" || diag_file "$T/export.err"
}
