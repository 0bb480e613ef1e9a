# SPDX-License-Identifier: GPL-2.0
# Host that fails some discards (test device virtio-balloon-fault-pci, discard-every): only pages
# it really discarded are marked, and no claim is wrong.
. /tests/lib.sh
expect "DEVICE_INIT_REPORTED (bit 6) negotiated" feature_on 6
# zero_integrity flushes after each round: count from before it.
r0=$(reported_pages)
m0=$(vmstat zeroed_marked_report)
/tests/zero_integrity 128 3 thp || fail "non-zero memory"
flush_reporting
reported=$(($(reported_pages) - r0))
marked=$(($(vmstat zeroed_marked_report) - m0))
measured "every 3rd discard failing: $marked of $reported reported pages marked known-zero"
# The host fails one discard in three: about two thirds of the reported pages are marked,
# never all of them (a page whose discard failed must not be marked).
expect "the flush reported pages" [ "$reported" -gt 0 ]
expect "marked >= 40% of the reported pages" [ $((marked * 100)) -ge $((reported * 40)) ]
expect "marked <= 90% of the reported pages" [ $((marked * 100)) -le $((reported * 90)) ]
/tests/zero_integrity 128 2 thp || fail "non-zero memory"
expect "no verify failure" [ "$(vmstat zeroed_verify_failed)" = 0 ]
