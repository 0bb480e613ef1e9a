// SPDX-License-Identifier: GPL-2.0
/*
 * churn: a fixed time of mixed memory use, as in a guest doing ordinary work, with page
 * reporting at its default delay (nothing is flushed): how much of the zeroing the allocator
 * was asked for it could skip.
 *
 *   churn <secs> <dir> [seed]
 *
 * For <secs> seconds (then whatever still runs is killed), 2 to 4 processes at a time (the target changes at random as they come and
 * go) each map 1 to 96 MiB of anonymous memory, THP (MADV_HUGEPAGE) or 4K (MADV_NOHUGEPAGE)
 * at even odds, write one byte to every 4 KiB page, free a random part of it at half their
 * lifetime and exit after 0.1 to 3 s. Beside them one process churns the page cache: it writes
 * files of 1 to 32 MiB into <dir> (a tmpfs) and deletes the oldest, keeping at most 6, pausing
 * up to 200 ms between files. Sizes, kinds and lifetimes come from a PRNG with a fixed seed
 * (default 1), so runs are comparable; how many processes fit in the time depends on speed.
 * At most about 4 * 96 + 6 * 32 = 576 MiB are in use at once.
 * Then one line, the /proc/vmstat deltas over the whole run (-1 for an absent counter):
 *
 *   CHURN secs=60 requested=... consumed=... requested0=... consumed0=... procs=...
 *
 * requested/consumed: zeroed_requested/zeroed_consumed (all orders), requested0/consumed0:
 * zeroed_requested_order0/zeroed_consumed_order0, procs: memory processes started.
 * Exit 0 when the run completed, 2 on a setup error or a process that failed.
 */
#include <dirent.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "bench.h"

#define MAX_PROCS 4
#define MAX_FILES 6
#define HPAGE (2UL << 20)

/* Totals the children add to, for the summary line (shared anonymous memory). */
struct stats {
	unsigned long anon_mib;
	unsigned long thp_procs;
	unsigned long files;
	unsigned long file_mib;
};

static struct stats *stats;
static const char *dir;
/* Set by the alarm; volatile sig_atomic_t is what a signal handler may write. */
static volatile sig_atomic_t time_up;

static void on_alarm(int sig)
{
	(void)sig;
	time_up = 1;
}

static void die(const char *what)
{
	bench_die("churn", what);
}

static void sleep_ms(unsigned long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Sleep until ms milliseconds after t0 (bench_now()), if that is still ahead. */
static void sleep_until(long long t0, unsigned long ms)
{
	long long left = t0 + ms * 1000000LL - bench_now();

	if (left > 0)
		sleep_ms(left / 1000000);
}

/* One memory process: map, touch every page, free part of it half-way, exit. */
static void mem_proc(unsigned long long seed)
{
	unsigned long mib = bench_rand_range(&seed, 1, 96);
	int thp = bench_rand(&seed) & 1;
	unsigned long life = bench_rand_range(&seed, 100, 3000);
	unsigned long keep;
	size_t len = mib << 20, off;
	long long t0 = bench_now();
	char *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	if (madvise(p, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		die("madvise");
	for (off = 0; off < len; off += BENCH_PAGE)
		p[off] = (char)off | 1;
	__atomic_add_fetch(&stats->anon_mib, mib, __ATOMIC_RELAXED);
	if (thp)
		__atomic_add_fetch(&stats->thp_procs, 1, __ATOMIC_RELAXED);
	sleep_until(t0, life / 2);
	/* Free all but the first 0-100% (whole 2 MiB pages), the rest goes with exit. */
	keep = bench_rand_range(&seed, 0, len / HPAGE) * HPAGE;
	if (keep < len)
		munmap(p + keep, len - keep);
	sleep_until(t0, life);
	_exit(0);
}

/* The page cache: write files into dir, delete the oldest, until killed. */
static void file_proc(unsigned long long seed)
{
	static char buf[256 << 10];
	char name[4096];
	unsigned long i, mib;
	size_t done;
	int fd;

	memset(buf, 0xa5, sizeof(buf));
	for (i = 0;; i++) {
		mib = bench_rand_range(&seed, 1, 32);
		snprintf(name, sizeof(name), "%s/churn-%lu", dir, i);
		fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			die("open");
		for (done = 0; done < mib << 20; done += sizeof(buf))
			if (write(fd, buf, sizeof(buf)) != sizeof(buf))
				die("write");
		close(fd);
		__atomic_add_fetch(&stats->files, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&stats->file_mib, mib, __ATOMIC_RELAXED);
		if (i >= MAX_FILES) {
			snprintf(name, sizeof(name), "%s/churn-%lu", dir, i - MAX_FILES);
			if (unlink(name))
				die("unlink");
		}
		sleep_ms(bench_rand_range(&seed, 0, 200));
	}
}

/* Remove what the page cache process left in dir. */
static void clean_dir(void)
{
	char name[4096];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "churn-", 6)) {
			snprintf(name, sizeof(name), "%s/%s", dir, de->d_name);
			unlink(name);
		}
	closedir(d);
}

static pid_t spawn(void (*fn)(unsigned long long), unsigned long long seed)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid)
		fn(seed);
	return pid;
}

