#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: build the guest and our QEMU, boot with the balloon, print what the frontend
# negotiated and how the zeroed-page counters move.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
S=$PH_TOP/scripts
bash "$S/install-deps.sh"
bash "$S/fetch-kernel.sh"
bash "$S/prepare-tree.sh"
bash "$S/configure.sh" test
bash "$S/build-kernel.sh" test
[ -f "$PH_TOP/host/series" ] && [ -f "$S/build-qemu.sh" ] && bash "$S/build-qemu.sh" | sed '$d'
bash "$S/build-initramfs.sh" test
bash "$S/boot-guest.sh" test demo
log=$PH_BUILD/logs/test-demo.log
echo
sed -n '/^KTAP version 1/,/^pagehint: end of tests/p' "$log" | sed -n 's/^# //p'
# The demo's guest test must have passed (and the modules loaded): exit non-zero otherwise.
if grep -q '^not ok' "$log" || ! grep -qE '^ok [0-9]+ features$' "$log"; then
	grep -E '^(not )?ok ' "$log" || true
	ph_die "demo: the guest test failed (console log: $log)"
fi
ph_log "demo done (console log: $log)"
