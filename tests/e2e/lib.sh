# SPDX-License-Identifier: GPL-2.0
# Helpers for e2e tests running inside the guest (busybox sh).
FLUSH=/sys/kernel/debug/page_reporting/flush

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

# A test that must stop from inside $(...): fail there only ends the subshell.
abort() { echo "FAIL: $*" >&2; kill $$; exit 1; }

# vmstat <counter>: its value; a counter that does not exist fails the test (a renamed or
# compiled-out counter must not read as 0).
vmstat() {
	awk -v k="$1" '$1 == k { print $2; f = 1 } END { exit !f }' /proc/vmstat ||
		abort "no counter $1 in /proc/vmstat"
}

# Report free memory now (page budget in pages). The knob must exist and the write succeed:
# a test that relies on a flush must not fall back to timer-driven reporting silently.
flush_reporting() {
	[ -w "$FLUSH" ] || fail "no $FLUSH"
	echo "${1:-1048576}" > "$FLUSH" || fail "flush_reporting: write to $FLUSH failed"
}

# Base pages free page reporting has reported since boot (reading the flush knob).
reported_pages() { cat "$FLUSH" || abort "cannot read $FLUSH"; }

# measured <text>: a number make check's summary shows (scripts/results.py collects these).
measured() { echo "measured: $*"; }

# The virtio-balloon's negotiated feature string (one 0/1 character per bit, bit 0 first).
balloon_features() {
	local d
	for d in /sys/bus/virtio/devices/*; do
		[ "$(cat "$d/device" 2>/dev/null)" = 0x0005 ] && { cat "$d/features"; return 0; }
	done
	return 1
}

# feature_on <bit>: true if the balloon negotiated that feature bit.
feature_on() {
	[ "$(balloon_features | cut -c$(($1 + 1)))" = 1 ]
}

# expect <description> <test expression...>: print the check, fail the test if it is false.
expect() {
	local what=$1
	shift
	if "$@"; then echo "ok: $what"; else fail "$what"; fi
}

# not <command...>: true if the command fails (for expect).
not() { ! "$@"; }

# Balloon tests: the guest asks the host driver (tests/host/balloon-driver.sh) on the console to
# resize the balloon; the runner collects our output in a file, the host reads the console.
# host_balloon <MiB>: target guest memory size.
host_balloon() { echo "pagehint-host: balloon $1" > /dev/console; }
balloon_kb() { awk '$1 == "Balloon:" { print $2 }' /proc/meminfo; }
# wait_balloon <kB>: poll /proc/meminfo until the balloon holds that much, 120 s at most.
wait_balloon() {
	local i=0
	while [ "$(balloon_kb)" != "$1" ]; do
		i=$((i + 1))
		[ $i -le 120 ] || return 1
		sleep 1
	done
}

# Kernel splats in the log buffer: bad page state, BUG, WARNING, Oops.
kernel_splats() { dmesg | grep -E 'Bad page|BUG: |WARNING: |Oops|Call Trace'; }
no_kernel_splat() {
	local s
	s=$(kernel_splats) || return 0
	printf '%s\n' "$s" | head -n 10
	return 1
}

# After a balloon test: a 256 MiB THP and a 64 MiB 4K allocation must read as zero; prints how
# many pages skipped zeroing on the way.
balloon_memory_reads_zero() {
	local c0
	c0=$(vmstat zeroed_consumed)
	/tests/zero_integrity 256 1 thp || fail "256 MiB THP: non-zero memory"
	/tests/zero_integrity 64 1 || fail "64 MiB 4K: non-zero memory"
	echo "allocation: zeroing skipped for $(($(vmstat zeroed_consumed) - c0)) pages"
}

# Hibernation tests: the scenario gives an empty disk (SWAP_DISK) as /dev/vda, boots twice
# (BOOTS=2) and passes pagehint.resume=vda, so the second boot's /init resumes the image.
# hibernate: swap on /dev/vda, suspend to disk, power off; returns in the resumed kernel.
hibernate() {
	[ -b /dev/vda ] || fail "no disk /dev/vda (SWAP_DISK)"
	grep -qw disk /sys/power/state || fail "no hibernation: /sys/power/state is '$(cat /sys/power/state)'"
	mkswap /dev/vda > /dev/null || fail "mkswap /dev/vda"
	swapon /dev/vda || fail "swapon /dev/vda"
	echo shutdown > /sys/power/disk
	echo "# hibernating to /dev/vda" > /dev/console
	echo disk > /sys/power/state || fail "hibernation failed"
	echo "resumed from /dev/vda"
	dmesg | grep -E 'hibernation image restored|PM: hibernation: hibernation exit' || true
}

# After a resume: large THP, 4K and surplus hugetlb allocations read zero (the first allocation
# is not preceded by a reporting flush: marks from before the image must not be used), and
# verify mode caught no wrong claim.
resumed_memory_reads_zero() {
	local c0 h=/sys/kernel/mm/hugepages/hugepages-2048kB
	c0=$(vmstat zeroed_consumed)
	/tests/zero_integrity 1280 1 thp || fail "1280 MiB THP: non-zero memory"
	/tests/zero_integrity 256 1 || fail "256 MiB 4K: non-zero memory"
	if [ -d $h ]; then
		echo 64 > $h/nr_overcommit_hugepages
		/tests/hugetlb_zero surplus 64 nodirty || fail "64 surplus huge pages: not zeroed"
		echo 0 > $h/nr_overcommit_hugepages
	fi
	measured "after resume: zeroing skipped for $(($(vmstat zeroed_consumed) - c0)) pages"
	echo "zeroed_verify_failed: $(vmstat zeroed_verify_failed)"
	expect "no verify failure after resume" [ "$(vmstat zeroed_verify_failed)" = 0 ]
	expect "no kernel splat" no_kernel_splat
}

# Memory hotplug tests: the host driver (tests/host/balloon-driver.sh) plugs and unplugs pc-dimm
# devices over QMP when the guest asks on the console; the guest sees memory blocks come and go.
MEMDIR=/sys/devices/system/memory
# host_plug <id> <MiB> [dirty]: a new DIMM (dirty: its memory holds 0x5a bytes, not zeros).
host_plug() { echo "pagehint-host: plug $*" > /dev/console; }
# host_unplug <id>: device_del; the guest ejects it (ACPI), then the host frees its memory.
host_unplug() { echo "pagehint-host: unplug $1" > /dev/console; }
# The memory block numbers present now, one a line.
memory_blocks() { ls -d $MEMDIR/memory[0-9]* | sed 's|.*/memory||' | sort -n; }
# zone_free <zone name>: free pages in that zone (0 when it does not exist).
zone_free() {
	awk -v z="$1" '$1 == "Node" { in_z = ($4 == z) } in_z && $1 == "pages" && $2 == "free" { n += $3 }
		END { print n + 0 }' /proc/zoneinfo
}

# cmdline_arg <name> [default]: the value of <name>=... on the kernel command line (a scenario's
# CMDLINE parameterises its tests this way).
cmdline_arg() {
	local v
	v=$(tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -n1)
	echo "${v:-$2}"
}
