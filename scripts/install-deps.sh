#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install everything pagehint needs on a fresh Debian 12 machine (root).
# Extra suites are derived from the machine's own Debian mirror; no registry host
# name is written here. This changes the machine's apt configuration for good: it writes
# /etc/apt/sources.list.d/pagehint.list (trixie-backports, bookworm-backports, sid deb-src)
# and /etc/apt/preferences.d/pagehint (backports only when asked for by name).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# libglib2.0-dev also carries gmodule-no-export-2.0, which QEMU's --enable-plugins needs.
pkgs=(build-essential bc bison flex libelf-dev libssl-dev dwarves cpio kmod
      ccache busybox-static qemu-system-x86 qemu-utils xz-utils zstd dpkg-dev
      coccinelle python3 ninja-build pkg-config libglib2.0-dev libpixman-1-dev
      libslirp-dev libfdt-dev zlib1g-dev git rsync curl seabios qemu-system-data
      gcc-alpha-linux-gnu gcc-m68k-linux-gnu gcc-s390x-linux-gnu
      python3-sphinx python3-yaml gnuplot-nox)
installed() {
	dpkg-query -W -f='${Status}\n' "$@" 2>/dev/null | grep -c 'ok installed' || true
}

# --print-mirror [root]: print the mirror URI derived from <root>/etc/apt and exit (the harness
# self-test runs it on fixtures).
apt=
if [ "${1:-}" = --print-mirror ]; then
	apt=${2:-}
fi

# The stamp only skips apt-get update: every package is still checked, so a package removed
# since the last run is installed again.
stamp=$PH_CACHE/deps-v3.stamp
if [ "${1:-}" != --force ] && [ "${1:-}" != --print-mirror ] && [ -f "$stamp" ] && [ "$(installed "${pkgs[@]}")" = ${#pkgs[@]} ]; then
	exit 0
fi
mkdir -p "$PH_CACHE"

# A mirror+file: URI names a file of mirrors (apt-transport-mirror): take its first URI, which
# curl can fetch too. mirror+http(s): lists are not supported: say so.
resolve_uri() {
	local u=$1 f
	case $u in
	mirror+file:*)
		f=${u#mirror+file:}
		f=${f#//}
		f=$apt$f
		[ -r "$f" ] || ph_die "apt source $u: cannot read $f"
		awk '!/^#/ && NF {print $1; exit}' "$f" ;;
	mirror+*) ph_die "apt source $u: only mirror+file: lists are supported; add a plain deb URI" ;;
	*) echo "$u" ;;
	esac
}

# The URI that serves the machine's bookworm suites, from deb822 or one-line sources (with or
# without [options]).
mirror_uri() {
	local f
	for f in "$apt"/etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN{RS=""} /Suites:[^\n]*bookworm( |\n|$)/ && !/security/ {
			if (match($0, /URIs:[ \t]*[^ \t\n]+/)) {
				u = substr($0, RSTART, RLENGTH); sub(/URIs:[ \t]*/, "", u); print u; exit }
		}' "$f"
	done
	for f in "$apt"/etc/apt/sources.list "$apt"/etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] && [ "${f##*/}" != pagehint.list ] || continue
		sed -E 's/\[[^]]*\]//' "$f" | awk '$1=="deb" && $3 ~ /^bookworm$/ {print $2; exit}'
	done
}
uri=$(mirror_uri | head -n1)
[ -n "$uri" ] || ph_die "cannot derive the Debian mirror from /etc/apt/sources.list*"
uri=$(resolve_uri "$uri")
if [ "${1:-}" = --print-mirror ]; then
	echo "$uri"
	exit 0
fi
[ "$(id -u)" = 0 ] || ph_die "install-deps needs root (apt-get)"

list=/etc/apt/sources.list.d/pagehint.list
want=$(cat <<L
deb $uri trixie-backports main
deb $uri bookworm-backports main
deb-src $uri bookworm-backports main
deb-src $uri sid main
L
)
if [ "$(cat "$list" 2>/dev/null)" != "$want" ]; then
	ph_log "adding trixie-backports, bookworm-backports and sid (deb-src only) from the machine's mirror"
	printf '%s\n' "$want" > "$list"
	# Backports only when asked for by name.
	cat > /etc/apt/preferences.d/pagehint <<'P'
Package: *
Pin: release n=trixie-backports
Pin-Priority: 50
P
fi

ph_log "apt-get update"
apt-get update -qq || ph_die "apt-get update failed: no network or mirror unreachable"

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	ph_log "installing: ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
		>/dev/null || {
		for p in "${missing[@]}"; do
			apt-cache show "$p" >/dev/null 2>&1 || ph_die "package not available: $p"
		done
		ph_die "apt-get install failed for: ${missing[*]}"
	}
fi
# QEMU 10.x build tools come from bookworm-backports.
bpo=(meson python3-pycotap)
need_bpo=0
dpkg --compare-versions "$(dpkg-query -W -f='${Version}' meson 2>/dev/null || echo 0)" ge 1.5 || need_bpo=1
dpkg-query -W -f='${Status}' python3-pycotap 2>/dev/null | grep -q 'ok installed' || need_bpo=1
if [ $need_bpo = 1 ]; then
	ph_log "installing from bookworm-backports: ${bpo[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		-t bookworm-backports "${bpo[@]}" >/dev/null || ph_die "cannot install ${bpo[*]} from bookworm-backports"
fi
touch "$stamp"
ph_log "dependencies installed"
