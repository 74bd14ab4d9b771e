// SPDX-License-Identifier: GPL-2.0
/*
 * vpid_floor - the least a hook on a pid helper can cost, for `make bench`.
 *
 * While loaded, this module hooks __task_pid_nr_ns (what getpid() calls)
 * and does nothing in the hook, so bench/guest.sh can time a host task's
 * getpid() against the same call unhooked: the difference is the price of
 * the hooking mechanism alone, the floor under what vpid pays for its
 * hooks.  The module parameter mode picks the mechanism:
 *
 *   ops           an ftrace_ops with an empty callback and
 *                 FTRACE_OPS_FL_RECURSION: ftrace's recursion guard wraps
 *                 the callback (the flag vpid's engine/engine.c uses)
 *   ops_norec     the same without the recursion flag: the ops trampoline
 *                 calls the empty callback directly
 *   ops_ipmodify  the flags of a vpid redirect hook: RECURSION and IPMODIFY
 *                 (plus SAVE_REGS where the kernel cannot redirect with
 *                 ftrace_regs, as include/vpid_compat.h decides), an empty
 *                 callback that redirects nothing
 *   direct        an ftrace direct call: the function's fentry site calls
 *                 floor_tramp below, which returns at once; no ftrace
 *                 trampoline, no register save, no callback
 *
 * Only the mechanism differs between the modes, never the callback.
 */
#include <linux/ftrace.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <asm/ibt.h>
#include <asm/linkage.h>
#include <asm/nospec-branch.h>
#include "floor.h"

static char *mode = "ops";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "how to hook __task_pid_nr_ns: ops, ops_norec, ops_ipmodify or direct");

enum floor_mode { FLOOR_OPS, FLOOR_OPS_NOREC, FLOOR_OPS_IPMODIFY, FLOOR_DIRECT };

static const char * const floor_modes[] = {
	[FLOOR_OPS] = "ops",
	[FLOOR_OPS_NOREC] = "ops_norec",
	[FLOOR_OPS_IPMODIFY] = "ops_ipmodify",
	[FLOOR_DIRECT] = "direct",
};

/* As VPID_FTRACE_REDIRECT_FLAGS in include/vpid_compat.h. */
#ifdef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
#define FLOOR_REDIRECT_FLAGS FTRACE_OPS_FL_IPMODIFY
#else
#define FLOOR_REDIRECT_FLAGS (FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_SAVE_REGS)
#endif

static const unsigned long floor_flags[] = {
	[FLOOR_OPS] = FTRACE_OPS_FL_RECURSION,
	[FLOOR_OPS_NOREC] = 0,
	[FLOOR_OPS_IPMODIFY] = FTRACE_OPS_FL_RECURSION | FLOOR_REDIRECT_FLAGS,
};

static struct ftrace_ops floor_ops;
static int floor_mode;

static void notrace floor_nop(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *ops, struct ftrace_regs *fregs)
{
}

/*
 * The direct call's target (after samples/ftrace/ftrace-direct.c): entered
 * by a call from the traced function's first instruction, it keeps the
 * frame the unwinder expects and returns into the function.
 * CALL_DEPTH_ACCOUNT: kernels with call depth tracking (retbleed) count
 * every call, as the return thunk uncounts every return; older headers
 * lack the macro.
 */
#ifndef CALL_DEPTH_ACCOUNT
#define CALL_DEPTH_ACCOUNT ""
#endif

asm("	.pushsection	.text, \"ax\", @progbits\n"
"	.type		floor_tramp, @function\n"
"	.globl		floor_tramp\n"
"floor_tramp:\n"
	ASM_ENDBR
"	pushq	%rbp\n"
"	movq	%rsp, %rbp\n"
	CALL_DEPTH_ACCOUNT
"	leave\n"
	ASM_RET
"	.size		floor_tramp, .-floor_tramp\n"
"	.popsection\n"
);

static int floor_register(void)
{
	if (floor_mode != FLOOR_DIRECT)
		return register_ftrace_function(&floor_ops);
#ifdef FLOOR_HAVE_DIRECT_MULTI
	return register_ftrace_direct_multi(&floor_ops, (unsigned long)floor_tramp);
#else
	return register_ftrace_direct(&floor_ops, (unsigned long)floor_tramp);
#endif
}

/* Unhook and free the filter. */
static void floor_unregister(void)
{
	if (floor_mode != FLOOR_DIRECT) {
		unregister_ftrace_function(&floor_ops);
		ftrace_free_filter(&floor_ops);
		return;
	}
#ifdef FLOOR_HAVE_DIRECT_MULTI
	unregister_ftrace_direct_multi(&floor_ops, (unsigned long)floor_tramp);
	ftrace_free_filter(&floor_ops);
#else
	unregister_ftrace_direct(&floor_ops, (unsigned long)floor_tramp, true);
#endif
}

static int __init floor_init(void)
{
	int err;

	floor_mode = match_string(floor_modes, ARRAY_SIZE(floor_modes), mode);
	if (floor_mode < 0) {
		pr_err("unknown mode %s (ops, ops_norec, ops_ipmodify, direct)\n", mode);
		return -EINVAL;
	}
	/* a direct call's ops has no callback: ftrace installs its own */
	if (floor_mode != FLOOR_DIRECT) {
		floor_ops.func = floor_nop;
		floor_ops.flags = floor_flags[floor_mode];
	}
	err = ftrace_set_filter_ip(&floor_ops, (unsigned long)__task_pid_nr_ns, 0, 0);
	if (err) {
		pr_err("cannot trace __task_pid_nr_ns (%d)\n", err);
		ftrace_free_filter(&floor_ops);
		return err;
	}
	err = floor_register();
	if (err) {
		pr_err("cannot hook __task_pid_nr_ns, mode %s (%d)\n", mode, err);
		ftrace_free_filter(&floor_ops);
		return err;
	}
	pr_info("__task_pid_nr_ns hooked, mode %s\n", floor_modes[floor_mode]);
	return 0;
}

static void __exit floor_exit(void)
{
	floor_unregister();
}

module_init(floor_init);
module_exit(floor_exit);

MODULE_DESCRIPTION("vpid bench: the cost floor of hooking __task_pid_nr_ns");
MODULE_LICENSE("GPL");
