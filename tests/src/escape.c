// SPDX-License-Identifier: GPL-2.0
/*
 * escape - every pid-taking call against pids given on the command line.
 *
 *   escape [-f FILE] [LABEL=PID...]
 *
 * For each LABEL=PID (in order) it makes each call below once and prints
 * "CALL LABEL RESULT", RESULT being OK or the errno name, so the output of
 * a run inside a vpid container and of one inside a native pid namespace
 * compare line by line even though the numbers differ.  -f FILE: wait (up
 * to 30 s) for FILE to exist and take more LABEL=PID words from it; the
 * caller is then already running, so its own numbers can be passed in.
 *
 * Before the list: kill(-1, 0) and the PRIO_USER / IOPRIO_WHO_USER scans
 * (which must see only the caller's view).  Refuses to run unless it is
 * pid 1 (of a container or pid namespace): its set calls would otherwise
 * renice every task of the user.  After it: the same calls on a
 * child of ours ("child", visible), as a control that they do work.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KCMP_VM 1
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_PGRP 2
#define IOPRIO_WHO_USER 3

static char probe = 'x';	/* process_vm_readv reads this (same address in a child) */

static void res(const char *call, const char *label, long r)
{
	printf("%s %s %s\n", call, label, r < 0 ? strerrorname_np(errno) : "OK");
	fflush(stdout);
}

static void calls(const char *l, pid_t pid, int own_nice, int own_ioprio)
{
	struct sched_param sp = { 0 };
	struct timespec ts;
	struct rlimit rl;
	cpu_set_t set;
	siginfo_t si;
	struct iovec lv, rv;
	char buf;
	long r;
	int fd;

	res("kill", l, kill(pid, 0));
	res("kill-pgrp", l, kill(-pid, 0));
	res("tkill", l, syscall(SYS_tkill, pid, 0));
	res("tgkill", l, syscall(SYS_tgkill, pid, pid, 0));
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	res("rt_sigqueueinfo", l, syscall(SYS_rt_sigqueueinfo, pid, 0, &si));
	res("rt_tgsigqueueinfo", l,
	    syscall(SYS_rt_tgsigqueueinfo, pid, pid, 0, &si));
	res("getpgid", l, getpgid(pid));
	res("getsid", l, getsid(pid));
	res("setpgid", l, setpgid(pid, pid));
	CPU_ZERO(&set);
	sched_getaffinity(0, sizeof(set), &set);
	res("sched_getaffinity", l, sched_getaffinity(pid, sizeof(set), &set));
	CPU_ZERO(&set);
	sched_getaffinity(0, sizeof(set), &set);
	res("sched_setaffinity", l, sched_setaffinity(pid, sizeof(set), &set));
	res("sched_getscheduler", l, sched_getscheduler(pid));
	res("sched_getparam", l, sched_getparam(pid, &sp));
	sp.sched_priority = 0;
	res("sched_setscheduler", l, sched_setscheduler(pid, SCHED_OTHER, &sp));
	res("sched_rr_get_interval", l, sched_rr_get_interval(pid, &ts));
	errno = 0;
	r = getpriority(PRIO_PROCESS, pid);
	res("getpriority-process", l, r == -1 && errno ? -1 : 0);
	res("setpriority-process", l, setpriority(PRIO_PROCESS, pid, own_nice));
	errno = 0;
	r = getpriority(PRIO_PGRP, pid);
	res("getpriority-pgrp", l, r == -1 && errno ? -1 : 0);
	res("setpriority-pgrp", l, setpriority(PRIO_PGRP, pid, own_nice));
	res("ioprio_get-process", l,
	    syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, pid));
	res("ioprio_set-process", l,
	    syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, pid, own_ioprio));
	res("ioprio_get-pgrp", l, syscall(SYS_ioprio_get, IOPRIO_WHO_PGRP, pid));
	res("ioprio_set-pgrp", l,
	    syscall(SYS_ioprio_set, IOPRIO_WHO_PGRP, pid, own_ioprio));
	res("prlimit64", l, syscall(SYS_prlimit64, pid, RLIMIT_NOFILE, NULL, &rl));
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	res("pidfd_open", l, fd);
	if (fd >= 0)
		close(fd);
	lv.iov_base = &buf;
	lv.iov_len = 1;
	rv.iov_base = &probe;
	rv.iov_len = 1;
	res("process_vm_readv", l, process_vm_readv(pid, &lv, 1, &rv, 1, 0));
	res("kcmp", l, syscall(SYS_kcmp, getpid(), pid, KCMP_VM, 0, 0));
	r = ptrace(PTRACE_ATTACH, pid, 0, 0);
	res("ptrace-attach", l, r);
	if (r == 0) {
		waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, 0, 0);
	}
	r = ptrace(PTRACE_SEIZE, pid, 0, 0);
	res("ptrace-seize", l, r);
	if (r == 0)
		ptrace(PTRACE_DETACH, pid, 0, 0);
	memset(&si, 0, sizeof(si));
	res("waitid-pid", l, waitid(P_PID, pid, &si, WNOHANG | WEXITED));
	memset(&si, 0, sizeof(si));
	res("waitid-pgid", l, waitid(P_PGID, pid, &si, WNOHANG | WEXITED));
	res("wait4", l, wait4(pid, NULL, WNOHANG, NULL));
	res("wait4-pgrp", l, wait4(-pid, NULL, WNOHANG, NULL));
}

