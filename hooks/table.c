// SPDX-License-Identifier: GPL-2.0
/*
 * table.c - every kernel function vpid hooks, in one place.
 *
 * Redirect hooks replace a caller's-view helper for container tasks only;
 * host tasks run the kernel's own code.  Observe hooks see every call.
 */
#include "hooks.h"

#define REDIRECT(sym, fn, filter) \
	{ .name = #sym, .redirect = fn, .want = filter }

unsigned long vpid_orig_alloc_pid;
unsigned long vpid_orig_free_pid;
unsigned long vpid_orig_send_signal;
unsigned long vpid_orig_do_exit;
unsigned long vpid_orig_kernel_wait4;

struct vpid_hook vpid_hooks[] = {
	/* numbers a task reads: getpid ... setsid, fork return, wait, futex */
	REDIRECT(__task_pid_nr_ns, vpid_h_task_pid_nr_ns, vpid_w_task_pid_nr_ns),
	REDIRECT(pid_vnr, vpid_h_pid_vnr, NULL),
	/* numbers a task passes in: kill, setpgid, wait4, sched_*, ptrace */
	REDIRECT(find_vpid, vpid_h_find_vpid, NULL),
	REDIRECT(find_get_pid, vpid_h_find_get_pid, NULL),
	REDIRECT(find_task_by_vpid, vpid_h_find_task_by_vpid, NULL),
	REDIRECT(find_get_task_by_vpid, vpid_h_find_get_task_by_vpid, NULL),
	/* life of a number */
	{ .name = "alloc_pid", .redirect = vpid_h_alloc_pid,
	  .orig = &vpid_orig_alloc_pid },
	{ .name = "free_pid", .observe = vpid_o_free_pid,
	  .orig = &vpid_orig_free_pid },
	/* si_pid of every queued signal; init protection */
	{ .name = "__send_signal_locked", .redirect = vpid_h_send_signal,
	  .want = vpid_w_send_signal, .orig = &vpid_orig_send_signal },
	/* the container init's exit kills the container */
	{ .name = "do_exit", .redirect = vpid_h_do_exit,
	  .want = vpid_w_do_exit, .orig = &vpid_orig_do_exit },
	/* called, not hooked: the init reaps as it zaps */
	{ .name = "kernel_wait4", .orig = &vpid_orig_kernel_wait4 },
};

const unsigned int vpid_nr_hooks = ARRAY_SIZE(vpid_hooks);
