// SPDX-License-Identifier: GPL-2.0
/*
 * table.c - every kernel function vpid hooks, in one place.
 *
 * Redirect hooks replace a caller's-view helper for container tasks only;
 * host tasks run the kernel's own code.  Observe hooks see every call.
 */
#include "hooks.h"
#include "vpid_compat.h"

/* A helper's replacement, with the filter that picks its calls. */
#define REDIRECT(sym, fn, filter) \
	{ .name = #sym, .redirect = fn, .want = filter }
/*
 * A hot helper's replacement behind its own trampoline, reached by an ftrace
 * direct call (hooks/direct.S): vpid_dt_NAME filters with vpid_dw_NAME and
 * jumps to vpid_h_NAME.
 */
#define DIRECT(sym, fn) \
	{ .name = #sym, .redirect = vpid_h_##fn, .direct = vpid_dt_##fn }
/* The same, answered by the filter itself (VPID_DIRECT_RESULT). */
#define DIRECT_RESULT(sym, fn) \
	{ .name = #sym, .direct = vpid_dt_##fn }
/* A helper's replacement for a function some kernel configurations lack. */
#define REDIRECT_OPTIONAL(sym, fn, filter) \
	{ .name = #sym, .redirect = fn, .want = filter, .optional = true }

/* The two entries of a syscall, replaced by VPID_SYSCALL_PAIR()'s pair. */
#define SYSCALL_X64(sc, filter) \
	{ .name = "__x64_sys_" #sc, .redirect = vpid_h_sys_##sc, \
	  .want = filter, .orig = &vpid_orig_##sc[0] }
#define SYSCALL_IA32(sc, filter) \
	{ .name = "__ia32_sys_" #sc, .redirect = vpid_h_ia32_##sc, \
	  .want = filter, .orig = &vpid_orig_##sc[1] }

unsigned long vpid_orig_alloc_pid;
unsigned long vpid_orig_free_pid;
unsigned long vpid_orig_sys_exit;
unsigned long vpid_orig_pidfd_open[2];
unsigned long vpid_orig_reboot[2];
unsigned long vpid_orig_acct[2];
unsigned long vpid_orig_setns[2];
unsigned long vpid_orig_prctl[2];
unsigned long vpid_orig_taskstats_user_cmd;
unsigned long vpid_orig_sysvipc_proc_open;
unsigned long vpid_orig_loadavg_proc_show;
unsigned long vpid_orig_proc_init_fs_context;
unsigned long vpid_orig_proc_parse_param;
unsigned long vpid_orig_proc_pid_status;
unsigned long vpid_orig_pidfd_show_fdinfo;
unsigned long vpid_orig_pidfd_ioctl;
unsigned long vpid_orig_perf_event_open[2];
unsigned long vpid_orig_pidns_get;
unsigned long vpid_orig_pidns_for_children_get;
unsigned long vpid_orig_pidns_install;
unsigned long vpid_orig_pidns_get_parent;

struct vpid_hook vpid_hooks[] = {
	/* numbers a task reads: getpid ... setsid, fork return, wait, futex */
	DIRECT_RESULT(__task_pid_nr_ns, task_pid_nr_ns),
	DIRECT_RESULT(pid_vnr, pid_vnr),
	/* numbers a task passes in: kill, setpgid, wait4, sched_*, ptrace */
	DIRECT_RESULT(find_vpid, find_vpid),
	DIRECT_RESULT(find_get_pid, find_get_pid),
	DIRECT_RESULT(find_task_by_vpid, find_task_by_vpid),
	DIRECT_RESULT(find_get_task_by_vpid, find_get_task_by_vpid),
	/* pidfd_open inlines its lookup: translate at the syscall entry */
	SYSCALL_X64(pidfd_open, vpid_w_in_container),
	SYSCALL_IA32(pidfd_open, vpid_w_in_container),
	/* pidfd_send_signal() reaches no task outside (6.1: kill_pid_info) */
	{ .name = "kill_pid_info_type", .alt = "kill_pid_info",
	  .redirect = vpid_h_kill_pid_info, .direct = vpid_dt_kill_pid_info },
	DIRECT(__kill_pgrp_info, kill_pgrp_info),
	/* ns_last_pid is the container's */
	REDIRECT_OPTIONAL(pid_ns_ctl_handler, vpid_h_pid_ns_ctl_handler,
			  vpid_w_in_container),
#if VPID_HAVE_NSFS_PID_IOCTLS
	/* nsfs: own pid namespace file's translations; no mount ns walk */
	REDIRECT_OPTIONAL(ns_ioctl, vpid_h_ns_ioctl, vpid_w_ns_ioctl),
#endif
	/* nsfs: a container task's pid namespace is its container's shadow */
	{ .name = "pidns_get", .redirect = vpid_h_pidns_get,
	  .want = vpid_w_nsid_task, .orig = &vpid_orig_pidns_get },
	{ .name = "pidns_for_children_get",
	  .redirect = vpid_h_pidns_for_children_get,
	  .want = vpid_w_nsid_task, .orig = &vpid_orig_pidns_for_children_get },
	{ .name = "pidns_install", .redirect = vpid_h_pidns_install,
	  .want = vpid_w_pidns_install, .orig = &vpid_orig_pidns_install },
	/* setns(): not above or beside the container; pidfds from outside */
	SYSCALL_X64(setns, vpid_w_always),
	SYSCALL_IA32(setns, vpid_w_always),
	{ .name = "pidns_get_parent", .redirect = vpid_h_pidns_get_parent,
	  .want = vpid_w_pidns_get_parent, .orig = &vpid_orig_pidns_get_parent },
	/* the machine's mount namespaces are not a container's to list */
	REDIRECT_OPTIONAL(may_see_all_namespaces,
			  vpid_h_may_see_all_namespaces, vpid_w_in_container),
	/* fcntl(F_GETLK) reports the lock owner's vpid */
	REDIRECT_OPTIONAL(locks_translate_pid, vpid_h_locks_translate_pid,
			  vpid_w_locks_translate_pid),
	/* host-wide netlink services: refused as to a pid namespace */
	REDIRECT_OPTIONAL(cn_proc_mcast_ctl, vpid_h_cn_proc_mcast_ctl,
			  vpid_w_in_container),
	REDIRECT_OPTIONAL(audit_receive_msg, vpid_h_audit_receive_msg,
			  vpid_w_audit_receive_msg),
	{ .name = "taskstats_user_cmd", .redirect = vpid_h_taskstats_user_cmd,
	  .want = vpid_w_in_container, .orig = &vpid_orig_taskstats_user_cmd,
	  .optional = true },
	{ .name = "bacct_add_tsk", .observe = vpid_o_bacct_add_tsk,
	  .ipmodify = true, .optional = true },
	/* perf events: their records in the container's numbers */
	SYSCALL_X64(perf_event_open, vpid_w_in_container),
	SYSCALL_IA32(perf_event_open, vpid_w_in_container),
	{ .name = "security_perf_event_alloc",
	  .observe = vpid_o_security_perf_event_alloc, .optional = true },
	/* /proc files numbered in the reader's namespace, not the mount's */
	{ .name = "sysvipc_proc_open", .redirect = vpid_h_sysvipc_proc_open,
	  .want = vpid_w_in_container, .orig = &vpid_orig_sysvipc_proc_open,
	  .optional = true },
	{ .name = "loadavg_proc_show", .redirect = vpid_h_loadavg_proc_show,
	  .want = vpid_w_in_container, .orig = &vpid_orig_loadavg_proc_show },
	/* reboot() from inside ends the container, not the machine */
	SYSCALL_X64(reboot, vpid_w_in_container),
	SYSCALL_IA32(reboot, vpid_w_in_container),
#ifdef CONFIG_BSD_PROCESS_ACCT
	/* acct(): the container's own accounting, in its shadow (below) */
	SYSCALL_X64(acct, vpid_w_in_container),
	SYSCALL_IA32(acct, vpid_w_in_container),
#endif
	/* FUSE mounts and BSD accounting keep the container's shadow */
	DIRECT(task_active_pid_ns, task_active_pid_ns),
	/* a container init is no subreaper unless it says so */
	SYSCALL_X64(prctl, vpid_w_sys_prctl),
	SYSCALL_IA32(prctl, vpid_w_ia32_prctl),
	/* a container init may not create siblings (CLONE_PARENT) */
	{ .name = "kernel_clone", .observe = vpid_o_kernel_clone,
	  .ipmodify = true },
	/*
	 * unshare(CLONE_NEWPID) in a container made empty: its init to come;
	 * by a task outside that joined a container: EINVAL
	 */
	{ .name = "unshare_nsproxy_namespaces", .observe = vpid_o_unshare_nsproxy,
	  .ipmodify = true, .optional = true },
	/* a container's /proc: its shadow pid namespace (hooks/proc.c) */
	{ .name = "proc_init_fs_context",
	  .redirect = vpid_h_proc_init_fs_context,
	  .want = vpid_w_in_container, .orig = &vpid_orig_proc_init_fs_context },
#if VPID_PID_MAX_PER_NS
	/* /proc/sys/kernel/pid_max is its pid namespace's: the container's */
	REDIRECT(pid_table_root_lookup, vpid_h_pid_table_root_lookup, vpid_w_in_container),
#endif
	/* 7.x's pidns= option: the container's own, never the host's */
	{ .name = "proc_parse_param", .redirect = vpid_h_proc_parse_param,
	  .want = vpid_w_in_container, .orig = &vpid_orig_proc_parse_param },
	DIRECT_RESULT(pid_nr_ns, pid_nr_ns),
	DIRECT_RESULT(find_ge_pid, find_ge_pid),
	DIRECT_RESULT(find_task_by_pid_ns, find_task_by_pid_ns),
	/* a FUSE daemon's lock owner, numbered in its connection's shadow */
	DIRECT_RESULT(find_pid_ns, find_pid_ns),
	{ .name = "proc_pid_status", .redirect = vpid_h_proc_pid_status,
	  .want = vpid_w_always, .orig = &vpid_orig_proc_pid_status },
#if VPID_HAVE_PIDFD_IOCTL
	/*
	 * PIDFD_GET_INFO on a task outside the container: EREMOTE; a
	 * container task's pid namespace: its shadow (hooks/nsid.c)
	 */
	{ .name = "pidfd_ioctl", .redirect = vpid_h_pidfd_ioctl,
	  .want = vpid_w_pidfd_ioctl, .orig = &vpid_orig_pidfd_ioctl },
#endif
	/* a pidfd's fdinfo: NSpid with the container levels */
	{ .name = "pidfd_show_fdinfo", .redirect = vpid_h_pidfd_show_fdinfo,
	  .want = vpid_w_always, .orig = &vpid_orig_pidfd_show_fdinfo },
	/* life of a number */
	{ .name = "alloc_pid", .redirect = vpid_h_alloc_pid,
	  .want = vpid_w_alloc_pid, .orig = &vpid_orig_alloc_pid },
	{ .name = "free_pid", .redirect = vpid_h_free_pid,
	  .want = vpid_w_free_pid, .orig = &vpid_orig_free_pid },
	/*
	 * si_pid of every queued signal rewritten; init protection drops
	 * some.  A static function: never called (no ENDBR64 on IBT kernels).
	 */
	DIRECT(__send_signal_locked, send_signal),
	/* pids in ptrace event messages, in the tracer's view */
	{ .name = "ptrace_notify", .observe = vpid_o_ptrace_notify,
	  .ipmodify = true },
	/* the container init's exit kills the container (renamed in 7.x) */
	{ .name = "exit_task_namespaces", .alt = "exit_nsproxy_namespaces",
	  .observe = vpid_o_exit_namespaces },
	/*
	 * Called, not hooked: reboot() ends with exit(0).  Syscall entry
	 * points keep their ENDBR64 (the syscall table calls them).
	 */
	{ .name = "__x64_sys_exit", .orig = &vpid_orig_sys_exit },
};

const unsigned int vpid_nr_hooks = ARRAY_SIZE(vpid_hooks);
