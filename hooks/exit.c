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

/*
 * One pass over @ns: SIGKILL what still runs (again if a fork slipped past
 * the last pass), and tell whether anything must still go before the init
 * may: a running task, a fork in progress, or a zombie of ours (the caller
 * reaps those).  A zombie whose parent is elsewhere does not hold the init:
 * it runs no more, and its parent reaps it; nor does an exiting init (see
 * below).  (An exiting init cannot adopt orphans the way a pid namespace's
 * child_reaper does, so the orphans of a dying container may go to a host
 * subreaper or to init.)
 */
static bool vpid_zap_pass(struct vpid_ns *ns)
{
	struct task_struct *t;
	struct vpid_pid *e;
	bool left = false;
	int nr;

	rcu_read_lock();
	idr_for_each_entry(&ns->idr, e, nr) {
		t = pid_task(e->pid, PIDTYPE_PID);
		if (!t) {
			/*
			 * No task: a fork in progress (numbered, not yet
			 * attached), or a pid kept as a process group or
			 * session id, whose members have entries of their own.
			 */
			if (!pid_task(e->pid, PIDTYPE_TGID) &&
			    !pid_task(e->pid, PIDTYPE_PGID) &&
			    !pid_task(e->pid, PIDTYPE_SID))
				left = true;
		} else if (same_thread_group(t, current)) {
			continue;
		} else if (!t->exit_state) {
			/*
			 * The exiting init of a nested container zaps its own
			 * and may wait for us (an init can go deeper into its
			 * container): waiting for it would be a cycle.
			 */
			if ((t->flags & PF_EXITING) && vpid_init_of(task_tgid(t)))
				continue;
			if (!fatal_signal_pending(t))
				send_sig_info(SIGKILL, SEND_SIG_PRIV, t);
			left = true;
		} else if (same_thread_group(rcu_dereference(t->real_parent),
					     current)) {
			left = true;
		}
	}
	rcu_read_unlock();
	return left;
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

/*
 * reboot() from inside set the status on the container the caller was in:
 * for an init that went deeper, one below @ns (the outermost container it
 * is init of, which the zap covers).  The innermost one set counts.
 */
static int vpid_reboot_status(struct vpid_ns *ns)
{
	struct pid *tgid = task_tgid(current);
	struct vpid_pid *e;
	unsigned int l;
	int sig = 0;

	rcu_read_lock();
	e = vpid_lookup(tgid);
	for (l = e ? e->level : 0; l >= 1 && !sig; l--) {
		struct vpid_ns *c = e->up[l].ns;

		if (c->init_pid == tgid)
			sig = READ_ONCE(c->reboot);
		if (c == ns)
			break;
	}
	rcu_read_unlock();
	return sig ? sig : READ_ONCE(ns->reboot);
}

static void vpid_zap(struct callback_head *work)
{
	struct vpid_ns *ns = container_of(work, struct vpid_ns, zap_work);
	struct sighand_struct *sighand;
	int reboot;

	spin_lock_irq(&vpid_lock);
	vpid_ns_mark_dying(ns);
	spin_unlock_irq(&vpid_lock);

	/* Our own sighand: stable while we live. */
	sighand = rcu_dereference_protected(current->sighand, true);
	spin_lock_irq(&sighand->siglock);
	sighand->action[SIGCHLD - 1].sa.sa_handler = SIG_IGN;
	spin_unlock_irq(&sighand->siglock);

	/* Kill, and reap our children as they die, until nothing is left. */
	while (vpid_zap_pass(ns)) {
		clear_thread_flag(TIF_SIGPENDING);
		while (vpid_reap_one() > 0)
			cond_resched();
		schedule_timeout_idle(HZ / 50);
	}
	/* reboot() from inside: the parent sees the init killed by it */
	reboot = vpid_reboot_status(ns);
	if (reboot)
		current->signal->group_exit_code = reboot;
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
