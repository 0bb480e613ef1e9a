// SPDX-License-Identifier: GPL-2.0
/*
 * fault_bench: fault-path workloads of `make bench`, run without flushing page reporting, so
 * they measure what the series costs or saves on the ordinary allocation path (and compare
 * with a vanilla kernel).
 *
 *   fault_bench pf1 <rounds> [iterations]     (default 4 iterations per round)
 *   fault_bench forkexec <rounds> [count] [program]   (default 200, /proc/self/exe true)
 *
 * pf1, after will-it-scale's page_fault1 (threads): 2 threads; in every iteration each maps
 * 128 MiB with MADV_NOHUGEPAGE, writes one byte to every 4 KiB page and unmaps it. ns= is the
 * wall time of the whole round (both threads start together), cpu_ns= the CPU time of the
 * process (both threads), pages= the page faults (2 * iterations * 32768), mib=128 (one
 * thread's region).
 * forkexec: fork, execve of a tiny static program that exits at once, wait; count times per
 * round. cpu_ns= is this process's CPU time plus that of the waited-for children; mib=0,
 * pages=count.
 * Both print the BENCH line of bench.h (huge_kb=-1) and no zero check: nothing is flushed, so
 * little is known-zero, and the e2e tests cover correctness.
 * Limit arm (pagehint_bench.noclear=1 on the command line): pf1 writes its pid to
 * /sys/module/kernel/parameters/pagehint_bench_noclear_tgid around each timed round, so the
 * kernel does not clear its threads' pages. forkexec does not: the knob names one task group
 * and an exec'd program's .bss and heap must read zero, so forkexec runs as in the off arm.
 * `fault_bench true` exits 0 at once: forkexec's default program.
 */
#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "bench.h"

#define PF1_THREADS 2
#define PF1_LEN (128UL << 20)

static pthread_barrier_t start;
static int pf1_iterations;

static void die(const char *what)
{
	bench_die("fault_bench", what);
}

/* Limit arm: this process's user pages are not cleared in between (no-op otherwise). */
static void noclear(int on)
{
	if (bench_noclear_set(on))
		die("write " BENCH_NOCLEAR);
}

static void *pf1_thread(void *arg)
{
	size_t off;
	char *p;
	int i;

	(void)arg;
	pthread_barrier_wait(&start);
	for (i = 0; i < pf1_iterations; i++) {
		p = mmap(NULL, PF1_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap");
		if (madvise(p, PF1_LEN, MADV_NOHUGEPAGE))
			die("madvise");
		for (off = 0; off < PF1_LEN; off += BENCH_PAGE)
			p[off] = 1;
		munmap(p, PF1_LEN);
	}
	return NULL;
}

static int pf1(int rounds)
{
	struct bench_counters c0, c1;
	pthread_t th[PF1_THREADS];
	long long t0, t1, u0, u1;
	int r, i;

	for (r = 1; r <= rounds; r++) {
		/* The main thread waits at the barrier too: the clock starts with the threads. */
		if (pthread_barrier_init(&start, NULL, PF1_THREADS + 1))
			die("pthread_barrier_init");
		for (i = 0; i < PF1_THREADS; i++) {
			errno = pthread_create(&th[i], NULL, pf1_thread, NULL);
			if (errno)
				die("pthread_create");
		}
		bench_counters_read(&c0);
		/* After pthread_create: glibc takes a fresh thread stack to read zero. */
		noclear(1);
		u0 = bench_cpu();
		t0 = bench_now();
		pthread_barrier_wait(&start);
		for (i = 0; i < PF1_THREADS; i++)
			pthread_join(th[i], NULL);
		t1 = bench_now();
		u1 = bench_cpu();
		noclear(0);
		bench_counters_read(&c1);
		pthread_barrier_destroy(&start);
		bench_line("pf1", PF1_LEN >> 20, r, t1 - t0, u1 - u0, &c0, &c1,
			   PF1_THREADS * pf1_iterations * (PF1_LEN / BENCH_PAGE), -1);
	}
	return 0;
}

static int forkexec(int rounds, int count, const char *prog)
{
	char *const args[] = { (char *)prog, "true", NULL };
	char *const env[] = { NULL };
	struct bench_counters c0, c1;
	long long t0, t1, u0, u1;
	int r, i, status;
	pid_t pid;

	/* Nothing buffered may be written twice by a child. */
	fflush(stdout);
	for (r = 1; r <= rounds; r++) {
		bench_counters_read(&c0);
		u0 = bench_cpu() + bench_children_cpu();
		t0 = bench_now();
		for (i = 0; i < count; i++) {
			pid = fork();
			if (pid < 0)
				die("fork");
			if (!pid) {
				execve(prog, args, env);
				_exit(127);
			}
			if (waitpid(pid, &status, 0) != pid)
				die("waitpid");
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				fprintf(stderr, "fault_bench: %s exited with status 0x%x\n", prog,
					status);
				return 1;
			}
		}
		t1 = bench_now();
		u1 = bench_cpu() + bench_children_cpu();
		bench_counters_read(&c1);
		bench_line("forkexec", 0, r, t1 - t0, u1 - u0, &c0, &c1, count, -1);
	}
	return 0;
}

static void bad_usage(void)
{
	fprintf(stderr, "usage: fault_bench pf1 <rounds> [iterations]\n"
			"       fault_bench forkexec <rounds> [count] [program]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int rounds;

	if (argc == 2 && !strcmp(argv[1], "true"))
		return 0;
	if (argc < 3)
		bad_usage();
	rounds = atoi(argv[2]);
	if (rounds < 1)
		bad_usage();
	if (!strcmp(argv[1], "pf1") && argc <= 4) {
		pf1_iterations = argc > 3 ? atoi(argv[3]) : 4;
		if (pf1_iterations < 1)
			bad_usage();
		return pf1(rounds);
	}
	if (!strcmp(argv[1], "forkexec") && argc <= 5) {
		int count = argc > 3 ? atoi(argv[3]) : 200;

		if (count < 1)
			bad_usage();
		return forkexec(rounds, count, argc > 4 ? argv[4] : "/proc/self/exe");
	}
	bad_usage();
	return 2;
}
