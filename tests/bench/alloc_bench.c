// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_bench: how long faulting in a fresh anonymous region takes right after free page
 * reporting handed the free memory to the host, and how many of its pages the allocator did
 * not have to zero (/proc/vmstat zeroed_consumed).
 *
 *   alloc_bench <MiB> thp|4k|hugetlb <rounds>
 *
 * A warm-up round dirties the region's worth of memory and frees it. Then every round flushes
 * page reporting, maps the region (MADV_HUGEPAGE or MADV_NOHUGEPAGE; for hugetlb, 2 MiB surplus
 * huge pages at fault time: MAP_HUGETLB | MAP_NORESERVE, the caller sets
 * nr_overcommit_hugepages), writes one byte per 4 KiB
 * page and stops the clock (CLOCK_MONOTONIC, mmap to last write; getrusage for system time),
 * checks that the last word of each page reads as zero (a spot check, not the whole page), and
 * unmaps it. One line per round:
 *
 *   BENCH workload=thp mib=512 round=1 ns=... sys_us=... user_us=... consumed=... pages=...
 *         huge_kb=...
 *
 * Exit 0 when every round ran, 1 on memory that is not zero, 2 on a setup error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define FLUSH "/sys/module/page_reporting/parameters/flush"
#define PAGE 4096UL

static void die(const char *what)
{
	fprintf(stderr, "alloc_bench: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* Report all free memory now; the benchmark means nothing without it. */
static void flush_reporting(void)
{
	static const char budget[] = "1048576";
	int fd = open(FLUSH, O_WRONLY);

	if (fd < 0)
		die("open " FLUSH);
	if (write(fd, budget, sizeof(budget) - 1) < 0)
		die("write " FLUSH);
	close(fd);
}

static long vmstat_read(const char *key)
{
	char name[64];
	long val, found = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		die("/proc/vmstat");
	while (fscanf(f, "%63s %ld", name, &val) == 2) {
		if (!strcmp(name, key)) {
			found = val;
			break;
		}
	}
	fclose(f);
	return found < 0 ? 0 : found;
}

/* kB of this process's anonymous memory backed by THPs. */
static long anon_huge_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long tv_us(const struct timeval *tv)
{
	return tv->tv_sec * 1000000LL + tv->tv_usec;
}

static int hugetlb;

static char *map(size_t len, int thp)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS |
		       (hugetlb ? MAP_HUGETLB | MAP_NORESERVE : 0), -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	if (hugetlb)
		return p;
	if (madvise(p, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		die("madvise");
	return p;
}

int main(int argc, char **argv)
{
	struct rusage ru0, ru1;
	char *p;
	size_t len, off;
	long c0, c1;
	long long t0, t1;
	int thp, rounds, r;

	if (argc != 4 || (strcmp(argv[2], "thp") && strcmp(argv[2], "4k") &&
			  strcmp(argv[2], "hugetlb"))) {
		fprintf(stderr, "usage: %s <MiB> thp|4k|hugetlb <rounds>\n", argv[0]);
		return 2;
	}
	hugetlb = !strcmp(argv[2], "hugetlb");
	len = strtoul(argv[1], NULL, 0) << 20;
	thp = !strcmp(argv[2], "thp");
	rounds = atoi(argv[3]);
	if (!len || rounds < 1) {
		fprintf(stderr, "alloc_bench: need a size and at least one round\n");
		return 2;
	}

	/* Warm-up: the free memory has held data before, as in a guest that has been running. */
	p = map(len, thp);
	memset(p, 0x5a, len);
	munmap(p, len);

	for (r = 1; r <= rounds; r++) {
		flush_reporting();
		c0 = vmstat_read("zeroed_consumed");
		getrusage(RUSAGE_SELF, &ru0);
		t0 = now_ns();
		p = map(len, thp);
		for (off = 0; off < len; off += PAGE)
			p[off] = 1;
		t1 = now_ns();
		getrusage(RUSAGE_SELF, &ru1);
		c1 = vmstat_read("zeroed_consumed");

		/* Not timed: what the allocator handed out must read as zero. */
		for (off = 0; off < len; off += PAGE) {
			const unsigned long *w = (const unsigned long *)(p + off + PAGE) - 1;

			if (*w) {
				printf("round %d: non-zero word 0x%lx at offset 0x%zx\n",
				       r, *w, off + PAGE - sizeof(*w));
				return 1;
			}
		}
		printf("BENCH workload=%s mib=%zu round=%d ns=%lld",
		       argv[2], len >> 20, r, t1 - t0);
		printf(" sys_us=%lld user_us=%lld",
		       tv_us(&ru1.ru_stime) - tv_us(&ru0.ru_stime),
		       tv_us(&ru1.ru_utime) - tv_us(&ru0.ru_utime));
		printf(" consumed=%ld pages=%zu huge_kb=%ld\n",
		       c1 - c0, len / PAGE, anon_huge_kb());
		fflush(stdout);
		munmap(p, len);
	}
	return 0;
}
