#!/bin/sh
# `make bench`: wrk through lighttpd against presence-fcgi and, in the same
# run, against tests/bench/ceiling, a responder that answers a fixed 201 and
# does no work.  Each sits behind its own lighttpd started from the shipped
# fcgi/conf/lighttpd.conf (the one `make run` uses), on free loopback ports:
# the ceiling, presence-fcgi with one thread and presence-fcgi with
# BENCH_FCGI_THREADS threads, each with its own database and a bearer token.
# Four cases at each connection count: POST of the founding example, GET
# of one existing presence by id, setPresence refreshing an existing
# session (the call every client repeats; as many presences as
# connections, each connection refreshing its own), and
# getPresencesByUserId with 650 ids (also at one connection, where the
# median is the time one request takes).  The runs alternate the
# responders so that noise on the machine falls on all of them.  It prints
# requests per second, the median and 99th percentile latencies, the rate
# and the p99 as ratios to the ceiling,
# then the responders' resident memory after the warm-up and at the end,
# and the anonymous memory of each presence-fcgi after every run, with how
# much it changed over the second half of the runs and the requests those
# runs served (flat means it does not grow with the requests served).
# It reports figures and asserts none: it fails only when it cannot
# measure, or when presence-fcgi answered with errors (the figures would
# then measure the errors).
#
# Environment:
#   BENCH_SECONDS      seconds per wrk run (5)
#   BENCH_CONNECTIONS  connection counts wrk runs with ("16 64")
#   BENCH_FCGI_THREADS presence-fcgi's threads in the threaded rows (16)
#   BENCH_THREADS      wrk threads (2)
#   BENCH_ROUNDS       runs per case and responder (2)
#   BENCH_DURABILITY   presence-fcgi's durability, durable or nosync (durable)
#   BENCH_KEEP         when 1, keep the working directory
# Set by `make bench`: top_srcdir, top_builddir, PRESENCE_FCGI, CEILING,
# LIGHTTPD, WRK, CURL, BENCH_SANITIZERS.
set -eu
bench_name=bench
. "${top_srcdir:-$(dirname "$0")/../..}/tests/bench/lib.sh"

seconds=${BENCH_SECONDS:-5}
levels=${BENCH_CONNECTIONS:-16 64}
fcgi_threads=${BENCH_FCGI_THREADS:-16}
threads=${BENCH_THREADS:-2}
rounds=${BENCH_ROUNDS:-2}
durability=${BENCH_DURABILITY:-durable}
srcdir=$top_srcdir
builddir=$top_builddir
presence=${PRESENCE_FCGI:-$builddir/presence-fcgi}
console=${PRESENCE_CONSOLE:-$builddir/presence-console}
ceiling=${CEILING:-$builddir/tests/bench/ceiling}
LIGHTTPD=${LIGHTTPD:-lighttpd}
WRK=${WRK:-wrk}
CURL=${CURL:-curl}
conf=$srcdir/fcgi/conf/lighttpd.conf
unset BENCH_BODY

# Create one presence from create.json and print its id.
create_one()
{
	out=$("$CURL" -sS --max-time 10 -w '\n%{http_code}' \
	    -H 'Content-Type: application/json' \
	    -H "Authorization: Bearer $token" \
	    --data-binary "@$body" "$1") ||
	    die "cannot create a presence"
	case $out in
	*'
201') ;;
	*) die "create answered: $out" ;;
	esac
	printf '%s\n' "$out" |
	    sed -n 's/.*"id": *"\([0-9a-f-]\{36\}\)".*/\1/p' | head -n 1
}

# setPresence on presence $2 at base URL $1 with set.json: the session the
# setPresence runs then refresh.
set_one()
{
	out=$("$CURL" -sS --max-time 10 -o /dev/null -w '%{http_code}' \
	    -H 'Content-Type: application/json' \
	    -H "Authorization: Bearer $token" \
	    --data-binary "@$set_body" "$1/users/$2/presence/setPresence") ||
	    die "cannot set a presence"
	[ "$out" = 200 ] || die "setPresence answered $out"
}

# Create $2 presences at base URL $1 with the token in $token, start the
# session set.json describes on as many as the most connections of a run,
# and write their ids, one a line, to the file $3.
populate()
{
	i=0
	while [ "$i" -lt "$2" ]; do
		create_one "$1/communications/presences"
		i=$((i + 1))
	done >"$3"
	[ "$(grep -c . "$3")" = "$2" ] || die "no id in a create response"
	head -n "$most" "$3" >"$3.set"
	while read -r id; do
		set_one "$1" "$id"
	done <"$3.set"
}

