#!/bin/sh
# The Graph JS SDK (@microsoft/microsoft-graph-client from npm, pinned by
# tests/sdk/package-lock.json) drives presence-fcgi unchanged: lighttpd with
# TLS (mod_openssl, a self-signed certificate made here and trusted through
# NODE_EXTRA_CA_CERTS) spawns the real responder on a free 127.0.0.1 port,
# and tests/sdk/graph.js makes each call with the SDK's default middleware
# chain, baseUrl https://127.0.0.1:PORT/ and 127.0.0.1 among customHosts.
# Tokens come from presence-console.  Every result is checked by value.
# Then `make run TLS=1` serves the program README shows, taken from
# README itself, so the documented setup cannot drift from what works.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tool "$NODE" node nodejs
require_tool "$NPM" npm npm
require_tool "$OPENSSL" openssl openssl
require_tool "$LIGHTTPD" lighttpd lighttpd
require_tool "$CURL" curl curl
require_fcgi
[ -x "$PRESENCE_CONSOLE" ] || bail_out "'$PRESENCE_CONSOLE' is not built"
"$NODE" -e 'process.exit(typeof fetch === "function" ? 0 : 1)' ||
    skip_all "node $("$NODE" --version) has no global fetch, which the Graph JS SDK needs (Node.js 18 or later; install the Debian package nodejs)"
tap_init sdk-graph-js

. "$top_srcdir/tests/sdk/npm.sh"
RUNDIR=$SOCKDIR/run
mkdir -p "$T/db" "$RUNDIR" "$SDK_DIR" ||
    bail_out "cannot create the run directories"

# --- the SDK, installed from the lock file into the build tree --------------

if ! sdk_install; then
	diag_file "$SDK_DIR/npm-ci.log" 30
	bail_out "npm ci cannot install the Graph JS SDK from tests/sdk/package-lock.json (without the npm registry, npm's cache must hold its packages; see $SDK_DIR/npm-ci.log)"
fi
SDK_VERSION=$(NODE_PATH=$SDK_DIR/node_modules "$NODE" -p \
    'require("@microsoft/microsoft-graph-client/package.json").version')
is "$SDK_VERSION" 3.0.7 \
    "npm ci installed @microsoft/microsoft-graph-client 3.0.7"

# --- lighttpd with TLS in front of presence-fcgi ----------------------------

# A self-signed certificate for 127.0.0.1, valid for two days.
"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$T/key.pem" -out "$T/cert.pem" >"$T/openssl.log" 2>&1 ||
    { diag_file "$T/openssl.log"; bail_out "openssl made no certificate"; }

# The shipped configuration, with TLS on its one port.
cat >"$T/lighttpd.conf" <<EOF
include "$top_srcdir/fcgi/conf/lighttpd.conf"
server.modules += ( "mod_openssl" )
ssl.engine  = "enable"
ssl.pemfile = "$T/cert.pem"
ssl.privkey = "$T/key.pem"
EOF

PRESENCE_PORT=8443 PRESENCE_BIN=$PRESENCE_FCGI PRESENCE_DB=$T/db \
    PRESENCE_RUNDIR=$RUNDIR "$LIGHTTPD" -tt -f "$T/lighttpd.conf" \
    >"$T/tt.log" 2>&1 || {
	grep -q mod_openssl "$T/tt.log" &&
	    skip_all "lighttpd has no mod_openssl (install the Debian package lighttpd-mod-openssl)"
	diag_file "$T/tt.log"
	bail_out "lighttpd refuses the TLS configuration"
}

need_token "$T/db"
LT_CACERT=$T/cert.pem
lighttpd_start "$T/lighttpd.conf" ||
    bail_out "lighttpd with TLS did not start"
pass "lighttpd serves presence-fcgi over TLS"
URL=https://127.0.0.1:$PORT/

# sdk METHOD PATH [BODY [VERSION]]: one call through graph.js with TOKEN;
# its line of JSON goes to $T/sdk.out and its kind to SDK_KIND.
sdk() {
	PRESENCE_URL=$URL PRESENCE_TOKEN=$TOKEN \
	    NODE_PATH=$SDK_DIR/node_modules NODE_EXTRA_CA_CERTS=$T/cert.pem \
	    timeout 60 "$NODE" "$SDK_SRC/graph.js" "$@" \
	    >"$T/sdk.out" 2>"$T/sdk.err"
	SDK_RC=$?
	SDK_KIND=$(json_str kind "$T/sdk.out")
	[ "$SDK_RC" = 0 ] && return 0
	diag "node graph.js $* exited $SDK_RC:"
	diag_file "$T/sdk.err"
	return 1
}

