// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - load and unload vpid: the top layer, which nothing calls.
 *
 * Load: resolve every hooked function (fail naming it if one is missing),
 * create /proc/container.  Nothing is hooked until a container exists
 * (core/life.c).  Unload is only possible with no container (the module
 * holds a reference on itself while one exists), removes the hooks if they
 * are still lingering, and leaves nothing behind.
 */
#include <linux/module.h>
#include "vpid.h"
#include "hooks.h"
#include "control.h"
#include "debugfs.h"

static int __init vpid_init(void)
{
	int err;

	err = vpid_ksym_init();
	if (err)
		return err;
	err = vpid_shadow_init();
	if (err)
		return err;
	err = vpid_acct_init();
	if (err)
		return err;
	err = vpid_activens_init();
	if (err)
		return err;
	err = vpid_death_init();
	if (err)
		return err;
	err = vpid_pidmap_init();
	if (err)
		return err;
	err = vpid_engine_init(vpid_hooks, vpid_nr_hooks);
	if (err)
		return err;
	err = vpid_control_init();
	if (err) {
		vpid_engine_exit();
		return err;
	}
	vpid_debugfs_init();
	pr_info("loaded (%u hooks, installed on first container)\n",
		vpid_engine_size());
	return 0;
}

static void __exit vpid_exit(void)
{
	vpid_control_exit();
	vpid_debugfs_exit();
	/* the hooks go first: until they are out, they may schedule a reap */
	vpid_life_exit();
	vpid_engine_exit();
	vpid_pidmap_exit();
	pr_info("unloaded\n");
}

module_init(vpid_init);
module_exit(vpid_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("vpid developers");
MODULE_DESCRIPTION("Virtual process ids for containers on stock kernels");
MODULE_VERSION("0.1");
