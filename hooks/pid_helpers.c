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

/*
 * kernel/pid.c task_pid_ptr().  Not &pids[type]: with CONFIG_UBSAN_BOUNDS
 * (Debian 7.x) the subscript's check makes gcc 14 save five more registers
 * in every container task's getpid() (vpid_dr_task_pid_nr_ns()).
 */
static struct pid **vpid_task_pid_ptr(struct task_struct *task,
				      enum pid_type type)
{
	return type == PIDTYPE_PID ? &task->thread_pid :
		task->signal->pids + type;
}

/**
 * vpid_df_task_pid_nr_ns() - quick filter of __task_pid_nr_ns()
 * @task: unused
 * @type: unused
 * @ns: the viewer's namespace, never NULL here
 *
 * The trampoline asks it only for an explicit @ns: for NULL (the caller's
 * view) it has its own test in line (VPID_DIRECT_RESULT ...,
 * inline_arg3null).
 *
 * Return: false when the call is surely not to be redirected.
 */
notrace VPID_DIRECT_QUICK
bool vpid_df_task_pid_nr_ns(void *task, long type, struct pid_namespace *ns)
{
	return vpid_may_be_shadow(ns);
}

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

/*
 * The number of @pid, @task's pid of @type, which is outside @view, the
 * current task's container: 0, unless @task is a child the caller waits
 * for.  Context: RCU read side.
 */
static noinline pid_t vpid_task_nr_outside(struct task_struct *task,
					   enum pid_type type, struct pid *pid,
					   struct vpid_container *view)
{
	if (pid && type == PIDTYPE_PID && vpid_waitable(task))
		return vpid_nr_outer(pid, view);
	return 0;
}

/*
 * The current task's record when it has its container's view
 * (vpid_current_container()), else NULL; that container is
 * vpid_me_view().  Context: RCU read side.
 */
static __always_inline struct vpid_pid *vpid_me(void)
{
	struct pid *pid = READ_ONCE(current->thread_pid);
	struct vpid_pid *e = vpid_lookup(pid);

	if (!e || READ_ONCE(e->dead) ||
	    pid->level != e->up[e->level].ct->base_level)
		return NULL;
	return e;
}

static __always_inline struct vpid_container *vpid_me_view(struct vpid_pid *me)
{
	return me->up[me->level].ct;
}

/*
 * __task_pid_nr_ns() for a container's /proc: @view is the container of
 * its shadow namespace.  Context: RCU read side.
 */
static noinline pid_t vpid_task_nr_shadow(struct task_struct *task,
					  enum pid_type type,
					  struct vpid_container *view)
{
	if (!pid_alive(task))
		return 0;
	return vpid_nr_view(READ_ONCE(*vpid_task_pid_ptr(task, type)), view);
}

/*
 * __task_pid_nr_ns() for the caller's view, @me the current task's record:
 * its own number (gettid(), getpid() of a single thread) from that record.
 * Context: RCU read side.
 */
static __always_inline pid_t vpid_task_nr_caller(struct task_struct *task,
						 enum pid_type type,
						 struct vpid_pid *me)
{
	unsigned int l = me->level;
	struct pid *pid;
	pid_t nr;

	if (!pid_alive(task))
		return 0;
	pid = READ_ONCE(*vpid_task_pid_ptr(task, type));
	if (pid == me->pid)
		return me->up[l].nr;
	nr = vpid_nr_view(pid, me->up[l].ct);
	if (likely(nr))
		return nr;
	return vpid_task_nr_outside(task, type, pid, me->up[l].ct);
}

/**
 * vpid_dr_task_pid_nr_ns() - __task_pid_nr_ns() answered in the trampoline
 * for the caller's view (ns == NULL) of a container task, or for a
 * container's /proc
 * @task: the task
 * @type: which of its pids
 * @ns: NULL for the caller's view, or the viewer's pid namespace
 *
 * Any other explicit namespace is another viewer (signal generation, a
 * host /proc): that is not the caller's view.  A child of the caller
 * outside its view is the one exception to that view: it never reads as 0
 * there (vpid_waitable()).
 *
 * Return: .done with the number the viewer sees (0 if outside its view),
 * or not done: the kernel's function answers.
 */
