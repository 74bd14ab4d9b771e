// SPDX-License-Identifier: GPL-2.0
/*
 * fork.c - a container task's new struct pid gets its numbers as soon as
 * alloc_pid() returns, before copy_process() links the child anywhere and
 * long before kernel_clone() reads its number for the fork return value and
 * CLONE_PARENT_SETTID; the numbers go back when the kernel's free_pid() does.
 *
 * Both wrappers call the original through a pointer: alloc_pid() and
 * free_pid() keep their ENDBR64 on IBT kernels (checked at load,
 * vpid_callable()).
 */
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/pid_namespace.h>
#include <linux/sched/task.h>
#include "hooks.h"
#include "vpid_compat.h"

/*
 * clone3's set_tid lists the numbers the child wants, innermost level
 * first, in the levels the caller sees.  For a container task those are
 * the kernel's pid namespaces below the container's base, then the
 * container itself, where the kernel would read a host number: that entry
 * is taken off the array the kernel sees and becomes @want.  Checked as
 * alloc_pid() checks its own entries; a set_tid reaching past the
 * container is -EINVAL (the container's parents are not the caller's to
 * choose in).
 *
 * Return: the number of entries left for the kernel, or a -errno.
 */
static long vpid_set_tid(struct pid_namespace *ns, pid_t *set_tid,
			 size_t size, int *want)
{
	unsigned int base_level;
	struct vpid_container *c;
	size_t k;

	*want = 0;
	if (!size)
		return 0;
	rcu_read_lock();
	c = vpid_forks_into(ns);
	base_level = c ? c->base_level : 0;
	rcu_read_unlock();
	if (!c || ns->level < base_level)
		return size;
	k = ns->level - base_level;	/* the kernel's levels below the base */
	if (size <= k)
		return size;
	if (size > k + 1)
		return -EINVAL;
	*want = set_tid[k];
	if (*want < 1 || *want >= vpid_pid_max())
		return -EINVAL;
	if (!capable(CAP_CHECKPOINT_RESTORE) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	return k;
}

/**
 * vpid_h_alloc_pid() - alloc_pid() for a container task
 * @ns: the pid namespace of the new task
 * @set_tid: clone3 set_tid array (in the caller's view)
 * @set_tid_size: its length
 *
 * Calls the original (the ftrace callback lets calls from module text
 * through), then numbers the pid in the current task's container.  This is
 * never a tail call: see engine/engine.c.
 *
 * Return: the new struct pid or an ERR_PTR (the container's allocator can
 * fail the fork: -EAGAIN when full, -ENOMEM when dying, -EEXIST when the
 * nextpid or set_tid number is taken).
 */
VPID_HOOK_ABI
struct pid *vpid_h_alloc_pid(struct pid_namespace *ns, pid_t *set_tid,
			     size_t set_tid_size)
{
	struct pid *(*orig)(struct pid_namespace *, pid_t *, size_t) =
		(void *)vpid_orig_alloc_pid;
	void (*orig_free)(struct pid *) = (void *)vpid_orig_free_pid;
	struct pid *pid;
	long size;
	int err, want;

	vpid_call_begin();
	size = vpid_set_tid(ns, set_tid, set_tid_size, &want);
	if (size < 0) {
		pid = ERR_PTR(size);
		goto out;
	}
	pid = orig(ns, set_tid, size);
	if (!IS_ERR(pid)) {
		err = vpid_pid_forked(pid, want);
		if (err) {
			orig_free(pid);
			pid = ERR_PTR(err);
		}
	}
out:
	vpid_call_end();
	return pid;
}

/**
 * vpid_w_alloc_pid() - redirect alloc_pid() for a task of a container
 * @fregs: the call's registers
 *
 * Also one in a native pid namespace below its container's: its children
 * are the container's tasks too; and a task outside that joined a
 * container with setns() (core/enter.c).
 *
 * Return: true when the current task's children may go into a container.
 */
bool vpid_w_alloc_pid(struct ftrace_regs *fregs)
{
	bool member;

	rcu_read_lock();
	member = vpid_member_of_pid(READ_ONCE(current->thread_pid)) ||
		 vpid_entered(READ_ONCE(current->thread_pid));
	rcu_read_unlock();
	return member;
}

/**
 * vpid_w_free_pid() - redirect free_pid() only for a numbered struct pid
 * @fregs: the call's registers
 *
 * Return: true when the pid being freed has live container numbers (also
 * one of a native pid namespace made inside a container), or is that of a
 * task outside that joined a container (core/enter.c).
 */
bool vpid_w_free_pid(struct ftrace_regs *fregs)
{
	struct pid *pid = (void *)vpid_fregs_arg(fregs, 0);
	bool mapped;

	rcu_read_lock();
	mapped = vpid_member_of_pid(pid) || vpid_entered(pid);
	rcu_read_unlock();
	return mapped;
}

/**
 * vpid_h_free_pid() - free_pid() of a container task's struct pid
 * @pid: the struct pid
 *
 * Gives the container numbers back, then calls the original.  A wrapper,
 * not an observer: the numbers are returned under vpid_lock, a sleeping
 * lock on PREEMPT_RT, which the ftrace callback (preemption off) must not
 * take.  Here the caller's context holds: tasklist_lock written with
 * interrupts off on !RT, a sleeping rwlock on RT.
 */
VPID_HOOK_ABI
void vpid_h_free_pid(struct pid *pid)
{
	void (*orig)(struct pid *) = (void *)vpid_orig_free_pid;

	vpid_call_begin();
	vpid_pid_released(pid);
	vpid_enter_released(pid);
	orig(pid);
	vpid_call_end();
}

/*
 * Where a refused clone or unshare() goes: kernel_clone()'s or
 * unshare_nsproxy_namespaces()'s -EINVAL.
 */
static notrace VPID_HOOK_ABI pid_t vpid_clone_einval(void)
{
	return -EINVAL;
}

/*
 * Send the call to vpid_clone_einval() when @flags ask what a task that
 * joined a container with setns() may not make (vpid_entered_refuses()).
 */
static bool vpid_entered_refused(struct ftrace_regs *fregs, unsigned long flags)
{
	bool refuse;

	if (likely(!atomic_read(&vpid_nr_entering)))
		return false;
	rcu_read_lock();
	refuse = vpid_entered_refuses(flags);
	rcu_read_unlock();
	if (refuse)
		vpid_fregs_set_ip(fregs, (unsigned long)vpid_clone_einval);
	return refuse;
}

/**
 * vpid_o_kernel_clone() - entry of kernel_clone(args): a container init
 * may not create siblings, as copy_process() refuses for a pid namespace
 * init (CLONE_PARENT with SIGNAL_UNKILLABLE): they would be children of a
 * host task.  While a container made empty has no init, or its init is
 * not yet a subreaper, core/container.c sees every fork first
 * (vpid_initless_clone(), vpid_init_mark_subreaper()).  A task outside
 * that joined a container with setns() may not make threads or pid
 * namespaces (vpid_entered_refuses()), as natively.
 * @fregs: the call's registers
 */
void vpid_o_kernel_clone(struct ftrace_regs *fregs)
{
	struct kernel_clone_args *args = (void *)vpid_fregs_arg(fregs, 0);
	bool init;

	/* a container made empty gets its init, which becomes a subreaper */
	if (atomic_read(&vpid_nr_unsettled)) {
		if (vpid_initless_clone(args)) {
			vpid_fregs_set_ip(fregs, (unsigned long)vpid_clone_einval);
			return;
		}
		vpid_init_mark_subreaper();
	}
	/* no thread, no pid namespace for a task whose children go elsewhere */
	if (vpid_entered_refused(fregs, args->flags))
		return;
	if (!(args->flags & CLONE_PARENT))
		return;
	rcu_read_lock();
	init = vpid_init_of(task_tgid(current));
	rcu_read_unlock();
	if (init)
		vpid_fregs_set_ip(fregs, (unsigned long)vpid_clone_einval);
}

/**
 * vpid_o_unshare_nsproxy() - entry of unshare_nsproxy_namespaces(flags,
 * ...), the namespaces of unshare(): unshare(CLONE_NEWPID) in a container
 * made empty, before it has an init, makes no native pid namespace: the
 * flag is dropped and the caller's next child becomes the container's
 * init, as after clone(CLONE_NEWPID) there (vpid_initless_unshare(),
 * vpid_initless_clone()).  Not with CLONE_NEWUSER: the capability would
 * be the new user namespace's.  A task outside that joined a container
 * with setns() may make no pid namespace (vpid_entered_refuses()): -EINVAL,
 * as natively.
 * @fregs: the call's registers
 */
void vpid_o_unshare_nsproxy(struct ftrace_regs *fregs)
{
	unsigned long flags = vpid_fregs_arg(fregs, 0);

	if (vpid_entered_refused(fregs, flags & CLONE_NEWPID))
		return;

	if ((flags & (CLONE_NEWPID | CLONE_NEWUSER)) != CLONE_NEWPID ||
	    !atomic_read(&vpid_nr_unsettled))
		return;
	if (vpid_initless_unshare())
		vpid_fregs_ptregs(fregs)->di = flags & ~CLONE_NEWPID;
}
