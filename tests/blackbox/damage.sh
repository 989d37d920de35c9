#!/bin/sh
# A damaged database directory: presence-fcgi and every presence-console
# mode refuse a data.mdb cut short or with scribbled pages at open, with
# exit status 3 and a message naming the database, what is wrong and what
# to do, instead of dying of SIGBUS or SIGSEGV; a directory that is a
# file, a lock.mdb that is a directory and a read-only file system are
# named as such; a responder that makes a new, empty database says so.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_fcgi
[ -x "$PRESENCE_CONSOLE" ] || bail_out "'$PRESENCE_CONSOLE' is not built"
tap_init blackbox-damage

# A database with tokens and enough presences for a tree of three levels.
ORIG=$T/orig
mkdir "$ORIG" || bail_out "cannot create '$ORIG'"
"$PRESENCE_CONSOLE" --db "$ORIG" token issue keep --scope Presence.Read.All \
    >/dev/null 2>"$T/err" || bail_out "cannot issue a token"
awk -v n=3000 -f "$top_srcdir/tests/console/gen.awk" >"$T/in.jsonl"
"$PRESENCE_CONSOLE" --db "$ORIG" import "$T/in.jsonl" >/dev/null 2>"$T/err" ||
    bail_out "cannot import: $(cat "$T/err")"
SIZE=$(wc -c <"$ORIG/data.mdb" | tr -d ' ')
PAGE=4096
PAGES=$((SIZE / PAGE))
[ "$PAGES" -gt 40 ] || bail_out "the database has only $PAGES pages"
printf '{"availability":"Away","activity":"Away"}\n' >"$T/new.jsonl"

# damaged NAME: a copy of the database in $T/NAME, set as D.
damaged() {
	D=$T/$1
	rm -rf "$D"
	cp -R "$ORIG" "$D" || bail_out "cannot copy the database"
}

# scribble FILE PAGE [OFFSET]: overwrite 16 bytes of the page at OFFSET
# (0: its header; in a meta page 16 is the magic number and version).
scribble() {
	head -c 16 /dev/zero | tr '\000' '\377' |
	    dd of="$1" bs=1 seek=$(($2 * PAGE + ${3:-0})) conv=notrunc \
	    2>/dev/null
}

# run_mode MODE: run one program mode on $D; sets STATUS and $T/err.
run_mode() {
	case $1 in
	fcgi)	timeout 20 "$PRESENCE_FCGI" --listen "$SOCKDIR/damage.sock" \
		    --db "$D" </dev/null >/dev/null 2>"$T/err" ;;
	export)	timeout 20 "$PRESENCE_CONSOLE" --db "$D" export \
		    </dev/null >/dev/null 2>"$T/err" ;;
	import)	timeout 20 "$PRESENCE_CONSOLE" --db "$D" import "$T/in.jsonl" \
		    </dev/null >/dev/null 2>"$T/err" ;;
	list)	timeout 20 "$PRESENCE_CONSOLE" --db "$D" token list \
		    </dev/null >/dev/null 2>"$T/err" ;;
	issue)	timeout 20 "$PRESENCE_CONSOLE" --db "$D" token issue more \
		    --scope Presence.Read.All </dev/null >/dev/null 2>"$T/err" ;;
	revoke)	timeout 20 "$PRESENCE_CONSOLE" --db "$D" token revoke keep \
		    </dev/null >/dev/null 2>"$T/err" ;;
	esac
	STATUS=$?
	rm -f "$SOCKDIR/damage.sock"
}

# refused KIND ERE: every mode refuses $D with status 3 and a message
# naming the database and matching ERE.
refused() {
	for mode in fcgi export import list issue revoke; do
		run_mode "$mode"
		if [ "$STATUS" -gt 128 ] && [ "$STATUS" -ne 124 ]; then
			fail "$1: $mode is not killed by a signal" \
			    "killed by signal $((STATUS - 128))"
		else
			is "$STATUS" 3 "$1: $mode refuses with exit status 3" ||
			    diag_file "$T/err"
		fi
		msg=$(cat "$T/err")
		like "$msg" "cannot open database '$D': $2" \
		    "$1: $mode names the database and what is wrong"
		like "$msg" "restore data.mdb from a complete copy" \
		    "$1: $mode says what to do"
	done
}

# --- data.mdb cut short, scribbled --------------------------------------------

damaged few
truncate -s $((3 * PAGE)) "$D/data.mdb"
refused "cut to 3 pages" "data.mdb is shorter than its own last page"

