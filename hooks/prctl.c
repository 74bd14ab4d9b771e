// SPDX-License-Identifier: GPL-2.0
/*
 * prctl.c - PR_SET/GET_CHILD_SUBREAPER in a container's init.
 *
 * vpid makes a container's init a child subreaper, so that the kernel gives
 * it the container's orphans (module/ns.c).  A pid namespace's init gets
 * them without being one: what the init itself set is kept apart
 * (vpid_ns.user_subreaper), read back by PR_GET_CHILD_SUBREAPER, and
 * clearing it does not clear the kernel's flag.  Setting it still runs the
 * kernel's prctl, which marks the descendants as having a subreaper.
 * Entered through the syscall entries (64-bit and ia32), which keep their
 * ENDBR64 on IBT kernels: the syscall table calls them.
 */
#include <linux/prctl.h>
#include <linux/ptrace.h>
#include <linux/uaccess.h>
#include "hooks.h"
#include "vpid_compat.h"

/* The container whose init the current process is, or NULL.  RCU. */
static struct vpid_ns *vpid_current_init_of(void)
{
	return vpid_init_of(task_tgid(current));
}

static bool vpid_want_prctl(unsigned long option)
{
	bool init;

	if (option != PR_SET_CHILD_SUBREAPER &&
	    option != PR_GET_CHILD_SUBREAPER)
		return false;
	rcu_read_lock();
	init = vpid_current_init_of();
	rcu_read_unlock();
	return init;
}

/**
 * vpid_w_sys_prctl() - redirect prctl() of a container init's subreaper
 * @fregs: the call's registers (the user registers in the first argument)
 *
 * Return: true to redirect.
 */
bool vpid_w_sys_prctl(struct ftrace_regs *fregs)
{
	const struct pt_regs *regs = (void *)vpid_fregs_arg(fregs, 0);

	return vpid_want_prctl(regs->di);
}

/**
 * vpid_w_ia32_prctl() - vpid_w_sys_prctl() for the ia32 entry
 * @fregs: the call's registers
 *
 * Return: true to redirect.
 */
bool vpid_w_ia32_prctl(struct ftrace_regs *fregs)
{
	const struct pt_regs *regs = (void *)vpid_fregs_arg(fregs, 0);

	return vpid_want_prctl(regs->bx);
}

static long vpid_prctl(unsigned long orig_addr, const struct pt_regs *regs,
		       unsigned long option, unsigned long arg2)
{
	long (*orig)(const struct pt_regs *) = (void *)orig_addr;
	struct vpid_ns *ns;
	long ret = 0;
	int val = 0;

	rcu_read_lock();
	ns = vpid_current_init_of();
	if (ns && option == PR_SET_CHILD_SUBREAPER)
		WRITE_ONCE(ns->user_subreaper, !!arg2);
	else if (ns)
		val = READ_ONCE(ns->user_subreaper);
	rcu_read_unlock();
	if (!ns || (option == PR_SET_CHILD_SUBREAPER && arg2)) {
		/* not an init any more, or the descendants' marks to set */
		vpid_call_begin();
		ret = orig(regs);
		vpid_call_end();
	} else if (option == PR_GET_CHILD_SUBREAPER) {
		ret = put_user(val, (int __user *)arg2);
	}
	return ret;
}

/**
 * vpid_h_sys_prctl() - __x64_sys_prctl() for a container init's subreaper
 * @regs: the caller's user registers (option, arg2 in di, si)
 *
 * Return: 0 or a -errno.
 */
VPID_HOOK_ABI
long vpid_h_sys_prctl(const struct pt_regs *regs)
{
	return vpid_prctl(vpid_orig_sys_prctl, regs, regs->di, regs->si);
}

/**
 * vpid_h_ia32_prctl() - __ia32_sys_prctl() for a container init's subreaper
 * @regs: the caller's user registers (option, arg2 in bx, cx)
 *
 * Return: 0 or a -errno.
 */
VPID_HOOK_ABI
long vpid_h_ia32_prctl(const struct pt_regs *regs)
{
	return vpid_prctl(vpid_orig_ia32_prctl, regs, regs->bx,
			  (u32)regs->cx);
}
