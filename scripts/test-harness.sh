#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Self-test of the test harness: every check make check relies on must fail when what it
# guards breaks. Works on the recorded fixtures in tests/harness/ (a console log cut from a
# real base boot, a gate's KTAP, make logs) and mutations of them; no kernel build, no boot.
# Each case runs the real code (scripts/results.py with the tree's kunit.py, the sparse and
# compile gates' filters, checkpatch.sh, qemu-checkpatch.sh, install-deps.sh's mirror parsing,
# check.sh's name checks, QEMU's unix socket) and says whether the run passed or failed; the
# case is ok when that is what the mutation must give. stdout is KTAP.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

fx=$PH_TOP/tests/harness
S=$PH_TOP/scripts
kunit=${PH_KUNIT:-$PH_BUILD/linux/tools/testing/kunit/kunit.py}
[ -f "$kunit" ] || ph_die "no $kunit: run make prepare"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cases=()
add() { cases+=("$1|$2"); } # add <name> <expect: pass|fail>

# results <console log> <expected file> [flags] [gate KTAP] [gate rc]: run results.py.
results() {
	local log=$1 exp=$2 flags=${3:-} gktap=${4:-$fx/gate.ktap} grc=${5:-0}
	{
		echo "scenario fixture 0 $log EXPECT_VERIFY_FAILED=0 EXPECT_REJECTED=0 $flags"
		echo "gate fixture $grc $gktap"
	} > "$tmp/units"
	local rc=0
	python3 "$S/results.py" --expected "$exp" --kunit "$kunit" --units "$tmp/units" --complete \
		> "$tmp/out" 2>&1 || rc=$?
	# No summary line: results.py itself broke, which is neither a pass nor a fail.
	grep -qE '^[0-9]+ passed, [0-9]+ failed$' "$tmp/out" || return 2
	return $rc
}
# mutate <sed script>: the fixture console log, changed
mutate() { sed "$1" "$fx/console.log" > "$tmp/m.log"; echo "$tmp/m.log"; }
expmut() { sed "$1" "$fx/expected.txt" > "$tmp/m.exp"; echo "$tmp/m.exp"; }

# Why a run failed, for the record: results.py's first failure, else the first error line.
because() {
	local l
	l=$(sed -n '/^FAILURES:/{n;p;q}' "$tmp/out" 2>/dev/null)
	[ -n "$l" ] || l=$(grep -m1 -iE 'ERROR|^not ok|did not complete|warning|too long' "$tmp/out" 2>/dev/null || true)
	[ -n "$l" ] || l=$(head -n 1 "$tmp/out" 2>/dev/null || true)
	[ -z "$l" ] || echo "# because: $(echo $l)"
}

n=0 failed=0
echo "KTAP version 1"
run() { # run <name> <pass|fail> <command...>: exit 0 is pass, 1 fail, anything else a crash
	local name=$1 want=$2 got rc=0
	shift 2
	n=$((n + 1))
	"$@" || rc=$?
	case $rc in 0) got=pass ;; 1) got=fail ;; *) got="crash (exit $rc)" ;; esac
	if [ "$got" = "$want" ]; then
		[ "$got" = pass ] || because
		echo "ok $n - $name"
	else
		sed 's/^/# /' "$tmp/out" 2>/dev/null | tail -n 15
		echo "# $name: the run should $want, it did $got"
		echo "not ok $n - $name"
		failed=$((failed + 1))
	fi
}
echo "1..$(grep -c "^run " "$0")" # every case is one `run` line of this file

# results.py on recorded logs
run "unchanged fixture passes" pass results "$fx/console.log" "$fx/expected.txt"
run "KUnit case removed" fail results "$(mutate '/ok 3 pz_zero_alloc_skips_clearing/d; s/ok 4 pz_report_lying_caught/ok 3 pz_report_lying_caught/; s/^\(\[ *[0-9.]*\]     \)1\.\.4$/\11..3/')" "$fx/expected.txt"
run "e2e test removed" fail results "$(mutate '/^ok 2 integrity/d; s/^1\.\.2$/1..1/')" "$fx/expected.txt"
run "e2e document cut short" fail results "$(mutate '/^ok 2 integrity/d')" "$fx/expected.txt"
# A failure names its cause in the summary (CI shows only the summary's tail): the e2e
# runner's FAIL line, a KUnit expectation.
failed_because() { # failed_because <text> <results args...>: the run fails, FAILURES has <text>
	local want=$1
	shift
	results "$@" && return 0
	sed -n '/^FAILURES:/,$p' "$tmp/out" | grep -qF "$want" || return 0
	return 1
}
run "e2e failure names its cause" fail failed_because "FAILED (claims survive: 12 of 32768)" \
	"$(mutate 's/^ok 2 integrity/# FAIL: claims survive: 12 of 32768\nnot ok 2 integrity/')" "$fx/expected.txt"
