// SPDX-License-Identifier: GPL-2.0
/*
 * exit.c - a container's vpid 1 exiting takes the container with it, as a
 * pid namespace init does (zap_pid_ns_processes()): no task may enter any
 * more (fork fails with ENOMEM), every other task of the container and its
 * descendants gets SIGKILL, and the init is only let go (and so reaped by
 * its parent) once they are all gone.
 *
 * exit_task_namespaces() is only observed: do_exit() calls it once
 * signal->live has been counted down, so "the whole group is dead" is
 * exact there, and the zap queued then as task work runs right after
 * (exit_task_work()) in a context that may sleep, before exit_notify()
 * reparents the init's children and notifies its parent.  The callback
 * takes no lock (vpid_lock sleeps on PREEMPT_RT).
 */
#include <linux/ptrace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/task_work.h>
#include <uapi/linux/wait.h>
#include "hooks.h"
#include "vpid_compat.h"

/* Is anything but the current thread group left in @ns? */
static bool vpid_ns_others(struct vpid_ns *ns)
{
	return READ_ONCE(ns->nr_live) > get_nr_threads(current);
}

/* wait4(-1, NULL, __WALL | WNOHANG, NULL) through the syscall entry. */
static long vpid_reap_one(void)
{
	long (*wait4)(const struct pt_regs *) = (void *)vpid_orig_sys_wait4;
	struct pt_regs regs = {};

	regs.di = (unsigned long)-1;
	regs.dx = __WALL | WNOHANG;
	return wait4(&regs);
}

static void vpid_zap(struct callback_head *work)
{
	struct vpid_ns *ns = container_of(work, struct vpid_ns, zap_work);
	struct sighand_struct *sighand;
	struct vpid_pid *e;
	int nr;

	spin_lock_irq(&vpid_lock);
	vpid_ns_mark_dying(ns);
	spin_unlock_irq(&vpid_lock);

	/* Our own sighand: stable while we live. */
	sighand = rcu_dereference_protected(current->sighand, true);
	spin_lock_irq(&sighand->siglock);
	sighand->action[SIGCHLD - 1].sa.sa_handler = SIG_IGN;
	spin_unlock_irq(&sighand->siglock);

	rcu_read_lock();
	idr_for_each_entry(&ns->idr, e, nr) {
		struct task_struct *task = pid_task(e->pid, PIDTYPE_PID);

		if (task && !same_thread_group(task, current))
			send_sig_info(SIGKILL, SEND_SIG_PRIV, task);
	}
	rcu_read_unlock();

	/*
	 * Reap our children as they die; the others' parents reap theirs.
	 * Only the container matters: a child attached elsewhere is not
	 * waited for (it may itself be waiting for us).
	 */
	while (vpid_ns_others(ns)) {
		clear_thread_flag(TIF_SIGPENDING);
		while (vpid_reap_one() > 0)
			;
		if (vpid_ns_others(ns))
			schedule_timeout_idle(HZ / 50);
	}
	/* reboot() from inside: the parent sees the init killed by it */
	if (READ_ONCE(ns->reboot))
		current->signal->group_exit_code = READ_ONCE(ns->reboot);
	vpid_ns_put(ns);
}

/**
 * vpid_o_exit_namespaces() - exit_task_namespaces(p) in do_exit(): when the
 * last thread of a container init gets there, queue the zap
 * @fregs: the call's registers
 *
 * An init that moved into a container below its own (creating a nested
 * one) is still the init of the outer one: zapping that covers both.
 *
 * Context: ftrace callback, preemption off: no sleeping lock.
 */
void vpid_o_exit_namespaces(struct ftrace_regs *fregs)
{
	struct vpid_ns *ns;

	if ((void *)vpid_fregs_arg(fregs, 0) != current ||
	    atomic_read(&current->signal->live))
		return;	/* copy_process() cleanup, or not the last thread */
	rcu_read_lock();
	ns = vpid_init_of(task_tgid(current));
	if (ns && !xchg(&ns->zapped, true))
		kref_get(&ns->ref);
	else
		ns = NULL;
	rcu_read_unlock();
	if (!ns)
		return;
	init_task_work(&ns->zap_work, vpid_zap);
	if (task_work_add(current, &ns->zap_work, TWA_NONE))
		vpid_ns_put(ns);
}
