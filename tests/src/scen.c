// SPDX-License-Identifier: GPL-2.0
/*
 * scen - deterministic pid scenarios.  Each prints what every call returned,
 * one "key value" line at a time; the suite runs a scenario as pid 1 of a
 * native pid namespace and as vpid 1 of a vpid container, and the two
 * outputs must be identical.
 *
 *   scen SCENARIO      (see the table at the bottom; scen --help lists them)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uapi/vpid.h"

#define say(...) do { printf(__VA_ARGS__); fflush(stdout); } while (0)

static pid_t sys_gettid(void) { return (pid_t)syscall(SYS_gettid); }
static pid_t sys_getpid(void) { return (pid_t)syscall(SYS_getpid); }

static int sync_fd[2];

/* a child says it got where it had to; the parent waits for n of them */
static void ready(void)
{
	if (write(sync_fd[1], "x", 1) != 1)
		_exit(99);
}

static void await(int n)
{
	char c;

	while (n-- > 0)
		if (read(sync_fd[0], &c, 1) != 1)
			exit(98);
}

static void ids(const char *who)
{
	say("%s pid=%d tid=%d ppid=%d pgrp=%d sid=%d\n", who, sys_getpid(),
	    sys_gettid(), getppid(), getpgrp(), getsid(0));
}

