#!/bin/sh
# `make bench`, second part: the deployments fcgi/conf/ ships, each beside
# tests/bench/ceiling in the same shape.  For every shape the web server
# and the responders are started the way tests/web/ starts them
# (tests/web/web.sh), from the shipped file mounted at /graph: lighttpd
# spawning the responders (lighttpd-spawn.conf, its max-procs), lighttpd,
# nginx and Apache's mod_proxy_fcgi connecting to a socket of the
# responders' own (lighttpd-socket.conf, nginx-location.conf,
# apache-proxy-fcgi.conf; spawn-fcgi and multiwatch run BENCH_PROCS
# processes with the shipped unit's arguments), and Apache's mod_fcgid
# (apache-fcgid.conf, its FcgidMaxProcessesPerClass), reported on its
# own.  The ceiling runs in the same shape: the same server, file and
# number of processes, with the ceiling program in presence-fcgi's place.
# Two cases at each connection count: a durable POST of the founding
# example and a GET of one presence by id, the two sides alternating run
# by run.  It prints one table: each shape's req/s, median and 99th
# percentile beside the ceiling's, and their ratios.  It asserts no speed;
# it fails when it cannot measure or presence-fcgi answered errors.
#
# Environment:
#   BENCH_SHAPES       the shapes, by name ("lighttpd-spawn lighttpd-socket
#                      nginx apache-proxy-fcgi apache-fcgid"); empty or
#                      "none" skips them all
#   BENCH_PROCS        responder processes on a socket of their own (1, as
#                      presence-fcgi.service starts)
#   BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_THREADS, BENCH_ROUNDS as in
#   tests/bench/bench.sh
#   BENCH_FCGI_ENV     NAME=value words for presence-fcgi's environment
#                      (e.g. PRESENCE_THREADS=64), but under mod_fcgid
#   BENCH_ALT_ENV      when set, a third side: presence-fcgi with these
#                      NAME=value words instead, in the same runs, for an
#                      A/B comparison (its rows are marked "alt")
#   BENCH_ALT_FCGI     when set, a third side running this presence-fcgi
#                      program (another build), with BENCH_ALT_ENV if set
# Set by `make bench`: top_srcdir, top_builddir, CEILING, WRK and the
# web servers' paths, as for tests/web/.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/web/web.sh"
bench_name=bench
. "$top_srcdir/tests/bench/lib.sh"

shapes=${BENCH_SHAPES-lighttpd-spawn lighttpd-socket nginx apache-proxy-fcgi apache-fcgid}
procs=${BENCH_PROCS:-1}
seconds=${BENCH_SECONDS:-5}
levels=${BENCH_CONNECTIONS:-16 64}
threads=${BENCH_THREADS:-2}
rounds=${BENCH_ROUNDS:-2}
ceiling=${CEILING:-$top_builddir/tests/bench/ceiling}
WRK=${WRK:-wrk}
mount=/graph
presence=$PRESENCE_FCGI

case $shapes in
''|none) exit 0 ;;
esac

for v in procs:$procs seconds:$seconds threads:$threads rounds:$rounds; do
	need_count "${v%%:*}" "${v#*:}"
done
for c in $levels; do
	need_count BENCH_CONNECTIONS "$c"
	[ "$threads" -le "$c" ] ||
	    die "BENCH_THREADS ($threads) is above a connection count ($c)"
done
[ -x "$presence" ] || die "'$presence' not found: run make first"
[ -x "$ceiling" ] || die "'$ceiling' not found: run make bench"
command -v "$WRK" >/dev/null || die "wrk not found: install wrk"

# What each shape needs, by program and Debian package.
need_program() {
	[ -n "$1" ] && [ -x "$1" ] || die "$2 not found: install $3"
}
for shape in $shapes; do
	need_program "$CURL" curl curl
	case $shape in
	lighttpd-spawn)
		need_program "$LIGHTTPD" lighttpd lighttpd ;;
	lighttpd-socket)
		need_program "$LIGHTTPD" lighttpd lighttpd ;;
	nginx)
		need_program "$NGINX" nginx nginx-light ;;
	apache-proxy-fcgi|apache-fcgid)
		need_program "$APACHE2" apache2 apache2 ;;
	*)
		die "unknown shape '$shape' in BENCH_SHAPES" ;;
	esac
	case $shape in
	lighttpd-socket|nginx|apache-proxy-fcgi)
		need_program "$SPAWN_FCGI" spawn-fcgi spawn-fcgi
		need_program "$MULTIWATCH" multiwatch multiwatch ;;
	esac
done