# One wrk run: case, responder, round, URL, and for a POST the body file.
# With set_ids set, a setPresence run on the presences in that file.
run_wrk_with()
{
	out=$workdir/wrk-$1-$2-$3.txt
	if [ -n "${5:-}" ]; then
		set -- "$1" "$2" "$3" "$4" BENCH_BODY="$5"
	elif [ -n "${set_ids:-}" ]; then
		set -- "$1" "$2" "$3" "$4" BENCH_SET_IDS="$set_ids" \
		    BENCH_SET_BODY="$set_body" BENCH_SET_THREADS="$threads"
	else
		set -- "$1" "$2" "$3" "$4"
	fi
	c=$1 r=$2 i=$3 url=$4
	shift 4
	bench_wrk "$out" "$connections" "$url" "$@" BENCH_TOKEN="$token"
	printf '%s %s %s %s\n' "$c" "$r" "$i" "$line" >>"$workdir/results"
}

# The table: requests over run time, the rounds' mean p99, the ratios.
report()
{
	awk -v levels="$levels" -v nthreads="$fcgi_threads" '
	function val(s) { sub(/^[a-z_0-9]+=/, "", s); return s + 0 }
	{
		k = $1 " " $2
		req[k] += val($5); usec[k] += val($6); p50[k] += val($7)
		p99[k] += val($8)
		n[k]++; serr[k] += val($10); kerr[k] += val($11)
	}
	function row(c, label, conns, r, name) {
		k = c " " r
		rate[k] = usec[k] ? req[k] / (usec[k] / 1e6) : 0
		lat[k] = n[k] ? p99[k] / n[k] / 1000 : 0
		med = n[k] ? p50[k] / n[k] / 1000 : 0
		printf "%-12s %5s  %-22s %9.1f %8.2f %8.2f %6d %6d", label,
		    conns, name, rate[k], med, lat[k], serr[k], kerr[k]
		if (r != "ceiling") {
			b = c " ceiling"
			printf " %11.2f %9.2f",
			    rate[b] ? rate[k] / rate[b] : 0,
			    lat[b] ? lat[k] / lat[b] : 0
		}
		printf "\n"
	}
	function block(kind, label, conns) {
		c = kind conns
		row(c, label, conns, "ceiling", "ceiling")
		row(c, label, conns, "fcgi1", "presence-fcgi, 1 thread")
		row(c, label, conns, "fcgin", "presence-fcgi, " nthreads \
		    " threads")
	}
	END {
		printf "%-12s %5s  %-22s %9s %8s %8s %6s %6s %11s %9s\n",
		    "case", "conns", "responder", "req/s", "p50 ms", "p99 ms",
		    "status", "socket", "req/s ratio", "p99 ratio"
		nl = split(levels, lv, " ")
		for (i = 1; i <= nl; i++)
			block("post", "POST create", lv[i])
		for (i = 1; i <= nl; i++)
			block("get", "GET by id", lv[i])
		for (i = 1; i <= nl; i++)
			block("set", "setPresence", lv[i])
		block("ids", "650 by ids", 1)
		for (i = 1; i <= nl; i++)
			block("ids", "650 by ids", lv[i])
	}' "$workdir/results"
}

# The responders' resident memory, one line each, labelled $1: all of it,
# and the anonymous part (heap and stacks, without the database's mapped
# pages, which grow with the data and not with the requests served).
report_rss()
{
	for lpid in $pids; do
		responders "$lpid"
	done | while read -r pid rss comm; do
		anon=$(awk '$1 == "RssAnon:" { print $2 }' "/proc/$pid/status" \
		    2>/dev/null)
		printf '  %-14s pid %-8s RSS %6d KiB, anonymous %6s KiB  %s\n' \
		    "$comm" "$pid" "$rss" "${anon:-?}" "$1"
	done
}

# The anonymous resident memory of side $1's responders, in KiB.
anon_kib()
{
	eval "lp=\$lpid_$1"
	responders "$lp" | while read -r pid rss comm; do
		awk '$1 == "RssAnon:" { print $2 }' "/proc/$pid/status" \
		    2>/dev/null
	done | awk '{ s += $1 } END { print s + 0 }'
}

# Each side's anonymous memory after every run, and its change over the
# second half of the runs with the requests they served.
report_anon()
{
	awk -v nthreads="$fcgi_threads" '
	{
		n[$1]++; kib[$1, n[$1]] = $2; req[$1, n[$1]] = $3
	}
	function side(s, name,    i, h, served, line) {
		line = ""
		for (i = 1; i <= n[s]; i++)
			line = line " " kib[s, i]
		printf "  %-26s%s\n", name, line
		h = int(n[s] / 2)
		for (i = h + 1; i <= n[s]; i++)
			served += req[s, i]
		printf "  %-26s %+d KiB over the last %d runs, %d requests\n",
		    "", kib[s, n[s]] - kib[s, h], n[s] - h, served
	}
	END {
		side("fcgi1", "presence-fcgi, 1 thread")
		side("fcgin", "presence-fcgi, " nthreads " threads")
	}' "$workdir/anon"
}

