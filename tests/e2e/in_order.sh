# SPDX-License-Identifier: GPL-2.0
# The device offers VIRTIO_F_IN_ORDER (QEMU in_order=on). With it a device may use a batch of
# buffers with one used entry and virtio_ring makes up the used length of the others, which the
# per-page reporting would read as "zeroed": the driver keeps DEVICE_INIT_* and gives up IN_ORDER.
. /tests/lib.sh
IN_ORDER=35
echo "virtio-balloon features: $(balloon_features)"
expect "DEVICE_INIT_REPORTED (bit 6) negotiated" feature_on 6
expect "DEVICE_INIT_ON_INFLATE (bit 7) negotiated" feature_on 7
expect "VIRTIO_F_IN_ORDER (bit $IN_ORDER) not negotiated" not feature_on $IN_ORDER
expect "the driver said why" sh -c 'dmesg | grep -q "not using VIRTIO_F_IN_ORDER"'
flush_reporting
echo "pages marked zeroed by reporting: $(vmstat zeroed_marked_report)"
expect "reporting marked pages zeroed" [ "$(vmstat zeroed_marked_report)" -gt 0 ]
/tests/zero_integrity 256 2 thp || fail "256 MiB THP x2: non-zero memory"
/tests/zero_integrity 64 2 || fail "64 MiB 4K x2: non-zero memory"
expect "no verify failure" [ "$(vmstat zeroed_verify_failed)" = 0 ]
