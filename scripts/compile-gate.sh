#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Compile-only gate: code that no boot config builds still gets compiled, and warnings fail.
#  x86-numa  the test config plus CONFIG_NUMA (mm/mempolicy.c), W=1: every .c file a patch in
#            `series` touches and every .c file MANIFEST installs, warning-free with W=1
#  alpha, m68k (nommu), s390
#            the arch headers the series changes (patch 0013) and our page allocator hooks,
#            compiled with Debian's cross compilers (gcc-<arch>-linux-gnu)
# Warnings vanilla 7.3 already has are listed in configs/compile-baseline.txt as
# "<count> <profile> <file>: <message>"; a profile/file/message seen more often than that fails.
# Each profile has its own build directory ($PH_BUILD/out-cc-<profile>), configured once.
# stdout is KTAP, one test per profile and object; progress goes to stderr.
#   compile-gate.sh                 the gate
#   compile-gate.sh --classify <profile> <build log>   only the warning filter, on a recorded
#                                   log (the harness self-test uses it)
#   compile-gate.sh --configure <profile>   configure a profile, print its build directory
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree=$PH_BUILD/linux
baseline=$PH_TOP/configs/compile-baseline.txt

# New warnings in a make log: gcc's "file:line:col: warning: ..." lines, with the tree prefix
# dropped, minus what the baseline allows (by count per profile, file and message).
classify() {
	local profile=$1 log=$2
	{ grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error): ' "$log" || true; } |
		sed -E "s|^$tree/||; s|^(\.\./)+linux/||" | sort -u |
		ph_baseline_filter "$baseline" "$profile "
}

if [ "${1:-}" = --classify ]; then
	classify "$2" "$3"
	exit 0
fi

[ -f "$tree/.pagehint-version" ] || ph_die "no prepared tree: run make prepare"
x86_objs=$(ph_touched_c_files | sed 's/\.c$/.o/' | tr '\n' ' ')
# The other arches: the page allocator (our hooks, the arch page.h), the fault path that used
# the removed arch macro (not built without an MMU), and the core.
mmu_objs="mm/page_alloc.o mm/memory.o mm/page_reporting.o mm/page_zeroed.o"
nommu_objs="mm/page_alloc.o mm/page_reporting.o mm/page_zeroed.o"

# profile: arch cross-prefix base-config options... (options: scripts/config --enable)
profiles=(
	"x86-numa|x86|||NUMA PAGE_REPORTING_ZEROED_VERIFY|$x86_objs|W=1"
	"alpha|alpha|alpha-linux-gnu-|defconfig|PCI VIRTIO_MENU VIRTIO_PCI VIRTIO_BALLOON PAGE_REPORTING PAGE_REPORTING_ZEROED MIGRATION COMPACTION|$mmu_objs|"
	"m68k|m68k|m68k-linux-gnu-|m5208evb_defconfig|PAGE_REPORTING PAGE_REPORTING_ZEROED|$nommu_objs|"
	"s390|s390|s390x-linux-gnu-|defconfig|VIRTIO_BALLOON PAGE_REPORTING PAGE_REPORTING_ZEROED TRANSPARENT_HUGEPAGE HUGETLBFS|$mmu_objs|"
)

configure() { # configure <profile> <arch> <cross> <base> <options>
	local profile=$1 arch=$2 cross=$3 base=$4 opts=$5 out=$PH_BUILD/out-cc-$1 stamp o
	stamp=$(printf '%s\n' "$*" "$(sha256sum "$tree/mm/Kconfig" "$tree/Makefile")" \
		"$(cat "$PH_BUILD/out-test/.config" 2>/dev/null | sha256sum)" | sha256sum | cut -c1-16)
	[ "$(cat "$out/.pagehint-config" 2>/dev/null)" != "$stamp" ] || return 0
	mkdir -p "$out"
	if [ -z "$base" ]; then
		cp "$PH_BUILD/out-test/.config" "$out/.config"
	else
		make -s -C "$tree" O="$out" ARCH="$arch" CROSS_COMPILE="$cross" "$base" >/dev/null
	fi
	for o in $opts; do "$tree/scripts/config" --file "$out/.config" --enable "$o"; done
	make -s -C "$tree" O="$out" ARCH="$arch" CROSS_COMPILE="$cross" olddefconfig >/dev/null
	for o in $opts; do
		grep -q "^CONFIG_$o=y" "$out/.config" || { echo "# CONFIG_$o did not survive olddefconfig"; return 1; }
	done
	echo "$stamp" > "$out/.pagehint-config"
}

