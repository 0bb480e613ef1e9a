// SPDX-License-Identifier: GPL-2.0
/*
 * fragment: fragment free memory at 4 KiB granularity and hold it that way.
 *
 *   fragment <MiB> <ready file>
 *
 * Faults in <MiB> of anonymous 4 KiB pages and gives every page with an odd PFN back
 * (MADV_DONTNEED; /proc/self/pagemap tells the PFN), so the freed pages cannot merge with their
 * held buddies into larger blocks. Without PFNs (no pagemap, no CAP_SYS_ADMIN) every other
 * virtual page is given back instead. Then creates <ready file> and sleeps until it is killed.
 * Order-0 allocations made meanwhile (a balloon inflating) land in the holes, spread over the
 * zone; once this process is gone, compaction has work to do. Exit 2 on a setup error.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define PM_PRESENT	(1ULL << 63)
#define PM_PFN_MASK	((1ULL << 55) - 1)

/* Whether to give back the page at index @i: odd PFN, or odd index without PFNs. */
static int give_back(int pagemap, const char *p, long page, size_t i)
{
	uint64_t e;
	off_t where = (off_t)((uintptr_t)p / page + i) * sizeof(e);

	if (pagemap < 0 || pread(pagemap, &e, sizeof(e), where) != sizeof(e) ||
	    !(e & PM_PRESENT) || !(e & PM_PFN_MASK))
		return i & 1;
	return (e & PM_PFN_MASK) & 1;
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len, off, i, freed = 0;
	int fd, pagemap;
	char *p;

	if (argc != 3) {
		fprintf(stderr, "usage: fragment <MiB> <ready file>\n");
		return 2;
	}
	len = strtoul(argv[1], NULL, 0) << 20;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	madvise(p, len, MADV_NOHUGEPAGE);
	if (madvise(p, len, MADV_POPULATE_WRITE))
		for (off = 0; off < len; off += page)
			p[off] = 1;
	pagemap = open("/proc/self/pagemap", O_RDONLY);
	for (i = 0; i < len / page; i++) {
		if (!give_back(pagemap, p, page, i))
			continue;
		if (madvise(p + i * page, page, MADV_DONTNEED)) {
			perror("madvise");
			return 2;
		}
		freed++;
	}
	if (pagemap >= 0)
		close(pagemap);
	printf("fragment: gave back %zu of %zu pages\n", freed, len / page);
	fflush(stdout);
	fd = open(argv[2], O_WRONLY | O_CREAT, 0644);
	if (fd < 0) {
		perror(argv[2]);
		return 2;
	}
	close(fd);
	for (;;)
		pause();
}
