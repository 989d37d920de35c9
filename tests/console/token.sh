#!/bin/sh
# The token subcommands: issue prints the secret alone, list never shows
# it, revoke takes effect in a running responder, usage errors exit 2
# with the reason and create nothing.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

CONSOLE=$top_builddir/presence-console
SECRET_ERE='^prs_[A-Za-z0-9_-]{43}$'
USER_ID=8b6a5d2e-0c4f-4a59-9f1e-2d3c4b5a6978

tap_init console-token
[ -x "$CONSOLE" ] || bail_out "'$CONSOLE' is not built"
require_fcgi
require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin

# console ARG...: run presence-console; sets RC, $T/out and $T/err.
console() {
	"$CONSOLE" "$@" >"$T/out" 2>"$T/err"
	RC=$?
}

# usage_error DESCRIPTION ERE ARG...: one run that must exit 2, say ERE on
# stderr, print nothing on stdout and leave no database behind.
usage_error() {
	ue_desc=$1
	ue_ere=$2
	shift 2
	rm -rf "$T/never"
	console --db "$T/never" "$@"
	is "$RC" 2 "$ue_desc: exit status 2"
	like "$(cat "$T/err")" "$ue_ere" "$ue_desc: says why"
	is "$(cat "$T/out")" "" "$ue_desc: nothing on stdout"
	ok "$ue_desc: no database is created" test ! -e "$T/never"
}

DB=$T/db

# --- issue ------------------------------------------------------------------
console --db "$DB" token issue ci --scope Presence.ReadWrite.All
is "$RC" 0 "token issue exits 0"
is "$(wc -l <"$T/out" | tr -d ' ')" 1 "and prints exactly one line"
SECRET=$(cat "$T/out")
like "$SECRET" "$SECRET_ERE" "the secret: prs_ and 43 base64url characters"
like "$(cat "$T/err")" "^issued token 'ci': Presence\\.ReadWrite\\.All, never expires" \
    "what was issued goes to stderr"
if grep -q -F -e "$SECRET" "$T/err"; then
	fail "the secret is not on stderr"
else
	pass "the secret is not on stderr"
fi
if grep -q -F -e "$SECRET" "$DB/data.mdb"; then
	fail "the database does not hold the secret"
else
	pass "the database does not hold the secret"
fi
console --db "$DB" token issue ci --scope Presence.Read.All
is "$RC" 1 "a name that is taken fails"
like "$(cat "$T/err")" "^presence-console: a token named 'ci' exists$" \
    "and says so"
is "$(cat "$T/out")" "" "with no secret"

console --db "$DB" token issue me --scope 'Presence.Read, Presence.ReadWrite' \
    --user 8B6A5D2E-0C4F-4A59-9F1E-2D3C4B5A6978 --expires 90d
is "$RC" 0 "a token bound to a user, with an expiry"
ME=$(cat "$T/out")
like "$ME" "$SECRET_ERE" "has a secret too"
ok "a different one" test "$ME" != "$SECRET"

# --- list -------------------------------------------------------------------
console --db "$DB" token list
is "$RC" 0 "token list exits 0"
like "$(sed -n 1p "$T/out")" "^NAME +SCOPES +USER +CREATED +EXPIRES$" \
    "a table with a heading"
like "$(grep '^ci ' "$T/out")" \
    "^ci +Presence\\.ReadWrite\\.All +- +20[0-9]{2}-[0-9-]+T[0-9:.]+Z +never$" \
    "the first token: scope, no user, created, never expires"
like "$(grep '^me ' "$T/out")" \
    "^me +Presence\\.Read,Presence\\.ReadWrite +$USER_ID +20[0-9-]+T[0-9:.]+Z +20[0-9-]+T[0-9:.]+Z$" \
    "the second: both scopes, its user made canonical, its expiry"
if grep -q -F -e "$SECRET" -e "$ME" "$T/out" "$T/err"; then
	fail "no secret is listed"
else
	pass "no secret is listed"
fi
console --db "$DB" token list --json
is "$RC" 0 "token list --json exits 0"
like "$(sed -n 1p "$T/out")" \
    '^\{"name":"ci","scopes":\["Presence\.ReadWrite\.All"\],"user":null,"created":"20[^"]*Z","expires":null,"expired":false\}$' \
    "one JSON object a line"
like "$(sed -n 2p "$T/out")" \
    "\"scopes\":\\[\"Presence\\.Read\",\"Presence\\.ReadWrite\"\\],\"user\":\"$USER_ID\"" \
    "with every scope and the user"
if grep -q -F -e "$SECRET" -e "$ME" "$T/out"; then
	fail "and no secret"
else
	pass "and no secret"
fi
console --db "$T/empty" token issue x --scope Presence.Read.All
console --db "$T/empty" token revoke x
console --db "$T/empty" token list
is "$RC" 0 "listing no tokens exits 0"
is "$(cat "$T/out")" "" "prints nothing on stdout"
is "$(cat "$T/err")" "no tokens" "and says so on stderr"

