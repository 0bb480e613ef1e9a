#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: what skipping the zeroing of host-zeroed pages saves, measured side by side with
# what it could save at best and with the kernel without the series (docs/bench.md).
# Four arms, all under our patched QEMU with free page reporting on (tests/bench/<arm>.conf):
#   on       bench kernel, the host vouches for reported pages (x-device-init-reported=on)
#   off      bench kernel, it does not (x-device-init-reported=off)
#   limit    off, and the measuring task's user pages are not cleared at all (the bench-only
#            patch of tests/bench/kernel/; pagehint_bench.noclear=1 tells the guest programs)
#   nohit    the bench kernel, the host negotiates bit 6 and vouches for nothing (the test device
#            with discard-every=1): the feature on with no hit, against off
#   cfgoff   the series with CONFIG_PAGE_REPORTING_ZEROED=n (profile cfgoff, configs/cfgoff.config),
#            device feature off: what the series costs a kernel built without the feature
#   vanilla  pristine Debian 7.3 (profile vanilla), device feature off: the no-regression base
# Every run boots each arm once, in an order rotated from run to run (no arm always first);
# each boot runs tests/bench/alloc_bench.sh with the workloads, rounds and its arm on the
# kernel command line, and tests/host/rss-driver.sh samples QEMU's RSS when the guest asks.
# scripts/bench-report.py turns the console logs into $PH_BUILD/bench/results.txt,
# results.json and plot.svg, with a mechanism check that fails the run. Beside them:
# diffconfig.txt (every arm's .config against the on arm's) and host-cpu-runs.txt (the host
# CPU other processes used, per run).
#   BENCH_RUNS=5            boots per arm
#   BENCH_ROUNDS=3          timed rounds per boot and workload (a run counts their median)
#   BENCH_ARMS=on,off,limit,vanilla   arms to boot (a subset: the report compares what ran;
#                           nohit and cfgoff only when named)
#   BENCH_WORKLOADS=...     workloads for the guest (pagehint.bench=, tests/bench/alloc_bench.sh)
#   BENCH_CHURN_SECS=30     how long the churn workload runs in each boot
#   BENCH_NO_BUILD=1        use the kernels in $PH_BUILD/out-bench, out-cfgoff, out-vanilla as they are
#                           (no configure/build; the initramfs is still rebuilt)
#   BENCH_OBJDIR=$PH_BUILD  where out-bench/ and out-vanilla/ with their objects and linux/,
#                           linux-pristine/ are, for the memory overhead section
#   BENCH_PUBLISH=1         then run scripts/bench-publish.sh (docs/bench/, docs/BENCHMARKS.md)
#   BENCH_ICOUNT=1          TCG with -icount shift=0,sleep=off: guest time counts the guest's
#                           instructions (one vCPU thread), so host noise and the host's own
#                           work (faulting discarded memory in) drop out; for the off/vanilla
#                           comparison of guest code paths (docs/bench.md)
#   BENCH_PROFILE=1         BENCH_ICOUNT=1 and -smp 1, then per arm one boot per workload and
#                           one without (pagehint.bench=none) under the pcprof TCG plugin:
#                           profile/ and profile.txt, instructions per function and fault, off -
#                           vanilla and on - off (scripts/bench-profile.py, docs/bench.md)
# Exit non-zero when a boot fails, a guest reports an error or the mechanism check fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
S=$PH_TOP/scripts

