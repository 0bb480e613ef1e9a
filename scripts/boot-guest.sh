#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot a built guest under QEMU with one test scenario and keep the console log.
#   boot-guest.sh <profile> <scenario> [extra kernel args]
# tests/scenarios/<scenario>.conf sets KUNIT (0/1), MEM, QEMU_ARGS, GUEST_MODULES, GUEST_TESTS,
# CMDLINE, NEEDS_PATCHED_QEMU (0/1), TIMEOUT (seconds) and HOST_DRIVER: a script (path relative
# to the repository) started beside QEMU as `HOST_DRIVER <qmp socket> <console log>`, for tests
# that need the host to act (e.g. inflate the balloon); it is stopped when QEMU exits.
# MIGRATE (e.g. precopy, postcopy; read by the driver) starts a second, destination QEMU with the
# same command line (DEST_QEMU_ARGS instead of QEMU_ARGS if set) plus `-incoming defer`, its
# console appended to the same log; the driver gets PH_DEST_QMP, PH_MIGRATE_URI and
# PH_SCENARIO_CONF, runs the migration and quits the source. A driver that exits non-zero by
# itself fails the boot.
# SWAP_DISK=<size> adds an empty raw virtio-blk disk (the guest's /dev/vda) in a private temp dir;
# BOOTS=<n> starts QEMU again, with the same disk and command line, while the guest has not
# powered off yet, up to n times (hibernation: boot 2 resumes the image boot 1 wrote); every
# boot's console is appended to the one log, TIMEOUT applies to each boot.
# PH_SCENARIO_DIR looks for <scenario>.conf elsewhere (scripts/bench.sh: tests/bench); PH_SMP
# sets the number of vCPUs (default 2; BENCH_PROFILE=1 boots with 1).
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
HOST_DRIVER= MIGRATE= DEST_QEMU_ARGS= SWAP_DISK= BOOTS=1 NEEDS_KVM=0 QEMU_VARIANT=
# shellcheck source=/dev/null
. "$conf"
kernel=$out/arch/x86/boot/bzImage
initrd=$out/initramfs.cpio.gz
[ -f "$kernel" ] && [ -f "$initrd" ] || ph_die "profile $profile has no kernel/initramfs: make initramfs PROFILE=$profile"

# QEMU: $PH_QEMU, else our patched build if it is cached, else the system's.
qemu=${PH_QEMU:-}
if [ -z "$qemu" ] && [ -n "$QEMU_VARIANT" ]; then
	# A variant of our QEMU (kvm: built with KVM too), built the first time it is needed.
	PH_QEMU_VARIANT=$QEMU_VARIANT bash "$PH_TOP/scripts/build-qemu.sh" >&2 ||
		ph_die "scenario $scenario: the $QEMU_VARIANT build of our QEMU failed"
	qemu=$(PH_QEMU_VARIANT=$QEMU_VARIANT bash "$PH_TOP/scripts/build-qemu.sh" --print-path)
fi
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
[ "$NEEDS_KVM" = 0 ] || [ "$accel" = kvm ] || ph_die "scenario $scenario needs KVM, which does not work here"

mkdir -p "$PH_BUILD/logs"
log=$PH_BUILD/logs/$profile-$scenario.log
: > "$log"
join() { tr ' ' ',' <<< "$*" | sed 's/^,*//; s/,*$//'; }
# log_buf_len: the dmesg dump at the end must still hold the warnings of a long e2e phase.
append="console=ttyS0 panic=-1 oops=panic log_buf_len=4M kunit.enable=$KUNIT"
append+=" pagehint.tests=$(join $GUEST_TESTS) pagehint.modules=$(join $GUEST_MODULES) $CMDLINE $*"
ph_log "booting $profile/$scenario ($accel, $MEM, $(basename "$qemu") ${QEMU_ARGS:-no devices})"
qmp=() driver_pid= dest_pid= disk=()
vm=("$qemu" -accel "$accel" -M q35 -cpu max -smp "${PH_SMP:-2}" -m "$MEM" -nographic -no-reboot -nodefaults
	-serial stdio -kernel "$kernel" -initrd "$initrd" -append "$append")
if [ -n "$HOST_DRIVER" ] || [ -n "$MIGRATE" ] || [ -n "$SWAP_DISK" ]; then
	# Unix socket paths are limited to 108 bytes and the clone may live anywhere: sockets (and
	# disks) go in a short private directory, never under the clone.
	PH_RUNDIR=$(ph_rundir)
	trap 'rm -rf "$PH_RUNDIR"' EXIT
