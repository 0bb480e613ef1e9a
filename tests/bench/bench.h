/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the guest programs of `make bench` (alloc_bench, fault_bench, churn):
 * counters, the reporting flush, clocks and the BENCH console line. Every C file here is
 * built on its own (static, scripts/build-initramfs.sh), so everything here is static inline.
 */
#ifndef PAGEHINT_BENCH_H
#define PAGEHINT_BENCH_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

#define BENCH_FLUSH "/sys/kernel/debug/page_reporting/flush"
#define BENCH_PAGE 4096UL

static inline void bench_die(const char *prog, const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	fflush(stdout);
	exit(2);
}

/*
 * The value of a /proc/vmstat counter, or -1 when the kernel does not have it (vanilla has no
 * zeroed_* counters; zeroed_requested* arrive with a later series version). -1 is what the
 * BENCH and CHURN lines print for an absent counter, so absent never reads as 0.
 */
static inline long bench_vmstat(const char *key)
{
	char name[64];
	long val, found = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", name, &val) == 2) {
		if (!strcmp(name, key)) {
			found = val;
			break;
		}
	}
	fclose(f);
	return found;
}

/* b - a, or -1 when either side is absent. */
static inline long bench_delta(long a, long b)
{
	return a < 0 || b < 0 ? -1 : b - a;
}

/* Whether the kernel can flush page reporting on demand (not vanilla, not a plain host). */
static inline int bench_can_flush(void)
{
	return access(BENCH_FLUSH, W_OK) == 0;
}

/* Report all free memory now (synchronous); a budget of 4 GiB covers the 2 GiB guest. */
static inline int bench_flush(void)
{
	static const char budget[] = "1048576";
	int fd = open(BENCH_FLUSH, O_WRONLY);
	int ret = 0;

	if (fd < 0)
		return -1;
	if (write(fd, budget, sizeof(budget) - 1) < 0)
		ret = -1;
	close(fd);
	return ret;
}

/* Whether the kernel command line holds exactly this word, e.g. pagehint_bench.noclear=1. */
static inline int bench_cmdline_has(const char *word)
{
	char buf[4096], *tok, *save;
	size_t n;
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save))
		if (!strcmp(tok, word))
			return 1;
	return 0;
}

/*
 * The limit arm: pagehint_bench.noclear=1 on the command line is a flag for these programs only
 * (the kernel ignores it). The bench-only kernel patch (tests/bench/kernel/) hands out the user
 * pages of the one task group whose pid is in BENCH_NOCLEAR without clearing them, so fresh
 * memory is not zero there and the zero spot checks must not run.
 */
#define BENCH_NOCLEAR "/sys/module/kernel/parameters/pagehint_bench_noclear_tgid"

static inline int bench_noclear(void)
{
	return bench_cmdline_has("pagehint_bench.noclear=1");
}

/*
 * Limit arm: let this process's user pages go uncleared (on) or not (off). Only around timed
 * windows that call no allocating libc function: glibc takes fresh heap, thread stacks and
 * calloc memory to read zero. A no-op in the other arms; -1 when the kernel lacks the knob.
 */
static inline int bench_noclear_set(int on)
{
	char buf[24];
	int fd, n, ret = 0;

	if (!bench_noclear())
		return 0;
	n = snprintf(buf, sizeof(buf), "%d", on ? (int)getpid() : 0);
	fd = open(BENCH_NOCLEAR, O_WRONLY);
	if (fd < 0)
		return -1;
	if (write(fd, buf, n) != n)
		ret = -1;
	close(fd);
	return ret;
}

static inline long long bench_clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Wall time. */
static inline long long bench_now(void)
{
	return bench_clock_ns(CLOCK_MONOTONIC);
}

/* CPU time (user + system) of every thread of this process. */
static inline long long bench_cpu(void)
{
	return bench_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}

/* CPU time (user + system) of the children this process has waited for. */
static inline long long bench_children_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
}

/* The zeroing counters around a timed window. */
struct bench_counters {
	long consumed;
	long requested;
	long consumed0;		/* order-0 only */
	long requested0;
};

static inline void bench_counters_read(struct bench_counters *c)
{
	c->consumed = bench_vmstat("zeroed_consumed");
	c->requested = bench_vmstat("zeroed_requested");
	c->consumed0 = bench_vmstat("zeroed_consumed_order0");
	c->requested0 = bench_vmstat("zeroed_requested_order0");
}

/*
 * The protocol's BENCH line (scripts/bench-report.py parses it). The guest runner prefixes
 * every line of a test's output with "# " on the console.
 */
static inline void bench_line(const char *workload, unsigned long mib, int round, long long ns,
			      long long cpu_ns, const struct bench_counters *c0,
			      const struct bench_counters *c1, unsigned long pages, long huge_kb)
{
	printf("BENCH workload=%s mib=%lu round=%d ns=%lld cpu_ns=%lld consumed=%ld requested=%ld consumed0=%ld requested0=%ld pages=%lu huge_kb=%ld\n",
	       workload, mib, round, ns, cpu_ns, bench_delta(c0->consumed, c1->consumed),
	       bench_delta(c0->requested, c1->requested),
	       bench_delta(c0->consumed0, c1->consumed0),
	       bench_delta(c0->requested0, c1->requested0), pages, huge_kb);
	fflush(stdout);
}

/* splitmix64: a small PRNG with a fixed seed, so that runs are comparable. */
static inline unsigned long long bench_rand(unsigned long long *state)
{
	unsigned long long z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [lo, hi]. */
static inline unsigned long bench_rand_range(unsigned long long *state, unsigned long lo,
					     unsigned long hi)
{
	return lo + bench_rand(state) % (hi - lo + 1);
}

#endif /* PAGEHINT_BENCH_H */
