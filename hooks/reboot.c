// SPDX-License-Identifier: GPL-2.0
/*
 * reboot.c - reboot() from inside a container ends the container, never
 * the machine, as in a pid namespace (reboot_pid_ns()): RESTART and
 * RESTART2 kill its init, which its parent then sees killed by SIGHUP,
 * POWER_OFF and HALT the same with SIGINT; any other command is EINVAL.
 * The caller exits with status 0.
 *
 * Translated at the syscall entry (the kernel's reboot_pid_ns() only knows
 * pid namespaces).  Entry points keep their ENDBR64 (the syscall table
 * calls them), so the exit path calls __x64_sys_exit through a pointer.
 */
#include <linux/capability.h>
#include <linux/reboot.h>
#include <linux/sched/signal.h>
#include "hooks.h"
#include "vpid_compat.h"

static long vpid_reboot(int magic1, int magic2, unsigned int cmd)
{
	long (*sys_exit)(const struct pt_regs *) = (void *)vpid_orig_sys_exit;
	struct pt_regs regs = {};
	struct task_struct *init;
	struct vpid_ns *ns;
	int sig;

	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	if (magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_RESTART:
	case LINUX_REBOOT_CMD_RESTART2:
		sig = SIGHUP;
		break;
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
		sig = SIGINT;
		break;
	default:
		return -EINVAL;
	}
	rcu_read_lock();
	ns = vpid_current_ns();
	if (ns) {
		WRITE_ONCE(ns->reboot, sig);
		init = pid_task(ns->init_pid, PIDTYPE_PID);
		if (init)
			send_sig(SIGKILL, init, 1);
	}
	rcu_read_unlock();
	/* exit(0): does not return (and so is not counted as a call) */
	return sys_exit(&regs);
}

/**
 * vpid_h_sys_reboot() - __x64_sys_reboot() for a container task
 * @regs: the caller's user registers (magic1, magic2, cmd in di, si, dx)
 *
 * Return: -EPERM or -EINVAL; otherwise the caller exits.
 */
VPID_HOOK_ABI
long vpid_h_sys_reboot(const struct pt_regs *regs)
{
	return vpid_reboot(regs->di, regs->si, regs->dx);
}

/**
 * vpid_h_ia32_reboot() - __ia32_sys_reboot() for a container task
 * @regs: the caller's user registers (magic1, magic2, cmd in bx, cx, dx)
 *
 * Return: -EPERM or -EINVAL; otherwise the caller exits.
 */
VPID_HOOK_ABI
long vpid_h_ia32_reboot(const struct pt_regs *regs)
{
	return vpid_reboot(regs->bx, regs->cx, regs->dx);
}
