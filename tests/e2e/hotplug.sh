# SPDX-License-Identifier: GPL-2.0
# Memory hot(un)plug with known-zero claims. The host driver (tests/host/balloon-driver.sh)
# plugs a 256 MiB pc-dimm over QMP (ACPI); the guest onlines it movable, fills it with user
# data, frees it, flushes reporting (the DIMM's pages get zero claims) and allocates from the
# claims; offlines and onlines the blocks while they hold claims; has it unplugged while it
# holds claims, data and inflated balloon pages (bit 7: their hints must follow them when the
# offlining migrates them); then the host plugs a DIMM at the same place whose memory holds 0x5a
# bytes (a memory-backend-file): a claim that survived the unplug would hand that out as zero.
# Every fresh allocation must read zero and verify mode must catch no wrong claim. Needs bits 6
# and 7, MEM=1G,slots=...,maxmem=..., CONFIG_ACPI_HOTPLUG_MEMORY, CONFIG_BALLOON_MIGRATION and
# the host driver.
. /tests/lib.sh
MEM_MIB=1024
DIMM_MIB=256
TAKE_MIB=128
dimm_pages=$((DIMM_MIB * 256))
expect "DEVICE_INIT_REPORTED (bit 6) negotiated" feature_on 6
expect "DEVICE_INIT_ON_INFLATE (bit 7) negotiated" feature_on 7
grep -q '^balloon_migrate ' /proc/vmstat || fail "no balloon_migrate in /proc/vmstat: CONFIG_BALLOON_MIGRATION off"
[ -d $MEMDIR ] || fail "no $MEMDIR: CONFIG_MEMORY_HOTPLUG off"
[ ! -e $MEMDIR/auto_online_blocks ] || echo offline > $MEMDIR/auto_online_blocks
bs=$((0x$(cat $MEMDIR/block_size_bytes)))
nblk=$((DIMM_MIB * 1048576 / bs))
[ $nblk -ge 1 ] || fail "memory block size $bs is larger than the $DIMM_MIB MiB DIMM"

online_blocks() {
	local b
	for b in $blocks; do
		[ "$(cat $MEMDIR/memory$b/state)" = offline ] ||
			fail "memory$b is $(cat $MEMDIR/memory$b/state) before onlining"
		echo online_movable > $MEMDIR/memory$b/state || fail "memory$b: online_movable failed"
	done
}

offline_blocks() {
	local b
	for b in $blocks; do
		echo offline > $MEMDIR/memory$b/state || fail "memory$b: offline failed"
	done
}

# plug_dimm <id> [dirty]: ask the host for a DIMM, wait for its memory blocks ($blocks), online
# them movable.
plug_dimm() {
	local i=0
	memory_blocks > /tmp/blocks.before
	host_plug "$1" $DIMM_MIB $2
	while :; do
		blocks=$(memory_blocks | grep -vxF -f /tmp/blocks.before | tr '\n' ' ')
		[ "$(echo $blocks | wc -w)" -ge $nblk ] && break
		i=$((i + 1))
		[ $i -le 120 ] || fail "DIMM $1: $nblk new memory blocks did not appear in 120 s"
		sleep 1
	done
	echo "DIMM $1${2:+ ($2)} plugged: memory blocks $blocks"
	online_blocks
	expect "DIMM $1 onlined movable: >= 90% of it free in ZONE_MOVABLE" \
		[ $(($(zone_free Movable) * 10)) -ge $((dimm_pages * 9)) ]
}

# unplug_dimm <id>: ask the host to unplug it; the guest's ACPI eject offlines and removes the
# blocks, then the host frees the memory.
unplug_dimm() {
	local i=0 b left
	host_unplug "$1"
	while :; do
		left=
		for b in $blocks; do [ ! -e $MEMDIR/memory$b ] || left="$left $b"; done
		[ -z "$left" ] && break
		i=$((i + 1))
		[ $i -le 300 ] || fail "DIMM $1: memory blocks$left still present 300 s after the unplug request"
		sleep 1
	done
	echo "DIMM $1 unplugged after about $i s"
}

# hold_mib <MiB>: user memory full of a pattern, until kill_hold.
hold_mib() {
	local i=0
	rm -f /tmp/held
	/tests/hold "$1" /tmp/held &
	hold=$!
	while [ ! -e /tmp/held ]; do
		kill -0 $hold 2>/dev/null || fail "hold $1 MiB exited early"
		i=$((i + 1))
		[ $i -le 300 ] || fail "hold $1 MiB not ready after 300 s"
		sleep 1
	done
}
kill_hold() { kill $hold; wait $hold 2>/dev/null; }

