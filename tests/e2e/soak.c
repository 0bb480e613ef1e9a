// SPDX-License-Identifier: GPL-2.0
/*
 * soak: many report/allocate cycles with a pattern checker.
 *
 *   soak <cycles> <MiB per cycle> [mix <guest MiB> <balloon MiB>]
 *
 * Each cycle maps fresh anonymous memory (THP where possible), checks that every byte reads
 * as zero, fills it with a pattern unique to the cycle, checks the pattern back (catching a
 * page that changes under us), frees it and asks page reporting to report it now. Exit 0
 * when every cycle was clean, 1 at the first corrupt byte.
 *
 * mix: the cycles take turns with THP, 4K pages and hugetlb pages (MAP_HUGETLB: surplus huge
 * pages when the pool is empty and nr_overcommit_hugepages allows them; a failed hugetlb map
 * falls back to 4K and is counted), every 64th cycle compacts all memory
 * (/proc/sys/vm/compact_memory), and every 256th cycle asks the host driver on the console to
 * inflate the balloon by <balloon MiB> or deflate it again (target <guest MiB>), without
 * waiting for it: the balloon moves while the cycles go on. Prints what it did.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MAP_HUGETLB
#define MAP_HUGETLB 0x40000
#endif

enum kind { THP, SMALL, HUGETLB, NKINDS };
static const char *const kind_name[NKINDS] = { "THP", "4K", "hugetlb" };

static int flush_fd = -1;

static void flush_reporting(void)
{
	if (flush_fd >= 0 && pwrite(flush_fd, "4096", 4, 0) < 0)
		perror("flush");
}

static void compact(void)
{
	int fd = open("/proc/sys/vm/compact_memory", O_WRONLY);

	if (fd < 0 || write(fd, "1", 1) != 1)
		perror("compact_memory");
	if (fd >= 0)
		close(fd);
}

/* Ask tests/host/balloon-driver.sh for a balloon target (guest memory size in MiB). */
static void host_balloon(unsigned long mib)
{
	FILE *f = fopen("/dev/console", "w");

	if (!f) {
		perror("/dev/console");
		return;
	}
	fprintf(f, "pagehint-host: balloon %lu\n", mib);
	fclose(f);
}

/* Fresh memory of the given kind, populated; NULL when a hugetlb map cannot be had. */
static unsigned long *map_kind(unsigned long len, enum kind k)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | (k == HUGETLB ? MAP_HUGETLB : 0);
	unsigned long *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);

	if (p == MAP_FAILED) {
		if (k == HUGETLB)
			return NULL;
		perror("mmap");
		exit(2);
	}
	if (k != HUGETLB)
		madvise(p, len, k == THP ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	if (madvise(p, len, MADV_POPULATE_WRITE)) {
		if (k == HUGETLB) {
			munmap(p, len);
			return NULL;
		}
		perror("MADV_POPULATE_WRITE");
		exit(2);
	}
	return p;
}

int main(int argc, char **argv)
{
	unsigned long cycles, len, i, w, mem_mib = 0, take_mib = 0;
	unsigned long done[NKINDS] = { 0 }, hugetlb_failed = 0, compactions = 0, balloons = 0;
	int mix = argc > 3 && !strcmp(argv[3], "mix");

	if (argc < 3 || (mix && argc < 6)) {
		fprintf(stderr, "usage: %s <cycles> <MiB per cycle> [mix <guest MiB> <balloon MiB>]\n",
			argv[0]);
		return 2;
	}
	cycles = strtoul(argv[1], NULL, 0);
	len = strtoul(argv[2], NULL, 0) << 20;
	if (mix) {
		mem_mib = strtoul(argv[4], NULL, 0);
		take_mib = strtoul(argv[5], NULL, 0);
		len = (len + (2UL << 20) - 1) & ~((2UL << 20) - 1);
	}
	flush_fd = open("/sys/kernel/debug/page_reporting/flush", O_WRONLY);

	for (i = 0; i < cycles; i++) {
		unsigned long pattern = 0x5a5a000000000000UL | i;
		enum kind k = mix ? (enum kind)(i % NKINDS) : THP;
		unsigned long *p;

		if (mix && i % 64 == 63) {
			compact();
			compactions++;
		}
		if (mix && i % 256 == 128) {
			host_balloon(balloons % 2 ? mem_mib : mem_mib - take_mib);
			balloons++;
		}
		p = map_kind(len, k);
		if (!p) {
			hugetlb_failed++;
			k = SMALL;
			p = map_kind(len, k);
		}
		done[k]++;
		for (w = 0; w < len / sizeof(*p); w++) {
			if (p[w]) {
				printf("cycle %lu (%s): fresh memory holds 0x%lx at offset 0x%lx\n",
				       i, kind_name[k], p[w], w * sizeof(*p));
				return 1;
			}
		}
		for (w = 0; w < len / sizeof(*p); w++)
			p[w] = pattern ^ w;
		for (w = 0; w < len / sizeof(*p); w++) {
			if (p[w] != (pattern ^ w)) {
				printf("cycle %lu (%s): pattern changed at offset 0x%lx\n",
				       i, kind_name[k], w * sizeof(*p));
				return 1;
			}
		}
		munmap(p, len);
		flush_reporting();
	}
	printf("%lu cycles of %lu MiB: no corruption\n", cycles, len >> 20);
	if (mix) {
		printf("cycles: %lu THP, %lu 4K, %lu hugetlb (%lu hugetlb maps failed, done as 4K)\n",
		       done[THP], done[SMALL], done[HUGETLB], hugetlb_failed);
		printf("compactions: %lu, balloon requests: %lu\n", compactions, balloons);
		/* Leave the balloon deflated. */
		if (balloons % 2)
			host_balloon(mem_mib);
	}
	return 0;
}
