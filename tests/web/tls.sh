#!/bin/sh
# HTTPS as shipped: fcgi/conf/lighttpd-tls.conf, nginx-tls.conf and
# apache-proxy-fcgi-tls.conf with a self-signed certificate, each in
# front of presence-fcgi on a socket of its own.  Over https the founding
# example answers 201 with an https Location and HSTS, TLS 1.1 is
# refused even by a client that offers it, and plain HTTP is redirected.
# Then X-Forwarded-Proto through nginx: believed with
# PRESENCE_TRUST_FORWARDED_PROTO=1 only.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/web/web.sh"
. "$top_srcdir/tests/web/suite.sh"

OPENSSL=$(command -v openssl)
require_tool "$LIGHTTPD" lighttpd lighttpd
require_tool "$NGINX" nginx nginx-light
require_tool "$APACHE2" apache2 apache2
require_tool "$SPAWN_FCGI" spawn-fcgi spawn-fcgi
require_tool "$MULTIWATCH" multiwatch multiwatch
require_tool "$CURL" curl curl
require_tool "$OPENSSL" openssl openssl
require_fcgi
web_init web-tls

# A certificate for 127.0.0.1 and localhost, good for two days.
CERT=$WEB_DIR/tls.crt
KEY=$WEB_DIR/tls.key
"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -days 2 -subj /CN=localhost \
    -addext 'subjectAltName=IP:127.0.0.1,DNS:localhost' \
    -keyout "$KEY" -out "$CERT" >"$T/openssl.log" 2>&1 || {
	diag_file "$T/openssl.log"
	bail_out "openssl cannot make a certificate"
}
TLS_PORT=$(free_port) || bail_out "no free port on 127.0.0.1"

# tls_generate FILE OUT: fcgi/conf/FILE with the TLS placeholders
# replaced, as README's HTTPS section says; fails when one is left.
tls_generate() {
	sed -e "s|@PRESENCE_TLS_CERT@|$CERT|g" \
	    -e "s|@PRESENCE_TLS_KEY@|$KEY|g" \
	    -e "s|@PRESENCE_SERVER_NAME@|127.0.0.1|g" \
	    -e "s|@PRESENCE_LOCATION@|$WEB_HOME/snippet.conf|g" \
	    -e "s|@PRESENCE_SNIPPET@|$WEB_HOME/snippet.conf|g" \
	    "$WEB_CONF/$1" >"$2" || return 1
	! grep -n '@[A-Z_]*@' "$2" >"$T/left.txt" || {
		diag_file "$T/left.txt"
		return 1
	}
}

# The test-local changes: the shipped ports 80 and 443 become the test's.
web_config_tlslighttpd() {
	sed -e "s|\":443\"|\"127.0.0.1:$TLS_PORT\"|" "$WEB_HOME/tls.in" \
	    >"$WEB_HOME/tls.conf"
	web_config_lighttpd
	echo "include \"$WEB_HOME/tls.conf\"" >>"$WEB_HOME/lighttpd.conf"
}
web_config_tlsnginx() {
	sed -e "s|listen 80;|listen 127.0.0.1:$PORT;|" \
	    -e "s|listen 443 ssl;|listen 127.0.0.1:$TLS_PORT ssl;|" \
	    "$WEB_HOME/site.in" >"$WEB_HOME/site.conf"
	{
		echo "worker_processes 1;"
		[ "$(id -u)" -ne 0 ] || echo "user root root;"
		echo "pid \"$WEB_HOME/nginx.pid\";"
		echo "error_log \"$WEB_HOME/error.log\" warn;"
		echo "events { worker_connections 64; }"
		echo "http {"
		echo "	access_log off;"
		for web_tmp in client_body fastcgi proxy scgi uwsgi; do
			echo "	${web_tmp}_temp_path \"$WEB_HOME/$web_tmp\";"
		done
		echo "	include \"$WEB_HOME/site.conf\";"
		echo "}"
	} >"$WEB_HOME/nginx.conf"
	WEB_ERRLOG=$WEB_HOME/error.log
}
web_config_tlsapache() {
	sed -e "s|<VirtualHost \*:80>|<VirtualHost *:$PORT>|" \
	    -e "s|<VirtualHost \*:443>|<VirtualHost *:$TLS_PORT>|" \
	    "$WEB_HOME/site.in" >"$WEB_HOME/presence.conf"
	web_config_apache
	echo "Listen 127.0.0.1:$TLS_PORT" >>"$WEB_HOME/httpd.conf"
}

