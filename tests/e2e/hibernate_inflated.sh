# SPDX-License-Identifier: GPL-2.0
# Hibernation with the balloon inflated: freeze() deflates it and frees the pages known-zero
# right before the snapshot. After the resume those claims are about memory the restoring
# kernel used: large allocations read zero and verify mode catches no wrong claim. Needs the
# host driver, the swap disk and a second boot (tests/scenarios/virtio-hibernate-inflate.conf).
. /tests/lib.sh
MEM_MIB=2048
TAKE_MIB=256
expect "DEVICE_INIT_ON_INFLATE (bit 7) negotiated" feature_on 7
host_balloon $((MEM_MIB - TAKE_MIB))
expect "balloon inflated to $TAKE_MIB MiB" wait_balloon $((TAKE_MIB * 1024))
flush_reporting
m0=$(vmstat zeroed_marked_deflate)
inv=$(vmstat zeroed_invalidated)
hibernate
m1=$(vmstat zeroed_marked_deflate)
pages=$((TAKE_MIB * 256))
measured "freeze: $((m1 - m0)) of $pages deflated pages freed as known-zero"
expect "freeze deflated the balloon with claims (>= 90%)" [ $(((m1 - m0) * 100)) -ge $((pages * 90)) ]
measured "claims dropped across hibernation: $(($(vmstat zeroed_invalidated) - inv)) pages"
echo "balloon after resume: $(balloon_kb) kB"
resumed_memory_reads_zero
