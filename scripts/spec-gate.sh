#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Spec gate: the virtio spec patch in docs/virtio-spec/ applies to the vendored upstream base,
# is well-formed LaTeX as far as can be told without TeX, and defines the feature bits our
# Linux driver and QEMU device use, with the same numbers. stdout is KTAP, one case a check:
#   base          base/README names the upstream commit and base/ holds its balloon files;
#                 there is exactly one patch
#   applies       `git apply` on a copy of base/: no offset, no fuzz, no whitespace error,
#                 only device-types/balloon/*.tex touched
#   environments, macros, refs, conformance, feature-bits
#                 scripts/spec-check.py on the patched copy (see there)
# PH_SPEC_DIR (default docs/virtio-spec), PH_SPEC_LINUX and PH_SPEC_QEMU (the Linux and QEMU
# patch lists, default virtio/patches/*.patch and host/patches/*.patch) let the harness
# self-test run it on mutated copies.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

upstream=15f488c16210
dir=${PH_SPEC_DIR:-$PH_TOP/docs/virtio-spec}
read -r -a linux <<< "${PH_SPEC_LINUX:-$(echo "$PH_TOP"/virtio/patches/*.patch)}"
read -r -a qemu <<< "${PH_SPEC_QEMU:-$(echo "$PH_TOP"/host/patches/*.patch)}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "KTAP version 1"
echo "1..7"

# 1: the base is the upstream one the README names, and there is one patch to apply to it
err=
grep -q "$upstream" "$dir/base/README" 2>/dev/null || err="base/README does not name commit $upstream"
for f in description device-conformance driver-conformance; do
	[ -f "$dir/base/device-types/balloon/$f.tex" ] || err="${err:+$err; }no base/device-types/balloon/$f.tex"
done
patches=("$dir"/0*.patch)
[ ${#patches[@]} = 1 ] && [ -f "${patches[0]}" ] || err="${err:+$err; }want one $dir/0*.patch, found: ${patches[*]}"
if [ -n "$err" ]; then
	echo "# $err"
	echo "not ok 1 base"
	echo "# nothing to apply"
	echo "not ok 2 applies"
	for i in 3 4 5 6 7; do echo "not ok $i skipped: no base or patch"; done
	exit 1
fi
echo "ok 1 base"
patch=${patches[0]}

# 2: it applies exactly: git apply refuses fuzz by itself; an offset it reports with -v
cp -r "$dir/base" "$tmp/patched"
rc=0
(cd "$tmp/patched" && git apply -v --whitespace=error "$patch") > "$tmp/apply.log" 2>&1 || rc=$?
bad=$(grep -E 'offset|fuzz|error|warning' "$tmp/apply.log" || true)
touched=$(grep -E '^\+\+\+ |^--- ' "$patch" | awk '{print $2}' | grep -v '^/dev/null$' |
	sed 's|^[ab]/||' | sort -u | grep -vE '^device-types/balloon/[^/]+\.tex$' || true)
if [ $rc = 0 ] && [ -z "$bad" ] && [ -z "$touched" ]; then
	echo "ok 2 applies"
else
	sed 's/^/# /' "$tmp/apply.log"
	[ -z "$touched" ] || echo "# outside device-types/balloon/*.tex: $(echo $touched)"
	echo "not ok 2 applies"
	for i in 3 4 5 6 7; do echo "not ok $i skipped: the patch does not apply cleanly"; done
	exit 1
fi

# 3-7
python3 "$PH_TOP/scripts/spec-check.py" --base "$dir/base" --patched "$tmp/patched" \
	--patch "$patch" --linux "${linux[@]}" --qemu "${qemu[@]}" --start 3
