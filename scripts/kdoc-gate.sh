#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Documentation gate, with the prepared tree's own tools (build/linux: scripts/kernel-doc,
# tools/docs/get_abi.py, make htmldocs) and Debian's Sphinx. stdout is KTAP:
#   kernel-doc <file>   one case per .c/.h file of ours (MANIFEST): `kernel-doc -none -Wall`
#                       prints nothing
#   exports documented  every EXPORT_SYMBOL*() in our files has a kernel-doc comment
#   touched files       `kernel-doc -none -Wall` on every .c/.h file the patches in `series`
#                       change warns no more than on the pristine file
#   ABI                 `get_abi.py validate` warns no more than on the pristine tree
#   htmldocs mm         `make htmldocs SPHINXDIRS=mm` (Documentation/mm, where our page is,
#                       and the ABI parse) warns no more than on the pristine tree, and
#                       builds mm/page_zeroed.html
# "No more than": warnings are compared by file and message, line numbers and tree paths
# left out, and counted; one occurrence more than pristine has is new. The pristine htmldocs
# log is cached in $PH_CACHE/kdoc, keyed by kernel and Sphinx version, so CI builds it once.
#   kdoc-gate.sh                           the gate
#   kdoc-gate.sh --kernel-doc <file>...    kernel-doc -none -Wall on the files; exit 1 if it
#                                          prints anything (the harness self-test uses it)
#   kdoc-gate.sh --exports <file>...       print the exported symbols without kernel-doc
#   kdoc-gate.sh --classify <pristine log> <log>   print the warnings of <log> that
#                                          <pristine log> does not have
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree=$PH_BUILD/linux
pristine=$PH_BUILD/linux-pristine
kdoc=$tree/scripts/kernel-doc

# Warnings of a log, as "<file>: <message>" keys: tree paths and line numbers left out.
warnings() {
	{ grep -E 'WARNING|ERROR|[Ww]arning:|[Ee]rror:' "$1" || true; } |
		sed -E 's#[^ :;]*/linux(-pristine)?/##g; s#[^ :;]*/(Documentation|include|mm|drivers)/#\1/#g; s/:[0-9]+//g'
}
classify() { # classify <pristine log> <log>
	warnings "$1" | sort | uniq -c | sed -E 's/^ *([0-9]+) /\1 /' > "$tmp/baseline"
	warnings "$2" | ph_baseline_filter "$tmp/baseline"
}
kernel_doc() { # kernel_doc <file>...: warnings of every file, nothing when clean
	local f
	for f in "$@"; do "$kdoc" -none -Wall "$f" 2>&1; done
}
undocumented_exports() { # undocumented_exports <file>...
	local f
	for f in "$@"; do "$kdoc" -rst "$f" 2>/dev/null; done |
		sed -nE 's/^\.\. c:(function|macro):: .*[ *]([A-Za-z0-9_]+) ?\(.*/\2/p' | sort -u > "$tmp/documented"
	sed -nE 's/^[[:space:]]*EXPORT_SYMBOL[A-Z_]*\([[:space:]]*([A-Za-z0-9_]+).*/\1/p' "$@" | sort -u |
		comm -23 - "$tmp/documented"
}
ours() { # our .c/.h files, repository paths
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$PH_TOP/MANIFEST" | awk '$1 ~ /\.[ch]$/ {print $1}'
}
touched() { # the .c/.h files the patches in `series` change, tree paths
	local p
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$PH_TOP/series" | while read -r p; do
		sed -n 's|^+++ b/\([^[:space:]]*\.[ch]\)\([[:space:]].*\)\{0,1\}$|\1|p' "$PH_TOP/$p"
	done | LC_ALL=C sort -u
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case "${1:-}" in
--kernel-doc)
	shift
	out=$(kernel_doc "$@")
	[ -z "$out" ] || { printf '%s\n' "$out"; exit 1; }
	exit 0 ;;
--exports)
	shift
	undocumented_exports "$@"
	exit 0 ;;
--classify)
	classify "$2" "$3"
	exit 0 ;;
esac

[ -f "$tree/.pagehint-version" ] || ph_die "no prepared tree: run make prepare"
[ -x "$kdoc" ] || ph_die "no $kdoc in the prepared tree"
command -v sphinx-build > /dev/null || ph_die "no sphinx-build: run scripts/install-deps.sh"
mapfile -t files < <(ours)
echo "KTAP version 1"
echo "1..$((${#files[@]} + 4))"
n=0 failed=0
result() { # result <name> <output: empty is ok>
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n $1"
	else
		printf '%s\n' "$2" | head -n 30 | sed 's/^/# /'
		echo "not ok $n $1"
		failed=$((failed + 1))
	fi
}

cd "$PH_TOP"
for f in "${files[@]}"; do
	result "kernel-doc $f" "$(kernel_doc "$f")"
done
result "exports documented" \
	"$(undocumented_exports "${files[@]}" | sed 's/^/no kernel-doc for exported /')"

ph_log "kernel-doc on the files the series touches" >&2
: > "$tmp/touched-ours.log"
: > "$tmp/touched-pristine.log"
while read -r f; do
	(cd "$tree" && "$kdoc" -none -Wall "$f") >> "$tmp/touched-ours.log" 2>&1 || true
	[ ! -f "$pristine/$f" ] || (cd "$pristine" && "$kdoc" -none -Wall "$f") >> "$tmp/touched-pristine.log" 2>&1 || true
done < <(touched)
result "touched files" "$(classify "$tmp/touched-pristine.log" "$tmp/touched-ours.log")"

(cd "$tree" && python3 tools/docs/get_abi.py validate) > "$tmp/abi-ours.log" 2>&1 || echo "ERROR: get_abi.py validate exited $?" >> "$tmp/abi-ours.log"
(cd "$pristine" && python3 tools/docs/get_abi.py validate) > "$tmp/abi-pristine.log" 2>&1 || true
result "ABI" "$(classify "$tmp/abi-pristine.log" "$tmp/abi-ours.log")"

# htmldocs for Documentation/mm: always a fresh output directory, since Sphinx only repeats
# the warnings of the documents it rebuilds.
htmldocs() { # htmldocs <tree> <output dir> <log>
	rm -rf "$2"
	nice -n 10 make -C "$1" O="$2" SPHINXDIRS=mm htmldocs > "$3" 2>&1 || echo "ERROR: make htmldocs exited $?" >> "$3"
}
sphinx=$(sphinx-build --version 2>&1 | awk '{print $NF}')
base=$PH_CACHE/kdoc/htmldocs-mm-$(cat "$pristine/.pagehint-version")-sphinx-$sphinx.log
if [ ! -f "$base" ]; then
	ph_log "htmldocs SPHINXDIRS=mm on the pristine tree (cached in $base)" >&2
	mkdir -p "$(dirname "$base")"
	htmldocs "$pristine" "$PH_BUILD/out-htmldocs-pristine" "$tmp/htmldocs-pristine.log"
	rm -rf "$PH_BUILD/out-htmldocs-pristine"
	mv "$tmp/htmldocs-pristine.log" "$base"
fi
ph_log "htmldocs SPHINXDIRS=mm" >&2
out=$PH_BUILD/out-htmldocs
htmldocs "$tree" "$out" "$out.log"
new=$(classify "$base" "$out.log")
[ -f "$out/Documentation/output/mm/page_zeroed.html" ] || new="${new:+$new
}mm/page_zeroed.html was not built"
result "htmldocs mm" "$new"

ph_log "kdoc gate: $n cases, $failed failed" >&2
[ $failed = 0 ]
