#!/bin/sh
# Authentication of the real presence-fcgi, through cgi-fcgi, with tokens
# issued and revoked by the real presence-console: what each scope may do,
# every way a request is refused with 401, a revocation or an expiry seen
# by responders already running, no secret in the database file or the
# logs, and the remote-user and none modes.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_fcgi_console
tap_init blackbox-auth

COLL=/communications/presences
OWN=ba441c11-1c11-4a44-911c-44ba111c44ba
OWN_UC=BA441C11-1C11-4A44-911C-44BA111C44BA
OTHER=3f1d7c1e-9a55-4c5e-8a1e-2b7d9e0c4a11
CHALLENGE='Bearer realm="presence"'
CHALLENGE_BAD='Bearer realm="presence", error="invalid_token"'
: >"$T/secrets"

# issue NAME-OF-VAR [SCOPES [USER]]: a token into $T/db, kept in the named
# variable and in $T/secrets (to look for it where it must not be).
issue() {
	is_var=$1
	shift
	is_secret=$(test_token "$T/db" "$@") && [ -n "$is_secret" ] ||
	    bail_out "presence-console cannot issue a token ($*)"
	echo "$is_secret" >>"$T/secrets"
	eval "$is_var=\$is_secret"
}

# check_401 WHAT CHALLENGE: the last response is Graph's 401.
check_401() {
	is "$RESP_STATUS" 401 "$1: 401" || resp_diag
	is "$(resp_header WWW-Authenticate)" "$2" "$1: WWW-Authenticate"
	is "$(json_str code "$T/resp.body")" InvalidAuthenticationToken \
	    "$1: InvalidAuthenticationToken"
	is "$(resp_header Content-Type)" application/json \
	    "$1: application/json"
}

# json_for ID: a create body with that id.
json_for() {
	printf '{"id":"%s","availability":"Available","activity":"Available"}' \
	    "$1"
}

mkdir "$T/db" "$T/nodb" "$T/rudb" || bail_out "cannot create the databases"
issue ADMIN Presence.ReadWrite.All
like "$ADMIN" '^prs_[A-Za-z0-9_-]{43}$' \
    "presence-console prints the secret alone: prs_ and 43 base64url"
fcgi_start --db "$T/db" || bail_out "presence-fcgi did not start"
SOCK1=$FCGI_SOCK
PID1=$FCGI_PID
ERR1=$FCGI_ERR

# --- refused before anything else: 401 ---------------------------------------

TOKEN=
fcgi_request GET "$COLL"
check_401 "no Authorization" "$CHALLENGE"
like "$(json_str message "$T/resp.body")" 'Bearer' \
    "no Authorization: the message says what to send"
fcgi_request -t application/json -l 100000000 POST "$COLL"
check_401 "a huge POST without a token" "$CHALLENGE"
fcgi_request GET /no/such/path
check_401 "an unknown path without a token" "$CHALLENGE"
fcgi_request -e HTTP_AUTHORIZATION=garbage GET "$COLL"
check_401 "a garbage Authorization" "$CHALLENGE"
fcgi_request -e 'HTTP_AUTHORIZATION=Basic dXNlcjpwYXNz' GET "$COLL"
check_401 "the Basic scheme" "$CHALLENGE"
fcgi_request -e "HTTP_AUTHORIZATION=Bearer $ADMIN extra" GET "$COLL"
check_401 "a token and more" "$CHALLENGE_BAD"
fcgi_request -e "HTTP_AUTHORIZATION=Bearer" GET "$COLL"
check_401 "Bearer without a token" "$CHALLENGE_BAD"
TOKEN=prs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
fcgi_request GET "$COLL"
check_401 "an unknown token" "$CHALLENGE_BAD"
UNKNOWN_MESSAGE=$(json_str message "$T/resp.body")

TOKEN=$ADMIN
fcgi_request -e "HTTP_AUTHORIZATION=bearer $ADMIN" GET "$COLL"
is "$RESP_STATUS" 200 "the scheme in lowercase is accepted" || resp_diag
fcgi_request -t application/json -d "$(json_for "$OWN")" POST "$COLL"
is "$RESP_STATUS" 201 "Presence.ReadWrite.All creates a chosen id" || resp_diag
fcgi_request -t application/json -d "$(json_for "$OTHER")" POST "$COLL"
is "$RESP_STATUS" 201 "and another" || resp_diag

# --- what each scope may do ---------------------------------------------------

