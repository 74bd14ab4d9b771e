// SPDX-License-Identifier: GPL-2.0
/*
 * vpidbench - what vpid costs: microbenchmarks, host-side cost, scaling and
 * memory.  Run in a QEMU guest by bench/guest.sh (see bench/run.sh); times
 * are CLOCK_MONOTONIC, i.e. virtual time (1 ns per instruction) under
 * `-icount shift=0`.  Every timed case runs one discarded warm-up batch,
 * then REPS batches, and reports the median ns per operation.
 *
 *   vpidbench micro PLACE [CASE...]      per-operation costs (all cases)
 *   vpidbench hostside LABEL             a host task's getpid, fork+wait
 *   vpidbench floor MODE                 a host task's getpid alone (with
 *                                        bench/floor's module in MODE)
 *   vpidbench hold C T -- CMD [ARG...]   run CMD (on the host) while C
 *                                        containers of T tasks each exist
 *   vpidbench tasks host|pidns|vpid M    M tasks in one place: per fork,
 *                                        per lookup, memory per task
 *   vpidbench containers none|flat|nested N
 *                                        N containers (none: N plain host
 *                                        processes, the memory baseline)
 *   vpidbench probe [NAME]               (used by the two above) create
 *                                        container NAME, time getpid and
 *                                        fork+wait in a fresh process
 *
 * Output: one line per result, `case=NAME key=value ...`, on stdout.
 * Progress and errors on stderr.  VPIDBENCH_SCALE=F multiplies batch sizes
 * (and repetition counts, never below 3); VPIDBENCH_PS is the `ps` command
 * line (default /usr/bin/ps), split at spaces.
 *
 * No dependency beyond libc and pthreads; build with
 *   gcc -O2 -static -pthread -o vpidbench vpidbench.c
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef CLONE_PARENT_SETTID
#define CLONE_PARENT_SETTID 0x00100000
#endif

#define CTL "/proc/container"
#define MAX_REPS 101
#define NESTED_DEPTH 32		/* VPID_MAX_LEVEL */
#define NR_CHECKPOINTS 10
#define TASK_STACK 2048		/* a pauser only calls syscall() */
#define HOLDER_STACK 16384	/* a holder formats names, clones */
#define TASK_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | SIGCHLD)

static double scale = 1.0;
static const char *place = "host";

/* ---------------------------------------------------------------- util */

static void die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	fprintf(stderr, "vpidbench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(e));
	exit(1);
}

