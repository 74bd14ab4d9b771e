// SPDX-License-Identifier: GPL-2.0
/*
 * attach.c - the two commands that place pids: vpidctl attach PATH PID
 * [--vpid N] moves a running process into a container, vpidctl nextpid
 * PATH VPID picks the vpid of the next task made there.
 */
#include <stdio.h>

#include "vpidctl.h"

static const struct option attach_opts[] = {
	VPIDCTL_COMMON_LONG_OPTS,
	{ "vpid", required_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 }
};

static int cmd_attach(int argc, char **argv)
{
	struct vpid_req r = { .cmd = "attach" };
	char cmd[VPIDCTL_CMD_SIZE];
	int opt, ret;

	while ((opt = getopt_long(argc, argv, VPIDCTL_COMMON_OPTS "n:",
				  attach_opts, NULL)) != -1) {
		if (opt == 'n') {
			if (!parse_nr(optarg, &r.vpid))
				return usage_error("attach", "--vpid wants a number from 1 to %d, not '%s'",
						   VPID_NR_MAX, optarg);
			continue;
		}
		ret = common_opt(opt, &vpidctl_cmd_attach);
		if (ret >= 0)
			return ret;
	}
	if (argc - optind != 2)
		return usage_error("attach", "expected PATH PID");
	r.path = argv[optind];
	if (!parse_nr(argv[optind + 1], &r.pid))
		return usage_error("attach", "PID must be a number from 1 to %d, not '%s'",
				   VPID_NR_MAX, argv[optind + 1]);
	set_prefix("attach %s %ld", r.path, r.pid);

	ret = ensure_module();
	if (ret)
		return ret;
	if (r.vpid)
		snprintf(cmd, sizeof(cmd), VPID_CMD_ATTACH " %s %ld %ld",
			 r.path, r.pid, r.vpid);
	else
		snprintf(cmd, sizeof(cmd), VPID_CMD_ATTACH " %s %ld", r.path,
			 r.pid);
	return ctl_request(&r, cmd);
}

const struct vpidctl_cmd vpidctl_cmd_attach = {
	"attach", "PATH PID [--vpid N]",
	"Move the running process PID into container PATH",
	"PID is a process id as the caller sees it; the whole thread group\n"
	"moves. It keeps its number as its vpid when that is free in PATH, else\n"
	"it gets the next free one.\n"
	"\n"
	"Options:\n"
	"  -n, --vpid N  give it vpid N in PATH (fails if it is taken)\n",
	cmd_attach
};

static int cmd_nextpid(int argc, char **argv)
{
	struct vpid_req r = { .cmd = "nextpid" };
	char cmd[VPIDCTL_CMD_SIZE];
	int ret;

	ret = plain_opts(argc, argv, &vpidctl_cmd_nextpid, true);
	if (ret >= 0)
		return ret;
	if (argc - optind != 2)
		return usage_error("nextpid", "expected PATH VPID");
	r.path = argv[optind];
	if (!parse_nr(argv[optind + 1], &r.vpid))
		return usage_error("nextpid", "VPID must be a number from 1 to %d, not '%s'",
				   VPID_NR_MAX, argv[optind + 1]);
	set_prefix("nextpid %s %ld", r.path, r.vpid);

	ret = ensure_module();
	if (ret)
		return ret;
	snprintf(cmd, sizeof(cmd), VPID_CMD_NEXTPID " %s %ld", r.path, r.vpid);
	return ctl_request(&r, cmd);
}

const struct vpidctl_cmd vpidctl_cmd_nextpid = {
	"nextpid", "PATH VPID",
	"Give VPID to the next task created in container PATH",
	"For restarting process trees with particular pids.\n",
	cmd_nextpid
};
