// SPDX-License-Identifier: GPL-2.0
/*
 * exit.c - a container's vpid 1 exiting takes the container with it, as a
 * pid namespace init does (zap_pid_ns_processes()): no task may enter any
 * more (fork fails with ENOMEM), every other task of the container and its
 * descendants gets SIGKILL, and the init is only let go (and so reaped by
 * its parent) once they are all gone.
 *
 * do_exit() is only observed: its entry queues the zap as task work, which
 * do_exit() runs (exit_task_work()) in a context that may sleep, before
 * exit_notify() reparents the init's children and notifies its parent.
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

/* wait4(-1, NULL, __WALL, NULL) through the syscall entry (IBT-safe). */
static long vpid_wait_any(void)
{
	long (*wait4)(const struct pt_regs *) = (void *)vpid_orig_sys_wait4;
	struct pt_regs regs = {};

	regs.di = (unsigned long)-1;
	regs.dx = __WALL;
	return wait4(&regs);
}

static void vpid_zap(struct callback_head *work)
{
	struct vpid_ns *ns = container_of(work, struct vpid_ns, zap_work);
	struct sighand_struct *sighand;
	struct vpid_pid *e;
	int nr;

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

	/* Reap our children; the others' parents reap theirs. */
	do {
		clear_thread_flag(TIF_SIGPENDING);
	} while (vpid_wait_any() != -ECHILD);
	while (vpid_ns_others(ns)) {
		clear_thread_flag(TIF_SIGPENDING);
		schedule_timeout_idle(HZ / 50);
	}
	vpid_ns_put(ns);
}

/**
 * vpid_o_do_exit() - entry of do_exit(): a container init's last thread
 * (or its whole group) is exiting
 * @fregs: the call's registers
 */
void vpid_o_do_exit(struct ftrace_regs *fregs)
{
	struct vpid_ns *ns;
	struct pid *tgid;
	unsigned long flags;

	rcu_read_lock();
	tgid = task_tgid(current);
	ns = vpid_ns_of_pid(tgid);
	rcu_read_unlock();
	if (!ns)
		return;

	spin_lock_irqsave(&vpid_lock, flags);
	ns = vpid_ns_of_pid(tgid);
	if (!ns || ns->init_pid != tgid || ns->zapped ||
	    (atomic_read(&current->signal->live) > 1 &&
	     !(current->signal->flags & SIGNAL_GROUP_EXIT))) {
		spin_unlock_irqrestore(&vpid_lock, flags);
		return;
	}
	ns->zapped = true;
	vpid_ns_mark_dying(ns);
	kref_get(&ns->ref);
	spin_unlock_irqrestore(&vpid_lock, flags);

	init_task_work(&ns->zap_work, vpid_zap);
	if (task_work_add(current, &ns->zap_work, TWA_NONE))
		vpid_ns_put(ns);
}
