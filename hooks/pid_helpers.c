// SPDX-License-Identifier: GPL-2.0
/*
 * pid_helpers.c - the kernel's caller's-view pid helpers, as a container
 * task must see them.
 *
 * The kernel computes almost every number a task reads or passes in through
 * these helpers (PID_ABI.md section 1): getpid and friends, the fork return
 * value and CLONE_PARENT_SETTID (before the child runs), CLONE_CHILD_SETTID,
 * set_tid_address, wait results, kill, setpgid, sched_*, prlimit, ptrace,
 * futex PI and robust TIDs, kill(-1)'s "> 1" filter.  Replacing them for
 * container tasks makes the kernel's own code speak container numbers, in
 * the 64-bit, ia32 and x32 entry points alike.  The replacements mirror
 * pid_nr_ns()/find_pid_ns() semantics: a pid outside the caller's view
 * reads as 0 and cannot be found.
 */
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include "hooks.h"
#include "vpid_compat.h"

/* kernel/pid.c task_pid_ptr() */
static struct pid **vpid_task_pid_ptr(struct task_struct *task,
				      enum pid_type type)
{
	return type == PIDTYPE_PID ? &task->thread_pid :
		&task->signal->pids[type];
}

/**
 * vpid_df_task_pid_nr_ns() - quick filter of __task_pid_nr_ns()
 * @task: unused
 * @type: unused
 * @ns: the viewer's namespace, NULL for the caller's view
 *
 * Return: false when the call is surely not to be redirected.
 */
notrace VPID_DIRECT_QUICK
bool vpid_df_task_pid_nr_ns(void *task, long type, struct pid_namespace *ns)
{
	return ns ? vpid_may_be_shadow(ns) : vpid_quick_in_container();
}

/**
 * vpid_dw_task_pid_nr_ns() - redirect __task_pid_nr_ns() for the caller's
 * view (ns == NULL) of a container task, or for a container's /proc
 * @r: the call's registers (the third argument is ns)
 *
 * Any other explicit namespace is another viewer (signal generation, a
 * host /proc): that is not the caller's view.
 *
 * Return: true to redirect.
 */
bool vpid_dw_task_pid_nr_ns(const struct vpid_dregs *r)
{
	struct pid_namespace *ns = (void *)r->dx;

	if (vpid_dregs_from_module(r))
		return false;
	return ns ? vpid_is_shadow(ns) : vpid_in_container();
}

VPID_DIRECT_IN_CONTAINER(pid_vnr)
VPID_DIRECT_IN_CONTAINER(find_vpid)
VPID_DIRECT_IN_CONTAINER(find_task_by_vpid)
VPID_DIRECT_IN_CONTAINER(find_get_task_by_vpid)

/*
 * Is @task a child or a tracee of the current thread group?  The kernel
 * takes those to be always visible (they are, with pid namespaces):
 * wait_task_zombie(), wait_task_stopped() and wait_task_continued() reap
 * or report one, drop tasklist_lock and return task_pid_vnr() of it, and
 * do_wait() takes a 0 there for "not this one" and walks on from a task it
 * no longer holds (a reaped child links to itself: the walk never ends).
 * A container task may have children outside its view: those forked before
 * it created its container, or before it went deeper.
 *
 * Context: RCU-sched read side.
 */
static bool vpid_waitable(struct task_struct *task)
{
	return same_thread_group(rcu_dereference_sched(task->real_parent),
				 current) ||
	       (task->ptrace &&
		same_thread_group(rcu_dereference_sched(task->parent), current));
}

/*
 * The number of such a child in the nearest enclosing view that has it:
 * for a child forked before the create, what fork() returned.  Above the
 * containers that share @view's base pid namespace comes that namespace.
 *
 * Context: RCU read side.
 */
static pid_t vpid_nr_outer(struct pid *pid, struct vpid_container *view)
{
	struct pid_namespace *base = view->base;
	pid_t nr;

	for (view = view->parent; view && view->base == base;
	     view = view->parent) {
		nr = vpid_nr_view(pid, view);
		if (nr)
			return nr;
	}
	return pid_nr_ns(pid, base);
}

