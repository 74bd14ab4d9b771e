// SPDX-License-Identifier: GPL-2.0
/*
 * nsid - a task's pid namespace as nsfs names it (/proc/PID/ns/pid,
 * pid_for_children, a pidfd's PIDFD_GET_PID_NAMESPACE, NS_GET_PARENT,
 * setns()): one line per question, the same in a native pid namespace and
 * in a container.  Namespaces are compared by identity (device and inode),
 * never printed.
 *
 *   nsid [FD]      FD: a pid namespace file of another world (a sibling's),
 *                  which setns() must refuse
 *   nsid outer FD  setns() to FD, the namespace the caller was in before
 *                  (natively refused: an ancestor's)
 *   nsid pidfd FD  setns() by FD, a pidfd of a task outside (refused),
 *                  then by a pidfd of the caller itself (allowed)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* 6.11+ (linux/pidfd.h, newer than the build's) */
#define NSID_PIDFD_GET_PID_NAMESPACE			_IO(0xFF, 5)
#define NSID_PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE	_IO(0xFF, 6)

static const char *ename(int err)
{
	return err ? strerrorname_np(err) : "OK";
}

static struct stat mine;

/* "mine", "other", or the errno of the stat */
static const char *who(int r, const struct stat *st)
{
	if (r < 0)
		return ename(errno);
	if (st->st_dev == mine.st_dev && st->st_ino == mine.st_ino)
		return "mine";
	return "other";
}

static const char *path_is(const char *path)
{
	struct stat st;

	return who(stat(path, &st), &st);
}

static const char *fd_is(int fd)
{
	struct stat st;

	if (fd < 0)
		return ename(errno);
	return who(fstat(fd, &st), &st);
}

static const char *same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(a, &sa) || stat(b, &sb))
		return ename(errno);
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino ? "yes" : "no";
}

/* NS_GET_PARENT of the namespace file @path */
static const char *parent_of(const char *path)
{
	int fd = open(path, O_RDONLY), p;
	const char *r;

	if (fd < 0)
		return ename(errno);
	p = ioctl(fd, NS_GET_PARENT);
	r = fd_is(p);
	if (p >= 0)
		close(p);
	close(fd);
	return r;
}

static const char *setns_to(const char *path)
{
	int fd = open(path, O_RDONLY), r;

	if (fd < 0)
		return ename(errno);
	r = setns(fd, CLONE_NEWPID);
	close(fd);
	return ename(r ? errno : 0);
}

/* a namespace of its own pidfd (6.11+; ENOTTY before) */
static void pidfd_ns(const char *what, unsigned long cmd)
{
	int pfd = syscall(SYS_pidfd_open, getpid(), 0), fd;

	fd = ioctl(pfd, cmd, 0);
	printf("%s: %s\n", what, fd_is(fd));
	if (fd >= 0)
		close(fd);
	close(pfd);
}

/* a child's view of itself: its namespace vs ours, then what it sees */
static void child_says(const char *what)
{
	char path[64];
	pid_t c = fork();

	if (c == 0) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", c);
	printf("%s: %s\n", what, c < 0 ? ename(errno) : path_is(path));
	if (c > 0) {
		kill(c, SIGKILL);
		waitpid(c, NULL, 0);
	}
}

/* unshare(CLONE_NEWPID) in a child, then its first child there */
static void inner(void)
{
	pid_t c = fork(), g;
	char path[64];
	int st, sync[2];

	if (c) {
		waitpid(c, &st, 0);
		return;
	}
	if (unshare(CLONE_NEWPID))
		printf("unshare: %s\n", ename(errno)), _exit(0);
	printf("for_children after unshare: %s\n",
	       path_is("/proc/self/ns/pid_for_children"));
	if (pipe(sync))
		_exit(1);
	g = fork();
	if (g == 0) {
		printf("inner init: getpid %d, /proc/self/ns/pid %s\n",
		       getpid(), path_is("/proc/self/ns/pid"));
		printf("inner init: its namespace's parent: %s\n",
		       parent_of("/proc/self/ns/pid"));
		write(sync[1], "", 1);
		pause();
		_exit(0);
	}
	read(sync[0], path, 1);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", g);
	printf("the inner init's namespace: %s, = pid_for_children: %s\n",
	       path_is(path), strcmp(path_is(path), "other") ? "?" :
	       same_file(path, "/proc/self/ns/pid_for_children"));
	printf("its parent: %s\n", parent_of(path));
	kill(g, SIGKILL);
	waitpid(g, &st, 0);
	printf("setns back to mine: %s\n", setns_to("/proc/self/ns/pid"));
	printf("for_children after setns back: %s\n",
	       path_is("/proc/self/ns/pid_for_children"));
	child_says("a child after setns back");
	_exit(0);
}

int main(int argc, char **argv)
{
	if (stat("/proc/self/ns/pid", &mine))
		return perror("/proc/self/ns/pid"), 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "outer")) {
		printf("setns to the outer namespace: %s\n",
		       ename(setns(atoi(argv[2]), CLONE_NEWPID) ? errno : 0));
		child_says("a child after it");
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "pidfd")) {
		int self = syscall(SYS_pidfd_open, getpid(), 0);

		printf("setns by an outside task's pidfd: %s\n",
		       ename(setns(atoi(argv[2]), CLONE_NEWPID) ? errno : 0));
		child_says("a child after it");
		printf("setns by my own pidfd: %s\n",
		       ename(self < 0 ? errno :
			     setns(self, CLONE_NEWPID) ? errno : 0));
		child_says("a child after it");
		return 0;
	}
	printf("/proc/1/ns/pid: %s\n", path_is("/proc/1/ns/pid"));
	printf("pid_for_children: %s\n",
	       path_is("/proc/self/ns/pid_for_children"));
	child_says("a child");
	pidfd_ns("pidfd's pid namespace", NSID_PIDFD_GET_PID_NAMESPACE);
	pidfd_ns("pidfd's pid_for_children",
		 NSID_PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE);
	printf("parent of mine: %s\n", parent_of("/proc/self/ns/pid"));
	printf("setns to mine: %s\n", setns_to("/proc/self/ns/pid"));
	child_says("a child after it");
	if (argc == 2)
		printf("setns to the sibling's: %s\n",
		       ename(setns(atoi(argv[1]), CLONE_NEWPID) ? errno : 0));
	inner();
	printf("end\n");
	return 0;
}