static void note(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vpidbench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long scaled(long n)
{
	long v = (long)(n * scale + 0.5);

	return v < 1 ? 1 : v;
}

static int scaled_reps(int n)
{
	int v = (int)(n * (scale < 1 ? scale : 1) + 0.5);

	if (v < 3)
		v = 3;
	if (v > MAX_REPS)
		v = MAX_REPS;
	return v | 1;	/* odd: the median is a sample */
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts v). */
static long long median_ll(long long *v, long n)
{
	if (n <= 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_ll);
	return n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void *shared_mem(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap %zu", size);
	return p;
}

/* Stacks for CLONE_VM children: reserved, touched only where used. */
static char *stack_area(long n, size_t each)
{
	void *p = mmap(NULL, n * each, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		die("mmap stacks");
	return p;
}

/* Write one command to the control file; 0 or errno. */
static int ctl_write(const char *cmd)
{
	int fd = open(CTL, O_WRONLY);
	ssize_t r;
	int e = 0;

	if (fd < 0)
		return errno;
	r = write(fd, cmd, strlen(cmd));
	if (r < 0)
		e = errno;
	close(fd);
	return e;
}

static void reap_all(void)
{
	for (;;) {
		if (wait(NULL) < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				return;
			die("wait");
		}
	}
}

static void wait_ok(pid_t p, const char *what)
{
	int st;

	while (waitpid(p, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid %s", what);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		fprintf(stderr, "vpidbench: %s: status 0x%x\n", what, st), exit(1);
}

/* ------------------------------------------------------------ measure */

struct res {
	double med, min, max;
	long batch;
	int reps;
};

typedef void (*opfn)(long n);

static struct res measure(opfn fn, long batch, int reps)
{
	struct res r = { .batch = batch, .reps = reps };
	double v[MAX_REPS];
	long long t0;
	int i;

	fn(batch);	/* warm-up, discarded */
	for (i = 0; i < reps; i++) {
		t0 = now();
		fn(batch);
		v[i] = (double)(now() - t0) / batch;
	}
	qsort(v, reps, sizeof(v[0]), cmp_d);
	r.med = v[reps / 2];
	r.min = v[0];
	r.max = v[reps - 1];
	return r;
}

static void report(const char *name, const char *pl, struct res r,
		   const char *extra)
{
	printf("case=%s place=%s ns_per_op=%.1f min=%.1f max=%.1f batch=%ld reps=%d%s%s\n",
	       name, pl, r.med, r.min, r.max, r.batch, r.reps,
	       extra ? " " : "", extra ? extra : "");
	fflush(stdout);
}

/* ----------------------------------------------------------- the ops */

static void op_getpid(long n)
{
	while (n--)
		syscall(SYS_getpid);
}

static void op_gettid(long n)
{
	while (n--)
		syscall(SYS_gettid);
}

static void op_getppid(long n)
{
	while (n--)
		syscall(SYS_getppid);
}

static void op_fork(long n)
{
	while (n--) {
		pid_t p = fork();

		if (p == 0)
			_exit(0);
		if (p < 0)
			die("fork");
		if (waitpid(p, NULL, 0) != p)
			die("waitpid");
	}
}

/* The first fields of struct clone_args (CLONE_ARGS_SIZE_VER0). */
struct vb_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls;
};

static long settid_bad;

static void op_clone3(long n)
{
	while (n--) {
		pid_t tid = 0;
		struct vb_clone_args ca = {
			.flags = CLONE_PARENT_SETTID,
			.parent_tid = (uintptr_t)&tid,
			.exit_signal = SIGCHLD,
		};
		long p = syscall(SYS_clone3, &ca, sizeof(ca));

		if (p == 0)
			syscall(SYS_exit_group, 0);
		if (p < 0)
			die("clone3");
		if (tid != p)
			settid_bad++;
		if (waitpid(p, NULL, 0) != p)
			die("waitpid");
	}
}

static void *thr_fn(void *a)
{
	return a;
}

static void op_pthread(long n)
{
	pthread_t t;

	while (n--) {
		errno = pthread_create(&t, NULL, thr_fn, NULL);
		if (errno)
			die("pthread_create");
		pthread_join(t, NULL);
	}
}

static volatile sig_atomic_t self_count;
static volatile pid_t self_from;

static void h_self(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	self_from = si->si_pid;
	self_count++;
}

static void op_kill(long n)
{
	while (n--)
		kill(getpid(), SIGUSR1);
}

struct group {
	long count;
	long bad;
	pid_t sender;
};
static struct group *grp;
#define GROUP_SIZE 10

static void h_group(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	if (si->si_pid != grp->sender)
		__atomic_add_fetch(&grp->bad, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&grp->count, 1, __ATOMIC_SEQ_CST);
}

/* kill(0, sig) and wait until all GROUP_SIZE handlers ran. */
static void op_killgroup(long n)
{
	while (n--) {
		long target = __atomic_load_n(&grp->count, __ATOMIC_SEQ_CST) +
			GROUP_SIZE;

		if (kill(0, SIGUSR2))
			die("kill(0)");
		while (__atomic_load_n(&grp->count, __ATOMIC_SEQ_CST) < target)
			sched_yield();
	}
}

static long proc_entries;

static void op_readdir(long n)
{
	while (n--) {
		DIR *d = opendir("/proc");
		struct dirent *e;
		long c = 0;

		if (!d)
			die("opendir /proc");
		while ((e = readdir(d)))
			if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
				c++;
		closedir(d);
		proc_entries = c;
	}
}

static char *ps_argv[16];
static int ps_status;
#define PS_ERR "/tmp/vpidbench-ps.err"

/* fork + exec `ps -e` (stdout to /dev/null, stderr kept) + wait */
static void op_ps(long n)
{
	while (n--) {
		pid_t p = fork();

		if (p == 0) {
			int fd = open("/dev/null", O_WRONLY);
			int fe = open(PS_ERR, O_WRONLY | O_CREAT | O_TRUNC, 0644);

			dup2(fd, 1);
			if (fe >= 0)
				dup2(fe, 2);
			execv(ps_argv[0], ps_argv);
			_exit(127);
		}
		if (p < 0)
			die("fork");
		if (waitpid(p, &ps_status, 0) != p)
			die("waitpid");
	}
}

/* " exit=N error=first_line_of_stderr" when ps failed, else "" */
static void ps_failure(char *buf, size_t size)
{
	char line[96] = "";
	FILE *f;
	char *c;

	buf[0] = 0;
	if (WIFEXITED(ps_status) && WEXITSTATUS(ps_status) == 0)
		return;
	f = fopen(PS_ERR, "r");
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = 0;
		fclose(f);
	}
	line[strcspn(line, "\n")] = 0;
	for (c = line; *c; c++)
		if (*c == ' ' || *c == '=')
			*c = '_';
	snprintf(buf, size, " exit=%d error=%s",
		 WIFEXITED(ps_status) ? WEXITSTATUS(ps_status) : 128 + WTERMSIG(ps_status),
		 line[0] ? line : "-");
}

/* ------------------------------------------------------ pausing tasks */

static int pauser_fn(void *arg)
{
	(void)arg;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;)
		syscall(SYS_pause);
	return 0;
}

static pid_t spawn_pauser(char *stacks, long i)
{
	pid_t p = clone(pauser_fn, stacks + (i + 1) * TASK_STACK, TASK_FLAGS,
			NULL);

	if (p < 0)
		die("clone task %ld", i);
	return p;
}

static void kill_all(pid_t *pids, long n)
{
	long i;

	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		while (waitpid(pids[i], NULL, __WALL) < 0 && errno == EINTR)
			;
}

/* --------------------------------------------------------------- micro */

static int want_case(char **cases, int n, const char *name)
{
	int i;

	if (n == 0)
		return 1;
	for (i = 0; i < n; i++)
		if (!strcmp(cases[i], name))
			return 1;
	return 0;
}

static void set_handler(int sig, void (*h)(int, siginfo_t *, void *))
{
	struct sigaction sa = { .sa_sigaction = h, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL))
		die("sigaction");
}

static void split_ps(void)
{
	char *s = getenv("VPIDBENCH_PS"), *tok;
	int n = 0;

	s = strdup(s && *s ? s : "/usr/bin/ps");
	for (tok = strtok(s, " "); tok && n < 14; tok = strtok(NULL, " "))
		ps_argv[n++] = tok;
	ps_argv[n++] = "-e";
	ps_argv[n] = NULL;
}

#define PROC_TASKS 1000

static void micro_worker(char **cases, int nc)
{
	char extra[256];
	struct res r;
	pid_t kids[GROUP_SIZE];
	int i;

	if (setpgid(0, 0))
		die("setpgid");
	if (want_case(cases, nc, "getpid"))
		report("getpid", place, measure(op_getpid, scaled(5000), scaled_reps(11)), NULL);
	if (want_case(cases, nc, "gettid"))
		report("gettid", place, measure(op_gettid, scaled(5000), scaled_reps(11)), NULL);
	if (want_case(cases, nc, "getppid")) {
		snprintf(extra, sizeof(extra), "value=%ld", syscall(SYS_getppid));
		report("getppid", place, measure(op_getppid, scaled(5000), scaled_reps(11)), extra);
	}
	if (want_case(cases, nc, "fork"))
		report("fork", place, measure(op_fork, scaled(40), scaled_reps(11)), NULL);
	if (want_case(cases, nc, "clone3")) {
		settid_bad = 0;
		r = measure(op_clone3, scaled(40), scaled_reps(11));
		snprintf(extra, sizeof(extra), "settid_mismatch=%ld", settid_bad);
		report("clone3", place, r, extra);
	}
	if (want_case(cases, nc, "pthread"))
		report("pthread", place, measure(op_pthread, scaled(200), scaled_reps(11)), NULL);
	if (want_case(cases, nc, "kill")) {
		set_handler(SIGUSR1, h_self);
		self_from = -1;
		r = measure(op_kill, scaled(2000), scaled_reps(11));
		snprintf(extra, sizeof(extra), "si_pid_ok=%d",
			 self_from == getpid());
		report("kill", place, r, extra);
	}
	if (want_case(cases, nc, "killgroup")) {
		grp = shared_mem(sizeof(*grp));
		grp->sender = getpid();
		set_handler(SIGUSR2, h_group);
		for (i = 0; i < GROUP_SIZE - 1; i++) {
			kids[i] = fork();
			if (kids[i] < 0)
				die("fork");
			if (kids[i] == 0)
				for (;;)
					pause();
		}
		r = measure(op_killgroup, scaled(100), scaled_reps(11));
		snprintf(extra, sizeof(extra), "group=%d si_pid_bad=%ld",
			 GROUP_SIZE, grp->bad);
		report("killgroup", place, r, extra);
		kill_all(kids, GROUP_SIZE - 1);
		signal(SIGUSR2, SIG_DFL);
	}
	if (want_case(cases, nc, "readdir") || want_case(cases, nc, "ps")) {
		char *stacks = stack_area(PROC_TASKS, TASK_STACK);
		pid_t *pids = calloc(PROC_TASKS, sizeof(*pids));
		long j;

		/* this worker + PROC_TASKS - 1 others */
		for (j = 0; j < PROC_TASKS - 1; j++)
			pids[j] = spawn_pauser(stacks, j);
		if (want_case(cases, nc, "readdir")) {
			r = measure(op_readdir, scaled(10), scaled_reps(7));
			snprintf(extra, sizeof(extra), "entries=%ld tasks=%d",
				 proc_entries, PROC_TASKS);
			report("readdir", place, r, extra);
		}
		if (want_case(cases, nc, "ps")) {
			op_readdir(1);
			split_ps();
			char fail[128];

			r = measure(op_ps, 1, scaled_reps(5));
			ps_failure(fail, sizeof(fail));
			snprintf(extra, sizeof(extra), "entries=%ld tasks=%d%s",
				 proc_entries, PROC_TASKS, fail);
			report("ps", place, r, extra);
		}
		kill_all(pids, PROC_TASKS - 1);
		free(pids);
	}
}

static int cmd_micro(int argc, char **argv)
{
	pid_t w;
	int st;

	if (argc < 1)
		return 2;
	place = argv[0];
	/*
	 * Measure in a child: in a pid namespace or container this process is
	 * the init (vpid 1), whose signal rules and getppid differ.
	 */
	w = fork();
	if (w < 0)
		die("fork");
	if (w == 0) {
		micro_worker(argv + 1, argc - 1);
		exit(0);
	}
	if (waitpid(w, &st, 0) != w)
		die("waitpid");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* ------------------------------------------------------------ hostside */

static int cmd_hostside(int argc, char **argv)
{
	if (argc < 1)
		return 2;
	report("host_getpid", argv[0], measure(op_getpid, scaled(5000), scaled_reps(11)), NULL);
	report("host_fork", argv[0], measure(op_fork, scaled(40), scaled_reps(11)), NULL);
	return 0;
}

/*
 * The floor: getpid under bench/floor's vpid_floor.ko (MODE: how it hooks
 * __task_pid_nr_ns, or "none").  getpid only, the one call hooked.
 */
static int cmd_floor(int argc, char **argv)
{
	if (argc < 1)
		return 2;
	report("floor_getpid", argv[0], measure(op_getpid, scaled(5000), scaled_reps(11)), NULL);
	return 0;
}

/* ----------------------------------------------------------------- hold */

static int cmd_hold(int argc, char **argv)
{
	long nc, nt, i, j;
	pid_t *inits, p;
	int pfd[2];
	char c, name[32];

	if (argc < 4 || strcmp(argv[2], "--"))
		return 2;
	nc = atol(argv[0]);
	nt = atol(argv[1]);
	if (nc < 1 || nt < 1)
		return 2;
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		die("PR_SET_CHILD_SUBREAPER");
	inits = calloc(nc, sizeof(*inits));
	for (i = 0; i < nc; i++) {
		if (pipe(pfd))
			die("pipe");
		p = fork();
		if (p < 0)
			die("fork");
		if (p == 0) {
			char *stacks = stack_area(nt, TASK_STACK);
			int e;

			close(pfd[0]);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			snprintf(name, sizeof(name), "hold%ld", i);
			e = ctl_write(name);
			if (e) {
				errno = e;
				die("create %s", name);
			}
			for (j = 0; j < nt - 1; j++)
				spawn_pauser(stacks, j);
			if (write(pfd[1], "x", 1) != 1)
				die("write");
			close(pfd[1]);
			for (;;)
				pause();
		}
		inits[i] = p;
		close(pfd[1]);
		/* EOF without the byte: the holder died */
		if (read(pfd[0], &c, 1) != 1) {
			errno = EIO;
			die("holder %ld did not start", i);
		}
		close(pfd[0]);
	}
	p = fork();
	if (p < 0)
		die("fork");
	if (p == 0) {
		execvp(argv[3], argv + 3);
		die("exec %s", argv[3]);
	}
	wait_ok(p, argv[3]);
	for (i = 0; i < nc; i++)
		kill(inits[i], SIGKILL);
	reap_all();
	return 0;
}

/* --------------------------------------------------------------- slabs */

struct slabsum {
	long long kmalloc, radix, all;
};

static struct slabsum slab_read(void)
{
	struct slabsum s = { 0, 0, 0 };
	char line[512], name[128];
	long active, num, size;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return s;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %ld %ld %ld", name, &active, &num, &size) != 4)
			continue;
		s.all += (long long)active * size;
		if (!strncmp(name, "kmalloc", 7))
			s.kmalloc += (long long)active * size;
		else if (!strcmp(name, "radix_tree_node"))
			s.radix += (long long)active * size;
	}
	fclose(f);
	return s;
}

static void report_mem(const char *name, const char *pl, long n,
		       struct slabsum a, struct slabsum b)
{
	printf("case=%s %s n=%ld kmalloc_per=%.1f radix_per=%.1f slab_per=%.1f kmalloc_bytes=%lld radix_bytes=%lld slab_bytes=%lld\n",
	       name, pl, n, (double)(b.kmalloc - a.kmalloc) / n,
	       (double)(b.radix - a.radix) / n, (double)(b.all - a.all) / n,
	       b.kmalloc - a.kmalloc, b.radix - a.radix, b.all - a.all);
	fflush(stdout);
}

/* Let deferred (RCU) frees of earlier runs finish before a baseline. */
static void settle(void)
{
	usleep(500000);
}

/* --------------------------------------------------------------- probe */

/*
 * `vpidbench probe [NAME]`: create container NAME (timed) when given, then
 * a getpid and a fork+wait median; prints "CREATE GETPID FORK_WAIT" (ns).
 * A fresh exec: its fork copies a small address space, not the thousands
 * of stacks of the scaling run that starts it.
 */
static int cmd_probe(int argc, char **argv)
{
	long long cr = 0, g, f, t0;
	int e;

	if (argc >= 1) {
		t0 = now();
		e = ctl_write(argv[0]);
		cr = now() - t0;
		if (e) {
			errno = e;
			die("create %s", argv[0]);
		}
	}
	g = (long long)measure(op_getpid, scaled(2000), scaled_reps(5)).med;
	f = (long long)measure(op_fork, scaled(10), scaled_reps(5)).med;
	printf("%lld %lld %lld\n", cr, g, f);
	return 0;
}

struct probe {
	long long create, getpid, fork_wait;
};

static struct probe run_probe(const char *name)
{
	struct probe r = { -1, -1, -1 };
	char buf[128];
	int pfd[2];
	ssize_t n;
	pid_t p;

	if (pipe(pfd))
		die("pipe");
	p = fork();
	if (p < 0)
		die("fork");
	if (p == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execl("/proc/self/exe", "vpidbench", "probe", name, (char *)NULL);
		die("exec probe");
	}
	close(pfd[1]);
	n = read(pfd[0], buf, sizeof(buf) - 1);
	close(pfd[0]);
	wait_ok(p, "probe");
	if (n <= 0 || (buf[n] = 0,
	    sscanf(buf, "%lld %lld %lld", &r.create, &r.getpid, &r.fork_wait) != 3))
		fprintf(stderr, "vpidbench: probe %s: no result\n", name ? name : "");
	return r;
}

/* ---------------------------------------------------------- tasks M */

struct tasks_shm {
	long alive;			/* tasks alive at the checkpoint */
	long npids;			/* tasks created (in tpids) */
	long long fork_ns, lookup_ns;
	struct probe probe;
	long long teardown_ns;
	long lookup_err;
	long long t_fork[];		/* per created task */
};

static struct tasks_shm *tsh;
static pid_t *tpids;

/* kill(random task, 0): number -> task lookup in the caller's view */
static void op_lookup_tasks(long n)
{
	static unsigned long seed = 12345;

	while (n--) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		if (kill(tpids[(seed >> 33) % tsh->npids], 0))
			tsh->lookup_err++;
	}
}

