#!/usr/bin/env bash
# Every allocation of the library goes through src/alloc.c (issue 11, out of
# memory): a raw malloc, calloc, realloc, reallocarray, strdup, strndup,
# asprintf or free in src/ — called, or passed as a function pointer — would
# escape the application's allocator and the fault hook. This fails on any
# outside src/alloc.[ch] (comments are skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
fns='malloc|calloc|realloc|reallocarray|strdup|strndup|asprintf|vasprintf|free'
out=$(for f in src/*.c src/*.h; do
	case $f in src/alloc.c | src/alloc.h) continue ;; esac
	# drop /* … */ and // comments (a comment may say "free it"), keep line numbers
	perl -0777 -pe 's{/\*.*?\*/}{ my $c = $&; $c =~ s/[^\n]//g; $c }gse; s{//[^\n]*}{}g' "$f" |
		grep -nP "(?<![\w.>])($fns)\s*\(|[(,=]\s*($fns)\s*[,);]" | sed "s|^|$f:|" || true
done)
if [ -n "$out" ]; then
	echo "alloc_discipline: raw allocation calls in src/ (use bz__malloc & co., src/alloc.h):" >&2
	echo "$out" >&2
	exit 1
fi
n=$(cat src/*.c | grep -cP "bz__(malloc|calloc|realloc|reallocarray|strdup|strndup|asprintf)\s*\(" || true)
echo "alloc_discipline: no raw allocation in src/; $n calls of the allocator (src/alloc.h)"
