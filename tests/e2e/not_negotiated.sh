# SPDX-License-Identifier: GPL-2.0
# Host without DEVICE_INIT_REPORTED: nothing is marked, memory is still correct.
. /tests/lib.sh
expect "free page reporting (bit 5) negotiated" feature_on 5
expect "DEVICE_INIT_REPORTED (bit 6) not negotiated" not feature_on 6
flush_reporting
/tests/zero_integrity 64 2 thp || fail "non-zero memory"
expect "no page marked by reporting" [ "$(vmstat zeroed_marked_report)" = 0 ]
expect "no verify failure" [ "$(vmstat zeroed_verify_failed)" = 0 ]
