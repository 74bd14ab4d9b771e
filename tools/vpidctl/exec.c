// SPDX-License-Identifier: GPL-2.0
/*
 * exec.c - vpidctl exec [--vpid N] PATH [--] [CMD...]: move vpidctl into
 * an existing container, enter the mount namespace and root of its init,
 * and execute CMD.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vpidctl.h"

/* Descriptors for entering the mount namespace of a container's init. */
struct init_ns {
	int mnt;
	int root;
};

static void init_ns_open(const char *path, struct init_ns *ns)
{
	const struct vpid_list_entry *c;
	struct vpid_list list;
	struct stat a, b;
	char file[64];

	ns->mnt = -1;
	ns->root = -1;
	if (vpid_list_read(control_path(), &list, NULL))
		goto out;
	c = vpid_list_find(&list, path);
	if (!c || c->init <= 0 || !strcmp(path, VPID_LIST_SELF))
		goto out;
	snprintf(file, sizeof(file), "/proc/%ld/ns/mnt", c->init);
	ns->mnt = open(file, O_RDONLY | O_CLOEXEC);
	if (ns->mnt < 0)
		goto out;
	/* Already there (a container made without vpidctl run)? */
	if (!fstat(ns->mnt, &a) && !stat("/proc/self/ns/mnt", &b) &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
		close(ns->mnt);
		ns->mnt = -1;
		goto out;
	}
	snprintf(file, sizeof(file), "/proc/%ld/root", c->init);
	ns->root = open(file, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
out:
	vpid_list_free(&list);
}

/* Best effort: warn and go on where it does not work. */
static void init_ns_enter(struct init_ns *ns)
{
	char *cwd = get_current_dir_name();

	if (ns->mnt < 0)
		goto out;
	if (setns(ns->mnt, CLONE_NEWNS)) {
		warn(errno, "cannot enter the mount namespace of the container's init");
		goto out;
	}
	/* setns() put us at the namespace's root; the init may be chrooted. */
	if (ns->root >= 0 && (fchdir(ns->root) || chroot(".")))
		warn(errno, "cannot take the root directory of the container's init");
	if (!cwd || chdir(cwd)) {
		if (chdir("/"))
			warn(errno, "cannot change to /");
	}
out:
	if (ns->mnt >= 0)
		close(ns->mnt);
	if (ns->root >= 0)
		close(ns->root);
	free(cwd);
}

static const struct option exec_opts[] = {
	VPIDCTL_COMMON_LONG_OPTS,
	{ "vpid", required_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 }
};

/**
 * enter_container() - move vpidctl into container @r->path (as vpid
 * @r->vpid when not 0) and into the mount namespace and root of its init
 * @r: the request (@r->pid is set here)
 *
 * Return: 0, or the exit status once the failure is printed.
 */
int enter_container(struct vpid_req *r)
{
	char cmd[VPIDCTL_CMD_SIZE];
	struct init_ns ns;
	int ret;

	r->pid = getpid();
	ret = ensure_module();
	if (ret)
		return ret;
	/* Before the attach: afterwards we would see the container's view. */
	init_ns_open(r->path, &ns);
	if (r->vpid)
		snprintf(cmd, sizeof(cmd), VPID_CMD_ATTACH " %s %ld %ld",
			 r->path, r->pid, r->vpid);
	else
		snprintf(cmd, sizeof(cmd), VPID_CMD_ATTACH " %s %ld", r->path,
			 r->pid);
	ret = ctl_request(r, cmd);
	if (ret) {
		if (ns.mnt >= 0)
			close(ns.mnt);
		if (ns.root >= 0)
			close(ns.root);
		return ret;
	}
	init_ns_enter(&ns);
	return 0;
}

static int cmd_exec(int argc, char **argv)
{
	struct vpid_req r = { .cmd = "exec" };
	int opt, ret;

	/* "+": the options of CMD are CMD's */
	while ((opt = getopt_long(argc, argv, "+" VPIDCTL_COMMON_OPTS "n:",
				  exec_opts, NULL)) != -1) {
		if (opt == 'n') {
			if (!parse_nr(optarg, &r.vpid))
				return usage_error("exec", "--vpid wants a number from 1 to %d, not '%s'",
						   VPID_NR_MAX, optarg);
			continue;
		}
		ret = common_opt(opt, &vpidctl_cmd_exec);
		if (ret >= 0)
			return ret;
	}
	if (optind >= argc)
		return usage_error("exec", "missing PATH");
	r.path = argv[optind++];
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	set_prefix("exec %s", r.path);
	ret = enter_container(&r);
	if (ret)
		return ret;
	return exec_cmd(argv + optind);
}

const struct vpidctl_cmd vpidctl_cmd_exec = {
	"exec", "[--vpid N] PATH [--] [CMD...]",
	"Run CMD inside the existing container PATH",
	"vpidctl moves itself into PATH (keeping its pid as its vpid when that\n"
	"is free there, else the next free one), enters the mount namespace\n"
	"and root of the container's init when it can, and executes CMD\n"
	"(default: $SHELL, else /bin/sh) in the same directory.\n"
	"\n"
	"Options:\n"
	"  -n, --vpid N  take vpid N in PATH (fails if it is taken)\n",
	cmd_exec
};
