#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot a built guest under QEMU with one test scenario and keep the console log.
#   boot-guest.sh <profile> <scenario> [extra kernel args]
# tests/scenarios/<scenario>.conf sets KUNIT (0/1), MEM, QEMU_ARGS, GUEST_MODULES, GUEST_TESTS,
# CMDLINE, NEEDS_PATCHED_QEMU (0/1), TIMEOUT (seconds) and HOST_DRIVER: a script (path relative
# to the repository) started beside QEMU as `HOST_DRIVER <qmp socket> <console log>`, for tests
# that need the host to act (e.g. inflate the balloon); it is stopped when QEMU exits.
# PH_SCENARIO_DIR looks for <scenario>.conf elsewhere (scripts/bench.sh: tests/bench).
# The log is $PH_BUILD/logs/<profile>-<scenario>.log. Exit 0 when the guest ran its tests and
# powered off; 1 on a timeout, a panic or a guest that never reached its runner.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

profile=${1:?usage: boot-guest.sh <profile> <scenario> [kernel args]}
scenario=${2:?usage: boot-guest.sh <profile> <scenario> [kernel args]}
shift 2
out=$PH_BUILD/out-$profile
conf=${PH_SCENARIO_DIR:-$PH_TOP/tests/scenarios}/$scenario.conf
[ -f "$conf" ] || ph_die "no scenario $scenario ($conf)"
KUNIT=0 MEM=1G QEMU_ARGS= GUEST_MODULES= GUEST_TESTS= CMDLINE= NEEDS_PATCHED_QEMU=0 TIMEOUT=600
HOST_DRIVER=
# shellcheck source=/dev/null
. "$conf"
kernel=$out/arch/x86/boot/bzImage
initrd=$out/initramfs.cpio.gz
[ -f "$kernel" ] && [ -f "$initrd" ] || ph_die "profile $profile has no kernel/initramfs: make initramfs PROFILE=$profile"

# QEMU: $PH_QEMU, else our patched build if it is cached, else the system's.
qemu=${PH_QEMU:-}
if [ -z "$qemu" ]; then
	qemu=$(bash "$PH_TOP/scripts/build-qemu.sh" --print-path 2>/dev/null || true)
	if [ -z "$qemu" ] || [ ! -x "$qemu" ]; then
		[ "$NEEDS_PATCHED_QEMU" = 1 ] && ph_die "scenario $scenario needs the patched QEMU: make qemu"
		qemu=$(command -v qemu-system-x86_64) || ph_die "qemu-system-x86 is not installed"
	fi
fi

# KVM only when a probe boot proves it works; the answer is kept for this build dir.
accel=tcg
probe=$PH_BUILD/kvm-probe
if [ -w /dev/kvm ]; then
	if [ ! -f "$probe" ]; then
		if timeout 20 "$qemu" -accel kvm -M q35 -m 256M -nographic -no-reboot -kernel "$kernel" \
			-append "console=ttyS0 panic=-1 rdinit=/pagehint-no-such-init" 2>&1 |
			grep -q 'Kernel panic'; then echo kvm > "$probe"; else echo tcg > "$probe"; fi
	fi
	accel=$(cat "$probe")
fi

mkdir -p "$PH_BUILD/logs"
log=$PH_BUILD/logs/$profile-$scenario.log
: > "$log"
join() { tr ' ' ',' <<< "$*" | sed 's/^,*//; s/,*$//'; }
# log_buf_len: the dmesg dump at the end must still hold the warnings of a long e2e phase.
append="console=ttyS0 panic=-1 oops=panic log_buf_len=4M kunit.enable=$KUNIT"
append+=" pagehint.tests=$(join $GUEST_TESTS) pagehint.modules=$(join $GUEST_MODULES) $CMDLINE $*"
ph_log "booting $profile/$scenario ($accel, $MEM, $(basename "$qemu") ${QEMU_ARGS:-no devices})"
qmp=() driver_pid=
if [ -n "$HOST_DRIVER" ]; then
	# Unix socket paths are limited to 108 bytes and the clone may live anywhere: sockets go
	# in a short private directory, never under the clone.
	PH_RUNDIR=$(ph_rundir)
	trap 'rm -rf "$PH_RUNDIR"' EXIT
	sock=$PH_RUNDIR/qmp
	qmp=(-qmp "unix:$sock,server=on,wait=off")
	bash "$PH_TOP/$HOST_DRIVER" "$sock" "$log" > "$log.host" 2>&1 &
	driver_pid=$!
fi
set +e
# shellcheck disable=SC2086
timeout --foreground -k 5 "$TIMEOUT" "$qemu" -accel "$accel" -M q35 -cpu max -smp 2 -m "$MEM" \
	-nographic -no-reboot -nodefaults -serial stdio -kernel "$kernel" -initrd "$initrd" \
	-append "$append" "${qmp[@]}" $QEMU_ARGS < /dev/null >> "$log" 2>&1
rc=$?
set -e
if [ -n "$driver_pid" ]; then
	kill "$driver_pid" 2>/dev/null || true
	wait "$driver_pid" 2>/dev/null || true
	sed 's/^/host: /' "$log.host" >> "$log"
fi
if [ $rc = 124 ] || [ $rc = 137 ]; then
	tail -30 "$log"
	ph_die "$profile/$scenario: guest timed out after ${TIMEOUT}s (log: $log)"
fi
if grep -qE 'Kernel panic|BUG: |Oops' "$log" || ! grep -q '^pagehint: poweroff' "$log"; then
	grep -nE -A20 'Kernel panic|BUG: |Oops|Call Trace' "$log" | head -60 || tail -30 "$log"
	ph_die "$profile/$scenario: guest crashed or never reached its test runner (qemu exit $rc, log: $log)"
fi
ph_log "$profile/$scenario: guest finished ($(grep -c '' "$log") console lines)"
