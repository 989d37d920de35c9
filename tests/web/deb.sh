#!/bin/sh
# The Debian package: `make deb` builds it, lintian finds no error in it,
# dpkg -i installs it (both programs and manual pages, the configuration
# files, the systemd units, the system user and the state directory),
# the installed responder answers the founding example through the
# installed lighttpd file included by a private lighttpd on a port of
# this test's own (the system's lighttpd is never touched), and
# dpkg --purge leaves nothing behind.  dpkg -i needs root: without it
# the test skips.  It refuses to run where presence is installed or
# /var/lib/presence exists, so it never touches an operator's data.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/web/web.sh"

[ -z "$PRESENCE_DEB_BUILD" ] ||
    skip_all "inside a Debian package build (it would build one again)"
[ "$(id -u)" -eq 0 ] || skip_all "dpkg -i needs root"
for tool in dpkg-buildpackage:dpkg-dev dh:debhelper lintian:lintian \
    systemd-sysusers:systemd; do
	require_tool "$(command -v "${tool%%:*}")" "${tool%%:*}" "${tool#*:}"
done
require_tool "$LIGHTTPD" lighttpd lighttpd
require_tool "$CURL" curl curl
require_tool "$SPAWN_FCGI" spawn-fcgi spawn-fcgi
: "${MAKE:=make}"

if dpkg-query -W -f='${Status}\n' presence 2>/dev/null | grep -q installed
then
	bail_out "the package presence is installed here: not replacing it"
fi
for d in /var/lib/presence /run/presence; do
	[ ! -e "$d" ] || bail_out "'$d' exists: not touching it"
done
web_init web-deb

DB=/var/lib/presence
SOCKET=/run/presence/fcgi.sock
SNIPPET=/etc/lighttpd/conf-available/50-presence.conf
UNITS=/lib/systemd/system
# Debian keeps a purged package's system user; this test removes the one
# it made.
made_user=
getent passwd presence >/dev/null || made_user=1
made_rundir=
installed=

# Stop what runs, purge the package, then lib.sh's cleanup.
deb_cleanup() {
	deb_rc=$?
	[ -z "$RESPONDER_PID" ] || stop_pid "$RESPONDER_PID"
	[ -z "$WEB_SERVER_PID" ] || stop_pid "$WEB_SERVER_PID"
	[ -z "$installed" ] || dpkg --purge presence >/dev/null 2>&1
	[ -z "$made_rundir" ] || rm -rf /run/presence
	if [ -n "$made_user" ] && getent passwd presence >/dev/null; then
		userdel presence 2>/dev/null
		getent group presence >/dev/null && groupdel presence
	fi
	(exit "$deb_rc")
	tap_cleanup
}
trap deb_cleanup EXIT
RESPONDER_PID=
WEB_SERVER_PID=

# --- build and lint ------------------------------------------------------------
# MAKEFLAGS would hand `make check`'s job server to a make that cannot
# reach it.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "$MAKE" -C "$top_builddir" deb \
    DEB_DIR="$T/deb" >"$T/build.log" 2>&1
is "$?" 0 "make deb builds the package" || { diag_file "$T/build.log" 40;
    tail -n 30 "$T/build.log" | sed -e 's/^/#   /'; }
DEB=$(ls "$T"/deb/presence_*.deb 2>/dev/null | head -n 1)
[ -n "$DEB" ] || bail_out "make deb made no presence_*.deb"

lintian --fail-on error "$DEB" >"$T/lintian.log" 2>&1
is "$?" 0 "lintian: no error" || diag_file "$T/lintian.log"
is "$(grep '^E:' "$T/lintian.log")" "" "lintian: no E: line"

# --- install -------------------------------------------------------------------
installed=1
dpkg -i "$DEB" >"$T/install.log" 2>&1
is "$?" 0 "dpkg -i installs it" || diag_file "$T/install.log"
dpkg -L presence >"$T/files" 2>/dev/null