static void tasks_spawner(long m, int to_d, int from_d)
{
	char *stacks = stack_area(m, TASK_STACK);
	long i, last = 0, alive, next_cp = m / NR_CHECKPOINTS;
	long long t0, *v;
	char c;
	int k = 1;

	tpids = calloc(m, sizeof(*tpids));
	v = calloc(m, sizeof(*v));
	for (i = 0; i < m - 1; i++) {
		t0 = now();
		tpids[i] = spawn_pauser(stacks, i);
		tsh->t_fork[i] = now() - t0;
		alive = i + 2;		/* this spawner too */
		if (alive < next_cp && alive < m)
			continue;
		memcpy(v, tsh->t_fork + last, (i + 1 - last) * sizeof(*v));
		tsh->fork_ns = median_ll(v, i + 1 - last);
		last = i + 1;
		tsh->alive = alive;
		tsh->npids = i + 1;
		tsh->lookup_err = 0;
		tsh->lookup_ns = (long long)measure(op_lookup_tasks, scaled(100),
						    scaled_reps(11)).med;
		tsh->probe = run_probe(NULL);
		if (write(to_d, "c", 1) != 1 || read(from_d, &c, 1) != 1)
			die("checkpoint pipe");
		next_cp = (long)((double)m * ++k / NR_CHECKPOINTS);
	}
	t0 = now();
	kill_all(tpids, m - 1);
	tsh->teardown_ns = (now() - t0) / (m - 1);
	if (write(to_d, "d", 1) != 1)
		die("pipe");
}