# Issue a token with every presence scope into database $1; its secret.
issue_token()
{
	"$console" --db "$1" token issue "bench-$$" \
	    --scope Presence.ReadWrite.All 2>"$workdir/token.err" ||
	    { cat "$workdir/token.err" >&2; die "cannot issue a token in '$1'"; }
}

# One round of every responder for a case at $connections connections.
run_round()
{
	run_wrk "$1$connections" ceiling "$2" "$ceiling_url$3" "${4:-}"
	run_wrk "$1$connections" fcgi1 "$2" "$fcgi1_url$3" "${4:-}"
	run_wrk "$1$connections" fcgin "$2" "$fcgin_url$3" "${4:-}"
}

for v in seconds threads rounds fcgi_threads; do
	need_count "$v"
done
for connections in $levels; do
	need_count connections
	[ "$threads" -le "$connections" ] || die "BENCH_THREADS ($threads) is above a connection count ($connections)"
done
case $durability in
durable|nosync) ;;
*) die "BENCH_DURABILITY must be durable or nosync, not '$durability'" ;;
esac
[ -x "$presence" ] || die "'$presence' not found: run make first"
[ -x "$console" ] || die "'$console' not found: run make first"
[ -x "$ceiling" ] || die "'$ceiling' not found: run make bench"
[ -r "$conf" ] || die "'$conf' not found"
command -v "$LIGHTTPD" >/dev/null || die "lighttpd not found: install lighttpd"
command -v "$WRK" >/dev/null || die "wrk not found: install wrk"
command -v "$CURL" >/dev/null || die "curl not found: install curl"
presence=$(absolute "$presence")
console=$(absolute "$console")
ceiling=$(absolute "$ceiling")
body=$(absolute "$srcdir/tests/bench/create.json")
most=0
for connections in $levels; do
	[ "$connections" -le "$most" ] || most=$connections
done

bench_workdir bench

# presence-fcgi takes the durability from the environment lighttpd passes
# on; nothing else in it may change what is measured.
unset PRESENCE_MAP_SIZE PRESENCE_MAP_MAX PRESENCE_MAX_READERS \
    PRESENCE_VALUE_MODE PRESENCE_MAX_BODY PRESENCE_BASE PRESENCE_LISTEN
PRESENCE_DURABILITY=$durability
export PRESENCE_DURABILITY

token=
start_lighttpd ceiling "$ceiling" 201
ceiling_url=http://127.0.0.1:$port/communications/presences
mkdir -p "$workdir/db-fcgi1" "$workdir/db-fcgin"
token1=$(issue_token "$workdir/db-fcgi1")
tokenn=$(issue_token "$workdir/db-fcgin")
start_lighttpd fcgi1 "$presence" 401 1
fcgi1_url=http://127.0.0.1:$port/communications/presences
start_lighttpd fcgin "$presence" 401 "$fcgi_threads"
fcgin_url=http://127.0.0.1:$port/communications/presences
[ "$token1" != "$tokenn" ] || die "the two databases got the same token"

# The presences to read and set in each database: 650, the most one
# getPresencesByUserId takes; the GET runs fetch the first, the setPresence
# runs refresh a session on the first ones, one for each connection.
set_body=$workdir/set.json
printf '%s\n' '{"sessionId":"5e7f9a0c-3b1d-4c2e-8f6a-9d0b1c2e3f4a",' \
    '"availability":"Available","activity":"Available",' \
    '"expirationDuration":"PT4H"}' >"$set_body"
ceiling_base=${ceiling_url%/communications/presences}
fcgi1_base=${fcgi1_url%/communications/presences}
fcgin_base=${fcgin_url%/communications/presences}
token=$token1
populate "$fcgi1_base" 650 "$workdir/ids-fcgi1"
token=$tokenn
populate "$fcgin_base" 650 "$workdir/ids-fcgin"
id1=$(head -n 1 "$workdir/ids-fcgi1")
idn=$(head -n 1 "$workdir/ids-fcgin")
# The getPresencesByUserId bodies: each database's 650 ids.
for side in fcgi1 fcgin; do
	awk 'BEGIN { printf "{\"ids\":[" }
	    { printf "%s\"%s\"", (NR > 1 ? "," : ""), $0 }
	    END { printf "]}\n" }' "$workdir/ids-$side" >"$workdir/ids-$side.json"
done

printf 'presence benchmark: %s, %s, %s cores\n' \
    "$("$LIGHTTPD" -v 2>&1 | head -n 1 | cut -d' ' -f1)" \
    "$("$WRK" -v 2>&1 | head -n 1 | cut -d' ' -f1,2)" "$(nproc)"
printf '  %s s per run, %s runs per row, %s connections, %s wrk threads,\n' \
    "$seconds" "$rounds" "$levels" "$threads"
