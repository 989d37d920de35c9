#!/bin/sh
# The console's benchmark: for databases of 1,000 and 1,000,000 presences
# (imported from JSON Lines made by gen.awk), the import time, the time to
# the first screen and to a page down, measured from outside by polling a
# private tmux server, and the console's resident memory from
# /proc/PID/status.  The goal: figures that do not grow with the database,
# first screen under 100 ms and RSS under 16 MiB at 1,000,000.
#
#	top_srcdir=.. top_builddir=. sh ../tests/console/bench.sh
#
# BENCH_CONSOLE_SIZES ("1000 1000000") and BENCH_CONSOLE_RUNS (5) tune it.
set -u

: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$top_builddir}"
CONSOLE=$top_builddir/presence-console
GEN=$top_srcdir/tests/console/gen.awk
SIZES=${BENCH_CONSOLE_SIZES:-1000 1000000}
RUNS=${BENCH_CONSOLE_RUNS:-5}
COLS=100
ROWS=30
SERVER=presence-console-bench-$$
DIR=
TMUX_PID=
TMUX_SOCKET=

die() {
	echo "console bench: $*" >&2
	exit 1
}

[ -x "$CONSOLE" ] || die "'$CONSOLE' is not built"
command -v tmux >/dev/null || die "tmux not found (install the Debian package tmux)"

tm() {
	tmux -u -L "$SERVER" -f /dev/null "$@"
}

# Stop the tmux server and remove the databases, whatever happened.
cleanup() {
	tm kill-server 2>/dev/null
	[ -n "$TMUX_PID" ] && kill "$TMUX_PID" 2>/dev/null
	[ -n "$TMUX_SOCKET" ] && rm -f "$TMUX_SOCKET"
	[ -n "$DIR" ] && rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$top_builddir/bench-out" || die "cannot create bench-out"
DIR=$(mktemp -d "$top_builddir/bench-out/console.XXXXXX") ||
    die "cannot create a temporary directory"

# Nanoseconds on the wall clock.
now_ns() {
	date +%s%N
}

# The id gen.awk gives record n.
gen_id() {
	awk -v i="$1" 'BEGIN { printf "%08x-%04x-4%03x-%04x-%012x\n",
	    i, i % 65536, i % 4096, 32768 + i % 16384, i }'
}

