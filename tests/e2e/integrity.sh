# SPDX-License-Identifier: GPL-2.0
# Pattern, free, report, re-allocate: userspace must only ever see zeros in fresh memory.
. /tests/lib.sh
/tests/zero_integrity 64 4 || fail "zero_integrity 64 MiB x4 (4K pages)"
echo "4K pages: ok"
/tests/zero_integrity 128 2 thp || fail "zero_integrity 128 MiB x2 (THP)"
echo "THP: ok"