/**
 * vpid_h_task_pid_nr_ns() - __task_pid_nr_ns() in a container
 * @task: the task
 * @type: which of its pids
 * @ns: NULL (the caller's view) or a container's shadow (its /proc)
 *
 * A child of the caller outside its view is the one exception to the
 * caller's view: it never reads as 0 there (vpid_waitable()).
 *
 * Return: the number the viewer sees, 0 if outside its view.
 */
VPID_HOOK_ABI
pid_t vpid_h_task_pid_nr_ns(struct task_struct *task, enum pid_type type,
			    struct pid_namespace *ns)
{
	struct vpid_container *view;
	struct pid *pid;
	pid_t nr = 0;

	rcu_read_lock_sched_notrace();	/* as vpid_in_container() */
	if (!pid_alive(task))
		goto out;
	pid = READ_ONCE(*vpid_task_pid_ptr(task, type));
	if (ns) {
		view = vpid_shadow_view(ns);
		if (view)	/* else the container is gone: nothing */
			nr = vpid_nr_view(pid, view);
		goto out;
	}
	view = vpid_current_container();
	if (view) {
		nr = vpid_nr_view(pid, view);
		if (!nr && pid && type == PIDTYPE_PID && vpid_waitable(task))
			nr = vpid_nr_outer(pid, view);
	} else {	/* left its container since the callback ran */
		nr = pid_nr_ns(pid, task_active_pid_ns(current));
	}
out:
	rcu_read_unlock_sched_notrace();
	return nr;
}

/**
 * vpid_w_in_container() - the filter of most hooks: the caller is in a
 * container
 * @fregs: the call's registers (unused)
 *
 * Context: ftrace callback.
 * Return: true to redirect.
 */
bool vpid_w_in_container(struct ftrace_regs *fregs)
{
	return vpid_in_container();
}

/**
 * vpid_h_pid_vnr() - pid_vnr() in a container
 * @pid: the struct pid
 *
 * Return: its number in the current task's view, 0 if outside.
 */
VPID_HOOK_ABI
pid_t vpid_h_pid_vnr(struct pid *pid)
{
	struct vpid_container *view;
	pid_t nr;

	rcu_read_lock_sched_notrace();
	view = vpid_current_container();
	nr = view ? vpid_nr_view(pid, view) :
		pid_nr_ns(pid, task_active_pid_ns(current));
	rcu_read_unlock_sched_notrace();
	return nr;
}

/* Number -> struct pid in the caller's view.  Context: RCU read side. */
static struct pid *vpid_lookup_vnr(int nr)
{
	struct vpid_container *view = vpid_current_container();

	if (view)
		return vpid_find_pid(view, nr);
	return find_pid_ns(nr, task_active_pid_ns(current));
}

/**
 * vpid_h_find_vpid() - find_vpid() in a container
 * @nr: a number in the caller's view
 *
 * Context: RCU read side (as find_vpid()).
 * Return: the struct pid, or NULL if not in the view.
 */
VPID_HOOK_ABI
struct pid *vpid_h_find_vpid(int nr)
{
	return vpid_lookup_vnr(nr);
}

/**
 * vpid_h_find_get_pid() - find_get_pid() in a container
 * @nr: a number in the caller's view
 *
 * Return: a counted reference to the struct pid, or NULL.
 */
VPID_HOOK_ABI
struct pid *vpid_h_find_get_pid(pid_t nr)
{
	struct pid *pid;

	rcu_read_lock();
	pid = get_pid(vpid_lookup_vnr(nr));
	rcu_read_unlock();
	return pid;
}

/**
 * vpid_h_find_task_by_vpid() - find_task_by_vpid() in a container
 * @nr: a number in the caller's view
 *
 * Context: RCU read side (as find_task_by_vpid()).
 * Return: the task, or NULL.
 */
VPID_HOOK_ABI
struct task_struct *vpid_h_find_task_by_vpid(pid_t nr)
{
	return pid_task(vpid_lookup_vnr(nr), PIDTYPE_PID);
}

/**
 * vpid_h_find_get_task_by_vpid() - find_get_task_by_vpid() in a container
 * @nr: a number in the caller's view
 *
 * Return: the task with a reference held, or NULL.
 */
VPID_HOOK_ABI
struct task_struct *vpid_h_find_get_task_by_vpid(pid_t nr)
{
	struct task_struct *task;

	rcu_read_lock();
	task = pid_task(vpid_lookup_vnr(nr), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	return task;
}