runs=${BENCH_RUNS:-5}
rounds=${BENCH_ROUNDS:-3}
arms_csv=${BENCH_ARMS:-on,off,limit,vanilla}
default_workloads=thp:256:populate+firstwrite+fullwrite+nfpopulate
default_workloads+=,4k:512:populate+firstwrite+fullwrite+nfpopulate,hugetlb:256:populate+fullwrite
default_workloads+=,pf1,forkexec,rss:thp:512,churn
workloads=${BENCH_WORKLOADS:-$default_workloads}
churn_secs=${BENCH_CHURN_SECS:-30}
[[ $runs =~ ^[1-9][0-9]*$ ]] || ph_die "BENCH_RUNS must be a positive integer, not '$runs'"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || ph_die "BENCH_ROUNDS must be a positive integer, not '$rounds'"
[[ $churn_secs =~ ^[1-9][0-9]*$ ]] || ph_die "BENCH_CHURN_SECS must be a positive integer, not '$churn_secs'"
# The guest parses the entries (tests/bench/alloc_bench.sh); only the shape is checked here.
[[ $workloads =~ ^[a-z0-9]+(:[a-z0-9+]+)*(,[a-z0-9]+(:[a-z0-9+]+)*)*$ ]] ||
	ph_die "BENCH_WORKLOADS must be a comma-separated list of name[:arg...] entries, not '$workloads'"
IFS=, read -ra arms <<< "$arms_csv"
for a in "${arms[@]}"; do
	case $a in on|off|limit|nohit|cfgoff|vanilla) ;;
	*) ph_die "BENCH_ARMS: unknown arm '$a' (on, off, limit, nohit, cfgoff, vanilla)" ;;
	esac
done
[ ${#arms[@]} -ge 2 ] || ph_die "BENCH_ARMS needs at least two arms to compare, not '$arms_csv'"
profile_of() { case $1 in vanilla|cfgoff) echo "$1" ;; *) echo bench ;; esac; }
bench_profile=${BENCH_PROFILE:-0}
if [ "$bench_profile" = 1 ]; then
	# One vCPU: the profile of a workload is its own instructions, in one deterministic stream.
	BENCH_ICOUNT=1 PH_SMP=1
	export PH_SMP
fi
profiles=$(for a in "${arms[@]}"; do profile_of "$a"; done | sort -u)

bash "$S/install-deps.sh"
# The report's checks must bite before a long run relies on them (synthetic logs, seconds).
mkdir -p "$PH_BUILD"
python3 "$S/test-bench-report.py" > "$PH_BUILD/bench-selftest.log" 2>&1 || {
	grep -E '^(not ok|# )' "$PH_BUILD/bench-selftest.log" | tail -30
	ph_die "bench: the self-test of scripts/bench-report.py failed (log: $PH_BUILD/bench-selftest.log)"
}
[ "$bench_profile" != 1 ] || python3 "$S/test-bench-profile.py" > "$PH_BUILD/bench-profile-selftest.log" 2>&1 ||
	ph_die "bench: the self-test of scripts/bench-profile.py failed (log: $PH_BUILD/bench-profile-selftest.log)"
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
	bash "$S/fetch-kernel.sh"
	bash "$S/prepare-tree.sh"
	for p in $profiles; do
		bash "$S/configure.sh" "$p"
		bash "$S/build-kernel.sh" "$p"
	done
fi
for p in $profiles; do
	[ -f "$PH_BUILD/out-$p/arch/x86/boot/bzImage" ] && [ -d "$PH_BUILD/out-$p/modinst" ] ||
		ph_die "no $p kernel in $PH_BUILD/out-$p (build it, or leave its arms out: BENCH_ARMS)"
done
[ -f "$PH_TOP/host/series" ] || ph_die "no host/series: the benchmark needs our patched QEMU"
bash "$S/build-qemu.sh" >/dev/null
PH_QEMU=$(bash "$S/build-qemu.sh" --print-path)
for p in $profiles; do bash "$S/build-initramfs.sh" "$p"; done
export PH_QEMU PH_SCENARIO_DIR=$PH_TOP/tests/bench
# tests/bench/*.conf append it to QEMU_ARGS
export BENCH_QEMU_ARGS=
if [ "${BENCH_ICOUNT:-0}" = 1 ]; then
	[ ! -w /dev/kvm ] || [ "$(cat "$PH_BUILD/kvm-probe" 2>/dev/null)" != kvm ] ||
		ph_die "BENCH_ICOUNT=1 needs TCG, and this machine boots with KVM"
	BENCH_QEMU_ARGS="-icount shift=0,sleep=off"
