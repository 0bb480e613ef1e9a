#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The top-level Kbuild works as the README says: build every frontend module of this repository
# out of tree with
#   make -C build/linux O=build/out-kbuild M=$PH_TOP MO=build/kbuild-gate modules
# against the test kernel configured with the frontends as modules. The test profile builds the
# Hyper-V frontend in (its KUnit suite runs at boot), so the gate derives build/out-kbuild from
# build/out-test: the same .config with the frontends =m and their KUnit suites off, prepared
# with modules_prepare, and the test kernel's Module.symvers without the symbols the frontends
# export themselves (built in, vmlinux exports them; as modules, the modules do).
# A module passes when its .ko was built without a warning in our sources and modpost
# resolved every symbol it needs.
# stdout is KTAP, one case per module; progress and the summary go to stderr.
#   scripts/kbuild-gate.sh --classify <make log>   print the warnings and errors in our module
#                                                   sources that a log holds (nothing: clean)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree=$PH_BUILD/linux
out=$PH_BUILD/out-test
mo=$PH_BUILD/kbuild-gate
mods=$(sed -n 's/^obj-m += \(.*\)\.o$/\1/p' "$PH_TOP/Kbuild")
[ -n "$mods" ] || ph_die "Kbuild lists no modules"

# findings <log> <module>: diagnostics gcc printed for that module's own sources
findings() { grep -E "(^|/)$2\.[ch]:[0-9]+:[0-9]+: (warning|error)" "$1" || true; }

if [ "${1:-}" = --classify ]; then
	[ -f "${2:-}" ] || ph_die "--classify: no log '${2:-}'"
	for m in $mods; do findings "$2" "$m"; done
	exit 0
fi
[ -f "$out/Module.symvers" ] || ph_die "no built test kernel in $out: run make build"

export CCACHE_DIR=${CCACHE_DIR:-$PH_CACHE/ccache} CCACHE_BASEDIR=$PH_BUILD CCACHE_SLOPPINESS=time_macros
rm -rf "$mo"
mkdir -p "$mo"
log=$mo/build.log

kout=$PH_BUILD/out-kbuild
mkdir -p "$kout"
cp "$out/.config" "$kout/.config.new"
"$tree/scripts/config" --file "$kout/.config.new" -m VIRTIO_BALLOON_ZEROED -m HYPERV_BALLOON_ZEROED \
	-d HYPERV_BALLOON_ZEROED_KUNIT_TEST
# Keep the old .config (and its timestamps) when nothing changed: modules_prepare is then a no-op.
if ! cmp -s "$kout/.config.new" "$kout/.config.in" 2>/dev/null; then
	cp "$kout/.config.new" "$kout/.config.in"
	cp "$kout/.config.new" "$kout/.config"
	make -s -C "$tree" O="$kout" olddefconfig >"$log" 2>&1 || { cat "$log" >&2; ph_die "olddefconfig failed"; }
fi
for sym in CONFIG_VIRTIO_BALLOON_ZEROED CONFIG_HYPERV_BALLOON_ZEROED; do
	grep -qx "$sym=m" "$kout/.config" || ph_die "$kout/.config: $sym is not =m"
done
ph_log "kbuild gate: modules_prepare in $kout" >&2
make -C "$tree" O="$kout" -j"$(nproc)" CC="ccache gcc" modules_prepare >>"$log" 2>&1 ||
	{ tail -20 "$log" >&2; ph_die "modules_prepare failed"; }
own=$(for m in $mods; do sed -n 's/^EXPORT_SYMBOL[A-Z_]*(\([A-Za-z0-9_]*\).*/\1/p' "$PH_TOP/$m.c"; done)
awk -v own="$(echo $own)" 'BEGIN { n = split(own, a, " "); for (i = 1; i <= n; i++) skip[a[i]] = 1 }
	!($3 == "vmlinux" && ($2 in skip))' "$out/Module.symvers" > "$kout/Module.symvers"

ph_log "kbuild gate: building $(echo $mods | wc -w) modules with M=$PH_TOP" >&2
rc=0
make -C "$tree" O="$kout" M="$PH_TOP" MO="$mo" -j"$(nproc)" CC="ccache gcc" modules \
	>>"$log" 2>&1 || rc=$?

echo "KTAP version 1"
echo "1..$(echo $mods | wc -w)"
n=0
failed=0
for m in $mods; do
	n=$((n + 1))
	name=$(basename "$m")
	warn=$(findings "$log" "$m")
	if [ $rc = 0 ] && [ -f "$mo/$m.ko" ] && [ -z "$warn" ]; then
		echo "ok $n $name"
	else
		{ [ -n "$warn" ] && printf '%s\n' "$warn"; grep -E 'error|Error' "$log" | head -20; } |
			sed 's/^/# /'
		echo "# make exited $rc; $m.ko $( [ -f "$mo/$m.ko" ] && echo built || echo missing )"
		echo "not ok $n $name"
		failed=$((failed + 1))
	fi
done
ph_log "kbuild gate: $((n - failed)) passed, $failed failed (log: $log)" >&2
[ $failed = 0 ]
