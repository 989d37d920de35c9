#!/bin/sh
# `make bench`, the notification case: what change notifications cost and
# how fast they arrive.  Two lighttpd from the shipped fcgi/conf/
# lighttpd.conf on free loopback ports, each with a threaded presence-fcgi
# and a database of its own holding the same presences: "none" with no
# subscription, "subs" with BENCH_NOTIFY_SUBS (100) subscriptions, each
# watching presences of its own and delivering to the receiver
# (tests/notify/receiver.js) on loopback.
#
# 1. Latency: tests/bench/rate.js sends setPresence to "subs" at a steady
#    BENCH_NOTIFY_RATE (1,000) changes a second for BENCH_NOTIFY_SECONDS
#    (10), each request a change; once the outbox drained it prints
#    delivered/s and the commit-to-delivery latency p50/p99/max (commit:
#    the acknowledged response's arrival; delivery: the receiver's record).
# 2. Throughput: wrk runs setPresence as fast as it goes (each request a
#    change) against "none" and "subs" in turn, BENCH_ROUNDS (2) times
#    each, and prints each side's requests/s and p99 and subs/none as
#    ratios, with the notifications the receiver got during the "subs"
#    runs and the backlog left at their end.
# Goals: p99 under 1 s at 1,000 changes/s; the req/s ratio at least 0.8.
# It reports figures and asserts none; it fails only when it cannot
# measure.
#
# Environment: BENCH_SECONDS (5 per wrk run), BENCH_ROUNDS (2),
# BENCH_FCGI_THREADS (16), BENCH_THREADS (wrk's, 2), BENCH_DURABILITY
# (durable), BENCH_NOTIFY_SUBS (100), BENCH_NOTIFY_RATE (1000),
# BENCH_NOTIFY_SECONDS (10), BENCH_NOTIFY_CONNECTIONS (16), BENCH_KEEP.
# Set by `make bench`: top_srcdir, top_builddir, PRESENCE_FCGI,
# PRESENCE_CONSOLE, LIGHTTPD, WRK, CURL, NODE, MDB_STAT.
set -eu
bench_name='bench notify'
. "${top_srcdir:-$(dirname "$0")/../..}/tests/bench/lib.sh"

seconds=${BENCH_SECONDS:-5}
rounds=${BENCH_ROUNDS:-2}
fcgi_threads=${BENCH_FCGI_THREADS:-16}
threads=${BENCH_THREADS:-2}
durability=${BENCH_DURABILITY:-durable}
nsubs=${BENCH_NOTIFY_SUBS:-100}
rate=${BENCH_NOTIFY_RATE:-1000}
rate_seconds=${BENCH_NOTIFY_SECONDS:-10}
connections=${BENCH_NOTIFY_CONNECTIONS:-16}
srcdir=$top_srcdir
builddir=$top_builddir
presence=${PRESENCE_FCGI:-$builddir/presence-fcgi}
console=${PRESENCE_CONSOLE:-$builddir/presence-console}
LIGHTTPD=${LIGHTTPD:-lighttpd}
WRK=${WRK:-wrk}
CURL=${CURL:-curl}
NODE=${NODE:-node}
MDB_STAT=${MDB_STAT:-mdb_stat}
conf=$srcdir/fcgi/conf/lighttpd.conf

# api METHOD URL BODY: a request with the side's token; the status code,
# and the body in $workdir/resp.
api()
{
	"$CURL" -sS --max-time 20 -o "$workdir/resp" -w '%{http_code}' \
	    -X "$1" -H 'Content-Type: application/json' \
	    -H "Authorization: Bearer $token" --data-binary "$3" "$2" ||
	    echo 000
}

# Create the presences of ids file $2 at base URL $1, each with the
# session rate.js and wrk change.
populate()
{
	while read -r id; do
		code=$(api POST "$1/communications/presences" \
		    '{"id":"'"$id"'","availability":"Available","activity":"Available"}')
		[ "$code" = 201 ] || die "create $id answered $code: $(cat "$workdir/resp")"
		code=$(api POST "$1/users/$id/presence/setPresence" \
		    "$(cat "$workdir/set-a.json")")
		[ "$code" = 200 ] || die "setPresence answered $code"
	done <"$2"
}

