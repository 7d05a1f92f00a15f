#!/usr/bin/env bash
# install_bindings.sh SOURCE_ROOT BUILD_ROOT: the bindings install where
# Debian's tools find them for the chosen prefix.
# 1. `meson install --destdir` of the current build: the Python package is in
#    <prefix>/lib/python3/dist-packages (prefix /usr) or
#    <prefix>/lib/python3.X/dist-packages (any other prefix), and
#    /usr/bin/python3 imports it with PYTHONPATH set to that one directory
#    and LD_LIBRARY_PATH to the staged libdir, and its py.typed marker (PEP
#    561) and _capi.pyi stub are installed beside it; the jar is
#    bianzhi-<version>.jar + the link bianzhi.jar in <prefix>/share/java, the
#    pom in share/maven-repo, the JNI library in <libdir>/jni, and a Java
#    class runs against them. Without the JNI library on its path the loader's
#    error lists what it tried.
# 2. The README's "staging prefix" block, run as written (HOME and the build
#    directory moved into a temporary directory).
# Skipped (77) when the build has no bindings.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
if grep -q 'lib[a-z]*san\.so' <<<"$(ldd "$build/src/libbianzhi.so.1" 2>/dev/null)"; then
	echo "skipped: the library is built with sanitizers"; exit 77
fi
if [ ! -d "$build/bindings/python/bianzhi" ] || [ ! -f "$build/bindings/java/bianzhi.jar" ]; then
	echo "skipped: the build has no Python or no Java binding (swig, python3-dev or a JDK missing, or -Dbindings=false)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
opt() { meson introspect "$build" --buildoptions | /usr/bin/python3 -c \
	"import json, sys; print(next(o['value'] for o in json.load(sys.stdin) if o['name'] == sys.argv[1]))" "$1"; }
version=$(meson introspect "$build" --projectinfo | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')
schema=$(sed -n 's/^#define BZ_SCHEMA_VERSION \([0-9]*\)$/\1/p' "$src/include/bianzhi/ledger.h")
prefix=$(opt prefix)
libdir=$(opt libdir)
datadir=$(opt datadir)
case $libdir in /*) ;; *) libdir=$prefix/$libdir ;; esac
case $datadir in /*) ;; *) datadir=$prefix/$datadir ;; esac
pyver=$(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ "$prefix" = /usr ]; then
	pydir=$prefix/lib/python3/dist-packages
else
	pydir=$prefix/lib/python$pyver/dist-packages
fi

# --- 1. destdir install of the current build
dest=$tmp/dest
meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >/dev/null
[ -f "$dest$pydir/bianzhi/__init__.py" ] \
	|| fail "the Python package is not in $pydir (where Debian's python3 looks for prefix $prefix): $(cd "$dest" && find . -name __init__.py -path '*bianzhi*')"
# PEP 561: the package says it carries type hints (py.typed) and types its extension module
for f in py.typed _capi.pyi; do
	[ -f "$dest$pydir/bianzhi/$f" ] || fail "bianzhi/$f is not installed with the package in $pydir"
done
out=$(cd "$tmp" && env -u PYTHONHOME PYTHONPATH="$dest$pydir" LD_LIBRARY_PATH="$dest$libdir" \
	/usr/bin/python3 -s - "$tmp/py.ledger" <<'PY'
import sys
import bianzhi
with bianzhi.open(sys.argv[1]) as ledger:
    with ledger.transaction("张三", "陇南市编办") as t:
        t.create_jurisdiction("620000", "甘肃省")
print(bianzhi.version(), bianzhi.__file__)
PY
)
[ "$out" = "$version $dest$pydir/bianzhi/__init__.py" ] || fail "python3 printed '$out'"
echo "ok (python): $out"

jar=$dest$datadir/java/bianzhi-$version.jar
[ -f "$jar" ] || fail "no $datadir/java/bianzhi-$version.jar"
[ "$(readlink "$dest$datadir/java/bianzhi.jar")" = "bianzhi-$version.jar" ] \
	|| fail "$datadir/java/bianzhi.jar is not a link to bianzhi-$version.jar"
pom=$dest$datadir/maven-repo/org/bianzhi/bianzhi/$version/bianzhi-$version.pom
[ -f "$pom" ] || fail "no pom at ${pom#"$dest"}"
grep -q "<version>$version</version>" "$pom" || fail "the pom does not say version $version"
[ -f "$(dirname "$pom")/bianzhi-$version.jar" ] || fail "no jar beside the pom (maven-repo layout)"
[ -f "$dest$libdir/jni/libbianzhi_jni.so" ] || fail "the JNI library is not in $libdir/jni"
# the javadoc covers the generated public classes too, not only the hand-written ones
api=$dest$datadir/doc/libbianzhi-java/api/bianzhi
if [ -d "$api" ]; then
	for c in Ledger Transaction Unit Violation Nature RuleInfo; do
		[ -f "$api/$c.html" ] || fail "the installed javadoc has no page for bianzhi.$c"
	done
fi
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
got=$(LD_LIBRARY_PATH=$dest$libdir java -Djava.library.path="$dest$libdir/jni" \
	-cp "$dest$datadir/java/bianzhi.jar" "$tmp/Hello.java")
[ "$got" = "java $version" ] || fail "the Java class printed '$got'"
echo "ok (java): $got"
# the loader explains itself when the JNI library is not on its path
mkdir -p "$tmp/empty"
if err=$(LD_LIBRARY_PATH=$dest$libdir java -Djava.library.path="$tmp/empty" \
	-cp "$dest$datadir/java/bianzhi.jar" "$tmp/Hello.java" 2>&1); then
	fail "Java ran without its JNI library"
fi
for want in "$tmp/empty/libbianzhi_jni.so (not found)" "java.library.path=$tmp/empty"; do
	grep -qF "$want" <<<"$err" || { printf '%s\n' "$err"; fail "the loader's error does not say '$want'"; }
done
echo "ok (java): a missing JNI library is explained"

# --- 2. the README's staging-prefix block, as written
awk '/^### A staging prefix/ {f = 1} f && /^```sh$/ {on = 1; next} on && /^```$/ {exit} on' \
	"$src/README.md" >"$tmp/staging.sh"
grep -q 'meson install -C build-staging' "$tmp/staging.sh" || fail "no staging-prefix block in README.md"
sed -i "s|build-staging|$tmp/build-staging|g" "$tmp/staging.sh"
mkdir -p "$tmp/home"
if ! (cd "$src" && HOME=$tmp/home bash -euo pipefail "$tmp/staging.sh") >"$tmp/staging.log" 2>&1; then
	cat "$tmp/staging.log"
	fail "the README's staging-prefix block failed (above)"
fi
grep -q "^libbianzhi $version schema $schema: 620000 甘肃省\$" "$tmp/staging.log" || { cat "$tmp/staging.log"; fail "the README block's C program printed nothing right"; }
grep -q '^jurisdictions: ' "$tmp/staging.log" || { cat "$tmp/staging.log"; fail "the README block's bianzhi info printed nothing"; }
echo "ok (README staging prefix): $(grep -c . "$tmp/staging.log") lines of output"