static void reap(const char *who, pid_t pid)
{
	int st = 0;
	pid_t r = waitpid(pid, &st, 0);

	say("%s waitpid=%d status=%d\n", who, r, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/* fork tree three deep; every node reports its numbers. */
static void tree(int depth, const char *name)
{
	char buf[64];
	pid_t c[2];
	int i;

	ids(name);
	if (!depth)
		return;
	for (i = 0; i < 2; i++) {
		snprintf(buf, sizeof(buf), "%s.%d", name, i);
		c[i] = fork();
		if (c[i] == 0) {
			tree(depth - 1, buf);
			_exit(10 + i);
		}
		/* serialised and printed after the child: deterministic */
		reap(name, c[i]);
		say("%s fork=%d\n", name, c[i]);
	}
}

static int s_basic(void)
{
	setsid();
	ids("init");
	tree(3, "n");
	return 0;
}

static int s_vfork(void)
{
	pid_t p;

	setsid();
	p = vfork();
	if (p == 0)
		_exit(getpid() == 2 ? 7 : 8);
	say("vfork=%d\n", p);
	reap("init", p);
	return 0;
}

static pid_t clone3_settid(uint64_t flags, pid_t *ptid, pid_t *ctid)
{
	struct clone_args a;

	memset(&a, 0, sizeof(a));
	a.flags = flags;
	a.exit_signal = SIGCHLD;
	a.parent_tid = (uintptr_t)ptid;
	a.child_tid = (uintptr_t)ctid;
	return (pid_t)syscall(SYS_clone3, &a, sizeof(a));
}

static int s_clone3(void)
{
	static pid_t ptid, ctid;
	pid_t p;

	setsid();
	p = clone3_settid(0, NULL, NULL);
	if (p == 0)
		_exit(getpid() == 2 ? 0 : 1);
	say("clone3 plain=%d\n", p);
	reap("init", p);
	p = clone3_settid(CLONE_PARENT_SETTID | CLONE_CHILD_SETTID, &ptid, &ctid);
	if (p == 0) {
		/* the child reads both words before the parent returns */
		say("child ptid=%d ctid=%d pid=%d\n", ptid, ctid, sys_getpid());
		_exit(0);
	}
	reap("init", p);
	say("clone3 settid=%d ptid=%d\n", p, ptid);
	return 0;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int nthreads_ok;

static void *thr(void *arg)
{
	pid_t tid = sys_gettid();

	pthread_mutex_lock(&lock);
	if (tid > 1 && tid <= 1 + 100 && sys_getpid() == 1)
		nthreads_ok++;
	pthread_mutex_unlock(&lock);
	return arg;
}

static int s_threads(void)
{
	pthread_t t[100];
	int i;

	setsid();
	for (i = 0; i < 100; i++)
		pthread_create(&t[i], NULL, thr, NULL);
	for (i = 0; i < 100; i++)
		pthread_join(t[i], NULL);
	say("threads ok=%d\n", nthreads_ok);
	/* raise() uses glibc's cached tid through tgkill */
	signal(SIGUSR1, SIG_IGN);
	say("raise=%d\n", raise(SIGUSR1));
	say("pthread_kill=%d\n", pthread_kill(pthread_self(), SIGUSR1));
	return 0;
}

/*
 * Robust and PI mutexes in shared memory between processes: the owner dies
 * holding the robust one (the kernel writes FUTEX_OWNER_DIED by comparing
 * the TID in the word with the dying task's number), and the PI one is
 * contended (the kernel looks the owner up by the TID in the word).
 */
static int s_futex(void)
{
	pthread_mutexattr_t at;
	pthread_mutex_t *m;
	pid_t p;
	int r;

	setsid();
	m = mmap(NULL, 2 * sizeof(*m), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_init(&at);
	pthread_mutexattr_setpshared(&at, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&at, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&m[0], &at);
	pthread_mutexattr_init(&at);
	pthread_mutexattr_setpshared(&at, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setprotocol(&at, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&m[1], &at);

	pipe(sync_fd);
	p = fork();
	if (p == 0) {
		pthread_mutex_lock(&m[0]);
		pthread_mutex_lock(&m[1]);
		say("child holds both owner=%d\n", m[1].__data.__owner);
		ready();
		usleep(200000);
		pthread_mutex_unlock(&m[1]);
		_exit(0);	/* dies holding the robust mutex */
	}
	await(1);
	r = pthread_mutex_lock(&m[1]);	/* PI: blocks on the child */
	say("pi lock=%d owner=%d\n", r, m[1].__data.__owner);
	pthread_mutex_unlock(&m[1]);
	r = pthread_mutex_lock(&m[0]);
	say("robust lock=%s\n", r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
	if (r == EOWNERDEAD)
		pthread_mutex_consistent(&m[0]);
	pthread_mutex_unlock(&m[0]);
	reap("init", p);
	return 0;
}

/* exec from a non-leader thread: the thread takes the leader's pid. */
static void *exec_thr(void *arg)
{
	char *argv[] = { arg, "exec-after", NULL };

	execv("/proc/self/exe", argv);
	return NULL;
}

static int s_exec_thread(char *self)
{
	pthread_t t;

	setsid();
	say("before pid=%d\n", sys_getpid());
	pthread_create(&t, NULL, exec_thr, self);
	pause();
	return 1;
}

static int s_exec_after(void)
{
	say("after pid=%d tid=%d\n", sys_getpid(), sys_gettid());
	return 0;
}

/* kill, process groups and sessions inside the view */
static int s_groups(void)
{
	pid_t a, b;
	int st;

	setsid();
	ids("init");
	pipe(sync_fd);
	a = fork();
	if (a == 0) {
		setpgid(0, 0);
		ids("a");
		ready();
		pause();
		_exit(0);
	}
	await(1);
	b = fork();
	if (b == 0) {
		setsid();
		ids("b");
		ready();
		pause();
		_exit(0);
	}
	await(1);
	say("getpgid(a)=%d getsid(b)=%d getsid(a)=%d\n", getpgid(a), getsid(b),
	    getsid(a));
	say("setpgid(b)=%d\n", setpgid(b, b) ? -errno : 0);
	say("kill(a,0)=%d kill(99,0)=%d\n", kill(a, 0),
	    kill(99, 0) ? -errno : 0);
	say("kill(-a)=%d\n", kill(-a, SIGTERM));
	waitpid(a, &st, 0);
	say("a signaled=%d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	say("kill(-1)=%d\n", kill(-1, SIGTERM));
	waitpid(b, &st, 0);
	say("b signaled=%d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	say("kill(-1) empty=%d\n", kill(-1, SIGTERM) ? -errno : 0);
	say("prio(b)=%d\n", setpriority(PRIO_PROCESS, b, 5) ? -errno : 0);
	return 0;
}

/* waitid and wait4 with pids and process groups */
static int s_wait(void)
{
	siginfo_t si;
	pid_t p;

	setsid();
	p = fork();
	if (p == 0)
		_exit(3);
	memset(&si, 0, sizeof(si));
	say("waitid=%d\n", waitid(P_PID, p, &si, WEXITED));
	say("si_pid=%d si_status=%d si_code=%d\n", si.si_pid, si.si_status,
	    si.si_code);
	say("waitpid(unknown)=%d\n", waitpid(77, NULL, 0) < 0 ? -errno : 0);
	p = fork();
	if (p == 0)
		_exit(4);
	say("wait4(-pgrp)=%d\n", waitpid(-getpgrp(), NULL, 0) == p);
	return 0;
}

/* SIGCHLD ignored: children are auto-reaped, fork still returns numbers */
static int s_autoreap(void)
{
	int i, bad = 0, last = 0;
	pid_t p;

	setsid();
	signal(SIGCHLD, SIG_IGN);
	for (i = 0; i < 10000; i++) {
		p = fork();
		if (p == 0)
			_exit(0);
		if (p <= 1 || p == last)
			bad++;
		last = p;
	}
	while (wait(NULL) > 0)
		;
	say("autoreap forks=%d bad=%d\n", i, bad);
	return 0;
}

static volatile sig_atomic_t got_pid, got_code, got_sig;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_pid = si->si_pid;
	got_code = si->si_code;
}

static void catch(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

/*
 * Sleep until @done() holds.  The signals stay blocked between the test and
 * the sleep (sigsuspend): with `while (!x) pause();` a signal handled in
 * between would leave the scenario asleep (seen on PREEMPT_RT under TCG).
 */
static void sleep_until(int (*done)(void))
{
	sigset_t all, old;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	while (!done())
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static int sig_seen(void)
{
	return got_sig != 0;
}

static int child_exited(void)
{
	return got_code == CLD_EXITED;
}

static void wait_sig(void)
{
	sleep_until(sig_seen);
}

/* SIGCHLD si_pid for stop, continue, exit and kill; si_pid of user signals */
static int s_signals(void)
{
	sigset_t set;
	siginfo_t si;
	pid_t p;

	setsid();
	catch(SIGCHLD);
	pipe(sync_fd);
	p = fork();
	if (p == 0) {
		char c;

		raise(SIGSTOP);
		/* exit only once the parent saw CLD_CONTINUED: SIGCHLDs merge */
		if (read(sync_fd[0], &c, 1) != 1)
			_exit(6);
		_exit(5);
	}
	wait_sig();
	say("stop si_pid=%d code=%d\n", got_pid, got_code);
	got_sig = 0;
	kill(p, SIGCONT);
	wait_sig();
	say("cont si_pid=%d code=%d\n", got_pid, got_code);
	got_sig = 0;
	ready();
	sleep_until(child_exited);
	say("exit si_pid=%d code=%d\n", got_pid, got_code);
	waitpid(p, NULL, 0);

	/* kill and sigqueue from a child, through a handler */
	signal(SIGCHLD, SIG_DFL);
	catch(SIGUSR1);
	got_sig = 0;
	p = fork();
	if (p == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	wait_sig();
	say("kill si_pid=%d code=%d\n", got_pid, got_code);
	waitpid(p, NULL, 0);

	/* sigqueue, received by sigwaitinfo */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	p = fork();
	if (p == 0) {
		union sigval v = { .sival_int = 42 };

		sigqueue(getppid(), SIGUSR2, v);
		_exit(0);
	}
	sigwaitinfo(&set, &si);
	say("sigqueue si_pid=%d code=%d val=%d\n", si.si_pid, si.si_code,
	    si.si_value.sival_int);
	waitpid(p, NULL, 0);

	/* tgkill from a child to the parent's thread */
	p = fork();
	if (p == 0) {
		syscall(SYS_tgkill, getppid(), getppid(), SIGUSR2);
		_exit(0);
	}
	sigwaitinfo(&set, &si);
	say("tgkill si_pid=%d code=%d\n", si.si_pid, si.si_code);
	waitpid(p, NULL, 0);
	return 0;
}

/* The init ignores default-action signals sent from inside. */
static int s_initprot(void)
{
	pid_t p;
	int st;

	setsid();
	p = fork();
	if (p == 0) {
		int a = kill(1, SIGTERM), b = kill(1, SIGKILL), c = kill(1, SIGSTOP);

		_exit(a == 0 && b == 0 && c == 0 ? 0 : 1);
	}
	waitpid(p, &st, 0);
	say("init survived SIGTERM/SIGKILL/SIGSTOP from inside, child=%d\n",
	    WEXITSTATUS(st));
	catch(SIGTERM);
	p = fork();
	if (p == 0) {
		kill(1, SIGTERM);
		_exit(0);
	}
	wait_sig();
	say("handled SIGTERM from pid %d\n", got_pid);
	waitpid(p, NULL, 0);
	return 0;
}

/* Orphans are reparented to the init, or to a subreaper inside. */
static int s_orphans(void)
{
	pid_t a, b, r;
	int i;

	setsid();
	pipe(sync_fd);
	for (i = 0; i < 2; i++) {
		a = fork();
		if (a == 0) {
			if (i == 1)
				prctl(PR_SET_CHILD_SUBREAPER, 1);
			b = fork();
			if (b == 0) {
				pid_t me = getpid(), c = fork();

				if (c == 0) {
					/* grandchild: wait for its parent to die */
					while (getppid() == me)
						usleep(10000);
					say("orphan %d pid=%d ppid=%d\n", i,
					    getpid(), getppid());
					_exit(0);
				}
				_exit(0);
			}
			if (i == 1) {
				waitpid(b, NULL, 0);
				r = wait(NULL);	/* the orphan, adopted by us */
				say("subreaper reaped %d\n", r);
			}
			waitpid(b, NULL, 0);
			_exit(0);
		}
		waitpid(a, NULL, 0);
		if (i == 0) {
			r = wait(NULL);
			say("init reaped %d\n", r);
		}
	}
	return 0;
}

/* Exit of the init with a tree of 100 tasks in three levels below it. */
static int s_zap(void)
{
	int i, j, k;

	setsid();
	for (i = 0; i < 4; i++) {
		if (fork() == 0) {
			prctl(PR_SET_NAME, "zapvictim");
			for (j = 0; j < 4; j++) {
				if (fork() == 0) {
					prctl(PR_SET_NAME, "zapvictim");
					for (k = 0; k < 5; k++)
						if (fork() == 0) {
							prctl(PR_SET_NAME, "zapvictim");
							pause();
						}
					pause();
				}
			}
			pause();
		}
	}
	sleep(2);
	say("zap: init exits\n");
	return 0;
}

static void ctl_write(const char *cmd)
{
	FILE *f = fopen(VPID_CONTROL_FILE, "w");

	if (!f || fputs(cmd, f) < 0 || fclose(f) != 0) {
		say("ctl %s failed: %s\n", cmd, strerror(errno));
		_exit(97);
	}
}

static void listing(const char *who)
{
	char line[256];
	FILE *f = fopen(VPID_CONTROL_FILE, "r");

	while (f && fgets(line, sizeof(line), f))
		say("%s| %s", who, line);
	if (f)
		fclose(f);
}

/*
 * vpid only: three nested levels, each reporting what it sees.  Run as vpid
 * 1 of a fresh container; the child moves into n2, its child into n3.
 */
static int s_nest(void)
{
	int go[2], up1[2];
	pid_t c1, c2;
	char c;

	setsid();
	pipe(up1);	/* c1 -> init */
	pipe(sync_fd);	/* c2 -> c1 */
	pipe(go);
	c1 = fork();
	if (c1 == 0) {
		close(go[1]);
		ctl_write("n2");
		ids("c1");
		c2 = fork();
		if (c2 == 0) {
			ctl_write("n3");
			ids("c2");
			listing("c2");
			say("c2 kill(2,0)=%d kill(3,0)=%d\n",
			    kill(2, 0) ? -errno : 0, kill(3, 0) ? -errno : 0);
			ready();
			read(go[0], &c, 1);
			_exit(0);
		}
		await(1);
		say("c1 sees c2 as %d\n", c2);
		listing("c1");
		sync_fd[1] = up1[1];
		ready();
		read(go[0], &c, 1);
		waitpid(c2, NULL, 0);
		_exit(0);
	}
	close(up1[1]);
	sync_fd[0] = up1[0];
	await(1);
	say("init sees c1 as %d\n", c1);
	listing("init");
	say("init kill(2,0)=%d kill(3,0)=%d kill(4,0)=%d\n",
	    kill(2, 0) ? -errno : 0, kill(3, 0) ? -errno : 0,
	    kill(4, 0) ? -errno : 0);
	close(go[1]);
	waitpid(c1, NULL, 0);
	listing("after");
	return 0;
}

/* Wait for SIGUSR1 from outside; print who sent it as we see it. */
static int s_sigwait(void)
{
	sigset_t set;
	siginfo_t si;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	say("ready\n");
	sigwaitinfo(&set, &si);
	say("sigwait si_pid=%d code=%d\n", si.si_pid, si.si_code);
	return 0;
}

/* vpid only: a long-lived task answering commands on stdin. */
static int s_report(void)
{
	char cmd[64];
	pid_t p;

	while (fgets(cmd, sizeof(cmd), stdin)) {
		if (cmd[0] == 'p') {
			ids("r");
		} else if (cmd[0] == 'f') {
			p = fork();
			if (p == 0)
				_exit(0);
			waitpid(p, NULL, 0);
			say("r fork=%d\n", p);
		} else if (cmd[0] == 'q') {
			break;
		}
	}
	return 0;
}

/* pidfd_open takes numbers of the caller's view */
static int s_pidfd(void)
{
	int fd, r;
	pid_t p;

	setsid();
	p = fork();
	if (p == 0) {
		pause();
		_exit(0);
	}
	fd = (int)syscall(SYS_pidfd_open, p, 0);
	say("pidfd_open(child)=%s\n", fd >= 0 ? "fd" : strerror(errno));
	r = (int)syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
	say("pidfd_send_signal=%d\n", r);
	waitpid(p, NULL, 0);
	fd = (int)syscall(SYS_pidfd_open, 77, 0);
	say("pidfd_open(77)=%s\n", fd >= 0 ? "fd" : strerror(errno));
	fd = (int)syscall(SYS_pidfd_open, 0, 0);
	say("pidfd_open(0)=%s\n", fd >= 0 ? "fd" : strerror(errno));
	return 0;
}

/*
 * ptrace of a forking child from inside: the tracer's event messages
 * (PTRACE_GETEVENTMSG) must be the numbers the tracee's fork/clone/vfork
 * returned, and PTRACE_GETSIGINFO shows a sibling's kill and a SIGCHLD with
 * their senders' numbers.  Stops of the auto-attached tasks come in any
 * order: they are collected and printed sorted at the end.
 */
static pid_t pt_thread_tid;

static void *pt_thread(void *arg)
{
	pt_thread_tid = sys_gettid();
	return arg;
}

static const char *pt_event(int e)
{
	switch (e) {
	case PTRACE_EVENT_FORK: return "fork";
	case PTRACE_EVENT_VFORK: return "vfork";
	case PTRACE_EVENT_CLONE: return "clone";
	case PTRACE_EVENT_EXEC: return "exec";
	case PTRACE_EVENT_VFORK_DONE: return "vfork_done";
	case PTRACE_EVENT_EXIT: return "exit";
	case PTRACE_EVENT_STOP: return "stop";
	default: return "?";
	}
}

static int pt_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int s_ptrace(void)
{
	char *late[32], line[128], c;
	int go[2], st, nlate = 0, i;
	unsigned long msg;
	siginfo_t si;
	pid_t p, a, b, r;

	setsid();
	pipe(go);
	p = fork();
	if (p == 0) {
		sigset_t set;
		pthread_t t;
		pid_t f, v;

		/* no SIGCHLD stops in the event sequence below */
		sigemptyset(&set);
		sigaddset(&set, SIGCHLD);
		sigprocmask(SIG_BLOCK, &set, NULL);
		if (read(go[0], &c, 1) != 1)
			_exit(90);
		f = fork();
		if (f == 0)
			_exit(0);
		r = waitpid(f, &st, 0);
		say("tracee fork=%d waitpid=%d status=%d\n", f, r,
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		pthread_create(&t, NULL, pt_thread, NULL);
		pthread_join(t, NULL);
		say("tracee thread tid=%d\n", pt_thread_tid);
		v = vfork();
		if (v == 0)
			_exit(3);
		r = waitpid(v, &st, 0);
		say("tracee vfork=%d waitpid=%d status=%d\n", v, r,
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		execl("/bin/true", "true", (char *)NULL);
		_exit(91);
	}
	say("tracer child=%d\n", p);
	say("seize=%d\n", ptrace(PTRACE_SEIZE, p, 0, PTRACE_O_TRACEFORK |
				 PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
				 PTRACE_O_TRACEEXEC | PTRACE_O_TRACEVFORKDONE) ? -errno : 0);
	write(go[1], "x", 1);
	for (;;) {
		r = waitpid(-1, &st, __WALL);
		if (r < 0)
			break;
		if (r == p && WIFSTOPPED(st) && st >> 16) {
			/* the tracee's events: in order, while it is stopped */
			msg = 0;
			ptrace(PTRACE_GETEVENTMSG, p, 0, &msg);
			say("tracer waitpid=%d event=%s msg=%lu\n", r,
			    pt_event(st >> 16), msg);
			ptrace(PTRACE_CONT, p, 0, 0);
		} else if (r == p && WIFSTOPPED(st)) {
			say("tracer waitpid=%d signal-stop=%d\n", r, WSTOPSIG(st));
			ptrace(PTRACE_CONT, p, 0, WSTOPSIG(st));
		} else if (r == p) {
			say("tracer waitpid=%d exited=%d\n", r,
			    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		} else {
			/* auto-attached tasks: any order */
			if (WIFSTOPPED(st))
				snprintf(line, sizeof(line), "task %d stop sig=%d event=%s\n",
					 r, WSTOPSIG(st), pt_event(st >> 16));
			else
				snprintf(line, sizeof(line), "task %d exited=%d\n",
					 r, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
			if (nlate < 32)
				late[nlate++] = strdup(line);
			if (WIFSTOPPED(st))
				ptrace(PTRACE_CONT, r, 0, 0);
		}
	}
	qsort(late, nlate, sizeof(late[0]), pt_cmp);
	for (i = 0; i < nlate; i++)
		say("%s", late[i]);

	/* GETSIGINFO: a sibling's kill, and the tracee's SIGCHLD */
	a = fork();
	if (a == 0) {
		pid_t g;

		if (read(go[0], &c, 1) != 1)
			_exit(90);
		g = fork();
		if (g == 0)
			_exit(4);
		r = waitpid(g, &st, 0);
		say("a fork=%d waitpid=%d\n", g, r);
		_exit(0);
	}
	ptrace(PTRACE_SEIZE, a, 0, 0);
	b = fork();
	if (b == 0) {
		kill(a, SIGUSR1);
		_exit(0);
	}
	say("a=%d b=%d\n", a, b);
	r = waitpid(b, &st, 0);
	say("waitpid(b)=%d\n", r);
	for (;;) {
		r = waitpid(a, &st, __WALL);
		if (r < 0 || !WIFSTOPPED(st))
			break;
		memset(&si, 0, sizeof(si));
		ptrace(PTRACE_GETSIGINFO, a, 0, &si);
		say("a stop sig=%d si_pid=%d si_code=%d si_status=%d\n",
		    WSTOPSIG(st), si.si_pid, si.si_code,
		    WSTOPSIG(st) == SIGCHLD ? si.si_status : 0);
		ptrace(PTRACE_CONT, a, 0, 0);	/* the signal is dropped */
		if (WSTOPSIG(st) == SIGUSR1)
			write(go[1], "x", 1);
	}
	say("waitpid(a)=%d exited=%d\n", r, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}

/*
 * Run by a task attached to a container made empty ("mkempty"), at a vpid
 * other than 1: clone3(CLONE_NEWPID, set_tid [1]) makes the child the
 * container's init.  Once the caller is gone, the init gets an orphan
 * (and no SIGTERM from inside), then a second CLONE_NEWPID makes a native
 * pid namespace, as anywhere with an init.
 */
static int s_newinit(void)
{
	pid_t one[1] = { 1 };
	struct clone_args a;
	pid_t p, b, r;
	char c;

	if (pipe(sync_fd))
		return 1;
	ids("attached");
	memset(&a, 0, sizeof(a));
	a.flags = CLONE_NEWPID;
	a.exit_signal = SIGCHLD;
	a.set_tid = (uintptr_t)one;
	a.set_tid_size = 1;
	p = (pid_t)syscall(SYS_clone3, &a, sizeof(a));
	if (p == 0) {
		close(sync_fd[1]);
		/* the caller leaves first: the container is the init's */
		while (read(sync_fd[0], &c, 1) > 0)
			;
		while (getppid())
			usleep(10000);
		ids("init");
		b = fork();
		if (b == 0) {
			pid_t me = getpid(), gc = fork();

			if (gc == 0) {
				while (getppid() == me)
					usleep(10000);
				say("orphan pid=%d ppid=%d kill(1, SIGTERM)=%d\n",
				    getpid(), getppid(), kill(1, SIGTERM));
				_exit(0);
			}
			_exit(0);
		}
		waitpid(b, NULL, 0);
		r = wait(NULL);
		say("init reaped %d\n", r);
		memset(&a, 0, sizeof(a));
		a.flags = CLONE_NEWPID;
		a.exit_signal = SIGCHLD;
		p = (pid_t)syscall(SYS_clone3, &a, sizeof(a));
		if (p == 0) {
			ids("nested");
			_exit(0);
		}
		reap("init", p);
		say("init clone3(CLONE_NEWPID)=%d\n", p);
		_exit(0);
	}
	say("clone3(CLONE_NEWPID, set_tid [1])=%d\n", p);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} scenarios[] = {
	{ "basic", s_basic },
	{ "vfork", s_vfork },
	{ "clone3", s_clone3 },
	{ "threads", s_threads },
	{ "futex", s_futex },
	{ "groups", s_groups },
	{ "wait", s_wait },
	{ "autoreap", s_autoreap },
	{ "signals", s_signals },
	{ "initprot", s_initprot },
	{ "orphans", s_orphans },
	{ "zap", s_zap },
	{ "pidfd", s_pidfd },
	{ "ptrace", s_ptrace },
	{ "nest", s_nest },
	{ "report", s_report },
	{ "sigwait", s_sigwait },
	{ "exec-after", s_exec_after },
	{ "newinit", s_newinit },
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc == 2 && !strcmp(argv[1], "exec-thread"))
		return s_exec_thread(argv[0]);
	for (i = 0; argc == 2 && i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (!strcmp(argv[1], scenarios[i].name))
			return scenarios[i].fn();
	fprintf(stderr, "usage: scen SCENARIO\nscenarios: exec-thread");
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		fprintf(stderr, " %s", scenarios[i].name);
	fprintf(stderr, "\n");
	return argc == 2 && !strcmp(argv[1], "--help") ? 0 : 2;
}
