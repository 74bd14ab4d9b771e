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
 * none is left, so the host pays nothing while vpid is idle.  While they are
 * installed the module holds a reference on itself: rmmod cannot pull the
 * code from under a callback.
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
#include <linux/mutex.h>
#include "hooks.h"
#include "vpid_compat.h"

static bool vpid_hooks_on;
DEFINE_PER_CPU(long, vpid_calls);
/* Serialises container creation with hook installation and removal. */
DEFINE_MUTEX(vpid_ctl_mutex);

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
		if (!h->addr) {
			pr_err("vpid: kernel function %s not found\n", h->name);
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
 * it); one preempted after vpid_call_end() holds up the second.
 */
static void vpid_calls_drain(void)
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
		usleep_range(1000, 2000);
	}
	synchronize_rcu_tasks();
}

static void vpid_hooks_remove(unsigned int n)
{
	while (n--)
		if (vpid_hook_traced(&vpid_hooks[n]))
			unregister_ftrace_function(&vpid_hooks[n].ops);
	vpid_calls_drain();
}

/**
 * vpid_hooks_get() - make sure every hook is installed
 *
 * Context: vpid_ctl_mutex held.
 * Return: 0 or a -errno (nothing installed then).
 */
int vpid_hooks_get(void)
{
	unsigned int i;
	int err;

	lockdep_assert_held(&vpid_ctl_mutex);
	if (vpid_hooks_on)
		return 0;
	for (i = 0; i < vpid_nr_hooks; i++) {
		if (!vpid_hook_traced(&vpid_hooks[i]))
			continue;
		err = register_ftrace_function(&vpid_hooks[i].ops);
		if (err) {
			pr_err("vpid: cannot hook %s (%d)\n",
			       vpid_hooks[i].name, err);
			vpid_hooks_remove(i);
			return err;
		}
	}
	__module_get(THIS_MODULE);
	vpid_hooks_on = true;
	return 0;
}

/**
 * vpid_hooks_installed() - are the hooks in (for the counters)
 *
 * Return: true while they are.
 */
bool vpid_hooks_installed(void)
{
	return READ_ONCE(vpid_hooks_on);
}

/**
 * vpid_hooks_release() - remove the hooks if no container is left
 *
 * Context: process context; takes vpid_ctl_mutex.
 */
void vpid_hooks_release(void)
{
	bool idle;

	mutex_lock(&vpid_ctl_mutex);
	spin_lock_irq(&vpid_lock);
	idle = vpid_hooks_on && !vpid_ns_alive_count();
	spin_unlock_irq(&vpid_lock);
	if (idle) {
		vpid_hooks_remove(vpid_nr_hooks);
		vpid_hooks_on = false;
		/* Nobody reads released records without hooks: drop them. */
		vpid_gc(true);
	}
	mutex_unlock(&vpid_ctl_mutex);
	if (idle)
		module_put(THIS_MODULE);
}

/**
 * vpid_hooks_exit() - at unload: nothing is installed; free the filters
 */
void vpid_hooks_exit(void)
{
	unsigned int i;

	WARN_ON(vpid_hooks_on);
	for (i = 0; i < vpid_nr_hooks; i++)
		if (vpid_hook_traced(&vpid_hooks[i]))
			ftrace_free_filter(&vpid_hooks[i].ops);
}
