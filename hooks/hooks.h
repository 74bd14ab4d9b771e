/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hooks.h - the hooks: what each file of hooks/ offers the table
 * (hooks/table.c), and how to add one.  The engine that installs them is
 * engine/; what they translate with is core/ (vpid.h).
 */
#ifndef VPID_HOOKS_H
#define VPID_HOOKS_H

#include <linux/ftrace.h>
#include "direct.h"
#include "engine.h"
#include "vpid.h"
#include "vpid_compat.h"

/*
 * How to add a hook
 * =================
 * 1. Find the narrowest kernel function where the pid crosses: a helper
 *    every path shares (pid_vnr) beats a syscall entry; a static function
 *    can be hooked when ftrace lists it (available_filter_functions) but
 *    never called (no ENDBR64 on IBT kernels).  Check it on every kernel
 *    of tests/vm/kernels.conf; a rename gets .alt, a signature change a
 *    probe in Kbuild and include/vpid_compat.h.
 * 2. Write it in the hooks/ file of its subject, with kernel-doc, named by
 *    what it is:
 *	vpid_h_NAME()	the replacement ("handler"), run instead of NAME for
 *			the calls its want says; same signature, VPID_HOOK_ABI
 *	vpid_w_NAME()	the "want" filter: the ftrace callback asks it, with
 *			preemption off, whether to redirect this call; cheap,
 *			no sleeping lock (vpid_w_in_container for "the caller
 *			is in a container")
 *	vpid_df_NAME(), vpid_dw_NAME()
 *			instead of vpid_w_NAME() for a helper called on every
 *			getpid()-like path: a direct hook (DIRECT() in the
 *			table, a VPID_DIRECT line in hooks/direct.S).  The
 *			quick filter is a leaf (VPID_DIRECT_QUICK) answering
 *			"surely not" for a host task in a dozen instructions;
 *			the full one decides (engine/direct.h)
 *	vpid_df_NAME(), vpid_dr_NAME()
 *			the same for a helper of at most three arguments whose
 *			answer the filter can give itself (DIRECT_RESULT(), a
 *			VPID_DIRECT_RESULT line): vpid_dr_NAME() takes the
 *			helper's own arguments and returns a struct vpid_dres
 *	vpid_o_NAME()	an observer: runs at NAME's entry for every caller,
 *			may rewrite arguments (.ipmodify), never sleeps
 *	vpid_orig_NAME	the original's address, for a replacement that
 *			calls it (set from .orig, checked for ENDBR64)
 * 3. Add ONE line to the table (hooks/table.c): REDIRECT() for a helper,
 *    SYSCALL_PAIR() for a syscall's x86-64 and ia32 entries (and
 *    VPID_SYSCALL_PAIR() here to define both replacements from one
 *    function), an .observe entry otherwise.  The table's order is the
 *    install order.
 * 4. A replacement that calls the original (or any kernel function that
 *    may sleep and return into module text) brackets the call with
 *    vpid_call_begin()/vpid_call_end(), so the unload waits for it, and
 *    never tail-calls it (Kbuild: -fno-optimize-sibling-calls), so the
 *    callback's within_module() test lets the original run.  Call only
 *    originals resolved through .orig or vpid_ksym() + vpid_callable().
 * 5. Syscall registers only through vpid_sc_arg()/vpid_sc_argp()/
 *    vpid_sc_call() (include/vpid_compat.h).
 * 6. Test it side by side with a native pid namespace (tests/guest), on
 *    every kernel of make check; t90 lists the hooked names.
 */

/**
 * vpid_in_container() - is the current task in a container
 *
 * Every filter asks this, for every call of a hooked helper by any task:
 * the read side is RCU-sched (preemption off, a few instructions), which
 * call_rcu() and kfree_rcu(), what frees records and containers, wait for
 * as they wait for rcu_read_lock().
 *
 * Return: true when it is.
 */
static inline bool vpid_in_container(void)
{
	bool in;

	rcu_read_lock_sched_notrace();
	in = vpid_current_container();
	rcu_read_unlock_sched_notrace();
	return in;
}

bool vpid_w_in_container(struct ftrace_regs *fregs);

/**
 * vpid_sc_call_shadowed() - a syscall entry, called for a container task
 * once its container's shadow pid namespace exists, held for the call
 * @entry: the syscall entry (a VPID_SYSCALL_PAIR's original)
 * @regs: the call's registers
 *
 * For a syscall that keeps the caller's namespace where a hook may only
 * swap in the shadow, not make it (perf_event_open(), acct()).
 *
 * Context: process context, may sleep (the shadow is made on first use).
 * Return: the syscall's, or the error of making the shadow.
 */