static int cmd_tasks(int argc, char **argv)
{
	int to_d[2], from_d[2];
	struct slabsum s0, s1;
	struct probe hp;
	long m;
	pid_t w;
	char c;

	if (argc < 2)
		return 2;
	place = argv[0];
	m = atol(argv[1]);
	if (m < NR_CHECKPOINTS * 2)
		return 2;
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		die("PR_SET_CHILD_SUBREAPER");
	tsh = shared_mem(sizeof(*tsh) + m * sizeof(long long));
	if (pipe(to_d) || pipe(from_d))
		die("pipe");
	settle();
	s0 = slab_read();
	w = fork();
	if (w < 0)
		die("fork");
	if (w == 0) {
		close(to_d[0]);
		close(from_d[1]);
		if (!strcmp(place, "vpid")) {
			errno = ctl_write("scaletasks");
			if (errno)
				die("create container");
		} else if (!strcmp(place, "pidns")) {
			pid_t p;

			if (unshare(CLONE_NEWPID))
				die("unshare");
			p = fork();
			if (p < 0)
				die("fork");
			if (p) {
				wait_ok(p, "pidns init");
				_exit(0);
			}
		}
		tasks_spawner(m, to_d[1], from_d[0]);
		_exit(0);
	}
	close(to_d[1]);
	close(from_d[0]);
	for (;;) {
		if (read(to_d[0], &c, 1) != 1)
			die("spawner died");
		if (c == 'd')
			break;
		if (tsh->alive >= m)
			s1 = slab_read();
		hp = run_probe(NULL);
		printf("case=scale_tasks place=%s n=%ld fork_ns=%lld lookup_ns=%lld lookup_err=%ld getpid_ns=%lld fork_wait_ns=%lld host_getpid_ns=%lld host_fork_wait_ns=%lld\n",
		       place, tsh->alive, tsh->fork_ns, tsh->lookup_ns,
		       tsh->lookup_err, tsh->probe.getpid, tsh->probe.fork_wait,
		       hp.getpid, hp.fork_wait);
		if (tsh->alive >= m)
			{
			char pl[64];

			snprintf(pl, sizeof(pl), "place=%s", place);
			report_mem("mem_tasks", pl, m, s0, s1);
		}
		note("tasks %s: %ld", place, tsh->alive);
		if (write(from_d[1], "g", 1) != 1)
			die("pipe");
	}
	printf("case=scale_tasks_teardown place=%s n=%ld ns_per_task=%lld\n",
	       place, m, tsh->teardown_ns);
	wait_ok(w, "spawner");
	reap_all();
	return 0;
}

