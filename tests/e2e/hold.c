// SPDX-License-Identifier: GPL-2.0
/*
 * hold: fill anonymous memory with a non-zero pattern and keep it until killed.
 *
 *   hold <MiB> <ready file> [rewrite]
 *
 * Creates <ready file> once every page holds the pattern, then sleeps until SIGTERM (the pages
 * go back to the allocator with their contents: the "previous owner's data" of the live
 * migration test). With "rewrite" it writes the whole range again and again (1 ms pauses), so
 * a precopy migration always has dirty pages left and cannot converge before the test says so.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec pause = { 0, 1000 * 1000 };
	size_t len;
	unsigned char v = 0x5a;
	char *p;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: %s <MiB> <ready file> [rewrite]\n", argv[0]);
		return 2;
	}
	len = strtoul(argv[1], NULL, 0) << 20;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	madvise(p, len, MADV_NOHUGEPAGE);
	memset(p, v, len);
	fd = open(argv[2], O_WRONLY | O_CREAT, 0644);
	if (fd < 0) {
		perror(argv[2]);
		return 2;
	}
	close(fd);
	for (;;) {
		if (argc > 3 && !strcmp(argv[3], "rewrite"))
			memset(p, ++v | 1, len);
		else
			pause.tv_sec = 3600;
		nanosleep(&pause, NULL);
	}
}
