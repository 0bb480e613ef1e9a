#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Test the pagehint QEMU device and print KTAP on stdout (progress goes to stderr):
#  - every case of the virtio-balloon-init qtest (the tests/qtest patch in host/series), one
#    process each;
#  - every case of the pagemap unit test (tests/unit/test-pagemap.c: which guest RAM pages the
#    Hyper-V boot-zeroed memory answer may list), one process each;
#  - boot smoke tests: the built QEMU boots a kernel on q35/TCG with the DEVICE_INIT properties
#    on or off and with the fault-injecting test device, QMP shows the offered feature bits, and
#    a bad combination is refused.
# Usage: scripts/test-qemu.sh [bzImage]   (default: $PH_BUILD/out-vanilla/arch/x86/boot/bzImage;
# the boot cases are skipped when there is no kernel).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${1:-$PH_BUILD/out-vanilla/arch/x86/boot/bzImage}
qemu=$(bash "$PH_TOP/scripts/build-qemu.sh" >&2 && bash "$PH_TOP/scripts/build-qemu.sh" --print-path)
qtest=$(dirname "$(dirname "$qemu")")/tests/virtio-balloon-init-test
unit=$(dirname "$(dirname "$qemu")")/tests/test-pagemap
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

results=()
failed=0
record() { # record <0|1 passed> <name> [reason]
	local n=$((${#results[@]} + 1))
	if [ "$1" = 1 ]; then
		results+=("ok $n $2")
	else
		results+=("not ok $n $2${3:+ # $3}")
		failed=$((failed + 1))
	fi
}

# One qtest case per process: a failed g_assert aborts the whole binary.
ph_log "qtest: $qtest" >&2
for path in $(QTEST_QEMU_BINARY=$qemu "$qtest" -l | grep '^/'); do
	name=qtest-${path##*/}
	if QTEST_QEMU_BINARY=$qemu timeout 120 "$qtest" -p "$path" > "$tmp/$name.log" 2>&1; then
		record 1 "$name"
	else
		sed 's/^/# /' "$tmp/$name.log" | tail -n 20 >&2
		record 0 "$name" "see the log above"
	fi
done

# One unit test case per process too; /pagemap/mmap/all-touched is unit-pagemap-mmap-all-touched.
ph_log "unit test: $unit" >&2
for path in $("$unit" -l | grep '^/'); do
	name=unit${path//\//-}
	if timeout 120 "$unit" -p "$path" > "$tmp/$name.log" 2>&1; then
		record 1 "$name"
	else
		sed 's/^/# /' "$tmp/$name.log" | tail -n 20 >&2
		record 0 "$name" "see the log above"
	fi
done

# Minimal QMP client: prints the answer to each command given as an argument, as JSON lines.
qmp() {
	python3 - "$@" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
f = s.makefile("rw")
def call(cmd):
    f.write(json.dumps(cmd) + "\n"); f.flush()
    while True:
        r = json.loads(f.readline())
        if "return" in r or "error" in r:
            return r
json.loads(f.readline())  # greeting
call({"execute": "qmp_capabilities"})
for arg in sys.argv[2:]:
    print(json.dumps(call(json.loads(arg))))
PY
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# boot <name> <device properties> <features that must be offered> <features that must not be>
#      [device, default virtio-balloon-pci]
boot() {
	local name=$1 props=$2 want=$3 unwanted=$4 device=${5:-virtio-balloon-pci}
	local sock=$tmp/$1.qmp log=$tmp/$1.console pid status f
	timeout 300 "$qemu" -accel tcg -M q35 -m 1G -nodefaults -display none -no-reboot \
		-serial "file:$log" -qmp "unix:$sock,server=on,wait=off" -S \
		-kernel "$kernel" -append "console=ttyS0 panic=-1" \
		-device "$device,id=bal,$props" 2> "$tmp/$name.err" &
	pid=$!
	for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.2; done
	status=$(qmp "$sock" \
		'{"execute": "x-query-virtio-status", "arguments": {"path": "/machine/peripheral/bal/virtio-backend"}}' \
		'{"execute": "cont"}' 2>/dev/null | head -n1 || true)
	[ -n "$status" ] || { stop "$pid"; record 0 "$name" "no QMP answer (QEMU exited early?)"; return; }
	for f in $want; do
		grep -q "\"$f:" <<<"$status" || { stop "$pid"; record 0 "$name" "$f not offered"; return; }
	done
	for f in $unwanted; do
		! grep -q "\"$f:" <<<"$status" || { stop "$pid"; record 0 "$name" "$f offered"; return; }
	done
	wait "$pid" || true
	if grep -qE 'Kernel panic|No working init found' "$log"; then
		record 1 "$name"
	else
		tail -n 5 "$log" "$tmp/$name.err" | sed 's/^/# /' >&2
		record 0 "$name" "the kernel did not reach its panic"
	fi
}

if [ -f "$kernel" ]; then
	ph_log "boot smoke tests with $kernel" >&2
	R=VIRTIO_BALLOON_F_DEVICE_INIT_REPORTED I=VIRTIO_BALLOON_F_DEVICE_INIT_ON_INFLATE
	boot boot-init-on "free-page-reporting=on,x-device-init-reported=on,x-device-init-on-inflate=on" \
		"VIRTIO_BALLOON_F_REPORTING $R $I" ""
	boot boot-init-auto "free-page-reporting=on" "$R" "$I"
	boot boot-init-off "free-page-reporting=on,x-device-init-reported=off" "" "$R $I"
	# The faults exist only on the test device (virtio-balloon-fault-pci).
	faults=discard-every=3,lie=on,used-len-excess=4096,inflate-used-len-excess=16,no-dirty=on
	boot boot-faults "free-page-reporting=on,$faults" "$R" "" virtio-balloon-fault-pci
	# x-device-init-reported=on needs free-page-reporting: QEMU must refuse to start.
	if timeout 30 "$qemu" -accel tcg -M q35 -nodefaults -display none -S \
		-device virtio-balloon-pci,x-device-init-reported=on > "$tmp/refuse.log" 2>&1 </dev/null; then
		record 0 boot-refuse-without-reporting "QEMU started"
	elif grep -q "requires 'free-page-reporting'" "$tmp/refuse.log"; then
		record 1 boot-refuse-without-reporting
	else
		record 0 boot-refuse-without-reporting "$(head -n1 "$tmp/refuse.log")"
	fi
	# The production device has no fault properties: QEMU must refuse to start.
	if timeout 30 "$qemu" -accel tcg -M q35 -nodefaults -display none -S \
		-device virtio-balloon-pci,lie=on > "$tmp/refuse-fault.log" 2>&1 </dev/null; then
		record 0 boot-refuse-faults-in-production "QEMU started"
	elif grep -qE "Property '[^']*[.]lie' not found" "$tmp/refuse-fault.log"; then
		record 1 boot-refuse-faults-in-production
	else
		record 0 boot-refuse-faults-in-production "$(head -n1 "$tmp/refuse-fault.log")"
	fi
else
	ph_log "no kernel at $kernel: boot smoke tests skipped" >&2
fi

echo "KTAP version 1"
echo "1..${#results[@]}"
printf '%s\n' "${results[@]}"
ph_log "QEMU device tests: $((${#results[@]} - failed))/${#results[@]} passed" >&2
[ "$failed" = 0 ]
