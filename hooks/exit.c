// SPDX-License-Identifier: GPL-2.0
/*
 * exit.c - the last thread of a thread group reaching
 * exit_task_namespaces() in do_exit(): if it is a container's init, the
 * container dies with it (core/death.c).  Only observed.
 */
#include <linux/sched/signal.h>
#include "hooks.h"
#include "vpid_compat.h"

/**
 * vpid_o_exit_namespaces() - exit_task_namespaces(p) (7.x:
 * exit_nsproxy_namespaces(p)) in do_exit()
 * @fregs: the call's registers
 *
 * Context: ftrace callback, preemption off: no sleeping lock.
 */
void vpid_o_exit_namespaces(struct ftrace_regs *fregs)
{
	if ((void *)vpid_fregs_arg(fregs, 0) != current ||
	    atomic_read(&current->signal->live))
		return;	/* copy_process() cleanup, or not the last thread */
	vpid_container_init_exiting();
}
