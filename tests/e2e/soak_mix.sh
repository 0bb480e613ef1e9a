# SPDX-License-Identifier: GPL-2.0
# Mixed soak with bits 6 and 7: pagehint.soak_cycles report/allocate cycles (default 1000) of
# 8 MiB that take turns with THP, 4K and surplus hugetlb pages, compact all memory every 64th
# cycle and inflate or deflate the balloon by 128 MiB every 256th (the host driver answers while
# the cycles go on). Every cycle checks that fresh memory reads zero and that its pattern stays;
# verify mode must catch no wrong claim. Needs MEM=1G and the host driver.
. /tests/lib.sh
MEM_MIB=1024
TAKE_MIB=128
MIB=8
CYCLES=$(cmdline_arg pagehint.soak_cycles 1000)
H=/sys/kernel/mm/hugepages/hugepages-2048kB
expect "DEVICE_INIT_REPORTED (bit 6) negotiated" feature_on 6
expect "DEVICE_INIT_ON_INFLATE (bit 7) negotiated" feature_on 7
[ -d $H ] || fail "no 2 MiB hugetlb pages"
[ -w /proc/sys/vm/compact_memory ] || fail "no /proc/sys/vm/compact_memory: CONFIG_COMPACTION off"
# An empty pool: every hugetlb cycle allocates surplus pages from the buddy allocator.
echo 0 > $H/nr_hugepages
echo $((MIB / 2 * 2)) > $H/nr_overcommit_hugepages

c0=$(vmstat zeroed_consumed)
r0=$(vmstat zeroed_marked_report)
d0=$(vmstat zeroed_marked_deflate)
t0=$(date +%s)
/tests/soak "$CYCLES" $MIB mix $MEM_MIB $TAKE_MIB > /tmp/soak.out 2>&1
rc=$?
cat /tmp/soak.out
[ $rc = 0 ] || fail "soak: corruption (exit $rc)"
expect "balloon deflated at the end" wait_balloon 0
echo 0 > $H/nr_overcommit_hugepages
secs=$(($(date +%s) - t0))
consumed=$(($(vmstat zeroed_consumed) - c0))
measured "soak mix: $CYCLES cycles in $secs s, zeroing skipped for $consumed pages, $(($(vmstat zeroed_marked_report) - r0)) marked by reporting, $(($(vmstat zeroed_marked_deflate) - d0)) by deflate"
hugetlb=$(sed -n 's/.* \([0-9]*\) hugetlb (.*/\1/p' /tmp/soak.out)
balloons=$(sed -n 's/.*balloon requests: \([0-9]*\)/\1/p' /tmp/soak.out)
expect "the soak consumed known-zero pages" [ "$consumed" -gt 0 ]
# Every third cycle is a hugetlb one; a surplus allocation may fail now and then (no free 2 MiB
# block), not often.
expect ">= 90% of the hugetlb cycles got surplus huge pages" [ $((${hugetlb:-0} * 10)) -ge $((CYCLES / 3 * 9)) ]
[ "$CYCLES" -lt 512 ] ||
	expect "the balloon moved, and deflate made claims" [ "${balloons:-0}" -ge 2 -a "$(vmstat zeroed_marked_deflate)" -gt "$d0" ]
echo "zeroed_verify_failed: $(vmstat zeroed_verify_failed)"
expect "no verify failure" [ "$(vmstat zeroed_verify_failed)" = 0 ]
expect "no kernel splat" no_kernel_splat
