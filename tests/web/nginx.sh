#!/bin/sh
# The API suite through nginx, presence-fcgi on a Unix socket of its own
# under multiwatch: the shipped fcgi/conf/nginx-location.conf mounted at
# "/" and at "/graph".
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/web/web.sh"
. "$top_srcdir/tests/web/suite.sh"

require_tool "$NGINX" nginx nginx-light
require_tool "$SPAWN_FCGI" spawn-fcgi spawn-fcgi
require_tool "$MULTIWATCH" multiwatch multiwatch
require_tool "$CURL" curl curl
require_fcgi
web_init web-nginx

for mount in "" /graph; do
	WEB_LABEL="nginx ${mount:-/}"
	web_db
	web_responders 2 || bail_out "$WEB_LABEL: no responders"
	web_nginx "$mount" || bail_out "$WEB_LABEL: nginx did not start"
	suite_run "$WEB_LABEL" "$WEB_ORIGIN" "$mount"
	web_stop
done

# --auth remote-user: REMOTE_USER is only the user nginx itself signed
# in, by the snippet's auth_request check or its auth_basic password
# file, never one a client header names; as shipped, none at all.
WEB_LABEL="nginx remote-user auth_request"
web_db
web_remote_user sso
web_responders 2 || bail_out "$WEB_LABEL: no responders"
web_nginx /graph || bail_out "$WEB_LABEL: nginx did not start"
suite_remote_user_signed "$WEB_LABEL" "$WEB_ORIGIN" /graph
web_stop_server
WEB_LABEL="nginx remote-user as shipped"
web_remote_user ""
web_nginx /graph || bail_out "$WEB_LABEL: nginx did not start"
suite_remote_user_shipped "$WEB_LABEL" "$WEB_ORIGIN" /graph
web_stop
suite_kept "$WEB_LABEL" "$WEB_BOB"

WEB_LABEL="nginx remote-user auth_basic"
web_db
web_remote_user basic
web_responders 2 || bail_out "$WEB_LABEL: no responders"
web_nginx /graph || bail_out "$WEB_LABEL: nginx did not start"
suite_remote_user_signed "$WEB_LABEL" "$WEB_ORIGIN" /graph
web_stop

done_testing
