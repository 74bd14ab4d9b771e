// SPDX-License-Identifier: GPL-2.0
/*
 * acct.c - BSD process accounting, acct(2), from inside a container: the
 * container's own.
 *
 * The kernel keeps one accounting file per pid namespace and switches the
 * caller's, task_active_pid_ns(current): for a container task the host's.
 * hooks/activens.c answers the container's shadow to acct() and to the
 * exit-time writer instead, so a container has accounting of its own, as
 * a native pid namespace has.  acct() asks for it under rcu_read_lock(),
 * where the shadow cannot be made: this wrapper makes it first.
 */
#include "hooks.h"
#include "vpid_compat.h"

static long vpid_acct(const struct pt_regs *regs, bool ia32)
{
	return vpid_sc_call_shadowed(vpid_orig_acct[ia32], regs);
}

/*
 * vpid_h_sys_acct(), vpid_h_ia32_acct(): acct() for a container task, with
 * its container's shadow made.
 * Return: acct()'s, or the error of making the shadow.
 */
VPID_SYSCALL_PAIR(acct)
