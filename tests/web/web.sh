# Helpers of the web-server tests (POSIX sh), sourced after tests/lib.sh.
#
# Each deployment's configuration is generated in the test's directories
# from the shipped file in fcgi/conf/, by the same placeholder
# substitution README's Deployment section gives operators.  The servers
# (lighttpd, Apache, nginx) and the supervised responders (spawn-fcgi and
# multiwatch) run as the invoking user on a free 127.0.0.1 port, and are
# stopped by PID.  Apache refuses to serve as root: under root its
# children run as nobody, and what they reach (socket, database,
# program) belongs to the group nogroup, as README's shared group would.
# tests/web/suite.sh holds the API suite every deployment runs.

# A program: from configure when it found one, else PATH and /usr/sbin.
web_find() {
	if [ -n "$1" ]; then
		printf '%s\n' "$1"
		return 0
	fi
	(PATH=$PATH:/usr/sbin:/sbin; command -v "$2") 2>/dev/null
}

APACHE2=$(web_find "$APACHE2" apache2)
NGINX=$(web_find "$NGINX" nginx)
MULTIWATCH=$(web_find "$MULTIWATCH" multiwatch)
SPAWN_FCGI=$(web_find "$SPAWN_FCGI" spawn-fcgi)
LIGHTTPD=$(web_find "$LIGHTTPD" lighttpd)
CURL=$(web_find "$CURL" curl)
HTPASSWD=$(web_find "$HTPASSWD" htpasswd)
# Debian's module files, which a2enmod links: one LoadModule line each.
: "${APACHE_MODS:=/etc/apache2/mods-available}"

WEB_CONF=$top_srcdir/fcgi/conf
WEB_N=0
TOKEN=
# Set by web_remote_user: the responders' remote-user scopes, and how the
# server signs callers in (empty: as the shipped file is, not at all).
WEB_RU_SCOPES=
WEB_LOGIN=

# Start the test: temporary directories, the shared group under root,
# and a umask that keeps the database's files 0660 (README).  Sets
# WEB_GROUP (empty unless root) and WEB_DIR, a directory the servers'
# users can reach, for sockets, databases and the servers' own files.
web_init() {
	tap_init "$1"
	umask 0007
	WEB_GROUP=
	if [ "$(id -u)" -eq 0 ]; then
		WEB_GROUP=nogroup
		getent group "$WEB_GROUP" >/dev/null ||
		    bail_out "no group '$WEB_GROUP' for the servers' users"
		# The build tree may sit where nobody cannot go (/root).
		if [ "$SOCKDIR" = "$T" ]; then
			SOCKDIR=$(mktemp -d "${TMPDIR:-/tmp}/presence.XXXXXX") ||
			    bail_out "cannot create a socket directory"
		fi
		chgrp "$WEB_GROUP" "$SOCKDIR" && chmod 2770 "$SOCKDIR" ||
		    bail_out "cannot give '$SOCKDIR' to the group $WEB_GROUP"
	fi
	WEB_DIR=$SOCKDIR
	[ -z "$PRESENCE_KEEP_TMP" ] || [ "$WEB_DIR" = "$T" ] ||
	    diag "servers' files, sockets and databases in $WEB_DIR"
	WEB_HAS_AUTH=
	"$PRESENCE_FCGI" --help 2>/dev/null | grep -q -e '--auth' &&
	    WEB_HAS_AUTH=1
}

