// SPDX-License-Identifier: GPL-2.0
/*
 * pidfd.c - pidfd_open(pid, flags) and pidfd_send_signal() from a container
 * task.
 *
 * The syscall inlines its find_get_pid(), so the helper hooks do not see
 * it: the pid argument is translated at the syscall entry instead (64-bit
 * and ia32 entry points), on a copy of the caller's registers.  The
 * original entry points are called through pointers: the syscall table
 * calls them too, so they keep their ENDBR64 on IBT kernels.
 *
 * A kernel that does not inline find_get_pid() there (a debug build) would
 * have the find_get_pid() hook translate the number a second time: the
 * task is listed as "in a translated pidfd_open" for the duration, and
 * that hook lets such a task's lookup through (vpid_w_find_get_pid()).
 */
#include <linux/ptrace.h>
#include <linux/spinlock.h>
#include "hooks.h"
#include "vpid_compat.h"

/* Tasks inside a pidfd_open() whose pid argument is already translated. */
struct vpid_raw_call {
	struct list_head node;
	struct task_struct *task;
};

static LIST_HEAD(vpid_raw_calls);
/* raw: taken in an ftrace callback, with preemption off even on RT */
static DEFINE_RAW_SPINLOCK(vpid_raw_lock);
static atomic_t vpid_nr_raw_calls = ATOMIC_INIT(0);

/**
 * vpid_in_raw_call() - is the current task in a pidfd_open() whose entry
 * already translated the number (find_get_pid() must take it as it is)
 *
 * Return: true if so.
 */
bool vpid_in_raw_call(void)
{
	struct vpid_raw_call *c;
	unsigned long flags;
	bool found = false;

	if (!atomic_read(&vpid_nr_raw_calls))
		return false;
	raw_spin_lock_irqsave(&vpid_raw_lock, flags);
	list_for_each_entry(c, &vpid_raw_calls, node)
		if (c->task == current)
			found = true;
	raw_spin_unlock_irqrestore(&vpid_raw_lock, flags);
	return found;
}

/*
 * Translate the pid in *@arg from the caller's view to a real number.
 * Return: 0, or -ESRCH when no task of the view has it.
 */
static int vpid_pidfd_arg(unsigned long *arg)
{
	pid_t nr = (pid_t)*arg;
	struct vpid_container *view;
	struct pid *pid;
	int err = 0;

	if (nr <= 0)
		return 0;	/* the original says EINVAL */
	rcu_read_lock();
	view = vpid_current_container();
	if (view) {
		pid = vpid_find_pid(view, nr);
		if (pid)
			*arg = (unsigned int)pid_nr_ns(pid, view->base);
		else
			err = -ESRCH;
	}
	rcu_read_unlock();
	return err;
}

/*
 * Call the original entry on a copy of @regs whose pid argument is
 * translated to the real number.
 */
static long vpid_pidfd_open(const struct pt_regs *regs, bool ia32)
{
	struct vpid_raw_call call = { .task = current };
	struct pt_regs copy = *regs;
	long ret = vpid_pidfd_arg(vpid_sc_argp(&copy, ia32, 0));

	if (ret)
		return ret;
	raw_spin_lock_irq(&vpid_raw_lock);
	list_add(&call.node, &vpid_raw_calls);
	atomic_inc(&vpid_nr_raw_calls);
	raw_spin_unlock_irq(&vpid_raw_lock);
	vpid_call_begin();
	ret = vpid_sc_call(vpid_orig_pidfd_open[ia32], &copy);
	vpid_call_end();
	raw_spin_lock_irq(&vpid_raw_lock);
	list_del(&call.node);
	atomic_dec(&vpid_nr_raw_calls);
	raw_spin_unlock_irq(&vpid_raw_lock);
	return ret;
}

/*
 * vpid_h_sys_pidfd_open(), vpid_h_ia32_pidfd_open(): the entries of
 * pidfd_open() for a container task.  Return: a pidfd or a -errno.
 */
VPID_SYSCALL_PAIR(pidfd_open)

/*
 * pidfd_send_signal() on a pidfd (or /proc/PID directory) of a task outside
 * the caller's pid namespace is -EINVAL (access_pidfd_pidns(), inlined);
 * for a container task the kernel checks the host's namespace.  The
 * check is made where the signal is sent, on the struct pid the kernel
 * resolved (no second lookup of the fd, so no race with a dup2() in
 * another thread): kill_pid_info_type() (6.1: kill_pid_info()) and, for
 * PIDFD_SIGNAL_PROCESS_GROUP, __kill_pgrp_info(), each called with the
 * signal first and the pid third.  A call that would cross goes to
 * vpid_h_kill_pid_info() or vpid_h_kill_pgrp_info() instead.
 */
