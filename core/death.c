// SPDX-License-Identifier: GPL-2.0
/*
 * death.c - how a container dies.
 *
 * "destroy PATH" kills everything in it and below; the container leaves
 * the tree when its last number goes (vpid_container_emptied()).
 *
 * Its vpid 1 exiting takes the container with it, as a pid namespace init
 * does (zap_pid_ns_processes()): no task may enter any more (fork fails
 * with ENOMEM), every other task of the container and its descendants gets
 * SIGKILL, and the init is only let go (and so reaped by its parent) once
 * they are all gone.  hooks/exit.c sees the last thread of an init reach
 * exit_task_namespaces() (signal->live counted down, so "the whole group is
 * dead" is exact there) and calls vpid_container_init_exiting(): the zap,
 * queued as task work, runs right after (exit_task_work()) in a context
 * that may sleep, before exit_notify() reparents the init's children and
 * notifies its parent.
 *
 * reboot() from inside (hooks/reboot.c) kills the init and leaves the
 * status its parent sees (vpid_container_reboot()).
 */
#include <linux/ptrace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/task_work.h>
#include <uapi/linux/wait.h>
#include "vpid.h"
#include "vpid_compat.h"

/* How long the zapping init sleeps between two passes over its container. */
#define VPID_ZAP_PAUSE		(HZ / 50)

/* __x64_sys_wait4, called (never hooked) to reap as the init zaps */
static unsigned long vpid_sys_wait4;

/**
 * vpid_container_mark_dying() - no task may enter a container or its
 * descendants
 * @ct: the container
 *
 * Context: vpid_lock held.
 */
void vpid_container_mark_dying(struct vpid_container *ct)
{
	struct vpid_container *c;

	lockdep_assert_held(&vpid_lock);
	WRITE_ONCE(ct->dying, true);
	list_for_each_entry(c, &ct->children, sibling)
		vpid_container_mark_dying(c);
}

/**
 * vpid_container_destroy() - "destroy PATH": SIGKILL everything in it and below
 * @path: the container, relative to the writer's
 *
 * The container leaves the tree when its last task is gone; meanwhile no
 * task may enter it.
 *
 * Return: 0 or -ENOENT.
 */
int vpid_container_destroy(const char *path)
{
	struct vpid_writer w;
	struct vpid_container *ct;
	struct vpid_pid *e;
	int err = 0, nr;

	spin_lock_irq(&vpid_lock);
	vpid_writer_of_current(&w);
	ct = vpid_container_walk(&w, path, &err);
	if (ct) {
		vpid_container_mark_dying(ct);
		kref_get(&ct->ref);
		/* made empty and never entered: nothing to wait for */
		if (!ct->nr_live)
			vpid_container_emptied(ct);
	}
	spin_unlock_irq(&vpid_lock);
	if (!ct)
		return err;

	rcu_read_lock();
	idr_for_each_entry(&ct->idr, e, nr)
		kill_pid(e->pid, SIGKILL, 1);
	rcu_read_unlock();
	vpid_container_put(ct);
	return 0;
}

/*
 * One pass over @ct: SIGKILL what still runs (again if a fork slipped past
 * the last pass), and tell whether anything must still go before the init
 * may: a running task, a fork in progress, or a zombie of ours (the caller
 * reaps those).  A zombie whose parent is elsewhere does not hold the init:
 * it runs no more, and its parent reaps it; nor does an exiting init (see
 * below).  (An exiting init cannot adopt orphans the way a pid namespace's
 * child_reaper does, so the orphans of a dying container may go to a host
 * subreaper or to init.)
 */
