// SPDX-License-Identifier: GPL-2.0
/*
 * destroy.c - vpidctl destroy [--wait] PATH: kill every task in a container
 * and below; with --wait, until the listing shows it no more.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "vpidctl.h"

#define DESTROY_WAIT_MS	10000

/* Poll the listing until @path is gone; 0 or EXIT_FAIL. */
static int destroy_wait(const char *path)
{
	struct vpid_list list;
	bool gone;
	int ret, ms;

	for (ms = 0; ; ms += 50) {
		ret = read_list(&list);
		if (ret)
			return ret;
		gone = !vpid_list_find(&list, path);
		vpid_list_free(&list);
		if (gone)
			return 0;
		if (ms >= DESTROY_WAIT_MS)
			return fail(ETIMEDOUT, "%s still exists after %d s",
				    path, DESTROY_WAIT_MS / 1000);
		usleep(50 * 1000);
	}
}

static const struct option destroy_opts[] = {
	VPIDCTL_COMMON_LONG_OPTS,
	{ "wait", no_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 }
};

static int cmd_destroy(int argc, char **argv)
{
	struct vpid_req r = { .cmd = "destroy" };
	char cmd[VPIDCTL_CMD_SIZE];
	bool wait = false;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, VPIDCTL_COMMON_OPTS "w",
				  destroy_opts, NULL)) != -1) {
		if (opt == 'w') {
			wait = true;
			continue;
		}
		ret = common_opt(opt, &vpidctl_cmd_destroy);
		if (ret >= 0)
			return ret;
	}
	if (argc - optind != 1)
		return usage_error("destroy", "expected PATH");
	r.path = argv[optind];
	set_prefix("destroy %s", r.path);

	ret = ensure_module();
	if (ret)
		return ret;
	snprintf(cmd, sizeof(cmd), VPID_CMD_DESTROY " %s", r.path);
	ret = ctl_request(&r, cmd);
	if (ret || !wait)
		return ret;
	return destroy_wait(r.path);
}

const struct vpidctl_cmd vpidctl_cmd_destroy = {
	"destroy", "[--wait] PATH",
	"Kill every task in container PATH and below",
	"Sends SIGKILL to them; the container goes away when its last task is\n"
	"gone.\n"
	"\n"
	"Options:\n"
	"  -w, --wait    wait (up to 10 s) until PATH is no longer listed\n",
	cmd_destroy
};