for f in /usr/bin/presence-fcgi /usr/bin/presence-console \
    /usr/share/man/man8/presence-fcgi.8.gz \
    /usr/share/man/man1/presence-console.1.gz \
    "$SNIPPET" "$UNITS/presence-fcgi.socket" "$UNITS/presence-fcgi.service" \
    /usr/lib/sysusers.d/presence.conf /usr/lib/tmpfiles.d/presence.conf \
    /usr/share/presence/conf/lighttpd-spawn.conf \
    /usr/share/presence/conf/nginx-location.conf \
    /usr/share/doc/presence/copyright /usr/share/doc/presence/README.md.gz; do
	ok "installs $f" test -f "$f"
done
like "$(man -w presence-fcgi 2>&1)" 'man8/presence-fcgi\.8' \
    "man presence-fcgi finds the page"
like "$(/usr/bin/presence-fcgi --version)" '^presence-fcgi ' \
    "the installed presence-fcgi runs"
like "$(/usr/bin/presence-fcgi --help)" "--db PATH" \
    "the installed presence-fcgi has --help"
is "$(grep -l '@PRESENCE_' "$SNIPPET" "$UNITS"/presence-fcgi.*)" "" \
    "no placeholder left in the installed units and lighttpd file"
grep -q "^$SNIPPET\$" /var/lib/dpkg/info/presence.conffiles 2>/dev/null
is "$?" 0 "lighttpd's file is a conffile"
is "$(sed -n 's/^ExecStart=//p' "$UNITS/presence-fcgi.service")" \
    "/usr/bin/presence-fcgi --db $DB" "the service runs the installed program"
is "$(sed -n 's/^ListenStream=//p' "$UNITS/presence-fcgi.socket")" \
    "$SOCKET" "the socket unit listens on $SOCKET"
is "$(sed -n 's/^RestartPreventExitStatus=//p' \
    "$UNITS/presence-fcgi.service")" "2 3" \
    "the service does not restart a bad configuration or damage"
SYSTEMD_ANALYZE=$(web_find "$SYSTEMD_ANALYZE" systemd-analyze)
if [ -n "$SYSTEMD_ANALYZE" ]; then
	timeout 60 "$SYSTEMD_ANALYZE" verify "$UNITS/presence-fcgi.socket" \
	    "$UNITS/presence-fcgi.service" >"$T/verify.log" 2>&1
	is "$?:$(cat "$T/verify.log")" 0: \
	    "systemd-analyze verify: the installed units, no complaint" ||
	    diag_file "$T/verify.log"
fi
is "$(getent passwd presence | cut -d: -f1,7)" presence:/usr/sbin/nologin \
    "the system user presence"
like " $(id -nG www-data) " " presence " \
    "the web server's user is in the group presence"
is "$(stat -c '%F %a %U %G' "$DB" 2>&1)" "directory 2770 presence presence" \
    "the state directory $DB: setgid 2770, presence's"
like "$(ls -l /etc/systemd/system/sockets.target.wants/ 2>/dev/null)" \
    'presence-fcgi\.socket' "presence-fcgi.socket is enabled"

# --- serve the founding example ---------------------------------------------------
# The first token, as README's step 1 issues it.
TOKEN=$(umask 0007; /usr/bin/presence-console --db "$DB" token issue \
    deb-test --scope Presence.ReadWrite.All 2>"$T/token.err")
like "$TOKEN" '^prs_' "the installed presence-console issues a token" ||
    diag_file "$T/token.err"

