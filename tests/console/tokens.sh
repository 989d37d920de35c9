#!/bin/sh
# The Tokens screen: it lists the tokens (never a secret), issues one from
# a form whose secret shows once and works as a Bearer token against a
# running presence-fcgi, revokes after a y/N question (No by default), and
# is hidden when the database is open read-only.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/console/tmux.sh"

tap_init console-tokens
require_console
require_fcgi
require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin

TMUX_COLS=120	# wide enough for every column
TMUX_ROWS=120	# and tall enough for the whole help on one page
DB=$T/db
SECRET_ERE='prs_[A-Za-z0-9_-]{43}'

# Whether presence-fcgi checks bearer tokens at all.
if "$PRESENCE_FCGI" --help 2>&1 | grep -q -e '--auth'; then
	AUTH=1
else
	AUTH=
fi

# listed NAME: whether `presence-console token list` shows a token NAME.
listed() {
	"$CONSOLE" --db "$DB" token list 2>/dev/null | grep -q "^$1 "
}

# api_status SECRET: the status of a GET of the collection with SECRET.
api_status() {
	TOKEN=$1
	fcgi_request GET /communications/presences
	TOKEN=
	echo "$RESP_STATUS"
}

fcgi_start --db "$DB" || bail_out "presence-fcgi did not start"
"$CONSOLE" --db "$DB" token issue ops --scope Presence.Read.All \
    >"$T/ops.secret" 2>/dev/null || bail_out "cannot issue a token"

tmux_start
CONSOLE_ENV=NO_COLOR=1 console_start --db "$DB" ||
    bail_out "presence-console did not start"
expect_screen "t Tokens" "the list's key bar offers the Tokens screen"

# --- the table --------------------------------------------------------------
keys t
expect_screen "^ +NAME +SCOPES +USER +CREATED +EXPIRES$" \
    "t opens the Tokens screen, with its columns"
expect_screen "^ +ops +Presence\\.Read\\.All +- +20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9:]{5} +never$" \
    "a token issued on the command line is listed"
expect_screen "i Issue +r Revoke +Esc Back +q Quit" "the key bar"
refuse_screen "$(cat "$T/ops.secret")" "its secret is not shown"

MDB_STAT=${MDB_STAT:-$(command -v mdb_stat)}
if [ -n "$MDB_STAT" ]; then
	held=0
	for i in 1 2 3 4 5; do
		"$MDB_STAT" -r "$DB" >"$T/readers" 2>&1
		grep -Eq "^ *$CONSOLE_PID " "$T/readers" && held=$((held + 1))
		sleep 0.1
	done
	ok "no read transaction is held while the screen waits for a key" \
	    test "$held" -le 1
else
	pass "# SKIP mdb_stat not found (install the Debian package lmdb-utils)"
fi
"$CONSOLE" --db "$DB" token issue elsewhere --scope Presence.ReadWrite.All \
    >/dev/null 2>&1
expect_screen "^ +elsewhere +Presence\\.ReadWrite\\.All " \
    "a token issued meanwhile elsewhere appears by itself" 3

# --- the issue form ---------------------------------------------------------
keys i
expect_screen "^ +name *$" "i opens the issue form"
expect_screen "shown once, after issuing" "which says the secret shows once"
keys Enter
expect_screen "a token name has 1 to 64 characters" \
    "issuing an empty form names the missing name"
expect_screen "a token needs a scope" "and the missing scope"
type_text "deploy"
keys Tab
expect_screen "Presence\\.ReadWrite\\.All +read and write every presence" \
    "the scopes field offers Graph's scopes, each with what it allows"
keys C-n C-n C-n C-n
expect_screen "^ +scopes +Presence\\.ReadWrite\\.All *$" \
    "^N steps through them"
keys Tab Tab
type_text "30d"
keys Enter

# --- the secret, once -------------------------------------------------------
expect_screen "Token 'deploy' is issued" "Enter issues the token"
expect_screen "^    $SECRET_ERE\$" "and shows its secret"
expect_screen "cannot be shown again" "saying it cannot be shown again"
expect_screen "Enter Close" "until the dialog is closed"
SECRET=$(screen | grep -Eo "$SECRET_ERE" | head -n 1)
like "$SECRET" "^$SECRET_ERE\$" "the secret read off the screen"
keys Enter
expect_screen "issued token 'deploy'" "closing goes back to the table"
expect_screen "^ +deploy +Presence\\.ReadWrite\\.All +- +[0-9: -]+ +20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9:]{5}$" \
    "which lists the new token with its expiry"
