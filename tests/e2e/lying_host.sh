# SPDX-License-Identifier: GPL-2.0
# Host that claims success without discarding (test device virtio-balloon-fault-pci, lie=on):
# verify mode must catch the wrong claims, and userspace must still see only zeros.
. /tests/lib.sh
expect "DEVICE_INIT_REPORTED (bit 6) negotiated" feature_on 6
# The test profile builds verify mode (configure.sh asserts CONFIG_PAGE_REPORTING_ZEROED_VERIFY).
[ -e /sys/module/page_zeroed/parameters/verify ] || fail "no verify parameter: verify mode not built?"
expect "verify mode on" [ "$(cat /sys/module/page_zeroed/parameters/verify)" = Y ]
/tests/zero_integrity 128 3 thp || fail "userspace saw non-zero memory from a lying host"
/tests/zero_integrity 64 2 || fail "userspace saw non-zero memory from a lying host (4K)"
failed=$(vmstat zeroed_verify_failed)
measured "lying host: verify mode caught $failed wrong claims"
expect "verify mode caught the lying host" [ "$failed" -gt 0 ]
