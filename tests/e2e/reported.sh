# SPDX-License-Identifier: GPL-2.0
# DEVICE_INIT_REPORTED end to end: the host vouches for reported pages, the guest skips zeroing
# them, userspace still sees only zeros and verify mode finds no wrong claim.
. /tests/lib.sh
expect "DEVICE_INIT_REPORTED (bit 6) negotiated" feature_on 6
expect "DEVICE_INIT_ON_INFLATE (bit 7) not negotiated" not feature_on 7
flush_reporting
marked=$(vmstat zeroed_marked_report)
echo "pages marked zeroed by reporting: $marked"
expect "reporting marked pages zeroed" [ "$marked" -gt 0 ]

c0=$(vmstat zeroed_consumed)
/tests/zero_integrity 256 1 thp || fail "256 MiB THP: non-zero memory"
c1=$(vmstat zeroed_consumed)
thp=$((c1 - c0))
echo "THP: zeroing skipped for $thp of 65536 pages"
expect "zeroing skipped for >= 90% of 256 MiB THP" [ $((thp * 100)) -ge $((65536 * 90)) ]

flush_reporting
c0=$(vmstat zeroed_consumed)
/tests/zero_integrity 64 1 || fail "64 MiB 4K: non-zero memory"
c1=$(vmstat zeroed_consumed)
echo "4K: zeroing skipped for $((c1 - c0)) of 16384 pages"
expect "zeroing skipped for some 4K pages" [ $((c1 - c0)) -gt 0 ]
expect "no verify failure" [ "$(vmstat zeroed_verify_failed)" = 0 ]