printf '  fcgi/conf/lighttpd.conf for all, presence-fcgi %s with tokens\n' \
    "$durability"
if [ -n "${BENCH_SANITIZERS:-}" ]; then
	printf '  built with sanitizers: these figures say little\n'
fi

# The two presence-fcgi sides read their own database with their own token:
# the URL carries neither, so run_wrk takes the token from $token.
run_wrk()
{
	case $2 in
	fcgi1) token=$token1 ;;
	fcgin) token=$tokenn ;;
	*) token=$token1 ;;	# the ceiling ignores it
	esac
	run_wrk_with "$@"
	if [ "$2" != ceiling ]; then
		printf '%s %s %s\n' "$2" "$(anon_kib "$2")" \
		    "$(sed -n 's/^bench-result requests=\([0-9]*\).*/\1/p' \
		    "$workdir/wrk-$1-$2-$3.txt")" >>"$workdir/anon"
	fi
}

# A short warm-up of every side, not counted.
saved=$seconds
seconds=1
connections=16
run_round warmup 0 "" "$body"
seconds=$saved
echo
report_rss "after the warm-up" >"$workdir/rss-warm"
: >"$workdir/results"
: >"$workdir/anon"

for connections in $levels; do
	i=1
	while [ "$i" -le "$rounds" ]; do
		run_round post "$i" "" "$body"
		i=$((i + 1))
	done
done
for connections in $levels; do
	i=1
	while [ "$i" -le "$rounds" ]; do
		run_wrk "get$connections" ceiling "$i" "$ceiling_url/$id1"
		run_wrk "get$connections" fcgi1 "$i" "$fcgi1_url/$id1"
		run_wrk "get$connections" fcgin "$i" "$fcgin_url/$idn"
		i=$((i + 1))
	done
done

# setPresence: each side refreshes its own presences' sessions, one
# presence for each connection.
for connections in $levels; do
	for side in fcgi1 fcgin; do
		head -n "$connections" "$workdir/ids-$side" \
		    >"$workdir/set-$side-$connections"
	done
	i=1
	while [ "$i" -le "$rounds" ]; do
		set_ids=$workdir/set-fcgi1-$connections
		run_wrk "set$connections" ceiling "$i" "$ceiling_base/"
		run_wrk "set$connections" fcgi1 "$i" "$fcgi1_base/"
		set_ids=$workdir/set-fcgin-$connections
		run_wrk "set$connections" fcgin "$i" "$fcgin_base/"
		set_ids=
		i=$((i + 1))
	done
done

# getPresencesByUserId with 650 ids: alone on one connection (its median is
# the time a request takes), then at each connection count.
ids_round()
{
	run_wrk "ids$connections" ceiling "$1" \
	    "${ceiling_url%/presences}/getPresencesByUserId" \
	    "$workdir/ids-fcgi1.json"
	run_wrk "ids$connections" fcgi1 "$1" \
	    "${fcgi1_url%/presences}/getPresencesByUserId" \
	    "$workdir/ids-fcgi1.json"
	run_wrk "ids$connections" fcgin "$1" \
	    "${fcgin_url%/presences}/getPresencesByUserId" \
	    "$workdir/ids-fcgin.json"
}
saved=$threads
threads=1
connections=1
i=1
while [ "$i" -le "$rounds" ]; do
	ids_round "$i"
	i=$((i + 1))
done
threads=$saved
for connections in $levels; do
	i=1
	while [ "$i" -le "$rounds" ]; do
		ids_round "$i"
		i=$((i + 1))
	done
done

report
echo
echo "responder memory:"
cat "$workdir/rss-warm"
report_rss "at the end"
echo
echo "anonymous memory (KiB) after each run, in the order they ran:"
report_anon
echo
echo "req/s ratio: presence-fcgi's rate over the ceiling's (1.00: as fast as"
echo "  a responder that does nothing).  p99 ratio: presence-fcgi's 99th"
echo "  percentile latency over the ceiling's (1.00: no added tail latency)."
echo "  p50 ms: the median latency; at one connection, the time one request"
echo "  takes (the goal for 650 ids: under 5 ms).  The ceiling answers every"
echo "  request with the same short 201, so for 650 ids it shows what the"
echo "  path costs without the 650 presences' JSON."
echo "  status: responses of 400 or above; socket: connect, read, write and"
echo "  timeout errors.  The machine is shared: compare the ratios."

errors=$(awk '$2 != "ceiling" { sub(/^[a-z_]+=/, "", $10); s += $10 }
    END { print s + 0 }' "$workdir/results")
if [ "$errors" -gt 0 ]; then
	tail -n 20 "$workdir/lighttpd-fcgi1.log" "$workdir/lighttpd-fcgin.log" >&2
	die "presence-fcgi answered $errors requests with an error status"
fi
failed=0
