// SPDX-License-Identifier: GPL-2.0
/*
 * setns.c - setns() and containers: a container task may not join a pid
 * namespace above or beside its container (-EINVAL, as natively for a
 * namespace that is neither one's own nor below it), and a task outside
 * that joins a container task's pid namespace through its pidfd has its
 * children born in the container (as through a namespace file:
 * hooks/nsid.c, core/enter.c).
 *
 * To the kernel a container task lives in its container's base, so
 * pidns_install() lets it join that base (a namespace file opened on the
 * host before entering, or passed in), or a native namespace some host
 * task made below the base, or the base through a pidfd of a host task:
 * the kernel sees the caller's own namespace, or one below it.  The
 * caller's children would still go into its container (they are numbered
 * by their parent's), but a native pid namespace's task gets -EINVAL for
 * each, and a program testing that it cannot leave its namespace would
 * conclude otherwise.  So, for a container task, before the kernel:
 *
 *	an nsfs file of a pid namespace (nstype 0 or CLONE_NEWPID): allowed
 *		when it is a container's shadow (hooks/nsid.c decides), lies
 *		outside the base (the kernel refuses), or is a native
 *		namespace made in the caller's container or below it;
 *		-EINVAL when it is the base or any other namespace below it;
 *	a pidfd with CLONE_NEWPID: allowed when its task is in the caller's
 *		container or below it (or in a native namespace made there),
 *		-EINVAL otherwise;
 *
 * each only for a caller with CAP_SYS_ADMIN (the kernel's -EPERM comes
 * first, as natively).  A thread that swaps the fd between this check and
 * the kernel's gains nothing: its children stay in its container.
 *
 * A task outside every container, setns(pidfd, CLONE_NEWPID | ...) (what
 * util-linux 2.40's nsenter does): the kernel joins the pidfd task's
 * namespace, for a container task its container's base, the caller's own
 * for a container of the host.  Once the kernel succeeded, the caller is
 * recorded with the pidfd task's container (enter.c), or its record goes
 * if that task is in none.
 */
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/magic.h>
#include <linux/pid_namespace.h>
#include <linux/proc_ns.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include "hooks.h"
#include "vpid_compat.h"

/*
 * Was @pidns (below @view's base) made in @view or below it: is the init
 * of @pidns, or of the first ancestor that has one, a pid of @view's?  A
 * namespace with no init up to the base (unshare() not yet followed by a
 * fork) is the kernel's to judge.
 */
static bool vpid_setns_below(struct pid_namespace *pidns,
			     struct vpid_container *view)
{
	struct pid *init;

	for (; pidns && pidns->level > view->base->level;
	     pidns = pidns->parent) {
		init = find_pid_ns(1, pidns);
		if (init)
			return vpid_container_within(vpid_member_of_pid(init),
						     view);
	}
	return true;
}

/* May a task of @view join pid namespace @pidns (an nsfs file's)? */
static bool vpid_setns_nsfs(struct pid_namespace *pidns,
			    struct vpid_container *view)
{
	struct pid_namespace *p;

	if (vpid_shadow_view(pidns))
		return true;
	if (pidns->level <= view->base->level)
		return pidns != view->base;
	for (p = pidns; p->level > view->base->level; p = p->parent)
		;
	return p != view->base || vpid_setns_below(pidns, view);
}

static bool vpid_setns_is_pidfd(struct file *file)
{
	return file->f_op &&
	       file->f_op->show_fdinfo == (void *)vpid_orig_pidfd_show_fdinfo;
}

/*
 * The container a pidfd's task is in (a reference), or NULL, and in @ns its
 * pid namespace, which the kernel's setns() makes the caller's children's:
 * the container's base, or a native one made inside it.
 */
static struct vpid_container *vpid_setns_pidfd_container(struct file *file,
							 struct pid_namespace **ns)
{
	struct pid *pid = vpid_pidfd_file_pid(file);
	struct vpid_container *ct;

	rcu_read_lock();
	ct = vpid_container_tryget(vpid_member_of_pid(pid));
	rcu_read_unlock();
	*ns = ns_of_pid(pid);
	return ct;
}

/*
 * -EINVAL if the current task may not join what @file with @flags names,
 * else 0 (the kernel goes on).
 */
static int vpid_setns_check(struct file *file, unsigned long flags)
{
	struct inode *inode = file_inode(file);
	struct pid_namespace *pidns = NULL;
	struct vpid_container *view;
	struct pid *pid = NULL;
	bool ok = true;

	if (inode->i_sb->s_magic == NSFS_MAGIC) {
		/* the file holds a reference on its namespace */
		if (vpid_ns_type(get_proc_ns(inode)) != CLONE_NEWPID ||
		    (flags && flags != CLONE_NEWPID))
			return 0;
		pidns = vpid_to_pid_ns(get_proc_ns(inode));
		if (!ns_capable(pidns->user_ns, CAP_SYS_ADMIN))
			return 0;
	} else if ((flags & CLONE_NEWPID) && vpid_setns_is_pidfd(file)) {
		pid = vpid_pidfd_file_pid(file);
	} else {
		return 0;
	}
	rcu_read_lock();
	view = vpid_current_container();
	if (view && pidns)
		ok = vpid_setns_nsfs(pidns, view);
	else if (view && pid_task(pid, PIDTYPE_PID))	/* else -ESRCH */
		ok = vpid_container_within(vpid_member_of_pid(pid), view);
	rcu_read_unlock();
	return ok ? 0 : -EINVAL;
}

static long vpid_setns(const struct pt_regs *regs, bool ia32)
{
	int fd = vpid_sc_arg(regs, ia32, 0);
	unsigned long flags = vpid_sc_arg(regs, ia32, 1);
	struct vpid_container *ct = NULL, *view;
	struct pid_namespace *into = NULL;
	struct vpid_enter *n = NULL;
	bool outside, pidfd = false;
	struct file *file;
	long ret = 0;

	vpid_call_begin();
	rcu_read_lock();
	view = vpid_container_tryget(vpid_current_container());
	outside = !vpid_member_of_pid(task_pid(current));
	rcu_read_unlock();
	file = fget(fd);
	if (file && !outside && ns_capable(current_user_ns(), CAP_SYS_ADMIN))
		ret = vpid_setns_check(file, flags);
	if (!ret && file && (flags & CLONE_NEWPID) && vpid_setns_is_pidfd(file) &&
	    (outside || view)) {
		/* allocated ahead: the kernel's setns() cannot be undone */
		pidfd = true;
		ct = vpid_setns_pidfd_container(file, &into);
		/* a container task's own: its children stay, no record */
		if (ct && view && (ct == view || !vpid_container_within(ct, view))) {
			vpid_container_put(ct);
			ct = NULL;
		}
		if (ct) {
			n = vpid_enter_alloc();
			if (!n)
				ret = -ENOMEM;
		}
	}
	if (!ret)
		ret = vpid_sc_call(vpid_orig_setns[ia32], regs);
	if (pidfd && !ret)
		vpid_enter_install(n, ct, into);
	else
		kfree(n);
	if (ct)
		vpid_container_put(ct);
	if (view)
		vpid_container_put(view);
	if (file)
		fput(file);
	vpid_call_end();
	return ret;
}

/*
 * vpid_h_sys_setns(), vpid_h_ia32_setns(): setns(), for every caller.
 * Return: -EINVAL for a pid namespace a container task may not join,
 * -ENOMEM, else the kernel's.
 */
VPID_SYSCALL_PAIR(setns)
