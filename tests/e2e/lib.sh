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
