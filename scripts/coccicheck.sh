#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run pagehint's semantic patches (cocci/*.cocci) over a kernel tree with the tree's own
# `make coccicheck MODE=report`, print every finding and fail if there is one.
#   coccicheck.sh [TREE]          TREE: a path, or "pristine"; default $PH_BUILD/linux
#   coccicheck.sh --pristine-check
#       run on the pristine tree and require exactly cocci/expected-pristine.txt: the rules
#       must bite on the unconverted 7.3 call sites, or they prove nothing on ours.
#   coccicheck.sh --arch-macros FILE...
#       only the arch macro check below, on the given headers (the fixture test uses it).
#
# Every rule scans the whole tree (no M=): each one forbids a pattern anywhere in the kernel.
# The only non-Coccinelle part is the arch macro check of arch_zeroed_folio.cocci: spatch
# 1.1.1 does not match function-like #define bodies, so `#define
# vma_alloc_zeroed_movable_folio(` in arch/*/include/asm/page*.h is found with grep here and
# reported under that rule's name.
#
# spatch gets --use-coccigrep: without a scanner it parses every file of the tree (~1 s each),
# and the tree's .cocciconfig asks for --use-gitgrep, which finds nothing when the tree lies
# in an ignored directory of another git repository (ours: build/ is in .gitignore).
#
# Findings are normalized to "file:line:rule", sorted, in $PH_BUILD/out-cocci/<tree>/findings.
# PH_COCCI_JOBS (default 2) spatch workers; SPFLAGS is appended to ours.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# arch_zeroed_folio's macro half: "path:line:1-1: message" for every function-like
# definition of vma_alloc_zeroed_movable_folio in the given files.
arch_macros() {
	grep -HnE '^[[:space:]]*#[[:space:]]*define[[:space:]]+vma_alloc_zeroed_movable_folio\(' "$@" |
		sed 's|^\([^:]*\):\([0-9]*\):.*|\1:\2:1-1: arch macro override of vma_alloc_zeroed_movable_folio(); use the generic helper|' ||
		true
}

expected=$PH_TOP/cocci/expected-pristine.txt
check_pristine=0
case ${1:-} in
--arch-macros) shift; [ $# -gt 0 ] || ph_die "--arch-macros needs files"; arch_macros "$@"; exit 0 ;;
--pristine-check) check_pristine=1; tree=$PH_BUILD/linux-pristine ;;
pristine) tree=$PH_BUILD/linux-pristine ;;
'') tree=$PH_BUILD/linux ;;
-*) ph_die "usage: coccicheck.sh [TREE|pristine|--pristine-check]" ;;
*) tree=$1 ;;
esac
[ -f "$tree/scripts/coccicheck" ] || ph_die "no kernel tree at $tree (run make prepare)"
tree=$(cd "$tree" && pwd)
command -v spatch >/dev/null || ph_die "spatch not installed (make deps)"

rules=("$PH_TOP"/cocci/*.cocci)
[ -e "${rules[0]}" ] || ph_die "no semantic patches in $PH_TOP/cocci"
jobs=${PH_COCCI_JOBS:-2}
# The output directory keeps kbuild (and its O= bookkeeping) out of the source tree, which for
# the pristine tree must stay untouched.
out=$PH_BUILD/out-cocci/$(basename "$tree")
mkdir -p "$out"
raw=$out/report.txt
findings=$out/findings
: > "$raw"
: > "$findings.unsorted"

# "path:line:col-col: message" from spatch, path absolute under $tree.
normalize() {
	local rule=$1
	sed -n "s|^$tree/||; s|^\./||; s|^\([^: ]*\):\([0-9][0-9]*\):[0-9-]*: .*|\1:\2:$rule|p"
}

n=0
for cocci in "${rules[@]}"; do
	rule=$(basename "$cocci" .cocci)
	n=$((n + 1))
	t0=$(date +%s)
	ph_log "coccicheck $n/${#rules[@]}: $rule on $tree ($jobs jobs)"
	log=$out/$rule.log
	err=$out/$rule.err
	rm -f "$err"   # scripts/coccicheck refuses to run if its debug file exists
	if ! make -s -C "$tree" O="$out/kbuild" coccicheck COCCI="$cocci" MODE=report \
		J="$jobs" DEBUG_FILE="$err" SPFLAGS="--use-coccigrep${SPFLAGS:+ $SPFLAGS}" >"$log" 2>&1; then
		tail -20 "$log" "$err" >&2 || true
		ph_die "make coccicheck failed for $rule (log: $log, spatch errors: $err)"
	fi
	hits=$(grep -E '^[^ :]+:[0-9]+:[0-9-]+: ' "$log" || true)
	if [ -n "$hits" ]; then
		printf '%s\n' "$hits" | sed "s|^$tree/||" >> "$raw"
		printf '%s\n' "$hits" | normalize "$rule" >> "$findings.unsorted"
	fi
	ph_log "  $rule: $(printf '%s' "$hits" | grep -c . || true) findings in $(($(date +%s) - t0))s"
done

# arch_zeroed_folio, the part Coccinelle cannot see: arch macro overrides.
if [ -f "$PH_TOP/cocci/arch_zeroed_folio.cocci" ]; then
	macros=$(cd "$tree" && arch_macros arch/*/include/asm/page*.h)
	if [ -n "$macros" ]; then
		printf '%s\n' "$macros" >> "$raw"
		printf '%s\n' "$macros" | normalize arch_zeroed_folio >> "$findings.unsorted"
	fi
	ph_log "  arch_zeroed_folio (arch macros): $(printf '%s' "$macros" | grep -c . || true) findings"
fi

LC_ALL=C sort -u "$findings.unsorted" > "$findings"
rm -f "$findings.unsorted"
count=$(grep -c . "$findings" || true)

if [ $check_pristine = 1 ]; then
	[ -f "$expected" ] || ph_die "missing $expected"
	if ! diff -u --label expected-pristine.txt --label measured "$expected" "$findings"; then
		ph_die "pristine findings differ from cocci/expected-pristine.txt (a rule lost or gained a match)"
	fi
	ph_log "coccicheck pristine: all $count expected findings reproduced by ${#rules[@]} rules"
	exit 0
fi

if [ "$count" -gt 0 ]; then
	LC_ALL=C sort -u "$raw"
	ph_log "coccicheck: $count findings in $tree (${#rules[@]} rules; normalized list: $findings)"
	exit 1
fi
ph_log "coccicheck: no findings in $tree (${#rules[@]} rules)"
