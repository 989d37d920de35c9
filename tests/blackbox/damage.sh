#!/bin/sh
# A damaged database directory: presence-fcgi and every presence-console
# mode refuse a data.mdb cut short or with scribbled pages at open, with
# exit status 3 and a message naming the database, what is wrong and what
# to do, instead of dying of SIGBUS or SIGSEGV; a directory that is a
# file, a lock.mdb that is a directory and a read-only file system are
# named as such; a responder that makes a new, empty database says so.
# A whole data.mdb that ends before its last page, as LMDB may leave it
# when that page and those below it are free, opens and serves.  A file
# cut short under running processes makes them fault on a read: each
# says so, naming the database, and dies of the signal, whichever thread
# read (a serving thread, or the idle responder's delivery thread).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_fcgi
[ -x "$PRESENCE_CONSOLE" ] || bail_out "'$PRESENCE_CONSOLE' is not built"
tap_init blackbox-damage

# A database with tokens and enough presences for a tree of three levels.
ORIG=$T/orig
mkdir "$ORIG" || bail_out "cannot create '$ORIG'"
KEEP=$("$PRESENCE_CONSOLE" --db "$ORIG" token issue keep \
    --scope Presence.Read.All 2>"$T/err") || bail_out "cannot issue a token"
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

# --- a whole data.mdb shorter than its own last page -----------------------------

# LMDB never writes the pages a transaction both took and gave back, so a
# healthy file can end before its last page; tests/storage/loose makes one
# whose free tree has branch, leaf and overflow pages.  It opens and
# serves; cut where a page in use is lost, it is refused.
LOOSE=$top_builddir/tests/storage/loose
[ -x "$LOOSE" ] || bail_out "'$LOOSE' is not built"
"$PRESENCE_CONSOLE" --db "$ORIG" export >"$T/orig.jsonl" 2>"$T/err" ||
    bail_out "cannot export the original: $(cat "$T/err")"
