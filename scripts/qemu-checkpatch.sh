#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run QEMU's own scripts/checkpatch.pl (from the pinned QEMU source, QEMU_UPSTREAM in
# scripts/versions) over every patch in host/series. Any ERROR or WARNING fails.
#
# Allowed, because it cannot be avoided:
#   "added, moved or deleted file(s) imported from Linux, are you using
#   scripts/update-linux-headers.sh?"  QEMU's checkpatch.pl prints this reminder for every
#                      patch that touches linux-headers/ or include/standard-headers/, also for
#                      the ones the script generated. It is allowed only in a patch that touches
#                      nothing else (mixing is an ERROR of its own).
#
# stdout is KTAP, one test per patch; progress and the summary go to stderr.
# PH_QEMU_CHECKPATCH overrides the checkpatch.pl to run, PH_HOST the directory holding
# `series` and `patches/` (the harness self-test uses fixtures for both).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$PH_TOP/scripts/versions"

host=${PH_HOST:-$PH_TOP/host}
[ -f "$host/series" ] || ph_die "no $host/series"
checkpatch=${PH_QEMU_CHECKPATCH:-}
if [ -z "$checkpatch" ]; then
	# Only checkpatch.pl is needed: take it from the orig tarball, not from a QEMU build tree,
	# which a cached build does not have.
	dir=$PH_BUILD/qemu-checkpatch/$QEMU_UPSTREAM
	checkpatch=$dir/scripts/checkpatch.pl
	if [ ! -f "$checkpatch" ]; then
		bash "$PH_TOP/scripts/fetch-qemu.sh" >&2
		tarball=$PH_CACHE/dl/qemu_${QEMU_UPSTREAM}+ds.orig.tar.xz
		rm -rf "$dir" && mkdir -p "$dir"
		tar -xf "$tarball" -C "$dir" --strip-components=1 --no-same-owner \
			--wildcards '*/scripts/checkpatch.pl' ||
			ph_die "no scripts/checkpatch.pl in $tarball"
	fi
fi
[ -f "$checkpatch" ] || ph_die "no QEMU checkpatch.pl at $checkpatch"
headers_reminder='added, moved or deleted file(s) imported from Linux, are you using scripts/update-linux-headers.sh?'

patches=()
while read -r p; do patches+=("$p"); done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$host/series")

echo "KTAP version 1"
echo "1..${#patches[@]}"
n=0
failed=0
errors=0
warnings=0
t0=$(date +%s)
for p in "${patches[@]}"; do
	n=$((n + 1))
	path=$host/patches/$p
	name=host/patches/$p
	ph_log "qemu-checkpatch $n/${#patches[@]}: $p" >&2
	if [ ! -f "$path" ]; then
		echo "# $name does not exist"
		echo "not ok $n - $name"
		failed=$((failed + 1))
		continue
	fi
	# It exits 0 (clean) or 1 (errors); anything else, or no "total:" summary line, means
	# it did not run to the end: a failure.
	rc=0
	out=$(perl "$checkpatch" --no-tree --color=never "$path" 2>&1) || rc=$?
	total=$(printf '%s\n' "$out" | grep -E '^total: [0-9]+ errors, [0-9]+ warnings' || true)
	if { [ $rc != 0 ] && [ $rc != 1 ]; } || [ -z "$total" ]; then
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/# /'
		echo "# checkpatch.pl did not complete (exit $rc${total:+, $total}${total:-, no summary line})"
		echo "not ok $n - $name"
		failed=$((failed + 1))
		continue
	fi
	e=$(printf '%s\n' "$out" | grep -c '^ERROR:' || true)
	w=$(printf '%s\n' "$out" | grep -c '^WARNING:' || true)
	# The header reminder, in a patch that only touches imported headers.
	if ! sed -n 's|^+++ b/||p' "$path" | grep -qvE '^(linux-headers|include/standard-headers)/'; then
		w=$((w - $(printf '%s\n' "$out" | grep -cxF "WARNING: $headers_reminder" || true)))
	fi
	errors=$((errors + e)); warnings=$((warnings + w))
	printf '%s\n' "$out" | grep -E '^(ERROR|WARNING):|^#|^total:' | sed 's/^/# /' || true
	if [ $((e + w)) -gt 0 ]; then
		echo "not ok $n - $name"
		failed=$((failed + 1))
	else
		echo "ok $n - $name"
	fi
done

summary="${#patches[@]} patches, $errors errors, $warnings warnings ($(($(date +%s) - t0))s)"
if [ $failed -gt 0 ]; then
	ph_log "qemu-checkpatch: $failed failed: $summary" >&2
	exit 1
fi
ph_log "qemu-checkpatch: clean: $summary" >&2
