# SPDX-License-Identifier: GPL-2.0
# Live migration with zero claims live (scenarios virtio-migrate-*; host side:
# tests/host/migrate-driver.sh, MIGRATE= in the scenario). While a bandwidth-limited migration
# runs for several rounds, 1200 MiB of a previous owner's data is freed and the balloon inflates
# into it (bit 7), the guest reports free memory (bit 6), allocates, and deflates part of the
# balloon. The host finishes the migration when the guest says so and then deflates the rest on
# whichever side runs (the destination, or the source if the migration was refused). There,
# after the deflate, a fresh 1500 MiB THP mapping and a 256 MiB 4K mapping must read zero and
# verify mode must have found no wrong claim: a discarded page the host did not mark dirty for
# migration keeps its old contents on the destination while the guest holds a zero claim.
# With pagehint.expect_verify_failed=1 on the command line (the host runs with
# virtio-balloon-fault-pci,no-dirty=on) verify mode must catch such claims instead.
. /tests/lib.sh
MEM_MIB=2048
HOLD_MIB=1200
TAKE_MIB=1024
bite=0
grep -q 'pagehint.expect_verify_failed=1' /proc/cmdline && bite=1

# wait_balloon_for <kB> <seconds>
wait_balloon_for() {
	local i=0
	while [ "$(balloon_kb)" != "$1" ]; do
		i=$((i + 1))
		[ $i -le "$2" ] || return 1
		sleep 1
	done
}
# wait_file <path> <seconds>
wait_file() {
	local i=0
	while [ ! -e "$1" ]; do
		i=$((i + 1))
		[ $i -le "$2" ] || return 1
		sleep 1
	done
}

expect "DEVICE_INIT_ON_INFLATE (bit 7) negotiated" feature_on 7
feature_on 6 && echo "DEVICE_INIT_REPORTED (bit 6) negotiated" || echo "bit 6 not negotiated"
v0=$(vmstat zeroed_verify_failed)
m0=$(vmstat zeroed_marked_deflate)
r0=$(vmstat zeroed_marked_report)

# Keep the migration from converging until we are done, and leave data in 1200 MiB.
/tests/hold 64 /tmp/dirtier.ready rewrite &
dirtier=$!
/tests/hold $HOLD_MIB /tmp/hold.ready &
holder=$!
expect "$HOLD_MIB MiB filled with a pattern" wait_file /tmp/hold.ready 600
expect "dirtier running" wait_file /tmp/dirtier.ready 60

t0=$(date +%s)
echo "pagehint-host: migrate" > /dev/console
# The host inflates 1 MiB once the first precopy round has sent our pattern.
expect "host: migration started, first round sent" wait_balloon_for 1024 900
echo "first round after $(($(date +%s) - t0)) s"

# The previous owner goes away; its pages are inflated, reported and reused while migrating.
kill $holder
wait $holder 2>/dev/null
host_balloon $((MEM_MIB - TAKE_MIB))
flush_reporting
expect "balloon inflated to $TAKE_MIB MiB during the migration" \
	wait_balloon_for $((TAKE_MIB * 1024)) 900
echo "inflated after $(($(date +%s) - t0)) s"
/tests/zero_integrity 64 1 || fail "64 MiB 4K during the migration: non-zero memory"
host_balloon $((MEM_MIB - TAKE_MIB + 256))
wait_balloon_for $(((TAKE_MIB - 256) * 1024)) 600 || echo "balloon: $(balloon_kb) kB"
expect "256 MiB deflated during the migration" [ "$(balloon_kb)" = $(((TAKE_MIB - 256) * 1024)) ]
flush_reporting
echo "reporting marked $(($(vmstat zeroed_marked_report) - r0)) pages so far"

kill $dirtier
wait $dirtier 2>/dev/null
echo "pagehint-host: migrate-finish" > /dev/console
# The host deflates the rest once the migration is over, on the side that runs now.
expect "migration over, balloon deflated" wait_balloon_for 0 1200
echo "migration over and deflated after $(($(date +%s) - t0)) s"
m1=$(vmstat zeroed_marked_deflate)
echo "deflate: $((m1 - m0)) pages freed as known-zero"
expect "deflated pages were freed as known-zero" [ $((m1 - m0)) -gt 0 ]

c0=$(vmstat zeroed_consumed)
/tests/zero_integrity 1500 1 thp || fail "1500 MiB THP after the migration: non-zero memory"
/tests/zero_integrity 256 1 || fail "256 MiB 4K after the migration: non-zero memory"
echo "allocation: zeroing skipped for $(($(vmstat zeroed_consumed) - c0)) pages"
v=$(($(vmstat zeroed_verify_failed) - v0))
echo "verify failures: $v"
if [ $bite = 1 ]; then
	expect "verify mode caught stale zero claims (no-dirty test device)" [ "$v" -gt 0 ]
else
	expect "no verify failure" [ "$v" = 0 ]
fi
expect "no kernel splat" no_kernel_splat
