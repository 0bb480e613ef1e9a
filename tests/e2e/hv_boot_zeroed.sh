# SPDX-License-Identifier: GPL-2.0
# Boot-zeroed memory from a host that answers HvExtCallGetBootZeroedMemory (scenario
# hyperv-boot-zeroed): the claim marked free memory, allocations used the marks, and verify mode
# found every page it checked zero.
. /tests/lib.sh
line=$(dmesg | grep 'hv_balloon_zeroed: [0-9]* free pages known zero' | tail -n1)
[ -n "$line" ] || fail "no boot-zeroed claim in dmesg: $(dmesg | grep hv_balloon_zeroed | tail -n3)"
marked=$(echo "$line" | sed 's/.*hv_balloon_zeroed: \([0-9]*\) free pages.*/\1/')
measured "boot-zeroed claim: $marked free pages marked known-zero"
expect "the claim marked at least 64 MiB ($marked pages)" [ "$marked" -ge 16384 ]
expect "zeroed_marked_range counts the claim" [ "$(vmstat zeroed_marked_range)" -ge "$marked" ]
before=$(vmstat zeroed_consumed)
/tests/zero_integrity 256 1 || fail "zero_integrity 256 MiB (4K pages)"
used=$(($(vmstat zeroed_consumed) - before))
measured "boot-zeroed: zeroing skipped for $used pages of a 256 MiB populate"
expect "allocations used the claim" [ "$used" -gt 0 ]
expect "verify mode found no wrong claim" [ "$(vmstat zeroed_verify_failed)" = 0 ]
