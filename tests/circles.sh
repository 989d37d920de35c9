#!/bin/sh
# No two files of storage/, fcgi/ or console/ depend on each other, even
# through others: a circle means neither can be read, tested or replaced
# without the other.  The dependencies are read off the built objects
# (which file's object uses a symbol another file's object defines), so
# calls through headers and tables count as well as includes.  The check
# is also run over two small objects that call each other, and must catch
# them, so it cannot pass by finding nothing.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

tap_init circles
command -v nm >/dev/null 2>&1 || skip_all "nm not found"
command -v tsort >/dev/null 2>&1 || skip_all "tsort not found"
: "${top_builddir:?}"

# edges OBJECT...: "USER DEFINER" for each symbol one object uses that
# another of them defines, the objects named by their source file.
edges() {
	nm -A "$@" 2>/dev/null | awk '
	{
		file = $1; sub(/:.*/, "", file); sub(/.*\//, "", file)
		sub(/\.o$/, "", file); sub(/^[a-z_]*-/, "", file)
		if ($(NF - 1) ~ /^[TDRBCV]$/) def[$NF] = file
		else if ($(NF - 1) == "U") use[file " " $NF] = 1
	}
	END {
		for (k in use) {
			split(k, f, " ")
			if ((f[2] in def) && def[f[2]] != f[1])
				print f[1], def[f[2]]
		}
	}' | sort -u
}

# circles OBJECT...: the files that tsort finds in a loop, or nothing.
circles() {
	edges "$@" >"$T/edges"
	tsort "$T/edges" 2>&1 >/dev/null | sed -n -e 's/^tsort: //p' |
	    grep -v 'input contains a loop'
}

for dir in storage fcgi console; do
	set -- "$top_builddir/$dir"/*.o
	[ -f "$1" ] || bail_out "no objects in '$top_builddir/$dir' (build first)"
	found=$(circles "$@")
	if [ -z "$found" ]; then
		pass "no files of $dir/ depend on each other in a circle ($# objects)"
	else
		fail "no files of $dir/ depend on each other in a circle" \
		    "in a circle:" "$found"
	fi
done

# Two files that call each other are caught.
CC=${CC:-cc}
printf 'void b(void);\nvoid a(void) { b(); }\n' >"$T/a.c"
printf 'void a(void);\nvoid b(void) { a(); }\n' >"$T/b.c"
printf 'void a(void);\nvoid c(void) { a(); }\n' >"$T/c.c"
if $CC -c -o "$T/a.o" "$T/a.c" && $CC -c -o "$T/b.o" "$T/b.c" &&
    $CC -c -o "$T/c.o" "$T/c.c"; then
	found=$(circles "$T/a.o" "$T/b.o" "$T/c.o" | sort | tr '\n' ' ')
	is "$found" "a b " "a circle of two files is caught, and only its files"
	is "$(circles "$T/a.o" "$T/c.o")" "" "a one-way dependency is not a circle"
else
	fail "the circle fixture compiles"
fi

done_testing