fi
icount_args=$BENCH_QEMU_ARGS
if [ "$bench_profile" = 1 ]; then
	plugin=$(dirname "$(dirname "$PH_QEMU")")/plugins/libpcprof.so
	[ -f "$plugin" ] || ph_die "BENCH_PROFILE=1: no $plugin (QEMU built without host patch 0012?)"
	for p in $profiles; do
		# The dumps hold link-time addresses only if the kernel is not moved at boot.
		! grep -q '^CONFIG_RANDOMIZE_BASE=y' "$PH_BUILD/out-$p/.config" ||
			ph_die "BENCH_PROFILE=1: the $p kernel has KASLR (CONFIG_RANDOMIZE_BASE)"
	done
fi

dir=$PH_BUILD/bench
mkdir -p "$dir"
rm -f "$dir"/run-*.log "$dir"/run-*.boot "$dir"/results.* "$dir"/plot.* "$dir"/boots.txt \
	"$dir"/diffconfig.txt "$dir"/host-cpu-runs.txt "$dir"/profile.txt
rm -rf "$dir/profile"
[ "$bench_profile" != 1 ] || [[ $dir != *[,[:space:]]* ]] ||
	ph_die "BENCH_PROFILE=1: the results folder $dir must not contain commas or spaces (-plugin)"
# The arms must differ only as intended: on, off and limit boot one build, vanilla lacks only
# our options. The kernel tree's scripts/diffconfig of every arm's .config against the on
# arm's makes that a fact in the results folder.
diffconfig=
for t in linux-pristine linux-bench linux; do
	[ -f "$PH_BUILD/$t/scripts/diffconfig" ] && { diffconfig=$PH_BUILD/$t/scripts/diffconfig; break; }
done
for a in "${arms[@]}"; do
	cfg=$PH_BUILD/out-$(profile_of "$a")/.config
	echo "# $a (${cfg#"$PH_BUILD"/}) against on (out-bench/.config)"
	if [ -z "$diffconfig" ] || [ ! -f "$PH_BUILD/out-bench/.config" ] || [ ! -f "$cfg" ]; then
		echo "# not compared: no scripts/diffconfig in $PH_BUILD/linux*, or a .config missing"
	else
		python3 "$diffconfig" "$PH_BUILD/out-bench/.config" "$cfg" ||
			echo "# scripts/diffconfig failed"
	fi
done > "$dir/diffconfig.txt"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
# What else used the host's CPUs meanwhile: the busy time of all CPUs (/proc/stat) less the CPU
# time of this script's children (QEMU and its helpers, reaped; `times` in this shell, not in a
# subshell, which starts from zero). The load average cannot tell: the boots themselves load it.
# bench-report.py does the arithmetic (host_cpu_raw), where its self-test covers it.
busy_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
busy0=$(busy_ticks)
times > "$dir/.times0"
t0=$(date +%s)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ph_log "bench: arms ${arms[*]}, $runs runs each, $rounds rounds per workload; workloads $workloads"

# One line per boot: each workload's rounds in ms, the pages that skipped zeroing, RSS, churn.
summary() {
	awk '{ sub(/\r$/, "") }
	/^# BENCH / {
		for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		w = v["workload"] (v["mib"] > 0 ? "-" v["mib"] "M" : "")
		t[w] = t[w] sprintf(" %.1f", v["ns"] / 1e6)
		c[w] = v["consumed"] "/" v["pages"]
		if (!(w in seen)) { seen[w] = 1; order[++n] = w }
	}
	/^# SKIP / { sk = sk " " $3 }
	/^host: RSS / { rss = rss " " substr($3, 5) "=" substr($5, 12) "kB" }
	/^# CHURN / { churn = " churn " $4 " " $5 " " $6 " " $7 }
	END {
		for (i = 1; i <= n; i++)
			printf "%s %s ms:%s, skipped %s", (i > 1 ? ";" : ""), order[i], t[order[i]], c[order[i]]
		if (sk != "") printf "; skipped:%s", sk
		if (rss != "") printf "; rss:%s", rss
		printf "%s", churn
	}' "$1"
}