run "KUnit failure names its cause" fail failed_because "EXPECTATION FAILED at mm/page_zeroed_test.c:99" \
	"$(mutate 's/^\(\[ *[0-9.]*\]     \)ok 3 pz_zero_alloc_skips_clearing/\1# pz_zero_alloc_skips_clearing: EXPECTATION FAILED at mm\/page_zeroed_test.c:99\n\1not ok 3 pz_zero_alloc_skips_clearing/')" "$fx/expected.txt"
run "mode case skips instead of running" fail results \
	"$(mutate 's/ok 3 pz_zero_alloc_skips_clearing/ok 3 pz_zero_alloc_skips_clearing # SKIP the allocator did not hand the block out/')" "$fx/expected.txt"
run "expected skip runs (mode not in effect)" fail results \
	"$(mutate 's/ok 2 pz_poisoning_refuses_source # SKIP.*/ok 2 pz_poisoning_refuses_source/')" "$fx/expected.txt"
run "skip for another reason" fail results \
	"$(mutate 's/# SKIP page poisoning is off (page_poison=1)/# SKIP page poisoning is enabled/')" "$fx/expected.txt"
run "case fails" fail results "$(mutate 's/    ok 4 pz_report_lying_caught/    not ok 4 pz_report_lying_caught/')" "$fx/expected.txt"
run "new case not in the list" fail results "$fx/console.log" "$(expmut '/pz_report_lying_caught/d')"
run "flaky case within its budget" pass results \
	"$(mutate 's/ok 3 pz_zero_alloc_skips_clearing/ok 3 pz_zero_alloc_skips_clearing # SKIP no block/')" \
	"$(expmut 's/^fixture ok page_zeroed.pz_zero_alloc_skips_clearing$/fixture flaky page_zeroed.pz_zero_alloc_skips_clearing # no block/; s/^flaky-budget 0/flaky-budget 1/')"
run "flaky case over its budget" fail results \
	"$(mutate 's/ok 3 pz_zero_alloc_skips_clearing/ok 3 pz_zero_alloc_skips_clearing # SKIP no block/')" \
	"$(expmut 's/^fixture ok page_zeroed.pz_zero_alloc_skips_clearing$/fixture flaky page_zeroed.pz_zero_alloc_skips_clearing # no block/')"
run "module fails to load" fail results \
	"$(mutate 's/^ok 1 modules/not ok 1 modules/; s/load failures: none/load failures: virtio_balloon/')" "$fx/expected.txt"
run "verify failures with an honest host" fail results \
	"$(mutate '/^pagehint: vmstat$/,/^pagehint: dmesg/ s/zeroed_verify_failed 4/zeroed_verify_failed 7/')" "$fx/expected.txt"
run "rejected answers with an honest host" fail results \
	"$(mutate '/^pagehint: vmstat$/,/^pagehint: dmesg/ s/zeroed_rejected 0/zeroed_rejected 3/')" "$fx/expected.txt"
run "lying host not caught" fail results "$fx/console.log" "$fx/expected.txt" EXPECT_VERIFY_FAILED=1
run "counter missing from vmstat" fail results \
	"$(mutate '/^pagehint: vmstat$/,/^pagehint: dmesg/ {/zeroed_verify_failed/d}')" "$fx/expected.txt"
run "kernel WARNING on the console" fail results \
	"$(mutate 's/^\(pagehint:   \[    0.000000\] Linux.*\)/\1\npagehint:   [    9.1] WARNING: CPU: 0 PID: 1 at mm\/page_alloc.c:1 x/')" "$fx/expected.txt"
# Sanitizer profiles (kasan, kcsan, lockdep): their reports must fail the run like a WARNING.
run "KASAN report on the console" fail results \
	"$(mutate 's/^\(pagehint:   \[    0.000000\] Linux.*\)/\1\npagehint:   [    9.1] BUG: KASAN: slab-use-after-free in page_zeroed_consume+0x1\/0x2/')" "$fx/expected.txt"
