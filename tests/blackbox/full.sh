#!/bin/sh
# A database at its map maximum under a stream of creates: the responder
# logs the condition once, then at most one line every 10 s counting the
# refusals since, instead of one line per refused create.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
require_fcgi
tap_init blackbox-full

DB=$T/db
mkdir "$DB" || bail_out "cannot create the database directory"
# The token goes in with the same map settings: a larger map would stay.
PRESENCE_MAP_SIZE=128K PRESENCE_MAP_MAX=128K
export PRESENCE_MAP_SIZE PRESENCE_MAP_MAX
need_token "$DB"
unset PRESENCE_MAP_SIZE PRESENCE_MAP_MAX
fcgi_start --db "$DB" --map-size 128K --map-max 128K ||
    bail_out "presence-fcgi did not start"
COLL=/communications/presences

# create N: one create of a presence with a long activity.
create() {
	fcgi_request -t application/json -d "{\"availability\":\"Available\",\
\"activity\":\"full-$1-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}" \
	    POST "$COLL"
}

n=0
while [ "$n" -lt 3000 ]; do
	create "$n"
	[ "$RESP_STATUS" = 201 ] || break
	n=$((n + 1))
done
is "$RESP_STATUS" 507 "the map fills after $n creates" || resp_diag
first_rid=$(resp_header request-id)
# A refused create frees nothing, but a shorter one may still fit: count
# the refusals only.
refused=1
tries=0
start=$(date +%s)
while [ "$refused" -lt 100 ] && [ "$tries" -lt 1000 ]; do
	create "more-$tries"
	[ "$RESP_STATUS" = 507 ] && refused=$((refused + 1))
	tries=$((tries + 1))
done
is "$refused" 100 "100 creates are refused"
elapsed=$(($(date +%s) - start))

# full_lines: the log lines about the full database.
full_lines() {
	grep -c 'maximum size' "$FCGI_ERR"
}
lines=$(full_lines)
ok "at most $((2 + elapsed / 10)) log lines for 100 refusals in ${elapsed} s (got $lines)" \
    [ "$lines" -le $((2 + elapsed / 10)) ]
like "$(head -n 1 "$FCGI_ERR")" "cannot create a presence: database has reached its maximum size; writes are refused" \
    "the first refusal is logged in full"
like "$(head -n 1 "$FCGI_ERR")" "^presence-fcgi: \\[request-id $first_rid\\] cannot create" \
    "the line names the refused request's request-id ($first_rid)"

# After 10 s the next refusal logs how many went unlogged.
sleep 11
tries=0
while [ "$tries" -lt 100 ]; do
	create "last-$tries"
	tries=$((tries + 1))
	[ "$RESP_STATUS" = 507 ] && break
done
is "$RESP_STATUS" 507 "a create 11 s later is refused too"
refused=$((refused + 1))
counted=$(sed -n -e 's/^presence-fcgi: \[request-id [0-9a-f-]*\] \([0-9]*\) more writes refused: .*$/\1/p' \
    "$FCGI_ERR" | awk '{ n += $1 } END { print n + 1 }')
is "$counted" "$refused" "the first line and the counts add up to every refusal"
ok "the responder runs on" is_running "$FCGI_PID"
stop_pid "$FCGI_PID"

done_testing