# Subscribe the presences of ids file $2 at base URL $1: subscription N
# watches every presence whose line number is N modulo nsubs, and
# delivers to the receiver's /n/N.
subscribe()
{
	expiry=$(date -u -d "@$(($(date +%s) + 3300))" +%Y-%m-%dT%H:%M:%SZ)
	s=0
	while [ "$s" -lt "$nsubs" ]; do
		filter=$(awk -v s="$s" -v n="$nsubs" '(NR - 1) % n == s {
		    printf "%s'\''%s'\''", (k++ ? "," : ""), $0 }' "$2")
		[ -n "$filter" ] || die "more subscriptions than presences"
		code=$(api POST "$1/subscriptions" \
		    '{"changeType":"updated","notificationUrl":"'"$recv_url/n/$s"'","resource":"/communications/presences?$filter=id in ('"$filter"')","expirationDateTime":"'"$expiry"'","clientState":"bench"}')
		[ "$code" = 201 ] || die "subscription $s answered $code: $(cat "$workdir/resp")"
		s=$((s + 1))
	done
}

# The rows waiting in side $1's outbox.
outbox()
{
	"$MDB_STAT" -s outbox "$workdir/db-$1" 2>/dev/null |
	    sed -n -e 's/^ *Entries: *//p'
}

# Wait (at most $2 seconds) until side $1's outbox is empty.
drain()
{
	n=0
	while [ "$n" -lt $(($2 * 10)) ]; do
		[ "$(outbox "$1")" = 0 ] && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

# Items the receiver acknowledged whose POST it recorded from ms $1 to $2.
items_between()
{
	awk -v a="$1" -v b="$2" '
	match($0, /^\{"t":[0-9]+/) && /"status":2[0-9][0-9],/ {
		t = substr($0, 6, RLENGTH - 5) + 0
		if (t >= a && t <= b) n += gsub(/"resourceData":/, "&")
	}
	END { print n + 0 }' "$workdir/recv.log"
}

now_ms()
{
	date +%s%3N
}

for v in seconds rounds fcgi_threads threads nsubs rate rate_seconds \
    connections; do
	need_count "$v"
done
[ -x "$presence" ] || die "'$presence' not found: run make first"
[ -x "$console" ] || die "'$console' not found: run make first"
command -v "$LIGHTTPD" >/dev/null || die "lighttpd not found: install lighttpd"
command -v "$WRK" >/dev/null || die "wrk not found: install wrk"
command -v "$NODE" >/dev/null || die "node not found: install nodejs"
command -v "$MDB_STAT" >/dev/null || die "mdb_stat not found: install lmdb-utils"
presence=$(absolute "$presence")
console=$(absolute "$console")

bench_workdir bench-notify

unset PRESENCE_MAP_SIZE PRESENCE_MAP_MAX PRESENCE_MAX_READERS \
    PRESENCE_VALUE_MODE PRESENCE_MAX_BODY PRESENCE_BASE PRESENCE_LISTEN
PRESENCE_DURABILITY=$durability
PRESENCE_NOTIFY_ALLOW=http://127.0.0.1
export PRESENCE_DURABILITY PRESENCE_NOTIFY_ALLOW

"$NODE" "$srcdir/tests/notify/receiver.js" serve \
    --port-file "$workdir/recv.port" --log "$workdir/recv.log" \
    </dev/null >"$workdir/recv.out" 2>&1 &
pids="$pids $!"
n=0
while [ ! -s "$workdir/recv.port" ] && [ "$n" -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
[ -s "$workdir/recv.port" ] || die "the receiver did not start"
recv_url=http://127.0.0.1:$(cat "$workdir/recv.port")

# The presences: as many as the subscriptions (at least one each) and the
# wrk connections; the same ids on both sides.
npres=$nsubs
[ "$npres" -ge "$connections" ] || npres=$connections
awk -v n="$npres" 'BEGIN { for (i = 1; i <= n; i++)
    printf "b0b0b0b0-0000-4000-8000-%012d\n", i }' >"$workdir/ids"
printf '%s\n' '{"sessionId":"bench-notify","availability":"Busy",' \
    '"activity":"InACall","expirationDuration":"PT4H"}' >"$workdir/set-a.json"
printf '%s\n' '{"sessionId":"bench-notify","availability":"Busy",' \
    '"activity":"InAConferenceCall","expirationDuration":"PT4H"}' >"$workdir/set-b.json"

for side in none subs; do
	mkdir -p "$workdir/db-$side"
	eval "token_$side=\$(\"\$console\" --db \"\$workdir/db-\$side\" token issue bench-\$side --scope Presence.ReadWrite.All 2>\"\$workdir/token.err\")" ||
	    { cat "$workdir/token.err" >&2; die "cannot issue a token"; }
	start_lighttpd "$side" "$presence" 401 "$fcgi_threads"
	eval "url_$side=http://127.0.0.1:\$port"
	eval "token=\$token_$side; base=\$url_$side"
	populate "$base" "$workdir/ids"
done
token=$token_subs
subscribe "$url_subs" "$workdir/ids"
drain subs 60 || die "the outbox did not drain before the runs"

printf 'notification benchmark: %s cores, presence-fcgi %s threads %s,\n' \
    "$(nproc)" "$fcgi_threads" "$durability"
printf '  %s subscriptions over %s presences, receiver on loopback\n' \
    "$nsubs" "$npres"
if [ -n "${BENCH_SANITIZERS:-}" ]; then
	printf '  built with sanitizers: these figures say little\n'
fi

# 1. The steady rate.
: >"$workdir/recv.log"
"$NODE" "$srcdir/tests/bench/rate.js" send "$url_subs" "$token_subs" \
    "$workdir/ids" "$rate" "$rate_seconds" "$workdir/acks" \
    >"$workdir/rate.out" 2>&1 || { cat "$workdir/rate.out" >&2; die "rate.js failed"; }
left=$(outbox subs)
drain subs 120 || die "the outbox did not drain within 120 s after the steady rate ($(outbox subs) rows left)"
"$NODE" "$srcdir/tests/bench/rate.js" latency "$workdir/acks" \
    "$workdir/recv.log" >"$workdir/latency.out"
printf '\nsteady rate: %s changes/s for %s s: %s\n' "$rate" "$rate_seconds" \
    "$(cat "$workdir/rate.out")"
printf '  backlog when the sending stopped: %s; %s\n' "$left" \
    "$(cat "$workdir/latency.out")"

# 2. Throughput side by side.
: >"$workdir/results"
i=1
while [ "$i" -le "$rounds" ]; do
	for side in none subs; do
		eval "token=\$token_$side; base=\$url_$side"
		out=$workdir/wrk-$side-$i.txt
		t0=$(now_ms)
		bench_wrk "$out" "$connections" "$base/" BENCH_TOKEN="$token" \
		    BENCH_SET_IDS="$workdir/ids" \
		    BENCH_SET_BODY="$workdir/set-a.json" \
		    BENCH_SET_BODY_ALT="$workdir/set-b.json" \
		    BENCH_SET_THREADS="$threads"
		t1=$(now_ms)
		case $line in
		*' status_errors=0 socket_errors=0') ;;
		*) die "setPresence failed during the $side run: $line" ;;
		esac
		got=0
		left=0
		if [ "$side" = subs ]; then
			got=$(items_between "$t0" "$t1")
			left=$(outbox subs)
		fi
		printf '%s %s %s %s %s %s\n' "$side" "$i" "$((t1 - t0))" \
		    "$got" "$left" "$line" >>"$workdir/results"
		[ "$side" = none ] || drain subs 120 ||
		    die "the outbox did not drain within 120 s after a run"
	done
	i=$((i + 1))