/* ------------------------------------------------------- containers N */

enum cmode { C_NONE, C_FLAT, C_NESTED };

struct cont_shm {
	enum cmode mode;
	int pipe_w;
	int err;
	long chain_end;
	char *stacks;
	int depth[];
};

static struct cont_shm *csh;
static long long *c_create, *c_fork;
static long *c_start;			/* index of its chain's head */

/* A container's vpid 1: creates it, continues a nested chain, pauses. */
static int holder_fn(void *arg)
{
	long i = (long)arg;
	char name[32];
	long long t0;
	pid_t p;
	int len, fd, d = csh->depth[i];

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (csh->mode != C_NONE) {
		if (d == 1)
			len = snprintf(name, sizeof(name), "%c%ld",
				       csh->mode == C_FLAT ? 'f' : 'n', i);
		else
			len = snprintf(name, sizeof(name), "l%d", d);
		fd = open(CTL, O_WRONLY);
		t0 = now();
		if (write(fd, name, len) != len)
			csh->err = errno;
		c_create[i] = now() - t0;
		close(fd);
	}
	if (!csh->err && csh->mode == C_NESTED && i + 1 < csh->chain_end) {
		csh->depth[i + 1] = d + 1;
		c_start[i + 1] = c_start[i];
		t0 = now();
		p = clone(holder_fn, csh->stacks + (i + 2) * HOLDER_STACK,
			  TASK_FLAGS, (void *)(i + 1));
		c_fork[i + 1] = now() - t0;
		if (p >= 0)
			goto out;
		csh->err = errno;
	}
	if (write(csh->pipe_w, "x", 1) != 1)
		csh->err = errno;
out:
	for (;;)
		syscall(SYS_pause);
	return 0;
}

