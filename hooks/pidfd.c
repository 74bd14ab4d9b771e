// SPDX-License-Identifier: GPL-2.0
/*
 * pidfd.c - pidfd_open(pid, flags) from a container task.
 *
 * The syscall inlines its find_get_pid(), so the helper hooks do not see
 * it: the pid argument is translated at the syscall entry instead (64-bit
 * and ia32 entry points), on a copy of the caller's registers.  The
 * original entry points are called through pointers: the syscall table
 * calls them too, so they keep their ENDBR64 on IBT kernels.
 */
#include <linux/ptrace.h>
#include "hooks.h"
#include "vpid_compat.h"

/*
 * Translate the pid in *@arg from the caller's view to a real number.
 * Return: 0, or -ESRCH when no task of the view has it.
 */
static int vpid_pidfd_arg(unsigned long *arg)
{
	pid_t nr = (pid_t)*arg;
	struct vpid_ns *view;
	struct pid *pid;
	int err = 0;

	if (nr <= 0)
		return 0;	/* the original says EINVAL */
	rcu_read_lock();
	view = vpid_current_ns();
	if (view) {
		pid = vpid_find_pid(view, nr);
		if (pid)
			*arg = (unsigned int)pid_nr(pid);
		else
			err = -ESRCH;
	}
	rcu_read_unlock();
	return err;
}

/*
 * Call the original entry @orig_addr on a copy of @regs whose pid argument
 * (@ia32: in bx, else in di) is translated to the real number.
 */
static long vpid_pidfd_call(unsigned long orig_addr,
			    const struct pt_regs *regs, bool ia32)
{
	long (*orig)(const struct pt_regs *) = (void *)orig_addr;
	struct pt_regs copy = *regs;
	long ret = vpid_pidfd_arg(ia32 ? &copy.bx : &copy.di);

	if (!ret) {
		vpid_call_begin();
		ret = orig(&copy);
		vpid_call_end();
	}
	return ret;
}

/**
 * vpid_h_sys_pidfd_open() - __x64_sys_pidfd_open() for a container task
 * @regs: the caller's user registers (pid in di)
 *
 * Return: a pidfd or a -errno.
 */
VPID_HOOK_ABI
long vpid_h_sys_pidfd_open(const struct pt_regs *regs)
{
	return vpid_pidfd_call(vpid_orig_pidfd_open, regs, false);
}

/**
 * vpid_h_ia32_pidfd_open() - __ia32_sys_pidfd_open() for a container task
 * @regs: the caller's user registers (pid in bx)
 *
 * Return: a pidfd or a -errno.
 */
VPID_HOOK_ABI
long vpid_h_ia32_pidfd_open(const struct pt_regs *regs)
{
	return vpid_pidfd_call(vpid_orig_ia32_pidfd_open, regs, true);
}
