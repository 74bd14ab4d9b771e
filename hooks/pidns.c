// SPDX-License-Identifier: GPL-2.0
/*
 * pidns.c - /proc/sys/kernel/ns_last_pid, read or written by a container
 * task: the container's last vpid, as a native pid namespace's task gets
 * its namespace's (kernel/pid_namespace.c, pid_ns_ctl_handler()).  A write
 * chooses the vpid of the container's next task (checkpoint/restore
 * tools), needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE over the
 * container's pid namespace, and never moves the host's allocator.
 *
 * The kernel's handler is reached through the sysctl table (it keeps its
 * ENDBR64) but is not called: the replacement does all of it.
 *
 * nsfs NS_GET_{PID,TGID}_{FROM,IN}_PIDNS (6.11+) on a container task's own
 * pid namespace file (/proc/self/ns/pid: its container's base, the host's
 * to the kernel) translate between the container's numbers and the
 * container's numbers, as natively between a namespace and itself: the
 * kernel would take and give host numbers.  A native namespace made inside
 * the container needs nothing: the kernel's lookups there are right and
 * the caller's side goes through the caller's-view helpers.
 *
 * may_see_all_namespaces(), where the kernel has it as a function of its
 * own: "is the caller in the initial pid namespace, with CAP_SYS_ADMIN
 * there", asked before a task may walk the machine's mount namespaces
 * (nsfs NS_MNT_GET_NEXT/PREV) and namespaces (listns()): never for a
 * container task, as never for a native pid namespace's.  Where it is
 * inlined (6.12), the nsfs ioctl's replacement refuses those two itself.
 */
#include <linux/capability.h>
#include <linux/pid_namespace.h>
#include <linux/proc_ns.h>
#include <linux/sysctl.h>
#include "hooks.h"
#include "vpid_compat.h"

/**
 * vpid_h_pid_ns_ctl_handler() - ns_last_pid's handler for a container task
 * @table: the sysctl entry (ns_last_pid; const on later kernels)
 * @write: a write
 * @buffer: the data
 * @lenp: its length
 * @ppos: the file position
 *
 * Return: 0, -EPERM without the capability, -EINVAL out of 0..pid_max, or
 * proc_dointvec_minmax()'s error.
 */
VPID_HOOK_ABI
int vpid_h_pid_ns_ctl_handler(struct ctl_table *table, int write,
			      void *buffer, size_t *lenp, loff_t *ppos)
{
	struct ctl_table tmp = *table;
	int ret, next, max = vpid_pid_max();

	/* the container's tasks live in the host's user namespace's care */
	if (write && !checkpoint_restore_ns_capable(task_active_pid_ns(current)->user_ns))
		return -EPERM;
	ret = vpid_last_nr(&next);
	if (ret)
		return ret;
	tmp.data = &next;
	tmp.extra2 = &max;
	ret = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (!ret && write)
		ret = vpid_set_last_nr(next);
	return ret;
}

#if VPID_HAVE_NSFS_PID_IOCTLS
/*
 * NS_MNT_GET_NEXT/PREV: never for a container task, as never for a task of
 * a pid namespace other than the initial one (the kernel's
 * may_see_all_namespaces(); inlined where it is no function of its own).
 */
static bool vpid_nsfs_mnt_iter(unsigned int cmd)
{
#if VPID_HAVE_NSFS_MNT_ITER
	return cmd == NS_MNT_GET_NEXT || cmd == NS_MNT_GET_PREV;
#else
	return false;
#endif
}

/*
 * @ns names the caller's container @view: its shadow (/proc/self/ns/pid,
 * hooks/nsid.c), or its base (a file opened before entering).
 */
static bool vpid_nsfs_is_view(struct ns_common *ns, struct vpid_container *view)
{
	return ns == &view->base->ns || vpid_ns_shadow_view(ns) == view;
}

/* One of the four pid translations, on @file: the caller's own pid ns? */
static bool vpid_nsfs_own_pidns(struct file *file, unsigned int cmd,
				struct vpid_container *view)
{
	switch (cmd) {
	case NS_GET_PID_FROM_PIDNS:
	case NS_GET_TGID_FROM_PIDNS:
	case NS_GET_PID_IN_PIDNS:
	case NS_GET_TGID_IN_PIDNS:
		return view && vpid_nsfs_is_view(get_proc_ns(file_inode(file)),
						 view);
	}
	return false;
}

/**
 * vpid_w_ns_ioctl() - redirect an nsfs ioctl translating pids on the
 * caller's own pid namespace file, or walking the mount namespaces, for a
 * container task
 * @fregs: the call's registers
 *
 * Return: true to redirect.
 */
bool vpid_w_ns_ioctl(struct ftrace_regs *fregs)
{
	struct file *file = (void *)vpid_fregs_arg(fregs, 0);
	unsigned int cmd = vpid_fregs_arg(fregs, 1);
	struct vpid_container *view;
	bool yes;

	rcu_read_lock();
	view = vpid_current_container();
	yes = vpid_nsfs_mnt_iter(cmd) ? !!view :
	      vpid_nsfs_own_pidns(file, cmd, view);
	rcu_read_unlock();
	return yes;
}

/**
 * vpid_h_ns_ioctl() - NS_GET_{PID,TGID}_{FROM,IN}_PIDNS on a container
 * task's own pid namespace file: both sides in the container's numbers;
 * NS_MNT_GET_NEXT/PREV of a container task: refused
 * @file: the nsfs file
 * @cmd: the ioctl
 * @arg: a number in the container
 *
 * Return: the task's pid or tgid there, -ESRCH if none, -ENOTTY if the
 * call is no longer one of those (the task changed container meanwhile);
 * -EPERM for NS_MNT_GET_NEXT/PREV.
 */
VPID_HOOK_ABI
long vpid_h_ns_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct vpid_container *view;
	struct task_struct *tsk;
	long ret = -ENOTTY;

	if (vpid_nsfs_mnt_iter(cmd))
		return -EPERM;
	rcu_read_lock();
	view = vpid_current_container();
	if (!vpid_nsfs_own_pidns(file, cmd, view))
		goto out;
	ret = -ESRCH;
	tsk = pid_task(vpid_find_pid(view, (int)arg), PIDTYPE_PID);
	if (!tsk)
		goto out;
	if (cmd == NS_GET_PID_FROM_PIDNS || cmd == NS_GET_PID_IN_PIDNS)
		ret = vpid_nr_view(task_pid(tsk), view);
	else
		ret = vpid_nr_view(task_tgid(tsk), view);
	if (!ret)
		ret = -ESRCH;
out:
	rcu_read_unlock();
	return ret;
}
#endif

/**
 * vpid_h_may_see_all_namespaces() - may_see_all_namespaces() for a
 * container task: no, it is not in the initial pid namespace
 *
 * Return: false.
 */
VPID_HOOK_ABI
bool vpid_h_may_see_all_namespaces(void)
{
	return false;
}
