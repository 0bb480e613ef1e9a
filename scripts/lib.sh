# SPDX-License-Identifier: GPL-2.0
# Shared settings for pagehint's scripts: paths, progress logging, failure messages.
# Sourced, never run.

PH_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PH_BUILD=${PH_BUILD:-$PH_TOP/build}
# Caches live outside the clone so that a fresh clone (CI) re-uses them.
PH_CACHE=${PH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pagehint}
PH_KVER_MAJOR=7.3
PH_START=${PH_START:-$(date +%s)}
export PH_TOP PH_BUILD PH_CACHE PH_START

ph_elapsed() {
	local s=$(($(date +%s) - PH_START))
	printf '%02d:%02d' $((s / 60)) $((s % 60))
}

ph_log() {
	printf '[pagehint %s] %s\n' "$(ph_elapsed)" "$*"
}

ph_die() {
	printf '[pagehint %s] ERROR: %s\n' "$(ph_elapsed)" "$*" >&2
	exit 1
}

# Hash of the given files/dirs' contents: keys the build caches.
ph_hash() {
	find "$@" -type f -print0 2>/dev/null | LC_ALL=C sort -z |
		xargs -0 sha256sum | sed 's|  .*/pagehint/|  |' | sha256sum | cut -c1-16
}

# A short private directory for unix sockets and other path-length-limited files (a unix
# socket path is at most 107 bytes; the clone may live anywhere). The caller removes it.
ph_rundir() {
	mktemp -d /tmp/ph.XXXXXX
}
