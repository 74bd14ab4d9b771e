// SPDX-License-Identifier: GPL-2.0
/*
 * engine.c - install and remove the hooks of one table with ftrace.
 *
 * Each hook has an ftrace_ops of its own filtered on one function, so every
 * hooked function gets a dedicated trampoline calling one callback.  A
 * redirect hook uses IPMODIFY, which on x86 with DYNAMIC_FTRACE_WITH_ARGS
 * needs no SAVE_REGS (the cheaper path livepatch uses too).
 *
 * Recursion: FTRACE_OPS_FL_RECURSION asks ftrace to guard the callback.  A
 * replacement that calls the original function (alloc_pid) re-enters the
 * callback from module text; vpid_ip_in_module(parent_ip) spots that and lets
 * the original run.  That check is only sound if the call to the original is
 * never a tail call, which is why Kbuild builds vpid with
 * -fno-optimize-sibling-calls.
 *
 * Serialisation: the table's owner serialises vpid_engine_init(),
 * _install(), _remove_one() and _exit() (core/life.c: vpid_ctl_mutex);
 * vpid_engine_installed() and _drain() may run alongside them.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include "engine.h"
#include "vpid_compat.h"

/* How long a drain sleeps between two counts of the calls in flight (us). */
#define VPID_DRAIN_POLL_US	1000

DEFINE_PER_CPU(long, vpid_calls);

static struct vpid_hook *vpid_table;
static unsigned int vpid_table_size;
/*
 * The registered hooks are the traced ones among vpid_table[0 .. next - 1]:
 * installed in table order, removed in reverse.  Written by the serialised
 * calls, read locklessly by vpid_engine_installed().
 */
static unsigned int vpid_table_next;

/* Written once by vpid_engine_init() before any hook is in. */
unsigned long vpid_text_start __read_mostly;
unsigned long vpid_text_len __read_mostly;

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
	if (vpid_ip_in_module(parent_ip))
		return;
	if (!h->want(fregs))
		return;
	vpid_fregs_set_ip(fregs, (unsigned long)h->redirect);
}

/*
 * Entries with neither redirect nor observe are only resolved, to be
 * called; an optional one this kernel lacks is left out.
 */
static bool vpid_hook_traced(const struct vpid_hook *h)
{
	return (h->redirect || h->observe || h->direct) && h->addr;
}

/**
 * vpid_engine_size() - how many hooks the table declares
 *
 * Return: the count.
 */
unsigned int vpid_engine_size(void)
{
	return vpid_table_size;
}

/* Find @h's function, set @h->orig, prepare its ftrace_ops. */
static int vpid_hook_resolve(struct vpid_hook *h)
{
	int err;

	h->addr = vpid_ksym(h->name);
	if (!h->addr && h->alt)
		h->addr = vpid_ksym(h->alt);
	if (!h->addr && h->optional) {
		pr_info("kernel function %s not found: not hooked\n", h->name);
		return 0;
	}
	if (!h->addr) {
		if (h->alt)
			pr_err("kernel function %s (or %s) not found\n",
			       h->name, h->alt);
		else
			pr_err("kernel function %s not found\n", h->name);
		return -ENOENT;
	}
	if (h->orig) {
		if (!vpid_callable(h->addr)) {
			pr_err("%s does not start with ENDBR64\n", h->name);
			return -ENOENT;
		}
		*h->orig = h->addr;
	}
	if (WARN_ON_ONCE(h->redirect && ((!h->want && !h->direct) ||
					 h->observe)))
		return -EINVAL;
	if (!vpid_hook_traced(h))
		return 0;
	if (!h->direct) {	/* else ftrace sets both at registration */
		h->ops.func = vpid_ftrace_thunk;
		h->ops.flags = FTRACE_OPS_FL_RECURSION;
		if (h->redirect || h->ipmodify)
			h->ops.flags |= VPID_FTRACE_REDIRECT_FLAGS;
	}
	err = ftrace_set_filter_ip(&h->ops, h->addr, 0, 0);
	if (err)
		pr_err("cannot trace %s (%d)\n", h->name, err);
	return err;
}

