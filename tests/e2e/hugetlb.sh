# SPDX-License-Identifier: GPL-2.0
# hugetlb hands out zeros on every allocation path, also when the huge pages held another
# user's data just before: pool pages at fault time, fresh surplus pages (allocated with
# __GFP_ZERO and the fault address), hugetlbfs fallocate, memfd pinned through /dev/udmabuf
# (memfd_alloc_folio) and, when a 1 GiB range can be had, gigantic surplus pages (contiguous
# allocation with the fault address). HPG_zeroed must never survive into the pool.
. /tests/lib.sh
H=/sys/kernel/mm/hugepages/hugepages-2048kB
G=/sys/kernel/mm/hugepages/hugepages-1048576kB
# CONFIG_HUGETLBFS is asserted by configure.sh: a missing hstate is a regression.
[ -d $H ] || fail "no 2 MiB hugetlb pages"
N=16
v0=$(vmstat zeroed_verify_failed)

pool() { echo "$1" > $H/nr_hugepages; [ "$(cat $H/nr_hugepages)" = "$1" ]; }
expect "pool of $N huge pages" pool $N
/tests/hugetlb_zero pool $N || fail "pool pages not zeroed"
/tests/hugetlb_zero fallocate $N || fail "fallocate pages not zeroed"
# CONFIG_UDMABUF is asserted by configure.sh: no /dev/udmabuf (exit 77) is a failure too.
/tests/hugetlb_zero udmabuf $N || fail "memfd pinned pages not zeroed (or no /dev/udmabuf)"

expect "pool emptied" pool 0
echo $((4 * N)) > $H/nr_overcommit_hugepages
/tests/hugetlb_zero surplus $((4 * N)) || fail "surplus pages not zeroed"
expect "surplus pages returned" [ "$(cat $H/surplus_hugepages)" = 0 ]
echo 0 > $H/nr_overcommit_hugepages

gigantic=0
grep -q 'pagehint.gigantic=1' /proc/cmdline && gigantic=1
[ -d $G ] || [ $gigantic = 0 ] || fail "pagehint.gigantic=1, but no 1 GiB hstate"
if [ -d $G ]; then
	echo 1 > $G/nr_overcommit_hugepages
	/tests/hugetlb_zero gigantic 1
	rc=$?
	echo 0 > $G/nr_overcommit_hugepages
	case $rc in
	0) [ $gigantic = 0 ] || measured "gigantic 1 GiB surplus page read zero after a dirty previous user" ;;
	2) # pagehint.gigantic=1 (the hugetlb scenario, 8 GiB) says a range must be free
	   grep -q 'pagehint.gigantic=1' /proc/cmdline && fail "no gigantic surplus page"
	   echo "gigantic path not covered: no free 1 GiB range" ;;
	*) fail "gigantic surplus page not zeroed" ;;
	esac
fi
expect "no verify failure" [ "$(vmstat zeroed_verify_failed)" = "$v0" ]
expect "no kernel splat" no_kernel_splat