static int reap(pid_t pid, int status)
{
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	fprintf(stderr, "churn: process %d failed (status 0x%x)\n", pid, status);
	return 1;
}

int main(int argc, char **argv)
{
	static const char *const keys[] = { "zeroed_requested", "zeroed_consumed",
					    "zeroed_requested_order0", "zeroed_consumed_order0" };
	unsigned long long rng, n = 0;
	pid_t procs[MAX_PROCS] = { 0 }, files, pid;
	long c0[4], c1[4];
	struct sigaction sa = { .sa_handler = on_alarm };
	long long t0;
	int secs, target, running = 0, failed = 0, status, i;

	secs = argc > 1 ? atoi(argv[1]) : 0;
	if (argc < 3 || argc > 4 || secs < 1) {
		fprintf(stderr, "usage: churn <secs> <dir> [seed]\n");
		return 2;
	}
	dir = argv[2];
	rng = argc > 3 ? strtoull(argv[3], NULL, 0) : 1;
	stats = mmap(NULL, sizeof(*stats), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		     -1, 0);
	if (stats == MAP_FAILED)
		die("mmap");
	fflush(stdout);

	for (i = 0; i < 4; i++)
		c0[i] = bench_vmstat(keys[i]);
	t0 = bench_now();
	/* No SA_RESTART: the alarm interrupts wait(), the run ends on time. */
	if (sigaction(SIGALRM, &sa, NULL))
		die("sigaction");
	alarm(secs);
	files = spawn(file_proc, bench_rand(&rng));
	target = bench_rand_range(&rng, 2, MAX_PROCS);
	for (;;) {
		/* Top up to the target; each new process gets its own seed from the sequence. */
		while (!time_up && running < target) {
			for (i = 0; procs[i]; i++)
				;
			procs[i] = spawn(mem_proc, bench_rand(&rng));
			running++;
			n++;
			target = bench_rand_range(&rng, 2, MAX_PROCS);
		}
		if (time_up)
			break;
		pid = wait(&status);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			die("wait");
		if (pid == files) {
			fprintf(stderr, "churn: the page cache process ended early\n");
			failed = 1;
			files = 0;
			continue;
		}
		for (i = 0; i < MAX_PROCS; i++)
			if (procs[i] == pid)
				procs[i] = 0;
		running--;
		failed |= reap(pid, status);
	}
	/* Time is up: stop everything still running (and not count its end as a failure). */
	for (i = 0; i < MAX_PROCS; i++)
		if (procs[i]) {
			kill(procs[i], SIGKILL);
			waitpid(procs[i], &status, 0);
		}
	if (files) {
		kill(files, SIGKILL);
		waitpid(files, &status, 0);
	}
	for (i = 0; i < 4; i++)
		c1[i] = bench_vmstat(keys[i]);
	clean_dir();
	printf("churn: %llu processes (%lu THP), %lu MiB anon, %lu files of %lu MiB, %.1f s\n",
	       n, stats->thp_procs, stats->anon_mib, stats->files, stats->file_mib,
	       (bench_now() - t0) / 1e9);
	printf("CHURN secs=%d requested=%ld consumed=%ld requested0=%ld consumed0=%ld procs=%llu\n",
	       secs, bench_delta(c0[0], c1[0]), bench_delta(c0[1], c1[1]),
	       bench_delta(c0[2], c1[2]), bench_delta(c0[3], c1[3]), n);
	return failed ? 2 : 0;
}
