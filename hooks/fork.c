// SPDX-License-Identifier: GPL-2.0
/*
 * fork.c - a container task's new struct pid gets its numbers as soon as
 * alloc_pid() returns, before copy_process() links the child anywhere and
 * long before kernel_clone() reads its number for the fork return value and
 * CLONE_PARENT_SETTID; the numbers go back when the kernel's free_pid() does.
 */
#include <linux/err.h>
#include "hooks.h"
#include "vpid_compat.h"

/**
 * vpid_h_alloc_pid() - alloc_pid() for a container task
 * @ns: the pid namespace of the new task
 * @set_tid: clone3 set_tid array (real numbers)
 * @set_tid_size: its length
 *
 * Calls the original (the ftrace callback lets calls from module text
 * through), then numbers the pid in the current task's container.  This is
 * never a tail call: see ftrace_hook.c.
 *
 * Return: the new struct pid or an ERR_PTR (the container's allocator can
 * fail the fork: -EAGAIN when full, -ENOMEM when dying, -EEXIST when the
 * nextpid number was taken).
 */
VPID_HOOK_ABI
struct pid *vpid_h_alloc_pid(struct pid_namespace *ns, pid_t *set_tid,
			     size_t set_tid_size)
{
	struct pid *(*orig)(struct pid_namespace *, pid_t *, size_t) =
		(void *)vpid_orig_alloc_pid;
	void (*orig_free)(struct pid *) = (void *)vpid_orig_free_pid;
	struct pid *pid;
	int err;

	pid = orig(ns, set_tid, set_tid_size);
	if (IS_ERR(pid))
		return pid;
	err = vpid_pid_forked(pid);
	if (err) {
		orig_free(pid);
		return ERR_PTR(err);
	}
	return pid;
}

/**
 * vpid_o_free_pid() - entry of free_pid(pid)
 * @fregs: the call's registers
 */
void vpid_o_free_pid(struct ftrace_regs *fregs)
{
	vpid_pid_released((struct pid *)vpid_fregs_arg(fregs, 0));
}
