#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the pagehint QEMU: Debian's QEMU source with host/series applied, x86_64 system emulator
# only, plus the device's qtest, the pagemap unit test (Hyper-V boot-zeroed memory) and the
# pcprof TCG plugin (contrib/plugins/pcprof.c, host/series; in plugins/libpcprof.so beside bin/,
# for make bench BENCH_PROFILE=1). The result is cached in $PH_CACHE/qemu-<key>/, keyed by the
# QEMU_* pins in scripts/versions, host/ and this script, so a re-run with nothing changed is
# instant.
#   scripts/build-qemu.sh               build if needed; last line: path of qemu-system-x86_64
#   scripts/build-qemu.sh --print-path  print that path if it is cached, fail otherwise
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$PH_TOP/scripts/versions"

# PH_QEMU_VARIANT=kvm: the same QEMU with KVM as well (scenarios with NEEDS_KVM=1), cached apart.
variant=${PH_QEMU_VARIANT:-tcg}
case $variant in tcg | kvm) ;; *) ph_die "PH_QEMU_VARIANT must be tcg or kvm, not '$variant'" ;; esac
key=$({ grep '^QEMU_' "$PH_TOP/scripts/versions"; cd "$PH_TOP" && ph_hash scripts/build-qemu.sh host; } |
	sha256sum | cut -c1-16)
prefix=$PH_CACHE/qemu-$key
[ "$variant" = tcg ] || prefix=$PH_CACHE/qemu-$variant-$key
qemu=$prefix/bin/qemu-system-x86_64

if [ -f "$prefix/.complete" ]; then
	[ "${1:-}" = --print-path ] || ph_log "QEMU $QEMU_UPSTREAM + host/series cached in $prefix"
	echo "$qemu"
	exit 0
fi
[ "${1:-}" != --print-path ] || ph_die "no QEMU built for the current host/ (key $key): run scripts/build-qemu.sh"

bash "$PH_TOP/scripts/fetch-qemu.sh"
tarball=$PH_CACHE/dl/qemu_${QEMU_UPSTREAM}+ds.orig.tar.xz
src=$PH_BUILD/qemu
[ "$variant" = tcg ] || src=$PH_BUILD/qemu-$variant
python=/usr/bin/python3 # the interpreter Debian's meson (>= 1.5, bookworm-backports) runs under
for tool in "$python" ninja pkg-config patch; do
	command -v "$tool" >/dev/null || ph_die "$tool not found: run scripts/install-deps.sh"
done

ph_log "unpacking QEMU $QEMU_UPSTREAM into $src"
rm -rf "$src"
mkdir -p "$src"
tar -xf "$tarball" -C "$src" --strip-components=1 --no-same-owner

n=0
while read -r p; do
	case $p in '' | '#'*) continue ;; esac
	[ -f "$PH_TOP/host/patches/$p" ] || ph_die "host/series lists $p, which is not in host/patches/"
	patch -d "$src" -p1 -N -s --no-backup-if-mismatch --dry-run < "$PH_TOP/host/patches/$p" >/dev/null ||
		ph_die "host/patches/$p does not apply to QEMU $QEMU_UPSTREAM (after $n earlier patches)"
	patch -d "$src" -p1 -N -s --no-backup-if-mismatch < "$PH_TOP/host/patches/$p"
	n=$((n + 1))
done < "$PH_TOP/host/series"
ph_log "applied $n patches from host/series"

# Only TCG x86_64 with the default device set and plugins (glib's gmodule, libglib2.0-dev); no
# UI, audio, network backends, docs or tools.
# The +ds tarball has no firmware: use the distribution's SeaBIOS, option ROMs and iPXE.
cc=cc cxx=c++
if command -v ccache >/dev/null; then
	cc="ccache cc" cxx="ccache c++"
	export CCACHE_DIR=$PH_CACHE/ccache-qemu CCACHE_BASEDIR=$src
