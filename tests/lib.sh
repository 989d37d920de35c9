# A small TAP library for the shell tests of the real binaries (POSIX sh).
#
# A test sources it, calls tap_init NAME, makes assertions with ok, is,
# like and friends, and ends with done_testing, which prints the plan
# ("1..N") last.  make runs the tests with automake's TAP driver and sets
# top_srcdir, top_builddir, LIGHTTPD, CGI_FCGI, CURL and MDB_STAT (see
# AM_TESTS_ENVIRONMENT in tests/Makefile.inc).  By hand, from a build
# directory:
#
#	top_srcdir=.. top_builddir=. sh ../tests/blackbox/api.sh
#
# Every process a test starts is recorded with track_pid and stopped by
# PID when the test exits, and the test's temporary directory (under
# $top_builddir/tests/tmp, never the source tree) is removed; set
# PRESENCE_KEEP_TMP=1 to keep it.
#
# presence-fcgi checks bearer tokens by default: a test issues one into its
# database with TOKEN=$(test_token DB) and fcgi_request sends it whenever
# TOKEN is set (curl-based tests send -H "Authorization: Bearer $TOKEN").

: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$top_builddir}"
top_builddir=$(cd "$top_builddir" && pwd) || exit 1
top_srcdir=$(cd "$top_srcdir" && pwd) || exit 1
PRESENCE_FCGI=$top_builddir/presence-fcgi
PRESENCE_CONSOLE=$top_builddir/presence-console
ENV_BIN=$(command -v env)
SOH=$(printf '\001')	# separates fcgi_request's -e values, which may hold CR LF

# Settings from the caller's environment must not leak into the programs
# under test.
unset PRESENCE_DB PRESENCE_MAP_SIZE PRESENCE_MAP_MAX PRESENCE_MAX_READERS \
    PRESENCE_DURABILITY PRESENCE_VALUE_MODE PRESENCE_MAX_BODY \
    PRESENCE_BASE PRESENCE_LISTEN PRESENCE_AUTH PRESENCE_REMOTE_USER_SCOPES
LC_ALL=C
export LC_ALL

tap_n=0
tap_failed=0
tap_pids=
T=
SOCKDIR=
fcgi_n=0
TOKEN=

# Print a diagnostic, each of its lines marked as one (diag_file prints
# a file's lines).
diag() {
	printf '%s\n' "$*" | sed -e 's/^/# /'
}

diag_file() {
	[ -s "$1" ] || return 0
	# awk ends the last line even when the file does not.
	awk -v max="${2:-20}" 'NR <= max { print "#   " $0 }' "$1"
}

# Record one passing test point (and return 0; every assertion returns
# 0 when it passed and 1 when it failed, so `is ... || resp_diag` works).
pass() {
	tap_n=$((tap_n + 1))
	printf 'ok %d - %s\n' "$tap_n" "$1"
	return 0
}

# Record one failing test point; further arguments are diagnostics.
fail() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	printf 'not ok %d - %s\n' "$tap_n" "$1"
	shift
	for tap_line in "$@"; do
		diag "$tap_line"
	done
	return 1
}

# ok DESCRIPTION COMMAND [ARG...]: passes when the command succeeds.
ok() {
	tap_desc=$1
	shift
	if "$@"; then
		pass "$tap_desc"
	else
		fail "$tap_desc" "command failed: $*"
	fi
}

# is GOT EXPECTED DESCRIPTION: passes when the strings are equal.
is() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "got:      '$1'" "expected: '$2'"
	fi
}

# like GOT ERE DESCRIPTION: passes when the string matches the extended
# regular expression (anywhere, unless anchored).
like() {
	if printf '%s\n' "$1" | grep -Eq -e "$2"; then
		pass "$3"
	else
		fail "$3" "got:      '$1'" "expected to match: $2"
	fi
}

# unlike GOT ERE DESCRIPTION: passes when the string does not match.
unlike() {
	if printf '%s\n' "$1" | grep -Eq -e "$2"; then
		fail "$3" "got:      '$1'" "expected not to match: $2"
	else
		pass "$3"
	fi
}

# Print the plan and exit; failures are reported by the "not ok" lines.
done_testing() {
	printf '1..%d\n' "$tap_n"
	[ "$tap_failed" -eq 0 ] || diag "$tap_failed of $tap_n failed"
	exit 0
}

