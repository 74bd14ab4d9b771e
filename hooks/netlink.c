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
 *		(cmd_attr_register_cpumask()); per-pid queries go on.
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

	if (info->attrs[TASKSTATS_CMD_ATTR_REGISTER_CPUMASK] ||
	    info->attrs[TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK])
		return -EINVAL;
	vpid_call_begin();
	ret = orig(skb, info);
	vpid_call_end();
	return ret;
}
