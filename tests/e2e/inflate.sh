# SPDX-License-Identifier: GPL-2.0
# DEVICE_INIT_ON_INFLATE end to end: the host (tests/host/balloon-driver.sh) inflates the balloon
# by 256 MiB and deflates it again; the device vouches for the pages it discarded, the guest frees
# them as known-zero on deflate, userspace still sees only zeros and verify mode finds no wrong
# claim. Needs MEM=2G and the host driver.
. /tests/lib.sh
MEM_MIB=2048
TAKE_MIB=256
expect "DEVICE_INIT_ON_INFLATE (bit 7) negotiated" feature_on 7

[ -n "$(balloon_kb)" ] || fail "no Balloon: line in /proc/meminfo"
m0=$(vmstat zeroed_marked_deflate)
host_balloon $((MEM_MIB - TAKE_MIB))
expect "balloon inflated to $TAKE_MIB MiB" wait_balloon $((TAKE_MIB * 1024))
host_balloon $MEM_MIB
expect "balloon deflated to 0" wait_balloon 0
m1=$(vmstat zeroed_marked_deflate)
pages=$((TAKE_MIB * 256))
measured "deflate: $((m1 - m0)) of $pages pages freed as known-zero"
# Measured: all of them.
expect "deflated pages marked zeroed >= 99%" [ $(((m1 - m0) * 100)) -ge $((pages * 99)) ]

balloon_memory_reads_zero
expect "no verify failure" [ "$(vmstat zeroed_verify_failed)" = 0 ]
