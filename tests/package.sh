#!/usr/bin/env bash
# package.sh SOURCE_ROOT: the Debian packages build and hold a working
# library. tools/package.sh builds them (dpkg-buildpackage -us -uc -b,
# nocheck, from a copy of the working tree); every package but the -dbgsym
# ones is unpacked with dpkg-deb -x into a throwaway root, and against that
# root only:
#   - tests/install/prog.c builds with pkg-config (sysroot = the root) and runs
#     on the packaged libbianzhi.so.1;
#   - /usr/bin/python3 imports bianzhi from the root's dist-packages and
#     writes a ledger, which the packaged bianzhi tool reads;
#   - a Java class runs against the root's bianzhi.jar and JNI library;
#   - the symbols file, man pages, API reference, pom and jar link are there.
# Skipped (77) when dpkg-buildpackage, debhelper or a build dependency is
# missing: `./bz package` or `./bz test` (as root) installs them.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export LC_ALL=C.UTF-8
src=$(cd "$1" && pwd)
for t in dpkg-buildpackage dh dpkg-deb dpkg-checkbuilddeps; do
	command -v "$t" >/dev/null || { echo "skipped: $t not found (apt-get install dpkg-dev debhelper)"; exit 77; }
done
if ! unmet=$(cd "$src" && dpkg-checkbuilddeps 2>&1); then
	echo "skipped: build dependencies of debian/control missing: $unmet"; exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
t0=$SECONDS
"$src/tools/package.sh" "$src" "$tmp/debs"
echo "packages built in $((SECONDS - t0)) s"

version=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
schema=$(sed -n 's/^#define BZ_SCHEMA_VERSION \([0-9]*\)$/\1/p' "$src/include/bianzhi/ledger.h")
triplet=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
root=$tmp/root
for p in libbianzhi1 libbianzhi-dev python3-bianzhi libbianzhi-jni libbianzhi-java bianzhi-tools; do
	deb=$(ls "$tmp/debs/${p}_${version}_"*.deb 2>/dev/null | head -n1)
	[ -n "$deb" ] || fail "package $p was not built"
	dpkg-deb -x "$deb" "$root"
done
libdir=$root/usr/lib/$triplet

# --- what each package holds
for f in usr/lib/$triplet/libbianzhi.so.1 usr/lib/$triplet/libbianzhi.so usr/lib/$triplet/libbianzhi.a \
	usr/lib/$triplet/pkgconfig/bianzhi.pc usr/include/bianzhi.h usr/include/bianzhi/common.h \
	usr/share/doc/libbianzhi-dev/html/index.html usr/share/man/man3/bianzhi.3.gz \
	usr/bin/bianzhi usr/share/man/man1/bianzhi.1.gz \
	usr/lib/python3/dist-packages/bianzhi/__init__.py usr/lib/python3/dist-packages/bianzhi/py.typed \
	usr/lib/$triplet/jni/libbianzhi_jni.so usr/lib/$triplet/bianzhi/bianzhi-xls \
	"usr/share/java/bianzhi-$version.jar" usr/share/java/bianzhi.jar \
	"usr/share/maven-repo/org/bianzhi/bianzhi/$version/bianzhi-$version.pom" \
	"usr/share/maven-repo/org/bianzhi/bianzhi/$version/bianzhi-$version.jar" \
	usr/share/doc/libbianzhi-java/api/index.html; do
	[ -e "$root/$f" ] || fail "$f is in no package (or a dangling link)"
done
[ "$(readlink "$root/usr/share/java/bianzhi.jar")" = "bianzhi-$version.jar" ] \
	|| fail "usr/share/java/bianzhi.jar is not a link to bianzhi-$version.jar"
# the symbols file: every function of src/bianzhi.map, at its node's version
# the library runs the XLS helper it ships, where the package puts it
grep -qa "/usr/lib/$triplet/bianzhi/bianzhi-xls" "$libdir/libbianzhi.so.1" \
	|| fail "libbianzhi.so.1 does not name /usr/lib/$triplet/bianzhi/bianzhi-xls"
