// SPDX-License-Identifier: GPL-2.0
/*
 * ps.c - vpidctl ps PATH: a container's init and its descendants, with
 * their vpid in the container and their pid as the caller sees it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "vpidctl.h"

/* Print @pid and, depth first, its descendants. */
static void ps_tree(const struct proc_ent *p, size_t nr, long pid,
		    unsigned int idx, int depth)
{
	char vpid[24], cmd[512];
	size_t i;

	if (depth > 4096)
		return;
	proc_vpid(pid, idx, vpid, sizeof(vpid));
	proc_cmdline(pid, cmd, sizeof(cmd));
	printf("%7s %7ld  %s\n", vpid, pid, cmd);
	for (i = 0; i < nr; i++)
		if (p[i].ppid == pid && p[i].pid != pid)
			ps_tree(p, nr, p[i].pid, idx, depth + 1);
}

static void ps_print(const struct vpid_list *list,
		     const struct vpid_list_entry *c)
{
	/* NSpid lists the numbers from the reader's level down. */
	unsigned int idx = c->level - list->c[0].level;
	struct proc_ent *p;
	size_t nr;

	printf("%7s %7s  %s\n", "VPID", "PID", "COMMAND");
	if (c->init <= 0) {
		warn(0, "the init of %s has exited: its tasks are being killed",
		     c->path);
		return;
	}
	p = proc_scan(&nr);
	if (!proc_find(p, nr, c->init))
		warn(0, "the init of %s (pid %ld) is not in /proc",
		     c->path, c->init);
	else
		ps_tree(p, nr, c->init, idx, 0);
	free(p);
}

static int cmd_ps(int argc, char **argv)
{
	const struct vpid_list_entry *c;
	struct vpid_list list;
	int ret;

	ret = plain_opts(argc, argv, &vpidctl_cmd_ps, true);
	if (ret >= 0)
		return ret;
	if (argc - optind != 1)
		return usage_error("ps", "expected PATH");
	set_prefix("ps %s", argv[optind]);

	ret = ensure_module();
	if (ret)
		return ret;
	ret = read_list(&list);
	if (ret)
		return ret;
	c = vpid_list_find(&list, argv[optind]);
	if (!c) {
		vpid_list_free(&list);
		return fail(ENOENT, "no container %s", argv[optind]);
	}
	ps_print(&list, c);
	vpid_list_free(&list);
	return 0;
}

const struct vpidctl_cmd vpidctl_cmd_ps = {
	"ps", "PATH",
	"List the processes of container PATH",
	"Shows the container's init and its descendants (nested containers\n"
	"included) with their VPID in PATH and their PID as the caller sees\n"
	"it. Processes moved in with attach or exec that do not descend from\n"
	"the init are not shown. VPID is '-' where /proc does not list the\n"
	"number (NSpid).\n",
	cmd_ps
};
