#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build bzImage and modules for a configured profile with ccache; install modules into
# $PH_BUILD/out-<profile>/modinst for the initramfs.
#   build-kernel.sh test|bench|cfgoff|vanilla [extra make args]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

profile=${1:?usage: build-kernel.sh test|bench|cfgoff|vanilla}
shift
case $profile in
vanilla) src=$PH_BUILD/linux-pristine ;;
bench) src=$PH_BUILD/linux-bench ;;
*) src=$PH_BUILD/linux ;;
esac
out=$PH_BUILD/out-$profile
[ -f "$out/.config" ] || ph_die "profile $profile is not configured: run scripts/configure.sh $profile"

export CCACHE_DIR=${CCACHE_DIR:-$PH_CACHE/ccache}
export CCACHE_BASEDIR=$PH_BUILD CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G} CCACHE_SLOPPINESS=time_macros
# Fixed build identity keeps init/version.o (and ccache) stable across rebuilds.
export KBUILD_BUILD_TIMESTAMP='2026-01-01' KBUILD_BUILD_USER=pagehint KBUILD_BUILD_HOST=pagehint
mkdir -p "$CCACHE_DIR"

ph_log "building $profile kernel ($(nproc) jobs, ccache in $CCACHE_DIR)"
ccache -z >/dev/null
log=$out/build.log
if ! make -C "$src" O="$out" -j"$(nproc)" CC="ccache gcc" bzImage modules "$@" >"$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -30
	tail -20 "$log"
	ph_die "kernel build ($profile) failed; full log: $log"
fi
grep -E ': warning:' "$log" | sort -u | head -20 || true
rm -rf "$out/modinst"
make -s -C "$src" O="$out" INSTALL_MOD_PATH="$out/modinst" modules_install >/dev/null
hits=$(ccache -s 2>/dev/null | awk -F: '/Hits/ {print $2; exit}' | xargs || true)
ph_log "built $profile kernel: $(du -h "$out/arch/x86/boot/bzImage" | cut -f1) bzImage; ccache hits:${hits:+ $hits}"