# The median of the numbers on standard input.
median() {
	sort -n | awk '{ v[NR] = $1 } END {
	    if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
	    else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Wait (busy, bounded to 10 s) until screen line LINE starts with " TEXT";
# prints the nanosecond time it was seen, fails on a timeout.
seen_at() {
	sa_end=$(($(now_ns) + 10000000000))
	while :; do
		if tm capture-pane -p -t bench -S "$(($1 - 1))" -E "$(($1 - 1))" |
		    grep -qF -e " $2"; then
			now_ns
			return 0
		fi
		[ "$(now_ns)" -lt "$sa_end" ] || return 1
	done
}

# A /proc/PID/status figure in KiB.
vm_kib() {
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"
}

# run_once DB SIZE: one start of the console; appends "first page-down
# last rss hwm" (ms, ms, ms, KiB, KiB) to $DIR/runs.SIZE.
run_once() {
	first=$(gen_id 1)
	second=$(gen_id $((ROWS - 4 + 1)))
	last=$(gen_id "$2")
	t0=$(now_ns)
	tm respawn-pane -k -t bench \
	    "exec env LC_ALL=C.UTF-8 TERM=screen '$CONSOLE' --db '$1'"
	t1=$(seen_at 3 "$first") || die "no first screen for $2 presences"
	pid=$(tm display-message -p -t bench '#{pane_pid}')
	rss=$(vm_kib "$pid" VmRSS)
	t2=$(now_ns)
	tm send-keys -t bench NPage
	t3=$(seen_at 3 "$second") || die "no page down for $2 presences"
	t4=$(now_ns)
	tm send-keys -t bench G
	t5=$(seen_at "$((ROWS - 2))" "$last") || die "no last page for $2 presences"
	hwm=$(vm_kib "$pid" VmHWM)
	tm send-keys -t bench q
	echo "$(((t1 - t0) / 1000)) $(((t3 - t2) / 1000)) $(((t5 - t4) / 1000)) $rss $hwm" \
	    >>"$DIR/runs.$2"
}

# Make, import and measure one size; leaves its figures in $DIR/fig.SIZE.
bench_size() {
	db=$DIR/db.$1
	awk -v n="$1" -f "$GEN" >"$DIR/in.jsonl" || die "cannot generate $1 lines"
	import_start=$(now_ns)
	"$CONSOLE" --db "$db" import "$DIR/in.jsonl" >/dev/null ||
	    die "cannot import $1 presences"
	import_end=$(now_ns)
	rm -f "$DIR/in.jsonl"
	: >"$DIR/runs.$1"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		run_once "$db" "$1"
		i=$((i + 1))
	done
	{
		echo "import_s $(awk -v ns=$((import_end - import_start)) 'BEGIN { printf "%.2f", ns / 1e9 }')"
		echo "db_mib $(du -sk "$db" | awk '{ printf "%.1f", $1 / 1024 }')"
		for f in 1:first_ms 2:pgdn_ms 3:last_ms 4:rss_mib 5:hwm_mib; do
			col=${f%%:*}
			name=${f#*:}
			v=$(awk -v c="$col" '{ print $c }' "$DIR/runs.$1" | median)
			case $name in
			*_ms)	v=$(awk -v u="$v" 'BEGIN { printf "%.1f", u / 1000 }') ;;
			*_mib)	v=$(awk -v k="$v" 'BEGIN { printf "%.1f", k / 1024 }') ;;
			esac
			echo "$name $v"
		done
	} >"$DIR/fig.$1"
	rm -rf "$db"
}

# The figure NAME for SIZE.
fig() {
	awk -v k="$2" '$1 == k { print $2 }' "$DIR/fig.$1"
}

tm new-session -d -s bench -x "$COLS" -y "$ROWS" "sleep 1000000" ||
    die "cannot start tmux"
TMUX_PID=$(tm display-message -p '#{pid}')
TMUX_SOCKET=$(tm display-message -p '#{socket_path}')
tm set-option -g remain-on-exit on >/dev/null

if ldd "$CONSOLE" 2>/dev/null | grep -q 'libasan'; then
	echo "note: presence-console is built with sanitizers; memory figures are not representative"
fi
for n in $SIZES; do
	bench_size "$n"
done

printf '\nconsole: %dx%d terminal, median of %d runs\n' "$COLS" "$ROWS" "$RUNS"
printf '  %-34s' "presences"
for n in $SIZES; do printf ' %12s' "$n"; done
echo
for row in "import_s:import (s)" "db_mib:database size (MiB)" \
    "first_ms:time to first screen (ms)" "pgdn_ms:page down (ms)" \
    "last_ms:last page, G (ms)" "rss_mib:RSS after first screen (MiB)" \
    "hwm_mib:peak RSS, VmHWM (MiB)"; do
	key=${row%%:*}
	printf '  %-34s' "${row#*:}"
	for n in $SIZES; do printf ' %12s' "$(fig "$n" "$key")"; done
	echo
done
big=$(echo "$SIZES" | tr ' ' '\n' | sort -n | tail -n 1)
first=$(fig "$big" first_ms)
hwm=$(fig "$big" hwm_mib)
verdict=$(awk -v f="$first" -v h="$hwm" 'BEGIN {
    printf "first screen < 100 ms: %s; RSS < 16 MiB: %s",
    (f < 100 ? "yes" : "NO"), (h < 16 ? "yes" : "NO") }')
echo "  goal at $big presences: $verdict"
