#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's linux-source-7.3 and unpack a pristine tree into $PH_BUILD/linux-pristine.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$PH_TOP/scripts/versions"

dl=$PH_CACHE/dl
mkdir -p "$dl" "$PH_BUILD"
pristine=$PH_BUILD/linux-pristine

deb=$(ls "$dl/${KERNEL_PKG}_${KERNEL_DEB_VERSION//:/%3a}_all.deb" 2>/dev/null || true)
if [ -z "$deb" ]; then
	ph_log "downloading $KERNEL_PKG $KERNEL_DEB_VERSION"
	if ! (cd "$dl" && apt-get download -qq "$KERNEL_PKG=$KERNEL_DEB_VERSION" 2>/dev/null); then
		newest=$(apt-cache madison "$KERNEL_PKG" 2>/dev/null | awk 'NR==1 {print $3}')
		[ -n "$newest" ] || ph_die "package $KERNEL_PKG is not available (is trixie-backports configured? run scripts/install-deps.sh)"
		echo "WARNING: $KERNEL_PKG $KERNEL_DEB_VERSION is gone; using $newest" >&2
		(cd "$dl" && apt-get download -qq "$KERNEL_PKG=$newest") || ph_die "cannot download $KERNEL_PKG $newest"
		KERNEL_DEB_VERSION=$newest
	fi
	deb=$(ls -t "$dl"/"${KERNEL_PKG}"_*_all.deb | head -n1)
fi
ver=$(dpkg-deb -f "$deb" Version)

if [ -f "$pristine/.pagehint-version" ] && [ "$(cat "$pristine/.pagehint-version")" = "$ver" ]; then
	ph_log "pristine tree $ver already unpacked"
	exit 0
fi
ph_log "unpacking $KERNEL_PKG $ver"
rm -rf "$pristine" "$PH_BUILD/.deb"
mkdir -p "$PH_BUILD/.deb"
dpkg-deb -x "$deb" "$PH_BUILD/.deb"
tarball=$(ls "$PH_BUILD"/.deb/usr/src/linux-source-*.tar.* | head -n1)
mkdir -p "$pristine"
tar -xf "$tarball" -C "$pristine" --strip-components=1
rm -rf "$PH_BUILD/.deb"
echo "$ver" > "$pristine/.pagehint-version"
ph_log "pristine Linux $(make -s -C "$pristine" kernelversion) (Debian $ver) in $pristine"
