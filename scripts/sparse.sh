#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run sparse (scripts/build-sparse.sh) through the kernel's own `make C=2 CHECK=...` on every
# .c file pagehint adds or touches in the prepared tree: the files changed by the patches in
# `series` and the .c destinations in MANIFEST. While both are empty, check the files we are
# about to touch, which vanilla 7.3 keeps free of sparse warnings.
#
# C=2 checks a named object even when it is up to date. The objects are built in
# $PH_BUILD/out-<PH_SPARSE_PROFILE> (default test; configured with scripts/configure.sh if
# needed), the same directory scripts/build-kernel.sh uses: do not run both at once.
#
# stdout is KTAP, one test per file; progress and the summary go to stderr. Any sparse
# warning or error beyond configs/sparse-baseline.txt fails the file and the script.
#   sparse.sh --classify <make log>   only the baseline filter, on a recorded log (the harness
#                                     self-test uses it)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

profile=${PH_SPARSE_PROFILE:-test}
tree=$PH_BUILD/linux
out=$PH_BUILD/out-$profile

# Sparse findings in a make log that configs/sparse-baseline.txt does not allow: the baseline
# says how many times vanilla 7.3 has each "<file>: <message>"; one more of the same is new.
# sparse's diagnostics carry no [-W...] tag; gcc's do (those are the compile gate's).
new_findings() {
	{ grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error): ' "$1" || true; } | { grep -vE '\[-W[^]]*\]$' || true; } |
		sed "s|^$tree/||; s|^\(\.\./\)*linux/||" | sort -u |
		ph_baseline_filter "$PH_TOP/configs/sparse-baseline.txt"
}
if [ "${1:-}" = --classify ]; then
	new_findings "$2"
	exit 0
fi

[ -f "$tree/.pagehint-version" ] || ph_die "no prepared tree: run make prepare"

files=$(ph_touched_c_files)
if [ -z "$files" ]; then
	files=$(printf '%s\n' mm/page_alloc.c mm/page_reporting.c drivers/virtio/virtio_balloon.c)
	ph_log "series and MANIFEST name no .c files yet; checking the files we will touch" >&2
fi

sparse=$(bash "$PH_TOP/scripts/build-sparse.sh" 2> >(cat >&2) | tail -n1)
[ -x "$sparse" ] || ph_die "no sparse binary from build-sparse.sh"
if [ ! -f "$out/.config" ]; then
	bash "$PH_TOP/scripts/configure.sh" "$profile" >&2
fi

nfiles=$(printf '%s\n' "$files" | grep -c .)
echo "KTAP version 1"
echo "1..$nfiles"
n=0
failed=0
total=0
t0=$(date +%s)
while read -r f; do
	n=$((n + 1))
	obj=${f%.c}.o
	ph_log "sparse $n/$nfiles: $f" >&2
	log=$out/sparse-$(printf '%s' "$f" | tr / _).log
	if [ ! -f "$tree/$f" ]; then
		echo "# $f: not in the prepared tree"
		echo "not ok $n - $f"
		failed=$((failed + 1))
		continue
	fi
	# A file the test config does not build (mempolicy.c needs NUMA) is checked in the
	# compile gate's x86-numa build directory (the test config plus CONFIG_NUMA).
	dir=$out
	if [ -f "$out/.config" ] && [ -f "$out/vmlinux" ] && [ ! -f "$out/$obj" ]; then
		dir=$(bash "$PH_TOP/scripts/compile-gate.sh" --configure x86-numa 2>>"$log.cfg") || {
			echo "# cannot configure the x86-numa build directory for $f"
			echo "not ok $n - $f"; failed=$((failed + 1)); continue; }
		echo "# $f: not built by the $profile config; checked with CONFIG_NUMA=y"
	fi
	if ! make -C "$tree" O="$dir" -j"$(nproc)" C=2 CHECK="$sparse" "$obj" >"$log" 2>&1; then
		grep -E 'error|Error' "$log" | head -20 | sed 's/^/# /'
		echo "# make $obj failed (log: $log)"
		echo "not ok $n - $f"
		failed=$((failed + 1))
		continue
	fi
	# Proof that sparse ran on this file: kbuild prints a CHECK line for it.
	if ! grep -qE "^[[:space:]]+CHECK[[:space:]]+(.*/)?$f\$" "$log"; then
		echo "# no CHECK line for $f in the make log: sparse did not run on it"
		echo "not ok $n - $f"
		failed=$((failed + 1))
		continue
	fi
	warnings=$(new_findings "$log")
	count=$(printf '%s' "$warnings" | grep -c . || true)
	total=$((total + count))
	if [ "$count" -gt 0 ]; then
		printf '%s\n' "$warnings" | sed 's/^/# /'
		echo "not ok $n - $f"
		failed=$((failed + 1))
	else
		echo "ok $n - $f"
	fi
done <<< "$files"

summary="$nfiles files, $total sparse warnings, $failed failed ($(($(date +%s) - t0))s, $("$sparse" --version))"
if [ $failed -gt 0 ]; then
	ph_log "sparse: $summary" >&2
	exit 1
fi
ph_log "sparse: clean: $summary" >&2