run "KCSAN data race on the console" fail results \
	"$(mutate 's/^\(pagehint:   \[    0.000000\] Linux.*\)/\1\npagehint:   [    9.1] BUG: KCSAN: data-race in page_zeroed_take \/ post_alloc_hook/')" "$fx/expected.txt"
run "lockdep splat on the console" fail results \
	"$(mutate 's/^\(pagehint:   \[    0.000000\] Linux.*\)/\1\npagehint:   [    9.1] WARNING: possible circular locking dependency detected/')" "$fx/expected.txt"
run "gate exits non-zero with every case ok" fail results "$fx/console.log" "$fx/expected.txt" "" "$fx/gate.ktap" 1

# A FULL_ONLY scenario (make check-full) that did not run: check.sh's "omitted" line keeps its
# listed cases from counting as vanished; without it they do.
not_run() { # not_run <omitted|missing>
	{ cat "$fx/expected.txt"; echo "longfixture ok e2e.soak_mix"; } > "$tmp/o.exp"
	{ echo "scenario fixture 0 $fx/console.log EXPECT_VERIFY_FAILED=0 EXPECT_REJECTED=0"
	  echo "gate fixture 0 $fx/gate.ktap"
	  [ "$1" = missing ] || echo "omitted longfixture FULL_ONLY=1 (make check-full)"
	} > "$tmp/units"
	local rc=0
	python3 "$S/results.py" --expected "$tmp/o.exp" --kunit "$kunit" --units "$tmp/units" \
		--complete > "$tmp/out" 2>&1 || rc=$?
	grep -qE '^[0-9]+ passed, [0-9]+ failed$' "$tmp/out" || return 2
	return $rc
}
run "FULL_ONLY scenario omitted by make check" pass not_run omitted
run "listed scenario neither run nor omitted" fail not_run missing

# checkpatch.pl that dies: the gate must fail, not report every patch clean
printf '#!/usr/bin/perl\ndie "Undefined subroutine &main::boom called";\n' > "$tmp/checkpatch.pl"
cp_crash() {
	[ -d "$PH_BUILD/linux-pristine" ] || { echo "no pristine tree" > "$tmp/out"; return 2; }
	PH_CHECKPATCH=$tmp/checkpatch.pl bash "$S/checkpatch.sh" > "$tmp/out" 2>&1 &&
		! grep -q '^not ok' "$tmp/out"
}
run "checkpatch.pl crashes" fail cp_crash

# QEMU's checkpatch.pl over a host series: a clean QEMU-style patch passes, a style error fails.
# 0: the gate passed the patch, 1: it failed it, 2: it did not run (no QEMU source, ...)
qemu_cp() { # qemu_cp <fixture patch>
	local rc=0
	rm -rf "$tmp/qhost" && mkdir -p "$tmp/qhost/patches"
	cp "$1" "$tmp/qhost/patches/" && basename "$1" > "$tmp/qhost/series"
	PH_HOST=$tmp/qhost bash "$S/qemu-checkpatch.sh" > "$tmp/out" 2> "$tmp/err" || rc=$?
	grep -qx '1\.\.1' "$tmp/out" || { cat "$tmp/err" >> "$tmp/out"; return 2; }
	if [ $rc = 0 ] && grep -q '^ok 1 ' "$tmp/out"; then return 0; fi
	if [ $rc = 1 ] && grep -q '^not ok 1 ' "$tmp/out"; then return 1; fi
	return 2
}
run "qemu-checkpatch: clean QEMU-style patch" pass qemu_cp "$fx/qemu-style-ok.patch"
run "qemu-checkpatch: a patch with a style error" fail qemu_cp "$fx/qemu-style-error.patch"

# sparse: a new finding of a kind the baseline allows twice in mm/memory.c
# 0: no new finding, 1: new findings, 2: the filter itself failed
sparse_new() { bash "$S/sparse.sh" --classify "$1" > "$tmp/out" 2>&1 || return 2; [ ! -s "$tmp/out" ]; }
run "sparse: baselined findings only" pass sparse_new "$fx/sparse-make.log"
sed 's|^  CC .*|../linux/mm/memory.c:977:9: error: incompatible types in conditional expression (different base types):|' \
	"$fx/sparse-make.log" > "$tmp/sparse.log"
run "sparse: one more error of a baselined kind" fail sparse_new "$tmp/sparse.log"

