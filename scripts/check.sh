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
# unknown name is an error. A scenario with NEEDS_KVM=1 is listed as not run unless the first
# boot's KVM probe succeeded. A scenario with FULL_ONLY=1 (a long soak) is booted only by
# `make check-full` (PH_FULL=1) or when PH_SCENARIOS names it; otherwise it is listed as not
# run. PH_UPDATE_EXPECTED=1 rewrites tests/expected.txt from the run (review the diff).
# PH_GATE_TIMEOUT (seconds, default 2400) bounds each gate.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
S=$PH_TOP/scripts
logs=$PH_BUILD/logs
mkdir -p "$PH_CACHE"

# Scenarios: every tests/scenarios/*.conf but demo, or PH_SCENARIOS (each must exist).
all_scenarios=$(cd "$PH_TOP/tests/scenarios" && ls ./*.conf | sed 's|^\./||; s|\.conf$||' | grep -v '^demo$')
full_only=$(cd "$PH_TOP/tests/scenarios" && grep -lx 'FULL_ONLY=1' ./*.conf | sed 's|^\./||; s|\.conf$||' || true)
default_scenarios=$all_scenarios
[ "${PH_FULL:-0}" = 1 ] || default_scenarios=$(grep -vxF "$full_only" <<< "$all_scenarios" || true)
[ -n "$full_only" ] || default_scenarios=$all_scenarios
scenarios=${PH_SCENARIOS:-$default_scenarios}
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
	"kbuild=$S/kbuild-gate.sh"
	"series=$S/export-series.sh --verify"
	"harness=$S/test-harness.sh"
	"spec=$S/spec-gate.sh"
	"kdoc=$S/kdoc-gate.sh"
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
# The guest kernel, our QEMU and the initramfs are for the boots and the qemu gate (the kbuild
# gate needs the kernel only); the other gates need the prepared tree and the test config only.
if [ -n "$scenarios" ] || [[ " $(echo $gates) " == *" qemu "* ]]; then
	bash "$S/build-kernel.sh" test
	if [ -f "$PH_TOP/host/series" ] && [ -f "$S/build-qemu.sh" ]; then
		bash "$S/build-qemu.sh" | sed '$d' # progress; the last line is the path
		ph_log "patched QEMU: $(bash "$S/build-qemu.sh" --print-path)"
	fi
	bash "$S/build-initramfs.sh" test
elif [[ " $(echo $gates) " == *" kbuild "* ]]; then
	bash "$S/build-kernel.sh" test
else
	ph_log "no scenario and no qemu or kbuild gate: not building the guest kernel, QEMU or the initramfs"
fi

kunit=$PH_BUILD/linux/tools/testing/kunit/kunit.py
units=$logs/units.txt
: > "$units"

conf_flag() { (EXPECT_VERIFY_FAILED=0 EXPECT_REJECTED=0; . "$PH_TOP/tests/scenarios/$1.conf"
	echo "EXPECT_VERIFY_FAILED=$EXPECT_VERIFY_FAILED EXPECT_REJECTED=$EXPECT_REJECTED"); }

# Long scenarios left out of this run: their expected cases are not missing.
for sc in $full_only; do
	[[ " $(echo $scenarios) " == *" $sc "* ]] || echo "omitted $sc FULL_ONLY=1 (make check-full)" >> "$units"
done

# A scenario boots the test kernel unless its conf sets PROFILE (kasan, kcsan, lockdep: sanitizer
# kernels, each a full build of its own, configured and built the first time one is needed).
conf_profile() { (PROFILE=test; . "$PH_TOP/tests/scenarios/$1.conf"; echo "$PROFILE"); }
declare -A profile_ok=([test]=1)

n=0
for sc in $scenarios; do
	n=$((n + 1))
	prof=$(conf_profile "$sc")
	# KVM works only if the first boot's probe proved it (boot-guest.sh, $PH_BUILD/kvm-probe).
	if grep -qx 'NEEDS_KVM=1' "$PH_TOP/tests/scenarios/$sc.conf" &&
	   [ "$(cat "$PH_BUILD/kvm-probe" 2>/dev/null)" != kvm ]; then
		ph_log "scenario $n/$(wc -w <<< "$scenarios"): $sc: not run, no usable KVM here"
		echo "omitted $sc NEEDS_KVM=1 (no usable KVM on this machine)" >> "$units"
		continue
	fi
	ph_log "scenario $n/$(wc -w <<< "$scenarios"): $sc ($prof kernel)"
	rc=0
	if [ -z "${profile_ok[$prof]:-}" ]; then
		if (bash "$S/configure.sh" "$prof" && bash "$S/build-kernel.sh" "$prof" &&
		    bash "$S/build-initramfs.sh" "$prof") > "$logs/build-$prof.txt" 2>&1; then
			profile_ok[$prof]=1
		else
			profile_ok[$prof]=failed
		fi
		tail -n 3 "$logs/build-$prof.txt"
	fi
	if [ "${profile_ok[$prof]}" = 1 ]; then
		bash "$S/boot-guest.sh" "$prof" "$sc" || rc=$?
	else
		rc=1
		{ echo "pagehint: the $prof kernel did not build:"; tail -n 20 "$logs/build-$prof.txt"; } \
			> "$logs/$prof-$sc.log"
	fi
	echo "scenario $sc $rc $logs/$prof-$sc.log $(conf_flag "$sc")" >> "$units"
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
