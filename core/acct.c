// SPDX-License-Identifier: GPL-2.0
/*
 * acct.c - a container's BSD process accounting ends with the container.
 *
 * A container task's acct() switches the accounting of its container's
 * shadow pid namespace (hooks/activens.c), as a native task's switches its
 * namespace's.  Natively a namespace's accounting is turned off once its
 * init's exit has reaped every task (zap_pid_ns_processes() calls
 * acct_exit_ns()).  The kernel never does that for a shadow, which has no
 * task, and the accounting holds no reference on its namespace: left on,
 * it would outlive the shadow.  So when a container whose shadow has
 * accounting on is emptied, a work item turns it off as acct(NULL) does:
 * it calls the acct() syscall entry itself (a kworker has CAP_SYS_PACCT),
 * and the hook answers the shadow to that worker while
 * vpid_acct_closing() names it.
 *
 * That needs the hooks in: without them acct(NULL) would turn off the
 * host's accounting.  They stay in while a container lives; the reaping
 * that lets them go (core/life.c) and the unload call vpid_acct_flush()
 * first, which waits for a close in flight and does those still pending.
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/workqueue.h>
#include "vpid.h"
#include "vpid_compat.h"

#ifdef CONFIG_BSD_PROCESS_ACCT

/* Emptied containers whose shadow's accounting is on, each held [vpid_lock]. */
static LIST_HEAD(vpid_acct_pending);

/*
 * vpid_acct_mutex: one close at a time; vpid_acct_flush() returns when none
 * is in flight.  It guards the closer and its namespace, written under it
 * and read locklessly by the hook (READ_ONCE): only the closer itself
 * matches, while it is set.
 */
static DEFINE_MUTEX(vpid_acct_mutex);
struct task_struct *vpid_acct_closer;
static struct pid_namespace *vpid_acct_ns;

static unsigned long vpid_sys_acct;

static void vpid_acct_fn(struct work_struct *work);
static DECLARE_WORK(vpid_acct_work, vpid_acct_fn);

/**
 * vpid_acct_closing() - the shadow whose accounting the current task turns
 * off, if it is the worker turning it off
 *
 * Context: any.
 * Return: the namespace, or NULL for every other task.
 */
struct pid_namespace *vpid_acct_closing(void)
{
	if (likely(READ_ONCE(vpid_acct_closer) != current))
		return NULL;
	return READ_ONCE(vpid_acct_ns);
}

/**
 * vpid_acct_emptied() - a container ended: turn its accounting off soon
 * @ct: the container
 *
 * Its tasks are all gone, so none of them can switch it on meanwhile.
 *
 * Context: vpid_lock held.
 */
void vpid_acct_emptied(struct vpid_container *ct)
{
	lockdep_assert_held(&vpid_lock);
	if (!ct->shadow || !READ_ONCE(ct->shadow->bacct))
		return;
	kref_get(&ct->ref);
	list_add_tail(&ct->acct_node, &vpid_acct_pending);
	schedule_work(&vpid_acct_work);
}

/* acct(NULL) as @ct's shadow: the kernel's pin_kill() of its accounting. */
static void vpid_acct_close(struct vpid_container *ct)
{
	struct pt_regs regs = {};	/* acct(NULL) */
	long err;

	/* never without the hooks: that would be the host's accounting */
	if (WARN_ON_ONCE(!vpid_engine_installed()))
		return;		/* @ct and its shadow kept: leaked, not freed */
	WRITE_ONCE(vpid_acct_ns, ct->shadow);
	WRITE_ONCE(vpid_acct_closer, current);
	err = vpid_sc_call(vpid_sys_acct, &regs);
	WRITE_ONCE(vpid_acct_closer, NULL);
	WRITE_ONCE(vpid_acct_ns, NULL);
	if (err)
		pr_warn("container %s: its accounting could not be turned off (%ld)\n",
			ct->name, err);
	vpid_container_put(ct);
}

/**
 * vpid_acct_flush() - turn off now the accounting of every container ended
 *
 * Context: process context, the hooks in; takes vpid_acct_mutex.
 */
void vpid_acct_flush(void)
{
	struct vpid_container *ct;

	mutex_lock(&vpid_acct_mutex);
	for (;;) {
		spin_lock_irq(&vpid_lock);
		ct = list_first_entry_or_null(&vpid_acct_pending,
					      struct vpid_container, acct_node);
		if (ct)
			list_del_init(&ct->acct_node);
		spin_unlock_irq(&vpid_lock);
		if (!ct)
			break;
		vpid_acct_close(ct);
	}
	mutex_unlock(&vpid_acct_mutex);
}

static void vpid_acct_fn(struct work_struct *work)
{
	vpid_acct_flush();
}

/**
 * vpid_acct_exit() - at unload: nothing pending, no work queued
 *
 * Context: the hooks still in.
 */
void vpid_acct_exit(void)
{
	vpid_acct_flush();
	cancel_work_sync(&vpid_acct_work);
}

/**
 * vpid_acct_init() - find the acct() syscall entry
 *
 * Return: 0 or -ENOENT.
 */
int vpid_acct_init(void)
{
	return vpid_ksym_func("__x64_sys_acct", &vpid_sys_acct);
}

#endif /* CONFIG_BSD_PROCESS_ACCT */