# web_db: a fresh database directory WEB_DB (setgid 2770, README's
# layout) and a token for it in TOKEN, issued by tests/lib.sh's
# test_token.  Without a token the responders run with authentication
# off (WEB_AUTH_ENV), if they have such a switch.
web_db() {
	WEB_N=$((WEB_N + 1))
	WEB_DB=$WEB_DIR/db.$WEB_N
	mkdir "$WEB_DB" && chmod 2770 "$WEB_DB" ||
	    bail_out "cannot create '$WEB_DB'"
	TOKEN=
	if command -v test_token >/dev/null 2>&1; then
		TOKEN=$(test_token "$WEB_DB" Presence.ReadWrite.All)
		# Once the responders check tokens, the suite needs one.
		[ -z "$WEB_HAS_AUTH" ] || like "$TOKEN" '^prs_' \
		    "$WEB_LABEL: presence-console issues the suite's token"
	fi
	WEB_AUTH_ENV=
	if [ -z "$TOKEN" ] && [ -n "$WEB_HAS_AUTH" ]; then
		WEB_AUTH_ENV=none
	fi
}

# web_generate FILE MOUNT OUT: fcgi/conf/FILE with its placeholders
# replaced, as README tells operators; fails when one is left.
web_generate() {
	sed -e "s|@PRESENCE_MOUNT@|$2|g" \
	    -e "s|@PRESENCE_BIN@|$WEB_BIN|g" \
	    -e "s|@PRESENCE_DB@|$WEB_DB|g" \
	    -e "s|@PRESENCE_SOCKET@|$WEB_SOCKET|g" \
	    "$WEB_CONF/$1" >"$3" || return 1
	if grep -n '@[A-Z_]*@' "$3" >"$T/left.txt"; then
		diag "placeholders left in '$3':"
		diag_file "$T/left.txt"
		return 1
	fi
}

# Whether something answers HTTP on 127.0.0.1:$PORT while the server
# started last lives.
web_answers() {
	is_running "$WEB_SERVER_PID" || return 2
	web_code=$("$CURL" -q -s --noproxy '*' --max-time 2 -o /dev/null \
	    -w '%{http_code}' "http://127.0.0.1:$PORT/" 2>/dev/null)
	[ -n "$web_code" ] && [ "$web_code" != 000 ]
}

# web_serve NAME COMMAND...: run a server in the foreground (in this
# test's background) on a free port, trying another port if it does not
# come up.  COMMAND's words may use $PORT: they are evaluated with the
# port set, and web_config_NAME writes the configuration for it first.
# Sets WEB_SERVER_PID, PORT and WEB_ORIGIN.
web_serve() {
	web_name=$1
	shift
	web_tries=5
	while [ "$web_tries" -gt 0 ]; do
		PORT=$(free_port) || bail_out "no free port on 127.0.0.1"
		WEB_LOG=$WEB_HOME/server.log
		"web_config_$web_name" || return 1
		eval "$*" </dev/null >"$WEB_LOG" 2>&1 &
		WEB_SERVER_PID=$!
		track_pid "$WEB_SERVER_PID"
		if wait_for 15 web_answers; then
			WEB_ORIGIN=http://127.0.0.1:$PORT
			return 0
		fi
		diag "$web_name on port $PORT did not come up:"
		diag_file "$WEB_LOG"
		web_server_errors
		stop_pid "$WEB_SERVER_PID"
		web_tries=$((web_tries - 1))
	done
	return 1
}

# Show the server's own error log, if it keeps one apart.
web_server_errors() {
	[ -z "$WEB_ERRLOG" ] || diag_file "$WEB_ERRLOG" 30
}

# web_home NAME: a fresh directory for one server's files (a server
# started again on the same database gets another).
web_home() {
	WEB_HOME=$WEB_DIR/$1.$WEB_N
	web_again=1
	while [ -e "$WEB_HOME" ]; do
		web_again=$((web_again + 1))
		WEB_HOME=$WEB_DIR/$1.$WEB_N.$web_again
	done
	mkdir "$WEB_HOME" "$WEB_HOME/docroot" ||
	    bail_out "cannot create '$WEB_HOME'"
	WEB_ERRLOG=
}

# --- responders on a socket of their own, under multiwatch ----------------

