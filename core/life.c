// SPDX-License-Identifier: GPL-2.0
/*
 * life.c - when vpid is active: the hooks, the module's reference on
 * itself, and the reaping of what containers leave behind.
 *
 * Hooks are installed when the first container is created and removed once
 * none has been left for hooks_linger_ms, so the host pays nothing while
 * vpid is idle.  The removal is slow: unregistering a module's ftrace_ops
 * waits for RCU-tasks grace periods, seconds in all on PREEMPT_RT.  The
 * linger spares it to a workload that creates and destroys containers in
 * turn, and the removal gives the control mutex back between two hooks: a
 * create that comes meanwhile waits for one hook at most, then puts back
 * those already gone.  While containers exist the module holds a reference
 * on itself; during the linger it does not, and rmmod removes the hooks
 * itself (vpid_life_exit()) before the code goes.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include "vpid.h"

/* Default of hooks_linger_ms; the reaping batches what came meanwhile. */
#define VPID_LINGER_MS		2000
#define VPID_REAP_DELAY		(HZ / 20)

static unsigned int vpid_linger_ms = VPID_LINGER_MS;
module_param_named(hooks_linger_ms, vpid_linger_ms, uint, 0644);
MODULE_PARM_DESC(hooks_linger_ms,
		 "keep the hooks this long after the last container (ms)");

/*
 * vpid_ctl_mutex serialises container creation with the installation and
 * removal of the hooks (every vpid_engine_* call but drain), and guards the
 * state below.  Lock order: vpid_ctl_mutex, then vpid_lock.
 *
 * vpid_used: containers may exist, the hooks are in and the module holds a
 * reference on itself (READ_ONCE outside the mutex: the drain polls it).
 * vpid_dirty: hooks were registered since the last drain; vpid_gen counts
 * the installs, for a drain to tell whether one came meanwhile.
 * vpid_exiting: the module is going; no more installs.
 */
static DEFINE_MUTEX(vpid_ctl_mutex);
static bool vpid_used;
static bool vpid_dirty;
static bool vpid_exiting;
static unsigned long vpid_gen;

static void vpid_unhook_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(vpid_unhook_work, vpid_unhook_fn);
static void vpid_reap_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(vpid_reap_work, vpid_reap_fn);

static bool vpid_used_again(void)
{
	return READ_ONCE(vpid_used);
}

/*
 * The linger is over: remove the hooks one by one, giving vpid_ctl_mutex
 * back between two, and stop as soon as a create wants them again.  Then
 * drain, without the mutex, for a quick rmmod later.
 */
static void vpid_unhook_fn(struct work_struct *work)
{
	unsigned long gen;

	for (;;) {
		mutex_lock(&vpid_ctl_mutex);
		if (vpid_used || !vpid_engine_installed())
			break;
		vpid_engine_remove_one();
		mutex_unlock(&vpid_ctl_mutex);
	}
	gen = vpid_gen;
	if (vpid_used || !vpid_dirty) {
		mutex_unlock(&vpid_ctl_mutex);
		return;
	}
	mutex_unlock(&vpid_ctl_mutex);
	if (!vpid_engine_drain(vpid_used_again))
		return;
	mutex_lock(&vpid_ctl_mutex);
	if (!vpid_used && gen == vpid_gen) {
		vpid_dirty = false;
		/* Nobody reads released records without hooks: drop them. */
		vpid_gc(true);
	}
	mutex_unlock(&vpid_ctl_mutex);
}

/*
 * Make sure every hook is installed, for a new container: cancel a pending
 * removal, complete an interrupted one, take the module's reference.
 * Returns -ENODEV while the module is being unloaded.
 */
static int vpid_life_get(void)
{
	int err;

	lockdep_assert_held(&vpid_ctl_mutex);
	if (vpid_used)
		return 0;
	if (vpid_exiting || !try_module_get(THIS_MODULE))
		return -ENODEV;
	cancel_delayed_work(&vpid_unhook_work);
	vpid_gen++;
	vpid_dirty = true;
	WRITE_ONCE(vpid_used, true);
	err = vpid_engine_install();
	if (err) {
		WRITE_ONCE(vpid_used, false);
		/* the removal takes back what is in */
		mod_delayed_work(system_long_wq, &vpid_unhook_work, 0);
		module_put(THIS_MODULE);
	}
	return err;
}

/**
 * vpid_life_create() - "NAME" or "mkempty NAME": install the hooks if need
 * be, then create a container (vpid_container_create())
 * @name: the name (validated by the parser)
 * @empty: make it with no task ("mkempty"), else move the writer into it
 *	as its init
 *
 * Context: process context; takes vpid_ctl_mutex.
 * Return: 0 or a -errno.
 */
int vpid_life_create(const char *name, bool empty)
{
	int err;

	mutex_lock(&vpid_ctl_mutex);
	err = vpid_life_get();
	if (!err)
		err = vpid_container_create(name, empty);
	mutex_unlock(&vpid_ctl_mutex);
	return err;
}

/* Start the linger if no container is left; drop the module's reference. */
static void vpid_life_release(void)
{
	bool idle;

	mutex_lock(&vpid_ctl_mutex);
	spin_lock_irq(&vpid_lock);
	idle = vpid_used && !vpid_containers_alive();
	spin_unlock_irq(&vpid_lock);
	if (idle) {
		WRITE_ONCE(vpid_used, false);
		if (!vpid_exiting)
			queue_delayed_work(system_long_wq, &vpid_unhook_work,
					   msecs_to_jiffies(READ_ONCE(vpid_linger_ms)));
	}
	mutex_unlock(&vpid_ctl_mutex);
	if (idle)
		module_put(THIS_MODULE);
}

static void vpid_reap_fn(struct work_struct *work)
{
	/* before the hooks may go: acct(NULL) needs them (core/acct.c) */
	vpid_acct_flush();
	vpid_gc(false);
	vpid_life_release();
}

/**
 * vpid_life_reap_soon() - soon drop unreachable records, and start the
 * hooks' linger if no container is left
 *
 * Context: any.
 */
void vpid_life_reap_soon(void)
{
	schedule_delayed_work(&vpid_reap_work, VPID_REAP_DELAY);
}

/**
 * vpid_life_exit() - at unload (no container left): remove what the
 * linger left in, and wait until no task runs module code
 *
 * Context: the control file is gone: no create can come.
 */
void vpid_life_exit(void)
{
	bool dirty;

	mutex_lock(&vpid_ctl_mutex);
	vpid_exiting = true;
	mutex_unlock(&vpid_ctl_mutex);
	/* nothing pending: the last reap did it, with the hooks in */
	vpid_acct_exit();
	cancel_delayed_work_sync(&vpid_unhook_work);
	mutex_lock(&vpid_ctl_mutex);
	WARN_ON_ONCE(vpid_used);
	while (vpid_engine_remove_one())
		;
	dirty = vpid_dirty;
	vpid_dirty = false;
	mutex_unlock(&vpid_ctl_mutex);
	if (dirty)
		vpid_engine_drain(NULL);
	/* the hooks are out: nothing schedules a reap any more */
	cancel_delayed_work_sync(&vpid_reap_work);
}
