#!/bin/sh
# The include rules of the architecture, checked over the source tree.
# Arrows point one way: fcgi/ -> storage/ <- console/.  storage/ is the
# only home of LMDB and json-c, and no LMDB or json-c type crosses one of
# its public headers (db.h, its LMDB layer, and reader.h, its JSON reader,
# are private to storage/), so
# both programs get plain structs and bytes from it;
# libfcgi stays in fcgi/ (in its adapter, main.c and the worker loop) and
# curses in console/; fcgi/ and console/ never include each other.  Each
# rule is a test point.  Each rule is also run over a small tree that
# breaks it, and must catch that, so a rule cannot pass by matching
# nothing.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

tap_init layering
TAB=$(printf '\t')

# The header of an #include line, with its opening < or ".
INCLUDE_SED='s/^[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"][^>"]*\)[>"].*$/\1/p'

# list_includes ROOT: one line per #include in the C sources under ROOT's
# storage/, fcgi/, console/ and tests/: FILE<TAB><HEADER or "HEADER.
list_includes() {
	(
		cd "$1" || exit 1
		for dir in storage fcgi console tests; do
			[ -d "$dir" ] || continue
			find "$dir" -path tests/tmp -prune -o -type f \
			    \( -name '*.c' -o -name '*.h' \) -print
		done | sort | while read -r file; do
			sed -n -e "$INCLUDE_SED" "$file" |
			    sed -e "s|^|$file$TAB|"
		done
	)
}

# select_includes LIST ERE: the lines whose header (with its < or ")
# matches ERE.
select_includes() {
	awk -F "$TAB" -v re="$2" '$2 ~ re' "$1"
}

# outside LIST ERE FILE-ERE: the lines whose header matches ERE in a file
# that does not match FILE-ERE.
outside() {
	awk -F "$TAB" -v re="$2" -v files="$3" '$2 ~ re && $1 !~ files' "$1"
}

LMDB_ERE='^[<"]lmdb\.h$'
FCGI_ERE='^[<"](fcgiapp|fcgi_stdio|fcgio|fcgios|fcgimisc|fcgiappmisc|fastcgi|fcgi_config)\.h$'
CURSES_ERE='^([<"](curses|ncurses|ncursesw/[^/]*|ncurses/[^/]*)\.h|<(panel|menu|form|term)\.h)$'
FOREIGN_TYPES_ERE='\<(MDB_(env|txn|dbi|val|cursor|stat|envinfo)|json_object|json_tokener)\>'
JSONC_ERE='^([<"]json-c/|<json[a-z_]*\.h$)'

# The rules: each prints the includes that break it, nothing when kept.
rule_lmdb() { outside "$1" "$LMDB_ERE" '^(storage|tests/storage)/'; }
rule_fcgi() { outside "$1" "$FCGI_ERE" '^(fcgi/|tests/bench/ceiling\.c$)'; }
rule_adapter() {
	outside "$1" "$FCGI_ERE" '^(fcgi/(adapter\.[ch]|main\.c|worker\.c)|tests/bench/ceiling\.c)$'
	outside "$1" '^"adapter\.h$' '^fcgi/(adapter\.c|main\.c|worker\.c)$'
}
rule_curses() { outside "$1" "$CURSES_ERE" '^console/'; }
rule_jsonc() { outside "$1" "$JSONC_ERE" '^(storage|tests/fuzz)/'; }

# Quoted includes in DIR/ that name the OTHER directory, or a header that
# only OTHER/ has.
crossing() {
	awk -F "$TAB" -v dir="$2/" -v other="$3/" -v root="$4" '
	function exists(f) { return (system("test -f \"" root "/" f "\"") == 0) }
	index($1, dir) == 1 && substr($2, 1, 1) == "\"" {
		h = substr($2, 2); base = h; sub(/.*\//, "", base)
		if (index(h, other) || index(h, "../" other)) { print; next }
		if (exists(other base) && !exists(dir base) &&
		    !exists("storage/" base)) print
	}' "$1"
}
rule_faces() {
	crossing "$1" fcgi console "$2"
	crossing "$1" console fcgi "$2"
}

# storage/ includes only its own headers (and config.h) in quotes.
rule_storage() {
	awk -F "$TAB" -v root="$2" '
	index($1, "storage/") == 1 && substr($2, 1, 1) == "\"" {
		h = substr($2, 2)
		if (h == "config.h") next
		if (h ~ /\// || system("test -f \"" root "/storage/" h "\"") != 0)
			print
	}' "$1"
}

# storage/'s private headers: its LMDB layer and its JSON reader.
PRIVATE_ERE='^"(db|reader)\.h$'

# No LMDB or json-c type crosses a public storage header.
rule_surface() {
	for h in "$2"/storage/*.h; do
		[ -f "$h" ] || continue
		printf '"%s\n' "${h##*/}" | grep -qE "$PRIVATE_ERE" && continue
		grep -HnE "$FOREIGN_TYPES_ERE" "$h" | sed -e "s|^$2/||"
	done
	select_includes "$1" "$LMDB_ERE|$JSONC_ERE" |
	    awk -F "$TAB" '$1 ~ /^storage\/[^\/]*\.h$/' |
	    grep -vE "^storage/(db|reader)\.h$TAB"
}

# storage/'s private headers are included only in storage/.
rule_private() { outside "$1" "$PRIVATE_ERE" '^storage/'; }

RULES='lmdb fcgi adapter curses jsonc faces storage surface private'

# describe RULE: what the rule says, for the test point.
describe() {
	case $1 in
	lmdb) echo "<lmdb.h> only in storage/ (and its tests)" ;;
	fcgi) echo "libfcgi headers only in fcgi/ and tests/bench/ceiling.c" ;;
	adapter) echo "in fcgi/, libfcgi only in the adapter, main.c and the worker loop, adapter.h only included there" ;;
	curses) echo "curses only in console/" ;;
	jsonc) echo "json-c only in storage/ (and the fuzz targets)" ;;
	faces) echo "fcgi/ and console/ never include each other's headers" ;;
	storage) echo "storage/ includes nothing from fcgi/ or console/" ;;
	surface) echo "no LMDB or json-c type crosses a public storage header" ;;
	private) echo "storage/db.h and reader.h, private, only included in storage/" ;;
	esac
}

