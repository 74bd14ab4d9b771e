/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vpid_compat.h - every kernel-version difference vpid cares about.
 *
 * Each decision below is a compile-time feature test (a macro the kernel
 * headers define, or a -D flag Kbuild derives from grepping the headers),
 * never a LINUX_VERSION_CODE comparison: Debian backports change the
 * interfaces independently of the version number.
 */
#ifndef VPID_COMPAT_H
#define VPID_COMPAT_H

#ifdef __ASSEMBLY__
/*
 * The current task, for the trampolines in assembler
 * (engine/direct_tramp.S): a per-CPU pointer of its own, or the first
 * member of struct pcpu_hot where the kernel has that (Kbuild's probe).
 */
#include <asm/percpu.h>
#ifdef VPID_HAVE_PCPU_HOT
#include <asm/asm-offsets.h>
#define VPID_CURRENT_TASK PER_CPU_VAR(pcpu_hot + X86_current_task)
#else
#define VPID_CURRENT_TASK PER_CPU_VAR(current_task)
#endif

#else /* !__ASSEMBLY__ */

#include <linux/ftrace.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/proc_ns.h>
#include <linux/uaccess.h>
#include <asm/ibt.h>
#include <asm/syscall.h>
#include <asm/unistd.h>

/*
 * ftrace_regs: opaque on later 6.12 builds, a plain struct holding pt_regs
 * on 6.1.  The IP setter was renamed; the argument getter appeared with the
 * opaque layout.
 */
#ifdef ftrace_regs_set_instruction_pointer
#define vpid_fregs_set_ip(fregs, ip) ftrace_regs_set_instruction_pointer(fregs, ip)
#else
#define vpid_fregs_set_ip(fregs, ip) ftrace_instruction_pointer_set(fregs, ip)
#endif

#ifdef ftrace_regs_get_argument
#define vpid_fregs_arg(fregs, n) ftrace_regs_get_argument(fregs, n)
#else
#define vpid_fregs_arg(fregs, n) regs_get_kernel_argument(&(fregs)->regs, n)
#endif

/*
 * The saved argument registers behind ftrace_regs, to rewrite an argument
 * before the traced function runs (the trampoline restores them from here).
 */
#ifdef arch_ftrace_regs
#define vpid_fregs_ptregs(fregs) (&arch_ftrace_regs(fregs)->regs)
#else
#define vpid_fregs_ptregs(fregs) (&(fregs)->regs)
#endif

/*
 * An IPMODIFY ops needs SAVE_REGS only where the arch cannot redirect with
 * the lighter ftrace_regs (x86 can on both kernels: livepatch relies on it).
 */
#ifdef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
#define VPID_FTRACE_REDIRECT_FLAGS FTRACE_OPS_FL_IPMODIFY
#else
#define VPID_FTRACE_REDIRECT_FLAGS (FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_SAVE_REGS)
#endif

/*
 * ftrace direct calls (engine/direct.h): 6.1 names the ops-based interface
 * register_ftrace_direct_multi(); later kernels call it
 * register_ftrace_direct() and give its unregister a free_filters flag
 * (false: the engine keeps the filter for the next registration and frees
 * it at exit).  Kbuild defines VPID_HAVE_FTRACE_DIRECT_MULTI for the former.
 */
#ifndef CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS
#error "vpid needs CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS"
#endif
#ifdef VPID_HAVE_FTRACE_DIRECT_MULTI
#define vpid_ftrace_direct_register(ops, addr) \
	register_ftrace_direct_multi(ops, addr)
#define vpid_ftrace_direct_unregister(ops, addr) \
	unregister_ftrace_direct_multi(ops, addr)
#else
#define vpid_ftrace_direct_register(ops, addr) register_ftrace_direct(ops, addr)
#define vpid_ftrace_direct_unregister(ops, addr) \
	unregister_ftrace_direct(ops, addr, false)
#endif

/*
 * The CLONE_NEW* type of an nsfs namespace: 7.x keeps it in struct
 * ns_common (Kbuild defines VPID_HAVE_NS_TYPE), earlier kernels only in
 * its proc_ns_operations.
 */
static inline int vpid_ns_type(const struct ns_common *ns)
{
#ifdef VPID_HAVE_NS_TYPE
	return ns->ns_type;
#else
	return ns->ops->type;
#endif
}

/*
 * A module's core text: 6.4+ keeps each kind of memory in mod->mem[]
 * (Kbuild defines VPID_HAVE_MODULE_MEM when the headers have MOD_TEXT),
 * earlier kernels lay text out first in core_layout.
 */
