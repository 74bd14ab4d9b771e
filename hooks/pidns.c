// SPDX-License-Identifier: GPL-2.0
/*
 * pidns.c - /proc/sys/kernel/ns_last_pid, read or written by a container
 * task: the container's last vpid, as a native pid namespace's task gets
 * its namespace's (kernel/pid_namespace.c, pid_ns_ctl_handler()).  A write
 * chooses the vpid of the container's next task (checkpoint/restore
 * tools), needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE over the
 * container's pid namespace, and never moves the host's allocator.
 *
 * The kernel's handler is reached through the sysctl table (it keeps its
 * ENDBR64) but is not called: the replacement does all of it.
 */
#include <linux/capability.h>
#include <linux/pid_namespace.h>
#include <linux/sysctl.h>
#include "hooks.h"
#include "vpid_compat.h"

/**
 * vpid_h_pid_ns_ctl_handler() - ns_last_pid's handler for a container task
 * @table: the sysctl entry (ns_last_pid; const on later kernels)
 * @write: a write
 * @buffer: the data
 * @lenp: its length
 * @ppos: the file position
 *
 * Return: 0, -EPERM without the capability, -EINVAL out of 0..pid_max, or
 * proc_dointvec_minmax()'s error.
 */
VPID_HOOK_ABI
int vpid_h_pid_ns_ctl_handler(struct ctl_table *table, int write,
			      void *buffer, size_t *lenp, loff_t *ppos)
{
	struct ctl_table tmp = *table;
	int ret, next, max = vpid_pid_max();

	/* the container's tasks live in the host's user namespace's care */
	if (write && !checkpoint_restore_ns_capable(task_active_pid_ns(current)->user_ns))
		return -EPERM;
	ret = vpid_last_nr(&next);
	if (ret)
		return ret;
	tmp.data = &next;
	tmp.extra2 = &max;
	ret = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (!ret && write)
		ret = vpid_set_last_nr(next);
	return ret;
}
