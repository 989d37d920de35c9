#!/bin/sh
# The status message, out of office and work location in the console:
# the inspect view shows what presence-fcgi stored (a status message with
# a Windows zone's expiry, a manual work location set through /me); the
# operator sets a status message with an expiry (refused with an offset
# or an unknown zone), turns out of office on with a message and off
# again, and clears the message, and presence-fcgi serves each change;
# a message set through the API (600 bytes, a newline, a tab) is kept byte
# for byte by a form saved unedited; export and import carry all of it
# byte for byte.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/console/tmux.sh"

tap_init console-notes
require_console
require_fcgi
require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin

DB=$T/db
A=a0000000-0000-4000-8000-00000000000a
fcgi_start --db "$DB" || bail_out "presence-fcgi did not start"
need_token "$DB"
ADMIN=$TOKEN
SELF=$(test_token "$DB" Presence.ReadWrite "$A") && [ -n "$SELF" ] ||
    bail_out "no user-bound token"
create_via_fcgi Available Available "$A" >/dev/null ||
    bail_out "cannot create through presence-fcgi"

# post URI BODY: a POST that must answer 200.
post() {
	fcgi_request -t application/json -d "$2" POST "$1"
	[ "$RESP_STATUS" = 200 ] || { resp_diag; bail_out "POST $1: $RESP_STATUS"; }
}

# served NAME: the compact JSON member NAME of what presence-fcgi serves
# for A (an object nested at most two deep, or null).
served() {
	TOKEN=$ADMIN
	fcgi_request GET "/users/$A/presence"
	json_compact "$T/resp.body" |
	    sed -n -e "s/.*\"$1\":\\(null\\|{[^{}]*}\\|{[^{}]*{[^{}]*}[^{}]*{[^{}]*}}\\|{[^{}]*{[^{}]*}[^{}]*}\\).*/\\1/p"
}

post "/users/$A/presence/setStatusMessage" \
    '{"statusMessage":{"message":{"content":"From the API"},"expiryDateTime":{"dateTime":"2099-06-01T09:00:00.0000000","timeZone":"Pacific Standard Time"}}}'
TOKEN=$SELF
post /me/presence/setManualLocation \
    '{"workLocationType":"office","placeId":"desk 4"}'
TOKEN=$ADMIN

CONSOLE_ENV=NO_COLOR=1
tmux_start
console_start --db "$DB" || bail_out "presence-console did not start"
keys Enter
expect_screen "^ +status message +From the API$" \
    "inspect shows the status message set through the API"
expect_screen "^ +message expires +2099-06-01T09:00:00.0000000 Pacific Standard Time$" \
    "with its expiry as sent"
expect_screen "^ +out of office +off$" "in office"
expect_screen "^ +work location +office \(manual\), place desk 4$" \
    "the manual work location"
expect_screen '"content": "From the API"' "the API's JSON shows it too"

# --- the status message -----------------------------------------------------------
keys m
expect_screen "^ +message +From the API" "m opens the status message form, filled"
keys C-u
type_text "Set in the console"
keys Tab C-u
type_text "2099-01-01T10:00:00Z"
keys Enter
expect_screen "no offset or Z" "an expiry with Z is refused on the form"
keys C-u
type_text "2099-01-01T10:00:00"
keys Tab C-u
type_text "Nowhere Standard Time"
keys Enter
expect_screen "not a time zone" "an unknown zone is refused"
keys C-u
type_text "W. Europe Standard Time"
keys Enter
expect_screen "saved: the status message is set" "Enter saves it"
expect_screen "^ +status message +Set in the console$" "inspect shows it"
like "$(served statusMessage)" \
    '^\{"message":\{"content":"Set in the console","contentType":"text"\},"publishedDateTime":"[^"]*","expiryDateTime":\{"dateTime":"2099-01-01T10:00:00","timeZone":"W\. Europe Standard Time"\}\}$' \
    "presence-fcgi serves the message and its expiry as typed"

# --- out of office ----------------------------------------------------------------
keys o
expect_screen "^ +out of office +off" "o opens the out-of-office form"
keys C-u
type_text "maybe"
keys Enter
expect_screen "on or off" "only on or off"
keys C-u
type_text "on"
keys Tab
type_text "Back on Monday"
keys Enter
expect_screen "saved: out of office" "Enter saves it"
expect_screen "^ +out of office +on, message: Back on Monday$" "inspect shows it"
expect_screen "^ +activity +OutOfOffice$" "Available reads OutOfOffice"
is "$(served outOfOfficeSettings)" \
    '{"isOutOfOffice":true,"message":"Back on Monday"}' \
    "presence-fcgi serves the settings"
