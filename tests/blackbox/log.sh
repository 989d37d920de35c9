#!/bin/sh
# The responder's log: a line written while serving a request names the
# request-id its response carried, so a client's report can be found; when
# JOURNAL_STREAM names stderr (systemd's journal), each line starts with its
# priority, "<N>", and otherwise lines are plain.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
require_fcgi
tap_init blackbox-log

# The test itself may run under the journal: start from no JOURNAL_STREAM.
unset JOURNAL_STREAM
COLL=/communications/presences

# create: one create; sets RID to the response's request-id header.
create() {
	fcgi_request -t application/json \
	    -d '{"availability":"Available","activity":"Available"}' \
	    POST "$COLL"
	RID=$(resp_header request-id)
}

# serve CASE STREAM: with JOURNAL_STREAM set to STREAM (none: unset; self:
# the dev:inode of the responder's own stderr), start a responder without
# authentication on a fresh database, create a presence (logged as a
# warning), lose lock.mdb and create again (refused, logged as an error).
# Sets OK_RID and FAIL_RID to the two responses' request-ids.
serve() {
	DB=$T/db-$1
	mkdir "$DB" || bail_out "cannot create the database directory"
	next_err=$T/fcgi.$((fcgi_n + 1)).err
	: >"$next_err" || bail_out "cannot create $next_err"
	case $2 in
	none)	unset JOURNAL_STREAM ;;
	self)	JOURNAL_STREAM=$(stat -c '%d:%i' "$next_err") ||
		    bail_out "cannot stat $next_err"
		export JOURNAL_STREAM ;;
	*)	JOURNAL_STREAM=$2; export JOURNAL_STREAM ;;
	esac
	fcgi_start --db "$DB" --auth none || bail_out "presence-fcgi did not start"
	unset JOURNAL_STREAM
	[ "$FCGI_ERR" = "$next_err" ] || bail_out "stderr is not $next_err"
	create
	is "$RESP_STATUS" 201 "$1: a create answers 201" || resp_diag
	OK_RID=$RID
	rm -f "$DB/lock.mdb"
	create
	is "$RESP_STATUS" 503 "$1: a create without lock.mdb answers 503" ||
	    resp_diag
	FAIL_RID=$RID
	ok "$1: both responses carry a request-id" \
	    [ -n "$OK_RID" ] && [ -n "$FAIL_RID" ] && [ "$OK_RID" != "$FAIL_RID" ]
	wait_exit "$FCGI_PID" 10 || stop_pid "$FCGI_PID"
}

# has CASE WHAT ERE: some log line matches ERE (grep -E).
has() {
	if grep -Eq -e "$3" "$FCGI_ERR"; then
		pass "$1: $2"
	else
		fail "$1: $2" "no line matches $3"
		diag_file "$FCGI_ERR"
	fi
}

# Plain stderr: no priorities, request-ids on the request's lines.
serve plain none
has plain "the failure names the failed request's request-id" \
    "^presence-fcgi: \\[request-id $FAIL_RID\\] cannot create a presence: .*never delete lock.mdb"
has plain "the unchecked create names its request-id" \
    "^presence-fcgi: \\[request-id $OK_RID\\] warning: created presence '[0-9a-f-]*' with authentication off"
has plain "start-up lines name no request" \
    "^presence-fcgi: warning: authentication is off"
is "$(grep -cv '^presence-fcgi: ' "$FCGI_ERR")" 0 \
    "plain: every line starts with 'presence-fcgi: '"

# stderr is the journal: each line starts with its priority.
serve journal self
has journal "an error is priority 3, with its request-id" \
    "^<3>presence-fcgi: \\[request-id $FAIL_RID\\] cannot create a presence: "
has journal "a warning about a request is priority 4, with its request-id" \
    "^<4>presence-fcgi: \\[request-id $OK_RID\\] warning: created presence "
has journal "the start-up warning is priority 4" \
    "^<4>presence-fcgi: warning: authentication is off"
has journal "a new database is news, priority 6" \
    "^<6>presence-fcgi: created a new, empty database in "
is "$(grep -cv '^<[346]>presence-fcgi: ' "$FCGI_ERR")" 0 \
    "journal: every line starts with a priority"

# JOURNAL_STREAM naming another file (stderr redirected under a service)
# or nothing readable: lines stay plain.
: >"$T/other" || bail_out "cannot create $T/other"
for stream in "$(stat -c '%d:%i' "$T/other")" garbage 1:x; do
	serve "other-$stream" "$stream"
	has "other-$stream" "the failure is logged" \
	    "^presence-fcgi: \\[request-id $FAIL_RID\\] cannot create a presence: "
	is "$(grep -cv '^presence-fcgi: ' "$FCGI_ERR")" 0 \
	    "other-$stream: no line carries a priority"
done

done_testing
