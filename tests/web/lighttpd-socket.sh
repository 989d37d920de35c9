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
require_tool "$HTPASSWD" htpasswd apache2-utils
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

# --auth remote-user: REMOTE_USER is only the user lighttpd itself signed
# in (mod_auth's auth.require for the mount and an htpasswd file), never
# one a client header names; with the shipped file as it is, none at all.
WEB_LABEL="lighttpd socket remote-user signed in"
web_db
web_remote_user basic
web_responders 2 || bail_out "$WEB_LABEL: no responders"
web_lighttpd lighttpd-socket.conf /graph ||
    bail_out "$WEB_LABEL: lighttpd did not start"
suite_remote_user_signed "$WEB_LABEL" "$WEB_ORIGIN" /graph
web_stop_server
WEB_LABEL="lighttpd socket remote-user as shipped"
web_remote_user ""
web_lighttpd lighttpd-socket.conf /graph ||
    bail_out "$WEB_LABEL: lighttpd did not start"
suite_remote_user_shipped "$WEB_LABEL" "$WEB_ORIGIN" /graph
web_stop
suite_kept "$WEB_LABEL" "$WEB_BOB"

done_testing
