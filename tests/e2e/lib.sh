# SPDX-License-Identifier: GPL-2.0
# Helpers for e2e tests running inside the guest (busybox sh).
FLUSH=/sys/module/page_reporting/parameters/flush

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

vmstat() { awk -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }' /proc/vmstat; }

# Report free memory now (page budget in pages); no-op when the kernel has no flush knob.
flush_reporting() {
	[ -w "$FLUSH" ] || return 0
	echo "${1:-1048576}" > "$FLUSH"
}

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
