#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the sparse that Linux 7.3 accepts (bookworm's 0.6.4 is too old) from Debian sid's
# source package, SPARSE_SRC_VERSION in scripts/versions, or the newest sid has, with a
# warning, once that one has left the archive. sid is only a deb-src suite here
# (scripts/install-deps.sh): nothing is installed from it, we compile the one binary.
# Result: $PH_CACHE/sparse-<debian version>/sparse, printed as the last line.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

. "$PH_TOP/scripts/versions"
want=${SPARSE_SRC_VERSION:?SPARSE_SRC_VERSION missing from scripts/versions}

# Versions of the sparse source package the configured deb-src suites offer, newest first.
available=$(apt-cache showsrc sparse 2>/dev/null | sed -n 's/^Version: //p' |
	sort -u | sort -r -V -t: -k1,1 || true)
newest=
for v in $available; do
	if [ -z "$newest" ] || dpkg --compare-versions "$v" gt "$newest"; then newest=$v; fi
done

version=$want
if ! printf '%s\n' $available | grep -qxF "$want"; then
	# A cached build of the pinned version still counts: no download needed.
	if [ ! -x "$PH_CACHE/sparse-$want/sparse" ]; then
		[ -n "$newest" ] || ph_die "no sparse source package in any deb-src suite (run make deps)"
		dpkg --compare-versions "$newest" ge 0.6.5~ ||
			ph_die "newest sparse source is $newest; Linux $PH_KVER_MAJOR needs 0.6.5 or later"
		ph_log "WARNING: sparse $want has left the archive; using the newest, $newest"
		version=$newest
	fi
fi

bin=$PH_CACHE/sparse-$version/sparse
if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
	ph_log "sparse $version cached"
	echo "$bin"
	exit 0
fi

src=$PH_CACHE/src
mkdir -p "$src"
upstream=${version#*:}
upstream=${upstream%-*}
dir=$src/sparse-$upstream
if [ ! -f "$dir/Makefile" ] || [ "$(cat "$dir/.pagehint-version" 2>/dev/null)" != "$version" ]; then
	ph_log "fetching sparse $version source (apt-get source)"
	rm -rf "$dir"
	(cd "$src" && apt-get source -qq "sparse=$version" >"$src/sparse-$version.log" 2>&1) || {
		tail -5 "$src/sparse-$version.log" >&2
		ph_die "apt-get source sparse=$version failed (is deb-src for sid configured? make deps)"
	}
	[ -f "$dir/Makefile" ] || ph_die "apt-get source did not unpack $dir"
	echo "$version" > "$dir/.pagehint-version"
fi

# Only the checker itself: c2xml, test-inspect and sparse-llvm would need libxml2/GTK/LLVM.
# Debian's packaging pins CC to sid's default gcc; sparse must instead learn the include
# paths of the compiler that builds our kernel (it records them at build time).
ph_log "building sparse $version with ${CC:-gcc}"
t0=$(date +%s)
make -s -C "$dir" -j"$(nproc)" CC="${CC:-gcc}" sparse >"$dir/pagehint-build.log" 2>&1 || {
	tail -20 "$dir/pagehint-build.log" >&2
	ph_die "sparse build failed; log: $dir/pagehint-build.log"
}
mkdir -p "$(dirname "$bin")"
cp "$dir/sparse" "$bin.tmp" && mv "$bin.tmp" "$bin"
"$bin" --version >/dev/null 2>&1 || ph_die "built sparse does not run: $bin"
ph_log "built sparse $version in $(($(date +%s) - t0))s"
echo "$bin"
