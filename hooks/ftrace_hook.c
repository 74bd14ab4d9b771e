// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace_hook.c - install and remove the hooks of table.c with ftrace.
 *
 * Each hook has an ftrace_ops of its own filtered on one function, so every
 * hooked function gets a dedicated trampoline calling one callback.  A
 * redirect hook uses IPMODIFY, which on x86 with DYNAMIC_FTRACE_WITH_ARGS
 * needs no SAVE_REGS (the cheaper path livepatch uses too).
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
 * itself (vpid_hooks_exit()) before the code goes.
 *
 * Recursion: FTRACE_OPS_FL_RECURSION asks ftrace to guard the callback.  A
 * replacement that calls the original function (alloc_pid) re-enters the
 * callback from module text; within_module(parent_ip) spots that and lets
 * the original run.  That check is only sound if the call to the original is
 * never a tail call, which is why Kbuild builds vpid with
 * -fno-optimize-sibling-calls.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include "hooks.h"
#include "vpid_compat.h"

static unsigned int vpid_linger_ms = 2000;
module_param_named(hooks_linger_ms, vpid_linger_ms, uint, 0644);
MODULE_PARM_DESC(hooks_linger_ms,
		 "keep the hooks this long after the last container (ms)");

DEFINE_PER_CPU(long, vpid_calls);
/* Serialises container creation with hook installation and removal. */
DEFINE_MUTEX(vpid_ctl_mutex);

/*
 * Under vpid_ctl_mutex.  The registered hooks are the traced ones among
 * vpid_hooks[0 .. vpid_hooks_next - 1]: installed in table order, removed
 * in reverse.  vpid_hooks_used: containers may exist (the module holds a
 * reference on itself).  vpid_hooks_dirty: hooks were registered since the
 * last vpid_calls_drain(); vpid_hooks_gen counts the installs, for a drain
 * to tell whether one came meanwhile.
 */
static unsigned int vpid_hooks_next;
static bool vpid_hooks_used;
static bool vpid_hooks_dirty;
static bool vpid_hooks_exiting;
static unsigned long vpid_hooks_gen;

static void vpid_unhook_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(vpid_unhook_work, vpid_unhook_fn);

static void notrace vpid_ftrace_thunk(unsigned long ip,
				      unsigned long parent_ip,
				      struct ftrace_ops *ops,
				      struct ftrace_regs *fregs)
{
	struct vpid_hook *h = container_of(ops, struct vpid_hook, ops);

	if (h->observe) {
		h->observe(fregs);
		return;
	}
	if (within_module(parent_ip, THIS_MODULE))
		return;
	if (h->want ? !h->want(fregs) : !vpid_in_container())
		return;
	vpid_fregs_set_ip(fregs, (unsigned long)h->redirect);
}

/* Entries with neither redirect nor observe are only resolved, to be called. */
static bool vpid_hook_traced(const struct vpid_hook *h)
{
	return h->redirect || h->observe;
}

/**
 * vpid_nr_hooks_count() - how many hooks the table declares
 *
 * Return: the count.
 */
unsigned int vpid_nr_hooks_count(void)
{
	return vpid_nr_hooks;
}

/**
 * vpid_hooks_resolve() - find every hooked function, at module load
 *
 * A function missing on this kernel, or not traceable, fails the load
 * with a line naming it: never a half-hooked kernel.
 *
 * Return: 0 or a -errno.
 */
int vpid_hooks_resolve(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < vpid_nr_hooks; i++) {
		struct vpid_hook *h = &vpid_hooks[i];

		h->addr = vpid_ksym(h->name);
		if (!h->addr && h->alt)
			h->addr = vpid_ksym(h->alt);
		if (!h->addr) {
			if (h->alt)
				pr_err("vpid: kernel function %s (or %s) not found\n",
				       h->name, h->alt);
			else
				pr_err("vpid: kernel function %s not found\n",
				       h->name);
			err = -ENOENT;
			goto fail;
		}
		if (h->orig) {
			if (!vpid_callable(h->addr)) {
				pr_err("vpid: %s does not start with ENDBR64\n",
				       h->name);
				err = -ENOENT;
				goto fail;
			}
			*h->orig = h->addr;
		}
		if (!vpid_hook_traced(h))
			continue;
		h->ops.func = vpid_ftrace_thunk;
		h->ops.flags = FTRACE_OPS_FL_RECURSION;
		if (h->redirect || h->ipmodify)
			h->ops.flags |= VPID_FTRACE_REDIRECT_FLAGS;
		err = ftrace_set_filter_ip(&h->ops, h->addr, 0, 0);
		if (err) {
			pr_err("vpid: cannot trace %s (%d)\n", h->name, err);
			i++;
			goto fail;
		}
	}
	return 0;
fail:
	while (i--)
		if (vpid_hook_traced(&vpid_hooks[i]))
			ftrace_free_filter(&vpid_hooks[i].ops);
	return err;
}

/*
 * Wait until no task runs a replacement any more.  A task the trampoline
 * sent to a replacement but preempted before vpid_call_begin() holds up
 * the first RCU-tasks grace period (preemption is no quiescent state for
 * it); one preempted after vpid_call_end() holds up the second.  Only the
 * unload needs it (no task may return into freed module text); when
 * @abortable, a create that reinstalls the hooks meanwhile ends the wait
 * (Return: false), and the unload drains again.
 */
