#!/bin/sh
# presence-fcgi's command line: --help, --version, bad options and a
# database it cannot open.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_fcgi
tap_init blackbox-cli

VERSION=$(sed -n -e 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' \
    "$top_builddir/config.h" 2>/dev/null)
[ -n "$VERSION" ] || bail_out "no PACKAGE_VERSION in '$top_builddir/config.h'"

# run_fcgi ARG...: run presence-fcgi to completion (bounded), set RUN_RC.
run_fcgi() {
	timeout 10 "$PRESENCE_FCGI" "$@" </dev/null >"$T/out" 2>"$T/err"
	RUN_RC=$?
}

run_fcgi --help
is "$RUN_RC" 0 "--help exits 0"
like "$(cat "$T/out")" '--listen' "--help lists --listen"
like "$(cat "$T/out")" '--max-body' "--help lists --max-body"
like "$(cat "$T/out")" '--db' "--help lists --db"

run_fcgi --version
is "$RUN_RC" 0 "--version exits 0"
like "$(cat "$T/out")" "$(printf '%s' "$VERSION" | sed -e 's/\./\\./g')" \
    "--version prints $VERSION"

run_fcgi --no-such-option
unlike "$RUN_RC" '^0$' "an unknown option fails"
like "$(cat "$T/err")" . "an unknown option: a message on stderr"

run_fcgi --max-body nonsense --listen "$SOCKDIR/never.sock"
unlike "$RUN_RC" '^(0|124)$' "--max-body nonsense fails at once"
ok "--max-body nonsense: no socket left" test ! -e "$SOCKDIR/never.sock"

: >"$T/not-a-dir"
run_fcgi --db "$T/not-a-dir/db" --listen "$SOCKDIR/never.sock"
unlike "$RUN_RC" '^(0|124)$' "a database that cannot be opened fails at once"
like "$(cat "$T/err")" "not-a-dir/db" "that failure names the database path"
is "$(grep -c . "$T/err")" 1 "that failure is one line on stderr"

done_testing