# The number after "KEY": in the last call's output, or nothing.
sdk_num() {
	json_compact "$T/sdk.out" |
	    sed -n -e "s/.*\"$1\":\\([0-9][0-9]*\\).*/\\1/p"
}

# Show the last call's output (after a failed assertion).
sdk_diag() {
	diag_file "$T/sdk.out" 5
	diag_file "$T/sdk.err" 5
}

# sdk_presence DESCRIPTION ID AVAILABILITY ACTIVITY: the last call
# resolved to the presence ID with that pair.
sdk_presence() {
	is "$SDK_KIND" json "$1: the SDK resolves to parsed JSON" || sdk_diag
	sp_got=$(json_str id "$T/sdk.out")/$(json_str availability "$T/sdk.out")
	sp_got=$sp_got/$(json_str activity "$T/sdk.out")
	is "$sp_got" "$2/$3/$4" "$1: presence $2 is $3/$4" || sdk_diag
}

# sdk_error DESCRIPTION STATUS CODE: the last call rejected with a
# GraphError carrying the status, Graph's error code and a request id.
sdk_error() {
	is "$SDK_KIND/$(json_compact "$T/sdk.out" |
	    sed -n -e 's/.*"graphError":\(true\|false\).*/\1/p')" error/true \
	    "$1: rejects with a GraphError" || sdk_diag
	is "$(sdk_num statusCode)" "$2" "$1: statusCode $2"
	is "$(json_str code "$T/sdk.out")" "$3" "$1: code $3"
	like "$(json_str requestId "$T/sdk.out")" "$GUID_ERE" \
	    "$1: requestId, from the error's innerError"
}

# --- create and read --------------------------------------------------------

sdk post /communications/presences \
    '{"availability":"Available","activity":"Available"}'
is "$SDK_KIND" json "create through the SDK: parsed JSON" || sdk_diag
A=$(json_str id "$T/sdk.out")
like "$A" "$GUID_V4_ERE" "create: the new presence's id"
sdk post /communications/presences \
    '{"availability":"Away","activity":"Away"}'
B=$(json_str id "$T/sdk.out")
like "$B" "$GUID_V4_ERE" "create a second presence"

sdk get "/users/$A/presence"
sdk_presence "GET /users/{id}/presence" "$A" Available Available
sdk get "/communications/presences/$B" "" beta
sdk_presence "GET /communications/presences/{id} under beta" "$B" Away Away

# --- setPresence, as section 7's example calls it ---------------------------

# sdk_empty DESCRIPTION: the last call resolved to the empty 200's body
# (no Content-Type: the SDK hands back the body stream, read out empty).
sdk_empty() {
	is "$SDK_KIND/$(json_str text "$T/sdk.out")" stream/ \
	    "$1: resolves with an empty body" || sdk_diag
}

APP=22553876-f5ab-4529-bffb-cfe50aa89f87
APP2=7d1c8b3e-2f4a-4e6b-9c5d-0a1b2c3d4e5f
sdk post "/users/$A/presence/setPresence" "{\"sessionId\":\"$APP\",
    \"availability\":\"Busy\",\"activity\":\"InACall\",
    \"expirationDuration\":\"PT1H\"}"
sdk_empty "setPresence Busy/InACall on /users/{id}/presence"
sdk get "/users/$A/presence"
sdk_presence "GET after setPresence" "$A" Busy InACall

# The namespace-qualified name on the collection's path, under beta: a
# second session, whose DoNotDisturb outranks the first's Busy.
sdk post "/communications/presences/$A/microsoft.graph.setPresence" \
    "{\"sessionId\":\"$APP2\",\"availability\":\"DoNotDisturb\",
    \"activity\":\"Presenting\"}" beta
sdk_empty "microsoft.graph.setPresence on /communications/presences/{id} (beta)"
sdk get "/communications/presences/$A"
sdk_presence "GET with a DoNotDisturb session beside the Busy one" \
    "$A" DoNotDisturb Presenting
sdk post "/users/$A/presence/clearPresence" "{\"sessionId\":\"$APP2\"}"
sdk_empty "clearPresence of the second session"
sdk get "/users/$A/presence"
sdk_presence "GET after clearPresence: the Busy session again" \
    "$A" Busy InACall

