// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - load and unload vpid.
 *
 * Load: resolve every hooked function (fail naming it if one is missing),
 * create /proc/container.  Nothing is hooked until a container exists.
 * Unload is only possible with no container (the module holds a reference on
 * itself while one exists), removes the hooks if they are still lingering,
 * and leaves nothing behind.
 */
#include <linux/module.h>
#include <linux/workqueue.h>
#include "vpid.h"

static void vpid_reap_fn(struct work_struct *work)
{
	vpid_gc(false);
	vpid_hooks_release();
}

static DECLARE_DELAYED_WORK(vpid_reap_work, vpid_reap_fn);

/**
 * vpid_schedule_reap() - soon drop unreachable records, and the hooks if
 * no container is left
 *
 * Context: any.
 */
void vpid_schedule_reap(void)
{
	schedule_delayed_work(&vpid_reap_work, HZ / 20);
}

static int __init vpid_init(void)
{
	int err;

	err = vpid_ksym_init();
	if (err)
		return err;
	err = vpid_shadow_init();
	if (err)
		return err;
	err = vpid_pidmap_init();
	if (err)
		return err;
	err = vpid_hooks_resolve();
	if (err)
		return err;
	err = vpid_control_init();
	if (err) {
		vpid_hooks_exit();
		return err;
	}
	vpid_debugfs_init();
	pr_info("vpid: loaded (%u hooks, installed on first container)\n",
		vpid_nr_hooks_count());
	return 0;
}

static void __exit vpid_exit(void)
{
	vpid_control_exit();
	vpid_debugfs_exit();
	/* first the hooks: until they are out, they may schedule a reap */
	vpid_hooks_exit();
	cancel_delayed_work_sync(&vpid_reap_work);
	vpid_pidmap_exit();
	pr_info("vpid: unloaded\n");
}

module_init(vpid_init);
module_exit(vpid_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("vpid developers");
MODULE_DESCRIPTION("Virtual process ids for containers on stock kernels");
MODULE_VERSION("0.1");
