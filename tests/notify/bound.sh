#!/bin/sh
# The backlog bound is the database's: presence-fcgi --notify-backlog
# writes it there, and presence-console's import, which has no such
# option, queues under that bound rather than the default.  A responder
# started later with another bound changes it for every process and says
# so in its log.  The receiver is a real HTTP server on 127.0.0.1
# (tests/notify/receiver.js) that fails every POST, so rows stay queued.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/notify/notify.sh"

require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
require_tool "$MDB_STAT" mdb_stat lmdb-utils
require_node
require_fcgi
require_fcgi_console
tap_init notify-bound

A=aaaaaaaa-0000-4000-8000-0000000000a1
CHANGES=400
IMPORTED=649	# with A, the 650 ids a subscription may watch
DB=$T/db
mkdir "$DB" || bail_out "cannot create '$DB'"
need_token "$DB"
recv_start hook || bail_out "the receiver did not start"
fcgi_start --db "$DB" --notify-allow "$NOTIFY_ALLOW" --notify-backlog 2000 ||
    bail_out "presence-fcgi did not start"
presence_create "$A" || { resp_diag; bail_out "cannot create $A"; }

# One subscription watching A and the ids the import creates.
awk -v n="$IMPORTED" 'BEGIN {
	for (i = 1; i <= n; i++)
		printf "{\"id\":\"%08x-0000-4000-8000-000000000000\"," \
		    "\"availability\":\"Busy\",\"activity\":\"InACall\"}\n", i
}' >"$T/import.jsonl"
ids=$(awk -v a="$A" -v n="$IMPORTED" -v q="'" 'BEGIN {
	printf "%s%s%s", q, a, q
	for (i = 1; i <= n; i++)
		printf ",%s%08x-0000-4000-8000-000000000000%s", q, i, q
}')
sub_create "$(recv_url hook)/notify" \
    "communications/presences?\$filter=id in ($ids)" ||
    { resp_diag; bail_out "cannot create the subscription"; }
pass "a subscription watching 650 presences"
recv_control hook '/notify post status 500'

i=0
while [ "$i" -lt "$CHANGES" ]; do
	if [ $((i % 2)) = 0 ]; then
		set_presence "$A" s1 Busy InACall || { resp_diag; break; }
	else
		set_presence "$A" s1 Away Away || { resp_diag; break; }
	fi
	i=$((i + 1))
done
is "$i" "$CHANGES" "$CHANGES changes through the API"
stop_pid "$FCGI_PID"
is "$(outbox_rows "$DB")" "$CHANGES" "all queued, the receiver failing"

"$PRESENCE_CONSOLE" --db "$DB" import "$T/import.jsonl" >"$T/out" 2>"$T/err"
is "$?" 0 "the console imports $IMPORTED watched presences" ||
    diag_file "$T/err"
is "$(outbox_rows "$DB")" $((CHANGES + IMPORTED)) \
    "the import queued past the default 1000 under the database's 2000"

# A responder started with another bound changes it, and logs it.
fcgi_start --db "$DB" --notify-allow "$NOTIFY_ALLOW" --notify-backlog 3000 ||
    bail_out "presence-fcgi did not start again"
ok "the change of bound is logged" \
    grep -q "notify-backlog: the database's bound changes from 2000 to 3000" \
    "$FCGI_ERR"
stop_pid "$FCGI_PID"
done_testing
