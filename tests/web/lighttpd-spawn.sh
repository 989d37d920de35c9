#!/bin/sh
# The API suite through lighttpd spawning presence-fcgi (bin-path): the
# shipped fcgi/conf/lighttpd-spawn.conf mounted at "/" and at "/graph",
# and the development server fcgi/conf/lighttpd.conf (make run's).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/web/web.sh"
. "$top_srcdir/tests/web/suite.sh"

require_tool "$LIGHTTPD" lighttpd lighttpd
require_tool "$CURL" curl curl
require_tool "$HTPASSWD" htpasswd apache2-utils
require_fcgi
web_init web-lighttpd-spawn

for mount in "" /graph; do
	WEB_LABEL="lighttpd spawn ${mount:-/}"
	web_db
	web_lighttpd lighttpd-spawn.conf "$mount" ||
	    bail_out "$WEB_LABEL: lighttpd did not start"
	suite_run "$WEB_LABEL" "$WEB_ORIGIN" "$mount"
	web_stop
done

# make run's configuration takes its settings from the environment.
web_config_dev() {
	WEB_ERRLOG=
}
WEB_LABEL="lighttpd.conf /"
web_db
web_home lighttpd-dev
web_serve dev 'env ${WEB_AUTH_ENV:+PRESENCE_AUTH=$WEB_AUTH_ENV}' \
    'PRESENCE_PORT=$PORT PRESENCE_BIN="$PRESENCE_FCGI"' \
    'PRESENCE_DB="$WEB_DB" PRESENCE_RUNDIR="$WEB_HOME"' \
    '"$LIGHTTPD" -D -f "$WEB_CONF/lighttpd.conf"' ||
    bail_out "$WEB_LABEL: lighttpd did not start"
suite_run "$WEB_LABEL" "$WEB_ORIGIN" ""
web_stop

# --auth remote-user: REMOTE_USER is only the user lighttpd itself signed
# in (mod_auth's auth.require for the mount and an htpasswd file), never
# one a client header names; with the shipped file as it is, none at all.
WEB_LABEL="lighttpd spawn remote-user signed in"
web_db
web_remote_user basic
web_lighttpd lighttpd-spawn.conf /graph ||
    bail_out "$WEB_LABEL: lighttpd did not start"
suite_remote_user_signed "$WEB_LABEL" "$WEB_ORIGIN" /graph
web_stop_server
WEB_LABEL="lighttpd spawn remote-user as shipped"
web_remote_user ""
web_lighttpd lighttpd-spawn.conf /graph ||
    bail_out "$WEB_LABEL: lighttpd did not start"
suite_remote_user_shipped "$WEB_LABEL" "$WEB_ORIGIN" /graph
web_stop
suite_kept "$WEB_LABEL" "$WEB_BOB"

done_testing
