# SPDX-License-Identifier: GPL-2.0
# Soak: 1000 report/allocate cycles with a pattern checker; no corruption, no wrong claim.
. /tests/lib.sh
c0=$(vmstat zeroed_consumed)
/tests/soak 1000 4 || fail "corruption during the soak"
skipped=$(($(vmstat zeroed_consumed) - c0))
measured "soak: 1000 cycles, zeroing skipped for $skipped pages"
expect "the soak consumed known-zero pages (the feature was active)" [ "$skipped" -gt 0 ]
expect "no verify failure" [ "$(vmstat zeroed_verify_failed)" = 0 ]
