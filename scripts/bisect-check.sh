#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build every commit of the exported series (scripts/export-series.sh) with the test-profile
# config, so that the series is bisectable; KTAP on stdout, one test per commit, progress on
# stderr. Stops at, and names, the first commit that does not build.
#   bisect-check.sh [--max N]   only the first N commits
# One incremental build directory, $PH_BUILD/out-bisect: `linux/` is a worktree of the export
# repository that moves from commit to commit (git rewrites only the files a commit changes, so
# kbuild rebuilds only what depends on them), `obj/` is the O= directory. The layout keeps the
# source at ../linux of the object directory, as for out-test, so ccache (with
# CCACHE_BASEDIR=$PH_BUILD) shares results with the test build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

max=0
while [ $# -gt 0 ]; do
	case $1 in
	--max) max=${2:-}; shift $(($# > 1 ? 2 : 1))
	       [[ $max =~ ^[0-9]+$ ]] || ph_die "--max needs a number" ;;
	*) ph_die "usage: bisect-check.sh [--max N]" ;;
	esac
done
exec 3>&1 1>&2

repo=$PH_BUILD/series-git
top=$PH_BUILD/out-bisect
wt=$top/linux
obj=$top/obj
cfg=$top/config

bash "$PH_TOP/scripts/export-series.sh"
mapfile -t commits < <(git -C "$repo" rev-list --reverse base..series)
n=${#commits[@]}
[ "$max" -gt 0 ] && [ "$max" -lt "$n" ] && n=$max
[ "$n" -gt 0 ] || ph_die "the exported series has no commits"

if [ "$(git -C "$wt" rev-parse --git-common-dir 2>/dev/null)" != "$repo/.git" ]; then
	rm -rf "$wt"
	git -C "$repo" worktree prune
	ph_log "checking out the base in $wt"
	git -C "$repo" worktree add -q --detach "$wt" base
fi
mkdir -p "$obj" "$cfg"
# Every commit gets the fragments as they were when the run started.
cp "$PH_TOP/configs/guest.config" "$PH_TOP/configs/test.config" "$cfg/"

export CCACHE_DIR=${CCACHE_DIR:-$PH_CACHE/ccache}
export CCACHE_BASEDIR=$PH_BUILD CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G} CCACHE_SLOPPINESS=time_macros
# Same build identity as scripts/build-kernel.sh.
export KBUILD_BUILD_TIMESTAMP='2026-01-01' KBUILD_BUILD_USER=pagehint KBUILD_BUILD_HOST=pagehint
mkdir -p "$CCACHE_DIR"

# The test profile as scripts/configure.sh makes it, built in a scratch directory: the build
# directory's .config is replaced only when it changes, so kbuild does not reconfigure. Options
# that a commit does not define yet are dropped by kconfig.
configure() {
	make -s -C "$wt" O="$cfg" tinyconfig >/dev/null
	(cd "$wt" && KCONFIG_CONFIG="$cfg/.config" scripts/kconfig/merge_config.sh -m -O "$cfg" \
		"$cfg/.config" "$wt/kernel/configs/kvm_guest.config" \
		"$cfg/guest.config" "$cfg/test.config" \
		>"$cfg/merge_config.log" 2>&1) ||
		{ tail -20 "$cfg/merge_config.log"; return 1; }
	make -s -C "$wt" O="$cfg" olddefconfig >/dev/null
	cmp -s "$cfg/.config" "$obj/.config" || cp "$cfg/.config" "$obj/.config"
}

printf 'KTAP version 1\n1..%d\n' "$n" >&3
failed=""
for ((i = 0; i < n; i++)); do
	c=${commits[$i]}
	t=$((i + 1))
	name="$(git -C "$repo" log -1 --format='%h %s' "$c" | tr '#' '_')"
	if [ -n "$failed" ]; then
		printf 'ok %d %s # SKIP an earlier commit does not build\n' "$t" "$name" >&3
		continue
	fi
	ph_log "[$t/$n] $name"
	t0=$SECONDS
	git -C "$wt" checkout -q -f --detach "$c"
	git -C "$wt" clean -q -fdx
	log=$top/build-$t.log
	if ! configure; then
		printf 'not ok %d %s # configuration failed\n' "$t" "$name" >&3
		failed="$name (configuration failed, log: $cfg/merge_config.log)"
		continue
	fi
	ccache -z >/dev/null
	if make -C "$wt" O="$obj" -j"$(nproc)" CC="ccache gcc" bzImage modules >"$log" 2>&1; then
		hits=$(ccache -s 2>/dev/null | awk -F: '/Hits/ {print $2; exit}' | xargs || true)
		# Only the files this commit changed are compiled, so their warnings are its own.
		warns=$(grep -cE ': warning:' "$log" || true)
		printf '# %s: %ds, %s compiler warnings, ccache hits: %s\n' \
			"${c:0:12}" $((SECONDS - t0)) "$warns" "${hits:-?}" >&3
		grep -E ': warning:' "$log" | sort -u | head -10 | sed 's/^/# /' >&3 || true
		printf 'ok %d %s\n' "$t" "$name" >&3
		ph_log "  built in $((SECONDS - t0))s"
	else
		grep -E 'error|Error' "$log" | head -30
		printf 'not ok %d %s\n' "$t" "$name" >&3
		failed="$name (log: $log)"
	fi
done
[ -z "$failed" ] || ph_die "first commit that does not build: $failed"
ph_log "bisect-check: $n of ${#commits[@]} commits build ($(ph_elapsed))"
