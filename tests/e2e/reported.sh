# SPDX-License-Identifier: GPL-2.0
# DEVICE_INIT_REPORTED end to end: the host vouches for reported pages, the guest skips zeroing
# them, userspace still sees only zeros and verify mode finds no wrong claim.
. /tests/lib.sh
expect "DEVICE_INIT_REPORTED (bit 6) negotiated" feature_on 6
expect "DEVICE_INIT_ON_INFLATE (bit 7) not negotiated" not feature_on 7
r0=$(reported_pages)
m0=$(vmstat zeroed_marked_report)
# The boot-time KUnit suites (when a scenario runs them) inject wrong claims on purpose.
v0=$(vmstat zeroed_verify_failed)
flush_reporting
reported=$(($(reported_pages) - r0))
marked=$(($(vmstat zeroed_marked_report) - m0))
measured "flush: $marked of $reported reported pages marked known-zero"
# Every reported page is discarded by an honest host (measured: all of them).
expect "reporting marked >= 99% of the reported pages" [ $((marked * 100)) -ge $((reported * 99)) ]
expect "the flush reported at least 256 MiB" [ "$reported" -ge 65536 ]

c0=$(vmstat zeroed_consumed)
/tests/zero_integrity 256 1 thp || fail "256 MiB THP: non-zero memory"
c1=$(vmstat zeroed_consumed)
thp=$((c1 - c0))
measured "256 MiB THP: zeroing skipped for $thp of 65536 pages"
expect "zeroing skipped for >= 90% of 256 MiB THP" [ $((thp * 100)) -ge $((65536 * 90)) ]

flush_reporting
c0=$(vmstat zeroed_consumed)
/tests/zero_integrity 64 1 || fail "64 MiB 4K: non-zero memory"
c1=$(vmstat zeroed_consumed)
measured "64 MiB 4K: zeroing skipped for $((c1 - c0)) of 16384 pages"
# Measured 15545 of 16384 (95%); the rest come from pcp lists and blocks below the reporting
# order.
expect "zeroing skipped for >= 80% of 64 MiB 4K" [ $(((c1 - c0) * 100)) -ge $((16384 * 80)) ]
expect "no verify failure" [ "$(vmstat zeroed_verify_failed)" = "$v0" ]