static inline void vpid_module_text(const struct module *mod,
				    unsigned long *start, unsigned long *len)
{
#ifdef VPID_HAVE_MODULE_MEM
	*start = (unsigned long)mod->mem[MOD_TEXT].base;
	*len = mod->mem[MOD_TEXT].size;
#else
	*start = (unsigned long)mod->core_layout.base;
	*len = mod->core_layout.text_size;
#endif
}

/*
 * Indirect Branch Tracking (Debian 6.12: CONFIG_X86_KERNEL_IBT=y).  Later
 * kernels split is_endbr() into __is_endbr(u32) and is_endbr(u32 *); Kbuild
 * defines VPID_HAVE___IS_ENDBR when the headers carry the former.
 */
#if defined(CONFIG_X86_KERNEL_IBT)
#define VPID_IBT 1
#ifdef VPID_HAVE___IS_ENDBR
#define vpid_insn_is_endbr(insn) __is_endbr(insn)
#else
#define vpid_insn_is_endbr(insn) is_endbr(insn)
#endif
#else
#define VPID_IBT 0
#define vpid_insn_is_endbr(insn) false
#endif
#define VPID_ENDBR_SIZE 4

/*
 * pid_max: one global on 6.1 and 6.12, shared by every pid namespace.
 * Later kernels keep one per pid namespace (struct pid_namespace.pid_max),
 * a new namespace starting at PID_MAX_LIMIT; Kbuild defines
 * VPID_HAVE_PIDNS_PID_MAX when the headers have that field.  A container
 * numbers its tasks below what a native namespace made there would have.
 */
#ifdef VPID_HAVE_PIDNS_PID_MAX
#define VPID_PID_MAX_PER_NS 1
#else
#define VPID_PID_MAX_PER_NS 0
#endif

/*
 * nsfs NS_GET_{PID,TGID}_{FROM,IN}_PIDNS (6.11+): pids translated between
 * the caller's pid namespace and an nsfs file's (hooks/pidns.c).
 */
#include <uapi/linux/nsfs.h>
#ifdef NS_GET_PID_FROM_PIDNS
#define VPID_HAVE_NSFS_PID_IOCTLS 1
#else
#define VPID_HAVE_NSFS_PID_IOCTLS 0
#endif
/*
 * nsfs NS_MNT_GET_NEXT/PREV (6.12+): the machine's mount namespaces, which
 * the kernel (since a 2026 stable fix) lists only to a task of the initial
 * pid namespace.
 */
#ifdef NS_MNT_GET_NEXT
#define VPID_HAVE_NSFS_MNT_ITER 1
#else
#define VPID_HAVE_NSFS_MNT_ITER 0
#endif

/*
 * PIDFD_GET_INFO (later kernels: an ioctl on a pidfd that reports the
 * task's pid, tgid and ppid in the caller's numbers).  On those kernels a
 * pidfd is a pidfs file whose inode holds the struct pid.
 */
#include <uapi/linux/pidfd.h>
#ifdef PIDFD_GET_INFO
#define VPID_HAVE_PIDFD_GET_INFO 1
#else
#define VPID_HAVE_PIDFD_GET_INFO 0
#endif

/*
 * PIDFD_GET_PID_NAMESPACE and PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE (6.11+:
 * an ioctl on a pidfd that opens one of its task's namespaces).  Every
 * kernel with an ioctl on pidfds makes them pidfs files whose inode holds
 * the struct pid.
 */
#ifdef PIDFD_GET_PID_NAMESPACE
#define VPID_HAVE_PIDFD_NS 1
#else
#define VPID_HAVE_PIDFD_NS 0
#endif
#if VPID_HAVE_PIDFD_NS || VPID_HAVE_PIDFD_GET_INFO
#define VPID_HAVE_PIDFD_IOCTL 1
#else
#define VPID_HAVE_PIDFD_IOCTL 0
#endif

/*
 * The struct pid of a pidfd: a pidfs file (6.9+, Kbuild's VPID_HAVE_PIDFS)
 * keeps it in its inode, an anonymous-inode pidfd in the file.
 */
#ifdef VPID_HAVE_PIDFS
#define vpid_pidfd_file_pid(file) ((struct pid *)file_inode(file)->i_private)
#else
#define vpid_pidfd_file_pid(file) ((struct pid *)(file)->private_data)
#endif

/*
 * idr_preload_end() is a local_unlock(): on PREEMPT_RT a spin_unlock() that
 * sparse counts as a release where the RT spinlock functions are annotated
 * (Kbuild's VPID_HAVE_RT_SPIN_RELEASES: 6.12-rt, not 6.1-rt), while the
 * matching lock hides in the out-of-line idr_preload().  Tell sparse about
 * that acquire.
 */
