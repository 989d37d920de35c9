# The SDK test's npm packages (tests/sdk/package-lock.json), installed with
# npm ci into tests/sdk/ of the build tree; sourced by the tests that use
# them after tests/lib.sh.  SDK_SRC and SDK_DIR name the two directories.
# The tests of tests/sdk/ run side by side under make -j: one installs at
# a time (flock), and the others find its install done.

SDK_SRC=$top_srcdir/tests/sdk
SDK_DIR=$top_builddir/tests/sdk

# npm ci into SDK_DIR, unless its node_modules were installed from this
# very lock file; npm's cache serves when the registry cannot be reached.
sdk_install_locked() {
	if cmp -s "$SDK_SRC/package-lock.json" \
	    "$SDK_DIR/node_modules/.presence-lock.json"; then
		return 0
	fi
	if [ "$SDK_SRC" != "$SDK_DIR" ]; then
		cp "$SDK_SRC/package.json" "$SDK_SRC/package-lock.json" \
		    "$SDK_DIR/" || return 1
	fi
	timeout 600 "$NPM" ci --prefix "$SDK_DIR" --prefer-offline \
	    --ignore-scripts --no-audit --no-fund </dev/null \
	    >"$SDK_DIR/npm-ci.log" 2>&1 || return 1
	cp "$SDK_SRC/package-lock.json" \
	    "$SDK_DIR/node_modules/.presence-lock.json"
}

# sdk_install: the packages in SDK_DIR/node_modules, or fail (see
# SDK_DIR/npm-ci.log).
sdk_install() {
	mkdir -p "$SDK_DIR" || return 1
	(
		flock -w 900 9 || exit 1
		sdk_install_locked
	) 9>"$SDK_DIR/.install.lock"
}
