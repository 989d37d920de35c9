#!/bin/sh
# The create form: a presence created in the console is served at once by
# presence-fcgi; errors show inline; read-only hides it; graph mode holds.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/console/tmux.sh"

tap_init console-form
require_console
require_fcgi
require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin

DB=$T/db
fcgi_start --db "$DB" || bail_out "presence-fcgi did not start"
need_token "$DB"
tmux_start
console_start --db "$DB" || bail_out "presence-console did not start"
expect_screen "no presences" "an empty database says so"

# --- errors show inline -----------------------------------------------------
keys c
expect_screen "^ +availability *$" "c opens the create form"
expect_screen "Graph values for availability" "offering Graph's values"
keys Enter
expect_screen "'availability' must not be empty" \
    "creating an empty form names the empty availability"
expect_screen "'activity' must not be empty" "and the empty activity"
keys Tab Tab
type_text "not-a-guid"
keys Enter
expect_screen "'id' must be a GUID" "a bad id is refused inline"
type_text "X"
expect_screen "^ +availability +X$" "the focus went back to the first bad field"
keys BSpace

# --- a presence created here is served by presence-fcgi ---------------------
ID=8B6A5D2E-0C4F-4A59-9F1E-2D3C4B5A6978
id=8b6a5d2e-0c4f-4a59-9f1e-2d3c4b5a6978
keys Tab Tab C-u
type_text "$ID"
keys Tab
type_text "Be"
keys C-n
expect_screen "^ +availability +BeRightBack *$" \
    "^N completes what was typed to a Graph value"
keys Tab
type_text "Reading the founding document"
keys Enter
expect_screen "created presence $id" "Enter creates it"
expect_screen "$id +BeRightBack +Reading the fou…" \
    "the list shows it"
fcgi_request GET "/communications/presences/$id"
is "$RESP_STATUS" 200 "presence-fcgi serves it at once"
is "$(json_str availability "$T/resp.body")" BeRightBack \
    "with the availability typed"
is "$(json_str activity "$T/resp.body")" "Reading the founding document" \
    "and the activity typed"
fcgi_request GET "/users/$ID/presence"
is "$RESP_STATUS" 200 "also by the upper-case id"

# --- a random id when none is given; taken ids are refused -------------------
keys c
type_text "Available"
keys Tab
type_text "Available"
keys Enter
expect_screen "created presence [0-9a-f-]{36}" "an empty id gets a fresh one"
NEW=$(screen | sed -n -e 's/^ *created presence \([0-9a-f-]*\).*$/\1/p')
like "$NEW" "$GUID_V4_ERE" "a version 4 GUID: $NEW"
fcgi_request GET "/communications/presences/$NEW"
is "$RESP_STATUS" 200 "which presence-fcgi serves"
keys c
type_text "Away"
keys Tab
type_text "Away"
keys Tab
type_text "$id"
keys Enter
expect_screen "a presence with id '$id' already exists" \
    "an id that exists is refused on the form"
keys Escape
expect_screen "q Quit" "Esc leaves the form"
expect_screen " 2 presences *$" "without creating anything"
console_quit q

# --- read-only: no create, no delete ----------------------------------------
console_start --db "$DB" --read-only || bail_out "presence-console did not start"
expect_screen "read-only +2 presences" "--read-only shows in the header"
refuse_screen "c Create" "and hides Create from the key bar"
refuse_screen "d Delete" "and Delete"
keys c
expect_screen "the database is open read-only" "c is refused"
keys d
expect_screen "the database is open read-only" "d is refused"
console_quit q

# --- graph value mode -------------------------------------------------------
# A database in graph mode, made by the responder's option.
GDB=$T/graph
stop_pid "$FCGI_PID"
fcgi_start --db "$GDB" --value-mode graph || bail_out "presence-fcgi did not start"
console_start --db "$GDB" || bail_out "presence-console did not start"
expect_screen "graph values +0 presences" "graph value mode shows in the header"
keys c
expect_screen "accepts Graph's values only" "the form says only Graph's values go"
type_text "Availability value"
keys Tab
type_text "Away"
keys Enter
expect_screen "'availability' must be one of" \
    "another value is refused, as presence-fcgi would"
keys C-u C-n
keys Enter
expect_screen "created presence" "a Graph value is taken"
console_quit q
is "$CONSOLE_STATUS" 0 "q exits with status 0"

tmux_stop
done_testing
