// SPDX-License-Identifier: GPL-2.0
/*
 * engine.c - install and remove the hooks of one table with ftrace.
 *
 * A hook with a trampoline of its own (@direct) has an ftrace_ops of its
 * own, registered as a direct call.  Every other hook is a callback, and
 * the callbacks share two ftrace_ops, one per set of flags: those that
 * redirect or modify registers (IPMODIFY, which on x86 with
 * DYNAMIC_FTRACE_WITH_ARGS needs no SAVE_REGS: the cheaper path livepatch
 * uses too) and those that only observe.  ftrace hands the shared
 * callback the traced address, and vpid_hook_at() finds the hook in a
 * small hash.  Sharing is for the removal: ftrace waits for RCU-tasks
 * grace periods once per ftrace_ops it unregisters, so two ops instead of
 * one per callback hook take the removal from ~45 grace periods to ~15.
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
#include <linux/hash.h>
#include <linux/module.h>
#include "engine.h"
#include "vpid_compat.h"

/* How long a drain sleeps between two counts of the calls in flight (us). */
#define VPID_DRAIN_POLL_US	1000

DEFINE_PER_CPU(long, vpid_calls);

static struct vpid_hook *vpid_table;
static unsigned int vpid_table_size;

/*
 * The callback hooks' two shared ftrace_ops: VPID_OPS_MODIFY for those
 * that redirect or modify registers, VPID_OPS_OBSERVE for the others.
 * vpid_shared_nr counts each one's functions (none: not registered).
 */
enum { VPID_OPS_MODIFY, VPID_OPS_OBSERVE, VPID_OPS_SHARED };
static struct ftrace_ops vpid_shared_ops[VPID_OPS_SHARED];
static unsigned int vpid_shared_nr[VPID_OPS_SHARED];

/*
 * The callback hooks by the address ftrace passes their callback, open
 * addressing with linear probing: written by vpid_engine_init() before any
 * hook is in, read-only after.  That address is the function's __fentry__
 * call: its first instruction, or the second after an ENDBR64 (4 bytes;
 * IBT kernels give ENDBR64 to every function that may be called through
 * a pointer), so each hook has both keys.  At most half full.
 */
#define VPID_SLOT_BITS		8
#define VPID_SLOTS		BIT(VPID_SLOT_BITS)
#define VPID_ENDBR_SIZE		4
struct vpid_slot {
	unsigned long ip;
	struct vpid_hook *hook;
};

static struct vpid_slot vpid_slots[VPID_SLOTS] __read_mostly;
static unsigned int vpid_slots_used;

/*
 * The install sequence: the shared ops first (units 0 and 1), then the
 * direct hooks in table order (unit VPID_OPS_SHARED + i for vpid_table[i]).
 * The registered units are those of [0 .. next - 1] that have anything
 * to trace: installed in order, removed in reverse.  Written by the
 * serialised calls, read locklessly by vpid_engine_installed().
 */
static unsigned int vpid_table_next;

/* Written once by vpid_engine_init() before any hook is in. */
unsigned long vpid_text_start __read_mostly;
unsigned long vpid_text_len __read_mostly;

/* The callback hook traced at @ip, or NULL. */
static __always_inline struct vpid_hook *vpid_hook_at(unsigned long ip)
{
	unsigned int i = hash_long(ip, VPID_SLOT_BITS);

	while (vpid_slots[i].ip) {
		if (vpid_slots[i].ip == ip)
			return vpid_slots[i].hook;
		i = (i + 1) & (VPID_SLOTS - 1);
	}
	return NULL;
}

static int vpid_slot_add(unsigned long ip, struct vpid_hook *h)
{
	unsigned int i = hash_long(ip, VPID_SLOT_BITS);

	if (WARN_ON_ONCE(2 * (vpid_slots_used + 1) > VPID_SLOTS))
		return -E2BIG;
	while (vpid_slots[i].ip)
		i = (i + 1) & (VPID_SLOTS - 1);
	vpid_slots[i].ip = ip;
	vpid_slots[i].hook = h;
	vpid_slots_used++;
	return 0;
}

static void notrace vpid_ftrace_thunk(unsigned long ip,
				      unsigned long parent_ip,
				      struct ftrace_ops *ops,
				      struct ftrace_regs *fregs)
{
	struct vpid_hook *h = vpid_hook_at(ip);

