// SPDX-License-Identifier: GPL-2.0
/*
 * run.c - vpidctl run NAME [--] [CMD...]: create container NAME with
 * vpidctl as its init, give it a mount namespace with its own /proc, and
 * execute CMD.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "vpidctl.h"

/**
 * exec_cmd() - execute a command line, or the user's shell
 * @cmd: NULL-terminated argv; empty for $SHELL, else /bin/sh
 *
 * Return: only on failure, once it is printed: EXIT_NOTFOUND if the
 * program is not found, else EXIT_NOEXEC.
 */
int exec_cmd(char **cmd)
{
	char *shell[2] = { NULL, NULL };
	int err;

	if (!cmd[0]) {
		shell[0] = getenv("SHELL");
		if (!shell[0] || !*shell[0])
			shell[0] = "/bin/sh";
		cmd = shell;
	}
	fflush(NULL);
	execvp(cmd[0], cmd);
	err = errno;
	fail(err, "cannot run %s: %s", cmd[0], strerror(err));
	return err == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC;
}

/**
 * mount_own_proc() - for vpid 1 of a new container: a mount namespace of
 * its own with a fresh proc on /proc
 *
 * Return: 0, or the exit status once the failure is printed.
 */
int mount_own_proc(void)
{
	int err;

	if (unshare(CLONE_NEWNS)) {
		err = errno;
		return fail(err, "cannot create a mount namespace: %s",
			    strerror(err));
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		err = errno;
		return fail(err, "cannot make the new mount namespace private: %s",
			    strerror(err));
	}
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL)) {
		err = errno;
		return fail(err, "cannot mount proc on /proc: %s",
			    strerror(err));
	}
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	struct vpid_req r = { .cmd = "run" };
	int ret;

	/* "+": the options of CMD are CMD's */
	ret = plain_opts(argc, argv, &vpidctl_cmd_run, false);
	if (ret >= 0)
		return ret;
	if (optind >= argc)
		return usage_error("run", "missing NAME");
	r.path = argv[optind++];
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	set_prefix("run %s", r.path);

	ret = ensure_module();
	if (ret)
		return ret;
	ret = ctl_request(&r, r.path);
	if (ret)
		return ret;
	ret = mount_own_proc();
	if (ret)
		return ret;
	return exec_cmd(argv + optind);
}

const struct vpidctl_cmd vpidctl_cmd_run = {
	"run", "NAME [--] [CMD...]",
	"Create container NAME and run CMD in it as its vpid 1",
	"The container is created below the caller's own container, and\n"
	"vpidctl itself becomes its init (vpid 1). It then gets its own mount\n"
	"namespace (propagation private) with a fresh proc on /proc, and\n"
	"executes CMD (default: $SHELL, else /bin/sh). The container goes away\n"
	"when its last task has exited.\n"
	"Exit status: that of CMD; 1 if the container cannot be made, 126/127\n"
	"if CMD cannot be run or is not found.\n",
	cmd_run
};
