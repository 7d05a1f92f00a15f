#!/usr/bin/env bash
# tools/package.sh SOURCE_ROOT OUTDIR [--lintian]
# Build libbianzhi's Debian packages (debian/) from a copy of the working
# tree (everything but .git and build*/ — uncommitted files included), with
# dpkg-buildpackage -us -uc -b and DEB_BUILD_OPTIONS=nocheck (the tests run in
# meson test, not here), and put the .deb, .changes and .buildinfo files into
# OUTDIR (emptied first). --lintian: run lintian on the result; errors fail.
# Used by `./bz package` and tests/package.sh.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export LC_ALL=C.UTF-8
src=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
run_lintian=${3:-}
version=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tree=$work/libbianzhi-$version
mkdir -p "$tree"
# top-level build*/ (meson build dirs) and .git stay behind; so does the output
tar -C "$src" --exclude=./.git --exclude='./build*' --exclude=./obj-\* \
	--exclude="./$(realpath --relative-to="$src" "$out" 2>/dev/null || echo .none)" -cf - . \
	| tar -C "$tree" -xf -
rm -rf "$tree"/debian/.debhelper "$tree"/debian/tmp
if ! (cd "$tree" && dpkg-checkbuilddeps); then
	echo "package.sh: build dependencies missing (above); as root: apt-get install them, or ./bz package" >&2
	exit 1
fi
jobs=$(nproc 2>/dev/null || echo 1)
t0=$SECONDS
echo "package.sh: dpkg-buildpackage -us -uc -b in $tree (nocheck, parallel=$jobs)"
if ! (cd "$tree" && DEB_BUILD_OPTIONS="nocheck parallel=$jobs" \
	dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1); then
	tail -n 60 "$work/build.log"
	echo "package.sh: dpkg-buildpackage failed (the last lines of its log are above)" >&2
	exit 1
fi
echo "package.sh: built in $((SECONDS - t0)) s"
rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
mv "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out"/
cp "$work/build.log" "$out/build.log"
ls -1 "$out"/*.deb
if [ "$run_lintian" = --lintian ]; then
	echo "package.sh: lintian"
	lintian --tag-display-limit 0 "$out"/*.changes 2>&1 | grep -v 'running with root privileges' | tee "$out/lintian.log" || true
	if grep -q '^E: ' "$out/lintian.log"; then
		echo "package.sh: lintian found errors" >&2
		exit 1
	fi
	echo "package.sh: lintian: $(grep -c '^E: ' "$out/lintian.log") errors, $(grep -c '^W: ' "$out/lintian.log") warnings"
fi
