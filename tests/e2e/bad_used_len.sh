# SPDX-License-Identifier: GPL-2.0
# Host whose used length exceeds the reported buffer (test device virtio-balloon-fault-pci,
# used-len-excess): the guest rejects each such answer, counts it, logs it and marks no page
# zeroed.
. /tests/lib.sh
expect "DEVICE_INIT_REPORTED (bit 6) negotiated" feature_on 6
flush_reporting
rejected=$(vmstat zeroed_rejected)
echo "answers rejected: $rejected"
expect "oversized used lengths rejected" [ "$rejected" -gt 0 ]
expect "no page marked zeroed by reporting" [ "$(vmstat zeroed_marked_report)" = 0 ]
/tests/zero_integrity 64 2 thp || fail "non-zero memory"
expect "no verify failure" [ "$(vmstat zeroed_verify_failed)" = 0 ]
expect "rejection logged" sh -c 'dmesg | grep -q "device returned used_len"'
