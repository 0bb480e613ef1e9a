// SPDX-License-Identifier: GPL-2.0
/*
 * zero_integrity: fill memory with a pattern, free it, let free page reporting hand it to the
 * host, then allocate again and check that every byte of the new memory reads as zero.
 *
 *   zero_integrity <MiB> <rounds> [thp]
 *
 * Exit 0 when every round saw only zeros, 1 on the first non-zero byte (with its offset), 3
 * when a thp run's first round is less than 90% THP-backed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define FLUSH "/sys/kernel/debug/page_reporting/flush"

static void flush_reporting(void)
{
	int fd = open(FLUSH, O_WRONLY);

	if (fd < 0)
		return;
	if (write(fd, "1048576", 7) < 0)
		perror("flush");
	close(fd);
}

/* kB of the process's anonymous memory that is backed by THPs right now. */
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

static char *map(size_t len, int thp)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	/* Choose the page size first, then fault everything in at once. */
	madvise(p, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	if (madvise(p, len, MADV_POPULATE_WRITE)) {
		perror("MADV_POPULATE_WRITE");
		exit(2);
	}
	return p;
}

int main(int argc, char **argv)
{
	size_t len, off;
	int rounds, thp, r;

	if (argc < 3) {
		fprintf(stderr, "usage: %s <MiB> <rounds> [thp]\n", argv[0]);
		return 2;
	}
	len = strtoul(argv[1], NULL, 0) << 20;
	rounds = atoi(argv[2]);
	thp = argc > 3 && !strcmp(argv[3], "thp");

	for (r = 0; r < rounds; r++) {
		char *p = map(len, thp);
		const unsigned long *w = (const unsigned long *)p;

		for (off = 0; off < len / sizeof(*w); off++) {
			if (w[off]) {
				printf("round %d: non-zero word 0x%lx at offset 0x%zx\n",
				       r, w[off], off * sizeof(*w));
				return 1;
			}
		}
		if (thp && r == 0) {
			long kb = anon_huge_kb();

			printf("THP-backed: %ld of %zu kB\n", kb, len >> 10);
			/* A "THP" round on 4K pages would test the wrong path. */
			if (kb < 0 || (size_t)kb * 10 < (len >> 10) * 9) {
				printf("less than 90%% THP-backed\n");
				return 3;
			}
		}
		memset(p, 0xa5 + r, len);
		munmap(p, len);
		flush_reporting();
	}
	printf("%d rounds of %zu MiB%s: all zero\n", rounds, len >> 20, thp ? " (THP)" : "");
	return 0;
}
