// SPDX-License-Identifier: GPL-2.0
/*
 * prctl.c - PR_SET/GET_CHILD_SUBREAPER in a container's init.
 *
 * vpid makes a container's init a child subreaper, so that the kernel gives
 * it the container's orphans (core/container.c).  A pid namespace's init gets
 * them without being one: what the init itself set is kept apart
 * (vpid_container.user_subreaper), read back by PR_GET_CHILD_SUBREAPER, and
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
static struct vpid_container *vpid_current_init_of(void)
{
	return vpid_init_of(task_tgid(current));
}

static bool vpid_want_prctl_option(unsigned long option)
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

static bool vpid_want_prctl(const struct pt_regs *regs, bool ia32)
{
	return vpid_want_prctl_option(vpid_sc_arg(regs, ia32, 0));
}

/*
 * vpid_w_sys_prctl(), vpid_w_ia32_prctl(): redirect prctl() of a container
 * init's subreaper flag (the user registers are the first argument).
 */
VPID_SYSCALL_WANT_PAIR(prctl)

static long vpid_prctl(const struct pt_regs *regs, bool ia32)
{
	unsigned long option = vpid_sc_arg(regs, ia32, 0);
	unsigned long arg2 = vpid_sc_arg(regs, ia32, 1);
	struct vpid_container *ct;
	long ret = 0;
	int val = 0;

	rcu_read_lock();
	ct = vpid_current_init_of();
	if (ct && option == PR_SET_CHILD_SUBREAPER)
		WRITE_ONCE(ct->user_subreaper, !!arg2);
	else if (ct)
		val = READ_ONCE(ct->user_subreaper);
	rcu_read_unlock();
	if (!ct || (option == PR_SET_CHILD_SUBREAPER && arg2)) {
		/* not an init any more, or the descendants' marks to set */
		vpid_call_begin();
		ret = vpid_sc_call(vpid_orig_prctl[ia32], regs);
		vpid_call_end();
	} else if (option == PR_GET_CHILD_SUBREAPER) {
		ret = put_user(val, (int __user *)arg2);
	}
	return ret;
}

/*
 * vpid_h_sys_prctl(), vpid_h_ia32_prctl(): prctl() of a container init's
 * subreaper flag.  Return: 0 or a -errno.
 */
VPID_SYSCALL_PAIR(prctl)
