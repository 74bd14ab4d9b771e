// SPDX-License-Identifier: GPL-2.0
/*
 * nsid.c - the pid namespace of a container task, as nsfs shows it: its
 * container's shadow (core/shadow.c), as a native pid namespace's task
 * shows its own namespace there.
 *
 * To the kernel a container task lives in its container's base (the
 * host's pid namespace, or the native one its creator was in), so
 * /proc/PID/ns/pid and pid_for_children would name the host's namespace:
 * tools comparing namespace inodes (lsns, CRIU, systemd's and container
 * runtimes' "am I in a pid namespace" tests) would take the container for
 * the host.  The hooks of struct proc_ns_operations pidns_operations:
 *
 *	pidns_get(task), pidns_for_children_get(task): for a task living in
 *		its container's base (not in a native namespace made inside),
 *		the container's shadow instead of the base;
 *	pidns_install(nsset, ns), setns() to a pid namespace: a container's
 *		shadow means its base.  For that container's own tasks it is
 *		their own namespace (children stay in the container); a task
 *		outside every container whose namespace is at or above the
 *		base (nsenter -p from the host) joins it: its children are
 *		born in the container (core/enter.c), and its
 *		pid_for_children shows the shadow until it joins another pid
 *		namespace.  Other container tasks get -EINVAL, as natively
 *		for a namespace not below one's own.  The shadow also refuses
 *		tasks of its own (shadow.c), should one be joined with no hook
 *		in (after rmmod): fork gets -ENOMEM;
 *	pidns_get_parent(ns), NS_GET_PARENT: a shadow's parent is its parent
 *		container's shadow (the base for a container of the host),
 *		-EPERM for a caller that does not see above the container; a
 *		native namespace made in a container has the container's.
 *
 * PIDFD_GET_PID_NAMESPACE and PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE (6.11+)
 * of a container task's pidfd open the same shadow (vpid_nsid_pidfd(),
 * called by the pidfd ioctl's replacement in hooks/pidfd.c).
 *
 * A container task's setns() to a namespace above or beside its container
 * (the base itself, by a file opened before entering) is refused before
 * the kernel sees it: hooks/setns.c.
 */
#include <linux/fdtable.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/proc_ns.h>
#include <linux/sched/task.h>
#include "hooks.h"
#include "vpid_compat.h"

/* The container @task has the view of, with a reference, or NULL. */
static struct vpid_container *vpid_nsid_container(struct task_struct *task)
{
	struct vpid_container *ct;

	rcu_read_lock();
	ct = vpid_container_tryget(vpid_container_of_pid(task_pid(task)));
	rcu_read_unlock();
	return ct;
}

/*
 * The container whose pid namespace @task's children are born in, with a
 * reference, or NULL: its own, or one it joined from outside (enter.c).
 */
static struct vpid_container *vpid_nsid_children(struct task_struct *task)
{
	struct vpid_container *ct;

	rcu_read_lock();
	ct = vpid_entered(task_pid(task));
	if (!ct)
		ct = vpid_container_of_pid(task_pid(task));
	ct = vpid_container_tryget(ct);
	rcu_read_unlock();
	return ct;
}

/**
 * vpid_w_nsid_task() - redirect pidns_get(task) or
 * pidns_for_children_get(task) when the task is a container's, or joined
 * one from outside
 * @fregs: the call's registers
 *
 * Return: true to redirect.
 */
bool vpid_w_nsid_task(struct ftrace_regs *fregs)
{
	struct task_struct *task = (void *)vpid_fregs_arg(fregs, 0);
	bool yes;

	rcu_read_lock();
	yes = vpid_container_of_pid(task_pid(task)) ||
	      vpid_entered(task_pid(task));
	rcu_read_unlock();
	return yes;
}

/*
 * @ns with the reference the caller got (NULL allowed) given back and the
 * shadow of @ct taken instead, when @ns is @ct's base: NULL if making the
 * shadow failed (the caller says "no namespace", -ENOENT).
 */
static struct ns_common *vpid_nsid_swap(struct vpid_container *ct,
					struct ns_common *ns)
{
	struct pid_namespace *shadow;

	if (!ns || ns != &ct->base->ns)
		return ns;
	put_pid_ns(ct->base);
	shadow = vpid_shadow_get(ct);
	return IS_ERR(shadow) ? NULL : &shadow->ns;
}

/*
 * pidns_get() or pidns_for_children_get() (@orig, @children) of @task, with
 * its container's shadow for its base.
 */
static struct ns_common *vpid_nsid_of_task(unsigned long orig,
					   struct task_struct *task,
					   bool children)
{
	struct ns_common *(*get)(struct task_struct *) = (void *)orig;
	struct vpid_container *ct;
	struct ns_common *ns;

	vpid_call_begin();
	ns = get(task);
	ct = children ? vpid_nsid_children(task) : vpid_nsid_container(task);
	if (ct) {
		ns = vpid_nsid_swap(ct, ns);
		vpid_container_put(ct);
	}
	vpid_call_end();
	return ns;
}

