#!/bin/sh
# The terminal: restored on q, SIGINT and SIGTERM; resize redraws; colors
# with a monochrome fallback and NO_COLOR; help; no terminal, no console.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/console/tmux.sh"

tap_init console-terminal
require_console

DB=$T/db
awk -v n=200 -f "$top_srcdir/tests/console/gen.awk" >"$T/200.jsonl"
"$CONSOLE" --db "$DB" import "$T/200.jsonl" >/dev/null ||
    bail_out "cannot import test data"
FIRST=00000001-0001-4001-8001-000000000001
ESC=$(printf '\033')

tmux_start
run_in_shell "stty -g >'$T/stty.before'"
wait_for 5 test -s "$T/stty.before"

# restored_after WHAT: the terminal is as before and the alternate screen
# is off once the console ended.
restored_after() {
	rm -f "$T/stty.after"
	run_in_shell "stty -g >'$T/stty.after'"
	wait_for 5 test -s "$T/stty.after"
	if cmp -s "$T/stty.before" "$T/stty.after"; then
		pass "$1 leaves the terminal modes as they were"
	else
		fail "$1 leaves the terminal modes as they were" \
		    "before: $(cat "$T/stty.before")" \
		    "after:  $(cat "$T/stty.after")"
	fi
	is "$(tm display-message -p -t test '#{alternate_on}')" 0 \
	    "$1 leaves the alternate screen"
	is "$(tm display-message -p -t test '#{cursor_flag}')" 1 \
	    "$1 shows the cursor again"
}

# --- q ----------------------------------------------------------------------
console_start --db "$DB" || bail_out "presence-console did not start"
is "$(tm display-message -p -t test '#{alternate_on}')" 1 \
    "the console uses the alternate screen"
console_quit q
is "$CONSOLE_STATUS" 0 "q exits with status 0"
restored_after "q"

# --- SIGINT (^C) and SIGTERM ------------------------------------------------
console_start --db "$DB" || bail_out "presence-console did not start"
console_quit C-c
is "$CONSOLE_STATUS" 130 "^C ends it by SIGINT"
restored_after "SIGINT"
console_start --db "$DB" || bail_out "presence-console did not start"
keys c
expect_screen "create a presence" "with the form open"
kill -TERM "$CONSOLE_PID"
wait_for 10 screen_has '^console exited [0-9]+$'
console_quit
is "$CONSOLE_STATUS" 143 "SIGTERM ends it"
restored_after "SIGTERM"

# --- resize -----------------------------------------------------------------
console_start --db "$DB" || bail_out "presence-console did not start"
expect_screen "LAST MODIFIED" "100 columns show the time column"
tm resize-window -t test -x 60 -y 12
expect_screen "^\\? Help" "after a resize to 60x12 the screen is redrawn"
is "$(screen | grep -n '^? Help' | cut -d: -f1)" 12 \
    "the key bar is on the new last line"
is "$(screen | sed -e 's/…/./g' | awk 'length($0) > 60' | wc -l | tr -d ' ')" 0 \
    "no line is wider than 60 columns"
refuse_screen "LAST MODIFIED" "the time column gives way"
expect_screen "^ $FIRST " "the rows are still there"
is "$(screen | grep -c '^ 0000')" 8 "eight rows fit"
keys G
expect_screen "000000c8-00c8-40c8-80c8-0000000000c8" "paging works at the new size"
tm resize-window -t test -x 100 -y 30
expect_screen "LAST MODIFIED" "growing back brings the time column back"
is "$(screen | grep -c '^ 0000')" 26 "and 26 rows"
expect_screen "000000c8-00c8-40c8-80c8-0000000000c8" "the cursor's record stays"
tm resize-window -t test -x 19 -y 4
expect_screen "^terminal too small$" "a tiny terminal says it is too small"
tm resize-window -t test -x 100 -y 30
expect_screen "q Quit" "and recovers"
console_quit q

# --- colors, NO_COLOR -------------------------------------------------------
console_start --db "$DB" || bail_out "presence-console did not start"
if screen_attrs | grep -q "$ESC\\[4[0-7]m"; then
	pass "colors are used when the terminal has them"
else
	fail "colors are used when the terminal has them"
fi
console_quit q
CONSOLE_ENV=NO_COLOR=1 console_start --db "$DB" ||
    bail_out "presence-console did not start"
if screen_attrs | grep -q "$ESC\\[[34][0-7]m"; then
	fail "NO_COLOR turns colors off" "$(screen_attrs | head -n 3 | od -c | head)"
else
	pass "NO_COLOR turns colors off"
fi
if screen_attrs | grep -q "$ESC\\[7m"; then
	pass "the monochrome look uses reverse video"
else
	fail "the monochrome look uses reverse video"
fi

# --- help -------------------------------------------------------------------
keys '?'
expect_screen "^ List$" "? shows the help"
expect_screen "^ +PgDn, \\^F, Space +move down one screen$" \
    "listing the keys from the key table"
keys Escape
expect_screen "^ $FIRST " "Esc goes back"
keys F1
expect_screen "^ Inspect$" "F1 shows the help too"
keys Escape Enter
expect_screen "^ +id +$FIRST\$" "Enter inspects"
keys '?'
expect_screen "^ help" "? there shows the help"
is "$(screen | sed -n 3p)" " Inspect" "open at the Inspect section"
console_quit q

# --- no usable terminal -----------------------------------------------------
CONSOLE_ENV=TERM=no-such-terminal console_launch --db "$DB"
expect_screen "cannot use the terminal 'no-such-terminal'" \
    "an unknown terminal is reported"
console_quit
is "$CONSOLE_STATUS" 1 "with exit status 1"
restored_after "an unusable terminal"
"$CONSOLE" --db "$DB" </dev/null >"$T/out" 2>"$T/err"
is "$?" 1 "without a terminal the console refuses to start"
like "$(cat "$T/err")" "needs a terminal" "and says why"

tmux_stop
done_testing
