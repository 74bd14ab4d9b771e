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
 *    wrote it): within one view it goes as written; across views it is read
 *    back in the sender's view and re-expressed in the receiver's, 0 when
 *    the sender is outside the receiver's view;
 *  - SIGCHLD (si_code > 0) and mq_notify's SI_MESGQ carry a real number
 *    (the kernel uses an explicit namespace there, the receiver's: the
 *    host's for a container task): re-expressed in the receiver's view;
 *  - SEND_SIG_NOINFO gets an explicit SI_USER siginfo with the sender's
 *    number in the receiver's view.
 *
 * A copy is translated, never the caller's siginfo: one siginfo may be sent
 * to many receivers (kill of a process group).  The hook never calls
 * __send_signal_locked() itself (a static function: no ENDBR64 on IBT
 * kernels, and callers compiled with IPA-RA): its ftrace callback points
 * the info argument at the copy, which must stay untouched until the
 * function has queued it (vpid_sigbuf() says where it lives).
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

static struct vpid_container *vpid_task_ns(struct task_struct *t)
{
	return vpid_container_of_pid(READ_ONCE(t->thread_pid));
}

/* Does the signal carry a sender pid (SIL_KILL, SIL_RT, SIL_CHLD)? */
static bool vpid_info_has_pid(int sig, const struct kernel_siginfo *info)
{
	if (info->si_code > 0)
		return sig == SIGCHLD;
	return info->si_code != SI_TIMER && info->si_code != SI_SIGIO;
}

/* The synchronous signals a fault forces on a task (signal.c's mask). */
#define VPID_SYNC_MASK (sigmask(SIGSEGV) | sigmask(SIGBUS) | \
			sigmask(SIGILL) | sigmask(SIGTRAP) | \
			sigmask(SIGFPE) | sigmask(SIGSYS))

/* Would a pid-namespace init ignore this signal (sig_task_ignored())? */
static bool vpid_init_drops(int sig, struct kernel_siginfo *info,
			    struct task_struct *t, struct vpid_container *tns)
{
	bool forced;

	if (!tns || tns->init_pid != task_tgid(t) ||
	    rcu_dereference(t->sighand)->action[sig - 1].sa.sa_handler !=
	    SIG_DFL)
		return false;
	/* sig_ignored(): blocked signals, and all but SIGKILL to a tracee */
	if (sigismember(&t->blocked, sig) ||
	    sigismember(&t->real_blocked, sig) || (t->ptrace && sig != SIGKILL))
		return false;
	/*
	 * A fault's signal to the faulting task (force_sig_info_to_task()
	 * with the default action) clears SIGNAL_UNKILLABLE first: the init
	 * dies of it.  Dropping it would loop on the faulting instruction.
	 */
	if (t == current && (sigmask(sig) & VPID_SYNC_MASK) &&
	    info != SEND_SIG_NOINFO &&
	    (info == SEND_SIG_PRIV || info->si_code > 0 ||
	     info->si_code == SI_KERNEL))
		return false;
	/* from outside: a task of a native pid namespace inside is inside */
	forced = info == SEND_SIG_PRIV ||
		(info != SEND_SIG_NOINFO && info->si_code == SI_KERNEL) ||
		!vpid_container_within(vpid_member_of_pid(task_pid(current)), tns);
	return !(forced && sig_kernel_only(sig));
}

#ifndef CONFIG_PREEMPT_RT
/*
 * The buffer for the translated copy of a signal: one per CPU.  Every
 * siglock is taken with interrupts off (signals are sent from hard
 * interrupts), so from this callback until __send_signal_locked() has
 * queued the copy nothing else runs on this CPU: no other sender can
 * overwrite it, and the function reads it on the CPU that wrote it.
 */
static DEFINE_PER_CPU(struct kernel_siginfo, vpid_sigcopy);

static struct kernel_siginfo *vpid_sigbuf(struct task_struct *t,
					  struct vpid_container *sender)
{
	if (WARN_ON_ONCE(!irqs_disabled()))
		return NULL;
	return this_cpu_ptr(&vpid_sigcopy);
}
#else
/*
 * The buffer for the translated copy of a signal to @t.  On PREEMPT_RT the
 * siglock leaves preemption on, and another sender on the same CPU would
 * overwrite a per-CPU copy: it lives in a record instead.  A sender in a
 * container uses its own record's first buffer: a task is in one siglock
 * section at a time, so nothing else sends as it meanwhile.  A host
 * sender uses the receiver's second buffer, under the receiver's siglock
 * that every sender to it holds.  The record outlives the siglock section
 * even if attach replaces it: that section is an RCU read-side one
 * (rt_spin_lock()), and replaced records are freed with call_rcu().
 */