# Skip the whole test with TAP's skip-all plan.
skip_all() {
	printf '1..0 # SKIP %s\n' "$*"
	exit 0
}

# Stop the test: something it cannot go on without went wrong.
bail_out() {
	printf 'Bail out! %s\n' "$*"
	exit 1
}

# require_tool VALUE NAME PACKAGE: skip all unless VALUE is an executable.
require_tool() {
	if [ -z "$1" ] || [ ! -x "$1" ]; then
		skip_all "$2 not found (install the Debian package $3)"
	fi
}

# The binary under test must exist: its absence is a failure, not a skip.
require_fcgi() {
	[ -x "$PRESENCE_FCGI" ] || bail_out "'$PRESENCE_FCGI' is not built"
}

# What a test of presence-fcgi through cgi-fcgi with tokens the console
# issues needs: cgi-fcgi (or a skip), both binaries (or a failure).
require_fcgi_console() {
	require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
	require_fcgi
	[ -x "$PRESENCE_CONSOLE" ] || bail_out "'$PRESENCE_CONSOLE' is not built"
}

# Set up the test's temporary directory and the exit trap.
tap_init() {
	mkdir -p "$top_builddir/tests/tmp" ||
	    bail_out "cannot create '$top_builddir/tests/tmp'"
	T=$(mktemp -d "$top_builddir/tests/tmp/$1.XXXXXX") ||
	    bail_out "cannot create a temporary directory"
	# Unix socket paths are limited to 107 bytes; deep build trees
	# put the sockets in a short directory of their own.
	if [ ${#T} -le 60 ]; then
		SOCKDIR=$T
	else
		SOCKDIR=$(mktemp -d "${TMPDIR:-/tmp}/presence.XXXXXX") ||
		    bail_out "cannot create a socket directory"
	fi
	trap tap_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	trap 'exit 141' PIPE
}

# Record a PID to stop when the test exits.
track_pid() {
	tap_pids="$tap_pids $1"
}

# Whether PID is a live process (zombies count as gone).
is_running() {
	[ -r "/proc/$1/stat" ] || return 1
	tap_state=$(sed -e 's/^.*) \(.\).*$/\1/' "/proc/$1/stat" 2>/dev/null) ||
	    return 1
	[ -n "$tap_state" ] && [ "$tap_state" != Z ] && [ "$tap_state" != X ]
}

# Whether PID is gone.
is_gone() {
	! is_running "$1"
}

# Whether every PID given is gone.
all_gone() {
	for tap_p in "$@"; do
		is_running "$tap_p" && return 1
	done
	return 0
}

# The PIDs of PID's children.
children_of() {
	for tap_stat in /proc/[0-9]*/stat; do
		sed -n -e "s/^\([0-9]*\) (.*) . $1 .*$/\1/p" "$tap_stat" \
		    2>/dev/null
	done
}

# wait_for SECONDS COMMAND [ARG...]: poll the command every 50 ms until
# it succeeds (0) or SECONDS (whole seconds) have passed (1), however slow
# the command is.  A command that returns 2 says waiting is pointless
# (what it waits on is gone): 1 at once.
wait_for() {
	tap_tries=$(($1 * 20))
	tap_deadline=$(($(date +%s) + $1 + 1))
	shift
	while [ "$tap_tries" -gt 0 ] && [ "$(date +%s)" -lt "$tap_deadline" ]; do
		"$@"
		case $? in
		0) return 0 ;;
		2) return 1 ;;
		esac
		tap_tries=$((tap_tries - 1))
		sleep 0.05
	done
	"$@"
}

# wait_exit PID SECONDS: wait for a child to exit and set tap_status to its
# exit status; 1 when it is still running after SECONDS.
wait_exit() {
	wait_for "$2" is_gone "$1" || return 1
	wait "$1"
	tap_status=$?
	return 0
}

# stop_pid PID [SIGNAL]: signal a process (TERM by default), wait up to 5
# seconds for it, then kill it.  Its children are stopped after it.
stop_pid() {
	is_running "$1" || { wait "$1" 2>/dev/null; return 0; }
	tap_kids=$(children_of "$1")
	kill "-${2:-TERM}" "$1" 2>/dev/null
	if ! wait_for 5 is_gone "$1"; then
		diag "process $1 ignored SIG${2:-TERM}; killing it"
		kill -KILL "$1" 2>/dev/null
		wait_for 5 is_gone "$1"
	fi
	wait "$1" 2>/dev/null
	for tap_kid in $tap_kids; do
		is_running "$tap_kid" || continue
		kill -TERM "$tap_kid" 2>/dev/null
		wait_for 5 is_gone "$tap_kid" || kill -KILL "$tap_kid" 2>/dev/null
	done
	return 0
}