damaged half
truncate -s $((PAGES / 2 * PAGE)) "$D/data.mdb"
refused "cut to half" "data.mdb is shorter than its own last page"

damaged scribbled
p=2
while [ "$p" -lt "$PAGES" ]; do
	scribble "$D/data.mdb" "$p"
	p=$((p + 1))
done
refused "page headers scribbled" "data.mdb is damaged: a tree's root page"

damaged meta
scribble "$D/data.mdb" 0 16
scribble "$D/data.mdb" 1 16
refused "meta pages scribbled" "data.mdb has no valid meta page"

# The interactive console refuses before it takes the terminal.
if command -v tmux >/dev/null 2>&1; then
	. "$top_srcdir/tests/console/tmux.sh"
	require_console
	tmux_start
	damaged half
	truncate -s $((PAGES / 2 * PAGE)) "$D/data.mdb"
	console_launch --db "$D"
	if wait_for 10 screen_has '^console exited [0-9]+$'; then
		is "$(screen | sed -n -e 's/^console exited //p')" 3 \
		    "interactive: exit status 3"
		# -J joins the lines the pane wrapped, as a long path does.
		like "$(tm capture-pane -p -J -t test)" \
		    "data.mdb is shorter than its own last page" \
		    "interactive: says what is wrong"
	else
		fail "interactive: the console exits" "$(screen)"
	fi
else
	pass "interactive: exit status 3 # SKIP tmux not found"
	pass "interactive: says what is wrong # SKIP tmux not found"
fi

# An intact copy opens in every mode.
damaged intact
run_mode export
is "$STATUS" 0 "the intact copy exports"
run_mode list
is "$STATUS" 0 "the intact copy lists its tokens"

# --- a new, empty database is logged ---------------------------------------------

mkdir "$T/fresh" || bail_out "cannot create '$T/fresh'"
fcgi_start --db "$T/fresh" || bail_out "presence-fcgi did not start"
like "$(cat "$FCGI_ERR")" "created a new, empty database in '$T/fresh'" \
    "a responder that creates the database says so"
stop_pid "$FCGI_PID"
fcgi_start --db "$T/fresh" || bail_out "presence-fcgi did not start again"
unlike "$(cat "$FCGI_ERR")" "created a new" \
    "a responder that opens an existing database says nothing"
stop_pid "$FCGI_PID"
damaged emptied
: >"$D/data.mdb"
fcgi_start --db "$D" || bail_out "presence-fcgi did not start on an empty file"
like "$(cat "$FCGI_ERR")" "created a new, empty database in '$D'" \
    "an emptied data.mdb is logged as a new database"
stop_pid "$FCGI_PID"

# --- open errors name the path and the cause ------------------------------------

# open_error NAME ERE: presence-fcgi and export on $D fail with status 1
# and a message naming $D and matching ERE.
open_error() {
	for mode in fcgi export; do
		run_mode "$mode"
		is "$STATUS" 1 "$1: $mode fails with exit status 1" ||
		    diag_file "$T/err"
		like "$(cat "$T/err")" "cannot open database '$D': $2" \
		    "$1: $mode says so"
	done
}

D=$T/plain
: >"$D"
open_error "a regular file as the database" "not a directory\$"

damaged lockdir
rm -f "$D/lock.mdb"
mkdir "$D/lock.mdb"
open_error "lock.mdb a directory" "lock.mdb is not a regular file"

damaged datadir
rm -f "$D/data.mdb"
mkdir "$D/data.mdb"
open_error "data.mdb a directory" "data.mdb is not a regular file"

# A read-only bind mount in a namespace of the test's own.
damaged ro
if unshare -rm true 2>/dev/null; then
	unshare -rm sh -c 'mount --bind -o ro "$1" "$1" && exec timeout 20 \
	    "$2" --listen "$3" --db "$1" </dev/null >/dev/null' sh \
	    "$D" "$PRESENCE_FCGI" "$SOCKDIR/ro.sock" 2>"$T/err"
	is "$?" 1 "read-only file system: presence-fcgi fails with status 1"
	like "$(cat "$T/err")" \
	    "cannot open database '$D': read-only file system\$" \
	    "read-only file system: presence-fcgi says so"
else
	pass "read-only file system: status 1 # SKIP no user namespaces"
	pass "read-only file system: says so # SKIP no user namespaces"
fi

done_testing
