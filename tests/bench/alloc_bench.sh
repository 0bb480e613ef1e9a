# SPDX-License-Identifier: GPL-2.0
# Guest side of `make bench` (scripts/bench.sh): run alloc_bench for every workload named on
# the kernel command line and print what the host side needs to check the mechanism.
#   pagehint.bench=thp:512,4k:512   workloads, kind:MiB (kind thp, 4k or hugetlb)
#   pagehint.bench_rounds=3         timed rounds per workload
# Prints FEATURES (the balloon's negotiated bits), MARKED (zeroed_marked_report after a flush)
# and alloc_bench's BENCH lines; scripts/bench-report.py reads them from the console log.
. /tests/lib.sh

arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -n1; }
spec=$(arg pagehint.bench | tr ',' ' ')
rounds=$(arg pagehint.bench_rounds)
[ -n "$spec" ] || fail "no workloads (pagehint.bench=kind:MiB,...)"
[ -w "$FLUSH" ] || fail "no $FLUSH: the kernel cannot flush page reporting"

echo "FEATURES $(balloon_features || echo none)"
flush_reporting
echo "MARKED $(vmstat zeroed_marked_report)"
for w in $spec; do
	# hugetlb: surplus huge pages allocated at fault time, as many as the region needs
	[ "${w%%:*}" = hugetlb ] &&
		echo $((${w#*:} / 2)) > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_overcommit_hugepages
	/tests/alloc_bench "${w#*:}" "${w%%:*}" "${rounds:-3}" || fail "alloc_bench $w (exit $?)"
done
echo "MARKED $(vmstat zeroed_marked_report)"
echo "VERIFY_FAILED $(vmstat zeroed_verify_failed)"
