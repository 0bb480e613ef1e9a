# SPDX-License-Identifier: GPL-2.0
# Guest side of `make bench` (scripts/bench.sh): run the workloads named on the kernel command
# line and print the lines scripts/bench-report.py reads from the console log (the runner
# prefixes each line of this test's output with "# ").
#   pagehint.bench=<spec>            the workloads, in order (below)
#   pagehint.bench_rounds=3          timed rounds per workload and mode (pf1, forkexec too)
#   pagehint.bench_arm=on|off|limit|nohit|cfgoff|vanilla   echoed as ARM (the guest cannot tell)
#   pagehint.bench_churn_secs=60     how long churn runs
#   pagehint_bench.noclear=1         the limit arm, a flag for our programs (the kernel ignores
#                                    it): the measuring ones write their pid to NOCLEAR (the
#                                    bench-only kernel patch leaves that process's user pages
#                                    uncleared) around their timed windows, and no zero spot
#                                    check runs
# <spec> is a comma-separated list of entries:
#   <kind>:<MiB>[:<mode>[+<mode>...]]   alloc_bench on a region of that size, once per mode
#       kind thp (MADV_HUGEPAGE), 4k (MADV_NOHUGEPAGE) or hugetlb (2 MiB surplus pages;
#       nr_overcommit_hugepages is set here); mode populate (the default), firstwrite,
#       fullwrite or nfpopulate (see alloc_bench.c); BENCH workload=<kind>-<mode>
#   pf1[:<iterations>]     fault_bench pf1, 4 iterations per round by default; BENCH workload=pf1
#   forkexec[:<count>]     fault_bench forkexec, 200 per round by default; BENCH workload=forkexec
#   rss[:<kind>:<MiB>]     the RSS_MARK base/populated/written sequence, thp:512 by default
#   churn                  churn.c for pagehint.bench_churn_secs in a tmpfs; one CHURN line
#   none                   nothing: the baseline boot a BENCH_PROFILE=1 profile is taken against
# e.g. (2.5 min per boot of the bench kernel under TCG with churn at 60 s, 3.5 min of the test one)
#   thp:512:populate+fullwrite+nfpopulate,4k:512:populate,4k:256:nfpopulate,hugetlb:256:populate,
#   pf1:2,forkexec:100,rss,churn
# Prints, in this order: ARM, FEATURES, MARKED (zeroed_marked_report after a flush), each
# workload's lines (BENCH, CHURN; RSS_MARK goes straight to /dev/console), MARKED again and
# VERIFY_FAILED. A workload that needs the flush knob (every <kind> mode but nfpopulate, and
# rss) prints "SKIP workload=<name> reason=needs_flush" on a kernel without it (vanilla); a
# counter the kernel lacks (vanilla: every zeroed_* one) is not printed, or is -1 in a line.
. /tests/lib.sh

spec=$(cmdline_arg pagehint.bench | tr ',' ' ')
rounds=$(cmdline_arg pagehint.bench_rounds 3)
arm=$(cmdline_arg pagehint.bench_arm unknown)
churn_secs=$(cmdline_arg pagehint.bench_churn_secs 60)
noclear=$(cmdline_arg pagehint_bench.noclear 0)
HP=/sys/kernel/mm/hugepages/hugepages-2048kB
NOCLEAR=/sys/module/kernel/parameters/pagehint_bench_noclear_tgid

[ -n "$spec" ] || fail "no workloads (pagehint.bench=<spec>, see tests/bench/alloc_bench.sh)"
case $rounds in '' | *[!0-9]* | 0) fail "pagehint.bench_rounds must be a positive integer" ;; esac
case $churn_secs in '' | *[!0-9]* | 0) fail "pagehint.bench_churn_secs must be a positive integer" ;; esac
# The arm the host meant must be the kernel and command line it booted.
case $arm in
on | off | limit | nohit | cfgoff | vanilla) ;;
*) fail "pagehint.bench_arm must be on, off, limit, nohit, cfgoff or vanilla, not '$arm'" ;;
esac
[ -w "$FLUSH" ] || [ "$arm" = vanilla ] || [ "$arm" = cfgoff ] ||
	fail "arm $arm: no $FLUSH (a vanilla kernel?)"
[ "$arm" = limit ] && [ "$noclear" != 1 ] && fail "arm limit without pagehint_bench.noclear=1"
[ "$arm" != limit ] && [ "$noclear" = 1 ] && fail "pagehint_bench.noclear=1 in arm $arm"
[ "$arm" != limit ] || [ -w $NOCLEAR ] || fail "arm limit: no $NOCLEAR (not the bench kernel?)"

