// SPDX-License-Identifier: GPL-2.0
/*
 * checkpoint.c - vpidctl checkpoint PATH VPID DIR [--] [CRIU-OPTION...]:
 * dump the process tree of VPID in container PATH into DIR with criu,
 * from inside the container's view, so that the images hold its vpids.
 *
 * vpidctl moves itself into PATH (as "exec" does: the init's mount
 * namespace, so criu reads the container's /proc) and executes
 * "criu dump --tree VPID --images-dir DIR --leave-stopped" with the
 * options given.  criu is not part of the tree it dumps (its parent stays
 * outside), but it is a task of the container: were the end of the tree
 * to end the container (its init waiting for it), criu would be killed
 * with it before it reports.  So the tree is left stopped (or running,
 * with --leave-running), for the caller to kill or destroy.
 *
 * VPID 1, a whole container: criu runs as vpidctl's child, attached to
 * the container but outside the tree, as for any other tree; the init,
 * left stopped like the rest, is the container's end when it is killed
 * (or "vpidctl destroy PATH").  vpidctl then marks the images as a pid
 * namespace's (criu_img.c), so that "vpidctl restore" (or a native "criu
 * restore", in a new pid namespace) makes the root an init again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vpidctl.h"

#define CRIU_ARGS	7	/* criu dump --tree N --images-dir DIR --leave-stopped */

/* VPID 1: criu as a child, then the images marked as a pid namespace's. */
static int checkpoint_whole(struct vpid_req *r, char **cmd, const char *dir)
{
	int ret, status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return fail(errno, "cannot fork: %s", strerror(errno));
	if (pid == 0) {
		ret = enter_container(r);
		_exit(ret ? ret : exec_cmd(cmd));
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	ret = WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_FAIL;
	if (ret)
		return ret;
	ret = criu_img_mark_pidns(dir);
	if (ret)
		return fail(-ret, "cannot mark %s/inventory.img as a pid namespace's: %s",
			    dir, strerror(-ret));
	return 0;
}

static int cmd_checkpoint(int argc, char **argv)
{
	struct vpid_req r = { .cmd = "exec" };
	const char *fixed[CRIU_ARGS] = {
		"criu", "dump", "--tree", NULL, "--images-dir", NULL,
		"--leave-stopped"
	};
	const char *tree_arg;
	char **cmd;
	long tree;
	int ret;

	ret = plain_opts(argc, argv, &vpidctl_cmd_checkpoint, false);
	if (ret >= 0)
		return ret;
	if (argc - optind < 3)
		return usage_error("checkpoint", "wants PATH VPID DIR");
	r.path = argv[optind];
	tree_arg = argv[optind + 1];
	fixed[3] = tree_arg;
	fixed[5] = argv[optind + 2];
	if (!parse_nr(tree_arg, &tree))
		return usage_error("checkpoint", "VPID wants a number from 1 to %d, not '%s'",
				   VPID_NR_MAX, tree_arg);
	optind += 3;
	cmd = criu_cmd(fixed, CRIU_ARGS, argc, argv);
	if (!cmd)
		return fail(0, "out of memory");
	set_prefix("checkpoint %s", r.path);
	if (tree == 1)
		return checkpoint_whole(&r, cmd, fixed[5]);
	ret = enter_container(&r);
	if (ret)
		return ret;
	return exec_cmd(cmd);
}

const struct vpidctl_cmd vpidctl_cmd_checkpoint = {
	"checkpoint", "PATH VPID DIR [--] [CRIU-OPTION...]",
	"Dump the process tree of VPID in container PATH into DIR with criu",
	"vpidctl enters PATH as \"exec\" does (the container's view and the\n"
	"mount namespace of its init) and runs\n"
	"  criu dump --tree VPID --images-dir DIR --leave-stopped [CRIU-OPTION...]\n"
	"so that the images hold the processes' vpids. The tree is left\n"
	"stopped (running with --leave-running): kill it, or destroy its\n"
	"container. VPID 1 dumps the whole container (its init's tree); the\n"
	"images are then marked as a pid namespace's, so that \"vpidctl\n"
	"restore\" makes the root the init of the new container.\n"
	"Restore with \"vpidctl restore\".\n"
	"Exit status: criu's; 126/127 if criu cannot be run or is not found.\n",
	cmd_checkpoint
};