# compile gate: a W=1 warning in our code
w1_new() { bash "$S/compile-gate.sh" --classify x86-numa "$1" > "$tmp/out" 2>&1 || return 2; [ ! -s "$tmp/out" ]; }
run "W=1: clean build log" pass w1_new "$fx/w1-make.log"
{ cat "$fx/w1-make.log"
  echo "../linux/mm/page_zeroed.c:88:6: warning: no previous prototype for 'page_zeroed_x' [-Wmissing-prototypes]"
} > "$tmp/w1.log"
run "W=1: a warning in our code" fail w1_new "$tmp/w1.log"

# kbuild gate: a warning in a frontend module built with M=
kb_new() { bash "$S/kbuild-gate.sh" --classify "$1" > "$tmp/out" 2>&1 || return 2; [ ! -s "$tmp/out" ]; }
run "Kbuild: clean module build log" pass kb_new "$fx/kbuild-make.log"
{ cat "$fx/kbuild-make.log"
  echo "$PH_TOP/hyperv/hv_balloon_zeroed.c:120:7: warning: unused variable 'x' [-Wunused-variable]"
} > "$tmp/kb.log"
run "Kbuild: a warning in a frontend" fail kb_new "$tmp/kb.log"

# apt sources with [options] and mirror+file: URIs
mirror_is() { [ "$(bash "$S/install-deps.sh" --print-mirror "$1" 2>"$tmp/out")" = "$2" ]; }
run "apt: deb [options] line" pass mirror_is "$fx/apt-options" http://mirror.invalid/debian
run "apt: mirror+file: list" pass mirror_is "$fx/apt-mirror" http://mirror.invalid/debian

# a typo in PH_GATES is an error, not "no gates"
typo() { PH_GATES=checkpach bash "$S/check.sh" > "$tmp/out" 2>&1; }
run "PH_GATES typo" fail typo

# Unix sockets from a deep clone path: ph_rundir keeps the socket path short enough for QEMU
deep=$tmp/$(printf 'a%.0s' $(seq 60))/$(printf 'b%.0s' $(seq 60))
mkdir -p "$deep"
qmp_sock() { # qmp_sock <socket path>: QEMU must accept it as a QMP socket
	local q
	q=$(command -v qemu-system-x86_64) || { echo "no qemu-system-x86_64" > "$tmp/out"; return 2; }
	timeout 20 "$q" -M none -display none -nodefaults -qmp "unix:$1,server=on,wait=off" \
		-S < /dev/null > "$tmp/out" 2>&1 &
	local pid=$! i up=1
	for i in $(seq 200); do
		[ -S "$1" ] && { up=0; break; }
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	# QEMU removes its socket when it exits: look before stopping it.
	kill $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	return $up
}
short_sock() { local d; d=$(cd "$deep" && ph_rundir); qmp_sock "$d/qmp"; local r=$?; rm -rf "$d"; return $r; }
# The same QEMU refuses the socket where the old harness put it (under the clone's build/logs):
# proof that the deep path really is too long.
run "QMP socket under a deep clone path is refused" fail qmp_sock "$deep/build/logs/test-virtio-inflate-bad-used-len.qmp"
run "QMP socket in ph_rundir from a deep clone path" pass short_sock

# spec gate: on a copy of docs/virtio-spec, mutated; each mutation must fail the check it names
spec_fails_on() { # spec_fails_on <dir> <case>: 0 gate passed, 1 <case> failed, 2 failed otherwise
	local rc=0
	PH_SPEC_DIR=$1 bash "$S/spec-gate.sh" > "$tmp/out" 2>&1 || rc=$?
	[ $rc != 0 ] || return 0
	grep -qE "^not ok [0-9]+ $2\$" "$tmp/out" && return 1
	return 2
}
spec_copy() { # spec_copy <sed script for the patch> [sed script for base description.tex]
	rm -rf "$tmp/spec"
	cp -r "$PH_TOP/docs/virtio-spec" "$tmp/spec"
	sed -i "$1" "$tmp/spec"/0*.patch
	[ -z "${2:-}" ] || sed -i "$2" "$tmp/spec/base/device-types/balloon/description.tex"
	echo "$tmp/spec"
}
run "spec: the patch applies and checks" pass spec_fails_on "$(spec_copy '')" applies
run "spec: patch does not apply" fail spec_fails_on \
	"$(spec_copy 's/^ \\item\[ VIRTIO_BALLOON_F_PAGE_REPORTING(5) \] The device has/ \\item[ VIRTIO_BALLOON_F_PAGE_REPORTING(5) ] The device had/')" applies