/**
 * vpid_engine_init() - find every function of a hook table, at module load
 * @table: the hooks; the engine keeps using it until vpid_engine_exit()
 * @nr: how many
 *
 * A function missing on this kernel, or not traceable, fails the load
 * with a line naming it: never a half-hooked kernel.  Nothing is hooked
 * yet.
 *
 * Return: 0 or a -errno.
 */
int vpid_engine_init(struct vpid_hook *table, unsigned int nr)
{
	unsigned int i;
	int err;

	vpid_module_text(THIS_MODULE, &vpid_text_start, &vpid_text_len);
	for (i = 0; i < nr; i++) {
		err = vpid_hook_resolve(&table[i]);
		if (err)
			goto fail;
	}
	vpid_table = table;
	vpid_table_size = nr;
	return 0;
fail:
	/* those given a filter, the failed one included, free it */
	do {
		if (vpid_hook_traced(&table[i]))
			ftrace_free_filter(&table[i].ops);
	} while (i--);
	return err;
}

/**
 * vpid_engine_install() - register every hook not registered yet
 *
 * Context: serialised by the caller; may sleep.
 * Return: 0, or the error of the hook that failed (named in the log);
 * those before it stay registered for vpid_engine_remove_one().
 */
int vpid_engine_install(void)
{
	struct vpid_hook *h;
	int err;

	for (; vpid_table_next < vpid_table_size; vpid_table_next++) {
		h = &vpid_table[vpid_table_next];
		if (!vpid_hook_traced(h))
			continue;
		if (h->direct)
			err = vpid_ftrace_direct_register(&h->ops,
							  (unsigned long)h->direct);
		else
			err = register_ftrace_function(&h->ops);
		if (err) {
			pr_err("cannot hook %s (%d)\n", h->name, err);
			return err;
		}
	}
	return 0;
}

/**
 * vpid_engine_remove_one() - unregister the last hook registered
 *
 * Slow (an RCU-tasks grace period), so the caller may let others in
 * between two calls.
 *
 * Context: serialised by the caller; may sleep.
 * Return: true while hooks are still registered.
 */
bool vpid_engine_remove_one(void)
{
	while (vpid_table_next) {
		struct vpid_hook *h = &vpid_table[vpid_table_next - 1];

		WRITE_ONCE(vpid_table_next, vpid_table_next - 1);
		if (!vpid_hook_traced(h))
			continue;
		if (h->direct)
			vpid_ftrace_direct_unregister(&h->ops,
						      (unsigned long)h->direct);
		else
			unregister_ftrace_function(&h->ops);
		break;
	}
	return vpid_table_next != 0;
}

/**
 * vpid_engine_installed() - are hooks in
 *
 * Return: true while at least one is registered with ftrace.
 */
bool vpid_engine_installed(void)
{
	return READ_ONCE(vpid_table_next) != 0;
}

/**
 * vpid_engine_drain() - wait until no task runs a replacement any more
 * @stop: polled while replacements still run; when it says true the wait
 *	ends early (NULL: never)
 *
 * A task the trampoline sent to a replacement but preempted before
 * vpid_call_begin() holds up the first RCU-tasks grace period (preemption
 * is no quiescent state for it); one preempted after vpid_call_end() holds
 * up the second.  Only the unload needs it: no task may return into freed
 * module text.
 *
 * Context: process context, no lock held; sleeps.
 * Return: false if @stop ended the wait.
 */
bool vpid_engine_drain(bool (*stop)(void))
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
		if (stop && stop())
			return false;
		usleep_range(VPID_DRAIN_POLL_US, 2 * VPID_DRAIN_POLL_US);
	}
	synchronize_rcu_tasks();
	return true;
}

/**
 * vpid_engine_exit() - free what vpid_engine_init() prepared
 *
 * Context: every hook removed and drained.
 */
void vpid_engine_exit(void)
{
	unsigned int i;

	WARN_ON_ONCE(vpid_table_next);
	for (i = 0; i < vpid_table_size; i++)
		if (vpid_hook_traced(&vpid_table[i]))
			ftrace_free_filter(&vpid_table[i].ops);
	vpid_table_size = 0;
}