# culprit RULE: the file of the broken tree below that breaks RULE.
culprit() {
	case $1 in
	lmdb) echo fcgi/leak.c ;;
	fcgi) echo console/web.c ;;
	adapter) echo fcgi/router.c ;;
	curses) echo fcgi/tty.c ;;
	jsonc) echo fcgi/body.c ;;
	faces) echo fcgi/handler.c ;;
	storage) echo storage/store.c ;;
	surface) echo storage/store.h ;;
	private) echo console/peek.c ;;
	esac
}

# check_tree ROOT PREFIX EXPECT: run every rule over ROOT; EXPECT is
# "clean" (no rule may find anything) or "broken" (every rule must name
# its culprit, and nothing else may be named in storage/ok.c).
check_tree() {
	list_includes "$1" >"$T/includes" || bail_out "cannot list the includes of '$1'"
	for rule in $RULES; do
		"rule_$rule" "$T/includes" "$1" >"$T/found"
		if [ "$3" = clean ]; then
			if [ -s "$T/found" ]; then
				fail "$2$(describe "$rule")" "broken by:"
				diag_file "$T/found"
			else
				pass "$2$(describe "$rule")"
			fi
		elif grep -q "^$(culprit "$rule")[:$TAB]" "$T/found" &&
		    ! grep -q '^storage/ok\.c' "$T/found"; then
			pass "$2$(describe "$rule")"
		else
			fail "$2$(describe "$rule")" \
			    "expected to name $(culprit "$rule") only; named:"
			diag_file "$T/found"
		fi
	done
}

# The real tree.  The scan must see what is known to be there.
list_includes "$top_srcdir" >"$T/real"
like "$(select_includes "$T/real" "$LMDB_ERE" | cut -f1)" '^storage/db\.h$' \
    "the scan sees storage/db.h include <lmdb.h>"
like "$(select_includes "$T/real" "$JSONC_ERE" | cut -f1)" '^storage/codec\.c$' \
    "the scan sees storage/codec.c include <json-c/json.h>"
check_tree "$top_srcdir" "" clean

# A tree that breaks every rule once.
B=$T/broken
mkdir -p "$B/storage" "$B/fcgi" "$B/console" "$B/tests/bench" \
    "$B/tests/console" || bail_out "cannot create '$B'"
printf '#include <lmdb.h>\n' >"$B/fcgi/leak.c"			# lmdb
printf '  #  include "fcgiapp.h"\n' >"$B/console/web.c"		# fcgi
printf '#include <fcgiapp.h>\n' >"$B/fcgi/router.c"		# adapter
printf '#include <ncursesw/curses.h>\n' >"$B/fcgi/tty.c"	# curses
printf '#include <json-c/json.h>\n' >"$B/fcgi/body.c"		# jsonc
printf '#include "view.h"\n' >"$B/fcgi/handler.c"		# faces
: >"$B/console/view.h"
printf '#include "../fcgi/odata.h"\n' >"$B/storage/store.c"	# storage
printf 'struct store { MDB_env *env; };\n' >"$B/storage/store.h"	# surface
printf '#include <lmdb.h>\n' >>"$B/storage/store.h"
printf '#include "db.h"\n' >"$B/console/peek.c"			# private
printf 'struct store { MDB_env *env; };\n' >"$B/storage/db.h"
printf '#include <stdio.h>\n#include "store.h"\n#include "db.h"\n' \
    >"$B/storage/ok.c"
check_tree "$B" "a violation is caught: " broken

done_testing