static struct kernel_siginfo *vpid_sigbuf(struct task_struct *t,
					  struct vpid_container *sender)
{
	struct task_struct *owner = sender ? current : t;
	struct vpid_pid *e = vpid_lookup(READ_ONCE(owner->thread_pid));

	return e && !READ_ONCE(e->dead) ? &e->sigbuf[!sender] : NULL;
}
#endif

/**
 * vpid_h_send_signal() - where a dropped signal goes instead of
 * __send_signal_locked()
 *
 * Return: 0, what the kernel returns for a signal it ignores.
 */
VPID_HOOK_ABI int vpid_h_send_signal(void)
{
	return 0;
}

/*
 * Translate @info for the receiver's view @tns (NULL: the kernel's view of
 * its pid namespace) into @copy.  A sender without a container view (NULL
 * @sender) wrote its own pid namespace's numbers.
 * Return: false when nothing needs to change.
 */
static bool vpid_translate(int sig, struct kernel_siginfo *info,
			   struct task_struct *t, struct vpid_container *tns,
			   struct vpid_container *sender, struct kernel_siginfo *copy)
{
	struct pid *from;

	if (info == SEND_SIG_PRIV)
		return false;
	if (info == SEND_SIG_NOINFO) {
		clear_siginfo(copy);
		copy->si_signo = sig;
		copy->si_code = SI_USER;
		copy->si_pid = vpid_nr_seen(task_tgid(current), tns,
					    task_active_pid_ns(t));
		copy->si_uid = from_kuid_munged(task_cred_xxx(t, user_ns),
						current_uid());
		return true;
	}
	if (!vpid_info_has_pid(sig, info))
		return false;
	/*
	 * SIGCHLD, SI_MESGQ: a number in the receiver's pid namespace; user
	 * signals: in the sender's view
	 */
	from = NULL;
	if (info->si_code > 0 || info->si_code == SI_MESGQ) {
		from = find_pid_ns(info->si_pid, task_active_pid_ns(t));
		/*
		 * rt_sigqueueinfo() lets a task write these codes itself (to
		 * itself, or SI_MESGQ to anyone): the kernel's own name the
		 * sender (mqueue) or come from another thread group (SIGCHLD
		 * goes to a parent or tracer).  Anything else was written in
		 * the sender's view: never look a forged number up in the
		 * receiver's pid namespace.
		 */
		if (info->si_code > 0 ? same_thread_group(t, current) :
		    from != task_tgid(current))
			from = NULL;
		else
			goto found;
	}
	/*
	 * Within one view the sender's numbers are the receiver's: a user
	 * signal's si_pid goes as the sender wrote it, forged or not, as
	 * natively (send_signal_locked() only clears it for a sender the
	 * receiver cannot see).
	 */
	if (sender && sender == tns)
		return false;
	if (!sender)
		from = find_pid_ns(info->si_pid, task_active_pid_ns(current));
	else
		from = vpid_find_pid(sender, info->si_pid);
found:
	*copy = *info;
	copy->si_pid = vpid_nr_seen(from, tns, task_active_pid_ns(t));
	return copy->si_pid != info->si_pid;
}

/**
 * vpid_df_send_signal() - quick filter of __send_signal_locked()
 * @sig: unused
 * @info: unused
 * @t: the receiver
 *
 * Return: false when neither the sender nor the receiver can be in a
 * container.
 */
notrace VPID_DIRECT_QUICK
bool vpid_df_send_signal(long sig, void *info, struct task_struct *t)
{
	return vpid_quick_in_container() ||
	       vpid_pid_may_have_record(READ_ONCE(t->thread_pid));
}

/**
 * vpid_dw_send_signal() - entry of __send_signal_locked(sig, info, t, ...)
 * @r: the call's registers; the second argument (info) may be rewritten
 *
 * Every call is seen, vpid's own too (a container's zap).
 *
 * Context: the receiver's siglock held (interrupts off on !PREEMPT_RT).
 * Return: true to drop the signal (vpid_h_send_signal()).
 */
bool vpid_dw_send_signal(struct vpid_dregs *r)
{
	int sig = r->di;
	struct kernel_siginfo *info = (void *)r->si;
	struct task_struct *t = (void *)r->dx;
	struct kernel_siginfo *copy;
	struct vpid_container *tns, *sender;
	bool drop = false;

	rcu_read_lock();
	tns = vpid_task_ns(t);
	sender = vpid_current_container();
	if (!tns && !sender)
		goto out;
	if (vpid_init_drops(sig, info, t, tns)) {
		drop = true;
		goto out;
	}
	copy = vpid_sigbuf(t, sender);
	if (copy && vpid_translate(sig, info, t, tns, sender, copy))
		r->si = (unsigned long)copy;
out:
	rcu_read_unlock();
	return drop;
}
