#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Configure a guest kernel: tinyconfig + kvm_guest.config + our fragments, merged with the
# tree's merge_config.sh, then checked: every option a fragment asks for must survive.
#   configure.sh test|bench|vanilla|kasan|kcsan|lockdep
# test uses the pagehint tree, bench the same plus benchmark-only patches (prepared here, see
# prepare-tree.sh bench); vanilla is the pristine tree with the bench options;
# kasan, kcsan and lockdep are the test profile plus a sanitizer (make check-full boots them).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

profile=${1:?usage: configure.sh test|bench|cfgoff|vanilla|kasan|kcsan|lockdep}
case $profile in
test)    src=$PH_BUILD/linux; frags=(guest.config test.config) ;;
bench)   src=$PH_BUILD/linux-bench; frags=(guest.config bench.config)
	 bash "$PH_TOP/scripts/prepare-tree.sh" bench ;;
cfgoff)  src=$PH_BUILD/linux; frags=(guest.config bench.config cfgoff.config) ;;
vanilla) src=$PH_BUILD/linux-pristine; frags=(guest.config bench.config) ;;
kasan)   src=$PH_BUILD/linux; frags=(guest.config test.config kasan.config) ;;
kcsan)   src=$PH_BUILD/linux; frags=(guest.config test.config kcsan.config) ;;
lockdep) src=$PH_BUILD/linux; frags=(guest.config test.config lockdep.config) ;;
*) ph_die "unknown profile '$profile' (test, bench, cfgoff, vanilla, kasan, kcsan or lockdep)" ;;
esac
out=$PH_BUILD/out-$profile
mkdir -p "$out"
paths=("$src/kernel/configs/kvm_guest.config")
for f in "${frags[@]}"; do paths+=("$PH_TOP/configs/$f"); done

# Only our own fragments are checked: kvm_guest.config also names other arches' options. A
# later fragment overrides an earlier one (cfgoff.config turns off what guest.config turns on).
want=$(cd "$PH_TOP/configs" && cat "${frags[@]}" | grep -E '^CONFIG_[A-Z0-9_]+=' |
	awk -F= '{ v[$1] = $0 } END { for (k in v) print v[k] }' | LC_ALL=C sort)
# Options pagehint adds (core, frontends) do not exist in the pristine tree: for vanilla, keep
# only the options some Kconfig file of that tree defines.
if [ "$profile" = vanilla ]; then
	known=$(grep -rhoE '^[[:space:]]*(menu)?config [A-Z0-9_]+' --include='Kconfig*' "$src" |
		awk '{print "CONFIG_" $2 "="}' | sort -u)
	want=$(printf '%s\n' "$want" | grep -F -f <(printf '%s\n' "$known") || true)
fi
stamp=$(printf '%s\n' "$want" "$(sha256sum "$src/mm/Kconfig" "$src"/Makefile)" | sha256sum | cut -c1-16)
if [ -f "$out/.config" ] && [ "$(cat "$out/.pagehint-config" 2>/dev/null)" = "$stamp" ]; then
	ph_log "config $profile up to date"
	exit 0
fi

ph_log "configuring $profile kernel in $out"
make -s -C "$src" O="$out" tinyconfig >/dev/null
(cd "$src" && KCONFIG_CONFIG="$out/.config" scripts/kconfig/merge_config.sh -m -O "$out" \
	"$out/.config" "${paths[@]}" >"$out/merge_config.log" 2>&1) ||
	{ tail -20 "$out/merge_config.log"; ph_die "merge_config.sh failed"; }
make -s -C "$src" O="$out" olddefconfig >/dev/null

bad=0
while IFS== read -r key val; do
	if [ "$val" = n ]; then
		grep -q "^$key=" "$out/.config" && { echo "  $key: wanted n, got $(grep "^$key=" "$out/.config")"; bad=1; }
	else
		got=$(grep "^$key=" "$out/.config" | cut -d= -f2- || true)
		[ "$got" = "$val" ] || { echo "  $key: wanted $val, got ${got:-unset}"; bad=1; }
	fi
done <<< "$want"
[ $bad = 0 ] || ph_die "config $profile lost options asked for by configs/*.config (unmet dependencies?)"
echo "$stamp" > "$out/.pagehint-config"
ph_log "config $profile ready"
