# SPDX-License-Identifier: GPL-2.0
# DEVICE_INIT_ON_INFLATE across balloon page migration: fragment free memory, have the host
# (tests/host/balloon-driver.sh) inflate the balloon by 256 MiB into the holes, free the rest and
# compact memory, so that balloon pages migrate (virtballoon_migratepage: the new page is inflated
# with its own answer, the old one deflated and freed). Then deflate: the hints must have moved
# with the pages (no lost or stale hint), userspace sees only zeros, verify mode finds no wrong
# claim and the kernel logs no bad page state. Needs MEM=2G, the host driver and a kernel with
# CONFIG_BALLOON_MIGRATION.
. /tests/lib.sh
MEM_MIB=2048
TAKE_MIB=256
FRAG_MIB=1024
pages=$((TAKE_MIB * 256))
expect "DEVICE_INIT_ON_INFLATE (bit 7) negotiated" feature_on 7
grep -q '^balloon_migrate ' /proc/vmstat || fail "no balloon_migrate in /proc/vmstat: CONFIG_BALLOON_MIGRATION off"
[ -w /proc/sys/vm/compact_memory ] || fail "no /proc/sys/vm/compact_memory: CONFIG_COMPACTION off"
[ -n "$(balloon_kb)" ] || fail "no Balloon: line in /proc/meminfo"

# Hold the even-PFN pages of 1 GiB so that the balloon's order-0 pages spread over the zone.
rm -f /tmp/fragmented
/tests/fragment $FRAG_MIB /tmp/fragmented &
frag=$!
i=0
while [ ! -e /tmp/fragmented ]; do
	kill -0 $frag 2>/dev/null || fail "fragment exited early"
	i=$((i + 1))
	[ $i -le 300 ] || { kill $frag; fail "fragment not ready after 300 s"; }
	sleep 1
done
echo "fragmented $FRAG_MIB MiB: even-PFN pages held"

m0=$(vmstat zeroed_marked_deflate)
host_balloon $((MEM_MIB - TAKE_MIB))
inflated=0
wait_balloon $((TAKE_MIB * 1024)) && inflated=1
kill $frag
wait $frag 2>/dev/null
expect "balloon inflated to $TAKE_MIB MiB" [ $inflated = 1 ]

# One pass migrates every balloon page below the point where the scanners meet at most once;
# more passes only if the first moved nothing. No proactive compaction meanwhile: only these
# passes move balloon pages.
PROACTIVE=/proc/sys/vm/compaction_proactiveness
proactive=$(cat $PROACTIVE 2>/dev/null) && echo 0 > $PROACTIVE
mig0=$(vmstat balloon_migrate)
passes=0
while [ $passes -lt 3 ]; do
	passes=$((passes + 1))
	echo 1 > /proc/sys/vm/compact_memory
	[ "$(vmstat balloon_migrate)" -gt "$mig0" ] && break
done
mig=$(($(vmstat balloon_migrate) - mig0))
[ -z "$proactive" ] || echo "$proactive" > $PROACTIVE
measured "compaction: $mig of $pages balloon pages migrated in $passes pass(es)"
# Measured 19791 to 35006 in one pass; fewer than 5000 would not prove much below.
expect "at least 5000 balloon pages migrated" [ "$mig" -ge 5000 ]
expect "balloon still holds $TAKE_MIB MiB" [ "$(balloon_kb)" = $((TAKE_MIB * 1024)) ]

host_balloon $MEM_MIB
expect "balloon deflated to 0" wait_balloon 0
marked=$(($(vmstat zeroed_marked_deflate) - m0))
measured "deflate after migration: $marked of $pages pages freed as known-zero"
# Had migration dropped the hint of the migrated pages (at least 5000, > 7% of the balloon),
# fewer than 93% could be marked: >= 99% proves the hints followed, whatever the pass count.
expect "deflated pages marked zeroed >= 99%" [ $((marked * 100)) -ge $((pages * 99)) ]
# Had migration dropped the hint, at most pages - mig could be marked (one pass moves a page
# at most once).
if [ $passes = 1 ]; then
	kept=$((marked + mig - pages))
	echo "migration kept the hint of at least $kept of $mig migrated pages"
	expect "migrated pages kept their hint" [ "$kept" -gt 0 ]
fi

balloon_memory_reads_zero
expect "no verify failure" [ "$(vmstat zeroed_verify_failed)" = 0 ]
expect "no bad page state, BUG or WARNING in the kernel log" no_kernel_splat