static char *slurp(const char *path)
{
	static char text[8192];
	size_t n;
	FILE *f;
	int i;

	for (i = 0; i < 3000; i++) {
		f = fopen(path, "r");
		if (f)
			break;
		usleep(10000);
	}
	if (!f) {
		printf("no %s\n", path);
		exit(3);
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = 0;
	fclose(f);
	return text;
}

static void one(char *word, int own_nice, int own_ioprio)
{
	char *eq = strchr(word, '=');
	pid_t pid;

	if (!eq) {
		printf("bad word %s\n", word);
		exit(2);
	}
	*eq = 0;
	pid = atoi(eq + 1);
	if (pid <= 1) {		/* 1 would be ourselves: not an escape */
		printf("bad pid %s=%d\n", word, pid);
		exit(2);
	}
	calls(word, pid, own_nice, own_ioprio);
}

int main(int argc, char **argv)
{
	int own_nice, own_ioprio, st, i = 1;
	char *text = NULL, *w, *save;
	pid_t c;
	long r;

	/*
	 * The set calls (setpriority PRIO_USER above all) would renice every
	 * task of the user if the view leaked: run only as pid 1 of a pid
	 * namespace or vpid container, never on a host.
	 */
	if (getpid() != 1) {
		fprintf(stderr, "escape: must run as pid 1 (of a container)\n");
		return 2;
	}
	if (argc >= 3 && !strcmp(argv[1], "-f")) {
		text = slurp(argv[2]);
		i = 3;
	}
	own_nice = getpriority(PRIO_PROCESS, 0);
	own_ioprio = (int)syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);

	/* scans over "every task": only ourselves is in view */
	res("kill-all", "-1", kill(-1, 0));
	errno = 0;
	r = getpriority(PRIO_USER, getuid());
	if (errno || r != own_nice)
		printf("getpriority-user OTHER %s %ld own %d\n",
		       errno ? strerrorname_np(errno) : "", r, own_nice);
	else
		printf("getpriority-user own\n");
	r = syscall(SYS_ioprio_get, IOPRIO_WHO_USER, getuid());
	if (r != own_ioprio)
		printf("ioprio_get-user OTHER %s %#lx own %#x\n",
		       r < 0 ? strerrorname_np(errno) : "", r, own_ioprio);
	else
		printf("ioprio_get-user own\n");
	res("setpriority-user", "0", setpriority(PRIO_USER, getuid(), own_nice));
	res("ioprio_set-user", "0",
	    syscall(SYS_ioprio_set, IOPRIO_WHO_USER, getuid(), own_ioprio));
	fflush(stdout);

	for (; i < argc; i++)
		one(argv[i], own_nice, own_ioprio);
	for (w = text ? strtok_r(text, " \t\n", &save) : NULL; w;
	     w = strtok_r(NULL, " \t\n", &save))
		one(w, own_nice, own_ioprio);

	/* the control: a child of ours in its own process group */
	c = fork();
	if (c == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	setpgid(c, c);
	calls("child", c, own_nice, own_ioprio);
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	printf("child reaped %s\n", WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) : "?");
	return 0;
}
