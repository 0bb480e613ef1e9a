#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: one screen that shows pagehint working, from a warm cache in under 2 minutes.
# Builds (or finds cached) the bench kernel and our QEMU, then boots the same guest twice: with
# the device feature on (the host vouches that the free memory the guest reported reads as
# zero) and off (upstream behaviour). Each boot flushes free page reporting and times fresh THP
# memory (tests/bench/alloc_bench.sh), the host samples QEMU's RSS meanwhile
# (tests/host/rss-driver.sh). scripts/bench-report.py --demo prints the table: negotiated
# features, pages reported and vouched for, zeroing skipped, populate and populate+write times
# on vs off with their ratio, host RSS growth, and what was checked. One run, one round: the
# ratios are an illustration; `make bench` measures with runs, spread and all arms.
#   DEMO_WORKLOADS=thp:256:populate+fullwrite,rss:thp:256   guest workloads (alloc_bench.sh)
#   BENCH_NO_BUILD=1   boot the bench kernel in $PH_BUILD/out-bench as it is (no configure/build)
# Exit non-zero when a step fails, a guest test fails or the mechanism is not visible (bit 6
# not negotiated with the feature on or negotiated with it off, no page reported, zeroing not
# skipped, no RSS sample, memory that is not zero, a verify failure).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
S=$PH_TOP/scripts
t0=$(date +%s)
dir=$PH_BUILD/demo
mkdir -p "$dir"
rm -f "$dir"/run-*.log "$dir"/*.boot
workloads=${DEMO_WORKLOADS:-thp:256:populate+fullwrite,rss:thp:256}

# Set-up: quiet unless it fails (its output goes to $dir/setup.log).
step() {
	if ! "$@" >> "$dir/setup.log" 2>&1; then
		tail -20 "$dir/setup.log"
		ph_die "demo: '$*' failed (log: $dir/setup.log)"
	fi
}
: > "$dir/setup.log"
ph_log "demo: preparing the bench kernel, our QEMU and the initramfs (log: $dir/setup.log)"
step bash "$S/install-deps.sh"
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
	step bash "$S/fetch-kernel.sh"
	step bash "$S/prepare-tree.sh"
	step bash "$S/configure.sh" bench
	step bash "$S/build-kernel.sh" bench
fi
[ -f "$PH_BUILD/out-bench/arch/x86/boot/bzImage" ] || ph_die "demo: no bench kernel in $PH_BUILD/out-bench"
[ -f "$PH_TOP/host/series" ] || ph_die "demo: no host/series: the demo needs our patched QEMU"
step bash "$S/build-qemu.sh"
PH_QEMU=$(bash "$S/build-qemu.sh" --print-path)
step bash "$S/build-initramfs.sh" bench
export PH_QEMU
t1=$(date +%s)

for arm in on off; do
	ph_log "demo: booting the guest with the feature $arm"
	if ! DEMO_ARM=$arm bash "$S/boot-guest.sh" bench demo \
		"pagehint.bench=$workloads pagehint.bench_rounds=1 pagehint.bench_arm=$arm" \
		> "$dir/$arm.boot" 2>&1; then
		cat "$dir/$arm.boot"
		ph_die "demo: the boot with the feature $arm failed (log: $PH_BUILD/logs/bench-demo.log)"
	fi
	cp "$PH_BUILD/logs/bench-demo.log" "$dir/run-01-$arm.log"
	if ! tr -d '\r' < "$dir/run-01-$arm.log" | grep -qE '^ok [0-9]+ alloc_bench$' ||
		tr -d '\r' < "$dir/run-01-$arm.log" | grep -qE '^not ok '; then
		sed -n '/^KTAP version 1/,/^pagehint: end of tests/p' "$dir/run-01-$arm.log" | tail -20
		ph_die "demo: the guest test failed with the feature $arm (log: $dir/run-01-$arm.log)"
	fi
done
accel=$(sed -n 's/.*booting bench\/demo (\([^,]*\),.*/\1/p' "$dir/on.boot" | head -n1)
t2=$(date +%s)

echo
rc=0
python3 "$S/bench-report.py" --demo --accel "${accel:-unknown}" "$dir/run-01-on.log" \
	"$dir/run-01-off.log" || rc=$?
echo
ph_log "demo: $((t2 - t0)) s in all: set-up $((t1 - t0)) s, two boots $((t2 - t1)) s; console logs in $dir"
[ $rc = 0 ] || ph_die "demo: failed (see above)"