nboots=0
for i in $(seq "$runs"); do
	# the same readings as host_cpu_raw, for this run alone (a run is one boot of every arm)
	rbusy0=$(busy_ticks) rt0=$(date +%s)
	times > "$dir/.times-run0"
	n=${#arms[@]}
	for j in $(seq 0 $((n - 1))); do
		arm=${arms[$(((j + i - 1) % n))]}
		profile=$(profile_of "$arm")
		tag=$(printf 'run-%02d-%s' "$i" "$arm")
		nboots=$((nboots + 1))
		if ! bash "$S/boot-guest.sh" "$profile" "$arm" \
			"pagehint.bench=$workloads pagehint.bench_rounds=$rounds pagehint.bench_arm=$arm pagehint.bench_churn_secs=$churn_secs" \
			2>&1 | tee "$dir/$tag.boot"; then
			cp "$PH_BUILD/logs/$profile-$arm.log" "$dir/$tag.log" 2>/dev/null || true
			ph_die "bench: boot $i/$runs of arm $arm failed (log: $dir/$tag.log)"
		fi
		cp "$PH_BUILD/logs/$profile-$arm.log" "$dir/$tag.log"
		tr -d '\r' < "$dir/$tag.log" | grep -qE '^ok [0-9]+ alloc_bench$' || {
			sed -n '/^KTAP version 1/,/^pagehint: end of tests/p' "$dir/$tag.log" | tail -20
			ph_die "bench: run $i arm $arm: the guest workload failed (log: $dir/$tag.log)"
		}
		# A kernel that warned is not the kernel we meant to measure.
		if grep -qE 'WARNING: |BUG: ' "$dir/$tag.log"; then
			grep -E 'WARNING: |BUG: ' "$dir/$tag.log" | head -5
			ph_die "bench: run $i arm $arm: kernel warnings on the console (log: $dir/$tag.log)"
		fi
		line="run $i/$runs $arm:$(summary "$dir/$tag.log")"
		echo "$line" >> "$dir/boots.txt"
		ph_log "bench: $line"
	done
	times > "$dir/.times-run1"
	echo "$i $rbusy0 $(busy_ticks) $(getconf CLK_TCK) $(($(date +%s) - rt0)) $(nproc);$(sed -n 2p "$dir/.times-run0");$(sed -n 2p "$dir/.times-run1")" >> "$dir/host-cpu-runs.txt"
done
rm -f "$dir/.times-run0" "$dir/.times-run1"

# The profile: per arm, one boot per workload and one without any, each under the pcprof plugin.
# Under -icount shift=0,sleep=off with one vCPU both boots run the same boot and runner, so their
# difference is the workload (docs/bench.md, "Per-function profile").
if [ "$bench_profile" = 1 ]; then
	mkdir -p "$dir/profile"
	IFS=, read -ra entries <<< "$workloads"
	pargs=()
	for arm in "${arms[@]}"; do
		profile=$(profile_of "$arm")
		cp "$PH_BUILD/out-$profile/System.map" "$dir/profile/$arm.System.map"
		pargs+=(--map "$arm=$dir/profile/$arm.System.map" --base "$arm=$dir/profile/$arm-base.tb")
		k=0
		for w in none "${entries[@]}"; do
			tag=$arm-w$k
			[ $k != 0 ] || tag=$arm-base
			BENCH_QEMU_ARGS="$icount_args -plugin $plugin,out=$dir/profile/$tag.tb"
			ph_log "bench: profile $arm, workload $w"
			bash "$S/boot-guest.sh" "$profile" "$arm" \
				"pagehint.bench=$w pagehint.bench_rounds=$rounds pagehint.bench_arm=$arm pagehint.bench_churn_secs=$churn_secs" \
				> "$dir/profile/$tag.boot" 2>&1 ||
				ph_die "bench: profile boot $tag failed (log: $dir/profile/$tag.log)"
			cp "$PH_BUILD/logs/$profile-$arm.log" "$dir/profile/$tag.log"
			tr -d '\r' < "$dir/profile/$tag.log" | grep -qE '^ok [0-9]+ alloc_bench$' ||
				ph_die "bench: profile boot $tag: the guest workload failed (log: $dir/profile/$tag.log)"
			[ $k = 0 ] || pargs+=(--run "$arm" "$w" "$dir/profile/$tag.tb" "$dir/profile/$tag.log")
			k=$((k + 1))
		done
	done
	BENCH_QEMU_ARGS=$icount_args
	python3 "$S/bench-profile.py" "${pargs[@]}" > "$dir/profile.txt" ||
		ph_die "bench: scripts/bench-profile.py failed (dumps in $dir/profile)"
fi

# What the boots really used, from boot-guest.sh's "booting <profile>/<scenario> (accel, mem, ..."
first=$(printf 'run-01-%s' "${arms[0]}")
boot_line=$(sed -n 's/.*booting [a-z]*\/[a-z]* (\([^,]*\), \([^,]*\),.*/\1 \2/p' "$dir/$first.boot" |
	head -n1)
accel=${boot_line%% *} mem=${boot_line##* }
elapsed=$(($(date +%s) - t0))
tree=$(git -C "$PH_TOP" describe --always --dirty 2>/dev/null || echo unknown)
commit=$(git -C "$PH_TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)
qver=$("$PH_QEMU" --version | head -n1)
load1=$(cut -d' ' -f1-3 /proc/loadavg)
times > "$dir/.times1"
# busy ticks at start and end, USER_HZ, wall s, CPUs; the children's user and system times
# (`times`' second line) at start and end
host_cpu_raw="$busy0 $(busy_ticks) $(getconf CLK_TCK) $elapsed $(nproc);"
host_cpu_raw+="$(sed -n 2p "$dir/.times0");$(sed -n 2p "$dir/.times1")"
rm -f "$dir/.times0" "$dir/.times1"
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
memtotal=$(awk '$1 == "MemTotal:" { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
kernels=()
for p in $profiles; do
	case $p in
	bench) kernels+=("bench (series + tests/bench/kernel/ bench-only patches; configs/guest.config + configs/bench.config)") ;;
	cfgoff) kernels+=("cfgoff (series without the bench-only patches; the bench config with CONFIG_PAGE_REPORTING_ZEROED=n, configs/cfgoff.config)") ;;
	vanilla) kernels+=("vanilla (pristine Debian linux-source-$PH_KVER_MAJOR; the same config minus our options)") ;;
	esac
done
meta=(
	"qemu=$qver + host/series"
	"accel=${accel:-unknown}${BENCH_QEMU_ARGS:+ $BENCH_QEMU_ARGS (guest time counts guest instructions)}"
	"guest=-smp ${PH_SMP:-2}, ${mem:-unknown}"
	"kernels=$(IFS=';'; echo "${kernels[*]}")"
	"tree=$tree"
	"commit=$commit"
	"host_cpus=$(nproc) x ${cpu:-unknown CPU}, $memtotal RAM"
	"load_start=$load0"
	"load_end=$load1"
	"host_cpu_raw=$host_cpu_raw"
	"started=$started"
	"duration_s=$elapsed"
	"boots=$nboots"
	"runs=$runs"
	"rounds=$rounds"
	"arms=$arms_csv"
	"workloads=$workloads"
	"churn_secs=$churn_secs"
)
margs=()
for m in "${meta[@]}"; do margs+=(--meta "$m"); done
objdir=${BENCH_OBJDIR:-$PH_BUILD}
echo
rc=0
python3 "$S/bench-report.py" --dir "$dir" --objdir "$objdir" "${margs[@]}" \
	--host-cpu-runs "$dir/host-cpu-runs.txt" --diffconfig "$dir/diffconfig.txt" "$dir"/run-*.log || rc=$?
echo
[ $rc = 0 ] || ph_die "bench: mechanism check failed (results: $dir/results.txt)"
ph_log "bench: results in $dir/results.txt, results.json, plot.svg; publish with make bench-publish"
[ "$bench_profile" != 1 ] || ph_log "bench: per-function profile in $dir/profile.txt"
[ "${BENCH_PUBLISH:-0}" != 1 ] || bash "$S/bench-publish.sh"