# web_responders WORKERS: spawn-fcgi binds WEB_SOCKET (mode 0660, group
# WEB_GROUP under root) and becomes multiwatch, which keeps WORKERS
# presence-fcgi running on it, restarting any that dies: README's
# command line.  WEB_RESPONDER_ENV: more NAME=value words for them.  Sets WEB_WATCH_PID and WEB_RESPONDER_LOG.
web_responders() {
	WEB_SOCKET=$WEB_DIR/fcgi.$WEB_N.sock
	WEB_WORKERS=$1
	WEB_RESPONDER_LOG=$T/responders.$WEB_N.log
	set -- -n -s "$WEB_SOCKET" -M 0660
	[ -z "$WEB_GROUP" ] || set -- "$@" -G "$WEB_GROUP"
	env ${WEB_AUTH_ENV:+PRESENCE_AUTH=$WEB_AUTH_ENV} \
	    ${WEB_RU_SCOPES:+PRESENCE_REMOTE_USER_SCOPES=$WEB_RU_SCOPES} \
	    $WEB_RESPONDER_ENV \
	    "$SPAWN_FCGI" "$@" -- "$MULTIWATCH" -f "$WEB_WORKERS" -s TERM -- \
	    "$PRESENCE_FCGI" --db "$WEB_DB" \
	    </dev/null >"$WEB_RESPONDER_LOG" 2>&1 &
	WEB_WATCH_PID=$!
	track_pid "$WEB_WATCH_PID"
	if ! wait_for 10 web_responders_up; then
		diag "the supervised responders did not start:"
		diag_file "$WEB_RESPONDER_LOG"
		return 1
	fi
}

# The responders multiwatch runs now, one PID a line.
web_workers() {
	children_of "$WEB_WATCH_PID"
}

# Whether the socket is there and multiwatch runs all its workers.
web_responders_up() {
	is_running "$WEB_WATCH_PID" || return 2
	[ -S "$WEB_SOCKET" ] || return 1
	[ "$(web_workers | wc -l)" -eq "$WEB_WORKERS" ]
}

# --- the servers ------------------------------------------------------------

# lighttpd with a generated lighttpd.conf that includes the shipped
# snippet.  Runs as the invoking user (no server.username).  With
# WEB_LOGIN=basic, mod_auth asks every request under the mount for a
# user of web_users' password file, as the snippet tells operators.
web_config_lighttpd() {
	{
		cat <<EOF
server.bind = "127.0.0.1"
server.port = $PORT
server.document-root = "$WEB_HOME/docroot"
server.upload-dirs = ( "$WEB_HOME" )
server.errorlog = "$WEB_HOME/error.log"
EOF
		[ "$WEB_LOGIN" != basic ] || cat <<EOF
server.modules += ( "mod_auth", "mod_authn_file" )
auth.backend = "htpasswd"
auth.backend.htpasswd.userfile = "$WEB_HOME/users.htpasswd"
auth.require = ( "$WEB_MOUNT/" => (
	"method" => "basic", "realm" => "presence", "require" => "valid-user"
) )
EOF
		echo "include \"$WEB_HOME/presence.conf\""
	} >"$WEB_HOME/lighttpd.conf"
	WEB_ERRLOG=$WEB_HOME/error.log
}

# web_lighttpd FILE MOUNT: lighttpd with fcgi/conf/FILE mounted at MOUNT
# (lighttpd-spawn.conf spawns the responders; lighttpd-socket.conf needs
# web_responders first).
web_lighttpd() {
	web_home lighttpd
	WEB_BIN=$PRESENCE_FCGI
	WEB_MOUNT=$2
	[ -z "$WEB_LOGIN" ] || web_users
	[ -n "$WEB_SOCKET" ] || WEB_SOCKET=$WEB_HOME/fcgi.sock
	web_generate "$1" "$2" "$WEB_HOME/presence.conf" || return 1
	PORT=8080
	web_config_lighttpd
	"$LIGHTTPD" -tt -f "$WEB_HOME/lighttpd.conf" >"$T/configtest.log" 2>&1
	is "$?" 0 "$WEB_LABEL: lighttpd -tt accepts the configuration" || {
		diag_file "$T/configtest.log"
		return 1
	}
	# Responders lighttpd spawns inherit its environment.
	web_serve lighttpd 'env ${WEB_AUTH_ENV:+PRESENCE_AUTH=$WEB_AUTH_ENV}' \
	    '${WEB_RU_SCOPES:+PRESENCE_REMOTE_USER_SCOPES=$WEB_RU_SCOPES}' \
	    '"$LIGHTTPD" -D -f "$WEB_HOME/lighttpd.conf"'
}

