// SPDX-License-Identifier: GPL-2.0
/*
 * activens.c - the pid namespace FUSE and BSD process accounting keep for a
 * container task: its container's shadow.
 *
 * Two kernel services store the caller's task_active_pid_ns(current) and
 * number tasks in it later:
 *  - fuse_conn_init(), for a FUSE mount or a CUSE device: every request
 *    header carries the requester's pid there (pid_nr_ns(task_pid(current),
 *    fc->pid_ns)), and so do POSIX locks handed to the daemon;
 *  - acct() (acct_on(), and sys_acct() to turn it off) switches that
 *    namespace's accounting, and at each exit acct_process() writes a
 *    record, numbered there, to the exiting task's namespace and to each
 *    ancestor whose accounting is on.
 * A container task's namespace is the host's: a FUSE daemon in a container
 * would read host pids, acct() would switch the host's accounting.  For
 * these callers only, told by the return address, the hook answers the
 * container's shadow instead (core/shadow.c), an empty child of the host's
 * namespace whose numbers pid_nr_ns() and __task_pid_nr_ns() give in the
 * container's (hooks/proc.c, hooks/pid_helpers.c).  So a FUSE daemon in a
 * container sees its container's numbers, 0 for a requester outside; a
 * container has accounting of its own, in its numbers, and the host's
 * accounting still gets every record, as for a native child namespace.
 * core/acct.c turns a container's accounting off when it ends.
 *
 * The callers are found by the return address: inside one of the functions
 * below (their extents read at load), or, for a module's caller (fuse.ko
 * on 6.1, loaded any time), by its symbol name.  A direct hook: the kernel
 * asks task_active_pid_ns() on every signal sent (send_signal_locked()),
 * and a host task's call costs the quick filter alone.
 */
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/pid_namespace.h>
#include <linux/string.h>
#include "hooks.h"
#include "vpid_compat.h"

/**
 * struct vpid_caller - a function whose task_active_pid_ns() is swapped
 * @name: its symbol
 * @make: it may sleep to make the shadow.  acct()'s wrapper makes it first
 *	(hooks/acct.c): sys_acct() asks under rcu_read_lock(), and a
 *	container without one has no accounting for acct_process() to find
 * @acct: acct()'s own, also swapped for core/acct.c's closing worker
 * @start: its address in the kernel image, 0 if not there (a module's, an
 *	inlined one)
 * @len: its size
 */
struct vpid_caller {
	const char *name;
	bool make;
	bool acct;
	unsigned long start;
	unsigned long len;
};

static struct vpid_caller vpid_callers[] = {
	{ .name = "fuse_conn_init", .make = true },
	{ .name = "acct_on", .acct = true },
	{ .name = "__x64_sys_acct", .acct = true },
	{ .name = "__ia32_sys_acct", .acct = true },
	{ .name = "acct_process", .acct = true },
};

/* fuse_conn_init() in fuse.ko, as sprint_symbol_no_offset() names it */
#define VPID_FUSE_MODULE_CALLER	"fuse_conn_init [fuse]"

/* The kernel image's text, _stext to _etext: 0, 0 if unknown. */
static unsigned long vpid_core_start, vpid_core_len;

static bool vpid_in_core(unsigned long ip)
{
	return ip - vpid_core_start < vpid_core_len;
}

/* The size of the function at @addr: "NAME+0x0/0xSIZE". */
static unsigned long vpid_func_size(unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long len;
	char *slash;

	sprint_symbol(buf, addr);
	slash = strchr(buf, '/');
	if (!slash || kstrtoul(slash + 1, 16, &len))
		return 0;
	return len;
}

/**
 * vpid_activens_init() - find the callers whose answer is swapped
 *
 * A caller that is not in the kernel image is left out: inlined, in a
 * module (matched by name instead), or its feature configured out.
 *
 * Return: 0.
 */
