#!/bin/sh
# Slow clients without a valid token cannot hold the responders.  Through
# the shipped fcgi/conf/apache-proxy-fcgi.conf (mod_proxy_fcgi passes a
# request body on as it arrives), four times the responder's thread count
# of creates with an unknown bearer token, each sending its body a byte
# every 100 ms (8 s in all), do not delay a valid client's create beyond
# 1 s: the token is looked up before the body is read, and each of them
# is refused 401 without waiting for its body.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/web/web.sh"

CLIENT=$top_builddir/tests/stress/client

require_tool "$APACHE2" apache2 apache2
require_tool "$SPAWN_FCGI" spawn-fcgi spawn-fcgi
require_tool "$MULTIWATCH" multiwatch multiwatch
require_tool "$CURL" curl curl
require_fcgi
[ -x "$CLIENT" ] || bail_out "'$CLIENT' is not built"
web_init web-slow-post

THREADS=4
SLOW=$((4 * THREADS))
UNKNOWN=prs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
COLL=/communications/presences
# One responder (multiwatch, as README's line) with THREADS threads.
PRESENCE_THREADS=$THREADS
export PRESENCE_THREADS

WEB_LABEL="Apache mod_proxy_fcgi"
web_db
[ -n "$TOKEN" ] || bail_out "no token for the valid client"
web_responders 1 || bail_out "$WEB_LABEL: no responder"
web_apache apache-proxy-fcgi.conf "" || bail_out "$WEB_LABEL: Apache did not start"

i=1
while [ "$i" -le "$SLOW" ]; do
	"$CLIENT" slowpost "$PORT" "$COLL" "$UNKNOWN" 80 100 \
	    >"$T/slow.$i.out" 2>&1 &
	track_pid $!
	i=$((i + 1))
done

# Every slow client has sent its request's head.
slow_sent() {
	for f in "$T"/slow.*.out; do
		grep -q '^sent$' "$f" || return 1
	done
}
wait_for 10 slow_sent || bail_out "the slow clients did not start"
# Their heads have reached Apache; let it pass them on to the responder
# (their bodies take 8 s more).
sleep 1

reply=$("$CURL" -q -s --noproxy '*' --max-time 30 -o "$T/valid.json" \
    -w '%{http_code} %{time_total}' -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' \
    --data-binary '{"availability":"Available","activity":"Valid"}' \
    "$WEB_ORIGIN$COLL")
status=${reply% *}
took=${reply#* }
is "$status" 201 "$WEB_LABEL: a valid create beside $SLOW slow POSTs with an unknown token"
ok "$WEB_LABEL: answered within 1 s (${took} s), $THREADS threads" \
    awk -v t="$took" 'BEGIN { exit !(t < 1) }'

# Each slow client ends within its 8 s and the 10 s it waits for an answer.
slow_done() {
	for f in "$T"/slow.*.out; do
		[ "$(wc -l <"$f")" -ge 2 ] || return 1
	done
}
wait_for 30 slow_done || diag "some slow clients did not finish"
refused=$(cat "$T"/slow.*.out | grep -c '^401$')
is "$refused" "$SLOW" "$WEB_LABEL: every slow POST is refused 401"
[ "$refused" -eq "$SLOW" ] || cat "$T"/slow.*.out | sort | uniq -c |
    while read -r line; do diag "$line"; done

web_stop
done_testing