sides="ceiling fcgi"
[ -z "${BENCH_ALT_ENV:-}${BENCH_ALT_FCGI:-}" ] || sides="$sides alt"
[ -z "${BENCH_ALT_FCGI:-}" ] || [ -x "$BENCH_ALT_FCGI" ] ||
    die "BENCH_ALT_FCGI: '$BENCH_ALT_FCGI' is not a program"

web_init bench-shapes >/dev/null
results=$T/results
: >"$results"
# The setup's own test points and diagnostics, for when a server fails.
setup_log=$T/setup.log

# Start side $2 (ceiling, fcgi or alt) of shape $1 on a fresh database; set
# url_$2 and token_$2.
start_side() {
	PRESENCE_FCGI=$presence
	web_db
	[ "$2" != ceiling ] || PRESENCE_FCGI=$ceiling
	[ "$2" != alt ] || PRESENCE_FCGI=${BENCH_ALT_FCGI:-$presence}
	WEB_LABEL="$1 $2"
	WEB_RESPONDER_ENV=
	case $2 in
	fcgi)	WEB_RESPONDER_ENV=${BENCH_FCGI_ENV:-} ;;
	alt)	WEB_RESPONDER_ENV=${BENCH_ALT_ENV:-} ;;
	esac
	# Responders a server spawns inherit its environment.
	for kv in $WEB_RESPONDER_ENV; do
		export "${kv?}"
	done
	case $1 in
	lighttpd-spawn)
		web_lighttpd lighttpd-spawn.conf "$mount" ;;
	lighttpd-socket)
		web_responders "$procs" &&
		web_lighttpd lighttpd-socket.conf "$mount" ;;
	nginx)
		web_responders "$procs" && web_nginx "$mount" ;;
	apache-proxy-fcgi)
		web_responders "$procs" &&
		web_apache apache-proxy-fcgi.conf "$mount" ;;
	apache-fcgid)
		web_apache apache-fcgid.conf "$mount" ;;
	esac
	rc=$?
	for kv in $WEB_RESPONDER_ENV; do
		unset "${kv%%=*}"
	done
	PRESENCE_FCGI=$presence
	[ "$rc" -eq 0 ] || return 1
	eval "url_$2=\$WEB_ORIGIN\$mount/communications/presences"
	eval "token_$2=\$TOKEN"
	# Forget the PIDs: stop_side stops them, the exit trap too.
	eval "server_$2=\$WEB_SERVER_PID watch_$2=\${WEB_WATCH_PID:-}"
	WEB_SERVER_PID=
	WEB_WATCH_PID=
	WEB_SOCKET=
}

# Stop side $1's server and responders, by PID.
stop_side() {
	eval "WEB_SERVER_PID=\$server_$1 WEB_WATCH_PID=\$watch_$1"
	web_stop
}

# POST create.json with side $1's token; print the new presence's id.
create_one() {
	eval "u=\$url_$1 tk=\$token_$1"
	out=$("$CURL" -sS --max-time 10 -w '\n%{http_code}' \
	    -H 'Content-Type: application/json' \
	    ${tk:+-H "Authorization: Bearer $tk"} \
	    --data-binary "@$top_srcdir/tests/bench/create.json" "$u") ||
	    die "cannot create a presence through $u"
	case $out in
	*'
201') ;;
	*) die "create through $u answered: $out" ;;
	esac
	printf '%s\n' "$out" |
	    sed -n 's/.*"id": *"\([0-9a-f-]\{36\}\)".*/\1/p' | head -n 1
}

# run_wrk SHAPE CASE CONNS SIDE ROUND URL [BODY]: one wrk run, its result
# line appended to the results.
run_wrk() {
	eval "tk=\$token_$4"
	bench_wrk "$T/wrk-$1-$2-$3-$4-$5.txt" "$3" "$6" \
	    ${7:+BENCH_BODY="$7"} BENCH_TOKEN="$tk"
	printf '%s %s %s %s %s %s\n' "$1" "$2" "$3" "$4" "$5" "$line" \
	    >>"$results"
}

# Both sides of one shape: warm-up, then every case alternating sides.
bench_shape() {
	for side in $sides; do
		start_side "$1" "$side" >>"$setup_log" 2>&1 || {
			cat "$setup_log" >&2
			die "$1: the $side side did not start"
		}
	done
	for side in $sides; do
		id=$(create_one "$side")
		[ -n "$id" ] || [ "$side" = ceiling ] ||
		    die "$1: no id in the create response"
		eval "id_$side=\$id"
	done
	body=$top_srcdir/tests/bench/create.json
	for side in $sides; do
		eval "u=\$url_$side"
		run_wrk "$1" warmup 16 "$side" 0 "$u" "$body"
	done
	for c in $levels; do
		i=1
		while [ "$i" -le "$rounds" ]; do
			for side in $sides; do
				eval "u=\$url_$side"
				run_wrk "$1" post "$c" "$side" "$i" "$u" "$body"
			done
			i=$((i + 1))
		done
	done
	for c in $levels; do
		i=1
		while [ "$i" -le "$rounds" ]; do
			for side in $sides; do
				eval "u=\$url_$side"
				eval "id=\$id_$side"
				run_wrk "$1" get "$c" "$side" "$i" "$u/$id"
			done
			i=$((i + 1))
		done
	done
	for side in $sides; do
		stop_side "$side"
	done
}