static inline long vpid_sc_call_shadowed(unsigned long entry,
					 const struct pt_regs *regs)
{
	struct pid_namespace *shadow = vpid_shadow_of_current();
	long ret;

	if (IS_ERR(shadow))
		return PTR_ERR(shadow);
	vpid_call_begin();
	ret = vpid_sc_call(entry, regs);
	vpid_call_end();
	if (shadow)
		put_pid_ns(shadow);
	return ret;
}

/**
 * vpid_ns_shadow_view() - the container whose shadow an nsfs namespace is
 * @ns: any nsfs namespace (a /proc/PID/ns file's)
 *
 * Context: RCU read side.
 * Return: the container, or NULL when @ns is no live container's shadow.
 */
static inline struct vpid_container *vpid_ns_shadow_view(struct ns_common *ns)
{
	if (vpid_ns_type(ns) != CLONE_NEWPID)
		return NULL;
	return vpid_shadow_view(vpid_to_pid_ns(ns));
}

/*
 * Both entries of a syscall (x86-64 and ia32) are hooked as a pair, from
 * one function the hook's file defines for both ABIs:
 *	static long vpid_NAME(const struct pt_regs *regs, bool ia32);
 * VPID_SYSCALL_PAIR(NAME) defines vpid_h_sys_NAME() and vpid_h_ia32_NAME()
 * calling it; with a filter of its own,
 *	static bool vpid_want_NAME(const struct pt_regs *regs, bool ia32);
 * VPID_SYSCALL_WANT_PAIR(NAME) defines vpid_w_sys_NAME() and
 * vpid_w_ia32_NAME().  vpid_orig_NAME[ia32] holds each original
 * (hooks/table.c: SYSCALL_X64(), SYSCALL_IA32()).
 */
#define VPID_DECLARE_SYSCALL_PAIR(name)					\
	extern unsigned long vpid_orig_##name[2];			\
	VPID_HOOK_ABI long vpid_h_sys_##name(const struct pt_regs *regs); \
	VPID_HOOK_ABI long vpid_h_ia32_##name(const struct pt_regs *regs)

#define VPID_SYSCALL_PAIR(name)						\
VPID_HOOK_ABI long vpid_h_sys_##name(const struct pt_regs *regs)	\
{									\
	return vpid_##name(regs, false);				\
}									\
VPID_HOOK_ABI long vpid_h_ia32_##name(const struct pt_regs *regs)	\
{									\
	return vpid_##name(regs, true);					\
}

#define VPID_DECLARE_SYSCALL_WANT_PAIR(name)				\
	bool vpid_w_sys_##name(struct ftrace_regs *fregs);		\
	bool vpid_w_ia32_##name(struct ftrace_regs *fregs)

#define VPID_SYSCALL_WANT_PAIR(name)					\
bool vpid_w_sys_##name(struct ftrace_regs *fregs)			\
{									\
	return vpid_want_##name((void *)vpid_fregs_arg(fregs, 0), false); \
}									\
bool vpid_w_ia32_##name(struct ftrace_regs *fregs)			\
{									\
	return vpid_want_##name((void *)vpid_fregs_arg(fregs, 0), true); \
}

extern struct vpid_hook vpid_hooks[];
extern const unsigned int vpid_nr_hooks;

/* hooks/pidfd.c */
bool vpid_in_raw_call(void);

/* hooks/pid_helpers.c: the caller's-view helpers */
pid_t vpid_h_task_pid_nr_ns(struct task_struct *task, enum pid_type type,
			    struct pid_namespace *ns);

/*
 * The direct hooks (hooks/direct.S, engine/direct.h): the trampolines, and
 * their filters (pid_helpers.c, pidfd.c, proc.c), called wherever the
 * helper is called (process context, preemptible, or IRQ and NMI).
 * vpid_df_NAME() is the quick one, vpid_dw_NAME() the full one, or
 * vpid_dr_NAME() the full one that answers the call itself.
 *
 * vpid_quick_in_container(): the current task may be in a container.  The
 * hooks that ask only that have it in line in their trampolines instead
 * (VPID_QUICK_INLINE in hooks/direct.S, its copy: change both together),
 * and no vpid_df_NAME().
 */
static __always_inline bool vpid_quick_in_container(void)
{
	return vpid_pid_may_have_record(READ_ONCE(current->thread_pid));
}