# tls_check LABEL: the founding example over https, HSTS, TLS 1.1 and
# the plain-HTTP redirect, against the server started last.
tls_check() {
	tls_b=https://127.0.0.1:$TLS_PORT
	founding_body >"$T/founding.json"
	http POST "$tls_b$COLL" --cacert "$CERT" \
	    -H 'Content-Type: application/json' --data-binary @"$T/founding.json"
	is_status 201 "$1: the founding example over https: 201"
	like "$(resp_header Location)" "^$tls_b$COLL/" \
	    "$1: Location is https"
	is "$(resp_header Strict-Transport-Security)" max-age=63072000 \
	    "$1: HSTS"
	http GET "$tls_b$COLL" --cacert "$CERT" --tlsv1.2 --tls-max 1.2
	is "$HTTP_STATUS" 200 "$1: TLS 1.2 is served"
	# The client offers TLS 1.1 (OpenSSL refuses it below security
	# level 0 on its own), so only the server can refuse it.
	"$CURL" -q -s --noproxy '*' --max-time 10 --cacert "$CERT" \
	    --tlsv1.1 --tls-max 1.1 --ciphers 'DEFAULT:@SECLEVEL=0' \
	    -o /dev/null "$tls_b$COLL" 2>/dev/null
	is "$?" 35 "$1: TLS 1.1 is refused in the handshake"
	http POST "http://127.0.0.1:$PORT$COLL?a=b" \
	    -H 'Content-Type: application/json' --data-binary @"$T/founding.json"
	is "$HTTP_STATUS" 308 "$1: plain HTTP: 308"
	like "$(resp_header Location)" "^https://127\\.0\\.0\\.1(:[0-9]+)?$COLL\\?a=b\$" \
	    "$1: to the same URL over https"
}

WEB_LABEL="lighttpd TLS"
web_db
web_responders 2 || bail_out "$WEB_LABEL: no responders"
web_home lighttpd
WEB_MOUNT=
web_generate lighttpd-socket.conf "" "$WEB_HOME/presence.conf" &&
    tls_generate lighttpd-tls.conf "$WEB_HOME/tls.in" ||
    bail_out "$WEB_LABEL: cannot generate the configuration"
web_serve tlslighttpd '"$LIGHTTPD" -D -f "$WEB_HOME/lighttpd.conf"' ||
    bail_out "$WEB_LABEL: lighttpd did not start"
tls_check "$WEB_LABEL"
web_stop_server

WEB_LABEL="nginx TLS"
web_home nginx
web_generate nginx-location.conf "" "$WEB_HOME/snippet.conf" &&
    tls_generate nginx-tls.conf "$WEB_HOME/site.in" ||
    bail_out "$WEB_LABEL: cannot generate the configuration"
web_serve tlsnginx \
    '"$NGINX" -p "$WEB_HOME/" -c "$WEB_HOME/nginx.conf" -g "daemon off;"' ||
    bail_out "$WEB_LABEL: nginx did not start"
tls_check "$WEB_LABEL"
web_stop_server

WEB_LABEL="Apache TLS"
web_home apache
WEB_APACHE_MODS="proxy proxy_fcgi setenvif socache_shmcb ssl headers"
web_generate apache-proxy-fcgi.conf "" "$WEB_HOME/snippet.conf" &&
    tls_generate apache-proxy-fcgi-tls.conf "$WEB_HOME/site.in" ||
    bail_out "$WEB_LABEL: cannot generate the configuration"
web_serve tlsapache '"$APACHE2" -DFOREGROUND -f "$WEB_HOME/httpd.conf"' ||
    bail_out "$WEB_LABEL: Apache did not start"
tls_check "$WEB_LABEL"
web_stop

# X-Forwarded-Proto: https, as a TLS-terminating proxy in front would
# send it, over plain HTTP through nginx-location.conf.
for trust in 0 1; do
	WEB_LABEL="X-Forwarded-Proto, trusted=$trust"
	want=http
	[ "$trust" -eq 0 ] || want=https
	WEB_RESPONDER_ENV=PRESENCE_TRUST_FORWARDED_PROTO=$trust
	web_db
	web_responders 1 || bail_out "$WEB_LABEL: no responders"
	web_nginx "" || bail_out "$WEB_LABEL: nginx did not start"
	for n in 1 2; do
		http POST "$WEB_ORIGIN$COLL" -H 'X-Forwarded-Proto: https' \
		    -H 'Content-Type: application/json' \
		    --data-binary @"$T/founding.json"
	done
	is_status 201 "$WEB_LABEL: create: 201"
	like "$(resp_header Location)" "^$want://127\\.0\\.0\\.1:$PORT$COLL/" \
	    "$WEB_LABEL: Location is $want"
	http GET "$WEB_ORIGIN$COLL?\$top=1" -H 'X-Forwarded-Proto: https'
	like "$(json_str @odata.nextLink "$T/resp.body")" \
	    "^$want://127\\.0\\.0\\.1:$PORT$COLL\\?" \
	    "$WEB_LABEL: @odata.nextLink is $want"
	web_stop
done
WEB_RESPONDER_ENV=

done_testing