# --- getPresencesByUserId ---------------------------------------------------

sdk post /communications/getPresencesByUserId "{\"ids\":[\"$B\",\"$A\"]}"
is "$SDK_KIND" json "getPresencesByUserId: parsed JSON" || sdk_diag
is "$(json_ids "$T/sdk.out" | tr '\n' ' ')" "$B $A " \
    "getPresencesByUserId: both presences, in the order asked" || sdk_diag
is "$(json_compact "$T/sdk.out" |
    sed -e 's/"availability":"\([^"]*\)","activity":"\([^"]*\)"/\n\1\/\2\n/g' |
    grep -E '^[A-Za-z]+/[A-Za-z]+$' | tr '\n' ' ')" "Away/Away Busy/InACall " \
    "getPresencesByUserId: what each presence shows" || sdk_diag

# --- /me/presence with tokens bound to the user -----------------------------

KEPT=$TOKEN
TOKEN=$(test_token "$T/db" Presence.Read "$A")
like "$TOKEN" '^prs_' "presence-console issues a Presence.Read token bound to A"
sdk get /me/presence "" beta
sdk_presence "GET /me/presence (beta) with A's token" "$A" Busy InACall
sdk get "/users/$B/presence"
sdk_error "A's Presence.Read token reading B" 403 accessDenied
TOKEN=$(test_token "$T/db" Presence.ReadWrite "$B")
sdk post /me/presence/setPresence "{\"sessionId\":\"$APP\",
    \"availability\":\"Available\",\"activity\":\"Available\"}"
sdk_empty "setPresence on /me/presence with B's Presence.ReadWrite token"
sdk get /me/presence
sdk_presence "GET /me/presence with B's token" "$B" Available Available

# --- the status message and the work location -------------------------------

# sdk_member NAME: the compact JSON of member NAME of the parsed presence
# the last call printed (an object nested at most two deep, or null).
sdk_member() {
	json_compact "$T/sdk.out" |
	    sed -n -e "s/.*\"$1\":\(null\|{[^{}]*}\|{[^{}]*{[^{}]*}[^{}]*{[^{}]*}}\|{[^{}]*{[^{}]*}[^{}]*}\).*/\1/p"
}

# setStatusMessage with Graph's own example body: a Windows zone.
sdk post /me/presence/setStatusMessage '{"statusMessage":{"message":{"content":"Hey I am available now","contentType":"text"},"expiryDateTime":{"dateTime":"2099-08-28T17:00:00.0000000","timeZone":"Pacific Standard Time"}}}'
sdk_empty "setStatusMessage with a Pacific Standard Time expiry on /me/presence"
sdk get /me/presence
like "$(sdk_member statusMessage)" \
    '^\{"message":\{"content":"Hey I am available now","contentType":"text"\},"publishedDateTime":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z","expiryDateTime":\{"dateTime":"2099-08-28T17:00:00\.0000000","timeZone":"Pacific Standard Time"\}\}$' \
    "the SDK reads the status message back, its expiry as sent" || sdk_diag
sdk post /me/presence/setStatusMessage '{"statusMessage":{"message":{"content":"x"},"expiryDateTime":{"dateTime":"2099-08-28T17:00:00Z","timeZone":"UTC"}}}'
sdk_error "setStatusMessage with an offset in dateTime" 400 invalidRequest

# setManualLocation through /me/presence, a token with a user.
sdk post /me/presence/setManualLocation '{"workLocationType":"office","placeId":"building 4"}'
sdk_empty "setManualLocation on /me/presence"
sdk get /me/presence
is "$(sdk_member workLocation)" \
    '{"workLocationType":"office","source":"manual","placeId":"building 4"}' \
    "the SDK reads the manual work location back" || sdk_diag
is "$(sdk_member outOfOfficeSettings)" \
    '{"isOutOfOffice":false,"message":null}' \
    "and the out-of-office settings" || sdk_diag
sdk post "/users/$B/presence/setManualLocation" '{"workLocationType":"remote"}'
sdk_error "setManualLocation on /users/{id}/presence" 400 invalidRequest
TOKEN=$KEPT

# --- errors -----------------------------------------------------------------

sdk get /users/00000000-0000-4000-8000-000000000000/presence
sdk_error "GET of an unknown presence" 404 itemNotFound
sdk post "/users/$A/presence/setPresence" "{\"sessionId\":\"$APP\",
    \"availability\":\"Busy\",\"activity\":\"Away\"}"