/**
 * vpid_h_pidns_get() - a container task's pid namespace: its container's
 * shadow
 * @task: the task
 *
 * Context: process context, may sleep (the shadow is made on first use).
 * Return: a namespace with a reference, or NULL.
 */
VPID_HOOK_ABI
struct ns_common *vpid_h_pidns_get(struct task_struct *task)
{
	return vpid_nsid_of_task(vpid_orig_pidns_get, task, false);
}

/**
 * vpid_h_pidns_for_children_get() - the pid namespace a container task's
 * children get: its container's shadow when that is the base
 * @task: the task
 *
 * A native namespace it made (unshare()) is shown as itself, and as the
 * kernel does: none until its init is forked.  A task outside that joined
 * a container (setns()) shows that container's.
 *
 * Context: process context, may sleep.
 * Return: a namespace with a reference, or NULL.
 */
VPID_HOOK_ABI
struct ns_common *vpid_h_pidns_for_children_get(struct task_struct *task)
{
	return vpid_nsid_of_task(vpid_orig_pidns_for_children_get, task, true);
}

/* An nsfs namespace: is it a live container's shadow? */
static bool vpid_nsid_is_shadow(struct ns_common *ns)
{
	bool yes;

	rcu_read_lock();
	yes = vpid_ns_shadow_view(ns);
	rcu_read_unlock();
	return yes;
}

/**
 * vpid_w_pidns_install() - redirect setns() to a container's shadow, by a
 * task outside to a native pid namespace made in a container, or by a task
 * outside that had joined a container
 * @fregs: the call's registers
 *
 * Return: true to redirect.
 */
bool vpid_w_pidns_install(struct ftrace_regs *fregs)
{
	struct ns_common *ns = (void *)vpid_fregs_arg(fregs, 1);
	struct pid *me = task_pid(current);
	bool yes;

	if (vpid_nsid_is_shadow(ns))
		return true;
	rcu_read_lock();
	yes = vpid_entered(me) ||
	      (!vpid_member_of_pid(me) && vpid_pidns_maker(vpid_to_pid_ns(ns)));
	rcu_read_unlock();
	return yes;
}

/**
 * vpid_h_pidns_install() - setns() to a container's shadow (its base: for
 * a task of it, its own namespace; for a task outside or of a container
 * above it, the container to bear its children), or by a task that had
 * joined one
 * @nsset: the namespaces being set up
 * @ns: the namespace
 *
 * Return: 0, -EPERM without CAP_SYS_ADMIN (checked first, as natively),
 * -EINVAL (a container's shadow not at or below the caller's, a namespace
 * not at or below the caller's) or -ENOMEM.
 */
VPID_HOOK_ABI
int vpid_h_pidns_install(struct nsset *nsset, struct ns_common *ns)
{
	int (*orig)(struct nsset *, struct ns_common *) =
		(void *)vpid_orig_pidns_install;
	struct vpid_container *view, *shadow, *enter = NULL;
	struct pid_namespace *target = NULL, *into = NULL;
	int ret = -EPERM;

	vpid_call_begin();
	if (!ns_capable(vpid_to_pid_ns(ns)->user_ns, CAP_SYS_ADMIN) ||
	    !ns_capable(nsset->cred->user_ns, CAP_SYS_ADMIN))
		goto out;
	rcu_read_lock();
	view = vpid_current_container();
	shadow = vpid_shadow_view(vpid_to_pid_ns(ns));
	if (!shadow) {
		/*
		 * the kernel's; for a task outside, one made in a container
		 * is joined there too (its children are that container's)
		 */
		target = get_pid_ns(vpid_to_pid_ns(ns));
		if (!vpid_member_of_pid(task_pid(current)))
			enter = vpid_container_tryget(vpid_pidns_maker(target));
		into = target;
	} else if (shadow == view) {
		/* its own: its children stay */
		target = get_pid_ns(view->base);
	} else if ((!view || vpid_container_within(shadow, view)) &&
		   kref_get_unless_zero(&shadow->ref)) {
		/* from outside, or one below its own: the children go there */
		enter = shadow;
		target = get_pid_ns(shadow->base);
		into = target;
	}
	rcu_read_unlock();
	ret = -EINVAL;
	if (!target)
		goto out;
	/* the kernel checks the base is at or below the caller's namespace */
	ret = orig(nsset, &target->ns);
	put_pid_ns(target);
	if (!ret)
		ret = vpid_enter_set(enter, into);
	if (enter)
		vpid_container_put(enter);
out:
	vpid_call_end();
	return ret;
}

/**
 * vpid_w_pidns_get_parent() - redirect NS_GET_PARENT of a container's
 * shadow, or of a native pid namespace made in the caller's container
 * @fregs: the call's registers
 *
 * Return: true to redirect.
 */
