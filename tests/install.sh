#!/usr/bin/env bash
# install.sh SOURCE_ROOT BUILD_ROOT
# 1. `meson install --destdir` of the current build: headers, library and
#    bianzhi.pc land under the prefix; tests/install/prog.c builds against
#    them with `cc prog.c $(pkg-config --cflags --libs bianzhi)` (pkg-config
#    told about the destdir by PKG_CONFIG_SYSROOT_DIR) and runs.
# 2. A separate build configured with a real --prefix in a temporary
#    directory, installed there: the .pc's own paths must be right for that
#    relocated prefix, with no sysroot help.
set -euo pipefail
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc=${CC:-cc}
# a sanitizer build's library needs its runtime loaded first: not for
# programs built here without it (./bz test runs these in the plain build)
if grep -q 'lib[a-z]*san\.so' <<<"$(ldd "$build/src/libbianzhi.so.1" 2>/dev/null)"; then
	echo "skipped: the library is built with sanitizers"; exit 77
fi
version=$(sed -n 's/^#define BZ_VERSION_STRING "\(.*\)"/\1/p' "$src/include/bianzhi/common.h")
schema=$(sed -n 's/^#define BZ_SCHEMA_VERSION \([0-9]*\)$/\1/p' "$src/include/bianzhi/ledger.h")
want="libbianzhi $version schema $schema: 620000 甘肃省"

check_prog() { # label: compile and run prog with the current PKG_CONFIG_* env
	local label=$1 libdir
	flags=$(pkg-config --cflags --libs bianzhi)
	libdir=$(pkg-config --libs-only-L bianzhi | sed -E 's/^[[:space:]]*-L//; s/[[:space:]].*//')
	# shellcheck disable=SC2086
	"$cc" -Wall -Wextra -Werror -o "$tmp/prog-$label" "$src/tests/install/prog.c" $flags
	got=$(LD_LIBRARY_PATH="$libdir" "$tmp/prog-$label")
	if [ "$got" != "$want" ]; then
		echo "FAIL ($label): prog printed '$got', want '$want'"
		exit 1
	fi
	# the program must have picked up the installed library, not the build tree
	# (ldd's output first, then grep: `ldd | grep -q` under pipefail fails
	# whenever grep quits before ldd has written everything)
	local linked
	linked=$(LD_LIBRARY_PATH="$libdir" ldd "$tmp/prog-$label")
	if ! grep -q "libbianzhi.so.1 => $libdir/" <<<"$linked"; then
		echo "FAIL ($label): prog did not link the installed libbianzhi.so.1 from $libdir"
		echo "pkg-config --libs: $(pkg-config --libs bianzhi)"
		LD_LIBRARY_PATH="$libdir" ldd "$tmp/prog-$label"
		exit 1
	fi
	echo "ok ($label): $got [$flags]"
}

# --- 1. destdir install of the current build
dest=$tmp/dest
meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >/dev/null
pc=$(find "$dest" -name bianzhi.pc | head -n1)
[ -n "$pc" ] || { echo "FAIL: no bianzhi.pc installed"; exit 1; }
for f in bianzhi.h bianzhi/common.h bianzhi/ledger.h bianzhi/txn.h; do
	[ -n "$(find "$dest" -path "*/include/$f")" ] || { echo "FAIL: header $f not installed"; exit 1; }
done
for h in "$src"/include/bianzhi/*.h; do
	[ -n "$(find "$dest" -path "*/include/bianzhi/$(basename "$h")")" ] \
		|| { echo "FAIL: header bianzhi/$(basename "$h") not installed (include/meson.build)"; exit 1; }
done
# the XLS helper the library runs (src/bianzhi-xls.c), in LIBEXECDIR/bianzhi
helper=$(find "$dest" -path "*/bianzhi/bianzhi-xls" -type f | head -n1)
[ -n "$helper" ] && [ -x "$helper" ] || { echo "FAIL: bianzhi-xls not installed in LIBEXECDIR/bianzhi"; exit 1; }
[ -n "$(find "$dest" -name libbianzhi.so.1)" ] || { echo "FAIL: libbianzhi.so.1 not installed"; exit 1; }
PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$dest \
	check_prog destdir

# --- 2. a real, relocated prefix
prefix=$tmp/prefix
meson setup "$tmp/build" "$src" --prefix "$prefix" -Dtests=false -Dbindings=false \
	-Dbuildtype=plain >"$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log"; exit 1; }
ninja -C "$tmp/build" install >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; exit 1; }
pc=$(find "$prefix" -name bianzhi.pc | head -n1)
[ -n "$pc" ] || { echo "FAIL: no bianzhi.pc under $prefix"; exit 1; }
grep -q "^prefix=$prefix\$" "$pc" || { echo "FAIL: $pc does not name prefix $prefix"; cat "$pc"; exit 1; }
PKG_CONFIG_PATH=$(dirname "$pc") check_prog prefix
