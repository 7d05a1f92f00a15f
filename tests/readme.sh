#!/usr/bin/env bash
# readme.sh SOURCE_ROOT LIBRARY: the C tour in README.md compiles warning-free
# against the public headers, runs clean on a fresh ledger and does what it
# says (the unit is established, committed and listed), so the README stays
# true to the API.
set -euo pipefail
src=$(cd "$1" && pwd)
lib=$(cd "$(dirname "$2")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# a sanitizer build's library needs its runtime loaded first: not for
# programs built here without it (./bz test runs these in the plain build)
if grep -q 'lib[a-z]*san\.so' <<<"$(ldd "$2" 2>/dev/null)"; then
	echo "skipped: the library is built with sanitizers"; exit 77
fi
awk '/^```c$/ {on = 1; n++; next} /^```$/ {on = 0} on && n == 1' "$src/README.md" >"$tmp/tour.c"
[ -s "$tmp/tour.c" ] || { echo "FAIL: no \`\`\`c block in README.md"; exit 1; }
"${CC:-cc}" -std=c11 -Wall -Wextra -Werror -I"$src/include" -o "$tmp/tour" "$tmp/tour.c" -L"$lib" -lbianzhi
out=$(cd "$tmp" && LD_LIBRARY_PATH=$lib ./tour)
printf '%s\n' "$out"
grep -q '^commit: committed$' <<<"$out" || { echo "FAIL: the tour printed no commit status"; exit 1; }
grep -Eq '^[0-9a-f-]{36} 陇南市教育局 正处$' <<<"$out" \
	|| { echo "FAIL: the tour did not list the unit it established"; exit 1; }
[ -f "$tmp/longnan.ledger" ] || { echo "FAIL: the tour wrote no ledger file"; exit 1; }
echo "ok: the README tour builds and runs"