bool vpid_w_pidns_get_parent(struct ftrace_regs *fregs)
{
	struct ns_common *ns = (void *)vpid_fregs_arg(fregs, 0);
	struct vpid_container *view;
	bool yes;

	if (vpid_nsid_is_shadow(ns))
		return true;
	rcu_read_lock();
	view = vpid_current_container();
	yes = view && vpid_to_pid_ns(ns)->parent == view->base;
	rcu_read_unlock();
	return yes;
}

/*
 * NS_GET_PARENT's answer for @pidns (a live shadow, or a native namespace
 * made in the caller's container): 0 with the parent container in *@up
 * (a reference held), or for a container of the host its base in *@base
 * (a reference held); -EPERM when the caller does
 * not see that far up; 1 for the kernel's own answer.
 */
static int vpid_nsid_parent(struct pid_namespace *pidns,
			    struct vpid_container **up,
			    struct pid_namespace **base)
{
	struct pid_namespace *active = task_active_pid_ns(current), *p;
	struct vpid_container *view, *ct;
	int ret = -EPERM;

	*up = NULL;
	*base = NULL;
	rcu_read_lock();
	view = vpid_current_container();
	ct = vpid_shadow_view(pidns);
	if (!ct) {
		/* a native namespace made in the caller's container */
		*up = view;
		ret = view ? 0 : 1;
	} else if (view) {
		/* seen when the parent container is the caller's or below */
		*up = ct->parent;
		if (vpid_container_within(ct->parent, view))
			ret = 0;
	} else {
		/* outside every container: its base must be at or below us */
		for (p = ct->base; p && p->level > active->level; p = p->parent)
			;
		if (p == active) {
			*up = ct->parent;
			if (!*up)
				*base = get_pid_ns(ct->base);
			ret = 0;
		}
	}
	if (ret)
		*up = NULL;
	else if (*up && !kref_get_unless_zero(&(*up)->ref))
		ret = -EPERM;
	rcu_read_unlock();
	return ret;
}

/**
 * vpid_h_pidns_get_parent() - NS_GET_PARENT of a container's shadow, or of
 * a native pid namespace made in the caller's container
 * @ns: the namespace
 *
 * Context: process context, may sleep.
 * Return: the parent with a reference, or ERR_PTR(-EPERM) when the caller
 * does not see it (its own namespace's parent, natively too).
 */
VPID_HOOK_ABI
struct ns_common *vpid_h_pidns_get_parent(struct ns_common *ns)
{
	struct ns_common *(*orig)(struct ns_common *) =
		(void *)vpid_orig_pidns_get_parent;
	struct pid_namespace *parent;
	struct vpid_container *up;
	struct ns_common *ret;
	int err;

	vpid_call_begin();
	err = vpid_nsid_parent(vpid_to_pid_ns(ns), &up, &parent);
	if (err < 0) {
		ret = ERR_PTR(err);
	} else if (err) {
		ret = orig(ns);
	} else if (parent) {
		ret = &parent->ns;
	} else {
		parent = vpid_shadow_get(up);
		vpid_container_put(up);
		ret = IS_ERR(parent) ? ERR_CAST(parent) : &parent->ns;
	}
	vpid_call_end();
	return ret;
}

#if VPID_HAVE_PIDFD_NS
/* open_related_ns()'s getter: the namespace itself, a reference more */
static struct ns_common *vpid_nsid_self(struct ns_common *ns)
{
	return &get_pid_ns(vpid_to_pid_ns(ns))->ns;
}

/**
 * vpid_nsid_pidfd() - PIDFD_GET_PID_NAMESPACE or
 * PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE of a container task: its container's
 * namespace, as /proc/PID/ns shows it
 * @file: the pidfd
 * @cmd: the request
 * @fd: the file the kernel opened for it (its base namespace's)
 *
 * The kernel made its checks (the task lives, the caller may ptrace-read
 * it); its file is replaced by one of the shadow, opened the same way
 * (O_RDONLY | O_CLOEXEC).  A task that left its container meanwhile keeps
 * the kernel's answer.
 *
 * Context: process context, may sleep (the shadow is made on first use).
 * Return: the fd to give the caller, or a -errno (@fd closed).
 */
long vpid_nsid_pidfd(struct file *file, unsigned int cmd, long fd)
{
	struct task_struct *task;
	struct ns_common *ns;
	long nfd;

	task = get_pid_task(vpid_pidfd_file_pid(file), PIDTYPE_PID);
	if (!task)
		return fd;
	if (cmd == PIDFD_GET_PID_NAMESPACE)
		ns = vpid_h_pidns_get(task);
	else
		ns = vpid_h_pidns_for_children_get(task);
	put_task_struct(task);
	if (!ns)
		return fd;
	if (!vpid_nsid_is_shadow(ns)) {
		put_pid_ns(vpid_to_pid_ns(ns));
		return fd;
	}
	nfd = open_related_ns(ns, vpid_nsid_self);
	put_pid_ns(vpid_to_pid_ns(ns));
	close_fd(fd);
	return nfd;
}
#endif
