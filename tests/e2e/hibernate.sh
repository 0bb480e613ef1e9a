# SPDX-License-Identifier: GPL-2.0
# Hibernation (S4) with known-zero claims live: the image holds the memmap (PG_zeroed) but not
# the free pages, which the restoring kernel uses. After the resume no claim from before may be
# trusted: large allocations read zero and verify mode catches no wrong claim. Needs the
# scenario's swap disk and second boot (tests/scenarios/virtio-hibernate.conf).
. /tests/lib.sh
expect "DEVICE_INIT_REPORTED (bit 6) negotiated" feature_on 6
flush_reporting
measured "pages marked zeroed by reporting before hibernation: $(vmstat zeroed_marked_report)"
expect "reporting marked pages zeroed" [ "$(vmstat zeroed_marked_report)" -gt 0 ]
inv=$(vmstat zeroed_invalidated)
hibernate
measured "claims dropped across hibernation: $(($(vmstat zeroed_invalidated) - inv)) pages"
resumed_memory_reads_zero