# The exit trap: stop every recorded process by PID, remove the temp dirs.
tap_cleanup() {
	tap_rc=$?
	trap - EXIT INT TERM HUP PIPE
	# Last started first: clients go before the servers they talk to.
	tap_rev=
	for tap_pid in $tap_pids; do
		tap_rev="$tap_pid $tap_rev"
	done
	for tap_pid in $tap_rev; do
		stop_pid "$tap_pid"
	done
	if [ -n "$T" ] && [ -z "$PRESENCE_KEEP_TMP" ]; then
		rm -rf "$T"
		[ "$SOCKDIR" = "$T" ] || rm -rf "$SOCKDIR"
	elif [ -n "$T" ]; then
		diag "kept $T"
	fi
	exit "$tap_rc"
}

# random_below N: a number from 0 to N - 1, from the kernel's random source.
random_below() {
	echo $(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % $1))
}

# A TCP port on 127.0.0.1 that nothing uses now, below the kernel's
# ephemeral range so outgoing connections do not take it meanwhile.
free_port() {
	tap_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	[ -n "$tap_low" ] && [ "$tap_low" -gt 11024 ] || tap_low=32768
	tap_used=$(cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
	    awk 'NR > 1 { split($2, a, ":"); print a[2] }')
	tap_tries=100
	while [ "$tap_tries" -gt 0 ]; do
		tap_port=$((10000 + $(random_below $((tap_low - 10000)))))
		tap_hex=$(printf '%04X' "$tap_port")
		if ! printf '%s\n' "$tap_used" | grep -qx "$tap_hex"; then
			echo "$tap_port"
			return 0
		fi
		tap_tries=$((tap_tries - 1))
	done
	return 1
}

# --- bearer tokens ------------------------------------------------------------

# test_token DB [SCOPES [USER]]: issue a token (Presence.ReadWrite.All by
# default, bound to the presence id USER when given) into the database
# directory DB with presence-console, and print its secret.  Each call
# issues a token of its own, named test-N (N counts in a file, since the
# call usually runs in a subshell; last_token_name prints the name).
# Prints nothing and fails when the console cannot issue it.
test_token() {
	tk_n=$(($(cat "$T/token.count" 2>/dev/null || echo 0) + 1))
	echo "$tk_n" >"$T/token.count"
	set -- "$1" "${2:-Presence.ReadWrite.All}" "${3:-}"
	if [ -n "$3" ]; then
		"$PRESENCE_CONSOLE" --db "$1" token issue "test-$tk_n" \
		    --scope "$2" --user "$3" </dev/null 2>"$T/token.err"
	else
		"$PRESENCE_CONSOLE" --db "$1" token issue "test-$tk_n" \
		    --scope "$2" </dev/null 2>"$T/token.err"
	fi || { diag_file "$T/token.err" >&2; return 1; }
}

# scope_tokens DB OWN: issue into DB the tokens the scope tests hold:
# ADMIN (Presence.ReadWrite.All), SELF (Presence.ReadWrite bound to the
# presence OWN) and READER (Presence.Read.All), or bail out.
scope_tokens() {
	ADMIN=$(test_token "$1") && [ -n "$ADMIN" ] ||
	    bail_out "no admin token"
	SELF=$(test_token "$1" Presence.ReadWrite "$2") && [ -n "$SELF" ] ||
	    bail_out "no user-bound token"
	READER=$(test_token "$1" Presence.Read.All) && [ -n "$READER" ] ||
	    bail_out "no reader token"
}

# The name of the token test_token issued last.
last_token_name() {
	echo "test-$(cat "$T/token.count" 2>/dev/null)"
}

# need_token DB [SCOPES [USER]]: set TOKEN to a fresh token for DB, or
# stop the test: without one no request gets past presence-fcgi.
need_token() {
	TOKEN=$(test_token "$@") && [ -n "$TOKEN" ] ||
	    bail_out "cannot issue a token into '$1' with presence-console"
}

# --- lighttpd spawning presence-fcgi -----------------------------------------

