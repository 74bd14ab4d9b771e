// SPDX-License-Identifier: GPL-2.0
/*
 * unload.c - vpidctl unload: remove the vpid module, waiting a little for
 * it to let go of itself after the last container.
 */
#include <errno.h>
#include <libkmod.h>
#include <string.h>
#include <unistd.h>

#include "vpidctl.h"

/* Containers other than "." in the listing, or -1 if it cannot be read. */
static long nr_containers(void)
{
	struct vpid_list list;
	long nr = -1;

	if (!vpid_list_read(control_path(), &list, NULL))
		nr = (long)list.nr - 1;
	vpid_list_free(&list);
	return nr;
}

/*
 * The module holds itself while a container exists, and lets go shortly
 * after the last one is listed no more (a work item, which may wait for
 * the removal of one hook: about a second on PREEMPT_RT under TCG).  rmmod
 * then takes out the hooks still lingering itself.  Retry up to 20 s while
 * no container is listed, and 1 s while some are (their last tasks may be
 * exiting).  Returns 0 or what kmod_module_remove_module() said last.
 */
static int unload_retry(struct kmod_module *mod)
{
	int err, tries;

	for (tries = 0; ; tries++) {
		err = kmod_module_remove_module(mod, 0);
		if (err != -EAGAIN && err != -EBUSY)
			return err;
		if (tries >= 400 || (tries >= 20 && nr_containers() != 0))
			return err;
		usleep(50 * 1000);
	}
}

/* Unload vpid; 0 or EXIT_FAIL. */
static int unload_module(struct kmod_ctx *ctx)
{
	struct kmod_module *mod = NULL;
	int err, ret = 0;

	err = kmod_module_new_from_name(ctx, VPID_MODNAME, &mod);
	if (err < 0)
		return fail(-err, "%s", strerror(-err));
	if (kmod_module_get_initstate(mod) < 0) {
		ret = fail(ENOENT, "module %s is not loaded", VPID_MODNAME);
		goto out;
	}
	err = unload_retry(mod);
	if (err == -EAGAIN || err == -EBUSY)
		ret = fail(-err, "containers still exist: destroy them first (see vpidctl ls)");
	else if (err == -EPERM && geteuid() != 0)
		ret = fail(-err, "unloading a kernel module needs root (CAP_SYS_MODULE)");
	else if (err == -ENOENT)
		ret = fail(-err, "module %s is not loaded", VPID_MODNAME);
	else if (err < 0)
		ret = fail(-err, "cannot unload module %s: %s", VPID_MODNAME,
			   strerror(-err));
out:
	kmod_module_unref(mod);
	return ret;
}

static int cmd_unload(int argc, char **argv)
{
	struct kmod_ctx *ctx;
	int ret;

	ret = plain_opts(argc, argv, &vpidctl_cmd_unload, true);
	if (ret >= 0)
		return ret;
	if (optind != argc)
		return usage_error("unload", "no arguments expected");
	set_prefix("unload");

	ctx = vpidctl_kmod_open();
	if (!ctx)
		return fail(0, "libkmod failed to initialise");
	ret = unload_module(ctx);
	kmod_unref(ctx);
	return ret;
}

const struct vpidctl_cmd vpidctl_cmd_unload = {
	"unload", "",
	"Unload the vpid module",
	"Fails while any container exists.\n",
	cmd_unload
};
