#!/usr/bin/env bash
# tools/abi.sh update|check [BUILD_DIR]
#   update: write abi/libbianzhi.abi, the ABI baseline, from
#           BUILD_DIR/src/libbianzhi.so.1 (abidw, public headers only).
#           Updating the baseline is a deliberate, reviewed act: commit the
#           new file with a message saying why the ABI changed.
#   check:  compare BUILD_DIR/src/libbianzhi.so.1 against the baseline with
#           abidiff; exit non-zero on an incompatible change (a removed or
#           changed function or type). Added functions are compatible.
# BUILD_DIR defaults to ./build. The library must be built with debug info
# (meson's default buildtype debugoptimized has it).
set -euo pipefail
cd "$(dirname "$0")/.."
cmd=${1:-}
build=${2:-build}
lib=$build/src/libbianzhi.so.1
baseline=abi/libbianzhi.abi

usage() { echo "usage: tools/abi.sh update|check [BUILD_DIR]" >&2; exit 2; }
[ -n "$cmd" ] || usage
[ -f "$lib" ] || { echo "abi.sh: $lib not found: build first (ninja -C $build)" >&2; exit 2; }

# only types reachable from the public headers count
hdr_args=(--headers-dir include)
for h in include/bianzhi.h include/bianzhi/*.h; do
	hdr_args+=(--header-file "$h")
done

case $cmd in
update)
	mkdir -p abi
	abidw "${hdr_args[@]}" --no-corpus-path --out-file "$baseline" "$lib"
	echo "abi.sh: wrote $baseline ($(grep -c '<elf-symbol ' "$baseline") symbols)"
	;;
check)
	[ -f "$baseline" ] || { echo "abi.sh: no baseline $baseline: run tools/abi.sh update" >&2; exit 2; }
	# abidiff's exit status is a bit field: 1 error, 2 usage, 4 ABI change,
	# 8 incompatible ABI change. Any error or incompatible change fails.
	hdr2_args=(--hd2 include)
	for h in include/bianzhi.h include/bianzhi/*.h; do
		hdr2_args+=(--hf2 "$h")
	done
	# abidiff's exit status is a bit field: 1 error, 2 usage, 4 ABI change,
	# 8 incompatible ABI change. The full report (added functions shown) is
	# printed; the verdict comes from a second run that ignores additions:
	# anything left (removed or changed function, changed type or enum) fails.
	set +e
	abidiff "${hdr2_args[@]}" "$baseline" "$lib" >"$build/abidiff.txt" 2>&1
	full=$?
	abidiff "${hdr2_args[@]}" --no-added-syms "$baseline" "$lib" >/dev/null 2>&1
	rc=$?
	set -e
	if [ $((rc & 15)) -ne 0 ]; then
		cat "$build/abidiff.txt"
	else # only additions: their summary (the full list is in $build/abidiff.txt)
		grep -E 'changes summary' "$build/abidiff.txt" || true
	fi
	if [ $((rc & 3)) -ne 0 ]; then
		echo "abi.sh: abidiff failed (status $rc)" >&2; exit 1
	fi
	if [ $((rc & 12)) -ne 0 ]; then
		echo "abi.sh: INCOMPATIBLE ABI change against $baseline (abidiff status $rc)" >&2; exit 1
	fi
	if [ $((full & 4)) -ne 0 ]; then
		echo "abi.sh: compatible: functions added since $baseline (regenerate the baseline when releasing)"
	else
		echo "abi.sh: ABI matches $baseline"
	fi
	;;
*) usage ;;
esac
