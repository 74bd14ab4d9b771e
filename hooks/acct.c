// SPDX-License-Identifier: GPL-2.0
/*
 * acct.c - BSD process accounting, acct(2), from inside a container: refused.
 *
 * The kernel keeps one accounting file per pid namespace and switches the
 * caller's (kernel/acct.c, acct_on(): task_active_pid_ns(current)): a
 * container task's is the host's, so its acct() would start, redirect or
 * stop the machine's accounting.  A native pid namespace's task switches
 * its own namespace's instead, which vpid cannot give: the records are
 * written at exit for the namespaces of the exiting task (the host's) and
 * their ancestors, in a function that cannot be redirected per namespace.
 * So a container task gets EPERM, as in a container whose runtime filters
 * acct() (Documentation/pid-abi.md, "Still different").
 */
#include "hooks.h"
#include "vpid_compat.h"

static long vpid_acct(const struct pt_regs *regs, bool ia32)
{
	return -EPERM;
}

/*
 * vpid_h_sys_acct(), vpid_h_ia32_acct(): acct() for a container task.
 * Return: -EPERM.
 */
VPID_SYSCALL_PAIR(acct)
