#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Turn the pristine tree into the pagehint tree ($PH_BUILD/linux): apply every patch listed in
# `series` in order, then install our own sources at the in-tree paths given by `MANIFEST`.
#
# Idempotent and incremental: the result is assembled in a hard-linked scratch copy, and only
# files whose content changed are written to the build tree, so unchanged files keep their
# mtimes and kbuild rebuilds only what really changed.
#   prepare-tree.sh         $PH_BUILD/linux: the pagehint tree
#   prepare-tree.sh bench   $PH_BUILD/linux-bench: the same plus tests/bench/kernel/*.patch,
#                           benchmark-only patches that never enter `series` (make bench's
#                           limit arm); only the bench profile builds from it
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pristine=$PH_BUILD/linux-pristine
case ${1:-} in
"") tree=$PH_BUILD/linux stage=$PH_BUILD/.stage extra=() ;;
bench)
	tree=$PH_BUILD/linux-bench stage=$PH_BUILD/.stage-bench
	extra=("$PH_TOP"/tests/bench/kernel/*.patch) ;;
*) ph_die "usage: prepare-tree.sh [bench]" ;;
esac
[ -f "$pristine/.pagehint-version" ] || ph_die "no pristine tree: run scripts/fetch-kernel.sh"

series_files() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$PH_TOP/series"; }
manifest() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$PH_TOP/MANIFEST"; }

rm -rf "$stage"
mkdir -p "$stage" && cp -al "$pristine/." "$stage/"
n=0
while read -r p; do
	[ -f "$PH_TOP/$p" ] || ph_die "series names $p, which does not exist"
	# GNU patch writes a new file and renames it, so the hard links to the pristine tree break
	# instead of the pristine tree being modified.
	if ! out=$(patch -d "$stage" -p1 -N -s --fuzz=0 --no-backup-if-mismatch -r - < "$PH_TOP/$p" 2>&1); then
		printf '%s\n' "$out" >&2
		ph_die "patch does not apply: $p"
	fi
	n=$((n + 1))
done < <(series_files; for p in "${extra[@]}"; do echo "${p#"$PH_TOP"/}"; done)

m=0
while read -r src dst _; do
	[ -f "$PH_TOP/$src" ] || ph_die "MANIFEST names $src, which does not exist"
	[ -n "$dst" ] || ph_die "MANIFEST line for $src has no in-tree path"
	mkdir -p "$(dirname "$stage/$dst")"
	rm -f "$stage/$dst"
	cp "$PH_TOP/$src" "$stage/$dst"
	m=$((m + 1))
done < <(manifest)

# Files that may differ from pristine: those we touch now and those we touched last time.
changed=$( (cd "$stage" && find . -type f -links 1 -printf '%P\n';
	    cat "$tree/.pagehint-files" 2>/dev/null || true) | LC_ALL=C sort -u)

if [ ! -f "$tree/.pagehint-version" ] ||
   [ "$(cat "$tree/.pagehint-version")" != "$(cat "$pristine/.pagehint-version")" ]; then
	ph_log "creating build tree from pristine"
	rm -rf "$tree"
	mkdir -p "$tree" && cp -a "$pristine/." "$tree/"
fi
updated=0
while read -r f; do
	[ -n "$f" ] || continue
	case "$f" in .pagehint-*) continue ;; esac
	if [ -f "$stage/$f" ]; then
		if ! cmp -s "$stage/$f" "$tree/$f"; then
			mkdir -p "$(dirname "$tree/$f")"
			rm -f "$tree/$f"
			cp "$stage/$f" "$tree/$f"
			updated=$((updated + 1))
		fi
	elif [ -e "$tree/$f" ]; then
		rm -f "$tree/$f"
		updated=$((updated + 1))
	fi
done <<< "$changed"
printf '%s\n' "$changed" | grep -v '^\.pagehint-' > "$tree/.pagehint-files" || true
rm -rf "$stage"
ph_log "prepared ${tree##*/}: $n patches, $m files installed, $updated files updated"
