// SPDX-License-Identifier: GPL-2.0
/*
 * ctlw - write one command to /proc/container and report the result.
 *
 *   ctlw CMD              print OK or the errno name (EINVAL, EEXIST, ...)
 *   ctlw -x CMD PROG ...  write CMD, then exec PROG (fails loudly)
 *   ctlw -r CMD           write CMD raw: no trailing newline added
 *   ctlw -n NAME PROG ... fork a child that is pid 1 of a nested container
 *                         NAME (or of a new native pid namespace for NAME
 *                         "native") and execs PROG; wait for it
 *   ctlw -t N SECS        N threads and the main one sleep SECS seconds
 *
 * -n and -t build the same process trees in a native pid namespace and in
 * a vpid container (tests/guest/proctree.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uapi/vpid.h"

static const char *ename(int e)
{
	switch (e) {
	case 0: return "OK";
	case EINVAL: return "EINVAL";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EEXIST: return "EEXIST";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EBUSY: return "EBUSY";
	case EPERM: return "EPERM";
	case ENOSPC: return "ENOSPC";
	case ENOMEM: return "ENOMEM";
	case EAGAIN: return "EAGAIN";
	case EFAULT: return "EFAULT";
	default: return strerror(e);
	}
}

static int put(const char *cmd, int raw)
{
	char buf[8192];
	int fd = open(VPID_CONTROL_FILE, O_WRONLY);
	size_t n = strlen(cmd);
	ssize_t r;

	if (fd < 0)
		return errno;
	if (n + 2 > sizeof(buf)) {
		r = write(fd, cmd, n);
	} else {
		memcpy(buf, cmd, n);
		if (!raw)
			buf[n++] = '\n';
		r = write(fd, buf, n);
	}
	close(fd);
	return r < 0 ? errno : 0;
}

static void *sleeper(void *arg)
{
	sleep(*(unsigned int *)arg);
	return NULL;
}

static int nest(char *name, char **prog)
{
	int native = !strcmp(name, "native"), st, e;
	pid_t pid;

	if (native && unshare(CLONE_NEWPID)) {
		perror("unshare");
		return 113;
	}
	pid = fork();
	if (pid < 0)
		return 114;
	if (pid == 0) {
		if (!native) {
			e = put(name, 0);
			if (e) {
				fprintf(stderr, "ctlw: %s: %s\n", name, ename(e));
				_exit(111);
			}
		}
		execvp(prog[0], prog);
		perror(prog[0]);
		_exit(112);
	}
	if (waitpid(pid, &st, 0) != pid)
		return 115;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	int e;

	if (argc >= 4 && !strcmp(argv[1], "-n"))
		return nest(argv[2], argv + 3);
	if (argc == 4 && !strcmp(argv[1], "-t")) {
		unsigned int secs = atoi(argv[3]);
		int i, n = atoi(argv[2]);
		pthread_t t;

		for (i = 0; i < n; i++)
			pthread_create(&t, NULL, sleeper, &secs);
		sleep(secs);
		return 0;
	}

	if (argc >= 4 && !strcmp(argv[1], "-x")) {
		e = put(argv[2], 0);
		if (e) {
			fprintf(stderr, "ctlw: %s: %s\n", argv[2], ename(e));
			return 111;
		}
		execvp(argv[3], argv + 3);
		perror(argv[3]);
		return 112;
	}
	if (argc == 3 && !strcmp(argv[1], "-r")) {
		puts(ename(put(argv[2], 1)));
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: ctlw CMD | ctlw -r CMD | ctlw -x CMD PROG [ARG...]\n");
		return 2;
	}
	puts(ename(put(argv[1], 0)));
	return 0;
}