# The processes each shape runs, for the table's heading.
shape_procs() {
	case $1 in
	lighttpd-spawn)
		sed -n 's/.*"max-procs" *=> *\([0-9]*\).*/\1/p' \
		    "$WEB_CONF/lighttpd-spawn.conf" ;;
	apache-fcgid)
		sed -n 's/^FcgidMaxProcessesPerClass *\([0-9]*\).*/\1/p' \
		    "$WEB_CONF/apache-fcgid.conf" ;;
	*)	echo "$procs" ;;
	esac
}

report() {
	awk '
	function val(s) { sub(/^[a-z_0-9]+=/, "", s); return s + 0 }
	$2 != "warmup" {
		k = $1 " " $2 " " $3 " " $4
		if (!(($1 " " $2 " " $3) in seen)) {
			seen[$1 " " $2 " " $3] = 1
			order[++nrows] = $1 " " $2 " " $3
		}
		req[k] += val($7); usec[k] += val($8)
		p50[k] += val($9); p99[k] += val($10); n[k]++
		serr[k] += val($12); kerr[k] += val($13)
	}
	function rate(k) { return usec[k] ? req[k] / (usec[k] / 1e6) : 0 }
	function ms(sum, k) { return n[k] ? sum / n[k] / 1000 : 0 }
	END {
		printf "%-17s %-10s %5s %9s %9s %6s %8s %8s %8s %8s %6s %6s\n",
		    "shape", "case", "conns", "ceiling", "req/s", "ratio",
		    "p50 ms", "ceil p99", "p99 ms", "p99 x", "status",
		    "socket"
		for (r = 1; r <= nrows; r++)
			if (order[r] !~ /^apache-fcgid /)
				rows(order[r])
		for (r = 1; r <= nrows; r++)
			if (order[r] ~ /^apache-fcgid /) {
				if (!fcgid++)
					printf "mod_fcgid, one request per" \
					    " process, on its own:\n"
				rows(order[r])
			}
	}
	function rows(key) {
		row(key, "fcgi", "")
		if ((key " alt") in n)
			row(key, "alt", " alt")
	}
	function row(key, side, mark,    f, c, p, rc, rp, pc, pp, name) {
		split(key, f, " ")
		c = key " ceiling"; p = key " " side
		rc = rate(c); rp = rate(p)
		pc = ms(p99[c], c); pp = ms(p99[p], p)
		name = (f[2] == "post" ? "create" : "GET id") mark
		printf "%-17s %-10s %5s %9.1f %9.1f %6.2f %8.2f %8.2f" \
		    " %8.2f %8.2f %6d %6d\n", f[1], name, f[3], rc, rp,
		    rc ? rp / rc : 0, ms(p50[p], p), pc, pp,
		    pc ? pp / pc : 0, serr[p], kerr[p]
	}' "$results"
}

printf 'deployment shapes: %s s per run, %s runs per row, %s connections,' \
    "$seconds" "$rounds" "$levels"
printf ' %s wrk threads, %s cores\n' "$threads" "$(nproc)"
for shape in $shapes; do
	printf '  %-17s %s responder process(es) each side\n' "$shape" \
	    "$(shape_procs "$shape")"
	bench_shape "$shape"
done
echo
report
echo
echo "ratio: presence-fcgi's req/s over the ceiling's in the same shape (the"
echo "  same web server, file and number of processes); p99 x: its 99th"
echo "  percentile over the ceiling's.  create is durable: each answer waits"
echo "  for its commit's flush.  status: presence-fcgi's answers of 400 or"
echo "  above; socket: wrk's connect, read, write and timeout errors."
echo "  mod_fcgid sends each process one request at a time: no two writes"
echo "  share a commit, and requests beyond its processes wait."

errors=$(awk '$4 != "ceiling" { sub(/^[a-z_]+=/, "", $12); s += $12 }
    END { print s + 0 }' "$results")
[ "$errors" -eq 0 ] || die "presence-fcgi answered $errors requests with an error status"
exit 0
