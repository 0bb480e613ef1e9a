// SPDX-License-Identifier: GPL-2.0
/*
 * fragment: fragment free memory at 4 KiB granularity and hold it that way.
 *
 *   fragment <MiB> <ready file>
 *
 * Faults in <MiB> of anonymous 4 KiB pages, gives every other page back (MADV_DONTNEED), so the
 * free memory left between the held pages cannot merge into larger blocks, creates <ready file>
 * and sleeps until it is killed. Order-0 allocations made meanwhile (a balloon inflating) land in
 * the holes, spread over the zone; once this process is gone, compaction has work to do.
 * Exit 2 on a setup error.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len, off;
	char *p;
	int fd;

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
	for (off = page; off < len; off += 2 * page)
		if (madvise(p + off, page, MADV_DONTNEED)) {
			perror("madvise");
			return 2;
		}
	fd = open(argv[2], O_WRONLY | O_CREAT, 0644);
	if (fd < 0) {
		perror(argv[2]);
		return 2;
	}
	close(fd);
	for (;;)
		pause();
}