/* The path of container i from the host. */
static int cont_path(long i, char *buf, size_t size)
{
	int d, len;

	if (csh->mode == C_FLAT)
		return snprintf(buf, size, "f%ld", i);
	len = snprintf(buf, size, "n%ld", c_start[i]);
	for (d = 2; d <= csh->depth[i]; d++)
		len += snprintf(buf + len, size - len, "/l%d", d);
	return len;
}

static long cont_alive;
static int ctl_fd = -1;
static long lookup_err;

/* "nextpid PATH 1" of a random container: EBUSY after a full lookup */
static void op_lookup_cont(long n)
{
	static unsigned long seed = 777;
	char cmd[512];
	int len;

	while (n--) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		len = snprintf(cmd, sizeof(cmd), "nextpid ");
		len += cont_path((seed >> 33) % cont_alive, cmd + len,
				 sizeof(cmd) - len);
		len += snprintf(cmd + len, sizeof(cmd) - len, " 1");
		if (write(ctl_fd, cmd, len) >= 0 || errno != EBUSY)
			lookup_err++;
	}
}

static int cmd_containers(int argc, char **argv)
{
	static const char *const names[] = { "none", "flat", "nested" };
	long n, i, cp_next, last = 0, nheads = 0;
	struct slabsum s0, s1;
	long long t0, *v, lk = 0, cr, cl;
	struct probe cp, hp;
	pid_t *heads, p;
	int pfd[2], k = 1, depth_max = 1;
	int mode;
	char c, pname[32];

	if (argc < 2)
		return 2;
	for (mode = C_NONE; mode <= C_NESTED; mode++)
		if (!strcmp(argv[0], names[mode]))
			break;
	if (mode > C_NESTED)
		return 2;
	n = atol(argv[1]);
	if (n < NR_CHECKPOINTS)
		return 2;
	place = mode == C_NONE ? "host" : "vpid";
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		die("PR_SET_CHILD_SUBREAPER");
	csh = shared_mem(sizeof(*csh) + n * sizeof(int));
	c_create = shared_mem(n * sizeof(long long));
	c_fork = shared_mem(n * sizeof(long long));
	c_start = shared_mem(n * sizeof(long));
	v = calloc(n, sizeof(*v));
	heads = calloc(n, sizeof(*heads));
	csh->mode = mode;
	csh->stacks = stack_area(n + 1, HOLDER_STACK);
	if (pipe(pfd))
		die("pipe");
	csh->pipe_w = pfd[1];
	if (mode != C_NONE) {
		ctl_fd = open(CTL, O_WRONLY);
		if (ctl_fd < 0)
			die("open " CTL);
	}
	settle();
	s0 = slab_read();
	cp_next = n / NR_CHECKPOINTS;
	for (i = 0; i < n;) {
		csh->chain_end = mode == C_NESTED ? i + NESTED_DEPTH : i + 1;
		if (csh->chain_end > n)
			csh->chain_end = n;
		csh->depth[i] = 1;
		c_start[i] = i;
		t0 = now();
		p = clone(holder_fn, csh->stacks + (i + 1) * HOLDER_STACK,
			  TASK_FLAGS, (void *)i);
		c_fork[i] = now() - t0;
		if (p < 0)
			die("clone holder %ld", i);
		heads[nheads++] = p;
		if (read(pfd[0], &c, 1) != 1)
			die("read");
		if (csh->err) {
			errno = csh->err;
			die("containers %s: at %ld", names[mode], i);
		}
		i = csh->chain_end;
		if (csh->depth[i - 1] > depth_max)
			depth_max = csh->depth[i - 1];
		if (i < cp_next)
			continue;
		/* checkpoint: i containers (holders) alive */
		cont_alive = i;
		if (i == n)
			s1 = slab_read();
		memcpy(v, c_create + last, (i - last) * sizeof(*v));
		cr = median_ll(v, i - last);
		memcpy(v, c_fork + last, (i - last) * sizeof(*v));
		cl = median_ll(v, i - last);
		last = i;
		lookup_err = 0;
		if (mode != C_NONE)
			lk = (long long)measure(op_lookup_cont, scaled(20),
						scaled_reps(11)).med;
		snprintf(pname, sizeof(pname), "probe%d", k);
		if (mode != C_NONE)
			cp = run_probe(pname);
		else
			cp = (struct probe){ 0, 0, 0 };
		hp = run_probe(NULL);
		printf("case=scale_containers place=%s mode=%s n=%ld depth_max=%d create_ns=%lld clone_ns=%lld lookup_ns=%lld lookup_err=%ld probe_create_ns=%lld getpid_ns=%lld fork_wait_ns=%lld host_getpid_ns=%lld host_fork_wait_ns=%lld\n",
		       place, names[mode], i, depth_max, cr, cl, lk, lookup_err,
		       cp.create, cp.getpid, cp.fork_wait, hp.getpid,
		       hp.fork_wait);
		note("containers %s: %ld", names[mode], i);
		if (i == n)
			{
			snprintf(pname, sizeof(pname), "place=%s mode=%s",
				 place, names[mode]);
			report_mem("mem_containers", pname, n, s0, s1);
		}
		cp_next = (long)((double)n * ++k / NR_CHECKPOINTS);
	}
	t0 = now();
	for (i = 0; i < nheads; i++)
		kill(heads[i], SIGKILL);
	reap_all();
	printf("case=scale_containers_teardown place=%s mode=%s n=%ld ns_per_container=%lld\n",
	       place, names[mode], n, (now() - t0) / n);
	return 0;
}

/* ---------------------------------------------------------------- main */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vpidbench micro PLACE [CASE...]\n"
		"       vpidbench hostside LABEL\n"
		"       vpidbench floor MODE\n"
		"       vpidbench hold NCONTAINERS NTASKS -- CMD [ARG...]\n"
		"       vpidbench tasks host|pidns|vpid M\n"
		"       vpidbench containers none|flat|nested N\n"
		"       vpidbench probe [NAME]\n"
		"cases: getpid gettid getppid fork clone3 pthread kill killgroup readdir ps\n"
		"env: VPIDBENCH_SCALE (batch multiplier), VPIDBENCH_PS (ps command)\n");
}

int main(int argc, char **argv)
{
	const char *s = getenv("VPIDBENCH_SCALE");
	int r = 2;

	if (s && *s)
		scale = atof(s);
	if (scale <= 0)
		scale = 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "micro"))
		r = cmd_micro(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "hostside"))
		r = cmd_hostside(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "floor"))
		r = cmd_floor(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "hold"))
		r = cmd_hold(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "tasks"))
		r = cmd_tasks(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "containers"))
		r = cmd_containers(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "probe"))
		r = cmd_probe(argc - 2, argv + 2);
	if (r == 2)
		usage(stderr);
	return r;
}
