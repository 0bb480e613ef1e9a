#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's QEMU orig tarball (the pinned upstream release, blobs stripped) into the cache.
# Only the orig tarball is needed: host/series carries our changes, Debian's own patches are not
# applied. The URI is asked from apt at run time so no archive host is written down here.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$PH_TOP/scripts/versions"

dl=$PH_CACHE/dl
orig=qemu_${QEMU_UPSTREAM}+ds.orig.tar.xz
mkdir -p "$dl"

if [ -f "$dl/$orig" ] && [ -f "$dl/$orig.sha256" ] &&
	(cd "$dl" && sha256sum --quiet -c "$orig.sha256" 2>/dev/null); then
	ph_log "QEMU source: $dl/$orig (cached)"
	exit 0
fi

command -v apt-get >/dev/null || ph_die "apt-get not found: fetching QEMU needs a Debian machine"
command -v curl >/dev/null || ph_die "curl not found (install package curl)"

# 'URI' name size SHA256:hash, one line per file of the source package.
uris=$(cd "$dl" && apt-get source -qq --print-uris "qemu=$QEMU_SRC_VERSION" 2>/dev/null || true)
if [ -z "$uris" ]; then
	newest=$(apt-cache showsrc qemu 2>/dev/null | awk '/^Version:/ {print $2}' |
		sort -V | grep -F ":$QEMU_UPSTREAM+ds-" | tail -n1 || true)
	[ -n "$newest" ] ||
		ph_die "source package qemu=$QEMU_SRC_VERSION is not available (is the bookworm-backports deb-src line configured? run scripts/install-deps.sh)"
	echo "WARNING: qemu $QEMU_SRC_VERSION is gone; using $newest (same upstream $QEMU_UPSTREAM)" >&2
	uris=$(cd "$dl" && apt-get source -qq --print-uris "qemu=$newest" 2>/dev/null) ||
		ph_die "cannot resolve source package qemu=$newest"
fi

line=$(printf '%s\n' "$uris" | awk -v f="$orig" '$2 == f' | head -n1)
[ -n "$line" ] || ph_die "source package qemu=$QEMU_SRC_VERSION lists no $orig"
uri=$(printf '%s\n' "$line" | awk '{print $1}' | tr -d "'")
sha=$(printf '%s\n' "$line" | awk '{sub(/^SHA256:/, "", $4); print $4}')
[ ${#sha} = 64 ] || ph_die "apt printed no SHA256 for $orig"

ph_log "downloading $orig ($(printf '%s\n' "$line" | awk '{printf "%d MB", $3 / 1048576}'))"
curl -fsSL --retry 3 -o "$dl/$orig.part" "$uri" || ph_die "download of $orig failed"
printf '%s  %s\n' "$sha" "$orig" > "$dl/$orig.sha256"
(cd "$dl" && mv "$orig.part" "$orig" && sha256sum --quiet -c "$orig.sha256") || {
	rm -f "$dl/$orig" "$dl/$orig.sha256"
	ph_die "$orig: SHA256 mismatch against the archive's index"
}
ph_log "QEMU source: $dl/$orig"
