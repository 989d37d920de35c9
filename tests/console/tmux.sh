# Functions for driving the real presence-console in a private tmux server.
# Sourced after tests/lib.sh by the console's shell tests.
#
# Each test gets its own server (tmux -L, no configuration file), one
# session of a fixed size, and polls the screen with capture-pane instead
# of sleeping.  The server is stopped by kill-server and, should that
# fail, by its PID through lib.sh's exit trap.

CONSOLE=$top_builddir/presence-console
TMUX_COLS=100
TMUX_ROWS=30
TMUX_SERVER=
TMUX_PID=
TMUX_SOCKET=

# The console must be built; tmux may be missing (then the test skips).
require_console() {
	[ -x "$CONSOLE" ] || bail_out "'$CONSOLE' is not built"
	TMUX_BIN=$(command -v tmux) ||
	    skip_all "tmux not found (install the Debian package tmux)"
}

# Run tmux against the test's own server.
tm() {
	"$TMUX_BIN" -u -L "$TMUX_SERVER" -f /dev/null "$@"
}

# tmux_start: start the server with one window running a clean shell
# whose prompt is "$ ", in a UTF-8 locale.
tmux_start() {
	TMUX_SERVER=presence-console-$$-$(basename "$T")
	tm new-session -d -s test -x "$TMUX_COLS" -y "$TMUX_ROWS" \
	    "exec env -i PATH='$PATH' HOME='$T' TERM=screen LC_ALL=C.UTF-8 PS1='$ ' /bin/sh" ||
	    bail_out "cannot start tmux"
	TMUX_PID=$(tm display-message -p '#{pid}')
	TMUX_SOCKET=$(tm display-message -p '#{socket_path}')
	trap tmux_cleanup EXIT
	[ -n "$TMUX_PID" ] && track_pid "$TMUX_PID"
	tm set-option -g remain-on-exit on >/dev/null
	wait_for 10 screen_has '^\$' || bail_out "the shell in tmux did not start"
}

# The exit trap: stop the server, then lib.sh's cleanup with the status.
tmux_cleanup() {
	tmux_rc=$?
	tmux_stop
	(exit "$tmux_rc")
	tap_cleanup
}

# Stop the server and remove its socket.
tmux_stop() {
	[ -n "$TMUX_SERVER" ] && tm kill-server 2>/dev/null
	[ -n "$TMUX_PID" ] && wait_for 5 is_gone "$TMUX_PID"
	[ -n "$TMUX_SOCKET" ] && rm -f "$TMUX_SOCKET"
	TMUX_SERVER=
}

# The screen as text, trailing blanks removed.
screen() {
	tm capture-pane -p -t test | sed -e 's/[[:space:]]*$//'
}

# The screen with its attributes as escape sequences.
screen_attrs() {
	tm capture-pane -p -e -t test
}

# screen_has ERE: whether the screen matches the extended expression.
screen_has() {
	screen | grep -Eq -e "$1"
}

# screen_lacks ERE: whether it does not.
screen_lacks() {
	! screen | grep -Eq -e "$1"
}

# keys KEY...: send keys as tmux names them (Enter, Escape, C-c, NPage...).
keys() {
	tm send-keys -t test "$@"
}

# type TEXT: send text literally.
type_text() {
	tm send-keys -t test -l "$1"
}

# run_in_shell COMMAND: type a command line into the shell and press Enter.
run_in_shell() {
	tm send-keys -t test -l "$1"
	tm send-keys -t test Enter
}

# console_launch [OPTION...]: clear the screen and run presence-console
# with the options and the NAME=VALUE settings in CONSOLE_ENV, from a
# shell that survives ^C and prints "console exited STATUS" at the end.
console_launch() {
	{
		echo "echo \$\$ >'$T/console.pid'"
		printf "exec env %s '%s'" "${CONSOLE_ENV:-}" "$CONSOLE"
		for cs_arg in "$@"; do
			printf " '%s'" "$cs_arg"
		done
		echo
	} >"$T/console.sh"
	rm -f "$T/console.pid"
	run_in_shell "clear; sh -c 'trap : INT; sh \"\$0\"; echo \"console exited \$?\"' '$T/console.sh'"
}

# console_start [OPTION...]: console_launch, then wait for the key bar.
# Sets CONSOLE_PID.
console_start() {
	console_launch "$@"
	if ! wait_for 10 screen_has 'q Quit'; then
		diag "presence-console did not start; the screen:"
		screen | sed -e 's/^/#   |/'
		return 1
	fi
	CONSOLE_PID=$(cat "$T/console.pid")
}

# console_quit KEY...: send the keys and wait for the console to end;
# sets CONSOLE_STATUS to the exit status the shell printed.
console_quit() {
	keys "$@"
	CONSOLE_STATUS=
	wait_for 10 screen_has '^console exited [0-9]+$' || return 1
	CONSOLE_STATUS=$(screen | sed -n -e 's/^console exited \([0-9]*\)$/\1/p' |
	    tail -n 1)
}

# expect_screen ERE DESCRIPTION [SECONDS]: one test point that passes when
# the screen matches within SECONDS (10); shows the screen when it fails.
expect_screen() {
	if wait_for "${3:-10}" screen_has "$1"; then
		pass "$2"
	else
		fail "$2" "the screen never matched: $1"
		screen | sed -e 's/^/#   |/'
		return 1
	fi
}

# refuse_screen ERE DESCRIPTION: passes when the screen does not match now.
refuse_screen() {
	if screen_lacks "$1"; then
		pass "$2"
	else
		fail "$2" "the screen matches: $1"
		screen | sed -e 's/^/#   |/'
		return 1
	fi
}

# The screen line (1-based) that shows text, or nothing.
screen_line_of() {
	screen | grep -n -F -e "$1" | head -n 1 | cut -d: -f1
}

# The id on the line the console shows in reverse video (the cursor),
# read from the screen with attributes (NO_COLOR keeps it reverse).
cursor_id() {
	screen_attrs | grep -a "$(printf '\033')\[[0-9;]*7[;m]" |
	    grep -Eo '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' |
	    head -n 1
}

# Whether the cursor is on the record with id $1.
cursor_is() {
	[ "$(cursor_id)" = "$1" ]
}

# create_via_fcgi AVAILABILITY ACTIVITY [ID]: POST a presence through the
# responder started by fcgi_start, with the bearer token in TOKEN (see
# need_token in lib.sh); prints its id.  Fails unless 201.
create_via_fcgi() {
	if [ -n "$3" ]; then
		cv_body="{\"id\":\"$3\",\"availability\":\"$1\",\"activity\":\"$2\"}"
	else
		cv_body="{\"availability\":\"$1\",\"activity\":\"$2\"}"
	fi
	fcgi_request -t application/json -d "$cv_body" \
	    POST /communications/presences
	[ "$RESP_STATUS" = 201 ] || { resp_diag >&2; return 1; }
	json_str id "$T/resp.body"
}