# Whether the lighttpd lighttpd_start started last answers on its port
# with presence's Server header (over TLS, trusting LT_CACERT, when set).
lighttpd_ready() {
	is_running "$LT_PID" || return 2
	if [ -n "${LT_CACERT:-}" ]; then
		set -- --cacert "$LT_CACERT" "https://127.0.0.1:$PORT/"
	else
		set -- "http://127.0.0.1:$PORT/"
	fi
	"$CURL" -q -s --noproxy '*' --max-time 2 -o /dev/null -D - "$@" \
	    2>/dev/null | tr -d '\r' | grep -qi '^server: presence$'
}

# lighttpd_start CONF: lighttpd in the foreground (in the background of
# the test) from CONF on a free port, spawning presence-fcgi over $T/db
# with its sockets in RUNDIR, until lighttpd_ready; a port taken
# meanwhile means another try, five at most.  Sets LT_PID, PORT and LT_LOG
# (numbered anew on every start); 1 when it never came up.
lighttpd_start() {
	lt_tries=5
	while [ "$lt_tries" -gt 0 ]; do
		lt_n=$((${lt_n:-0} + 1))
		PORT=$(free_port) || bail_out "no free port on 127.0.0.1"
		LT_LOG=$T/lighttpd.$lt_n.log
		PRESENCE_PORT=$PORT PRESENCE_BIN=$PRESENCE_FCGI \
		    PRESENCE_DB=$T/db PRESENCE_RUNDIR=$RUNDIR \
		    "$LIGHTTPD" -D -f "$1" </dev/null >"$LT_LOG" 2>&1 &
		LT_PID=$!
		track_pid "$LT_PID"
		wait_for 10 lighttpd_ready && return 0
		diag "lighttpd on port $PORT did not come up:"
		diag_file "$LT_LOG"
		stop_pid "$LT_PID"
		lt_tries=$((lt_tries - 1))
	done
	return 1
}

# --- presence-fcgi on a clock libfaketime moves ------------------------------