# Apache (apache2 -DFOREGROUND) with a generated httpd.conf: Debian's
# module files, everything in WEB_HOME, and the shipped snippet.  Under
# root its children run as nobody:nogroup (Apache will not serve as
# root); otherwise as the invoking user.  With WEB_LOGIN=basic a later
# <Location> of the mount asks every request for a user of web_users'
# password file, as the snippet tells operators.
web_config_apache() {
	{
		echo "ServerRoot \"$WEB_HOME\""
		echo "DefaultRuntimeDir \"$WEB_HOME\""
		echo "PidFile \"$WEB_HOME/httpd.pid\""
		echo "ErrorLog \"$WEB_HOME/error.log\""
		echo "LogLevel warn"
		echo "Listen 127.0.0.1:$PORT"
		echo "ServerName 127.0.0.1"
		for web_mod in mpm_event authz_core alias $WEB_APACHE_MODS; do
			echo "Include \"$APACHE_MODS/$web_mod.load\""
		done
		echo "StartServers 1"
		if [ -n "$WEB_GROUP" ]; then
			echo "User nobody"
			echo "Group $WEB_GROUP"
		fi
		# As Debian's apache2.conf: nothing is served unless granted.
		echo "<Directory />"
		echo "	AllowOverride None"
		echo "	Require all denied"
		echo "</Directory>"
		echo "DocumentRoot \"$WEB_HOME/docroot\""
		echo "<Directory \"$WEB_HOME/docroot\">"
		echo "	Require all granted"
		echo "</Directory>"
		case " $WEB_APACHE_MODS " in
		*" fcgid "*)
			echo "FcgidIPCDir \"$WEB_HOME/fcgid\""
			echo "FcgidProcessTableFile \"$WEB_HOME/fcgid.shm\""
			[ -z "$WEB_AUTH_ENV" ] ||
			    echo "FcgidInitialEnv PRESENCE_AUTH $WEB_AUTH_ENV"
			[ -z "$WEB_RU_SCOPES" ] || echo "FcgidInitialEnv" \
			    "PRESENCE_REMOTE_USER_SCOPES $WEB_RU_SCOPES"
			;;
		esac
		echo "Include \"$WEB_HOME/presence.conf\""
		if [ "$WEB_LOGIN" = basic ]; then
			echo "<Location \"$WEB_MOUNT/\">"
			echo "	AuthType Basic"
			echo "	AuthName \"presence\""
			echo "	AuthBasicProvider file"
			echo "	AuthUserFile \"$WEB_HOME/users.htpasswd\""
			echo "	Require valid-user"
			echo "</Location>"
		fi
	} >"$WEB_HOME/httpd.conf"
	WEB_ERRLOG=$WEB_HOME/error.log
}

