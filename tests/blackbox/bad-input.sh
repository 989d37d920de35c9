#!/bin/sh
# The bad-input table (bad-input.tsv): each row one request to the real
# presence-fcgi through cgi-fcgi, and the status and error code it must
# answer.  Then: the responder still runs, and no refused request wrote
# anything.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
require_fcgi
tap_init blackbox-bad-input
TABLE=$top_srcdir/tests/blackbox/bad-input.tsv
[ -r "$TABLE" ] || bail_out "cannot read '$TABLE'"

mkdir "$T/db" || bail_out "cannot create the database directory"
need_token "$T/db"
fcgi_start --db "$T/db" --max-body 4096 || bail_out "presence-fcgi did not start"

# Write a table body to FILE: {{S*N}} repeats S N times, then %XX is a byte.
decode_body() {
	printf '%s' "$1" | awk '
	function hexval(c) { return index("0123456789abcdef", tolower(c)) - 1 }
	BEGIN { RS = "\001" }
	{ s = $0
	  while (match(s, /\{\{[^*}]+\*[0-9]+\}\}/)) {
		tok = substr(s, RSTART + 2, RLENGTH - 4)
		star = index(tok, "*"); unit = substr(tok, 1, star - 1)
		n = substr(tok, star + 1) + 0; rep = ""
		for (i = 0; i < n; i++) rep = rep unit
		s = substr(s, 1, RSTART - 1) rep substr(s, RSTART + RLENGTH)
	  }
	  out = ""
	  while (match(s, /%[0-9A-Fa-f][0-9A-Fa-f]/)) {
		out = out substr(s, 1, RSTART - 1)
		out = out sprintf("%c", hexval(substr(s, RSTART + 1, 1)) * 16 + \
		    hexval(substr(s, RSTART + 2, 1)))
		s = substr(s, RSTART + 3)
	  }
	  printf "%s%s", out, s }
	' >"$2"
}

# check_row CHECKS: run a row's ";"-separated checks; print what failed.
check_row() {
	tap_ifs=$IFS
	IFS=';'
	set -f
	set -- $1
	set +f
	IFS=$tap_ifs
	for check in "$@"; do
		case $check in
		msg~*)
			msg=$(json_str message "$T/resp.body")
			case $msg in
			*"${check#msg~}"*) ;;
			*) echo "message \"$msg\" lacks ${check#msg~}" ;;
			esac
			;;
		hdr:*~*)
			name=${check#hdr:}
			name=${name%%~*}
			value=$(resp_header "$name")
			case $value in
			*"${check#*~}"*) ;;
			*) echo "header $name \"$value\" lacks ${check#*~}" ;;
			esac
			;;
		*)
			echo "bad check '$check' in the table"
			;;
		esac
	done
}

created=0
TAB=$(printf '\t')
while IFS=$TAB read -r name method uri type length body status code checks; do
	case $name in ''|'#'*) continue ;; esac
	set --
	[ "$type" = - ] || { [ "$type" = '""' ] && type=; set -- -t "$type"; }
	case $length in
	auto) ;;
	*) set -- "$@" -l "$length" ;;
	esac
	if [ "$body" != - ]; then
		decode_body "$body" "$T/row.body"
		set -- "$@" -b "$T/row.body"
	fi
	fcgi_request "$@" "$method" "$uri"

	why=
	[ "$RESP_STATUS" = "$status" ] ||
	    why="status $RESP_STATUS, expected $status"
	if [ "$code" = - ]; then
		[ "$RESP_STATUS" = 201 ] && created=$((created + 1))
	else
		got=$(json_str code "$T/resp.body")
		[ "$got" = "$code" ] || why="$why${why:+; }code '$got', expected $code"
		ctype=$(resp_header Content-Type)
		[ "$ctype" = application/json ] ||
		    why="$why${why:+; }Content-Type '$ctype'"
	fi
	printf '%s\n' "$(resp_header request-id)" | grep -Eq "$GUID_ERE" ||
	    why="$why${why:+; }no request-id"
	[ "$checks" = - ] || why="$why${why:+; }$(check_row "$checks")"
	why=${why%; }
	want=$status
	[ "$code" = - ] || want="$status $code"
	if [ -z "$why" ]; then
		pass "$name: $method $uri -> $want"
	else
		fail "$name: $method $uri -> $want" "$why"
		resp_diag
	fi
done <"$TABLE"

ok "the responder survived the table" is_running "$FCGI_PID"
fcgi_request GET "/communications/presences?\$top=999"
is "$(json_ids "$T/resp.body" | wc -l | tr -d ' ')" "$created" \
    "only the accepted rows wrote records ($created)"

done_testing