damaged short
"$LOOSE" loose "$D" 2>"$T/err" || bail_out "loose: $(cat "$T/err")"
# PSIZE LAST FILE USED: USED is the highest page below FILE in use.
set -- $("$LOOSE" pages "$D")
[ $# -eq 4 ] || bail_out "loose pages: '$*'"
LAST=$2 FILE=$3 USED=$4
diag "page size $1, last page $LAST, $FILE pages in the file, page $USED the last in use"
ok "the healthy file ends before its last page ($FILE of $((LAST + 1)) pages)" \
    test "$FILE" -le "$LAST"
cp "$D/data.mdb" "$T/short.mdb" || bail_out "cannot keep the short file"

# whole NAME: $D opens: it exports what the original held, and a
# responder on it answers a read of a presence the original held.
whole() {
	timeout 20 "$PRESENCE_CONSOLE" --db "$D" export </dev/null \
	    >"$T/short.jsonl" 2>"$T/err"
	is "$?" 0 "$1: export opens it" || diag_file "$T/err"
	ok "$1: export gives every presence" cmp -s "$T/orig.jsonl" \
	    "$T/short.jsonl"
	if fcgi_start --db "$D"; then
		id=$(sed -n -e '1s/.*"id":"\([^"]*\)".*/\1/p' "$T/orig.jsonl")
		TOKEN=$KEEP
		fcgi_request GET "/communications/presences/$id"
		is "$RESP_STATUS" 200 "$1: presence-fcgi serves a read" ||
		    diag_file "$T/resp.body"
		stop_pid "$FCGI_PID"
		TOKEN=
	else
		fail "$1: presence-fcgi starts on it" "$(cat "$FCGI_ERR")"
	fi
}

whole "the healthy short file"
run_mode issue
is "$STATUS" 0 "the healthy short file takes a write" || diag_file "$T/err"
run_mode export
is "$STATUS" 0 "the healthy short file opens again after the write"

damaged short-free-cut
cp "$T/short.mdb" "$D/data.mdb" || bail_out "cannot copy the short file"
truncate -s $(((USED + 1) * PAGE)) "$D/data.mdb"
whole "cut after its last page in use"

damaged short-used-cut
cp "$T/short.mdb" "$D/data.mdb" || bail_out "cannot copy the short file"
truncate -s $((USED * PAGE)) "$D/data.mdb"
refused "cut before its last page in use" \
    "data.mdb is shorter than its own last page"

# --- a fault below the pages the open checks ----------------------------------------

# data.mdb cut short under running processes (a restore copied over a
# database in use) passes the open, then faults on a read past the end:
# the process says so, naming the database, and dies of the signal.
ulimit -c 0
FAULT="fatal signal SIGBUS reading database '[^']*/live': data.mdb is damaged or was cut short; restore it from a complete copy"
LAST_ID=$(sed -n -e '$s/.*"id":"\([^"]*\)".*/\1/p' "$T/orig.jsonl")

# died_of NAME STATUS SIGNAL: STATUS is death by SIGNAL (BUS, SEGV).
died_of() {
	if [ "$2" -gt 128 ]; then
		is "$(kill -l $(($2 - 128)))" "$3" "$1: dies of SIG$3"
	else
		fail "$1: dies of SIG$3" "exit status $2"
	fi
}

damaged live
if fcgi_start --db "$D"; then
	truncate -s $((3 * PAGE)) "$D/data.mdb"
	TOKEN=$KEEP
	fcgi_request GET "/communications/presences/$LAST_ID"
	TOKEN=
	wait_for 10 is_gone "$FCGI_PID"
	wait "$FCGI_PID"
	died_of "presence-fcgi reading a file cut short" "$?" BUS
	like "$(cat "$FCGI_ERR")" "^presence-fcgi: $FAULT" \
	    "presence-fcgi reading a file cut short: says so"
else
	fail "presence-fcgi starts on the live copy" "$(cat "$FCGI_ERR")"
fi

# With no request at all: the thread that delivers change notifications
# reads the database every second, and its fault is named the same way.
damaged live
if fcgi_start --db "$D"; then
	truncate -s $((3 * PAGE)) "$D/data.mdb"
	wait_for 10 is_gone "$FCGI_PID"
	wait "$FCGI_PID"
	died_of "an idle presence-fcgi on a file cut short" "$?" BUS
	like "$(cat "$FCGI_ERR")" "^presence-fcgi: $FAULT" \
	    "an idle presence-fcgi on a file cut short: says so"
else
	fail "presence-fcgi starts on the live copy" "$(cat "$FCGI_ERR")"
fi

damaged live
if fcgi_start --db "$D"; then
	kill -SEGV "$FCGI_PID"
	wait_for 10 is_gone "$FCGI_PID"
	wait "$FCGI_PID"
	died_of "presence-fcgi sent SIGSEGV" "$?" SEGV
	like "$(cat "$FCGI_ERR")" "^presence-fcgi: fatal signal SIGSEGV reading database '$D': data.mdb is damaged" \
	    "presence-fcgi sent SIGSEGV: says so"
else
	fail "presence-fcgi starts on the live copy" "$(cat "$FCGI_ERR")"
fi

# An export writing into a pipe nobody reads yet: its first line says the
# database is open, the pipe holds far less than the export, so it waits
# with most of the tree unread while the file is cut.
damaged live
mkfifo "$T/fifo" || bail_out "cannot make a fifo"
"$PRESENCE_CONSOLE" --db "$D" export >"$T/fifo" 2>"$T/err" &
EXPORT_PID=$!
track_pid "$EXPORT_PID"
exec 3<"$T/fifo"
if IFS= read -r line <&3; then
	truncate -s $((3 * PAGE)) "$D/data.mdb"
	cat <&3 >/dev/null
	wait "$EXPORT_PID"
	died_of "export reading a file cut short" "$?" BUS
	like "$(cat "$T/err")" "^presence-console: $FAULT" \
	    "export reading a file cut short: says so"
else
	fail "export starts on the live copy" "$(cat "$T/err")"
fi
exec 3<&-

# The interactive console puts the terminal's modes back before it says so.
if [ -n "${TMUX_SERVER:-}" ]; then
	damaged live
	if console_start --db "$D"; then
		truncate -s $((3 * PAGE)) "$D/data.mdb"
		keys End
		if wait_for 10 screen_has '^console exited [0-9]+$'; then
			died_of "interactive reading a file cut short" \
			    "$(screen | sed -n -e 's/^console exited //p')" BUS
			# Wrapped at the pane's width: compared without blanks.
			like "$(screen | tr -d '\n ')" \
			    "fatalsignalSIGBUSreadingdatabase'[^']*/live':data.mdbisdamagedorwascutshort;restoreitfromacompletecopy" \
			    "interactive reading a file cut short: says so"
			run_in_shell "stty -a | grep -Eo -e '-?icanon' -e ' -?echo ' | tr -d ' \\n'; echo ' =modes'"
			wait_for 10 screen_has '=modes$'
			like "$(screen)" '^icanonecho =modes$' \
			    "interactive reading a file cut short: the terminal's modes are back"
		else
			fail "interactive reading a file cut short: the console exits" \
			    "$(screen)"
		fi
	else
		fail "interactive: the console starts on the live copy"
	fi
else
	pass "interactive reading a file cut short: dies of SIGBUS # SKIP tmux not found"
	pass "interactive reading a file cut short: says so # SKIP tmux not found"
	pass "interactive reading a file cut short: the terminal's modes are back # SKIP tmux not found"
fi

# --- a new, empty database is logged ---------------------------------------------

mkdir "$T/fresh" || bail_out "cannot create '$T/fresh'"
fcgi_start --db "$T/fresh" || bail_out "presence-fcgi did not start"
# The socket is bound before the line is written: wait for it.
wait_for 10 grep -q "created a new, empty database" "$FCGI_ERR"
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