refuse_screen "$SECRET" "and no longer shows the secret"
ok "presence-console token list has it" listed deploy
"$CONSOLE" --db "$DB" token list >"$T/list" 2>&1
if grep -q -F -e "$SECRET" "$T/list"; then
	fail "without its secret"
else
	pass "without its secret"
fi
if [ -n "$AUTH" ]; then
	is "$(api_status "$SECRET")" 200 \
	    "the secret works as a Bearer token against presence-fcgi"
	case $SECRET in
	*A) BAD=${SECRET%?}B ;;
	*) BAD=${SECRET%?}A ;;
	esac
	is "$(api_status "$BAD")" 401 "a changed secret does not"
else
	pass "# SKIP presence-fcgi has no --auth: checked with token list only"
	pass "# SKIP presence-fcgi has no --auth"
fi

# --- a user-bound token needs its user --------------------------------------
keys i
type_text "reader"
keys Tab
type_text "Presence.Read"
keys Enter
expect_screen "Presence\\.Read and Presence\\.ReadWrite need a user id" \
    "Presence.Read without a user is refused on the form"
type_text "8B6A5D2E-0C4F-4A59-9F1E-2D3C4B5A6978"
keys Enter
expect_screen "Token 'reader' is issued" "with a user it is issued"
keys Escape
expect_screen "^ +reader +Presence\\.Read +8b6a5d2e-0c4f-4a59-9f1e-2d3c4b5a6978 " \
    "Esc closes the dialog too; the user is shown canonical"

# --- revoke asks y/N --------------------------------------------------------
keys g
expect_screen "^ +4 tokens; times in UTC" "g selects the first token"
keys r
expect_screen "revoke token 'deploy'\\? \\[y/N\\]" "r asks before revoking"
keys n
expect_screen "kept token 'deploy'" "n keeps it"
ok "it is still listed by token list" listed deploy
if [ -n "$AUTH" ]; then
	is "$(api_status "$SECRET")" 200 "and still works"
else
	pass "# SKIP presence-fcgi has no --auth"
fi
keys r
expect_screen "\\[y/N\\]" "r asks again"
keys Enter
expect_screen "kept token 'deploy'" "Enter (the default) keeps it"
keys r
expect_screen "\\[y/N\\]" "and again"
keys y
expect_screen "revoked token 'deploy'" "y revokes it"
if wait_for 3 screen_lacks "^ +deploy "; then
	pass "it leaves the table"
else
	fail "it leaves the table"
fi
if listed deploy; then
	fail "token list no longer has it"
else
	pass "token list no longer has it"
fi
if [ -n "$AUTH" ]; then
	is "$(api_status "$SECRET")" 401 \
	    "the running responder refuses the revoked secret"
else
	pass "# SKIP presence-fcgi has no --auth"
fi

# --- back, help, quit -------------------------------------------------------
keys '?'
expect_screen "^ Tokens$" "help has a Tokens section"
expect_screen "revoke the selected token \\(asks y/N\\)" "naming revoke"
expect_screen "^ Tokens are the API's bearer tokens" "and a note about them"
keys Escape
expect_screen "i Issue" "Esc leaves help for the Tokens screen"
keys Escape
expect_screen "t Tokens" "Esc goes back to the list"
console_quit q
is "$CONSOLE_STATUS" 0 "q quits with status 0"

# --- read-only: no Tokens screen --------------------------------------------
console_start --db "$DB" --read-only || bail_out "presence-console did not start"
refuse_screen "t Tokens" "--read-only hides Tokens from the key bar"
keys t
expect_screen "the database is open read-only" "and t is refused"
refuse_screen "NAME +SCOPES" "without showing the tokens"
keys '?'
expect_screen "escapes, and a backslash as" "help, all of it on the screen,"
refuse_screen "^ Tokens$" "has no Tokens section"
refuse_screen "bearer tokens" "nor the note about tokens"
console_quit q

tmux_stop
done_testing
