#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the pristine tree's scripts/checkpatch.pl --strict over every patch in `series` and, with
# --file, over every source MANIFEST installs. Any ERROR or WARNING fails; CHECKs are shown.
#
# Ignored, because it cannot apply to a patch kept outside the tree:
#   FILE_PATH_CHANGES  "added, moved or deleted file(s), does MAINTAINERS need updating?" fires
#                      on every patch that adds a file; our MAINTAINERS entry is a decision for
#                      submission time, not something each queued patch can carry.
#
# stdout is KTAP, one test per patch or file; progress and the summary go to stderr.
# PH_CHECKPATCH overrides the checkpatch.pl to run (the harness self-test uses a broken one).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pristine=$PH_BUILD/linux-pristine
checkpatch=${PH_CHECKPATCH:-$pristine/scripts/checkpatch.pl}
[ -f "$checkpatch" ] || ph_die "no pristine tree with scripts/checkpatch.pl: run make fetch"
ignore=FILE_PATH_CHANGES

strip() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1"; }
items=()
while read -r p; do items+=("patch $p"); done < <(strip "$PH_TOP/series")
while read -r src _; do items+=("file $src"); done < <(strip "$PH_TOP/MANIFEST")

echo "KTAP version 1"
echo "1..${#items[@]}"
n=0
failed=0
errors=0
warnings=0
checks=0
t0=$(date +%s)
for item in "${items[@]}"; do
	n=$((n + 1))
	kind=${item%% *}
	path=${item#* }
	ph_log "checkpatch $n/${#items[@]}: $path" >&2
	if [ ! -f "$PH_TOP/$path" ]; then
		echo "# $path does not exist"
		echo "not ok $n - $path"
		failed=$((failed + 1))
		continue
	fi
	args=(--strict --show-types --ignore "$ignore")
	[ "$kind" = file ] && args+=(--file)
	# checkpatch.pl finds spelling.txt, const_structs.checkpatch etc. next to itself; run it
	# from the pristine tree, which it only reads. It exits 0 (clean) or 1 (findings); anything
	# else, or no "total:" summary line, means it did not run to the end: a failure.
	rc=0
	out=$(cd "$pristine" && perl "$checkpatch" "${args[@]}" "$PH_TOP/$path" 2>&1) || rc=$?
	total=$(printf '%s\n' "$out" | grep -E '^total: [0-9]+ errors, [0-9]+ warnings' || true)
	if { [ $rc != 0 ] && [ $rc != 1 ]; } || [ -z "$total" ]; then
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/# /'
		echo "# checkpatch.pl did not complete (exit $rc${total:+, $total}${total:-, no summary line})"
		echo "not ok $n - $path"
		failed=$((failed + 1))
		continue
	fi
	e=$(printf '%s\n' "$out" | grep -c '^ERROR:' || true)
	w=$(printf '%s\n' "$out" | grep -c '^WARNING:' || true)
	c=$(printf '%s\n' "$out" | grep -c '^CHECK:' || true)
	errors=$((errors + e)); warnings=$((warnings + w)); checks=$((checks + c))
	[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/# /'
	if [ $((e + w)) -gt 0 ]; then
		echo "not ok $n - $path"
		failed=$((failed + 1))
	else
		echo "ok $n - $path"
	fi
done

summary="${#items[@]} patches/files, $errors errors, $warnings warnings, $checks checks ($(($(date +%s) - t0))s)"
if [ $failed -gt 0 ]; then
	ph_log "checkpatch: $failed failed: $summary" >&2
	exit 1
fi
ph_log "checkpatch: clean: $summary" >&2