fcgi_request GET "/users/$A/presence"
is "$(json_str activity "$T/resp.body")" OutOfOffice \
    "and the activity OutOfOffice"

# Export and import carry all of it.
"$CONSOLE" --db "$DB" export >"$T/export.jsonl" 2>"$T/export.err" ||
    diag_file "$T/export.err"
line=$(grep -F "\"$A\"" "$T/export.jsonl")
like "$line" '"statusMessage":\{"message":\{"content":"Set in the console"' \
    "export carries the status message"
like "$line" '"outOfOfficeSettings":\{"isOutOfOffice":true,"message":"Back on Monday"\}' \
    "the out-of-office settings"
like "$line" '"manualLocation":\{"workLocationType":"office","placeId":"desk 4"\}' \
    "and the work location"
"$CONSOLE" --db "$T/copy" import "$T/export.jsonl" >/dev/null 2>"$T/import.err" ||
    diag_file "$T/import.err"
"$CONSOLE" --db "$T/copy" export >"$T/copy.jsonl" 2>&1
ok "an import into an empty database exports the same bytes" \
    cmp -s "$T/export.jsonl" "$T/copy.jsonl"
sed -e 's/"Pacific Standard Time"/"Atlantis Time"/' \
    -e 's/"W\. Europe Standard Time"/"Atlantis Time"/' "$T/export.jsonl" \
    >"$T/bad.jsonl"
"$CONSOLE" --db "$T/bad" import "$T/bad.jsonl" >"$T/bad.out" 2>&1
like "$(cat "$T/bad.out")" "statusMessage\\.expiryDateTime\\.timeZone.*Atlantis Time" \
    "an import refuses an unknown zone, naming it"

keys o
keys C-u
type_text "off"
keys Enter
expect_screen "saved: in office" "off saves"
expect_screen "^ +out of office +off, message: Back on Monday$" \
    "in office again, the message kept"
is "$(served outOfOfficeSettings)" \
    '{"isOutOfOffice":false,"message":"Back on Monday"}' \
    "presence-fcgi serves it"

keys m C-u Enter
expect_screen "saved: the status message is cleared" "an empty message clears it"
expect_screen "^ +status message +none$" "inspect shows none"
is "$(served statusMessage)" null "presence-fcgi serves null"

# A message set through the API longer than a form field's 256 bytes, or
# with a newline and a tab, survives the form opened and saved unedited.
long=$(awk 'BEGIN { for (i = 0; i < 60; i++) printf "%s", "0123456789" }')
post "/users/$A/presence/setStatusMessage" \
    '{"statusMessage":{"message":{"content":"'"$long"'"}}}'
expect_screen "^ +status message +0123456789" "inspect follows the API's message"
before=$(served statusMessage | sed -e 's/,"publishedDateTime".*//')
like "$before" "\"content\":\"$long\"" "the API stored all 600 bytes"
keys m
expect_screen "^ +message +.*0123456789" "m opens the form on the 600 bytes"
keys Enter
expect_screen "saved: the status message is set" "saved unedited"
is "$(served statusMessage | sed -e 's/,"publishedDateTime".*//')" \
    "$before" "every byte of the 600 kept"
post "/users/$A/presence/setStatusMessage" \
    '{"statusMessage":{"message":{"content":"Away\nuntil\tMonday, '"$long"'"}}}'
expect_screen "^ +status message +Away" "inspect follows the API's new message"
before=$(served statusMessage | sed -e 's/,"publishedDateTime".*//')
like "$before" "Away\\\\nuntil\\\\tMonday, $long" \
    "the API stored a newline, a tab and 600 bytes more"
keys m
expect_screen "^ +message +[0-9]+$" "m opens the form on it, at its end"
keys Enter
expect_screen "saved: the status message is set" "saved unedited"
is "$(served statusMessage | sed -e 's/,"publishedDateTime".*//')" \
    "$before" "the newline, the tab and every byte kept"

console_quit q
is "$CONSOLE_STATUS" 0 "q exits with status 0"

# Read-only: the forms do not open.
console_start --db "$DB" --read-only || bail_out "presence-console did not start"
keys Enter m
expect_screen "the database is open read-only" "m is refused read-only"
console_quit q

done_testing