# 1. Plug and use: user memory prefers ZONE_MOVABLE, so 600 MiB fill the DIMM.
plug_dimm d1
first_blocks=$blocks
hold_mib 600
expect "the DIMM holds user data (< 10% of it free)" \
	[ $(($(zone_free Movable) * 10)) -lt $dimm_pages ]
kill_hold

# 2. Report: the freed data is discarded and claimed zero, the claims are used.
m0=$(vmstat zeroed_marked_report)
flush_reporting
marked=$(($(vmstat zeroed_marked_report) - m0))
measured "hotplug: flush after use marked $marked pages known-zero"
expect "the flush marked at least the DIMM's size" [ $marked -ge $dimm_pages ]
c0=$(vmstat zeroed_consumed)
/tests/zero_integrity 200 1 thp || fail "200 MiB THP on the DIMM: non-zero memory"
consumed=$(($(vmstat zeroed_consumed) - c0))
measured "hotplug: 200 MiB THP, zeroing skipped for $consumed of 51200 pages"
expect "zeroing skipped for >= 90% of 200 MiB THP" [ $((consumed * 10)) -ge $((51200 * 9)) ]

# 3. Offline and online the blocks while their free pages hold claims (zero_integrity flushed
# after its round).
i0=$(vmstat zeroed_invalidated)
offline_blocks
expect "ZONE_MOVABLE empty while the DIMM is offline" [ "$(zone_free Movable)" = 0 ]
online_blocks
measured "hotplug: offline/online dropped $(($(vmstat zeroed_invalidated) - i0)) claims"
/tests/zero_integrity 200 1 thp || fail "200 MiB THP after offline/online: non-zero memory"
/tests/zero_integrity 64 1 || fail "64 MiB 4K after offline/online: non-zero memory"

# 4. Unplug while the DIMM holds claims (flushed free blocks), data (64 MiB in use) and balloon
# pages with inflate hints (bit 7; balloon pages prefer ZONE_MOVABLE too): the offlining
# migrates the data and the balloon pages out (virtballoon_migratepage: the new page gets its
# own answer), and the hints must follow them to the deflate.
hold_mib 64
flush_reporting
d0=$(vmstat zeroed_marked_deflate)
host_balloon $((MEM_MIB + DIMM_MIB - TAKE_MIB))
expect "balloon inflated to $TAKE_MIB MiB" wait_balloon $((TAKE_MIB * 1024))
bm0=$(vmstat balloon_migrate)
unplug_dimm d1
kill_hold
expect "ZONE_MOVABLE gone with the DIMM" [ "$(zone_free Movable)" = 0 ]
migrated=$(($(vmstat balloon_migrate) - bm0))
measured "hotplug: the unplug migrated $migrated balloon pages off the DIMM"
expect "the unplug migrated balloon pages" [ $migrated -gt 0 ]
host_balloon $MEM_MIB
expect "balloon deflated to 0" wait_balloon 0
deflated=$(($(vmstat zeroed_marked_deflate) - d0))
measured "hotplug: deflate after the unplug, $deflated of $((TAKE_MIB * 256)) pages freed known-zero"
expect "deflated pages marked zeroed >= 99%" [ $((deflated * 100)) -ge $((TAKE_MIB * 256 * 99)) ]

# 5. Plug again, at the same place, memory that holds 0x5a bytes: no claim may have survived.
c0=$(vmstat zeroed_consumed)
plug_dimm d1 dirty
expect "the new DIMM sits where the old one was (blocks $first_blocks)" [ "$blocks" = "$first_blocks" ]
/tests/zero_integrity 200 1 || fail "200 MiB 4K on the re-added DIMM: non-zero memory"
# Zeroing not skipped here means the guest cleared the 0x5a bytes itself (reporting may have
# discarded part of the DIMM since it came online, and claimed that part correctly).
measured "hotplug: first 200 MiB 4K on the re-added DIMM, zeroing skipped for $(($(vmstat zeroed_consumed) - c0)) of 51200 pages"
/tests/zero_integrity 200 1 thp || fail "200 MiB THP on the re-added DIMM: non-zero memory"
/tests/soak 4 200 || fail "soak on the re-added DIMM"
measured "hotplug: re-added DIMM, zeroing skipped for $(($(vmstat zeroed_consumed) - c0)) pages"
unplug_dimm d1

echo "zeroed_verify_failed: $(vmstat zeroed_verify_failed)"
expect "no verify failure" [ "$(vmstat zeroed_verify_failed)" = 0 ]
expect "no kernel splat" no_kernel_splat
