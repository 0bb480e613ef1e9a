# SPDX-License-Identifier: GPL-2.0
# make demo (scripts/demo.sh), after alloc_bench: how much free memory this boot reported to the
# host and how many allocations skipped zeroing, for the demo's screen.
. /tests/lib.sh
echo "REPORTED $(reported_pages)"
echo "CONSUMED $(vmstat zeroed_consumed)"
