// SPDX-License-Identifier: GPL-2.0
/*
 * hugetlb_zero: every way a hugetlb folio reaches user space must hand out zeros, also when the
 * folio's previous user left a pattern in it. Each mode first dirties the huge pages it is about
 * to get back (fill with a pattern, release), then allocates them through one path and checks
 * every byte.
 *
 *   hugetlb_zero pool <n>       persistent pool pages, page fault
 *   hugetlb_zero surplus <n> [nodirty]
 *                               fresh surplus pages at fault time (MAP_NORESERVE); nodirty
 *                               skips the dirtying round, so that the pages can come from
 *                               blocks free page reporting just handed to the host
 *   hugetlb_zero fallocate <n>  hugetlbfs fallocate() of a hugetlb memfd, then mmap
 *   hugetlb_zero udmabuf <n>    memfd pinned by /dev/udmabuf (memfd_alloc_folio()), then mmap
 *   hugetlb_zero gigantic <n>   1 GiB surplus pages at fault time (MAP_NORESERVE)
 *
 * <n> huge pages of the default size (2 MiB), or 1 GiB for gigantic. The caller sets up the pool
 * (nr_hugepages, nr_overcommit_hugepages). Exit 0: only zeros; 1: a non-zero byte (printed);
 * 2: setup failed; 77: the path is not available in this kernel (e.g. no /dev/udmabuf).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MFD_HUGETLB
#define MFD_HUGETLB 0x0004U
#endif
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#define MAP_HUGE_1GB (30 << MAP_HUGE_SHIFT)
#define MFD_HUGE_1GB MAP_HUGE_1GB

/* include/uapi/linux/udmabuf.h */
struct udmabuf_create {
	uint32_t memfd;
	uint32_t flags;
	uint64_t offset;
	uint64_t size;
};
#define UDMABUF_CREATE _IOW('u', 0x42, struct udmabuf_create)
#define UDMABUF_FLAGS_CLOEXEC 0x01

#define PATTERN 0xa5

static size_t hpage = 2UL << 20;

static int die(const char *what)
{
	fprintf(stderr, "hugetlb_zero: %s: %s\n", what, strerror(errno));
	return 2;
}

/* Every byte of [p, p + len) reads as zero; report the first that does not. */
static int check_zero(const char *mode, const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += sizeof(uint64_t)) {
		if (*(const uint64_t *)(p + i)) {
			while (!p[i])
				i++;
			printf("FAIL %s: byte 0x%02x at offset %zu (huge page %zu)\n", mode, p[i], i,
			       i / hpage);
			return 1;
		}
	}
	printf("ok %s: %zu MiB read as zero\n", mode, len >> 20);
	return 0;
}

static void *map_huge(size_t len, int extra)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | extra, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * Fill @n huge pages with the pattern and release them: the pool (or, for surplus pages, the
 * buddy allocator) holds dirty memory afterwards.
 */
static int dirty(size_t len, int extra)
{
	unsigned char *p = map_huge(len, extra);

	if (!p)
		return die("mmap (dirty)");
	if (madvise(p, len, MADV_POPULATE_WRITE))
		return die("populate (dirty)");
	memset(p, PATTERN, len);
	munmap(p, len);
	return 0;
}

static int fault_mode(const char *mode, size_t len, int extra, int nodirty)
{
	unsigned char *p;
	int ret = nodirty ? 0 : dirty(len, extra);

	if (ret)
		return ret;
	p = map_huge(len, extra);
	if (!p)
		return die("mmap");
	/* An error instead of SIGBUS when no huge page can be had */
	if (madvise(p, len, MADV_POPULATE_WRITE))
		return die("populate");
	ret = check_zero(mode, p, len);
	munmap(p, len);
	return ret;
}

static int memfd_huge(size_t len, unsigned int flags)
{
	int fd = memfd_create("hugetlb_zero", MFD_HUGETLB | flags);

	if (fd < 0)
		return -1;
	if (ftruncate(fd, len)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int check_memfd(const char *mode, int fd, size_t len)
{
	unsigned char *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	int ret;

	if (p == MAP_FAILED)
		return die("mmap memfd");
	ret = check_zero(mode, p, len);
	munmap(p, len);
	return ret;
}

static int fallocate_mode(size_t len)
{
	int fd, ret = dirty(len, 0);

	if (ret)
		return ret;
	fd = memfd_huge(len, 0);
	if (fd < 0)
		return die("memfd_create");
	if (fallocate(fd, 0, 0, len))
		return die("fallocate");
	ret = check_memfd("fallocate", fd, len);
	close(fd);
	return ret;
}

static int udmabuf_mode(size_t len)
{
	struct udmabuf_create create = { .flags = UDMABUF_FLAGS_CLOEXEC, .size = len };
	int dev, fd, buf, ret;

	dev = open("/dev/udmabuf", O_RDWR);
	if (dev < 0) {
		printf("skip udmabuf: /dev/udmabuf: %s\n", strerror(errno));
		return 77;
	}
	ret = dirty(len, 0);
	if (ret)
		return ret;
	fd = memfd_huge(len, MFD_ALLOW_SEALING);
	if (fd < 0)
		return die("memfd_create");
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK))
		return die("F_SEAL_SHRINK");
	create.memfd = fd;
	/* Pins every huge page of the empty memfd: memfd_alloc_folio() allocates them */
	buf = ioctl(dev, UDMABUF_CREATE, &create);
	if (buf < 0)
		return die("UDMABUF_CREATE");
	ret = check_memfd("udmabuf", fd, len);
	close(buf);
	close(fd);
	close(dev);
	return ret;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	long n = argc > 2 ? atol(argv[2]) : 0;
	int nodirty = argc > 3 && !strcmp(argv[3], "nodirty");

	if (n <= 0) {
		fprintf(stderr, "usage: hugetlb_zero pool|surplus|fallocate|udmabuf|gigantic <n>\n");
		return 2;
	}
	if (!strcmp(mode, "gigantic")) {
		hpage = 1UL << 30;
		return fault_mode(mode, n * hpage, MAP_NORESERVE | MAP_HUGE_1GB, 0);
	}
	if (!strcmp(mode, "pool"))
		return fault_mode(mode, n * hpage, 0, 0);
	if (!strcmp(mode, "surplus"))
		return fault_mode(mode, n * hpage, MAP_NORESERVE, nodirty);
	if (!strcmp(mode, "fallocate"))
		return fallocate_mode(n * hpage);
	if (!strcmp(mode, "udmabuf"))
		return udmabuf_mode(n * hpage);
	fprintf(stderr, "hugetlb_zero: unknown mode %s\n", mode);
	return 2;
}
