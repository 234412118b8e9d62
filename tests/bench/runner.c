// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * runner [-w WARMUP] [-n MAX] [-m MIN] [-t SECONDS] -- COMMAND ARGS... [:: COMMAND ARGS...]...
 * runner -r -- COMMAND ARGS...
 *
 * Runs COMMAND (stdin, stdout and stderr on /dev/null) WARMUP times untimed, then at least MIN
 * and at most MAX times, stopping once SECONDS of timed runs have passed. Several commands
 * separated by "::" (up to 4) run in turn, one run of each per round, and get one line each. Wall time per run is
 * from just before posix_spawn to the reaping wait4; CPU time is the user + system time wait4
 * reports (the command's reaped children included), which leaves out the time spent waiting for
 * a CPU on a loaded machine; the peak RSS is the largest ru_maxrss that wait4 reported for any
 * run. Prints one line:
 *
 *   runs=N median_ms=M min_ms=M p90_ms=M max_ms=M cpu_median_ms=M cpu_min_ms=M maxrss_kb=K status=S
 *
 * status is the first non-zero exit status seen (a signal shows as 128+N), else 0.
 * maxrss_kb (getrusage) is only indicative: since Linux 6.2 the RSS counters are per-CPU and
 * ru_maxrss can miss a few hundred KiB of a small process (it reads 0 for some).
 *
 * -r: run COMMAND once under ptrace, stop it at its exit (PTRACE_O_TRACEEXIT) while its memory is
 * still mapped, and read VmHWM (peak RSS) and VmRSS from /proc/PID/status, which sums the per-CPU
 * counters exactly. Prints:  vmhwm_kb=K vmrss_kb=K status=S
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAXRUNS 20000
static double samples[MAXRUNS], cpu_samples[MAXRUNS];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double median(const double *t, long n)
{
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double tv(const struct timeval *t)
{
	return t->tv_sec + t->tv_usec / 1e6;
}

/* one run: its wall time; its CPU time (user + system, its reaped children's included) to @cpu */
static double run(char **argv, long *maxrss, int *status, double *cpu)
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	double t0, t1;
	pid_t pid;
	int st, err;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	t0 = now();
	err = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	if (err) {
		fprintf(stderr, "runner: %s: %s\n", argv[0], strerror(err));
		exit(1);
	}
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("runner: wait4");
			exit(1);
		}
	t1 = now();
	*cpu = tv(&ru.ru_utime) + tv(&ru.ru_stime);
	posix_spawn_file_actions_destroy(&fa);
	if (ru.ru_maxrss > *maxrss)
		*maxrss = ru.ru_maxrss;
	if (!*status) {
		if (WIFEXITED(st))
			*status = WEXITSTATUS(st);
		else if (WIFSIGNALED(st))
			*status = 128 + WTERMSIG(st);
	}
	return t1 - t0;
}

static long status_kb(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t len = strlen(key);
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':') {
			kb = atol(line + len + 1);
			break;
		}
	fclose(f);
	return kb;
}

static int peak_rss(char **argv)
{
	long hwm = -1, rss = -1;
	int st, status = 0, fd;
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		perror("runner: fork");
		return 1;
	}
	if (pid == 0) {
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) == 0)
			execv(argv[0], argv);
		_exit(127);
	}
	/* the exec stop */
	if (waitpid(pid, &st, 0) < 0 || !WIFSTOPPED(st)) {
		fputs("runner: -r: child did not stop at exec\n", stderr);
		return 1;
	}
	ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXIT);
	ptrace(PTRACE_CONT, pid, 0, 0);
	for (;;) {
		if (waitpid(pid, &st, 0) < 0) {
			perror("runner: waitpid");
			return 1;
		}
		if (WIFEXITED(st)) {
			status = WEXITSTATUS(st);
			break;
		}
		if (WIFSIGNALED(st)) {
			status = 128 + WTERMSIG(st);
			break;
		}
		if (WIFSTOPPED(st) && (st >> 8) == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
			hwm = status_kb(pid, "VmHWM");
			rss = status_kb(pid, "VmRSS");
			ptrace(PTRACE_CONT, pid, 0, 0);
			continue;
		}
		/* pass any other signal on */
		ptrace(PTRACE_CONT, pid, 0, WIFSTOPPED(st) ? WSTOPSIG(st) : 0);
	}
	printf("vmhwm_kb=%ld vmrss_kb=%ld status=%d\n", hwm, rss, status);
	return hwm < 0;
}

#define MAXCMDS 4

int main(int argc, char **argv)
{
	long warm = 2, max = 1000, min = 3, maxrss[MAXCMDS] = { 0 };
	double budget = 2.0, start, *t, *ct, cpu;
	int status[MAXCMDS] = { 0 }, c, rss_mode = 0, ncmd = 1, k;
	char **cmd[MAXCMDS];
	long n = 0, i;

	while ((c = getopt(argc, argv, "+rw:n:m:t:")) != -1) {
		switch (c) {
		case 'r': rss_mode = 1; break;
		case 'w': warm = atol(optarg); break;
		case 'n': max = atol(optarg); break;
		case 'm': min = atol(optarg); break;
		case 't': budget = atof(optarg); break;
		default: return 2;
		}
	}
	if (optind >= argc || max < 1 || max > MAXRUNS / MAXCMDS || min < 1) {
		fputs("usage: runner [-w WARMUP] [-n MAX] [-m MIN] [-t SECONDS] -- CMD ARGS [:: CMD ARGS]...\n"
		      "       runner -r -- CMD ARGS\n", stderr);
		return 2;
	}
	argv += optind;
	if (rss_mode)
		return peak_rss(argv);
	/* commands separated by "::" run in turn, one run each per round, so that a change of
	 * load on the machine hits all of them alike */
	cmd[0] = argv;
	for (i = 0; argv[i]; i++) {
		if (strcmp(argv[i], "::"))
			continue;
		if (ncmd == MAXCMDS || !argv[i + 1]) {
			fputs("runner: bad or too many '::'\n", stderr);
			return 2;
		}
		argv[i] = NULL;
		cmd[ncmd++] = &argv[i + 1];
	}
	for (i = 0; i < warm; i++)
		for (k = 0; k < ncmd; k++)
			run(cmd[k], &maxrss[k], &status[k], &cpu);
	for (k = 0; k < ncmd; k++)
		maxrss[k] = 0;
	start = now();
	while (n < max && (n < min || now() - start < budget)) {
		for (k = 0; k < ncmd; k++) {
			samples[k * (MAXRUNS / MAXCMDS) + n] = run(cmd[k], &maxrss[k], &status[k], &cpu);
			cpu_samples[k * (MAXRUNS / MAXCMDS) + n] = cpu;
		}
		n++;
	}
	for (k = 0; k < ncmd; k++) {
		t = &samples[k * (MAXRUNS / MAXCMDS)];
		ct = &cpu_samples[k * (MAXRUNS / MAXCMDS)];
		qsort(t, n, sizeof(*t), cmp);
		qsort(ct, n, sizeof(*ct), cmp);
		printf("runs=%ld median_ms=%.4f min_ms=%.4f p90_ms=%.4f max_ms=%.4f "
		       "cpu_median_ms=%.4f cpu_min_ms=%.4f maxrss_kb=%ld status=%d\n",
		       n, median(t, n) * 1e3, t[0] * 1e3,
		       t[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1] * 1e3, t[n - 1] * 1e3,
		       median(ct, n) * 1e3, ct[0] * 1e3, maxrss[k], status[k]);
	}
	return 0;
}
