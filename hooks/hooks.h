/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hooks.h - the ftrace hook framework and the hooks it installs.
 */
#ifndef VPID_HOOKS_H
#define VPID_HOOKS_H

#include <linux/ftrace.h>
#include <linux/percpu.h>
#include "vpid.h"

/*
 * A replacement runs where the kernel called the original.  Replacements
 * preserve every register but the return value, so no caller can be
 * surprised by a clobber the original would not have made.  (gcc turns
 * IPA-RA off for -pg code, so kernel callers should not rely on that; this
 * is a safety margin costing ~18 instructions a call, a candidate to drop.)
 */
#define VPID_HOOK_ABI __no_caller_saved_registers

/**
 * struct vpid_hook - one kernel function vpid hooks
 * @name: the kernel symbol
 * @alt: another name the same function has on other kernels (a rename with
 *	the same signature and call site), tried when @name is not found
 * @redirect: replacement run instead of it for container tasks, or NULL
 * @observe: called at its entry for every caller, or NULL; with @ipmodify
 *	it may rewrite arguments or divert the call (vpid_fregs_set_ip())
 * @ipmodify: @observe may modify registers
 * @want: with @redirect, whether to redirect this call; NULL means "the
 *	current task is in a container"
 * @orig: where to store the target's address, for replacements that call
 *	the original (checked for ENDBR64 on IBT kernels)
 * @addr: resolved address
 * @ops: the ftrace_ops of this hook alone
 *
 * At most one of @redirect and @observe is set; with neither, the symbol is
 * only resolved, for vpid to call it through @orig.
 */
struct vpid_hook {
	const char *name;
	const char *alt;
	void *redirect;
	void (*observe)(struct ftrace_regs *fregs);
	bool (*want)(struct ftrace_regs *fregs);
	bool ipmodify;
	unsigned long *orig;
	unsigned long addr;
	struct ftrace_ops ops;
};

extern struct vpid_hook vpid_hooks[];
extern const unsigned int vpid_nr_hooks;

/**
 * vpid_in_container() - is the current task in a container
 *
 * Return: true when it is.
 */
static inline bool vpid_in_container(void)
{
	bool in;

	rcu_read_lock();
	in = vpid_current_ns();
	rcu_read_unlock();
	return in;
}

/*
 * A replacement that calls into the kernel may sleep there (alloc_pid(),
 * pidfd_open(), free_pid() on PREEMPT_RT) and come back to module text
 * after its hook is gone: it counts itself, and the removal of the hooks
 * waits for the count to drop (ftrace_hook.c).
 */
DECLARE_PER_CPU(long, vpid_calls);

static inline void vpid_call_begin(void)
{
	this_cpu_inc(vpid_calls);
}

static inline void vpid_call_end(void)
{
	this_cpu_dec(vpid_calls);
}

/* hooks/pid_helpers.c: the caller's-view helpers */
VPID_HOOK_ABI
pid_t vpid_h_task_pid_nr_ns(struct task_struct *task, enum pid_type type,
			    struct pid_namespace *ns);
bool vpid_w_task_pid_nr_ns(struct ftrace_regs *fregs);
VPID_HOOK_ABI
pid_t vpid_h_pid_vnr(struct pid *pid);
VPID_HOOK_ABI
struct pid *vpid_h_find_vpid(int nr);
VPID_HOOK_ABI
struct pid *vpid_h_find_get_pid(pid_t nr);
VPID_HOOK_ABI
struct task_struct *vpid_h_find_task_by_vpid(pid_t nr);
VPID_HOOK_ABI
struct task_struct *vpid_h_find_get_task_by_vpid(pid_t nr);

/* hooks/pidfd.c: pidfd_open's inlined lookup */
extern unsigned long vpid_orig_pidfd_open;
extern unsigned long vpid_orig_ia32_pidfd_open;
VPID_HOOK_ABI
long vpid_h_sys_pidfd_open(const struct pt_regs *regs);
extern unsigned long vpid_orig_pidfd_ioctl;
long vpid_h_pidfd_ioctl(struct file *file, unsigned int cmd,
			unsigned long arg);
VPID_HOOK_ABI
long vpid_h_ia32_pidfd_open(const struct pt_regs *regs);
bool vpid_w_find_get_pid(struct ftrace_regs *fregs);

/* hooks/reboot.c: reboot() ends the container */
extern unsigned long vpid_orig_sys_exit;
VPID_HOOK_ABI
long vpid_h_sys_reboot(const struct pt_regs *regs);
VPID_HOOK_ABI
long vpid_h_ia32_reboot(const struct pt_regs *regs);

/* hooks/signal.c: the signal funnel */
void vpid_o_send_signal(struct ftrace_regs *fregs);

/* hooks/prctl.c: a container init's subreaper flag */
extern unsigned long vpid_orig_sys_prctl;
extern unsigned long vpid_orig_ia32_prctl;
bool vpid_w_sys_prctl(struct ftrace_regs *fregs);
bool vpid_w_ia32_prctl(struct ftrace_regs *fregs);
VPID_HOOK_ABI
long vpid_h_sys_prctl(const struct pt_regs *regs);
VPID_HOOK_ABI
long vpid_h_ia32_prctl(const struct pt_regs *regs);

/* hooks/ptrace.c: ptrace event messages */
void vpid_o_ptrace_notify(struct ftrace_regs *fregs);

/* hooks/exit.c: the container init's exit */
extern unsigned long vpid_orig_sys_wait4;
void vpid_o_exit_namespaces(struct ftrace_regs *fregs);
void vpid_o_kernel_clone(struct ftrace_regs *fregs);

/* hooks/fork.c: task creation and release */
extern unsigned long vpid_orig_alloc_pid;
extern unsigned long vpid_orig_free_pid;
VPID_HOOK_ABI
struct pid *vpid_h_alloc_pid(struct pid_namespace *ns, pid_t *set_tid,
			     size_t set_tid_size);
bool vpid_w_alloc_pid(struct ftrace_regs *fregs);
bool vpid_w_free_pid(struct ftrace_regs *fregs);
VPID_HOOK_ABI
void vpid_h_free_pid(struct pid *pid);

/* hooks/proc.c: a container's /proc */
extern unsigned long vpid_orig_proc_init_fs_context;
extern unsigned long vpid_orig_proc_parse_param;
extern unsigned long vpid_orig_proc_pid_status;
extern unsigned long vpid_orig_pidfd_show_fdinfo;
bool vpid_w_shadow_arg1(struct ftrace_regs *fregs);
bool vpid_w_always(struct ftrace_regs *fregs);
VPID_HOOK_ABI
pid_t vpid_h_pid_nr_ns(struct pid *pid, struct pid_namespace *ns);
VPID_HOOK_ABI
struct pid *vpid_h_find_ge_pid(int nr, struct pid_namespace *ns);
VPID_HOOK_ABI
struct task_struct *vpid_h_find_task_by_pid_ns(pid_t nr,
					       struct pid_namespace *ns);
struct fs_context;
struct fs_parameter;
VPID_HOOK_ABI
int vpid_h_proc_init_fs_context(struct fs_context *fc);
struct ctl_table_root;
struct ctl_table_set *vpid_h_pid_table_root_lookup(struct ctl_table_root *root);
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
