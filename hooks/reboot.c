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

static long vpid_reboot(const struct pt_regs *regs, bool ia32)
{
	int magic1 = vpid_sc_arg(regs, ia32, 0);
	int magic2 = vpid_sc_arg(regs, ia32, 1);
	unsigned int cmd = vpid_sc_arg(regs, ia32, 2);
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
	vpid_container_reboot(sig);
	/* exit(0): does not return (and so is not counted as a call) */
	return vpid_sc_call4(vpid_orig_sys_exit, 0, 0, 0, 0);
}

/*
 * vpid_h_sys_reboot(), vpid_h_ia32_reboot(): reboot() for a container task.
 * Return: -EPERM or -EINVAL; otherwise the caller exits.
 */
VPID_SYSCALL_PAIR(reboot)