fi
if [ -n "$SWAP_DISK" ]; then
	truncate -s "$SWAP_DISK" "$PH_RUNDIR/swap.img"
	disk=(-drive "file=$PH_RUNDIR/swap.img,if=none,format=raw,cache=unsafe,id=swap0"
	      -device virtio-blk-pci,drive=swap0)
fi
if [ -n "$MIGRATE" ]; then
	export PH_DEST_QMP=$PH_RUNDIR/dest.qmp PH_MIGRATE_URI=unix:$PH_RUNDIR/migrate
	export PH_SCENARIO_CONF=$conf
	# shellcheck disable=SC2086
	timeout -k 5 "$TIMEOUT" "${vm[@]}" -qmp "unix:$PH_DEST_QMP,server=on,wait=off" \
		-incoming defer ${DEST_QEMU_ARGS:-$QEMU_ARGS} < /dev/null >> "$log" 2>&1 &
	dest_pid=$!
fi
boot=0
while :; do
	boot=$((boot + 1))
	[ "$BOOTS" = 1 ] || ph_log "$profile/$scenario: boot $boot of at most $BOOTS"
	if [ -n "$HOST_DRIVER" ]; then
		sock=$PH_RUNDIR/qmp
		qmp=(-qmp "unix:$sock,server=on,wait=off")
		rm -f "$sock"
		# The driver reads the console from this boot on.
		# A driver must not give up before QEMU's own timeout (a long scenario).
		drv_env=()
		[ "$TIMEOUT" -le 840 ] || drv_env=(PH_HOST_DRIVER_TIMEOUT=$((TIMEOUT + 60)))
		env "${drv_env[@]}" PH_LOG_OFFSET=$(stat -c %s "$log") bash "$PH_TOP/$HOST_DRIVER" \
			"$sock" "$log" > "$log.host" 2>&1 &
		driver_pid=$!
	fi
	set +e
	# shellcheck disable=SC2086
	timeout --foreground -k 5 "$TIMEOUT" "${vm[@]}" "${qmp[@]}" "${disk[@]}" $QEMU_ARGS < /dev/null >> "$log" 2>&1
	rc=$?
	if [ -n "$dest_pid" ]; then
		# A destination the guest never reached (migration refused) waits for nothing: stop it.
		while kill -0 "$dest_pid" 2>/dev/null && ! grep -q '^pagehint: poweroff' "$log"; do sleep 1; done
		for _ in $(seq 10); do kill -0 "$dest_pid" 2>/dev/null || break; sleep 1; done
		kill "$dest_pid" 2>/dev/null
		wait "$dest_pid"
		drc=$?
		[ $drc != 124 ] && [ $drc != 137 ] || rc=$drc
	fi
	set -e
	driver_rc=0
	if [ -n "$driver_pid" ]; then
		for _ in $(seq 50); do kill -0 "$driver_pid" 2>/dev/null || break; sleep 0.1; done
		if kill -0 "$driver_pid" 2>/dev/null; then
			kill "$driver_pid" 2>/dev/null || true
			wait "$driver_pid" 2>/dev/null || true
		else
			wait "$driver_pid" || driver_rc=$?
		fi
		sed 's/^/host: /' "$log.host" >> "$log"
	fi
	[ $rc != 124 ] && [ $rc != 137 ] && [ "$boot" -lt "$BOOTS" ] &&
		! grep -qE '^pagehint: poweroff|Kernel panic' "$log" || break
done
if [ $rc = 124 ] || [ $rc = 137 ]; then
	tail -30 "$log"
	ph_die "$profile/$scenario: guest timed out after ${TIMEOUT}s (log: $log)"
fi
if grep -qE 'Kernel panic|BUG: |Oops' "$log" || ! grep -q '^pagehint: poweroff' "$log"; then
	grep -nE -A20 'Kernel panic|BUG: |Oops|Call Trace' "$log" | head -60 || tail -30 "$log"
	ph_die "$profile/$scenario: guest crashed or never reached its test runner (qemu exit $rc, log: $log)"
fi
[ "$driver_rc" = 0 ] || ph_die "$profile/$scenario: host driver failed (exit $driver_rc, log: $log)"
ph_log "$profile/$scenario: guest finished ($(grep -c '' "$log") console lines)"