	if (unlikely(!h))
		return;
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

/* Add callback hook @h to its shared ftrace_ops and to vpid_slots. */
static int vpid_hook_share(struct vpid_hook *h)
{
	unsigned int o = h->redirect || h->ipmodify ? VPID_OPS_MODIFY :
						      VPID_OPS_OBSERVE;
	int err;

	err = vpid_slot_add(h->addr, h);
	if (!err)
		err = vpid_slot_add(h->addr + VPID_ENDBR_SIZE, h);
	if (!err)
		err = ftrace_set_filter_ip(&vpid_shared_ops[o], h->addr, 0, 0);
	/* counted even on failure: the filter may need freeing */
	vpid_shared_nr[o]++;
	if (err)
		pr_err("cannot trace %s (%d)\n", h->name, err);
	return err;
}

/*
 * Find @h's function, set @h->orig, give its address to its ftrace_ops (its
 * own for a direct hook, else a shared one).
 */
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
	if (!h->direct)
		return vpid_hook_share(h);
	err = ftrace_set_filter_ip(&h->ops, h->addr, 0, 0);
	if (err)
		pr_err("cannot trace %s (%d)\n", h->name, err);
	return err;
}

/* Free the filters vpid_hook_resolve() gave table[0 .. nr - 1]. */
static void vpid_free_filters(struct vpid_hook *table, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < VPID_OPS_SHARED; i++) {
		if (vpid_shared_nr[i])
			ftrace_free_filter(&vpid_shared_ops[i]);
		vpid_shared_nr[i] = 0;
	}
	for (i = 0; i < nr; i++)
		if (table[i].direct && table[i].addr)
			ftrace_free_filter(&table[i].ops);
	memset(vpid_slots, 0, sizeof(vpid_slots));
	vpid_slots_used = 0;
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
	for (i = 0; i < VPID_OPS_SHARED; i++) {
		vpid_shared_ops[i].func = vpid_ftrace_thunk;
		vpid_shared_ops[i].flags = FTRACE_OPS_FL_RECURSION;
	}
	vpid_shared_ops[VPID_OPS_MODIFY].flags |= VPID_FTRACE_REDIRECT_FLAGS;
	for (i = 0; i < nr; i++) {
		err = vpid_hook_resolve(&table[i]);
		if (err) {
			/* the failed one's filter too, if it got one */
			vpid_free_filters(table, i + 1);
			return err;
		}
	}
	vpid_table = table;
	vpid_table_size = nr;
	return 0;
}

/* Register install unit @u (see vpid_table_next); 0 or a -errno. */
static int vpid_unit_register(unsigned int u)
{
	struct vpid_hook *h;
	int err;

	if (u < VPID_OPS_SHARED) {
		if (!vpid_shared_nr[u])
			return 0;
		err = register_ftrace_function(&vpid_shared_ops[u]);
		if (err)
			pr_err("cannot hook the %u %s callbacks (%d)\n",
			       vpid_shared_nr[u],
			       u == VPID_OPS_MODIFY ? "redirecting" : "observing",
			       err);
		return err;
	}
	h = &vpid_table[u - VPID_OPS_SHARED];
	if (!h->direct || !h->addr)
		return 0;
	err = vpid_ftrace_direct_register(&h->ops, (unsigned long)h->direct);
	if (err)
		pr_err("cannot hook %s (%d)\n", h->name, err);
	return err;
}

/* Unregister install unit @u; false if it had nothing registered. */
static bool vpid_unit_unregister(unsigned int u)
{
	struct vpid_hook *h;

	if (u < VPID_OPS_SHARED) {
		if (!vpid_shared_nr[u])
			return false;
		unregister_ftrace_function(&vpid_shared_ops[u]);
		return true;
	}
	h = &vpid_table[u - VPID_OPS_SHARED];
	if (!h->direct || !h->addr)
		return false;
	vpid_ftrace_direct_unregister(&h->ops, (unsigned long)h->direct);
	return true;
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
	int err;

	for (; vpid_table_next < VPID_OPS_SHARED + vpid_table_size;
	     vpid_table_next++) {
		err = vpid_unit_register(vpid_table_next);
		if (err)
			return err;
	}
	return 0;
}

/**
 * vpid_engine_remove_one() - unregister the last ftrace_ops registered
 * (a direct hook's, or one of the shared callback ops)
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
		unsigned int u = vpid_table_next - 1;

		WRITE_ONCE(vpid_table_next, u);
		if (vpid_unit_unregister(u))
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
	WARN_ON_ONCE(vpid_table_next);
	vpid_free_filters(vpid_table, vpid_table_size);
	vpid_table_size = 0;
}