sdk_error "setPresence with the pair Busy/Away" 400 invalidRequest
sdk get "/users/$A/presence"
sdk_presence "the refused pair changed nothing" "$A" Busy InACall
stop_pid "$LT_PID"

# --- README's program against `make run TLS=1` ------------------------------

# make run in the build tree, with its run directory here and a free port.
# Its certificate is made once and kept; MAKEFLAGS would hand it this
# make's job server.
MK_RUN=$SOCKDIR/mk
MK_CERT=$MK_RUN/tls/cert.pem
make_run_ready() {
	is_running "$MK_PID" || return 2
	"$CURL" -q -s --noproxy '*' --max-time 2 --cacert "$MK_CERT" \
	    -o /dev/null -D - "https://127.0.0.1:$PORT/" 2>/dev/null |
	    tr -d '\r' | grep -qi '^server: presence$'
}
make_run() {
	PORT=$(free_port) || bail_out "no free port on 127.0.0.1"
	MAKEFLAGS= MFLAGS= make -s -C "$top_builddir" run TLS=1 PORT=$PORT \
	    RUN_DIR="$MK_RUN" </dev/null >"$T/make-run.log" 2>&1 &
	MK_PID=$!
	track_pid "$MK_PID"
	wait_for 30 make_run_ready || {
		diag_file "$T/make-run.log"
		return 1
	}
}
make_run || bail_out "make run TLS=1 did not serve https"
pass "make run TLS=1 serves https with the certificate it made"
like "$(cat "$T/make-run.log")" "NODE_EXTRA_CA_CERTS=$MK_CERT" \
    "make run TLS=1 prints how Node trusts the certificate"
MK_TOKEN=$(sed -n -e "s/.*Bearer \(prs_[A-Za-z0-9_-]*\)'.*/\1/p" \
    "$T/make-run.log")
like "$MK_TOKEN" '^prs_' "make run TLS=1 prints its token in the curl line"

# The program between README's graph-js-snippet markers, its address
# moved to this port: the one change a reader makes besides the token
# and the certificate, which it takes from the environment.
sed -n -e '/^<!-- graph-js-snippet -->$/,/^<!-- \/graph-js-snippet -->$/p' \
    "$top_srcdir/README.md" | sed -e '/^<!--/d' -e '/^```/d' \
    -e "s|https://127.0.0.1:8443/|https://127.0.0.1:$PORT/|" >"$T/app.js"
is "$(grep -c "https://127.0.0.1:$PORT/" "$T/app.js")" 1 \
    "README's Graph JS SDK program, found, names make run's address once"
NODE_PATH=$SDK_DIR/node_modules NODE_EXTRA_CA_CERTS=$MK_CERT \
    PRESENCE_TOKEN=$MK_TOKEN timeout 60 "$NODE" "$T/app.js" \
    >"$T/app.out" 2>"$T/app.err"
is "$?" 0 "README's program runs against make run TLS=1" ||
    diag_file "$T/app.err"
GUID_BARE=${GUID_V4_ERE#^}
like "$(cat "$T/app.out")" "^${GUID_BARE%\$} Busy InACall 1\$" \
    "README's program prints the id, Busy InACall and 1" ||
    diag_file "$T/app.out"

# A second make run keeps the certificate clients were told to trust.
# It starts within the same second as an earlier run: the tokens the
# next five seconds would be named are taken, and it takes another name.
cp "$MK_CERT" "$T/first-cert.pem"
stop_pid "$MK_PID"
now=$(date -u +%s)
for s in 0 1 2 3 4; do
	name=dev-$(date -u -d "@$((now + s))" +%Y%m%dT%H%M%SZ)
	# The first run may have taken the first name already.
	"$PRESENCE_CONSOLE" --db "$MK_RUN/db" token issue "$name" \
	    --scope Presence.Read.All >/dev/null 2>&1
	"$PRESENCE_CONSOLE" --db "$MK_RUN/db" token list 2>/dev/null |
	    grep -q "^$name " ||
	    bail_out "cannot issue '$name' into make run's database"
done
make_run || bail_out "make run TLS=1 did not start again"
cmp -s "$MK_CERT" "$T/first-cert.pem"
is "$?" 0 "make run TLS=1 again: the same certificate"
like "$(cat "$T/make-run.log")" \
    'Development token dev-[0-9]{8}T[0-9]{6}Z-[2-9] ' \
    "make run TLS=1 again in the same second: a token of its own name"
stop_pid "$MK_PID"

done_testing