# web_apache FILE MOUNT: Apache with fcgi/conf/FILE mounted at MOUNT
# (apache-fcgid.conf spawns the responders; apache-proxy-fcgi.conf needs
# web_responders first).
web_apache() {
	web_home apache
	case $1 in
	apache-fcgid.conf)
		WEB_APACHE_MODS=fcgid
		WEB_BIN=$PRESENCE_FCGI
		if [ -n "$WEB_GROUP" ]; then
			# nobody runs it: a copy it can reach for sure.
			WEB_BIN=$WEB_HOME/presence-fcgi
			cp "$PRESENCE_FCGI" "$WEB_BIN" ||
			    bail_out "cannot copy presence-fcgi"
		fi
		;;
	*)
		WEB_APACHE_MODS="proxy proxy_fcgi setenvif"
		;;
	esac
	WEB_MOUNT=$2
	if [ -n "$WEB_LOGIN" ]; then
		WEB_APACHE_MODS="$WEB_APACHE_MODS authn_core authn_file"
		WEB_APACHE_MODS="$WEB_APACHE_MODS auth_basic authz_user"
		web_users
	fi
	web_generate "$1" "$2" "$WEB_HOME/presence.conf" || return 1
	PORT=8080
	web_config_apache
	"$APACHE2" -t -f "$WEB_HOME/httpd.conf" >"$T/configtest.log" 2>&1
	is "$?" 0 "$WEB_LABEL: apache2 -t accepts the configuration" || {
		diag_file "$T/configtest.log"
		return 1
	}
	web_serve apache '"$APACHE2" -DFOREGROUND -f "$WEB_HOME/httpd.conf"'
}

# nginx (-p WEB_HOME -c nginx.conf -g 'daemon off;') with a generated
# nginx.conf whose server block includes the shipped snippet.  Its
# workers run as the invoking user.  With WEB_LOGIN=sso the server block
# has the snippet's /presence-auth check, which asks a stand-in for a
# sign-on service (/test-sign-on, on the same server): it knows the
# session cookies "s-alice" and "s-bob", answers 401 to anything else,
# and names the user in X-Auth-Request-User, as oauth2-proxy does.
web_config_nginx() {
	{
		if [ "$(id -u)" -eq 0 ]; then
			echo "user root root;"
		fi
		echo "worker_processes 1;"
		echo "pid \"$WEB_HOME/nginx.pid\";"
		echo "error_log \"$WEB_HOME/error.log\" warn;"
		# Room for make bench's 64 connections and their upstreams.
		echo "events { worker_connections 1024; }"
		echo "http {"
		echo "	access_log off;"
		for web_tmp in client_body fastcgi proxy scgi uwsgi; do
			echo "	${web_tmp}_temp_path \"$WEB_HOME/$web_tmp\";"
		done
		if [ "$WEB_LOGIN" = sso ]; then
			echo "	map \$cookie_session \$test_sign_on_user {"
			echo "		default \"\";"
			echo "		s-alice $WEB_ALICE;"
			echo "		s-bob $WEB_BOB;"
			echo "	}"
		fi
		echo "	server {"
		echo "		listen 127.0.0.1:$PORT;"
		echo "		server_name localhost;"
		echo "		root \"$WEB_HOME/docroot\";"
		[ "$WEB_LOGIN" != sso ] || cat <<EOF
		location = /presence-auth {
			internal;
			proxy_pass http://127.0.0.1:$PORT/test-sign-on;
			proxy_pass_request_body off;
			proxy_set_header Content-Length "";
		}
		location = /test-sign-on {
			if (\$test_sign_on_user = "") {
				return 401;
			}
			add_header X-Auth-Request-User \$test_sign_on_user;
			return 204;
		}
EOF
		echo "		include \"$WEB_HOME/presence.conf\";"
		echo "	}"
		echo "}"
	} >"$WEB_HOME/nginx.conf"
	WEB_ERRLOG=$WEB_HOME/error.log
}