/* Is this such a call: @pid outside the view of a container task in pidfd_send_signal()? */
static bool vpid_pidfd_signal_outside(struct pid *pid)
{
	struct vpid_container *view;
	bool outside;

	if (!vpid_in_syscall(__NR_pidfd_send_signal,
			     __NR_ia32_pidfd_send_signal))
		return false;
	rcu_read_lock();
	view = vpid_current_container();
	outside = view && !vpid_nr_view(pid, view);
	rcu_read_unlock();
	return outside;
}

/*
 * VPID_DIRECT_PIDFD_SIGNAL(NAME): the direct hook of one of the two: its
 * filters, and vpid_h_NAME() where a call that would cross goes: -EINVAL.
 * Both are on every kill(), a host task's too.
 */
#define VPID_DIRECT_PIDFD_SIGNAL(name)					\
bool vpid_dw_##name(const struct vpid_dregs *r)				\
{									\
	return !vpid_dregs_from_module(r) &&				\
	       vpid_pidfd_signal_outside((struct pid *)r->dx);		\
}									\
int vpid_h_##name(void)							\
{									\
	return -EINVAL;							\
}

VPID_DIRECT_PIDFD_SIGNAL(kill_pid_info)
VPID_DIRECT_PIDFD_SIGNAL(kill_pgrp_info)

#if VPID_HAVE_PIDFD_IOCTL
/* PIDFD_GET_INFO, whatever the size its number carries */
static bool vpid_pidfd_get_info(unsigned int cmd)
{
#if VPID_HAVE_PIDFD_GET_INFO
	return _IOC_TYPE(cmd) == _IOC_TYPE(PIDFD_GET_INFO) &&
	       _IOC_NR(cmd) == _IOC_NR(PIDFD_GET_INFO);
#else
	return false;
#endif
}

/* PIDFD_GET_PID_NAMESPACE, PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE */
static bool vpid_pidfd_pidns(unsigned int cmd)
{
#if VPID_HAVE_PIDFD_NS
	return cmd == PIDFD_GET_PID_NAMESPACE ||
	       cmd == PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE;
#else
	return false;
#endif
}

/**
 * vpid_w_pidfd_ioctl() - redirect PIDFD_GET_INFO by a container task, and
 * a pid namespace of a container task's pidfd
 * @fregs: the call's registers
 *
 * Return: true to redirect.
 */
bool vpid_w_pidfd_ioctl(struct ftrace_regs *fregs)
{
	struct file *file = (void *)vpid_fregs_arg(fregs, 0);
	unsigned int cmd = vpid_fregs_arg(fregs, 1);
	bool yes = false;

	if (vpid_pidfd_get_info(cmd))
		return vpid_in_container();
	if (vpid_pidfd_pidns(cmd)) {
		rcu_read_lock();
		yes = !!vpid_container_of_pid(vpid_pidfd_file_pid(file));
		rcu_read_unlock();
	}
	return yes;
}

/**
 * vpid_h_pidfd_ioctl() - ioctl on a pidfd: PIDFD_GET_INFO by a container
 * task, or a pid namespace of a container task
 * @file: the pidfd
 * @cmd: the request
 * @arg: its argument
 *
 * PIDFD_GET_INFO refuses, with EREMOTE, a task outside the caller's pid
 * namespace; for a container task the kernel checks the host's, so a task
 * outside the container would pass, read as tgid 0, and send the kernel's
 * "it was reaped meanwhile, start over" loop round for good.  Such a task
 * is EREMOTE here, as for a native pid namespace.  A reaped task (exit
 * information only) and every other request go to the kernel.
 *
 * PIDFD_GET_PID_NAMESPACE and PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE of a
 * container task open its container's namespace, as /proc/PID/ns/pid does
 * (hooks/nsid.c), once the kernel has made its checks.
 *
 * Return: what the kernel returns (an fd for the namespace ioctls), or
 * -EREMOTE.
 */
VPID_HOOK_ABI
long vpid_h_pidfd_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	long (*orig)(struct file *, unsigned int, unsigned long) =
		(void *)vpid_orig_pidfd_ioctl;
	struct task_struct *task;
	bool outside = false;
	long ret;

	vpid_call_begin();
	if (vpid_pidfd_get_info(cmd)) {
		rcu_read_lock();
		task = pid_task(vpid_pidfd_file_pid(file), PIDTYPE_PID);
		if (task && pid_alive(task))
			outside = !vpid_h_task_pid_nr_ns(task, PIDTYPE_TGID,
							 NULL);
		rcu_read_unlock();
	}
	ret = outside ? -EREMOTE : orig(file, cmd, arg);
	if (ret >= 0 && vpid_pidfd_pidns(cmd))
		ret = vpid_nsid_pidfd(file, cmd, ret);
	vpid_call_end();
	return ret;
}
#endif
