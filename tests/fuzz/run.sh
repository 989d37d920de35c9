#!/bin/sh
# make fuzz: build the fuzz targets with clang's libFuzzer, AddressSanitizer
# and UndefinedBehaviorSanitizer (a compile of their sources of its own,
# whatever CC configure chose), then run each for FUZZ_SECONDS from its
# seed corpus (tests/fuzz/corpus/TARGET) and saved crashes
# (tests/fuzz/regress/TARGET) with tests/fuzz/presence.dict, and print
# what each did.  A crash stops with the input's path: copy it into
# tests/fuzz/regress/TARGET/ so that make check replays it from then on.
#
# Set by the make rule: top_srcdir, top_builddir, FUZZ_SOURCES (the
# storage and fcgi sources, relative to top_srcdir), FUZZ_CFLAGS and
# FUZZ_LIBS (the libraries').  Optional: CLANG (clang), FUZZ_SECONDS (60),
# FUZZ_TARGETS ("codec request record"), FUZZ_JOBS (1, per target).
set -eu

: "${CLANG:=clang}"
: "${FUZZ_SECONDS:=60}"
: "${FUZZ_TARGETS:=codec request record}"
: "${FUZZ_CFLAGS:=}"
: "${FUZZ_LIBS:=}"
src=$(cd "$top_srcdir" && pwd)
build=$(cd "$top_builddir" && pwd)
out=$build/tests/tmp/fuzz

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "fuzz: $CLANG not found: install the Debian packages clang and" \
	    "libclang-rt-14-dev" >&2
	exit 1
fi
case $FUZZ_SECONDS in
''|*[!0-9]*) echo "fuzz: FUZZ_SECONDS must be a number of seconds" >&2; exit 2 ;;
esac

san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-std=gnu11 -g -O1 -fno-omit-frame-pointer $san -I$build -I$src/storage"
cflags="$cflags -I$src/fcgi -I$src/tests -I$src/tests/fuzz $FUZZ_CFLAGS"

# The sources the targets call, instrumented for coverage, built once.
mkdir -p "$out/obj" "$out/crashes"
objs=
for f in $FUZZ_SOURCES; do
	case $f in *.c) ;; *) continue ;; esac
	o=$out/obj/$(printf '%s' "$f" | tr / _ | sed -e 's/\.c$/.o/')
	if [ ! -f "$o" ] || [ "$src/$f" -nt "$o" ] ||
	    [ -n "$(find "$src/storage" "$src/fcgi" -name '*.h' -newer "$o")" ]; then
		echo "  CC (fuzz) $f"
		# shellcheck disable=SC2086 # word lists
		"$CLANG" $cflags -fsanitize=fuzzer-no-link -c "$src/$f" -o "$o"
	fi
	objs="$objs $o"
done
for t in $FUZZ_TARGETS; do
	echo "  CCLD (fuzz) fuzz-$t"
	# shellcheck disable=SC2086
	"$CLANG" $cflags -fsanitize=fuzzer "$src/tests/fuzz/$t.c" \
	    "$src/tests/fuzz/abort.c" $objs $FUZZ_LIBS -o "$out/fuzz-$t"
done

# Run each target; its temporary store goes under its work directory.
failed=0
printf '\n%-8s %12s %9s %8s %9s  %s\n' target executions seconds exec/s \
    corpus result
for t in $FUZZ_TARGETS; do
	work=$out/work-$t
	corpus=$out/corpus-$t
	mkdir -p "$work" "$corpus"
	set -- "$corpus" "$src/tests/fuzz/corpus/$t"
	[ ! -d "$src/tests/fuzz/regress/$t" ] ||
	    set -- "$@" "$src/tests/fuzz/regress/$t"
	rc=0
	(cd "$work" && "$out/fuzz-$t" -max_total_time="$FUZZ_SECONDS" \
	    -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
	    -dict="$src/tests/fuzz/presence.dict" \
	    -artifact_prefix="$out/crashes/$t-" "$@") >"$out/$t.log" 2>&1 ||
	    rc=$?
	execs=$(sed -n -e 's/^stat::number_of_executed_units: *//p' "$out/$t.log")
	secs=$(sed -n -e 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' \
	    "$out/$t.log")
	rate=$(sed -n -e 's/^stat::average_exec_per_sec: *//p' "$out/$t.log")
	inputs=$(find "$corpus" -type f | wc -l | tr -d ' ')
	if [ "$rc" -eq 0 ]; then
		result=ok
	else
		result="CRASH (exit $rc)"
		failed=$((failed + 1))
	fi
	printf '%-8s %12s %9s %8s %9s  %s\n' "$t" "${execs:-?}" \
	    "${secs:-$FUZZ_SECONDS}" "${rate:-?}" "$inputs" "$result"
	if [ "$rc" -ne 0 ]; then
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant broken|.*runtime error)' \
		    "$out/$t.log" | head -n 5 | sed -e 's/^/    /'
		ls "$out/crashes/$t-"* 2>/dev/null | sed -e 's/^/    input: /'
		echo "    log: $out/$t.log"
	fi
done
if [ "$failed" -ne 0 ]; then
	echo "fuzz: $failed target(s) crashed; save each input in" \
	    "tests/fuzz/regress/TARGET/ and fix the bug" >&2
	exit 1
fi
