# SPDX-License-Identifier: GPL-2.0
# Host whose inflate used length exceeds the bitmap the guest supplied
# (test device virtio-balloon-fault-pci, inflate-used-len-excess): the host still discards and
# sets the bits, but the guest must reject every such answer, count it, log it and free no
# deflated page as known-zero.
# Needs MEM=2G and the host driver.
. /tests/lib.sh
MEM_MIB=2048
TAKE_MIB=256
pages=$((TAKE_MIB * 256))
# One inflate request carries at most 256 PFNs (VIRTIO_BALLOON_ARRAY_PFNS_MAX).
requests=$((pages / 256))
expect "DEVICE_INIT_ON_INFLATE (bit 7) negotiated" feature_on 7
[ -n "$(balloon_kb)" ] || fail "no Balloon: line in /proc/meminfo"

r0=$(vmstat zeroed_rejected)
m0=$(vmstat zeroed_marked_deflate)
host_balloon $((MEM_MIB - TAKE_MIB))
expect "balloon inflated to $TAKE_MIB MiB" wait_balloon $((TAKE_MIB * 1024))
rejected=$(($(vmstat zeroed_rejected) - r0))
echo "inflate: $rejected answers rejected (at least $requests requests for $pages pages)"
expect "every oversized inflate answer rejected" [ "$rejected" -ge $requests ]
host_balloon $MEM_MIB
expect "balloon deflated to 0" wait_balloon 0
marked=$(($(vmstat zeroed_marked_deflate) - m0))
echo "deflate: $marked of $pages pages freed as known-zero"
expect "no deflated page marked zeroed" [ "$marked" = 0 ]
expect "rejection logged" sh -c 'dmesg | grep -q "byte inflate bitmap: ignored"'

balloon_memory_reads_zero
expect "no verify failure" [ "$(vmstat zeroed_verify_failed)" = 0 ]
expect "no bad page state, BUG or WARNING in the kernel log" no_kernel_splat
