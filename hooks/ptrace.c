// SPDX-License-Identifier: GPL-2.0
/*
 * ptrace.c - the pid in a ptrace event message, as the tracer sees it.
 *
 * PTRACE_EVENT_FORK/VFORK/CLONE/VFORK_DONE carry the new task's pid and
 * PTRACE_EVENT_EXEC the execing task's former pid, read back with
 * PTRACE_GETEVENTMSG.  The kernel numbers them in the tracer's pid
 * namespace (ptrace_event_pid(), exec_binprm()), which for a tracer in a
 * container is the host's: the message is renumbered in the tracer's view
 * on its way into ptrace_notify(exit_code, message).
 */
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include "hooks.h"
#include "vpid_compat.h"

/*
 * ptrace_notify() is only entered by the traced task, which nothing else
 * renumbers meanwhile; the event's pid is alive (a new child, or the
 * execing task itself).
 */
static bool vpid_event_has_pid(int exit_code)
{
	switch (exit_code >> 8) {
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
	case PTRACE_EVENT_VFORK_DONE:
	case PTRACE_EVENT_EXEC:
		return true;
	}
	return false;
}

/**
 * vpid_o_ptrace_notify() - entry of ptrace_notify(exit_code, message):
 * renumber an event's pid for a tracer in a container
 * @fregs: the call's registers
 *
 * Context: ftrace callback, preemption off: no sleeping lock.
 */
void vpid_o_ptrace_notify(struct ftrace_regs *fregs)
{
	int exit_code = (int)vpid_fregs_arg(fregs, 0);
	unsigned long msg = vpid_fregs_arg(fregs, 1);
	struct task_struct *tracer;
	struct vpid_container *view;
	struct pid *pid;

	if (!vpid_event_has_pid(exit_code) || !msg || msg > PID_MAX_LIMIT)
		return;
	rcu_read_lock();
	tracer = ptrace_parent(current);
	/* a tracer in a pid namespace of its own got the kernel's numbers */
	view = tracer ? vpid_container_of_pid(task_pid(tracer)) : NULL;
	if (view) {
		pid = find_pid_ns((int)msg, view->base);
		if (pid)
			vpid_fregs_ptregs(fregs)->si = vpid_nr_view(pid, view);
	}
	rcu_read_unlock();
}