# Under systemd the socket unit is listening already; elsewhere (CI has no
# systemd) the test does what it would: the socket, mode 0660 of the
# user presence, and the service's ExecStart on it as presence.
if [ ! -S "$SOCKET" ]; then
	install -d -m 0755 /run/presence && made_rundir=1
	RESPONDER_LOG=$T/responder.log
	sh -c 'umask 0007; exec "$@"' sh "$SPAWN_FCGI" -n -s "$SOCKET" \
	    -M 0660 -U presence -G presence -u presence -g presence -- \
	    $(sed -n 's/^ExecStart=//p' "$UNITS/presence-fcgi.service") \
	    </dev/null >"$RESPONDER_LOG" 2>&1 &
	RESPONDER_PID=$!
	track_pid "$RESPONDER_PID"
	responder_up() {
		is_running "$RESPONDER_PID" || return 2
		[ -S "$SOCKET" ]
	}
	wait_for 15 responder_up ||
	    { diag_file "$RESPONDER_LOG"; bail_out "no responder on $SOCKET"; }
fi

# A private lighttpd on a port of its own that includes the installed file.
web_config_deb() {
	{
		echo "server.bind = \"127.0.0.1\""
		echo "server.port = $PORT"
		echo "server.document-root = \"$WEB_HOME/docroot\""
		echo "server.upload-dirs = ( \"$WEB_HOME\" )"
		echo "server.errorlog = \"$WEB_HOME/error.log\""
		echo "include \"$SNIPPET\""
	} >"$WEB_HOME/lighttpd.conf"
	WEB_ERRLOG=$WEB_HOME/error.log
}
web_home deb
web_serve deb '"$LIGHTTPD" -D -f "$WEB_HOME/lighttpd.conf"' ||
    bail_out "lighttpd with the installed file did not start"

founding_body >"$T/founding.json"
code=$("$CURL" -q -s --noproxy '*' --max-time 30 -o "$T/created.json" \
    -D "$T/created.headers" -w '%{http_code}' \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data-binary "@$T/founding.json" \
    "$WEB_ORIGIN/graph/communications/presences")
is "$code" 201 "the founding example through the installed file: 201" || {
	diag_file "$T/created.json"
	web_server_errors
	diag_file "$RESPONDER_LOG"
}
id=$(json_compact <"$T/created.json" | sed -n 's/^.*"id":"\([^"]*\)".*$/\1/p')
like "$(json_compact <"$T/created.json")" "$(presence_ere "$id")" \
    "the founding body's shape, with its id"
location=$(tr -d '\r' <"$T/created.headers" | sed -n 's/^[Ll]ocation: //p')
is "$location" "$WEB_ORIGIN/graph/communications/presences/$id" \
    "Location: the created presence under the mount"
code=$("$CURL" -q -s --noproxy '*' --max-time 30 -o "$T/read.json" \
    -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$location")
is "$code" 200 "it reads back"

stop_pid "$WEB_SERVER_PID"
WEB_SERVER_PID=
if [ -n "$RESPONDER_PID" ]; then
	stop_pid "$RESPONDER_PID"
	RESPONDER_PID=
	rm -rf /run/presence
	made_rundir=
fi

# --- purge -------------------------------------------------------------------------
dpkg --purge presence >"$T/purge.log" 2>&1
is "$?" 0 "dpkg --purge removes it" || diag_file "$T/purge.log"
installed=
is "$(dpkg-query -W -f='${Status}' presence 2>/dev/null)" "" \
    "dpkg knows no presence any more"
left=
while read -r f; do
	[ -d "$f" ] && continue		# directories others share (/usr/bin)
	[ ! -e "$f" ] && [ ! -L "$f" ] || left="$left $f"
done <"$T/files"
for f in "$DB" /etc/systemd/system/sockets.target.wants/presence-fcgi.socket \
    /var/lib/systemd/deb-systemd-helper-enabled/presence-fcgi.socket.dsh-also \
    /etc/lighttpd/conf-available/50-presence.conf /usr/share/presence \
    /usr/share/doc/presence; do
	[ ! -e "$f" ] && [ ! -L "$f" ] || left="$left $f"
done
is "$left" "" "nothing of the package is left (the database included)"
[ "$(wc -l <"$T/files")" -gt 20 ] ||
    fail "dpkg -L listed the package's files" "$(wc -l <"$T/files") lines"

done_testing
