# tools_lib.sh: what the bianzhi tool's shell tests share (sourced by
# tests/tools*.sh after they set $tmp, a scratch folder of their own).
#
#   fail MESSAGE...                 count a failure and say it
#   expect STATUS PATTERN CMD...    CMD exits STATUS and prints (stdout and
#                                   stderr) a line matching PATTERN (grep -E);
#                                   the output is kept in $tmp/last
#   jsonl FILE PYTHON-EXPRESSION    every line of FILE is a JSON object and the
#                                   expression over `recs` (the list) holds
#
# Output is matched with here-strings, never `printf | grep -q`: under
# pipefail, grep -q leaving at its first match can kill the writer with
# SIGPIPE and fail a pipeline whose line was there.
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

expect() {
	local want=$1 pat=$2 got out; shift 2
	out=$("$@" 2>&1); got=$?
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, want $want: $out"
	grep -Eq -- "$pat" <<<"$out" || fail "'$*' printed no line matching /$pat/: $out"
	printf '%s\n' "$out" >"$tmp/last"
}

jsonl() {
	python3 - "$1" "$2" <<'PY' || fail "JSON check failed: $2 (file $1)"
import json, sys
recs = []
with open(sys.argv[1], encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        try:
            rec = json.loads(line)
        except ValueError as e:
            sys.exit("line %d is not JSON (%s): %r" % (n, e, line))
        if not isinstance(rec, dict):
            sys.exit("line %d is not an object" % n)
        recs.append(rec)
if not eval(sys.argv[2]):
    sys.exit("false for %d records: %s" % (len(recs), sys.argv[2]))
PY
}
