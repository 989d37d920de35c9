#!/bin/sh
# The manual pages: presence-fcgi(8) and presence-console(1) render
# without a warning (man's --warnings, as lintian checks them), and each
# names every long option and environment variable its program's --help
# lists, so a page cannot fall behind the code.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

MAN=$(command -v man)
require_tool "$MAN" man man-db
[ -x "$PRESENCE_CONSOLE" ] || bail_out "'$PRESENCE_CONSOLE' is not built"
require_fcgi
tap_init web-manpages

# page_check PROGRAM PAGE: the checks above for one page.
page_check() {
	pc_name=$(basename "$2")
	if [ ! -r "$2" ]; then
		fail "$pc_name is shipped" "no '$2'"
		return
	fi
	# man-db and groff, as lintian runs them; stdout is the page.
	MANROFFSEQ='' MANWIDTH=80 "$MAN" --warnings -E UTF-8 -l -Tutf8 -Z \
	    "$2" >/dev/null 2>"$T/$pc_name.warn"
	is "$?" 0 "$pc_name: man renders it"
	is "$(cat "$T/$pc_name.warn")" "" "$pc_name: no warning" ||
	    diag_file "$T/$pc_name.warn"
	# In the source each '-' of an option is '\-'; read it as written.
	sed -e 's/\\-/-/g' "$2" >"$T/$pc_name.txt"
	"$1" --help >"$T/$pc_name.help" 2>&1 ||
	    bail_out "$1 --help failed"
	grep -o -e '--[a-z][a-z-]*' "$T/$pc_name.help" | sort -u \
	    >"$T/$pc_name.opts"
	grep -o -e 'PRESENCE_[A-Z_]*' "$T/$pc_name.help" | sort -u \
	    >>"$T/$pc_name.opts"
	[ -s "$T/$pc_name.opts" ] ||
	    bail_out "no option found in $1 --help"
	pc_missing=
	while read -r pc_opt; do
		grep -q -e "$pc_opt\([^A-Za-z_-]\|$\)" "$T/$pc_name.txt" ||
		    pc_missing="$pc_missing $pc_opt"
	done <"$T/$pc_name.opts"
	is "$pc_missing" "" \
	    "$pc_name: every option and variable of --help ($(wc -l <"$T/$pc_name.opts"))"
}

page_check "$PRESENCE_FCGI" "$top_srcdir/fcgi/presence-fcgi.8"
page_check "$PRESENCE_CONSOLE" "$top_srcdir/console/presence-console.1"

done_testing
