// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - host-wide netlink services a task of a pid namespace other
 * than the initial one is refused, and so is a container task (for which
 * the kernel's test, on its active pid namespace, passes):
 *
 *	proc connector, PROC_CN_MCAST_LISTEN/IGNORE: ignored (the kernel's
 *		cn_proc_mcast_ctl() returns at once for such a task), so no
 *		host fork/exec/exit events start to flow to it;
 *	audit control messages (AUDIT_GET, AUDIT_SET, rules, ...): -EPERM
 *		(audit_netlink_ok()); user messages (AUDIT_USER...) go on;
 *	taskstats REGISTER/DEREGISTER_CPUMASK: -EINVAL
 *		(cmd_attr_register_cpumask()); per-pid queries go on, and
 *		answer in the container's numbers: bacct_add_tsk() numbers
 *		ac_pid and ac_ppid in the pid namespace it is given, the
 *		caller's active one (the host's): a container task's query
 *		gives it the container's shadow pid namespace instead
 *		(core/shadow.c), as a native pid namespace's gets its own.
 *
 * Each runs in the sending task's context (netlink delivers to a kernel
 * socket synchronously).
 */
#include <linux/audit.h>
#include <linux/netlink.h>
#include <linux/taskstats.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>
#include "hooks.h"
#include "vpid_compat.h"

/**
 * vpid_h_cn_proc_mcast_ctl() - the proc connector's listen/ignore request
 * from a container task: ignored
 * @msg: the request
 * @nsp: its sender
 */
VPID_HOOK_ABI
void vpid_h_cn_proc_mcast_ctl(void *msg, void *nsp)
{
}

/* The audit messages only the initial pid namespace may send. */
static bool vpid_audit_control(u16 type)
{
	switch (type) {
	case AUDIT_GET:
	case AUDIT_SET:
	case AUDIT_GET_FEATURE:
	case AUDIT_SET_FEATURE:
	case AUDIT_LIST_RULES:
	case AUDIT_ADD_RULE:
	case AUDIT_DEL_RULE:
	case AUDIT_SIGNAL_INFO:
	case AUDIT_TTY_GET:
	case AUDIT_TTY_SET:
	case AUDIT_TRIM:
	case AUDIT_MAKE_EQUIV:
		return true;
	}
	return false;
}

/**
 * vpid_w_audit_receive_msg() - redirect an audit control message of a
 * container task
 * @fregs: the call's registers (the netlink header in the second argument)
 *
 * A task of another user namespace is left to the kernel (ECONNREFUSED).
 *
 * Context: ftrace callback.
 * Return: true to redirect.
 */
bool vpid_w_audit_receive_msg(struct ftrace_regs *fregs)
{
	const struct nlmsghdr *nlh = (void *)vpid_fregs_arg(fregs, 1);

	return vpid_audit_control(nlh->nlmsg_type) &&
	       current_user_ns() == &init_user_ns && vpid_in_container();
}

/**
 * vpid_h_audit_receive_msg() - audit_receive_msg() for such a message
 *
 * Return: -EPERM.
 */
VPID_HOOK_ABI
int vpid_h_audit_receive_msg(void)
{
	return -EPERM;
}

/**
 * vpid_h_taskstats_user_cmd() - a taskstats command of a container task
 * @skb: the request
 * @info: its attributes
 *
 * Return: -EINVAL for a CPU mask registration, else the kernel's answer.
 */
VPID_HOOK_ABI
int vpid_h_taskstats_user_cmd(struct sk_buff *skb, struct genl_info *info)
{
	int (*orig)(struct sk_buff *, struct genl_info *) =
		(void *)vpid_orig_taskstats_user_cmd;
	int ret;

	struct pid_namespace *shadow;

	if (info->attrs[TASKSTATS_CMD_ATTR_REGISTER_CPUMASK] ||
	    info->attrs[TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK])
		return -EINVAL;
	/* made now if need be: vpid_o_bacct_add_tsk() cannot sleep */
	shadow = vpid_shadow_of_current();
	if (IS_ERR(shadow))
		return PTR_ERR(shadow);
	vpid_call_begin();
	ret = orig(skb, info);
	vpid_call_end();
	if (shadow)
		put_pid_ns(shadow);
	return ret;
}

/**
 * vpid_o_bacct_add_tsk() - entry of bacct_add_tsk(user_ns, pid_ns, stats,
 * tsk): a container task's taskstats query numbers in its container
 * @fregs: the call's registers
 *
 * An exiting task's call is the exit record for the host's listeners: its
 * numbers stay the host's.  The shadow is the one the query's wrapper
 * (vpid_h_taskstats_user_cmd()) holds a reference on, unless the task was
 * moved to another container meanwhile, whose shadow lives as long as it.
 *
 * Context: ftrace callback, preemption off: no sleeping lock.
 */
void vpid_o_bacct_add_tsk(struct ftrace_regs *fregs)
{
	struct vpid_container *ct;
	struct pid_namespace *shadow;

	if (current->flags & PF_EXITING)
		return;
	rcu_read_lock();
	ct = vpid_current_container();
	shadow = ct ? READ_ONCE(ct->shadow) : NULL;
	if (shadow)
		vpid_fregs_ptregs(fregs)->si = (unsigned long)shadow;
	rcu_read_unlock();
}