static bool vpid_zap_pass(struct vpid_container *ct)
{
	struct task_struct *t;
	struct vpid_pid *e;
	bool left = false;
	int nr;

	rcu_read_lock();
	idr_for_each_entry(&ct->idr, e, nr) {
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
	return vpid_sc_call4(vpid_sys_wait4, (unsigned long)-1, 0,
			     __WALL | WNOHANG, 0);
}

/*
 * reboot() from inside set the status on the container the caller was in:
 * for an init that went deeper, one below @ct (the outermost container it
 * is init of, which the zap covers).  The innermost one set counts.
 */
static int vpid_reboot_status(struct vpid_container *ct)
{
	struct pid *tgid = task_tgid(current);
	struct vpid_pid *e;
	unsigned int l;
	int sig = 0;

	rcu_read_lock();
	e = vpid_lookup(tgid);
	for (l = e ? e->level : 0; l >= 1 && !sig; l--) {
		struct vpid_container *c = e->up[l].ct;

		if (c->init_pid == tgid)
			sig = READ_ONCE(c->reboot);
		if (c == ct)
			break;
	}
	rcu_read_unlock();
	return sig ? sig : READ_ONCE(ct->reboot);
}

static void vpid_zap(struct callback_head *work)
{
	struct vpid_container *ct = container_of(work, struct vpid_container, zap_work);
	struct sighand_struct *sighand;
	int reboot;

	spin_lock_irq(&vpid_lock);
	vpid_container_mark_dying(ct);
	spin_unlock_irq(&vpid_lock);

	/* Our own sighand: stable while we live. */
	sighand = rcu_dereference_protected(current->sighand, true);
	spin_lock_irq(&sighand->siglock);
	sighand->action[SIGCHLD - 1].sa.sa_handler = SIG_IGN;
	spin_unlock_irq(&sighand->siglock);

	/* Kill, and reap our children as they die, until nothing is left. */
	while (vpid_zap_pass(ct)) {
		clear_thread_flag(TIF_SIGPENDING);
		while (vpid_reap_one() > 0)
			cond_resched();
		schedule_timeout_idle(VPID_ZAP_PAUSE);
	}
	/* reboot() from inside: the parent sees the init killed by it */
	reboot = vpid_reboot_status(ct);
	if (reboot)
		current->signal->group_exit_code = reboot;
	vpid_container_put(ct);
}

/**
 * vpid_container_init_exiting() - the last thread of the current thread
 * group is exiting: if it is a container's init, queue the zap
 *
 * An init that moved into a container below its own (creating a nested
 * one) is still the init of the outer one: zapping that covers both.
 *
 * Context: do_exit(), from an ftrace callback (preemption off): takes no
 * lock (vpid_lock sleeps on PREEMPT_RT).
 */
void vpid_container_init_exiting(void)
{
	struct vpid_container *ct;

	rcu_read_lock();
	ct = vpid_init_of(task_tgid(current));
	if (ct && !xchg(&ct->zapped, true))
		kref_get(&ct->ref);
	else
		ct = NULL;
	rcu_read_unlock();
	if (!ct)
		return;
	init_task_work(&ct->zap_work, vpid_zap);
	if (task_work_add(current, &ct->zap_work, TWA_NONE))
		vpid_container_put(ct);
}

/**
 * vpid_container_reboot() - reboot() from inside the current task's
 * container: its init is killed, and its parent sees it killed by @sig
 * @sig: SIGHUP for a restart, SIGINT for a halt or power-off
 *
 * Context: process context.
 */
void vpid_container_reboot(int sig)
{
	struct vpid_container *ct;
	struct task_struct *init;

	rcu_read_lock();
	ct = vpid_current_container();
	if (ct) {
		WRITE_ONCE(ct->reboot, sig);
		init = pid_task(ct->init_pid, PIDTYPE_PID);
		if (init)
			send_sig(SIGKILL, init, 1);
	}
	rcu_read_unlock();
}

/**
 * vpid_death_init() - find what the zap calls, at module load
 *
 * Return: 0 or -ENOENT.
 */
int vpid_death_init(void)
{
	return vpid_ksym_func("__x64_sys_wait4", &vpid_sys_wait4);
}