notrace struct vpid_dres vpid_dr_task_pid_nr_ns(struct task_struct *task,
						enum pid_type type,
						struct pid_namespace *ns)
{
	struct vpid_dres res = { };
	struct vpid_container *view;
	struct vpid_pid *me;

	rcu_read_lock_sched_notrace();	/* as vpid_in_container() */
	if (ns) {
		view = vpid_shadow_view(ns);
		if (view)
			res = vpid_answer(vpid_task_nr_shadow(task, type, view));
	} else {
		me = vpid_me();
		if (me)
			res = vpid_answer(vpid_task_nr_caller(task, type, me));
	}
	rcu_read_unlock_sched_notrace();
	return res;
}

/**
 * vpid_dr_pid_vnr() - pid_vnr() answered in the trampoline for a
 * container task
 * @pid: the struct pid, may be NULL
 *
 * Return: .done with the number in the current task's view (0 if
 * outside), or not done: the kernel's function answers.
 */
notrace struct vpid_dres vpid_dr_pid_vnr(struct pid *pid)
{
	struct vpid_dres res = { };
	struct vpid_container *view;
	struct vpid_pid *me;

	rcu_read_lock_sched_notrace();
	me = vpid_me();
	if (me) {
		view = vpid_me_view(me);
		res = vpid_answer(pid == me->pid ? me->up[view->level].nr :
				  vpid_nr_view(pid, view));
	}
	rcu_read_unlock_sched_notrace();
	return res;
}

/**
 * vpid_h_task_pid_nr_ns() - __task_pid_nr_ns() as the current task sees it
 * @task: the task
 * @type: which of its pids
 * @ns: NULL (the caller's view) or a container's shadow (its /proc)
 *
 * Return: the number the viewer sees, 0 if outside its view.
 */
pid_t vpid_h_task_pid_nr_ns(struct task_struct *task, enum pid_type type,
			    struct pid_namespace *ns)
{
	struct vpid_dres res = vpid_dr_task_pid_nr_ns(task, type, ns);
	pid_t nr;

	if (res.done)
		return res.val;
	rcu_read_lock();
	nr = pid_alive(task) ?
		pid_nr_ns(READ_ONCE(*vpid_task_pid_ptr(task, type)),
			  ns ?: task_active_pid_ns(current)) : 0;
	rcu_read_unlock();
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

/* A task from pid_task() with a reference taken, or NULL. */
static struct task_struct *vpid_get_task(struct task_struct *task)
{
	if (task)
		get_task_struct(task);
	return task;
}

/*
 * VPID_DIRECT_BY_VNR(NAME, SKIP, EXPR): number -> struct pid or task
 * helpers, answered in the trampoline for a container task unless SKIP:
 * EXPR of @pid, the struct pid behind the first argument in its view (NULL
 * if none).  The
 * kernel's functions return what they find under the caller's RCU read
 * side, or with a reference: so do these.
 */
#define VPID_DIRECT_BY_VNR(name, skip, expr)				\
notrace struct vpid_dres vpid_dr_##name(int nr)				\
{									\
	struct vpid_dres res = { };					\
	struct vpid_pid *me;						\
	struct pid *pid;						\
									\
	if (skip)							\
		return res;						\
	rcu_read_lock();						\
	me = vpid_me();							\
	if (me) {							\
		pid = vpid_find_pid(vpid_me_view(me), nr);		\
		res = vpid_answer((unsigned long)(expr));		\
	}								\
	rcu_read_unlock();						\
	return res;							\
}

VPID_DIRECT_BY_VNR(find_vpid, false, pid)
/* pidfd_open()'s entry may have translated the number already */
VPID_DIRECT_BY_VNR(find_get_pid, vpid_in_raw_call(), get_pid(pid))
VPID_DIRECT_BY_VNR(find_task_by_vpid, false, pid_task(pid, PIDTYPE_PID))
VPID_DIRECT_BY_VNR(find_get_task_by_vpid, false,
		   vpid_get_task(pid_task(pid, PIDTYPE_PID)))