# Set FAKETIME_LIB to libfaketimeMT (the environment's, or Debian's), or
# skip the test.
require_faketime() {
	if [ -z "$FAKETIME_LIB" ]; then
		for FAKETIME_LIB in /usr/lib/*/faketime/libfaketimeMT.so.1 \
		    /usr/lib/faketime/libfaketimeMT.so.1 ''; do
			[ -f "$FAKETIME_LIB" ] && break
		done
	fi
	[ -n "$FAKETIME_LIB" ] && [ -f "$FAKETIME_LIB" ] ||
	    skip_all "libfaketime not found (install the Debian package faketime)"
}

# fcgi_start_faked [OPTION...]: fcgi_start with the responder's clock at
# real time plus the offset in $T/clock (+0 now; write +SECONDS there to
# move it), read by libfaketime on every clock call (FAKETIME_NO_CACHE);
# the monotonic clock stays real so that the responder's own timeouts are
# not disturbed.  Nothing else the test starts runs on it.
fcgi_start_faked() {
	echo +0 >"$T/clock"
	LD_PRELOAD=$FAKETIME_LIB
	FAKETIME_TIMESTAMP_FILE=$T/clock
	FAKETIME_NO_CACHE=1
	FAKETIME_DONT_FAKE_MONOTONIC=1
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	export LD_PRELOAD FAKETIME_TIMESTAMP_FILE FAKETIME_NO_CACHE \
	    FAKETIME_DONT_FAKE_MONOTONIC ASAN_OPTIONS
	fcgi_start "$@"
	tap_started=$?
	unset LD_PRELOAD FAKETIME_TIMESTAMP_FILE FAKETIME_NO_CACHE \
	    FAKETIME_DONT_FAKE_MONOTONIC
	return "$tap_started"
}

# --- presence-fcgi through cgi-fcgi ---------------------------------------

# fcgi_start [OPTION...]: start presence-fcgi on a fresh Unix socket with
# the given options (add --db yourself) and wait until it listens.  Sets
# FCGI_PID, FCGI_SOCK and FCGI_ERR (its stderr).
fcgi_start() {
	fcgi_n=$((fcgi_n + 1))
	FCGI_SOCK=$SOCKDIR/fcgi.$fcgi_n.sock
	FCGI_ERR=$T/fcgi.$fcgi_n.err
	"$PRESENCE_FCGI" --listen "$FCGI_SOCK" "$@" \
	    </dev/null >"$T/fcgi.$fcgi_n.out" 2>"$FCGI_ERR" &
	FCGI_PID=$!
	track_pid "$FCGI_PID"
	if ! wait_for 10 fcgi_listening; then
		diag "presence-fcgi $* did not start; its stderr:"
		diag_file "$FCGI_ERR"
		return 1
	fi
}

# Whether the responder started by fcgi_start has its socket, and lives.
fcgi_listening() {
	is_running "$FCGI_PID" || return 2
	[ -S "$FCGI_SOCK" ]
}

# fcgi_request [-t TYPE] [-l LENGTH] [-b FILE | -d BODY] [-s SOCKET]
#     [-m MOUNT] [-e NAME=VALUE]... [-u NAME]... METHOD URI
# Send one request through cgi-fcgi, as lighttpd would at MOUNT ("" by
# default: SCRIPT_NAME is MOUNT, PATH_INFO the path after it).  TYPE is
# the Content-Type (none by default).  LENGTH is CONTENT_LENGTH ("-" for
# none; by default the body's size when there is a body, none otherwise).
# When TOKEN is set, HTTP_AUTHORIZATION is "Bearer $TOKEN".
# -e sets (or overrides) and -u removes a parameter such as HTTP_HOST.
# Sets RESP_STATUS (the number on the Status line, or "none"), RESP_RC
# (cgi-fcgi's exit status) and the files $T/resp.headers (one header a
# line, CRs removed) and $T/resp.body.
fcgi_request() {
	rq_type=- rq_len='' rq_body='' rq_sock=$FCGI_SOCK rq_mount='' rq_extra=''
	rq_unset=
	while [ $# -gt 2 ]; do
		case $1 in
		-t) rq_type=$2 ;;
		-l) rq_len=$2 ;;
		-b) rq_body=$2 ;;
		-d) printf '%s' "$2" >"$T/req.body"; rq_body=$T/req.body ;;
		-s) rq_sock=$2 ;;
		-m) rq_mount=$2 ;;
		-e) rq_extra="$rq_extra$SOH$2" ;;
		-u) rq_unset="$rq_unset $2" ;;
		*) bail_out "fcgi_request: unknown option $1" ;;
		esac
		shift 2
	done
	rq_method=$1
	rq_uri=$2
	rq_path=${rq_uri%%\?*}
	rq_query=
	case $rq_uri in *\?*) rq_query=${rq_uri#*\?} ;; esac
	if [ -z "$rq_len" ]; then
		if [ -n "$rq_body" ]; then
			rq_len=$(wc -c <"$rq_body" | tr -d ' ')
		else
			rq_len=-
		fi
	fi
	[ -n "$rq_body" ] || rq_body=/dev/null

	set -- REQUEST_METHOD="$rq_method" \
	    SCRIPT_NAME="$rq_mount" PATH_INFO="$rq_path" \
	    QUERY_STRING="$rq_query" REQUEST_URI="$rq_mount$rq_uri" \
	    SERVER_PROTOCOL=HTTP/1.1 GATEWAY_INTERFACE=CGI/1.1 \
	    REQUEST_SCHEME=http SERVER_NAME=presence.test SERVER_PORT=80 \
	    REMOTE_ADDR=127.0.0.1 HTTP_HOST=presence.test
	[ "$rq_type" = - ] || set -- "$@" CONTENT_TYPE="$rq_type"
	[ "$rq_len" = - ] || set -- "$@" CONTENT_LENGTH="$rq_len"
	[ -z "$TOKEN" ] || set -- "$@" HTTP_AUTHORIZATION="Bearer $TOKEN"
	tap_ifs=$IFS
	IFS=$SOH
	set -f
	for rq_kv in $rq_extra; do
		[ -n "$rq_kv" ] && set -- "$@" "$rq_kv"
	done
	set +f
	IFS=$tap_ifs
	set -- "$@" "$ENV_BIN"
	for rq_kv in $rq_unset; do
		set -- "$@" -u "$rq_kv"
	done

	# cgi-fcgi sends its whole environment as the request's parameters.
	timeout 20 env -i "$@" "$CGI_FCGI" -bind -connect "$rq_sock" \
	    <"$rq_body" >"$T/resp.raw" 2>"$T/resp.err"
	RESP_RC=$?
	resp_split "$T/resp.raw"
}

# Split a CGI response (headers, blank line, body) into $T/resp.headers
# and $T/resp.body, and set RESP_STATUS.
resp_split() {
	awk -v hdr="$T/resp.headers" -v body="$T/resp.body" '
	BEGIN { inhead = 1; printf "" > hdr; printf "" > body; sep = "" }
	inhead { sub(/\r$/, ""); if ($0 == "") { inhead = 0; next }
		print > hdr; next }
	{ printf "%s%s", sep, $0 > body; sep = "\n" }
	' "$1"
	RESP_STATUS=$(resp_header Status | cut -d' ' -f1)
	[ -n "$RESP_STATUS" ] || RESP_STATUS=none
}

# The value of the first response header NAME (any case), or nothing.
resp_header() {
	awk -v name="$1" '
	{ i = index($0, ":"); if (i == 0) next
	  if (tolower(substr($0, 1, i - 1)) != tolower(name)) next
	  v = substr($0, i + 1); sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v)
	  print v; exit }
	' "$T/resp.headers"
}

# How many times response header NAME appears.
resp_header_count() {
	awk -v name="$1" '
	{ i = index($0, ":")
	  if (i && tolower(substr($0, 1, i - 1)) == tolower(name)) n++ }
	END { print n + 0 }
	' "$T/resp.headers"
}

# Show the last response as diagnostics.
resp_diag() {
	diag "response (cgi-fcgi exit $RESP_RC):"
	diag_file "$T/resp.headers"
	diag_file "$T/resp.body" 5
	diag_file "$T/resp.err" 5
}

# db_entries DB: how many presences mdb_stat counts in the database DB
# (read-only, alongside any running responder).
db_entries() {
	"$MDB_STAT" -s presences "$1" 2>/dev/null |
	    sed -n -e 's/^ *Entries: *//p'
}

