// SPDX-License-Identifier: GPL-2.0
/*
 * shadow.c - a pid namespace per container, for /proc to key on.
 *
 * procfs asks the pid namespace fixed in its superblock for every number it
 * shows or resolves (find_task_by_pid_ns(), find_ge_pid(), pid_nr_ns(),
 * __task_pid_nr_ns() with that namespace).  A proc mounted by a container
 * task gets the container's "shadow": a real, empty pid namespace (child
 * of the host's, no task ever in it) that the hooks of hooks/proc.c
 * recognise and answer in the container's numbers.  Where nothing is
 * hooked (before the first container, after the last, after rmmod) the
 * kernel itself answers for it as for any empty namespace: no task, every
 * number 0.  That makes the shadow safe to outlive the container and the
 * module; the kernel frees it with the last proc mount using it.
 *
 * The shadow is created by unshare(CLONE_NEWPID) in a short-lived kernel
 * thread, through the syscall entry: that keeps every accounting detail
 * (ucounts, proc inode number, user namespace) the kernel's own, and the
 * syscall entry is a valid indirect-call target on IBT kernels, where a
 * direct-call-only function such as copy_pid_ns() may have had its ENDBR64
 * sealed at boot.
 */
#include <linux/completion.h>
#include <linux/hashtable.h>
#include <linux/kthread.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/slab.h>
#include "vpid.h"
#include "vpid_compat.h"

DEFINE_HASHTABLE(vpid_shadows, VPID_SHADOW_HASH_BITS);
static DEFINE_MUTEX(vpid_shadow_mutex);
static unsigned long vpid_sys_unshare;

/**
 * vpid_is_shadow() - is this pid namespace a live container's shadow
 * @pidns: any pid namespace, may be NULL
 *
 * Context: any (ftrace callbacks).
 * Return: true if so.
 */
bool vpid_is_shadow(struct pid_namespace *pidns)
{
	bool yes;

	rcu_read_lock_sched_notrace();	/* as vpid_in_container() */
	yes = vpid_shadow_view(pidns);
	rcu_read_unlock_sched_notrace();
	return yes;
}

struct vpid_unshare {
	struct completion done;
	struct pid_namespace *pidns;
	long err;
};

static int vpid_unshare_fn(void *data)
{
	long (*unshare)(const struct pt_regs *) = (void *)vpid_sys_unshare;
	struct vpid_unshare *u = data;
	struct pt_regs regs = {};

	regs.di = CLONE_NEWPID;
	u->err = unshare(&regs);
	if (!u->err)
		u->pidns = get_pid_ns(current->nsproxy->pid_ns_for_children);
	/* never back into module text once the waiter may go (rmmod) */
	kthread_complete_and_exit(&u->done, 0);
}

/* A new empty pid namespace, child of the host's. */
static struct pid_namespace *vpid_new_pidns(void)
{
	struct vpid_unshare u = { .err = -ENOMEM };
	struct task_struct *t;

	init_completion(&u.done);
	t = kthread_run(vpid_unshare_fn, &u, "vpid-shadow");
	if (IS_ERR(t))
		return ERR_CAST(t);
	wait_for_completion(&u.done);
	if (u.err)
		return ERR_PTR(u.err);
	if (u.pidns->level != 1) {	/* cannot happen: kthreads are in init */
		put_pid_ns(u.pidns);
		return ERR_PTR(-EINVAL);
	}
	/*
	 * No task may ever be made in it, even when a task joins it with no
	 * hook in (setns() after rmmod, hooks/nsid.c): fork() there gets
	 * -ENOMEM, as in a pid namespace whose init is gone.  Nothing
	 * allocates there yet to race with.
	 */
	u.pidns->pid_allocated &= ~PIDNS_ADDING;
	return u.pidns;
}

