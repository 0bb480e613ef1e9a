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

# The .c files pagehint adds or touches in the kernel tree, one a line, sorted: those the
# patches in `series` change and the .c destinations in MANIFEST (sparse and compile gates).
ph_touched_c_files() {
	local p
	{
		sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$PH_TOP/series" | while read -r p; do
			sed -n 's|^+++ b/\([^[:space:]]*\.c\)\([[:space:]].*\)\{0,1\}$|\1|p' "$PH_TOP/$p"
		done
		sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$PH_TOP/MANIFEST" | awk '$2 ~ /\.c$/ {print $2}'
	} | sed '/^$/d' | LC_ALL=C sort -u
}

# ph_baseline_filter <baseline> [key prefix]: of the "file:line:col: kind: message" lines on
# stdin, print those the baseline does not allow. A baseline line is "<count> <key>", the key
# being "[prefix ]<file>: <kind>: <message>"; one occurrence more than counted is new.
ph_baseline_filter() {
	awk -v base="$1" -v p="${2:-}" '
	BEGIN {
		while ((getline l < base) > 0) {
			if (l ~ /^#/ || l !~ /^[0-9]+ /) continue
			n = l; sub(/ .*/, "", n); k = l; sub(/^[0-9]+ /, "", k); allow[k] = n
		}
	}
	{
		k = $0; sub(/:[0-9]+:[0-9]+: /, ": ", k); k = p k
		if (++seen[k] > allow[k] + 0) print
	}'
}
