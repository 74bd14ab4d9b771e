// SPDX-License-Identifier: GPL-2.0
/*
 * locks.c - the owner of a POSIX lock that fcntl(F_GETLK) reports to a
 * container task: its vpid, or 0 when the owner is outside the container,
 * as a native pid namespace's task gets its namespace's number
 * (fs/locks.c: locks_translate_pid() with the caller's active namespace,
 * for a container task the host's).
 *
 * locks_translate_pid() is also what /proc/locks calls, with the proc
 * mount's namespace: a container's own /proc asks its shadow, which the
 * hooks of proc.c answer already, and the host's /proc keeps the host's
 * numbers.  So only calls made by fcntl() itself are redirected.  The
 * function is static and called directly (IBT may have sealed it): the
 * replacement does all of it.
 */
#include <linux/fcntl.h>
#include <linux/pid_namespace.h>
#include "hooks.h"
#include "vpid_compat.h"

/**
 * vpid_w_locks_translate_pid() - redirect locks_translate_pid() for
 * fcntl(F_GETLK/F_OFD_GETLK) of a container task
 * @fregs: the call's registers (the pid namespace in the second argument)
 *
 * Context: ftrace callback.
 * Return: true to redirect.
 */
bool vpid_w_locks_translate_pid(struct ftrace_regs *fregs)
{
	struct pid_namespace *ns = (void *)vpid_fregs_arg(fregs, 1);

	if (!vpid_in_syscall(__NR_fcntl, __NR_ia32_fcntl64) &&
	    !vpid_in_syscall(__NR_fcntl, __NR_ia32_fcntl))
		return false;
	return ns == task_active_pid_ns(current) && vpid_in_container();
}

/**
 * vpid_h_locks_translate_pid() - locks_translate_pid() for a container
 * task's fcntl()
 * @fl: the lock (struct file_lock_core on later kernels)
 * @ns: the caller's active pid namespace (the container's base)
 *
 * Return: -1 for an open file description lock, a remote lock's own
 * number, else the owner's vpid (0 when it is outside the container or
 * gone).
 */
VPID_HOOK_ABI
pid_t vpid_h_locks_translate_pid(struct vpid_file_lock *fl, struct pid_namespace *ns)
{
	struct vpid_container *view;
	pid_t nr = vpid_file_lock_pid(fl);

	if (vpid_file_lock_flags(fl) & FL_OFDLCK)
		return -1;
	if (nr <= 0)
		return nr;
	rcu_read_lock();
	view = vpid_current_container();
	nr = vpid_nr_view(find_pid_ns(nr, &init_pid_ns), view);
	rcu_read_unlock();
	return nr;
}
