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

# The shipped file starts one responder: killed, lighttpd starts another,
# and requests succeed again within seconds, finding what was written.
WEB_LABEL="lighttpd spawn restart"
web_db
web_lighttpd lighttpd-spawn.conf /graph ||
    bail_out "$WEB_LABEL: lighttpd did not start"
founding_body >"$T/founding.json"
http POST "$WEB_ORIGIN/graph$COLL" -H 'Content-Type: application/json' \
    --data-binary @"$T/founding.json"
is_status 201 "$WEB_LABEL: POST the founding example: 201"
LOCATION=$(resp_header Location)
# The responders lighttpd runs (the server started last may be a shell
# that runs lighttpd).
spawn_responders() {
	for spawn_p in $(children_of "$WEB_SERVER_PID"); do
		case $(cat "/proc/$spawn_p/comm" 2>/dev/null) in
		lighttpd) children_of "$spawn_p" ;;
		*) echo "$spawn_p" ;;
		esac
	done
}
old=$(spawn_responders)
like "$old" '^[0-9]+$' "$WEB_LABEL: lighttpd runs one responder"

# Whether a GET of the presence answers 200 again (lighttpd answers 503
# while no responder runs); counts the answers that did not.
spawn_failed=0
spawn_answers() {
	is_running "$WEB_SERVER_PID" || return 2
	http GET "$LOCATION"
	[ "$HTTP_STATUS" = 200 ] && return 0
	spawn_failed=$((spawn_failed + 1))
	return 1
}
kill -KILL "$old"
if wait_for 10 is_gone "$old"; then
	pass "$WEB_LABEL: the responder is killed"
else
	fail "$WEB_LABEL: the responder is killed"
fi
if wait_for 15 spawn_answers; then
	pass "$WEB_LABEL: requests succeed again"
else
	fail "$WEB_LABEL: requests succeed again" "last status: $HTTP_STATUS"
fi
diag "$spawn_failed requests failed while no responder ran"
is "$(json_str id "$T/resp.body")" "${LOCATION##*/}" \
    "$WEB_LABEL: and find the presence"
new=$(spawn_responders)
like "$new" '^[0-9]+$' "$WEB_LABEL: lighttpd runs one responder again"
unlike "$new" "^$old\$" "$WEB_LABEL: a new one"
web_stop

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
