// SPDX-License-Identifier: GPL-2.0
/*
 * signal.c - one translation point for every queued signal.
 *
 * Every siginfo the kernel queues passes through __send_signal_locked()
 * (PID_ABI.md section 1, "Signal funnels"), where the receiver is known.
 * vpid translates there, at generation time, and nowhere else:
 *
 *  - user signals (si_code <= 0: kill, tkill, sigqueue, pidfd_send_signal)
 *    carry si_pid in the sender's view (the helpers made it so, or the user
 *    wrote it): it is read back in the sender's view and re-expressed in the
 *    receiver's, 0 when the sender is outside the receiver's view;
 *  - SIGCHLD (si_code > 0) carries the child's real number (the kernel uses
 *    an explicit namespace there): re-expressed in the receiver's view;
 *  - SEND_SIG_NOINFO gets an explicit SI_USER siginfo with the sender's
 *    number in the receiver's view.
 *
 * A copy is translated, never the caller's siginfo: one siginfo may be sent
 * to many receivers (kill of a process group).
 *
 * The same place emulates the protection of a pid namespace init: a
 * container's vpid 1 with the default action does not get signals from
 * inside its container, and from outside only SIGKILL and SIGSTOP.
 */
#include <linux/cred.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include "hooks.h"
#include "vpid_compat.h"

static struct vpid_ns *vpid_task_ns(struct task_struct *t)
{
	return vpid_ns_of_pid(READ_ONCE(t->thread_pid));
}

/**
 * vpid_w_send_signal() - redirect when the receiver or the sender is in a
 * container
 * @fregs: the call's registers
 *
 * Return: true to redirect.
 */
bool vpid_w_send_signal(struct ftrace_regs *fregs)
{
	struct task_struct *t = (void *)vpid_fregs_arg(fregs, 2);
	bool in;

	rcu_read_lock();
	in = vpid_task_ns(t) || vpid_current_ns();
	rcu_read_unlock();
	return in;
}

/* Is @ns the container @view or below it? */
static bool vpid_ns_within(struct vpid_ns *ns, struct vpid_ns *view)
{
	for (; ns; ns = ns->parent)
		if (ns == view)
			return true;
	return false;
}

/* Does the signal carry a sender pid (SIL_KILL, SIL_RT, SIL_CHLD)? */
static bool vpid_info_has_pid(int sig, const struct kernel_siginfo *info)
{
	if (info->si_code > 0)
		return sig == SIGCHLD;
	return info->si_code != SI_TIMER && info->si_code != SI_SIGIO;
}

/* Would a pid-namespace init ignore this signal (sig_task_ignored())? */
static bool vpid_init_drops(int sig, struct kernel_siginfo *info,
			    struct task_struct *t, struct vpid_ns *tns,
			    struct vpid_ns *sender)
{
	bool forced;

	if (!tns || tns->init_pid != task_tgid(t) ||
	    t->sighand->action[sig - 1].sa.sa_handler != SIG_DFL)
		return false;
	forced = info == SEND_SIG_PRIV ||
		(info != SEND_SIG_NOINFO && info->si_code == SI_KERNEL) ||
		!vpid_ns_within(sender, tns);
	return !(forced && sig_kernel_only(sig));
}

/**
 * vpid_h_send_signal() - __send_signal_locked() across container views
 * @sig: the signal
 * @info: its siginfo, or SEND_SIG_NOINFO / SEND_SIG_PRIV
 * @t: the receiver
 * @type: thread, process or group signal
 * @force: the kernel's "from an ancestor namespace" flag
 *
 * Context: @t's siglock held.
 * Return: what the original returns; 0 for a signal a container init
 * ignores.
 */
int vpid_h_send_signal(int sig, struct kernel_siginfo *info,
		       struct task_struct *t, enum pid_type type, bool force)
{
	int (*orig)(int, struct kernel_siginfo *, struct task_struct *,
		    enum pid_type, bool) = (void *)vpid_orig_send_signal;
	struct vpid_ns *tns, *sender;
	struct kernel_siginfo copy;
	struct pid *from;
	bool drop;

	rcu_read_lock();
	tns = vpid_task_ns(t);
	sender = vpid_current_ns();
	drop = vpid_init_drops(sig, info, t, tns, sender);
	if (drop || info == SEND_SIG_PRIV) {
		rcu_read_unlock();
		return drop ? 0 : orig(sig, info, t, type, force);
	}
	if (info == SEND_SIG_NOINFO) {
		clear_siginfo(&copy);
		copy.si_signo = sig;
		copy.si_code = SI_USER;
		copy.si_pid = vpid_nr_view(task_tgid(current), tns);
		copy.si_uid = from_kuid_munged(task_cred_xxx(t, user_ns),
					       current_uid());
	} else {
		copy = *info;
		if (vpid_info_has_pid(sig, info)) {
			if (info->si_code > 0 || !sender)
				from = find_pid_ns(info->si_pid, &init_pid_ns);
			else
				from = vpid_find_pid(sender, info->si_pid);
			copy.si_pid = vpid_nr_view(from, tns);
		}
	}
	rcu_read_unlock();
	return orig(sig, &copy, t, type, force);
}
