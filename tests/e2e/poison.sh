# SPDX-License-Identifier: GPL-2.0
# Page poisoning on (page_poison=1): the device would initialise pages with a non-zero
# poison_val, so the guest must clear DEVICE_INIT_REPORTED and mark nothing.
. /tests/lib.sh
expect "PAGE_POISON (bit 4) negotiated" feature_on 4
expect "DEVICE_INIT_REPORTED (bit 6) cleared" not feature_on 6
/tests/zero_integrity 64 2 thp || fail "non-zero memory"
expect "no page marked by reporting" [ "$(vmstat zeroed_marked_report)" = 0 ]
