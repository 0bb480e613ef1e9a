#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: what skipping the zeroing of host-zeroed pages saves, measured side by side.
# One kernel (the bench profile: no debug, verify mode compiled out), our patched QEMU, two
# arms that differ only in the device property: on = x-device-init-reported=on, off =
# x-device-init-reported=off, free page reporting on in both. The arms are booted in turn,
# on, off, on, off, ..., so drift on the host affects both; each boot runs tests/bench/
# alloc_bench.sh (flush reporting, then time faulting in a fresh region). The table, with
# run count and spread and a check that the arms really differ in the mechanism, goes to
# $PH_BUILD/bench/results.txt (see docs/bench.md).
#   BENCH_RUNS=5             boots per arm
#   BENCH_ROUNDS=3           timed rounds per boot and workload (a run counts their median)
#   BENCH_WORKLOADS=thp:512,4k:512,hugetlb:256   kind:MiB, kind thp (MADV_HUGEPAGE), 4k
#                            (MADV_NOHUGEPAGE) or hugetlb (2 MiB surplus pages, MAP_NORESERVE)
# Exit non-zero when a boot fails, a guest reports an error or the mechanism check fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
S=$PH_TOP/scripts

runs=${BENCH_RUNS:-5}
rounds=${BENCH_ROUNDS:-3}
workloads=${BENCH_WORKLOADS:-thp:512,4k:512,hugetlb:256}
[[ $runs =~ ^[1-9][0-9]*$ ]] || ph_die "BENCH_RUNS must be a positive integer, not '$runs'"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || ph_die "BENCH_ROUNDS must be a positive integer, not '$rounds'"
[[ $workloads =~ ^(thp|4k|hugetlb):[1-9][0-9]*(,(thp|4k|hugetlb):[1-9][0-9]*)*$ ]] ||
	ph_die "BENCH_WORKLOADS must be kind:MiB[,kind:MiB...] with kind thp, 4k or hugetlb, not '$workloads'"

bash "$S/install-deps.sh"
bash "$S/fetch-kernel.sh"
bash "$S/prepare-tree.sh"
bash "$S/configure.sh" bench
bash "$S/build-kernel.sh" bench
[ -f "$PH_TOP/host/series" ] || ph_die "no host/series: the benchmark needs our patched QEMU"
bash "$S/build-qemu.sh" >/dev/null
PH_QEMU=$(bash "$S/build-qemu.sh" --print-path)
bash "$S/build-initramfs.sh" bench
export PH_QEMU PH_SCENARIO_DIR=$PH_TOP/tests/bench

dir=$PH_BUILD/bench
mkdir -p "$dir"
rm -f "$dir"/run-*.log "$dir"/run-*.boot "$dir"/results.txt
load0=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s)
ph_log "bench: $runs runs per arm, $rounds rounds each, workloads $workloads"

# One line per boot: each workload's median round in ms and the pages that skipped zeroing.
summary() {
	awk '{ sub(/\r$/, "") } /^# BENCH / {
		for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		w = v["workload"] "-" v["mib"] "M"
		t[w] = t[w] sprintf(" %.1f", v["ns"] / 1e6)
		c[w] = v["consumed"] "/" v["pages"]
		if (!(w in seen)) { seen[w] = 1; order[++n] = w }
	} END {
		for (i = 1; i <= n; i++)
			printf "%s %s ms:%s, zeroing skipped %s", (i > 1 ? ";" : ""), order[i], t[order[i]], c[order[i]]
	}' "$1"
}

for i in $(seq "$runs"); do
	for arm in on off; do
		tag=$(printf 'run-%02d-%s' "$i" "$arm")
		if ! bash "$S/boot-guest.sh" bench "$arm" \
			"pagehint.bench=$workloads pagehint.bench_rounds=$rounds" 2>&1 | tee "$dir/$tag.boot"; then
			ph_die "bench: boot $i/$runs of arm $arm failed (log: $PH_BUILD/logs/bench-$arm.log)"
		fi
		cp "$PH_BUILD/logs/bench-$arm.log" "$dir/$tag.log"
		grep -q '^ok 1 alloc_bench' "$dir/$tag.log" || {
			sed -n '/^KTAP version 1/,/^pagehint: end of tests/p' "$dir/$tag.log" | tail -20
			ph_die "bench: run $i arm $arm: the guest workload failed (log: $dir/$tag.log)"
		}
		# A kernel that warned is not the kernel we meant to measure.
		if grep -qE 'WARNING: |BUG: ' "$dir/$tag.log"; then
			grep -E 'WARNING: |BUG: ' "$dir/$tag.log" | head -5
			ph_die "bench: run $i arm $arm: kernel warnings on the console (log: $dir/$tag.log)"
		fi
		ph_log "bench: run $i/$runs $arm:$(summary "$dir/$tag.log")"
	done
done

# What the boots really used, from boot-guest.sh's "booting <profile>/<scenario> (accel, mem, ..."
boot_line=$(sed -n 's/.*booting bench\/on (\([^,]*\), \([^,]*\),.*/\1 \2/p' "$dir/run-01-on.boot" |
	head -n1)
accel=${boot_line%% *} mem=${boot_line##* }
elapsed=$(($(date +%s) - t0))
tree=$(git -C "$PH_TOP" describe --always --dirty 2>/dev/null || echo unknown)
qver=$("$PH_QEMU" --version | head -n1)
load1=$(cut -d' ' -f1-3 /proc/loadavg)
meta=(
	"QEMU: $qver + host/series, accel ${accel:-unknown}, -smp 2, guest memory ${mem:-unknown}"
	"kernel profile: bench (configs/guest.config + configs/bench.config), tree $tree"
	"workloads: $workloads (kind:MiB), one byte written per 4 KiB page"
	"host: $(nproc) CPUs, load average $load0 at start, $load1 at end"
	"time: $((elapsed / 60))m$((elapsed % 60))s for $((2 * runs)) boots"
)
margs=()
for m in "${meta[@]}"; do margs+=(--meta "$m"); done
echo
rc=0
python3 "$S/bench-report.py" --out "$dir/results.txt" "${margs[@]}" "$dir"/run-*.log || rc=$?
echo
[ $rc = 0 ] || ph_die "bench: mechanism check failed (results: $dir/results.txt)"
# The published numbers: docs/results/ keeps each accepted run's report verbatim; README.md and
# docs/ quote numbers only from such a file.
mkdir -p "$PH_TOP/docs/results"
saved=$PH_TOP/docs/results/bench-$(date -u +%Y%m%d-%H%M)-$tree.txt
cp "$dir/results.txt" "$saved"
ph_log "bench: results in $dir/results.txt, kept as ${saved#$PH_TOP/} (commit it to publish)"
