#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: the whole test suite, from a fresh machine to `N passed, N failed`.
#  1. install dependencies, fetch Debian's 7.3 source, prepare the pagehint tree
#  2. configure and build the test-profile guest (ccache) and, when host/ exists, our QEMU
#  3. boot every tests/scenarios/*.conf (but demo)
#  4. run the static gates, each prints KTAP
#  5. scripts/results.py parses every KTAP document with the tree's kunit.py and compares each
#     case with tests/expected.txt; it also checks the zeroed_verify_failed/zeroed_rejected
#     invariant of every boot and kernel warnings, and prints the summary.
# Any difference from the expected list, a guest that does not boot, a panic or a timeout
# makes it exit non-zero.
# PH_SCENARIOS="base ..." limits the boots, PH_GATES="..." the gates; `none` runs none; an
# unknown name is an error. PH_UPDATE_EXPECTED=1 rewrites tests/expected.txt from the run
# (review the diff). PH_GATE_TIMEOUT (seconds, default 2400) bounds each gate.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
S=$PH_TOP/scripts
logs=$PH_BUILD/logs
mkdir -p "$PH_CACHE"

# Scenarios: every tests/scenarios/*.conf but demo, or PH_SCENARIOS (each must exist).
all_scenarios=$(cd "$PH_TOP/tests/scenarios" && ls ./*.conf | sed 's|^\./||; s|\.conf$||' | grep -v '^demo$')
scenarios=${PH_SCENARIOS:-$all_scenarios}
[ "$scenarios" != none ] || scenarios=
for sc in $scenarios; do
	grep -qx "$sc" <<< "$all_scenarios" || ph_die "PH_SCENARIOS: no scenario '$sc' (tests/scenarios/)"
done

# Static gates: name=command; each runs under a timeout and prints KTAP on stdout, or is one case.
all_gates=(
	"cocci-fixtures=$S/test-cocci-fixtures.sh"
	"cocci-pristine=$S/coccicheck.sh --pristine-check"
	"coccicheck=$S/coccicheck.sh"
	"checkpatch=$S/checkpatch.sh"
	"sparse=$S/sparse.sh"
	"compile=$S/compile-gate.sh"
	"series=$S/export-series.sh --verify"
	"harness=$S/test-harness.sh"
)
[ -f "$PH_TOP/host/series" ] && all_gates+=("qemu=$S/test-qemu.sh $PH_BUILD/out-test/arch/x86/boot/bzImage")
[ -f "$PH_TOP/host/series" ] && all_gates+=("qemu-checkpatch=$S/qemu-checkpatch.sh")
gate_names=$(printf '%s\n' "${all_gates[@]}" | sed 's/=.*//')
gates=${PH_GATES:-$gate_names}
[ "$gates" != none ] || gates=
for g in $gates; do
	grep -qx "$g" <<< "$gate_names" || ph_die "PH_GATES: no gate '$g' (known: $(echo $gate_names))"
done
gate_timeout=${PH_GATE_TIMEOUT:-2400}

# A setup step that fails (ph_die) still ends with a summary line.
trap 'rc=$?; [ $rc = 0 ] || printf "\n=== pagehint check summary ===\n  setup failed (exit %s), see above\n0 passed, 1 failed\n" "$rc"' EXIT

bash "$S/install-deps.sh"
bash "$S/fetch-kernel.sh"
bash "$S/prepare-tree.sh"
mkdir -p "$logs"
rm -f "$logs"/*.ktap "$logs"/*.log
bash "$S/configure.sh" test
bash "$S/build-kernel.sh" test
if [ -f "$PH_TOP/host/series" ] && [ -f "$S/build-qemu.sh" ]; then
	bash "$S/build-qemu.sh" | sed '$d' # progress; the last line is the path
	ph_log "patched QEMU: $(bash "$S/build-qemu.sh" --print-path)"
fi
bash "$S/build-initramfs.sh" test

kunit=$PH_BUILD/linux/tools/testing/kunit/kunit.py
units=$logs/units.txt
: > "$units"

conf_flag() { (EXPECT_VERIFY_FAILED=0 EXPECT_REJECTED=0; . "$PH_TOP/tests/scenarios/$1.conf"
	echo "EXPECT_VERIFY_FAILED=$EXPECT_VERIFY_FAILED EXPECT_REJECTED=$EXPECT_REJECTED"); }

n=0
for sc in $scenarios; do
	n=$((n + 1))
	ph_log "scenario $n/$(wc -w <<< "$scenarios"): $sc"
	rc=0
	bash "$S/boot-guest.sh" test "$sc" || rc=$?
	echo "scenario $sc $rc $logs/test-$sc.log $(conf_flag "$sc")" >> "$units"
done

for entry in "${all_gates[@]}"; do
	g=${entry%%=*} cmd=${entry#*=}
	[[ " $(echo $gates) " == *" $g "* ]] || continue
	[ -f "${cmd%% *}" ] || ph_die "gate $g: ${cmd%% *} is missing"
	ph_log "gate $g"
	rc=0
	# shellcheck disable=SC2086
	timeout -k 10 "$gate_timeout" bash $cmd > "$logs/gate-$g.out" 2> "$logs/gate-$g.err" || rc=$?
	[ $rc != 124 ] || echo "# timed out after ${gate_timeout}s" >> "$logs/gate-$g.out"
	[ $rc = 0 ] || tail -n 20 "$logs/gate-$g.err"
	if grep -q '^KTAP version 1' "$logs/gate-$g.out"; then
		sed -n '/^KTAP version 1/,$p' "$logs/gate-$g.out" > "$logs/gate-$g.ktap"
	else
		# A gate without KTAP of its own is one case: ok when it exited 0.
		{ echo "KTAP version 1"; echo "1..1"
		  tail -n 15 "$logs/gate-$g.out" "$logs/gate-$g.err" | sed 's/^/# /'
		  [ $rc = 0 ] && echo "ok 1 $g" || echo "not ok 1 $g"; } > "$logs/gate-$g.ktap"
	fi
	echo "gate $g $rc $logs/gate-$g.ktap" >> "$units"
done

complete=
[ -n "${PH_SCENARIOS:-}" ] || [ -n "${PH_GATES:-}" ] || complete=--complete
trap - EXIT
exec python3 "$S/results.py" --expected "$PH_TOP/tests/expected.txt" --kunit "$kunit" \
	--units "$units" $complete ${PH_UPDATE_EXPECTED:+--update}
