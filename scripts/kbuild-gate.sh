#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The top-level Kbuild works as the README says: build every frontend module of this repository
# against the built test kernel (build/linux, build/out-test) with
#   make -C build/linux O=build/out-test M=$PH_TOP MO=build/kbuild-gate modules
# A module passes when its .ko was built without a warning in our sources.
# stdout is KTAP, one case per module; progress and the summary go to stderr.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree=$PH_BUILD/linux
out=$PH_BUILD/out-test
mo=$PH_BUILD/kbuild-gate
[ -f "$out/Module.symvers" ] || ph_die "no built test kernel in $out: run make build"
mods=$(sed -n 's/^obj-m += \(.*\)\.o$/\1/p' "$PH_TOP/Kbuild")
[ -n "$mods" ] || ph_die "Kbuild lists no modules"

export CCACHE_DIR=${CCACHE_DIR:-$PH_CACHE/ccache} CCACHE_BASEDIR=$PH_BUILD CCACHE_SLOPPINESS=time_macros
rm -rf "$mo"
mkdir -p "$mo"
log=$mo/build.log
ph_log "kbuild gate: building $(echo $mods | wc -w) modules with M=$PH_TOP" >&2
rc=0
make -C "$tree" O="$out" M="$PH_TOP" MO="$mo" -j"$(nproc)" CC="ccache gcc" modules \
	>"$log" 2>&1 || rc=$?

echo "KTAP version 1"
echo "1..$(echo $mods | wc -w)"
n=0
failed=0
for m in $mods; do
	n=$((n + 1))
	name=$(basename "$m")
	warn=$(grep -E "$m\.[ch]:[0-9]+:[0-9]+: (warning|error)" "$log" || true)
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