void vpid_dt_task_pid_nr_ns(void);
void vpid_dt_pid_vnr(void);
void vpid_dt_find_vpid(void);
void vpid_dt_find_get_pid(void);
void vpid_dt_find_task_by_vpid(void);
void vpid_dt_find_get_task_by_vpid(void);
void vpid_dt_pid_nr_ns(void);
void vpid_dt_find_ge_pid(void);
void vpid_dt_find_task_by_pid_ns(void);
void vpid_dt_find_pid_ns(void);
VPID_DIRECT_QUICK
bool vpid_df_task_pid_nr_ns(void *task, long type, struct pid_namespace *ns);
VPID_DIRECT_QUICK bool vpid_df_pid_nr_ns(long a0, struct pid_namespace *ns);
VPID_DIRECT_QUICK bool vpid_df_find_ge_pid(long a0, struct pid_namespace *ns);
VPID_DIRECT_QUICK
bool vpid_df_find_task_by_pid_ns(long a0, struct pid_namespace *ns);
VPID_DIRECT_QUICK bool vpid_df_find_pid_ns(long a0, struct pid_namespace *ns);
struct vpid_dres vpid_dr_task_pid_nr_ns(struct task_struct *task,
					enum pid_type type,
					struct pid_namespace *ns);
struct vpid_dres vpid_dr_pid_vnr(struct pid *pid);
struct vpid_dres vpid_dr_find_vpid(int nr);
struct vpid_dres vpid_dr_find_get_pid(int nr);
struct vpid_dres vpid_dr_find_task_by_vpid(int nr);
struct vpid_dres vpid_dr_find_get_task_by_vpid(int nr);
struct vpid_dres vpid_dr_pid_nr_ns(struct pid *pid, struct pid_namespace *ns);
struct vpid_dres vpid_dr_find_ge_pid(int nr, struct pid_namespace *ns);
struct vpid_dres vpid_dr_find_task_by_pid_ns(int nr, struct pid_namespace *ns);
struct vpid_dres vpid_dr_find_pid_ns(int nr, struct pid_namespace *ns);

/* hooks/pidfd.c: pidfd_open's inlined lookup */
VPID_DECLARE_SYSCALL_PAIR(pidfd_open);
extern unsigned long vpid_orig_pidfd_ioctl;
bool vpid_w_pidfd_ioctl(struct ftrace_regs *fregs);
VPID_HOOK_ABI
long vpid_h_pidfd_ioctl(struct file *file, unsigned int cmd,
			unsigned long arg);

/* hooks/perf.c: perf events number in the container's view */
VPID_DECLARE_SYSCALL_PAIR(perf_event_open);
void vpid_o_security_perf_event_alloc(struct ftrace_regs *fregs);

/* hooks/pidfd.c: pidfd_send_signal() to a task outside (direct hooks) */
bool vpid_dw_kill_pid_info(const struct vpid_dregs *r);
bool vpid_dw_kill_pgrp_info(const struct vpid_dregs *r);
int vpid_h_kill_pid_info(void);
int vpid_h_kill_pgrp_info(void);
void vpid_dt_kill_pid_info(void);
void vpid_dt_kill_pgrp_info(void);

/* hooks/pidns.c: ns_last_pid, nsfs */
struct ctl_table;
VPID_HOOK_ABI bool vpid_h_may_see_all_namespaces(void);
VPID_HOOK_ABI
int vpid_h_pid_ns_ctl_handler(struct ctl_table *table, int write,
			      void *buffer, size_t *lenp, loff_t *ppos);
#if VPID_HAVE_NSFS_PID_IOCTLS
bool vpid_w_ns_ioctl(struct ftrace_regs *fregs);
VPID_HOOK_ABI
long vpid_h_ns_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
#endif

/* hooks/nsid.c: a container task's pid namespace in nsfs: its shadow */
extern unsigned long vpid_orig_pidns_get;
extern unsigned long vpid_orig_pidns_for_children_get;
extern unsigned long vpid_orig_pidns_install;
extern unsigned long vpid_orig_pidns_get_parent;
struct ns_common;
struct nsset;
bool vpid_w_nsid_task(struct ftrace_regs *fregs);
bool vpid_w_pidns_install(struct ftrace_regs *fregs);
bool vpid_w_pidns_get_parent(struct ftrace_regs *fregs);
VPID_HOOK_ABI struct ns_common *vpid_h_pidns_get(struct task_struct *task);
VPID_HOOK_ABI
struct ns_common *vpid_h_pidns_for_children_get(struct task_struct *task);
VPID_HOOK_ABI
int vpid_h_pidns_install(struct nsset *nsset, struct ns_common *ns);
VPID_HOOK_ABI struct ns_common *vpid_h_pidns_get_parent(struct ns_common *ns);
long vpid_nsid_pidfd(struct file *file, unsigned int cmd, long fd);

/* hooks/locks.c: fcntl(F_GETLK)'s owner */
bool vpid_w_locks_translate_pid(struct ftrace_regs *fregs);
VPID_HOOK_ABI
pid_t vpid_h_locks_translate_pid(struct vpid_file_lock *fl,
				 struct pid_namespace *ns);

