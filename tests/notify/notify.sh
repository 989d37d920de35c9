# Shell helpers for the change-notification tests, sourced after
# tests/lib.sh (and after tap_init): the receiver (tests/notify/receiver.js
# on Node.js) started, steered and read, and subscriptions made through
# presence-fcgi.  Each receiver has a NAME; its files are $T/recv.NAME.*
# (port, log, ctl) and its base URL is printed by recv_url NAME.
#
#	recv_start hook || bail_out "..."
#	recv_control hook '/notify post status 500'
#	sub_create "$(recv_url hook)/notify" "communications/presences/$ID"
#	wait_for 10 recv_has hook "$ID" 1

RECEIVER=$top_srcdir/tests/notify/receiver.js

# require_node: skip all unless Node.js runs (the receiver needs it).
require_node() {
	[ -n "$NODE" ] || NODE=$(command -v node || command -v nodejs)
	require_tool "$NODE" node nodejs
}

# recv_start NAME [PORT]: start a receiver and wait until it listens; sets
# RECV_PID.  The same NAME may be started again (its log goes on).
recv_start() {
	rm -f "$T/recv.$1.port"
	"$NODE" "$RECEIVER" serve --port-file "$T/recv.$1.port" \
	    --log "$T/recv.$1.log" --control "$T/recv.$1.ctl" \
	    --port "${2:-0}" </dev/null >"$T/recv.$1.out" 2>&1 &
	RECV_PID=$!
	track_pid "$RECV_PID"
	echo "$RECV_PID" >"$T/recv.$1.pid"
	touch "$T/recv.$1.log"
	if ! wait_for 10 recv_listening "$1"; then
		diag "the receiver $1 did not start:"
		diag_file "$T/recv.$1.out"
		return 1
	fi
}

# Whether receiver NAME wrote its port and lives.
recv_listening() {
	is_running "$(cat "$T/recv.$1.pid")" || return 2
	[ -s "$T/recv.$1.port" ]
}

# recv_stop NAME [SIGNAL]: stop receiver NAME (its port stays reserved in
# $T/recv.NAME.port, so recv_start NAME PORT can bring it back there).
recv_stop() {
	stop_pid "$(cat "$T/recv.$1.pid")" "${2:-TERM}"
}

# recv_port NAME and recv_url NAME: where receiver NAME listens.
recv_port() {
	tr -d '\n' <"$T/recv.$1.port"
}

recv_url() {
	printf 'http://127.0.0.1:%s' "$(recv_port "$1")"
}

# recv_control NAME [LINE...]: replace receiver NAME's control lines
# (none: behave).  Written whole, so a request sees the old or the new.
recv_control() {
	rc_name=$1
	shift
	printf '%s\n' "$@" >"$T/recv.$rc_name.ctl.tmp"
	mv "$T/recv.$rc_name.ctl.tmp" "$T/recv.$rc_name.ctl"
}

# recv_items NAME: the notification items receiver NAME acknowledged, one a
# line: "<ms> <path> <subscriptionId> <presence id|-> <lifecycleEvent|->".
recv_items() {
	"$NODE" "$RECEIVER" items "$T/recv.$1.log"
}

# recv_count NAME: "<presence id> <items>" for every presence notified.
recv_count() {
	"$NODE" "$RECEIVER" count "$T/recv.$1.log"
}

# recv_has NAME ID N: whether receiver NAME acknowledged at least N items
# about presence ID.
recv_has() {
	rh_n=$(recv_count "$1" | awk -v id="$2" '$1 == id { print $2 }')
	[ "${rh_n:-0}" -ge "$3" ]
}

# recv_lifecycle NAME EVENT [N]: whether receiver NAME acknowledged at
# least N (1) lifecycle items of EVENT.
recv_lifecycle() {
	rl_n=$(recv_items "$1" | awk -v ev="$2" '$5 == ev { n++ } END { print n + 0 }')
	[ "$rl_n" -ge "${3:-1}" ]
}

# recv_requests NAME KIND: how many requests of KIND (handshake or post)
# receiver NAME has recorded, answered or not.
recv_requests() {
	grep -c "^{\"t\":[0-9]*,\"kind\":\"$2\"" "$T/recv.$1.log"
}

# iso_in SECONDS: a UTC time SECONDS from now (the machine's clock), in
# the form expirationDateTime takes.
iso_in() {
	date -u -d "@$(($(date +%s) + $1))" +%Y-%m-%dT%H:%M:%SZ
}

# sub_create URL RESOURCE [LIFECYCLE_URL [SECONDS]]: POST /subscriptions
# through fcgi_request (clientState "notify-test", SECONDS of lifetime,
# 3000 by default); sets SUB_ID on 201 and returns 1 otherwise.
sub_create() {
	sc_body='{"changeType":"updated","notificationUrl":"'"$1"'","resource":"'"$2"'","expirationDateTime":"'"$(iso_in "${4:-3000}")"'","clientState":"notify-test"'
	[ -z "$3" ] || sc_body="$sc_body"',"lifecycleNotificationUrl":"'"$3"'"'
	fcgi_request -t application/json -d "$sc_body}" POST /subscriptions
	SUB_ID=
	[ "$RESP_STATUS" = 201 ] || return 1
	SUB_ID=$(json_str id "$T/resp.body")
}

# set_presence ID SESSION AVAILABILITY ACTIVITY [DURATION]: setPresence
# through fcgi_request; 0 when it was acknowledged (200).
set_presence() {
	fcgi_request -t application/json -d '{"sessionId":"'"$2"'","availability":"'"$3"'","activity":"'"$4"'"'"${5:+,\"expirationDuration\":\"$5\"}"'}' \
	    POST "/communications/presences/$1/setPresence"
	[ "$RESP_STATUS" = 200 ]
}

# presence_create ID: create the presence ID (Available); 0 on 201.
presence_create() {
	fcgi_request -t application/json -d '{"id":"'"$1"'","availability":"Available","activity":"Available"}' \
	    POST /communications/presences
	[ "$RESP_STATUS" = 201 ]
}

# outbox_rows DB: the notifications waiting in the database DB, as mdb_stat
# counts the outbox's rows (read-only, beside the running responders).
outbox_rows() {
	"$MDB_STAT" -s outbox "$1" 2>/dev/null |
	    sed -n -e 's/^ *Entries: *//p'
}

# NOTIFY_ALLOW: the destinations every notification test allows (its
# receivers listen on 127.0.0.1 over http).
NOTIFY_ALLOW=http://127.0.0.1

# lock_holders DB: the PIDs holding a lock on DB/notify.lock (the active
# deliverer), one a line, from /proc/locks.
lock_holders() {
	lh_ino=$(stat -c %i "$1/notify.lock" 2>/dev/null) || return 0
	awk -v ino="$lh_ino" '{
		for (i = 1; i <= NF; i++)
			if ($i ~ /^[0-9a-f]+:[0-9a-f]+:[0-9]+$/) {
				n = split($i, f, ":")
				if (f[n] == ino && $(i - 1) ~ /^[0-9]+$/)
					print $(i - 1)
			}
	}' /proc/locks | sort -u
}
