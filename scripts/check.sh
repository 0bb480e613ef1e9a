#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: the whole test suite, from a fresh machine to `N passed, N failed`.
#  1. install dependencies, fetch Debian's 7.3 source, prepare the pagehint tree
#  2. configure and build the test-profile guest (ccache) and, when host/ exists, our QEMU
#  3. boot every tests/scenarios/*.conf and parse each KTAP document on the console with the
#     tree's own tools/testing/kunit/kunit.py parse
#  4. run the static gates (cocci fixtures, coccicheck, checkpatch, sparse), each emits KTAP
# Any failure, a guest that does not boot, a panic or a timeout makes it exit non-zero.
# PH_SCENARIOS="base ..." limits the boots, PH_GATES="..." the static gates.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
S=$PH_TOP/scripts
logs=$PH_BUILD/logs
mkdir -p "$PH_CACHE"

bash "$S/install-deps.sh"
bash "$S/fetch-kernel.sh"
bash "$S/prepare-tree.sh"
mkdir -p "$logs"
rm -f "$logs"/*.ktap "$logs"/*.log
bash "$S/configure.sh" test
bash "$S/build-kernel.sh" test
if [ -f "$PH_TOP/host/series" ] && [ -f "$S/build-qemu.sh" ]; then
	bash "$S/build-qemu.sh" >/dev/null
	ph_log "patched QEMU: $(bash "$S/build-qemu.sh" --print-path)"
fi
bash "$S/build-initramfs.sh" test

kunit=$PH_BUILD/linux/tools/testing/kunit/kunit.py
passed=0 failed=0 skipped=0
summary=()

# Parse one KTAP document with kunit.py and add its counts.
account() {
	local name=$1 ktap=$2 out line p f c s e
	out=$(python3 "$kunit" parse "$ktap" 2>&1) || true
	printf '%s\n' "$out" | sed 's/^/  /'
	line=$(printf '%s\n' "$out" | grep -o 'Ran [0-9]* tests:.*' | tail -n1 || true)
	if [ -z "$line" ]; then
		summary+=("$name: no parsable results")
		failed=$((failed + 1))
		return
	fi
	p=$(grep -o 'passed: [0-9]*' <<< "$line" | grep -o '[0-9]*' || echo 0)
	f=$(grep -o 'failed: [0-9]*' <<< "$line" | grep -o '[0-9]*' || echo 0)
	c=$(grep -o 'crashed: [0-9]*' <<< "$line" | grep -o '[0-9]*' || echo 0)
	s=$(grep -o 'skipped: [0-9]*' <<< "$line" | grep -o '[0-9]*' || echo 0)
	e=$(grep -o 'errors: [0-9]*' <<< "$line" | grep -o '[0-9]*' || echo 0)
	passed=$((passed + p)) failed=$((failed + f + c + e)) skipped=$((skipped + s))
	summary+=("$name: $line")
}

# Split a console log into its top-level KTAP documents (boot-time KUnit, our e2e runner).
split_ktap() {
	local log=$1 prefix=$2
	awk -v prefix="$prefix" '
		{ sub(/\r$/, ""); body = $0; sub(/^\[[ 0-9.]+\] /, "", body) }
		body == "KTAP version 1" { n++; file = prefix "-" n ".ktap" }
		/^pagehint: end of tests/ { file = "" }
		file != "" { print > file }' "$log"
}

scenarios=${PH_SCENARIOS:-$(cd "$PH_TOP/tests/scenarios" && ls ./*.conf | sed 's|^\./||; s|\.conf$||' | grep -v '^demo')}
for sc in $scenarios; do
	if ! bash "$S/boot-guest.sh" test "$sc"; then
		summary+=("boot $sc: FAILED (log: $logs/test-$sc.log)")
		failed=$((failed + 1))
		continue
	fi
	split_ktap "$logs/test-$sc.log" "$logs/$sc"
	# Only this scenario's documents: <scenario>-<n>.ktap (virtio-inflate-1, not
	# virtio-inflate-bad-used-len-1).
	for k in "$logs/$sc"-[0-9]*.ktap; do
		[ -e "$k" ] || { summary+=("$sc: no KTAP on the console"); failed=$((failed + 1)); break; }
		ph_log "results of $sc ($(basename "$k" .ktap))"
		account "$sc/$(basename "$k" .ktap)" "$k"
	done
	# Kernel warnings are failures even when every test passed.
	if grep -qE 'WARNING: |BUG: ' "$logs/test-$sc.log" &&
	   [ ! -f "$PH_TOP/tests/scenarios/$sc.expect-warnings" ]; then
		grep -E 'WARNING: |BUG: ' "$logs/test-$sc.log" | head -5
		summary+=("$sc: kernel warnings on the console")
		failed=$((failed + 1))
	fi
done

# Static gates: name=command. Gates that print KTAP are parsed as such; the others count as
# one test, passed when they exit 0.
all_gates=(
	"cocci-fixtures=$S/test-cocci-fixtures.sh"
	"cocci-pristine=$S/coccicheck.sh --pristine-check"
	"coccicheck=$S/coccicheck.sh"
	"checkpatch=$S/checkpatch.sh"
	"sparse=$S/sparse.sh"
	"series=$S/export-series.sh --verify"
)
[ -f "$PH_TOP/host/series" ] && all_gates+=("qemu=$S/test-qemu.sh $PH_BUILD/out-test/arch/x86/boot/bzImage")
for entry in "${all_gates[@]}"; do
	g=${entry%%=*} cmd=${entry#*=}
	[ -z "${PH_GATES:-}" ] || [[ " $PH_GATES " == *" $g "* ]] || continue
	[ -f "${cmd%% *}" ] || continue
	ph_log "gate $g"
	rc=0
	# shellcheck disable=SC2086
	bash $cmd > "$logs/gate-$g.out" 2> "$logs/gate-$g.err" || rc=$?
	if ! grep -q '^KTAP version 1' "$logs/gate-$g.out"; then
		{ echo "KTAP version 1"; echo "1..1"
		  tail -n 15 "$logs/gate-$g.out" "$logs/gate-$g.err" | sed 's/^/# /'
		  [ $rc = 0 ] && echo "ok 1 $g" || echo "not ok 1 $g"; } > "$logs/gate-$g.ktap"
	else
		sed -n '/^KTAP version 1/,$p' "$logs/gate-$g.out" > "$logs/gate-$g.ktap"
	fi
	before=$failed
	account "gate $g" "$logs/gate-$g.ktap"
	if [ $rc != 0 ] && [ $failed = "$before" ]; then
		tail -20 "$logs/gate-$g.err"
		summary+=("gate $g: exit status $rc")
		failed=$((failed + 1))
	fi
done

echo
echo "=== pagehint check summary ==="
printf '  %s\n' "${summary[@]}"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
