// SPDX-License-Identifier: GPL-2.0
/*
 * procmnt - mount a proc with the pidns= option (Linux 6.18 and later) the
 * way a program would, and say which pids it shows.
 *
 *   procmnt mount NSFILE   mount(2) with "pidns=NSFILE" on a fresh
 *                          directory (the caller unshares the mount ns)
 *   procmnt fd NSFILE      fsopen + fsconfig(FSCONFIG_SET_FD) + fsmount
 *   procmnt path NSFILE    fsopen + fsconfig(FSCONFIG_SET_STRING)
 *   procmnt probe          exit 0 when this kernel knows pidns=
 *
 * Prints "pids N N ..." (the numeric entries of the new proc's root, in
 * readdir order sorted) or "error ENAME", so that a test can compare a
 * container with a native pid namespace.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef FSCONFIG_SET_STRING
#define FSCONFIG_SET_STRING 1
#define FSCONFIG_SET_FD 5
#define FSCONFIG_CMD_CREATE 6
#endif
#ifndef SYS_fsopen
#define SYS_fsopen 430
#define SYS_fsconfig 431
#define SYS_fsmount 432
#endif

static const char *ename(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case EBUSY: return "EBUSY";
	case ENOMEM: return "ENOMEM";
	case ENOSYS: return "ENOSYS";
	default: return strerror(e);
	}
}

static int cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* print the pids of the proc whose root directory is @fd */
static int list(int fd)
{
	static int pids[65536];
	struct dirent *d;
	size_t n = 0, i;
	DIR *dir = fdopendir(fd);

	if (!dir) {
		printf("error %s\n", ename(errno));
		return 1;
	}
	while ((d = readdir(dir)) && n < sizeof(pids) / sizeof(pids[0]))
		if (d->d_name[0] >= '1' && d->d_name[0] <= '9')
			pids[n++] = atoi(d->d_name);
	qsort(pids, n, sizeof(pids[0]), cmp);
	printf("pids");
	for (i = 0; i < n; i++)
		printf(" %d", pids[i]);
	printf("\n");
	closedir(dir);
	return 0;
}

static int fail(void)
{
	printf("error %s\n", ename(errno));
	return 1;
}

int main(int argc, char **argv)
{
	char opt[4096], dir[] = "/tmp/procmnt.XXXXXX";
	int fs, mnt, ns;

	if (argc == 2 && !strcmp(argv[1], "probe")) {
		/* a pidns= that cannot be opened: EBADF/ENOENT if known */
		fs = syscall(SYS_fsopen, "proc", 0);
		if (fs < 0)
			return 1;
		return syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "pidns",
			       "/nonexistent", 0) == 0 || errno != EINVAL ? 0 : 1;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: procmnt mount|fd|path NSFILE | procmnt probe\n");
		return 2;
	}
	if (!strcmp(argv[1], "mount")) {
		if (!mkdtemp(dir))
			return fail();
		snprintf(opt, sizeof(opt), "pidns=%s", argv[2]);
		if (mount("proc", dir, "proc", 0, opt))
			return fail();
		mnt = open(dir, O_RDONLY | O_DIRECTORY);
		if (mnt < 0)
			return fail();
		return list(mnt);
	}
	fs = syscall(SYS_fsopen, "proc", 0);
	if (fs < 0)
		return fail();
	if (!strcmp(argv[1], "fd")) {
		ns = open(argv[2], O_RDONLY);
		if (ns < 0)
			return fail();
		if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_FD, "pidns", NULL, ns))
			return fail();
	} else if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "pidns",
			   argv[2], 0)) {
		return fail();
	}
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		return fail();
	mnt = syscall(SYS_fsmount, fs, 0, 0);
	if (mnt < 0)
		return fail();
	/* fsmount() gives an O_PATH descriptor: open the root to read it */
	fs = openat(mnt, ".", O_RDONLY | O_DIRECTORY);
	if (fs < 0)
		return fail();
	return list(fs);
}
