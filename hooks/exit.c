// SPDX-License-Identifier: GPL-2.0
/*
 * exit.c - a container's vpid 1 exiting takes the container with it, as a
 * pid namespace init does (zap_pid_ns_processes()): no task may enter any
 * more (fork fails with ENOMEM), every other task of the container and its
 * descendants gets SIGKILL, and the init is only let go (and so reaped by
 * its parent) once they are all gone.
 */
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <uapi/linux/wait.h>
#include "hooks.h"
#include "vpid_compat.h"

/* The container whose init thread group @t belongs to.  Context: RCU. */
static struct vpid_ns *vpid_init_of(struct task_struct *t)
{
	struct pid *tgid = task_tgid(t);
	struct vpid_ns *ns = vpid_ns_of_pid(tgid);

	return ns && ns->init_pid == tgid && !ns->zapped ? ns : NULL;
}

/**
 * vpid_w_do_exit() - redirect do_exit() of a container init's thread
 * @fregs: the call's registers
 *
 * Return: true to redirect.
 */
bool vpid_w_do_exit(struct ftrace_regs *fregs)
{
	bool init;

	rcu_read_lock();
	init = vpid_init_of(current);
	rcu_read_unlock();
	return init;
}

/* Is anything but the current thread group left in @ns? */
static bool vpid_ns_others(struct vpid_ns *ns)
{
	return READ_ONCE(ns->nr_live) > get_nr_threads(current);
}

static void vpid_zap(void)
{
	long (*wait4)(pid_t, int __user *, int, struct rusage *) =
		(void *)vpid_orig_kernel_wait4;
	struct vpid_pid *e;
	struct vpid_ns *ns;
	int nr;

	spin_lock_irq(&vpid_lock);
	ns = vpid_init_of(current);
	/* The last thread, or the whole group is going. */
	if (ns && (atomic_read(&current->signal->live) == 1 ||
		   (current->signal->flags & SIGNAL_GROUP_EXIT))) {
		ns->zapped = true;
		vpid_ns_mark_dying(ns);
		kref_get(&ns->ref);
	} else {
		ns = NULL;
	}
	spin_unlock_irq(&vpid_lock);
	if (!ns)
		return;

	spin_lock_irq(&current->sighand->siglock);
	current->sighand->action[SIGCHLD - 1].sa.sa_handler = SIG_IGN;
	spin_unlock_irq(&current->sighand->siglock);

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
	} while (wait4(-1, NULL, __WALL, NULL) != -ECHILD);
	while (vpid_ns_others(ns)) {
		clear_thread_flag(TIF_SIGPENDING);
		schedule_timeout_idle(HZ / 50);
	}
	vpid_ns_put(ns);
}

/**
 * vpid_h_do_exit() - do_exit() of a container init's thread
 * @code: the exit code
 */
void __noreturn vpid_h_do_exit(long code)
{
	void __noreturn (*orig)(long) = (void *)vpid_orig_do_exit;

	vpid_zap();
	orig(code);
}
