# SPDX-License-Identifier: GPL-2.0
# Surplus hugetlb pages come from the buddy allocator at fault time with __GFP_ZERO: when the
# host has zeroed the reported blocks they are taken as they are, and hugetlb does not clear
# them again (HPG_zeroed). Pool pages never come back from a report: nothing to skip there.
. /tests/lib.sh
H=/sys/kernel/mm/hugepages/hugepages-2048kB
[ -d $H ] || fail "no 2 MiB hugetlb pages (CONFIG_HUGETLBFS is asserted)"
expect "DEVICE_INIT_REPORTED (bit 6) negotiated" feature_on 6
N=128
echo $N > $H/nr_overcommit_hugepages
flush_reporting
c0=$(vmstat zeroed_consumed)
/tests/hugetlb_zero surplus $N nodirty || fail "surplus pages not zeroed"
c1=$(vmstat zeroed_consumed)
echo 0 > $H/nr_overcommit_hugepages
pages=$((N * 512))
measured "$N surplus hugetlb pages: zeroing skipped for $((c1 - c0)) of $pages pages"
expect "zeroing skipped for >= 90% of $N surplus huge pages" [ $(((c1 - c0) * 100)) -ge $((pages * 90)) ]
expect "no verify failure" [ "$(vmstat zeroed_verify_failed)" = 0 ]
expect "no kernel splat" no_kernel_splat
