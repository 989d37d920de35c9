#!/bin/sh
# The API suite through Apache with mod_proxy_fcgi, presence-fcgi on a
# Unix socket of its own under multiwatch: the shipped
# fcgi/conf/apache-proxy-fcgi.conf mounted at "/" and at "/graph".
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/web/web.sh"
. "$top_srcdir/tests/web/suite.sh"

require_tool "$APACHE2" apache2 apache2
require_tool "$SPAWN_FCGI" spawn-fcgi spawn-fcgi
require_tool "$MULTIWATCH" multiwatch multiwatch
require_tool "$CURL" curl curl
require_tool "$HTPASSWD" htpasswd apache2-utils
require_fcgi
web_init web-apache-proxy-fcgi

for mount in "" /graph; do
	WEB_LABEL="Apache mod_proxy_fcgi ${mount:-/}"
	web_db
	web_responders 2 || bail_out "$WEB_LABEL: no responders"
	web_apache apache-proxy-fcgi.conf "$mount" ||
	    bail_out "$WEB_LABEL: Apache did not start"
	suite_run "$WEB_LABEL" "$WEB_ORIGIN" "$mount"
	web_stop
done

# --auth remote-user: REMOTE_USER is only the user Apache itself signed
# in (a later <Location> of the mount with Basic authentication and an
# htpasswd file), never one a client header names; with the shipped file
# as it is, none at all.
WEB_LABEL="Apache mod_proxy_fcgi remote-user signed in"
web_db
web_remote_user basic
web_responders 2 || bail_out "$WEB_LABEL: no responders"
web_apache apache-proxy-fcgi.conf /graph ||
    bail_out "$WEB_LABEL: Apache did not start"
suite_remote_user_signed "$WEB_LABEL" "$WEB_ORIGIN" /graph
web_stop_server
WEB_LABEL="Apache mod_proxy_fcgi remote-user as shipped"
web_remote_user ""
web_apache apache-proxy-fcgi.conf /graph ||
    bail_out "$WEB_LABEL: Apache did not start"
suite_remote_user_shipped "$WEB_LABEL" "$WEB_ORIGIN" /graph
web_stop
suite_kept "$WEB_LABEL" "$WEB_BOB"

done_testing