# --- JSON without a JSON tool ----------------------------------------------

# Print FILE's JSON with the whitespace between tokens removed, so fixed
# patterns can check key order and values.
json_compact() {
	awk '
	BEGIN { RS = "\001" }
	{ out = ""; instr = 0; esc = 0; n = length($0)
	  for (i = 1; i <= n; i++) {
		c = substr($0, i, 1)
		if (instr) {
			out = out c
			if (esc) esc = 0
			else if (c == "\\") esc = 1
			else if (c == "\"") instr = 0
		} else if (c == "\"") { instr = 1; out = out c }
		else if (c !~ /[ \t\r\n]/) out = out c
	  }
	  printf "%s", out }
	' "$1"
}

# Print FILE's compacted JSON without a leading "@odata.context", so that
# a GET's presence compares with a create's 201 or an export line.
json_entity() {
	json_compact "$1" | sed -e 's/^{"@odata\.context":"[^"]*",/{/'
}

# json_str KEY FILE: the first string value of "KEY" in FILE's JSON, with
# \/ \" and \\ unescaped and other escapes left as they are; fails when
# there is none.
json_str() {
	json_compact "$2" | awk -v key="$1" '
	BEGIN { RS = "\001" }
	{ k = "\"" key "\":\""; i = index($0, k)
	  if (i == 0) exit 1
	  s = substr($0, i + length(k)); out = ""
	  while (length(s) > 0) {
		c = substr(s, 1, 1)
		if (c == "\\") {
			e = substr(s, 2, 1)
			out = out (e == "/" || e == "\"" || e == "\\" ? e : "\\" e)
			s = substr(s, 3); continue
		}
		if (c == "\"") { print out; found = 1; exit 0 }
		out = out c; s = substr(s, 2)
	  }
	  exit 1 }
	END { exit !found }
	'
}

# The "id" values of every object in FILE's JSON, one a line, in order.
json_ids() {
	json_compact "$1" | grep -o '"id":"[^"]*"' | sed -e 's/^"id":"//' \
	    -e 's/"$//'
}

# A lowercase version 4 GUID.
GUID_V4_ERE='^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
GUID_ERE='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'

# presence_ere ID [AVAILABILITY ACTIVITY]: an ERE for the start of a
# presence's compacted JSON: the founding order, with the founding
# example's values unless others are given.
presence_ere() {
	printf '^\\{"@odata\\.type":"#microsoft\\.graph\\.presence",'
	printf '"id":"%s","availability":"%s","activity":"%s"[,}]' \
	    "$1" "${2:-Availability value}" "${3:-Activity value}"
}

# The founding document's example request body, as printed there.
founding_body() {
	cat <<'EOF'
{
  "@odata.type": "#microsoft.graph.presence",
  "availability": "Availability value",
  "activity": "Activity value"
}
EOF
}
