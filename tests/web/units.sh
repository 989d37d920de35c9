#!/bin/sh
# The shipped configuration files: every placeholder is one README
# documents, and the systemd socket and service pair, with README's
# values filled in, passes `systemd-analyze verify` and has the settings
# the deployment relies on (restarts that stop at a bad configuration or
# a damaged database, the state directory).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/web/web.sh"

SYSTEMD_ANALYZE=$(web_find "$SYSTEMD_ANALYZE" systemd-analyze)
require_tool "$SYSTEMD_ANALYZE" systemd-analyze systemd
require_fcgi
tap_init web-units

FILES="lighttpd-spawn.conf lighttpd-socket.conf apache-fcgid.conf
apache-proxy-fcgi.conf nginx-location.conf presence-fcgi.socket
presence-fcgi.service"
KNOWN='^@PRESENCE_(MOUNT|BIN|DB|SOCKET)@$'

for f in $FILES; do
	if [ ! -r "$WEB_CONF/$f" ]; then
		fail "$f is shipped" "no '$WEB_CONF/$f'"
		continue
	fi
	unknown=$(grep -o '@[A-Za-z_]*@' "$WEB_CONF/$f" | sort -u |
	    grep -Ev "$KNOWN" | tr '\n' ' ')
	is "$unknown" "" "$f: only README's placeholders"
done

# README's values, as an operator fills them in.
mkdir "$T/units" || bail_out "cannot create '$T/units'"
WEB_BIN=$PRESENCE_FCGI
WEB_DB=/var/lib/presence
WEB_SOCKET=/run/presence/fcgi.sock
for u in presence-fcgi.socket presence-fcgi.service; do
	web_generate "$u" "" "$T/units/$u" || bail_out "cannot generate $u"
done
# verify also opens each Documentation= page: the shipped one, as
# `make install` puts it.
mkdir -p "$T/man/man8" && cp "$top_srcdir/fcgi/presence-fcgi.8" "$T/man/man8/" ||
    bail_out "cannot lay out the manual page"
(cd "$T/units" && MANPATH=$T/man timeout 60 "$SYSTEMD_ANALYZE" verify \
    ./presence-fcgi.socket ./presence-fcgi.service) >"$T/verify.log" 2>&1
is "$?" 0 "systemd-analyze verify: exit 0"
is "$(cat "$T/verify.log")" "" "systemd-analyze verify: no complaint" ||
    diag_file "$T/verify.log"

# setting UNIT KEY: KEY's value in the installed UNIT, without comments.
setting() {
	sed -n -e "s/^$2=//p" "$T/units/$1" | tail -n 1
}

is "$(setting presence-fcgi.socket ListenStream)" "$WEB_SOCKET" \
    "socket: ListenStream is the socket under /run"
is "$(setting presence-fcgi.socket SocketMode)" 0660 "socket: mode 0660"
is "$(setting presence-fcgi.socket SocketGroup)" presence \
    "socket: the shared group"
S=presence-fcgi.service
is "$(setting $S StandardInput)" socket "service: StandardInput=socket"
is "$(setting $S StandardOutput)" journal \
    "service: stdout to the journal, not the socket"
is "$(setting $S StandardError)" journal "service: stderr to the journal"
is "$(setting $S Restart)" always "service: Restart=always"
is "$(setting $S UMask)" 0007 "service: UMask=0007"
is "$(setting $S Group)" presence "service: the shared group"
is "$(setting $S ExecStart)" "$PRESENCE_FCGI --db $WEB_DB" \
    "service: ExecStart runs presence-fcgi on the database"
is "$(setting $S RestartPreventExitStatus)" "2 3" \
    "service: no restart loop on a bad configuration (2) or damage (3)"
is "$(setting $S StateDirectory)" presence \
    "service: systemd creates /var/lib/presence"
is "$(setting $S StateDirectoryMode)" 2770 \
    "service: the database directory setgid 2770, as README's"
# Nothing says one process serves one request at a time: it has threads.
unlike "$(grep -i 'one request at a time' "$T/units/$S")" . \
    "service: no stale word on concurrency"

done_testing
