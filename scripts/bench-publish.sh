#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make bench-publish` (or BENCH_PUBLISH=1 make bench): keep the last `make bench` run in the
# tree and regenerate docs/BENCHMARKS.md from the newest wall-time run and the newest
# BENCH_ICOUNT=1 run kept there.
# Copies results.txt, results.json, plot.svg (with plot.dat and plot.gp), boots.txt (one
# summary line per boot; the console logs stay in the build directory), diffconfig.txt and
# host-cpu-runs.txt from $PH_BUILD/bench to docs/bench/<UTC date of the run>-<commit>/
# (-icount appended for a BENCH_ICOUNT=1 run), then runs scripts/bench-doc.py. Refuses a run
# whose mechanism check failed. Commit both to publish: README.md and the series quote
# benchmark numbers only from docs/BENCHMARKS.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$PH_BUILD/bench
for f in results.txt results.json boots.txt; do
	[ -f "$src/$f" ] || ph_die "no $src/$f: run make bench first"
done
read -r ok started commit kind < <(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
m = j.get("meta", {})
print(int(j["mechanism"]["ok"]), m.get("started", "")[:10] or "unknown", m.get("commit") or "unknown",
      "icount" if "icount" in m.get("accel", "") else "wall")
' "$src/results.json")
[ "$ok" = 1 ] || ph_die "the run in $src failed its mechanism check: not publishing it"
[ -f "$src/plot.svg" ] || ph_log "bench-publish: no plot.svg in $src (gnuplot missing?): publishing without it"
# A BENCH_ICOUNT=1 run is kept beside the wall-time runs; BENCHMARKS.md takes its no-regression
# verdicts from the newest one.
dest=docs/bench/$started-$commit
if [ "$kind" = icount ]; then dest+=-icount; fi
mkdir -p "$PH_TOP/$dest"
for f in results.txt results.json boots.txt plot.svg plot.dat plot.gp diffconfig.txt \
	host-cpu-runs.txt profile.txt; do
	[ -f "$src/$f" ] && cp "$src/$f" "$PH_TOP/$dest/"
done
python3 "$PH_TOP/scripts/bench-doc.py" --latest "$PH_TOP/docs/bench" > "$PH_TOP/docs/BENCHMARKS.md"
ph_log "bench-publish: $dest and docs/BENCHMARKS.md written; review and commit them"
