# The benchmarks' shell library, sourced by tests/bench/bench.sh,
# notify.sh and shapes.sh: messages, checks of the environment's counts,
# one wrk run of bench.lua and, for the scripts that start their own
# lighttpd (bench.sh, notify.sh), the working directory, lighttpd on a
# free loopback port and the cleanup that stops by PID what they started.
# shapes.sh runs on tests/lib.sh, so nothing here takes one of its names.
#
# The sourcing script sets bench_name (the messages' prefix), and before
# calling what needs them: CURL, LIGHTTPD, WRK, seconds and threads (each
# wrk run's), conf (lighttpd's configuration), workdir and rundir
# (bench_workdir sets both); pids collects what start_lighttpd and the
# script start, for the cleanup.

bench_name=${bench_name:-bench}
top_srcdir=${top_srcdir:-$(dirname "$0")/../..}
top_builddir=${top_builddir:-.}
pids=
workdir=
rundir=
failed=1

# Print a message on stderr and stop; the cleanup runs from the trap.
die()
{
	printf '%s: %s\n' "$bench_name" "$*" >&2
	exit 1
}

# Fail unless $2 (default: the variable named $1) is a positive integer.
need_count()
{
	if [ "$#" -gt 1 ]; then
		v=$2
	else
		eval "v=\${$1}"
	fi
	case $v in
	''|*[!0-9]*|0*) die "$1 must be a positive integer, not '$v'" ;;
	esac
}

# Whether process $1 still runs (a zombie counts as gone).
alive()
{
	state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) ||
	    return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

# Send SIGTERM to process $1, wait up to ten seconds, then SIGKILL.
bench_stop()
{
	kill -TERM "$1" 2>/dev/null || return 0
	n=0
	while alive "$1" && [ "$n" -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	if alive "$1"; then
		printf '%s: process %s ignored SIGTERM, killing it\n' \
		    "$bench_name" "$1" >&2
		kill -KILL "$1" 2>/dev/null || :
	fi
}

# The processes $1 started: "pid rss command" lines.
responders()
{
	ps -o pid=,rss=,comm= --ppid "$1" 2>/dev/null || :
}

# Stop each process in pids, then any responder it left behind; remove
# the working directory unless something failed or BENCH_KEEP is 1.
cleanup()
{
	for pid in $pids; do
		kids=$(responders "$pid" | awk '{ print $1 }')
		bench_stop "$pid"
		wait "$pid" 2>/dev/null || :
		for kid in $kids; do
			bench_stop "$kid"
		done
	done
	pids=
	[ -z "$rundir" ] || [ "$rundir" = "$workdir/run" ] || rm -rf "$rundir"
	if [ -n "$workdir" ]; then
		if [ "$failed" = 0 ] && [ "${BENCH_KEEP:-0}" != 1 ]; then
			rm -rf "$workdir"
		else
			printf '%s: logs and databases kept in %s\n' \
			    "$bench_name" "$workdir" >&2
		fi
	fi
}

# The absolute path of file $1.
absolute()
{
	printf '%s/%s\n' "$(cd "$(dirname "$1")" && pwd)" "$(basename "$1")"
}

# Set the cleanup's traps and make workdir, a fresh directory named for
# $1 under the build tree, and rundir beside it for the sockets (a Unix
# socket path holds 107 bytes: under /tmp when the build tree's is long).
bench_workdir()
{
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	mkdir -p "$top_builddir/tests/tmp"
	workdir=$(absolute \
	    "$(mktemp -d "$top_builddir/tests/tmp/$1.XXXXXX")")
	rundir=$workdir/run
	if [ "${#rundir}" -gt 70 ]; then
		rundir=$(mktemp -d "${TMPDIR:-/tmp}/presence-bench.XXXXXX")
	fi
}

# A port number in 20000..59999 from the kernel's random source.
random_port()
{
	n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' \n')
	echo $((20000 + n % 40000))
}

# The status code of a request; extra arguments go to curl.
http_status()
{
	"$CURL" -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || :
}

# Poll until $2 answers with status $3 or process $1 dies; ten seconds at
# most.
bench_wait()
{
	n=0
	while [ "$n" -lt 100 ]; do
		alive "$1" || return 1
		[ "$(http_status "$2")" = "$3" ] && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

# Start lighttpd for side $1 (program $2, $4 threads, default 1) from
# conf on a free port, with a database and a socket directory of its own,
# and wait until a GET of the collection answers $3.  A port taken
# meanwhile means another try.  Sets port and lpid_$1.
start_lighttpd()
{
	log=$workdir/lighttpd-$1.log
	mkdir -p "$rundir/$1" "$workdir/db-$1"
	tries=0
	while [ "$tries" -lt 20 ]; do
		tries=$((tries + 1))
		port=$(random_port)
		PRESENCE_PORT=$port PRESENCE_BIN=$2 PRESENCE_THREADS=${4:-1} \
		    PRESENCE_DB=$workdir/db-$1 PRESENCE_RUNDIR=$rundir/$1 \
		    "$LIGHTTPD" -D -f "$conf" </dev/null >"$log" 2>&1 &
		pid=$!
		pids="$pids $pid"
		if bench_wait "$pid" \
		    "http://127.0.0.1:$port/communications/presences" "$3"; then
			eval "lpid_$1=\$pid"
			return 0
		fi
		if ! alive "$pid" && grep -qs 'in use' "$log"; then
			continue
		fi
		cat "$log" >&2
		die "lighttpd with '$2' did not come up on port $port"
	done
	die "no free port found for lighttpd"
}

# bench_wrk OUT CONNS URL [NAME=value...]: one wrk run of bench.lua
# against URL over CONNS connections, seconds long, with those words in
# its environment; its output goes to OUT and its bench-result line to
# line.
bench_wrk()
{
	out=$1 conns=$2 url=$3
	shift 3
	env "$@" timeout $((seconds + 60)) "$WRK" -t"$threads" -c"$conns" \
	    -d"$seconds"s --timeout 10s --latency \
	    -s "$top_srcdir/tests/bench/bench.lua" "$url" >"$out" 2>&1 || {
		cat "$out" >&2
		die "wrk failed against $url"
	}
	line=$(grep '^bench-result ' "$out") ||
	    die "wrk printed no result line (see $out)"
}
