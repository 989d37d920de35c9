#!/bin/sh
# The API suite through lighttpd connecting to presence-fcgi on a Unix
# socket of its own under multiwatch: the shipped
# fcgi/conf/lighttpd-socket.conf mounted at "/" and at "/graph".
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/web/web.sh"
. "$top_srcdir/tests/web/suite.sh"

require_tool "$LIGHTTPD" lighttpd lighttpd
require_tool "$SPAWN_FCGI" spawn-fcgi spawn-fcgi
require_tool "$MULTIWATCH" multiwatch multiwatch
require_tool "$CURL" curl curl
require_fcgi
web_init web-lighttpd-socket

for mount in "" /graph; do
	WEB_LABEL="lighttpd socket ${mount:-/}"
	web_db
	web_responders 2 || bail_out "$WEB_LABEL: no responders"
	web_lighttpd lighttpd-socket.conf "$mount" ||
	    bail_out "$WEB_LABEL: lighttpd did not start"
	suite_run "$WEB_LABEL" "$WEB_ORIGIN" "$mount"
	web_stop
done

done_testing
