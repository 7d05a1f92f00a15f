#!/usr/bin/env bash
# exports.sh LIBRARY SOURCE_ROOT
# The exported dynamic symbols of libbianzhi.so.1 must be exactly the
# functions declared BZ_EXTERN in include/ and exactly the names listed in
# src/bianzhi.map; the SONAME must be libbianzhi.so.1; nothing without the
# bz_ prefix may be exported (the version node symbol BIANZHI_1.0 aside).
set -euo pipefail
lib=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# defined dynamic symbols, without @@VERSION suffix, minus version nodes
nm -D --defined-only "$lib" | awk '{print $NF}' | sed 's/@.*//' \
	| grep -v '^BIANZHI_[0-9.]*$' | sort -u >"$tmp/exported"

# BZ_EXTERN declarations: the identifier right before the first '('
# (a declaration may continue on the next line; only its start matters)
grep -rh --include='*.h' '^[[:space:]]*BZ_EXTERN' "$root/include" \
	| sed -E 's/\(.*//; s/.*[[:space:]*]//' | sort -u >"$tmp/declared"

# names in the version script: lines "name;" inside the nodes
sed -E 's#/\*.*\*/##; s#//.*##' "$root/src/bianzhi.map" \
	| grep -E '^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*;[[:space:]]*$' \
	| sed -E 's/[[:space:];]//g' | sort -u >"$tmp/mapped"

report() { # label file-a file-b: lines in a not in b
	local extra
	extra=$(comm -23 "$2" "$3")
	if [ -n "$extra" ]; then
		echo "FAIL: $1:"; echo "$extra" | sed 's/^/  /'
		fail=1
	fi
}
report "exported but not declared BZ_EXTERN in include/" "$tmp/exported" "$tmp/declared"
report "declared BZ_EXTERN but not exported" "$tmp/declared" "$tmp/exported"
report "in src/bianzhi.map but not exported" "$tmp/mapped" "$tmp/exported"
report "exported but not in src/bianzhi.map" "$tmp/exported" "$tmp/mapped"

bad=$(grep -v '^bz_' "$tmp/exported" || true)
if [ -n "$bad" ]; then
	echo "FAIL: exported symbols without the bz_ prefix:"; echo "$bad" | sed 's/^/  /'
	fail=1
fi

# every export carries the version node
unversioned=$(nm -D --defined-only "$lib" | awk '{print $NF}' | grep '^bz_' | grep -v '@@BIANZHI_' || true)
if [ -n "$unversioned" ]; then
	echo "FAIL: exported without a version node:"; echo "$unversioned" | sed 's/^/  /'
	fail=1
fi

soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
if [ "$soname" != "libbianzhi.so.1" ]; then
	echo "FAIL: SONAME is '$soname', want libbianzhi.so.1"
	fail=1
fi

n=$(wc -l <"$tmp/exported")
if [ "$fail" -eq 0 ]; then
	echo "ok: $n exported symbols == BZ_EXTERN declarations == bianzhi.map; SONAME $soname"
fi
exit "$fail"
