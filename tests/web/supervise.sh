#!/bin/sh
# Supervision as README documents it: spawn-fcgi binds the socket and
# becomes multiwatch, which keeps presence-fcgi running on it behind
# lighttpd (fcgi/conf/lighttpd-socket.conf).  A worker killed with
# SIGKILL is replaced, and the request that follows succeeds; SIGTERM
# stops the lot.  The socket and the database files get README's modes.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/web/web.sh"
. "$top_srcdir/tests/web/suite.sh"

require_tool "$LIGHTTPD" lighttpd lighttpd
require_tool "$SPAWN_FCGI" spawn-fcgi spawn-fcgi
require_tool "$MULTIWATCH" multiwatch multiwatch
require_tool "$CURL" curl curl
require_fcgi
web_init web-supervise
WEB_LABEL="multiwatch"

web_db
# One worker: while it is down nothing else can answer, so the request
# after a kill succeeds only once multiwatch has started another.
web_responders 1 || bail_out "no responders"
web_lighttpd lighttpd-socket.conf "" || bail_out "lighttpd did not start"

is "$(stat -c %a "$WEB_SOCKET")" 660 "the socket is mode 0660"
if [ -n "$WEB_GROUP" ]; then
	is "$(stat -c %G "$WEB_SOCKET")" "$WEB_GROUP" \
	    "the socket belongs to the web server's group"
fi

founding_body >"$T/founding.json"
http POST "$WEB_ORIGIN$COLL" -H 'Content-Type: application/json' \
    --data-binary @"$T/founding.json"
is_status 201 "POST the founding example: 201"
LOCATION=$(resp_header Location)

for f in "$WEB_DB/data.mdb" "$WEB_DB/lock.mdb"; do
	is "$(stat -c %a "$f")" 660 "${f##*/} is mode 0660 (umask 0007)"
done

# Whether multiwatch runs a worker other than the PIDs given.
replaced() {
	is_running "$WEB_WATCH_PID" || return 2
	web_new=$(web_workers)
	[ -n "$web_new" ] || return 1
	for old in "$@"; do
		[ "$web_new" != "$old" ] || return 1
	done
}

seen=
for round in 1 2; do
	old=$(web_workers)
	like "$old" '^[0-9]+$' "round $round: multiwatch runs one worker"
	seen="$seen $old"
	kill -KILL "$old"
	if wait_for 10 is_gone "$old"; then
		pass "round $round: the worker is killed"
	else
		fail "round $round: the worker is killed"
	fi
	http GET "$LOCATION"
	is_status 200 "round $round: the next request succeeds"
	is "$(json_str id "$T/resp.body")" "${LOCATION##*/}" \
	    "round $round: and finds the presence"
	if wait_for 10 replaced $seen; then
		pass "round $round: multiwatch started another worker"
	else
		fail "round $round: multiwatch started another worker" \
		    "workers now: $(web_workers | tr '\n' ' ')"
		diag_file "$WEB_RESPONDER_LOG"
	fi
done

# SIGTERM: multiwatch passes it on (-s TERM), the worker finishes and
# exits, and multiwatch follows without restarting it.
worker=$(web_workers)
kill -TERM "$WEB_WATCH_PID"
if wait_exit "$WEB_WATCH_PID" 10; then
	is "$tap_status" 0 "multiwatch exits 0 on SIGTERM"
else
	fail "multiwatch exits 0 on SIGTERM" "still running"
fi
if [ -n "$worker" ] && wait_for 10 is_gone "$worker"; then
	pass "the worker stops with multiwatch"
else
	fail "the worker stops with multiwatch" "pid '$worker'"
fi
WEB_WATCH_PID=
web_stop

done_testing
