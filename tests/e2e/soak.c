// SPDX-License-Identifier: GPL-2.0
/*
 * soak: many report/allocate cycles with a pattern checker.
 *
 *   soak <cycles> <MiB per cycle>
 *
 * Each cycle maps fresh anonymous memory (THP where possible), checks that every byte reads
 * as zero, fills it with a pattern unique to the cycle, checks the pattern back (catching a
 * page that changes under us), frees it and asks page reporting to report it now. Exit 0
 * when every cycle was clean, 1 at the first corrupt byte.
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

static int flush_fd = -1;

static void flush_reporting(void)
{
	if (flush_fd >= 0 && pwrite(flush_fd, "4096", 4, 0) < 0)
		perror("flush");
}

int main(int argc, char **argv)
{
	unsigned long cycles, len, i, w;

	if (argc < 3) {
		fprintf(stderr, "usage: %s <cycles> <MiB per cycle>\n", argv[0]);
		return 2;
	}
	cycles = strtoul(argv[1], NULL, 0);
	len = strtoul(argv[2], NULL, 0) << 20;
	flush_fd = open("/sys/module/page_reporting/parameters/flush", O_WRONLY);

	for (i = 0; i < cycles; i++) {
		unsigned long pattern = 0x5a5a000000000000UL | i;
		unsigned long *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			return 2;
		}
		madvise(p, len, MADV_HUGEPAGE);
		if (madvise(p, len, MADV_POPULATE_WRITE)) {
			perror("MADV_POPULATE_WRITE");
			return 2;
		}
		for (w = 0; w < len / sizeof(*p); w++) {
			if (p[w]) {
				printf("cycle %lu: fresh memory holds 0x%lx at offset 0x%lx\n",
				       i, p[w], w * sizeof(*p));
				return 1;
			}
		}
		for (w = 0; w < len / sizeof(*p); w++)
			p[w] = pattern ^ w;
		for (w = 0; w < len / sizeof(*p); w++) {
			if (p[w] != (pattern ^ w)) {
				printf("cycle %lu: pattern changed at offset 0x%lx\n",
				       i, w * sizeof(*p));
				return 1;
			}
		}
		munmap(p, len);
		flush_reporting();
	}
	printf("%lu cycles of %lu MiB: no corruption\n", cycles, len >> 20);
	return 0;
}