# has_counter <name>: the kernel has this /proc/vmstat counter (vanilla has no zeroed_*).
has_counter() { grep -q "^$1 " /proc/vmstat; }
can_flush() { [ -w "$FLUSH" ]; }
uptime_cs() { awk '{ sub(/\./, "", $1); print $1 + 0 }' /proc/uptime; }
# timed <label> <command...>: run it, fail the test when it fails, say how long it took.
timed() {
	local label=$1 t0 rc
	shift
	t0=$(uptime_cs)
	"$@"
	rc=$?
	[ $rc = 0 ] || fail "$label: $* (exit $rc)"
	t0=$(($(uptime_cs) - t0))
	echo "took $label $((t0 / 100)).$((t0 / 10 % 10)) s"
}
check_num() { case $2 in '' | *[!0-9]* | 0) fail "$1: '$2' is not a positive number" ;; esac; }

# alloc <kind> <MiB> <modes>: one alloc_bench run per mode.
alloc() {
	local kind=$1 mib=$2 modes=$3 m
	case $kind in thp | 4k | hugetlb) ;; *) fail "unknown workload kind '$kind'" ;; esac
	check_num "$kind:$mib" "$mib"
	if [ "$kind" = hugetlb ]; then
		[ -d $HP ] || fail "no 2 MiB huge pages ($HP)"
		[ $((mib % 2)) = 0 ] || fail "hugetlb:$mib: not whole 2 MiB pages"
		# Surplus huge pages allocated at fault time, as many as the region needs.
		echo $((mib / 2)) > $HP/nr_overcommit_hugepages || fail "nr_overcommit_hugepages"
	fi
	for m in $(echo "${modes:-populate}" | tr '+' ' '); do
		case $m in
		populate | firstwrite | fullwrite | nfpopulate) ;;
		*) fail "unknown mode '$m' in $kind:$mib" ;;
		esac
		if [ "$m" != nfpopulate ] && ! can_flush; then
			echo "SKIP workload=$kind-$m reason=needs_flush"
			continue
		fi
		timed "$kind-$m" /tests/alloc_bench "$kind" "$mib" "$m" "$rounds"
	done
	[ "$kind" != hugetlb ] || echo 0 > $HP/nr_overcommit_hugepages
}

rss() {
	local kind=${1:-thp} mib=${2:-512}
	case $kind in thp | 4k | hugetlb) ;; *) fail "unknown rss kind '$kind'" ;; esac
	check_num "rss:$kind:$mib" "$mib"
	if ! can_flush; then
		echo "SKIP workload=rss reason=needs_flush"
		return
	fi
	[ "$kind" != hugetlb ] || echo $((mib / 2)) > $HP/nr_overcommit_hugepages
	timed rss /tests/alloc_bench "$kind" "$mib" rss
	[ "$kind" != hugetlb ] || echo 0 > $HP/nr_overcommit_hugepages
}

# churn: page cache files go to a tmpfs of their own (at most 6 files of 32 MiB).
churn() {
	local d=/tmp/churn
	mkdir -p $d && mount -t tmpfs -o size=256m churn $d || fail "cannot mount a tmpfs on $d"
	timed churn /tests/churn "$churn_secs" $d
	umount $d
}

echo "ARM $arm"
echo "FEATURES $(balloon_features || echo none)"
can_flush && flush_reporting
has_counter zeroed_marked_report && echo "MARKED $(vmstat zeroed_marked_report)"
for w in $spec; do
	# name[:a[:b]]
	name=${w%%:*} a= b=
	case $w in *:*) a=${w#*:} ;; esac
	case $a in *:*) b=${a#*:} a=${a%%:*} ;; esac
	case $name in
	thp | 4k | hugetlb) alloc "$name" "$a" "$b" ;;
	pf1)
		check_num "$w" "${a:-4}"
		timed pf1 /tests/fault_bench pf1 "$rounds" "${a:-4}"
		;;
	forkexec)
		check_num "$w" "${a:-200}"
		timed forkexec /tests/fault_bench forkexec "$rounds" "${a:-200}"
		;;
	rss) rss "$a" "$b" ;;
	churn) churn ;;
	none) ;;
	*) fail "unknown workload '$w'" ;;
	esac
done
has_counter zeroed_marked_report && echo "MARKED $(vmstat zeroed_marked_report)"
has_counter zeroed_verify_failed && echo "VERIFY_FAILED $(vmstat zeroed_verify_failed)"
exit 0
