// SPDX-License-Identifier: GPL-2.0
/*
 * perf.c - a perf event opened by a container task numbers tasks in the
 * container's view, as one opened in a native pid namespace numbers them
 * in that namespace.
 *
 * perf_event_alloc() gives an event the pid namespace of the task that
 * opens it (event->ns, task_active_pid_ns(current)), and every pid and tid
 * its records carry (PERF_RECORD_FORK/EXIT/COMM, PERF_SAMPLE_TID,
 * sample_id_all, ...) is __task_pid_nr_ns() in event->ns: a container
 * task's is the host's.  Here its event gets the container's shadow pid
 * namespace instead (core/shadow.c), which the direct filters answer in the
 * container's numbers, 0 for a task outside, as natively
 * (hooks/pid_helpers.c):
 *
 *	perf_event_open() of a container task makes sure the shadow exists
 *		(making it may sleep) and holds it for the call;
 *	security_perf_event_alloc(event), which perf_event_alloc() calls once
 *		event->ns is set, is observed: the event of a container task
 *		whose namespace is the container's base gets the shadow.
 *
 * A container task in a native pid namespace of its own keeps that one.
 * Inherited events take their numbers from the event opened (the kernel's
 * perf_event_pid_type()).
 */
#include <linux/perf_event.h>
#include <linux/pid_namespace.h>
#include "hooks.h"
#include "vpid_compat.h"

static long vpid_perf_event_open(const struct pt_regs *regs, bool ia32)
{
	return vpid_sc_call_shadowed(vpid_orig_perf_event_open[ia32], regs);
}

/*
 * vpid_h_sys_perf_event_open(), vpid_h_ia32_perf_event_open(): the entries
 * of perf_event_open() for a container task.  Return: an fd or a -errno.
 */
VPID_SYSCALL_PAIR(perf_event_open)

/**
 * vpid_o_security_perf_event_alloc() - entry of
 * security_perf_event_alloc(event): a container task's new event numbers
 * in the container's shadow pid namespace
 * @fregs: the call's registers
 *
 * The shadow is the one the perf_event_open() wrapper holds a reference
 * on, or that of the container the task was moved to meanwhile, which
 * lives as long as that container; the event takes a reference of its own
 * (dropped by the kernel's _free_event()).  The base namespace's reference
 * the event held is not its last: the task lives in it.
 *
 * Context: ftrace callback, preemption off: no sleeping lock.
 */
void vpid_o_security_perf_event_alloc(struct ftrace_regs *fregs)
{
	struct perf_event *event = (void *)vpid_fregs_arg(fregs, 0);
	struct pid_namespace *shadow;
	struct vpid_container *ct;

	rcu_read_lock();
	ct = vpid_current_container();
	shadow = ct ? READ_ONCE(ct->shadow) : NULL;
	if (shadow && event->ns == ct->base) {
		event->ns = get_pid_ns(shadow);
		put_pid_ns(ct->base);
	}
	rcu_read_unlock();
}