# --configure <profile>: configure that profile's build directory and print its path
# (scripts/sparse.sh checks files the test config does not build in x86-numa).
if [ "${1:-}" = --configure ]; then
	for p in "${profiles[@]}"; do
		IFS='|' read -r profile arch cross base opts _ _ <<< "$p"
		[ "$profile" = "$2" ] || continue
		configure "$profile" "$arch" "$cross" "$base" "$opts" >&2
		echo "$PH_BUILD/out-cc-$profile"
		exit 0
	done
	ph_die "no compile profile $2"
fi

export CCACHE_DIR=${CCACHE_DIR:-$PH_CACHE/ccache}
export CCACHE_BASEDIR=$PH_BUILD CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G} CCACHE_SLOPPINESS=time_macros
export KBUILD_BUILD_TIMESTAMP='2026-01-01' KBUILD_BUILD_USER=pagehint KBUILD_BUILD_HOST=pagehint

total=0
for p in "${profiles[@]}"; do
	IFS='|' read -r _ _ _ _ _ objs _ <<< "$p"
	total=$((total + $(wc -w <<< "$objs")))
done
echo "KTAP version 1"
echo "1..$total"
n=0 failed=0 t0=$(date +%s)
for p in "${profiles[@]}"; do
	IFS='|' read -r profile arch cross base opts objs wflag <<< "$p"
	out=$PH_BUILD/out-cc-$profile
	ph_log "compile gate: $profile ($(wc -w <<< "$objs") objects${wflag:+, $wflag})" >&2
	cfg_ok=1
	if [ -n "$cross" ] && ! command -v "${cross}gcc" >/dev/null; then
		echo "# ${cross}gcc not installed: run scripts/install-deps.sh"
		cfg_ok=0
	elif ! configure "$profile" "$arch" "$cross" "$base" "$opts" > "$PH_BUILD/cc-$profile.cfg" 2>&1; then
		sed 's/^/# /' "$PH_BUILD/cc-$profile.cfg" | tail -n 10
		cfg_ok=0
	fi
	for obj in $objs; do
		n=$((n + 1))
		name="$profile $obj"
		if [ $cfg_ok = 0 ]; then
			echo "not ok $n - $name"; failed=$((failed + 1)); continue
		fi
		log=$out/cc-$(tr / _ <<< "$obj").log
		# Always compile: an up-to-date object would print none of its warnings (ccache keeps
		# the compiler's output, so this is cheap).
		rm -f "$out/$obj"
		cc="ccache ${cross}gcc"
		# shellcheck disable=SC2086
		if ! make -C "$tree" O="$out" ARCH="$arch" CROSS_COMPILE="$cross" CC="$cc" \
			-j"$(nproc)" $wflag "$obj" > "$log" 2>&1; then
			grep -E 'error|Error' "$log" | head -n 15 | sed 's/^/# /'
			echo "not ok $n - $name"; failed=$((failed + 1)); continue
		fi
		# Proof that the object was compiled here and now, not found up to date with other flags.
		[ -f "$out/$obj" ] || { echo "# $obj was not built"; echo "not ok $n - $name"; failed=$((failed + 1)); continue; }
		new=$(classify "$profile" "$log")
		if [ -n "$new" ]; then
			printf '%s\n' "$new" | head -n 20 | sed 's/^/# /'
			echo "not ok $n - $name"; failed=$((failed + 1))
		else
			echo "ok $n - $name"
		fi
	done
done
ph_log "compile gate: $n objects, $failed failed ($(($(date +%s) - t0))s)" >&2
[ $failed = 0 ]