fi
accels=(--enable-tcg)
[ "$variant" = tcg ] || accels+=(--enable-kvm)
ph_log "configuring (x86_64-softmmu, ${accels[*]}, no default features)"
mkdir -p "$src/build"
(cd "$src/build" && ../configure --python="$python" --prefix="$prefix" \
	--target-list=x86_64-softmmu "${accels[@]}" --enable-plugins --without-default-features \
	--disable-docs --disable-tools --disable-download --disable-install-blobs \
	--disable-debug-info --disable-werror \
	--firmwarepath=/usr/share/qemu:/usr/share/seabios:/usr/lib/ipxe/qemu \
	--cc="$cc" --cxx="$cxx") > "$src/configure.log" 2>&1 ||
	ph_die "QEMU configure failed; see $src/configure.log"

jobs=$(nproc)
targets=(qemu-system-x86_64 tests/qtest/virtio-balloon-init-test tests/unit/test-pagemap
	contrib/plugins/libpcprof.so)
ph_log "building ${targets[*]} with ninja -j$jobs (several minutes on 2 cores)"
build_start=$(date +%s)
ninja -C "$src/build" -j"$jobs" "${targets[@]}" > "$src/build.log" 2>&1 &
ninja_pid=$!
while kill -0 "$ninja_pid" 2>/dev/null; do
	for _ in $(seq 60); do
		sleep 1
		kill -0 "$ninja_pid" 2>/dev/null || break
	done
	step=$(grep -o '^\[[0-9]*/[0-9]*\]' "$src/build.log" | tail -n1 || true)
	[ -z "$step" ] || ph_log "building QEMU: $step"
done
wait "$ninja_pid" || {
	grep -B2 -A12 -m1 'error' "$src/build.log" >&2 || tail -n 30 "$src/build.log" >&2
	ph_die "QEMU build failed; see $src/build.log"
}
build_secs=$(($(date +%s) - build_start))

rm -rf "$prefix.tmp"
mkdir -p "$prefix.tmp/bin" "$prefix.tmp/tests" "$prefix.tmp/plugins"
cp "$src/build/qemu-system-x86_64" "$prefix.tmp/bin/"
cp "$src/build/contrib/plugins/libpcprof.so" "$prefix.tmp/plugins/"
cp "$src/build/tests/qtest/virtio-balloon-init-test" "$src/build/tests/unit/test-pagemap" \
	"$prefix.tmp/tests/"
"$prefix.tmp/bin/qemu-system-x86_64" -device virtio-balloon-pci,help 2>/dev/null |
	grep -q 'x-device-init-reported' ||
	ph_die "the built QEMU has no x-device-init-reported property: host/series not in effect?"
"$prefix.tmp/bin/qemu-system-x86_64" -device help 2>/dev/null | grep -q '"virtio-balloon-fault-pci"' ||
	ph_die "the built QEMU has no virtio-balloon-fault-pci test device (CONFIG_TEST_DEVICES off?)"
# The plugin loads, and writes its profile when QEMU exits (no guest code ran: no blocks).
echo '{"execute": "qmp_capabilities"} {"execute": "quit"}' |
	"$prefix.tmp/bin/qemu-system-x86_64" -M none -nodefaults -display none -qmp stdio \
		-plugin "$prefix.tmp/plugins/libpcprof.so,out=$prefix.tmp/pcprof-smoke.txt" >/dev/null 2>&1
grep -qx '# pcprof 1 blocks=0 insns=0' "$prefix.tmp/pcprof-smoke.txt" 2>/dev/null ||
	ph_die "the built QEMU does not load plugins/libpcprof.so or it wrote no profile"
rm -f "$prefix.tmp/pcprof-smoke.txt"
rm -rf "$prefix"
mv "$prefix.tmp" "$prefix"
{
	echo "QEMU $QEMU_UPSTREAM (Debian source $QEMU_SRC_VERSION) + host/series ($n patches)"
	echo "key $key, ninja ${build_secs}s, built $(date -u +%FT%TZ)"
} > "$prefix/.complete"
ph_log "built QEMU $QEMU_UPSTREAM + $n patches in ${build_secs}s; cached in $prefix"
echo "$qemu"
