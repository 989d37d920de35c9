#!/bin/sh
# lock.mdb removed or replaced under a running responder: the next write
# is never acknowledged (503, and the responder exits so that a fresh one
# takes over), and every write acknowledged before is still there.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
require_fcgi
tap_init blackbox-lockfile

DB=$T/db
mkdir "$DB" || bail_out "cannot create the database directory"
need_token "$DB"
COLL=/communications/presences

# create N: one create; appends its id to $T/acked when answered 201.
create() {
	fcgi_request -t application/json \
	    -d "{\"availability\":\"Available\",\"activity\":\"lock-$1\"}" \
	    POST "$COLL"
	[ "$RESP_STATUS" = 201 ] && json_str id "$T/resp.body" >>"$T/acked"
}

# lost_lock HOW: with a fresh responder, create ten presences, do HOW to
# lock.mdb, then one more create must not be acknowledged.
lost_lock() {
	fcgi_start --db "$DB" --threads 4 || bail_out "presence-fcgi did not start"
	n=0
	while [ "$n" -lt 10 ]; do
		create "$n" || fail "create $n before: 201" "$RESP_STATUS"
		n=$((n + 1))
	done
	case $1 in
	removed)	rm -f "$DB/lock.mdb" ;;
	replaced)	cp "$DB/lock.mdb" "$DB/lock.new" &&
			    mv "$DB/lock.new" "$DB/lock.mdb" ;;
	esac
	create after
	is "$RESP_STATUS" 503 "lock.mdb $1: the next create answers 503"
	if wait_exit "$FCGI_PID" 10; then
		is "$tap_status" 1 "lock.mdb $1: the responder exits with status 1"
	else
		fail "lock.mdb $1: the responder exits with status 1" \
		    "it is still running"
		stop_pid "$FCGI_PID"
	fi
	like "$(cat "$FCGI_ERR")" \
	    "lock.mdb was removed or replaced.*never delete lock.mdb" \
	    "lock.mdb $1: the log says why"
}

: >"$T/acked"
lost_lock removed
lost_lock replaced

# A fresh responder serves every acknowledged create.
fcgi_start --db "$DB" || bail_out "presence-fcgi did not start again"
missing=0
while read -r id; do
	fcgi_request GET "$COLL/$id"
	[ "$RESP_STATUS" = 200 ] || missing=$((missing + 1))
done <"$T/acked"
is "$missing" 0 "all $(wc -l <"$T/acked" | tr -d ' ') acknowledged creates read back"
create fresh
is "$RESP_STATUS" 201 "a fresh responder creates again"
stop_pid "$FCGI_PID"

done_testing