#if defined(CONFIG_PREEMPT_RT) && defined(VPID_HAVE_RT_SPIN_RELEASES)
static inline void vpid_idr_preload(gfp_t gfp)
	__acquires(&radix_tree_preloads.lock)
{
	idr_preload(gfp);
	__acquire(&radix_tree_preloads.lock);
}
#else
#define vpid_idr_preload(gfp) idr_preload(gfp)
#endif

/*
 * A POSIX lock's owner and flags: struct file_lock_core on later kernels
 * (6.9+: Kbuild's VPID_HAVE_FILE_LOCK_CORE), struct file_lock in fs.h on
 * 6.1.  locks_translate_pid() takes the one that holds them.
 */
#ifdef VPID_HAVE_FILE_LOCK_CORE
#include <linux/filelock.h>
#define vpid_file_lock file_lock_core	/* struct vpid_file_lock */
#define vpid_file_lock_pid(fl) ((fl)->flc_pid)
#define vpid_file_lock_flags(fl) ((fl)->flc_flags)
#else
#include <linux/fs.h>
#define vpid_file_lock file_lock
#define vpid_file_lock_pid(fl) ((fl)->fl_pid)
#define vpid_file_lock_flags(fl) ((fl)->fl_flags)
#endif

/*
 * ipc/util.c keeps the pid namespace a /proc/sysvipc file numbers in, the
 * opener's, second in its private struct ipc_proc_iter (6.1 to 7.3 alike).
 */
#define vpid_ipc_iter_pid_ns(file) \
	(&((struct pid_namespace **)((struct seq_file *)(file)->private_data)->private)[1])

/*
 * fs/proc/root.c keeps the mount's pid namespace as the first member of
 * its private struct proc_fs_context (6.1 and 6.12 alike).
 */
#define vpid_proc_ctx_pid_ns(fc) ((struct pid_namespace **)(fc)->fs_private)

/*
 * Syscall entry points (__x64_sys_NAME, __ia32_sys_NAME) take the caller's
 * user registers.  The only place that knows which register holds which
 * argument, for both ABIs, and that builds registers to call an entry:
 * every hook and core function goes through these.
 */
#define VPID_SC_ARGS 6

static inline unsigned long *vpid_sc_argp(struct pt_regs *regs, bool ia32,
					  unsigned int n)
{
	unsigned long *const x64[VPID_SC_ARGS] = {
		&regs->di, &regs->si, &regs->dx, &regs->r10, &regs->r8,
		&regs->r9,
	};
	unsigned long *const i32[VPID_SC_ARGS] = {
		&regs->bx, &regs->cx, &regs->dx, &regs->si, &regs->di,
		&regs->bp,
	};

	return ia32 ? i32[n] : x64[n];
}

/* Argument @n; an ia32 caller's upper register halves are not its own. */
static inline unsigned long vpid_sc_arg(const struct pt_regs *regs, bool ia32,
					unsigned int n)
{
	unsigned long v = *vpid_sc_argp((struct pt_regs *)regs, ia32, n);

	return ia32 ? (u32)v : v;
}

/*
 * Is the current task, in task context, inside syscall @nr64 (x86-64 entry)
 * or @nr32 (ia32 entry)?  For a hook of a function many paths reach, to
 * act on the calls one syscall makes.
 */
static inline bool vpid_in_syscall(int nr64, int nr32)
{
	long nr;

	if (!in_task() || (current->flags & PF_KTHREAD))
		return false;
	nr = syscall_get_nr(current, task_pt_regs(current));
	if (in_ia32_syscall())
		return nr == nr32;
	return (nr & ~__X32_SYSCALL_BIT) == nr64;
}

typedef long (*vpid_sc_entry_t)(const struct pt_regs *regs);

/* Call the entry at @entry (checked with vpid_callable()) with @regs. */
static inline long vpid_sc_call(unsigned long entry,
				const struct pt_regs *regs)
{
	return ((vpid_sc_entry_t)entry)(regs);
}

/* Call an x86-64 entry with up to four arguments, the rest 0. */
static inline long vpid_sc_call4(unsigned long entry, unsigned long a0,
				 unsigned long a1, unsigned long a2,
				 unsigned long a3)
{
	struct pt_regs regs = {};

	*vpid_sc_argp(&regs, false, 0) = a0;
	*vpid_sc_argp(&regs, false, 1) = a1;
	*vpid_sc_argp(&regs, false, 2) = a2;
	*vpid_sc_argp(&regs, false, 3) = a3;
	return vpid_sc_call(entry, &regs);
}

#endif /* __ASSEMBLY__ */
#endif /* VPID_COMPAT_H */
