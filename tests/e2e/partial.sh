# SPDX-License-Identifier: GPL-2.0
# Host that fails some discards (x-fault-discard-every): only pages it really discarded are
# marked, and no claim is wrong.
. /tests/lib.sh
expect "DEVICE_INIT_REPORTED (bit 6) negotiated" feature_on 6
/tests/zero_integrity 128 3 thp || fail "non-zero memory"
flush_reporting
marked=$(vmstat zeroed_marked_report)
echo "pages marked zeroed by reporting: $marked"
expect "some pages marked" [ "$marked" -gt 0 ]
/tests/zero_integrity 128 2 thp || fail "non-zero memory"
expect "no verify failure" [ "$(vmstat zeroed_verify_failed)" = 0 ]