# expect WHAT STATUS METHOD URI [BODY]: one request with $TOKEN.
expect() {
	ex_what=$1
	ex_status=$2
	shift 2
	if [ $# -gt 2 ]; then
		fcgi_request -t application/json -d "$3" "$1" "$2"
	else
		fcgi_request "$1" "$2"
	fi
	is "$RESP_STATUS" "$ex_status" "$ex_what: $ex_status" || resp_diag
	if [ "$ex_status" = 403 ]; then
		is "$(json_str code "$T/resp.body")" accessDenied \
		    "$ex_what: accessDenied"
	fi
}

issue READ Presence.Read "$OWN"
TOKEN=$READ
expect "Presence.Read: get its own" 200 GET "$COLL/$OWN"
expect "Presence.Read: get another's" 403 GET "$COLL/$OTHER"
expect "Presence.Read: /users/{other}/presence" 403 GET "/users/$OTHER/presence"
expect "Presence.Read: list" 403 GET "$COLL"
expect "Presence.Read: /me/presence" 200 GET /me/presence
is "$(json_str id "$T/resp.body")" "$OWN" "/me/presence is the token's user"
expect "Presence.Read: /v1.0/me/presence" 200 GET /v1.0/me/presence
expect "Presence.Read: delete its own" 403 DELETE "$COLL/$OWN"
expect "Presence.Read: create" 403 POST "$COLL" "$(json_for "$OWN")"

issue READWRITE Presence.ReadWrite "$OWN"
TOKEN=$READWRITE
expect "Presence.ReadWrite: delete another's" 403 DELETE "$COLL/$OTHER"
expect "Presence.ReadWrite: create another's" 403 POST "$COLL" \
    '{"availability":"A","activity":"B"}'
expect "Presence.ReadWrite: delete its own" 204 DELETE "$COLL/$OWN"
expect "Presence.ReadWrite: create its own (id in any case)" 201 POST "$COLL" \
    "$(json_for "$OWN_UC")"
expect "Presence.ReadWrite: list" 403 GET "$COLL"

issue READALL Presence.Read.All
READALL_NAME=$(last_token_name)
TOKEN=$READALL
expect "Presence.Read.All: list" 200 GET "$COLL"
is "$(json_ids "$T/resp.body" | wc -l | tr -d ' ')" 2 "the list has both"
expect "Presence.Read.All: get another's" 200 GET "/users/$OTHER/presence"
expect "Presence.Read.All: delete" 403 DELETE "$COLL/$OTHER"
expect "Presence.Read.All without a user: /me/presence" 400 GET /me/presence
like "$(json_str message "$T/resp.body")" "'/me'" \
    "/me without a user: the message says why"

# --- revoked and expired, in responders already running -----------------------

fcgi_start --db "$T/db" || bail_out "a second presence-fcgi did not start"
SOCK2=$FCGI_SOCK
TOKEN=$READALL
fcgi_request -s "$SOCK2" GET "$COLL"
is "$RESP_STATUS" 200 "the second responder takes the token"
"$PRESENCE_CONSOLE" --db "$T/db" token revoke "$READALL_NAME" \
    >"$T/revoke.out" 2>&1
is "$?" 0 "presence-console token revoke" || diag_file "$T/revoke.out"
fcgi_request -s "$SOCK1" GET "$COLL"
check_401 "revoked, first responder" "$CHALLENGE_BAD"
REVOKED_MESSAGE=$(json_str message "$T/resp.body")
fcgi_request -s "$SOCK2" GET "$COLL"
check_401 "revoked, second responder" "$CHALLENGE_BAD"
ok "the first responder still runs (no restart was needed)" is_running "$PID1"

"$PRESENCE_CONSOLE" --db "$T/db" token issue brief --scope Presence.Read.All \
    --expires 3s </dev/null >"$T/brief" 2>"$T/brief.err"
is "$?" 0 "issue a token that expires in 3 s" || diag_file "$T/brief.err"
BRIEF=$(cat "$T/brief")
echo "$BRIEF" >>"$T/secrets"
TOKEN=$BRIEF
fcgi_request -s "$SOCK1" GET "$COLL"
is "$RESP_STATUS" 200 "the expiring token works at first"
expired() {
	fcgi_request -s "$SOCK1" GET "$COLL"
	[ "$RESP_STATUS" = 401 ]
}
if wait_for 10 expired; then
	check_401 "expired" "$CHALLENGE_BAD"
else
	fail "the expired token is refused" "last status $RESP_STATUS"
fi
EXPIRED_MESSAGE=$(json_str message "$T/resp.body")
is "$REVOKED_MESSAGE|$EXPIRED_MESSAGE" "$UNKNOWN_MESSAGE|$UNKNOWN_MESSAGE" \
    "unknown, revoked and expired tokens get the same message"

# --- no secret at rest or in the logs -----------------------------------------

leaks=
while read -r secret; do
	for f in "$T/db/data.mdb" "$T"/fcgi.*.err; do
		grep -a -q -F -e "$secret" "$f" && leaks="$leaks $f"
		grep -a -q -F -e "${secret#prs_}" "$f" && leaks="$leaks $f"
	done
done <"$T/secrets"
is "$(wc -l <"$T/secrets" | tr -d ' ')" 5 "five secrets issued"
is "$leaks" "" "no secret in data.mdb or the responders' stderr"
ok "(data.mdb holds the tokens' names)" grep -a -q -F test-2 "$T/db/data.mdb"

# --- --auth none: no check, said loudly ---------------------------------------

TOKEN=
fcgi_start --db "$T/nodb" --auth none || bail_out "presence-fcgi --auth none"
like "$(head -n 1 "$FCGI_ERR")" \
    '^presence-fcgi: warning: authentication is off \(--auth none\)' \
    "--auth none: a warning at start"
fcgi_request GET "$COLL"
is "$RESP_STATUS" 200 "--auth none: a list without a token" || resp_diag
fcgi_request -t application/json -d "$(json_for "$OWN")" POST "$COLL"
is "$RESP_STATUS" 201 "--auth none: a create without a token" || resp_diag
fcgi_request DELETE "$COLL/$OWN"
is "$RESP_STATUS" 204 "--auth none: a delete without a token"
fcgi_request GET /me/presence
is "$RESP_STATUS" 400 "--auth none: /me/presence is 400 (nobody is me)"
is "$(grep -c -e 'warning: .*--auth none' "$FCGI_ERR")" 3 \
    "--auth none: one more warning for each write"
stop_pid "$FCGI_PID"

FCGI_SOCK=$SOCKDIR/env-none.sock
FCGI_ERR=$T/env-none.err
PRESENCE_AUTH=none "$PRESENCE_FCGI" --db "$T/nodb" --listen "$FCGI_SOCK" \
    </dev/null >/dev/null 2>"$FCGI_ERR" &
FCGI_PID=$!
track_pid "$FCGI_PID"
wait_for 10 fcgi_listening || bail_out "PRESENCE_AUTH=none did not start"
fcgi_request GET "$COLL"
is "$RESP_STATUS" 200 "PRESENCE_AUTH=none: no token needed"
like "$(cat "$FCGI_ERR")" 'authentication is off' "PRESENCE_AUTH=none: warns"
stop_pid "$FCGI_PID"

FCGI_SOCK=$SOCKDIR/env-tokens.sock
PRESENCE_AUTH=none "$PRESENCE_FCGI" --db "$T/nodb" --listen "$FCGI_SOCK" \
    --auth tokens </dev/null >/dev/null 2>"$T/env-tokens.err" &
FCGI_PID=$!
track_pid "$FCGI_PID"
wait_for 10 fcgi_listening || bail_out "--auth tokens did not start"
fcgi_request GET "$COLL"
is "$RESP_STATUS" 401 "--auth tokens overrides PRESENCE_AUTH=none"
stop_pid "$FCGI_PID"

# --- --auth remote-user: the web server's user, the configured scopes ---------

timeout 10 "$PRESENCE_FCGI" --db "$T/rudb" --auth remote-user \
    --listen "$SOCKDIR/never.sock" </dev/null >/dev/null 2>"$T/ru.err"
is "$?" 2 "--auth remote-user without scopes exits 2"
timeout 10 "$PRESENCE_FCGI" --db "$T/rudb" --auth sometimes \
    --listen "$SOCKDIR/never.sock" </dev/null >/dev/null 2>"$T/bad.err"
is "$?" 2 "an unknown --auth mode exits 2"
like "$(cat "$T/bad.err")" "'sometimes'" "and names it"

fcgi_start --db "$T/rudb" --auth remote-user \
    --remote-user-scopes Presence.ReadWrite ||
    bail_out "presence-fcgi --auth remote-user did not start"
TOKEN=$ADMIN
fcgi_request GET /me/presence
check_401 "remote-user without REMOTE_USER (a token does not count)" \
    "$CHALLENGE"
fcgi_request -e REMOTE_USER= GET /me/presence
check_401 "remote-user with an empty REMOTE_USER" "$CHALLENGE"
TOKEN=
fcgi_request -e "REMOTE_USER=$OWN_UC" -t application/json \
    -d "$(json_for "$OWN")" POST "$COLL"
is "$RESP_STATUS" 201 "REMOTE_USER a GUID, Presence.ReadWrite: its own" ||
    resp_diag
fcgi_request -e "REMOTE_USER=$OWN_UC" GET /me/presence
is "$RESP_STATUS" 200 "REMOTE_USER: /me/presence"
is "$(json_str id "$T/resp.body")" "$OWN" "/me/presence is REMOTE_USER's"
fcgi_request -e "REMOTE_USER=$OWN" -t application/json \
    -d "$(json_for "$OTHER")" POST "$COLL"
is "$RESP_STATUS" 403 "REMOTE_USER: another's is 403"
fcgi_request -e REMOTE_USER=alice GET /me/presence
is "$RESP_STATUS" 400 "REMOTE_USER that is no GUID: no /me"
fcgi_request -e REMOTE_USER=alice GET "$COLL/$OWN"
is "$RESP_STATUS" 403 \
    "REMOTE_USER that is no GUID: Presence.ReadWrite covers nothing"
stop_pid "$FCGI_PID"

done_testing