static bool vpid_calls_drain(bool abortable)
{
	long n;
	int cpu;

	synchronize_rcu_tasks();
	for (;;) {
		n = 0;
		for_each_possible_cpu(cpu)
			n += per_cpu(vpid_calls, cpu);
		if (!n)
			break;
		if (abortable && READ_ONCE(vpid_hooks_used))
			return false;
		usleep_range(1000, 2000);
	}
	synchronize_rcu_tasks();
	return true;
}

/* Unregister the last registered hook.  Context: vpid_ctl_mutex held. */
static void vpid_unhook_one(void)
{
	while (vpid_hooks_next) {
		struct vpid_hook *h = &vpid_hooks[--vpid_hooks_next];

		if (vpid_hook_traced(h)) {
			unregister_ftrace_function(&h->ops);
			return;
		}
	}
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
		if (vpid_hooks_used || !vpid_hooks_next)
			break;
		vpid_unhook_one();
		mutex_unlock(&vpid_ctl_mutex);
	}
	gen = vpid_hooks_gen;
	if (vpid_hooks_used || !vpid_hooks_dirty) {
		mutex_unlock(&vpid_ctl_mutex);
		return;
	}
	mutex_unlock(&vpid_ctl_mutex);
	if (!vpid_calls_drain(true))
		return;
	mutex_lock(&vpid_ctl_mutex);
	if (!vpid_hooks_used && gen == vpid_hooks_gen) {
		vpid_hooks_dirty = false;
		/* Nobody reads released records without hooks: drop them. */
		vpid_gc(true);
	}
	mutex_unlock(&vpid_ctl_mutex);
}

/**
 * vpid_hooks_get() - make sure every hook is installed, for a new container
 *
 * Cancels a pending removal, and completes an interrupted one.
 *
 * Context: vpid_ctl_mutex held.
 * Return: 0 or a -errno: -ENODEV while the module is being unloaded.
 */
int vpid_hooks_get(void)
{
	struct vpid_hook *h;
	int err;

	lockdep_assert_held(&vpid_ctl_mutex);
	if (vpid_hooks_used)
		return 0;
	if (vpid_hooks_exiting || !try_module_get(THIS_MODULE))
		return -ENODEV;
	cancel_delayed_work(&vpid_unhook_work);
	vpid_hooks_gen++;
	WRITE_ONCE(vpid_hooks_used, true);
	for (; vpid_hooks_next < vpid_nr_hooks; vpid_hooks_next++) {
		h = &vpid_hooks[vpid_hooks_next];
		if (!vpid_hook_traced(h))
			continue;
		vpid_hooks_dirty = true;
		err = register_ftrace_function(&h->ops);
		if (err) {
			pr_err("vpid: cannot hook %s (%d)\n", h->name, err);
			WRITE_ONCE(vpid_hooks_used, false);
			/* the removal takes back what is in */
			mod_delayed_work(system_long_wq, &vpid_unhook_work, 0);
			module_put(THIS_MODULE);
			return err;
		}
	}
	return 0;
}

/**
 * vpid_hooks_installed() - are hooks in (for the counters)
 *
 * Return: true while at least one is registered with ftrace.
 */
bool vpid_hooks_installed(void)
{
	return READ_ONCE(vpid_hooks_next) != 0;
}

/**
 * vpid_hooks_release() - start the linger if no container is left
 *
 * Drops the module's reference on itself; the hooks go hooks_linger_ms
 * later unless a create comes first.
 *
 * Context: process context; takes vpid_ctl_mutex.
 */
void vpid_hooks_release(void)
{
	bool idle;

	mutex_lock(&vpid_ctl_mutex);
	spin_lock_irq(&vpid_lock);
	idle = vpid_hooks_used && !vpid_ns_alive_count();
	spin_unlock_irq(&vpid_lock);
	if (idle) {
		WRITE_ONCE(vpid_hooks_used, false);
		if (!vpid_hooks_exiting)
			queue_delayed_work(system_long_wq, &vpid_unhook_work,
					   msecs_to_jiffies(READ_ONCE(vpid_linger_ms)));
	}
	mutex_unlock(&vpid_ctl_mutex);
	if (idle)
		module_put(THIS_MODULE);
}

/**
 * vpid_hooks_exit() - at unload (no container left): remove what the
 * linger left in, wait until no task runs module code, free the filters
 *
 * Context: the control file is gone: no create can come.
 */
void vpid_hooks_exit(void)
{
	unsigned int i;
	bool dirty;

	mutex_lock(&vpid_ctl_mutex);
	vpid_hooks_exiting = true;
	mutex_unlock(&vpid_ctl_mutex);
	cancel_delayed_work_sync(&vpid_unhook_work);
	mutex_lock(&vpid_ctl_mutex);
	WARN_ON(vpid_hooks_used);
	while (vpid_hooks_next)
		vpid_unhook_one();
	dirty = vpid_hooks_dirty;
	vpid_hooks_dirty = false;
	mutex_unlock(&vpid_ctl_mutex);
	if (dirty)
		vpid_calls_drain(false);
	for (i = 0; i < vpid_nr_hooks; i++)
		if (vpid_hook_traced(&vpid_hooks[i]))
			ftrace_free_filter(&vpid_hooks[i].ops);
}
