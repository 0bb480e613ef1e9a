// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_bench: how long populating a fresh anonymous region takes, right after free page
 * reporting handed the free memory to the host (or, nfpopulate, right after it was freed), and
 * how many of its pages the allocator did not have to zero.
 *
 *   alloc_bench [-F] <kind> <MiB> <mode> <rounds>
 *   alloc_bench [-F] <kind> <MiB> rss
 *
 * kind: thp (MADV_HUGEPAGE), 4k (MADV_NOHUGEPAGE) or hugetlb (2 MiB surplus huge pages at
 * fault time, MAP_HUGETLB | MAP_NORESERVE; the caller sets nr_overcommit_hugepages).
 * mode, each round timed from mmap to the end of the last write (CLOCK_MONOTONIC for ns=, this
 * process's CPU time for cpu_ns=):
 *   populate     flush reporting; mmap + MADV_POPULATE_WRITE (the original series' metric)
 *   firstwrite   flush; mmap + MADV_POPULATE_WRITE + write one byte per 4 KiB page
 *   fullwrite    flush; mmap + MADV_POPULATE_WRITE + memset of the whole region (the zero
 *                spot check runs between populate and memset with the clocks stopped)
 *   nfpopulate   as populate without the flush: before every round (untimed) the region's
 *                worth of memory is written and freed, so the round gets memory freed just
 *                now, not reported yet (the reporting worker runs 2 s after frees and may
 *                still catch some); the plain fault path
 *   rss          no BENCH line: flush; "RSS_MARK base"; flush again (the 2 s after a mark let
 *                claims go stale); mmap + populate; "RSS_MARK populated";
 *                memset; "RSS_MARK written"; munmap. Each mark goes straight to /dev/console
 *                (the runner holds back a test's stdout until it ends) and is followed by a
 *                2 s sleep, while the host samples the QEMU process's RSS.
 * A warm-up first dirties the region's worth of memory and frees it, as in a guest that has
 * been running. Untimed, the last word of every 4 KiB page must read zero, except in the limit
 * arm (pagehint_bench.noclear=1 on the command line), where this process writes its pid to
 * /sys/module/kernel/parameters/pagehint_bench_noclear_tgid around each timed window (and
 * around the populate of rss) so that the kernel does not clear its user pages there.
 * One line per round (see bench.h):
 *
 *   BENCH workload=thp-populate mib=512 round=1 ns=... cpu_ns=... consumed=... requested=...
 *         consumed0=... requested0=... pages=131072 huge_kb=...
 *
 * consumed/requested: /proc/vmstat zeroed_consumed/zeroed_requested deltas over the timed
 * window, consumed0/requested0 the same of their _order0 counters, -1 when the kernel lacks
 * the counter; huge_kb: AnonHugePages of this process with
 * the region mapped, -1 for hugetlb. -F: do not flush (a kernel without the knob; testing).
 * Exit 0 when every round ran, 1 on memory that is not zero, 2 on a setup error.
 */
#include <sys/mman.h>
#include "bench.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#define HPAGE (2UL << 20)

enum kind { THP, SMALL, HUGETLB };
enum mode { POPULATE, FIRSTWRITE, FULLWRITE, NFPOPULATE, RSS };

static const char *const kind_names[] = { "thp", "4k", "hugetlb" };
static const char *const mode_names[] = { "populate", "firstwrite", "fullwrite", "nfpopulate",
					  "rss" };

static enum kind kind;
static int no_flush;

static void die(const char *what)
{
	bench_die("alloc_bench", what);
}

static void flush_or_die(void)
{
	if (!no_flush && bench_flush())
		die("flush " BENCH_FLUSH);
}

/*
 * Map the region. thp and 4k: 2 MiB aligned (so the THP share does not depend on where mmap
 * put it), with the huge page advice; hugetlb: surplus huge pages, aligned by the kernel.
 */
static char *map(size_t len)
{
	size_t lead, trail;
	char *p;

	if (kind == HUGETLB) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			die("mmap hugetlb");
		return p;
	}
	p = mmap(NULL, len + HPAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	lead = (HPAGE - ((unsigned long)p & (HPAGE - 1))) & (HPAGE - 1);
	trail = HPAGE - lead;
	if (lead)
		munmap(p, lead);
	if (trail)
		munmap(p + lead + len, trail);
	p += lead;
	if (madvise(p, len, kind == THP ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		die("madvise");
	return p;
}

/* Write a region's worth of memory and free it (untimed). */
static void dirty(size_t len)
{
	char *p = map(len);

	memset(p, 0x5a, len);
	munmap(p, len);
}

/* Limit arm: this process's user pages are not cleared in between (no-op otherwise). */
static void noclear(int on)
{
	if (bench_noclear_set(on))
		die("write " BENCH_NOCLEAR);
}

static void populate(char *p, size_t len)
{
	if (madvise(p, len, MADV_POPULATE_WRITE))
		die("MADV_POPULATE_WRITE");
}

/* kB of this process's anonymous memory backed by THPs (hugetlb is not counted there: -1). */
static long anon_huge_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f;

	if (kind == HUGETLB)
		return -1;
	f = fopen("/proc/self/smaps_rollup", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* The untimed spot check: the last word of every 4 KiB page reads zero. */
static int reads_zero(const char *p, size_t len, int round)
{
	size_t off;

	for (off = 0; off < len; off += BENCH_PAGE) {
		const unsigned long *w = (const unsigned long *)(p + off + BENCH_PAGE) - 1;

		if (*w) {
			printf("round %d: non-zero word 0x%lx at offset 0x%zx\n",
			       round, *w, off + BENCH_PAGE - sizeof(*w));
			fflush(stdout);
			return 0;
		}
	}
	return 1;
}

/* "RSS_MARK <tag>" on the console, where the host driver sees it at once; then 2 s for it. */
static void rss_mark(const char *tag)
{
	char line[64];
	int fd, n;

	n = snprintf(line, sizeof(line), "RSS_MARK %s\n", tag);
	fd = open("/dev/console", O_WRONLY | O_NOCTTY);
	if (fd < 0 || write(fd, line, n) != n)
		fprintf(stderr, "alloc_bench: cannot write to /dev/console: %s", line);
	if (fd >= 0)
		close(fd);
	printf("rss: marked %s\n", tag);
	fflush(stdout);
	sleep(2);
}

static int rss_sequence(size_t len, int check)
{
	long c0, c1, huge_kb;
	char *p;

	flush_or_die();
	rss_mark("base");
	/*
	 * Again: frees during the 2 s (merging with reported blocks) drop claims, and populate
	 * must see what the timed modes see.
	 */
	flush_or_die();
	c0 = bench_vmstat("zeroed_consumed");
	noclear(1);
	p = map(len);
	populate(p, len);
	noclear(0);
	c1 = bench_vmstat("zeroed_consumed");
	huge_kb = anon_huge_kb();
	rss_mark("populated");
	if (check && !reads_zero(p, len, 1))
		return 1;
	memset(p, 0x5a, len);
	rss_mark("written");
	munmap(p, len);
	printf("rss: %s %zu MiB, zeroing skipped for %ld pages, huge_kb=%ld\n", kind_names[kind],
	       len >> 20, bench_delta(c0, c1), huge_kb);
	return 0;
}

static int parse(const char *s, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static void bad_usage(void)
{
	fprintf(stderr, "usage: alloc_bench [-F] thp|4k|hugetlb <MiB> populate|firstwrite|fullwrite|nfpopulate <rounds>\n"
			"       alloc_bench [-F] thp|4k|hugetlb <MiB> rss\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct bench_counters c0, c1;
	char workload[32], *p;
	size_t len, off;
	long long t0, t1, u0, u1, pause_ns, pause_cpu;
	int k, m, rounds = 1, r, check;

	if (argc > 1 && !strcmp(argv[1], "-F")) {
		no_flush = 1;
		argv++;
		argc--;
	}
	if (argc < 4)
		bad_usage();
	k = parse(argv[1], kind_names, 3);
	m = parse(argv[3], mode_names, 5);
	if (k < 0 || m < 0 || argc != (m == RSS ? 4 : 5))
		bad_usage();
	kind = k;
	len = strtoul(argv[2], NULL, 0) << 20;
	if (m != RSS)
		rounds = atoi(argv[4]);
	if (!len || rounds < 1 || (kind == HUGETLB && len % HPAGE)) {
		fprintf(stderr, "alloc_bench: need a size (whole 2 MiB pages for hugetlb) and at least one round\n");
		return 2;
	}
	if (!no_flush && !bench_can_flush() && m != NFPOPULATE) {
		errno = ENOENT;
		die("no " BENCH_FLUSH " (-F to run without)");
	}
	check = !bench_noclear();
	if (!check)
		printf("pagehint_bench.noclear=1: user pages are not cleared, no zero check\n");
	snprintf(workload, sizeof(workload), "%s-%s", kind_names[kind], mode_names[m]);

	/* Warm-up: the free memory has held data before, as in a guest that has been running. */
	dirty(len);
	if (m == RSS)
		return rss_sequence(len, check);

	for (r = 1; r <= rounds; r++) {
		/*
		 * nfpopulate: every round gets what the warm-up gives the first, memory that was
		 * written and freed just now, not yet reported (unless the reporting worker, 2 s
		 * after a free, runs meanwhile).
		 */
		if (m != NFPOPULATE)
			flush_or_die();
		else if (r > 1)
			dirty(len);
		pause_ns = 0;
		pause_cpu = 0;
		bench_counters_read(&c0);
		noclear(1);
		u0 = bench_cpu();
		t0 = bench_now();
		p = map(len);
		populate(p, len);
		if (m == FIRSTWRITE) {
			for (off = 0; off < len; off += BENCH_PAGE)
				p[off] = 1;
		} else if (m == FULLWRITE) {
			/* Check before memset overwrites the page; the clocks do not count it. */
			t1 = bench_now();
			u1 = bench_cpu();
			if (check && !reads_zero(p, len, r)) /* never in the limit arm */
				return 1;
			pause_cpu = bench_cpu() - u1;
			pause_ns = bench_now() - t1;
			memset(p, 0x5a, len);
		}
		t1 = bench_now();
		u1 = bench_cpu();
		noclear(0);
		bench_counters_read(&c1);

		/* Not timed: what the allocator handed out must read as zero. */
		if (m != FULLWRITE && check && !reads_zero(p, len, r))
			return 1;
		bench_line(workload, len >> 20, r, t1 - t0 - pause_ns, u1 - u0 - pause_cpu, &c0, &c1,
			   len / BENCH_PAGE, anon_huge_kb());
		munmap(p, len);
	}
	return 0;
}