# web_nginx MOUNT: nginx with fcgi/conf/nginx-location.conf mounted at
# MOUNT, after web_responders.  WEB_LOGIN uncomments one of the snippet's
# ways of signing callers in, as its comments tell operators: sso its
# auth_request check (a), basic its password file (c).
web_nginx() {
	web_home nginx
	web_generate nginx-location.conf "$1" "$WEB_HOME/generated.conf" ||
	    return 1
	# A commented-out line: its indentation is \1, its directive \2.
	web_c='^\([[:space:]]*\)#'
	case $WEB_LOGIN in
	sso)
		web_want=2
		set -- -e "s/$web_c\\(auth_request\\)/\\1\\2/"
		;;
	basic)
		web_users
		web_want=3
		set -- -e "s/$web_c\\(auth_basic \\)/\\1\\2/" \
		    -e "s/$web_c\\(set .presence_user .remote_user;\\)/\\1\\2/" \
		    -e "s|$web_c\\(auth_basic_user_file\\) .*|\\1\\2 $WEB_HOME/users.nginx;|"
		;;
	*)
		web_want=0
		set -- -e ''
		;;
	esac
	sed "$@" "$WEB_HOME/generated.conf" >"$WEB_HOME/presence.conf" ||
	    return 1
	[ "$web_want" -eq 0 ] ||
	    is "$(diff "$WEB_HOME/generated.conf" "$WEB_HOME/presence.conf" |
	    grep -c '^>')" "$web_want" \
	    "$WEB_LABEL: the snippet's $WEB_LOGIN sign-in lines, uncommented"
	PORT=8080
	web_config_nginx
	"$NGINX" -t -p "$WEB_HOME/" -c "$WEB_HOME/nginx.conf" \
	    >"$T/configtest.log" 2>&1
	is "$?" 0 "$WEB_LABEL: nginx -t accepts the configuration" || {
		diag_file "$T/configtest.log"
		return 1
	}
	web_serve nginx '"$NGINX" -p "$WEB_HOME/" -c "$WEB_HOME/nginx.conf" -g "daemon off;"'
}

# --- callers the server signs in, for --auth remote-user -------------------

# Two users, named by their presence ids (REMOTE_USER is the caller's
# presence when it is a GUID), with their passwords.
WEB_ALICE=a11ce000-0000-4000-8000-00000000a11c
WEB_BOB=b0b00000-0000-4000-8000-000000000b0b

# web_users: the two users in password files for WEB_HOME's server:
# htpasswd's (Apache, lighttpd) and nginx's {PLAIN} file.
web_users() {
	printf '%s:{PLAIN}alice-pw\n%s:{PLAIN}bob-pw\n' "$WEB_ALICE" \
	    "$WEB_BOB" >"$WEB_HOME/users.nginx" ||
	    bail_out "cannot write the password files"
	[ -n "$HTPASSWD" ] || return 0
	"$HTPASSWD" -c -b "$WEB_HOME/users.htpasswd" "$WEB_ALICE" alice-pw \
	    >/dev/null 2>&1 &&
	"$HTPASSWD" -b "$WEB_HOME/users.htpasswd" "$WEB_BOB" bob-pw \
	    >/dev/null 2>&1 || bail_out "htpasswd cannot write a password file"
}

# web_remote_user LOGIN: the responders started from now on run with
# --auth remote-user and Presence.ReadWrite (each user reads and writes
# their own presence only), and the server signs callers in by LOGIN
# (basic, sso, or "" for the shipped file as it is).
web_remote_user() {
	WEB_AUTH_ENV=remote-user
	WEB_RU_SCOPES=Presence.ReadWrite
	WEB_LOGIN=$1
}

# Stop the server started last, by PID, and leave its responders running.
web_stop_server() {
	[ -z "$WEB_SERVER_PID" ] || stop_pid "$WEB_SERVER_PID"
	WEB_SERVER_PID=
}

# Stop the server and the responders started last, by PID.
web_stop() {
	[ -z "$WEB_SERVER_PID" ] || stop_pid "$WEB_SERVER_PID"
	[ -z "$WEB_WATCH_PID" ] || stop_pid "$WEB_WATCH_PID"
	WEB_SERVER_PID=
	WEB_WATCH_PID=
	WEB_SOCKET=
}