run "spec: patch applies only at an offset" fail spec_fails_on "$(spec_copy '' '1i % one line more')" applies
run "spec: unclosed environment" fail spec_fails_on "$(spec_copy '0,/^+\\end{note}$/s//+\\end{notes}/')" environments
run "spec: misspelt macro" fail spec_fails_on "$(spec_copy 's/\\emph{initialized}/\\empf{initialized}/')" macros
run "spec: unresolved reference" fail spec_fails_on \
	"$(spec_copy 's/^\(+.*\\ref{sec:.*\)Device Initialized Pages}/\1Device Initialised Pages}/')" refs
run "spec: normative section missing from the conformance list" fail spec_fails_on \
	"$(spec_copy 's/^+\\item \\ref{devicenormative:.*Device Initialized Pages}$/+% left out/')" conformance
run "spec: wrong bit number" fail spec_fails_on \
	"$(spec_copy 's/DEVICE_INIT_ON_INFLATE(7)/DEVICE_INIT_ON_INFLATE(8)/')" feature-bits

# kdoc gate: kernel-doc on our code, exported symbols, htmldocs warnings against pristine
kdoc_clean() { bash "$S/kdoc-gate.sh" --kernel-doc "$@" > "$tmp/out" 2>&1; }
exports_documented() { bash "$S/kdoc-gate.sh" --exports "$@" > "$tmp/out" 2>&1 || return 2; [ ! -s "$tmp/out" ]; }
htmldocs_new() { bash "$S/kdoc-gate.sh" --classify "$fx/htmldocs-pristine.log" "$1" > "$tmp/out" 2>&1 || return 2; [ ! -s "$tmp/out" ]; }
cp "$PH_TOP/virtio/virtio_balloon_zeroed.c" "$tmp/vbz.c"
run "kdoc: our code is clean" pass kdoc_clean "$tmp/vbz.c" "$PH_TOP/frontends/page_zeroed.h"
sed '/^ \* @vdev: the balloon device, in its validate() callback$/d' "$PH_TOP/virtio/virtio_balloon_zeroed.c" > "$tmp/vbz.c"
run "kdoc: a kernel-doc warning in our code" fail kdoc_clean "$tmp/vbz.c"
run "kdoc: every export documented" pass exports_documented "$PH_TOP/virtio/virtio_balloon_zeroed.c"
sed '/^\/\*\*$/{N;/virtio_balloon_put_page -/s|^/\*\*|/*|}' "$PH_TOP/virtio/virtio_balloon_zeroed.c" > "$tmp/vbz.c"
run "kdoc: an export without kernel-doc" fail exports_documented "$tmp/vbz.c"
run "htmldocs: pristine warnings only" pass htmldocs_new "$fx/htmldocs.log"
{ cat "$fx/htmldocs.log"
  echo "/src/build/linux/Documentation/mm/page_zeroed.rst:12: WARNING: Title underline too short."
} > "$tmp/htmldocs.log"
run "htmldocs: a warning in our page" fail htmldocs_new "$tmp/htmldocs.log"
sed 's|^\(.*/mm/index.rst:\)5\(: WARNING: undefined label.*\)$|&\n\140\2|' "$fx/htmldocs.log" > "$tmp/htmldocs.log"
run "htmldocs: one more of a pristine warning" fail htmldocs_new "$tmp/htmldocs.log"

# make bench's report: its own fixtures (arms whose mechanism differs wrongly, a missing bit 6,
# an off arm that skipped zeroing, broken logs) must fail its checks, honest runs pass them.
bench_report_selftest() { python3 "$S/test-bench-report.py" > "$tmp/out" 2>&1; }
run "bench report: mechanism checks fire on their fixtures" pass bench_report_selftest
# make bench BENCH_PROFILE=1: symbols, baseline, per-fault differences exact on synthetic dumps
bench_profile_selftest() { python3 "$S/test-bench-profile.py" > "$tmp/out" 2>&1; }
run "bench profile: per-function attribution is exact on its fixtures" pass bench_profile_selftest

ph_log "harness self-test: $n cases, $failed not as they must be" >&2
planned=$(grep -c "^run " "$0")
[ "$n" = "$planned" ] || { echo "# plan says $planned, ran $n"; exit 1; }
[ $failed = 0 ]
