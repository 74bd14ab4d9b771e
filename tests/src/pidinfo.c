// SPDX-License-Identifier: GPL-2.0
/*
 * pidinfo - PIDFD_GET_INFO (later kernels) as a program would ask it.
 *
 *   pidinfo PID        pidfd_open(PID), then the ioctl
 *   pidinfo --fd N     the ioctl on an inherited pidfd N
 *   pidinfo --exited   fork a child, reap it, then ask with PIDFD_INFO_EXIT
 *
 * Prints "pid P tgid T ppid PP" (or "exit STATUS") or "error ENAME".
 * Exit status 3 when this kernel has no PIDFD_GET_INFO (ENOTTY/EINVAL).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* the first version of struct pidfd_info (64 bytes) */
struct info0 {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid, tgid, ppid;
	uint32_t ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	int32_t exit_code;
};

#define INFO_PID 1ULL
#define INFO_EXIT 8ULL
#define GET_INFO _IOWR(0xFF, 11, struct info0)

static int ask(int fd, uint64_t mask)
{
	struct info0 in = { .mask = mask };

	if (ioctl(fd, GET_INFO, &in)) {
		if (errno == ENOTTY || errno == EINVAL)
			return 3;
		printf("error %s\n", errno == EREMOTE ? "EREMOTE" :
		       errno == ESRCH ? "ESRCH" : strerror(errno));
		return 1;
	}
	if (in.mask & INFO_PID)
		printf("pid %u tgid %u ppid %u\n", in.pid, in.tgid, in.ppid);
	else if (in.mask & INFO_EXIT)
		printf("exit %d\n", in.exit_code);
	else
		printf("nothing\n");
	return 0;
}

int main(int argc, char **argv)
{
	int fd, st;
	pid_t p;

	if (argc == 3 && !strcmp(argv[1], "--fd"))
		return ask(atoi(argv[2]), INFO_PID);
	if (argc == 2 && !strcmp(argv[1], "--exited")) {
		p = fork();
		if (p == 0)
			_exit(7);
		fd = syscall(SYS_pidfd_open, p, 0);
		if (fd < 0 || waitpid(p, &st, 0) != p)
			return 2;
		return ask(fd, INFO_EXIT);
	}
	if (argc != 2) {
		fprintf(stderr, "usage: pidinfo PID | --fd N | --exited\n");
		return 2;
	}
	fd = syscall(SYS_pidfd_open, atoi(argv[1]), 0);
	if (fd < 0) {
		printf("error pidfd_open %s\n", strerror(errno));
		return 1;
	}
	return ask(fd, INFO_PID);
}
