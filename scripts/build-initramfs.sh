#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest initramfs for a built profile: static busybox, the runner (/init), the e2e
# test scripts and static test programs, and the kernel's modules.
#   build-initramfs.sh test|bench|cfgoff|vanilla   -> $PH_BUILD/out-<profile>/initramfs.cpio.gz
set -euo pipefail
. "$(dirname "$0")/lib.sh"

profile=${1:?usage: build-initramfs.sh test|bench|cfgoff|vanilla}
out=$PH_BUILD/out-$profile
[ -d "$out/modinst" ] || ph_die "profile $profile is not built: run scripts/build-kernel.sh $profile"
root=$out/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,tests,lib,proc,sys,dev,tmp}

bb=/bin/busybox
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' ||
	ph_die "package busybox-static is not installed (scripts/install-deps.sh)"
cp "$bb" "$root/bin/busybox"
install -m 0755 "$PH_TOP/tests/guest/init" "$root/init"
cp -a "$out/modinst/lib/modules" "$root/lib/"

# e2e scripts and their static helpers; every tests/*/prog.c becomes /tests/prog.
for d in "$PH_TOP"/tests/e2e "$PH_TOP"/tests/bench; do
	[ -d "$d" ] || continue
	for f in "$d"/*.sh; do [ -e "$f" ] && cp "$f" "$root/tests/"; done
	for c in "$d"/*.c; do
		[ -e "$c" ] || continue
		gcc -static -O2 -Wall -Werror -o "$root/tests/$(basename "$c" .c)" "$c" ||
			ph_die "cannot build $c"
	done
done
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -1) > "$out/initramfs.cpio.gz"
ph_log "initramfs for $profile: $(du -h "$out/initramfs.cpio.gz" | cut -f1)"