/* hooks/netlink.c: the proc connector, audit, taskstats */
extern unsigned long vpid_orig_taskstats_user_cmd;
VPID_HOOK_ABI
void vpid_h_cn_proc_mcast_ctl(void *msg, void *nsp);
bool vpid_w_audit_receive_msg(struct ftrace_regs *fregs);
VPID_HOOK_ABI
int vpid_h_audit_receive_msg(void);
struct sk_buff;
struct genl_info;
VPID_HOOK_ABI
int vpid_h_taskstats_user_cmd(struct sk_buff *skb, struct genl_info *info);
void vpid_o_bacct_add_tsk(struct ftrace_regs *fregs);

/* hooks/ipc.c: /proc/sysvipc, /proc/loadavg */
extern unsigned long vpid_orig_sysvipc_proc_open;
extern unsigned long vpid_orig_loadavg_proc_show;
struct inode;
VPID_HOOK_ABI
int vpid_h_sysvipc_proc_open(struct inode *inode, struct file *file);
VPID_HOOK_ABI
int vpid_h_loadavg_proc_show(struct seq_file *m, void *v);

/* hooks/reboot.c: reboot() ends the container */
extern unsigned long vpid_orig_sys_exit;
VPID_DECLARE_SYSCALL_PAIR(reboot);

/* hooks/acct.c: acct() with the container's shadow made */
extern unsigned long vpid_orig_acct[2];
VPID_DECLARE_SYSCALL_PAIR(acct);

/* hooks/activens.c: FUSE and accounting keep the container's shadow */
int vpid_activens_init(void);
void vpid_dt_task_active_pid_ns(void);
VPID_DIRECT_QUICK bool vpid_df_task_active_pid_ns(void *tsk);
bool vpid_dw_task_active_pid_ns(const struct vpid_dregs *r);
VPID_HOOK_ABI
struct pid_namespace *vpid_h_task_active_pid_ns(struct task_struct *tsk);

/* hooks/setns.c: no joining a pid namespace above or beside one's own */
VPID_DECLARE_SYSCALL_PAIR(setns);

/* hooks/signal.c: the signal funnel */
VPID_HOOK_ABI int vpid_h_send_signal(void);
VPID_DIRECT_QUICK
bool vpid_df_send_signal(long sig, void *info, struct task_struct *t);
bool vpid_dw_send_signal(struct vpid_dregs *r);
void vpid_dt_send_signal(void);

/* hooks/prctl.c: a container init's subreaper flag */
VPID_DECLARE_SYSCALL_PAIR(prctl);
VPID_DECLARE_SYSCALL_WANT_PAIR(prctl);

/* hooks/ptrace.c: ptrace event messages */
void vpid_o_ptrace_notify(struct ftrace_regs *fregs);

/* hooks/exit.c: the container init's exit */
void vpid_o_exit_namespaces(struct ftrace_regs *fregs);

/* hooks/fork.c: task creation and release */
extern unsigned long vpid_orig_alloc_pid;
extern unsigned long vpid_orig_free_pid;
VPID_HOOK_ABI
struct pid *vpid_h_alloc_pid(struct pid_namespace *ns, pid_t *set_tid,
			     size_t set_tid_size);
bool vpid_w_alloc_pid(struct ftrace_regs *fregs);
bool vpid_w_free_pid(struct ftrace_regs *fregs);
void vpid_o_kernel_clone(struct ftrace_regs *fregs);
void vpid_o_unshare_nsproxy(struct ftrace_regs *fregs);
VPID_HOOK_ABI
void vpid_h_free_pid(struct pid *pid);

/* hooks/proc.c: a container's /proc */
extern unsigned long vpid_orig_proc_init_fs_context;
extern unsigned long vpid_orig_proc_parse_param;
extern unsigned long vpid_orig_proc_pid_status;
extern unsigned long vpid_orig_pidfd_show_fdinfo;
bool vpid_w_always(struct ftrace_regs *fregs);
struct fs_context;
struct fs_parameter;
VPID_HOOK_ABI
int vpid_h_proc_init_fs_context(struct fs_context *fc);
struct ctl_table_root;
VPID_HOOK_ABI
struct ctl_table_set *vpid_h_pid_table_root_lookup(struct ctl_table_root *root);
VPID_HOOK_ABI
int vpid_h_proc_parse_param(struct fs_context *fc,
			    struct fs_parameter *param);
struct seq_file;
VPID_HOOK_ABI
int vpid_h_proc_pid_status(struct seq_file *m, struct pid_namespace *ns,
			   struct pid *pid, struct task_struct *task);
struct file;
VPID_HOOK_ABI
void vpid_h_pidfd_show_fdinfo(struct seq_file *m, struct file *f);

#endif /* VPID_HOOKS_H */