dpkg-deb -I "$tmp/debs/libbianzhi1_${version}_"*.deb symbols >"$tmp/symbols"
python3 "$src/debian/gen-symbols.py" "$src/src/bianzhi.map" >"$tmp/symbols.want"
diff -u "$tmp/symbols.want" "$tmp/symbols" || fail "libbianzhi1's symbols file differs from src/bianzhi.map"
echo "ok: package contents, $(grep -c '@BIANZHI_' "$tmp/symbols") symbols"

# --- C, through pkg-config, against the root
want="libbianzhi $version schema $schema: 620000 甘肃省"
export PKG_CONFIG_PATH=$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root
# the root's /usr/lib/<triplet> is a system directory to pkg-config: keep its -L
export PKG_CONFIG_ALLOW_SYSTEM_LIBS=1 PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1
flags=$(pkg-config --cflags --libs bianzhi)
case $flags in *"-I$root/usr/include"*) ;; *) fail "pkg-config --cflags does not point into the root: $flags" ;; esac
# shellcheck disable=SC2086
"${CC:-cc}" -Wall -Wextra -Werror -o "$tmp/prog" "$src/tests/install/prog.c" $flags
got=$(LD_LIBRARY_PATH=$libdir "$tmp/prog")
[ "$got" = "$want" ] || fail "prog printed '$got', want '$want'"
grep -q "libbianzhi.so.1 => $libdir/" <<<"$(LD_LIBRARY_PATH=$libdir ldd "$tmp/prog")" \
	|| fail "prog did not load the packaged libbianzhi.so.1"
echo "ok: C program via pkg-config [$flags]"
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

# --- Python: nothing but the root's dist-packages and library
pydir=$root/usr/lib/python3/dist-packages
out=$(cd "$tmp" && env -u PYTHONHOME PYTHONPATH="$pydir" LD_LIBRARY_PATH="$libdir" \
	/usr/bin/python3 -s - "$tmp/py.ledger" <<'PY'
import sys
import bianzhi
with bianzhi.open(sys.argv[1]) as ledger:
    with ledger.transaction("张三", "陇南市编办") as t:
        t.create_jurisdiction("620000", "甘肃省")
print(bianzhi.version(), bianzhi.__file__)
PY
)
echo "$out"
case $out in "$version $pydir/bianzhi/__init__.py") ;; *) fail "python3 did not import the packaged bianzhi $version" ;; esac
info=$(LD_LIBRARY_PATH=$libdir "$root/usr/bin/bianzhi" info "$tmp/py.ledger")
grep -q '^jurisdictions: *1$' <<<"$info" || { echo "$info"; fail "the packaged bianzhi tool did not read the Python-made ledger"; }
echo "ok: Python import and the bianzhi tool"

# --- Java: the root's jar and JNI library
if command -v java >/dev/null; then
	cat >"$tmp/Hello.java" <<'JAVA'
import bianzhi.*;

public class Hello {
    public static void main(String[] args) throws Exception {
        try (Ledger ledger = Ledger.open(":memory:")) {
            try (Transaction t = ledger.begin("张三", "陇南市编办")) {
                t.createJurisdiction("620000", "甘肃省", null);
                t.commit();
            }
            System.out.println("java " + Ledger.version());
        }
    }
}
JAVA
	got=$(LD_LIBRARY_PATH=$libdir java -Djava.library.path="$libdir/jni" \
		-cp "$root/usr/share/java/bianzhi.jar" "$tmp/Hello.java")
	[ "$got" = "java $version" ] || fail "the Java class printed '$got', want 'java $version'"
	echo "ok: Java against the packaged jar and JNI library"
else
	echo "note: no java, the Java check is not run"
fi
echo "ok: packages checked in $((SECONDS - t0)) s"
