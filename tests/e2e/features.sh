# SPDX-License-Identifier: GPL-2.0
# Show what the virtio-balloon frontend negotiated and how the zeroed-page counters move when
# freed memory is reported and allocated again. Fails if there is no balloon or fresh memory is
# not zero.
. /tests/lib.sh
dev=
for d in /sys/bus/virtio/devices/*; do
	[ "$(cat "$d/device" 2>/dev/null)" = 0x0005 ] && dev=$d
done
[ -n "$dev" ] || fail "no virtio-balloon device"
f=$(cat "$dev/features")
bit() { [ "$(echo "$f" | cut -c$(($1 + 1)))" = 1 ] && echo on || echo off; }
echo "virtio-balloon features: $f"
echo "  REPORTING (5): $(bit 5)  DEVICE_INIT_REPORTED (6): $(bit 6)  DEVICE_INIT_ON_INFLATE (7): $(bit 7)"
echo "  PAGE_POISON (4): $(bit 4)  DEFLATE_ON_OOM (2): $(bit 2)"
echo "counters before:"
grep -E '^zeroed_' /proc/vmstat | sed 's/^/  /'
/tests/zero_integrity 128 3 thp || fail "fresh memory was not zero"
echo "counters after 3 rounds of 128 MiB (THP) with reporting flushed in between:"
grep -E '^zeroed_' /proc/vmstat | sed 's/^/  /'