done
awk -v conns="$connections" '
function val(s) { sub(/^[a-z_0-9]+=/, "", s); return s + 0 }
{
	req[$1] += val($7); usec[$1] += val($8); p99[$1] += val($10)
	n[$1]++; err[$1] += val($12) + val($13)
	ms[$1] += $3; items[$1] += $4; left[$1] += $5
}
END {
	printf "\nsetPresence, each a change, %d connections:\n", conns
	printf "  %-26s %9s %8s %7s %12s %9s\n", "side", "req/s", "p99 ms",
	    "errors", "delivered/s", "backlog"
	for (s = 1; s <= 2; s++) {
		k = s == 1 ? "none" : "subs"
		rate[k] = usec[k] ? req[k] / (usec[k] / 1e6) : 0
		lat[k] = n[k] ? p99[k] / n[k] / 1000 : 0
		label = "with subscriptions"
		if (k == "none")
			label = "no subscription"
		printf "  %-26s %9.1f %8.2f %7d", label, rate[k], lat[k], err[k]
		if (k == "subs") {
			dps = ms[k] ? items[k] / (ms[k] / 1000) : 0
			printf " %12.1f %9.0f", dps, n[k] ? left[k] / n[k] : 0
		}
		printf "\n"
	}
	printf "  ratio (with / without): req/s %.2f, p99 %.2f\n",
	    rate["none"] ? rate["subs"] / rate["none"] : 0,
	    lat["none"] ? lat["subs"] / lat["none"] : 0
}' "$workdir/results"
failed=0