/**
 * vpid_shadow_get() - the shadow pid namespace of a container, made on
 * first use
 * @ct: the container (a reference held by the caller)
 *
 * Context: process context, may sleep.
 * Return: the namespace with a reference for the caller, or an ERR_PTR.
 */
struct pid_namespace *vpid_shadow_get(struct vpid_container *ct)
{
	struct pid_namespace *pidns;
	struct vpid_shadow *s;

	mutex_lock(&vpid_shadow_mutex);
	pidns = READ_ONCE(ct->shadow);
	if (pidns) {
		pidns = get_pid_ns(pidns);
		goto out;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s) {
		pidns = ERR_PTR(-ENOMEM);
		goto out;
	}
	pidns = vpid_new_pidns();
	if (IS_ERR(pidns)) {
		kfree(s);
		goto out;
	}
	WRITE_ONCE(pidns->reboot, VPID_SHADOW_MARK);
	s->pidns = pidns;
	s->ct = ct;
	spin_lock_irq(&vpid_lock);
	if (ct->alive) {
		ct->shadow = get_pid_ns(pidns);
		ct->shadow_entry = s;
		hash_add_rcu(vpid_shadows, &s->hnode, (unsigned long)pidns);
		s = NULL;
	}
	spin_unlock_irq(&vpid_lock);
	kfree(s);	/* not NULL: the container went meanwhile (empty view) */
out:
	mutex_unlock(&vpid_shadow_mutex);
	return pidns;
}

/**
 * vpid_shadow_borrow() - a container's shadow, for as long as the container
 * @ct: the container (the caller keeps it: a reference, or being its task)
 * @make: make it if it does not exist yet (may sleep)
 *
 * Context: process context if @make, else any.
 * Return: the namespace, no reference taken (the container holds one until
 * it is freed), or NULL: none, or it could not be made.
 */
struct pid_namespace *vpid_shadow_borrow(struct vpid_container *ct, bool make)
{
	struct pid_namespace *pidns = READ_ONCE(ct->shadow);

	if (pidns || !make)
		return pidns;
	pidns = vpid_shadow_get(ct);
	if (IS_ERR(pidns))
		return NULL;
	/* ours alone if the container went meanwhile: then freed here */
	put_pid_ns(pidns);
	return READ_ONCE(ct->shadow);
}

/**
 * vpid_shadow_unlink() - the container is gone: its shadow stands for
 * nothing any more (a proc mounted with it shows no task)
 * @ct: the container
 *
 * Context: vpid_lock held.
 */
void vpid_shadow_unlink(struct vpid_container *ct)
{
	lockdep_assert_held(&vpid_lock);
	if (!ct->shadow_entry)
		return;
	hash_del_rcu(&ct->shadow_entry->hnode);
	kfree_rcu(ct->shadow_entry, rcu);
	ct->shadow_entry = NULL;
}

/**
 * vpid_shadow_release() - drop the container's reference on its shadow
 * @ct: the container, being freed
 *
 * Context: any.
 */
void vpid_shadow_release(struct vpid_container *ct)
{
	if (ct->shadow)
		put_pid_ns(ct->shadow);
}

/**
 * vpid_shadow_init() - find the unshare() syscall entry
 *
 * Return: 0 or -ENOENT.
 */
int vpid_shadow_init(void)
{
	return vpid_ksym_func("__x64_sys_unshare", &vpid_sys_unshare);
}

/**
 * vpid_shadow_of_current() - the shadow pid namespace of the current
 * task's container
 *
 * Context: process context, may sleep.
 * Return: a reference to it, NULL for a host task, or an ERR_PTR.
 */
struct pid_namespace *vpid_shadow_of_current(void)
{
	struct pid_namespace *pidns;
	struct vpid_container *ct;

	rcu_read_lock();
	ct = vpid_container_tryget(vpid_current_container());
	rcu_read_unlock();
	if (!ct)
		return NULL;
	pidns = vpid_shadow_get(ct);
	vpid_container_put(ct);
	return pidns;
}