# --- the secret works against presence-fcgi; revoke takes effect -------------
fcgi_start --db "$DB" || bail_out "presence-fcgi did not start"
if "$PRESENCE_FCGI" --help 2>&1 | grep -q -e '--auth'; then
	TOKEN=$SECRET
	fcgi_request GET /communications/presences
	is "$RESP_STATUS" 200 "presence-fcgi takes the issued secret" ||
	    resp_diag
	fcgi_request -t application/json \
	    -d '{"availability":"Available","activity":"Available"}' \
	    POST /communications/presences
	is "$RESP_STATUS" 201 "and lets Presence.ReadWrite.All create" ||
	    resp_diag
	TOKEN=$ME
	fcgi_request GET "/users/$USER_ID/presence"
	ok "a user's token reaches its own presence (404: none yet)" \
	    test "$RESP_STATUS" = 404 -o "$RESP_STATUS" = 200
	fcgi_request GET /communications/presences
	is "$RESP_STATUS" 403 "but not the whole collection"
else
	pass "# SKIP presence-fcgi has no --auth: no bearer tokens to check"
	pass "# SKIP presence-fcgi has no --auth"
	pass "# SKIP presence-fcgi has no --auth"
	pass "# SKIP presence-fcgi has no --auth"
fi

console --db "$DB" token revoke ci
is "$RC" 0 "token revoke exits 0"
is "$(cat "$T/out")" "revoked token 'ci'" "and says so"
"$CONSOLE" --db "$DB" token list >"$T/list" 2>&1
if grep -q '^ci ' "$T/list"; then
	fail "the revoked token is no longer listed"
else
	pass "the revoked token is no longer listed"
fi
like "$(cat "$T/list")" "^me " "the other one still is"
if "$PRESENCE_FCGI" --help 2>&1 | grep -q -e '--auth'; then
	TOKEN=$SECRET
	fcgi_request GET /communications/presences
	is "$RESP_STATUS" 401 "the running responder refuses the revoked secret"
else
	pass "# SKIP presence-fcgi has no --auth"
fi
console --db "$DB" token revoke ci
is "$RC" 1 "revoking it again fails"
is "$(cat "$T/err")" "presence-console: no such token 'ci'" "no such token"

# --- expiry -----------------------------------------------------------------
console --db "$DB" token issue brief --scope Presence.Read.All --expires 1s
is "$RC" 0 "a token that expires in a second"
BRIEF=$(cat "$T/out")
# expired_listed: whether token list marks it expired yet.
expired_listed() {
	"$CONSOLE" --db "$DB" token list 2>/dev/null |
	    grep -Eq '^brief .* expired 20[0-9-]+T[0-9:.]+Z$'
}
ok "is listed as expired once the second is over" wait_for 5 expired_listed
"$CONSOLE" --db "$DB" token list --json >"$T/out"
like "$(grep '"brief"' "$T/out")" '"expired":true' "--json says so too"
if "$PRESENCE_FCGI" --help 2>&1 | grep -q -e '--auth'; then
	TOKEN=$BRIEF
	fcgi_request GET /communications/presences
	is "$RESP_STATUS" 401 "and the responder refuses it"
else
	pass "# SKIP presence-fcgi has no --auth"
fi
stop_pid "$FCGI_PID"

# --- a secret that cannot be written is not left valid ----------------------
if [ -w /dev/full ]; then
	"$CONSOLE" --db "$DB" token issue lost --scope Presence.Read.All \
	    >/dev/full 2>"$T/err"
	is "$?" 1 "a secret that cannot be written fails"
	like "$(cat "$T/err")" "cannot write the secret: .*token 'lost' revoked again" \
	    "and says the token was revoked again"
	"$CONSOLE" --db "$DB" token list >"$T/list" 2>&1
	if grep -q '^lost ' "$T/list"; then
		fail "so it is not listed"
	else
		pass "so it is not listed"
	fi
else
	pass "# SKIP no /dev/full"
	pass "# SKIP no /dev/full"
	pass "# SKIP no /dev/full"
fi

# --- usage errors: exit 2, the reason, nothing created ----------------------
usage_error "an unknown scope" \
    "^presence-console: invalid --scope: unknown scope 'Presence\\.Write'" \
    token issue x --scope Presence.Write
usage_error "Presence.Read without a user" \
    "invalid --user: Presence\\.Read and Presence\\.ReadWrite need a user id" \
    token issue x --scope Presence.Read
usage_error "a user that is not a GUID" "invalid --user: 'bob' is not a presence id" \
    token issue x --scope Presence.Read --user bob
usage_error "a bad duration" "invalid --expires: 'soon' is not a duration" \
    token issue x --scope Presence.Read.All --expires soon
usage_error "a name with a space" "invalid token name: .*without spaces" \
    token issue 'a b' --scope Presence.Read.All
usage_error "issue without --scope" "token issue needs a scope '--scope'" \
    token issue x
usage_error "issue without a name" "token issue needs a name" \
    token issue --scope Presence.Read.All
usage_error "revoke without a name" "token revoke needs a name" token revoke
usage_error "token alone" "token needs a command" token
usage_error "an unknown token command" "unknown token command 'frob'" \
    token frob
usage_error "--scope with list" "option only for token issue '--scope'" \
    token list --scope Presence.Read.All
usage_error "--json with issue" "option only for token list '--json'" \
    token issue x --scope Presence.Read.All --json
usage_error "issue with --read-only" "cannot run with '--read-only'" \
    --read-only token issue x --scope Presence.Read.All
console --help
like "$(cat "$T/out")" "token issue NAME --scope SCOPE\\[,SCOPE\\]" \
    "--help shows the token commands"

done_testing