int vpid_activens_init(void)
{
	unsigned long stext = vpid_ksym("_stext"), etext = vpid_ksym("_etext");
	struct vpid_caller *c;

	if (stext && etext > stext) {
		vpid_core_start = stext;
		vpid_core_len = etext - stext;
	}
	for (c = vpid_callers; c < vpid_callers + ARRAY_SIZE(vpid_callers); c++) {
		unsigned long addr = vpid_ksym(c->name);

		if (!addr || !vpid_in_core(addr))
			continue;
		c->len = vpid_func_size(addr);
		if (c->len)
			c->start = addr;
	}
	return 0;
}

/* The caller in the kernel image @ip returns into, or NULL. */
static const struct vpid_caller *vpid_caller_in_image(unsigned long ip)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vpid_callers); i++)
		if (ip - vpid_callers[i].start < vpid_callers[i].len)
			return &vpid_callers[i];
	return NULL;
}

/* Is @ip in a module (or anywhere but the kernel image, if that is known)? */
static bool vpid_in_module(unsigned long ip)
{
	return vpid_core_len && !vpid_in_core(ip);
}

/*
 * The caller @ip returns to, if its answer is swapped.  A module's caller
 * costs a symbol lookup: only fuse.ko, gfs2, coda, binder and amdgpu call
 * task_active_pid_ns() from a module, rarely.
 */
static const struct vpid_caller *vpid_caller_at(unsigned long ip)
{
	const struct vpid_caller *c = vpid_caller_in_image(ip);
	char sym[KSYM_SYMBOL_LEN];

	if (c || !vpid_in_module(ip))
		return c;
	sprint_symbol_no_offset(sym, ip);
	return strcmp(sym, VPID_FUSE_MODULE_CALLER) ? NULL : &vpid_callers[0];
}

/**
 * vpid_df_task_active_pid_ns() - quick filter of task_active_pid_ns()
 * @tsk: unused
 *
 * Return: false when the current task is surely neither a container's nor
 * core/acct.c's worker turning a container's accounting off.
 */
notrace VPID_DIRECT_QUICK bool vpid_df_task_active_pid_ns(void *tsk)
{
	return vpid_quick_in_container() || vpid_acct_busy();
}

/**
 * vpid_dw_task_active_pid_ns() - redirect task_active_pid_ns(current) from
 * one of the callers above, for a container task or for the worker turning
 * a container's accounting off
 * @r: the call's registers and return address
 *
 * Return: true to redirect.
 */
bool vpid_dw_task_active_pid_ns(const struct vpid_dregs *r)
{
	/* a module's caller is told by its name in the replacement */
	if (vpid_dregs_from_module(r) || (void *)r->di != current ||
	    (!vpid_caller_in_image(r->parent_ip) && !vpid_in_module(r->parent_ip)))
		return false;
	return vpid_in_container() || vpid_acct_closing();
}

/**
 * vpid_h_task_active_pid_ns() - task_active_pid_ns() as FUSE and BSD
 * accounting should keep it
 * @tsk: the current task
 *
 * Context: the caller's; sleeps only for a caller that may (@make).
 * Return: the shadow of the caller's container for the callers above,
 * when the task lives in the container's base; else its pid namespace.
 */
VPID_HOOK_ABI
struct pid_namespace *vpid_h_task_active_pid_ns(struct task_struct *tsk)
{
	const struct vpid_caller *c;
	struct pid_namespace *ns = ns_of_pid(task_pid(tsk));
	struct pid_namespace *shadow = NULL;
	struct vpid_container *ct;

	vpid_call_begin();
	c = vpid_caller_at((unsigned long)__builtin_return_address(0));
	if (!c)
		goto out;
	if (c->acct) {
		shadow = vpid_acct_closing();
		if (shadow)
			goto out;
	}
	rcu_read_lock();
	ct = vpid_container_tryget(vpid_current_container());
	rcu_read_unlock();
	if (!ct)
		goto out;
	if (ns == ct->base)
		shadow = vpid_shadow_borrow(ct, c->make);
	/* the task keeps its container, and the container its shadow */
	vpid_container_put(ct);
out:
	vpid_call_end();
	return shadow ?: ns;
}
