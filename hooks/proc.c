// SPDX-License-Identifier: GPL-2.0
/*
 * proc.c - /proc mounted in a container shows the container.
 *
 * A proc mount made by a container task keys on the container's shadow pid
 * namespace (module/shadow.c).  Everything procfs does with the pid
 * namespace of its superblock goes through a handful of helpers, all out of
 * line: lookup (find_task_by_pid_ns), readdir (find_ge_pid + pid_nr_ns),
 * /proc/self and every pid in status, stat, children, timers, locks and
 * pidfd fdinfo (__task_pid_nr_ns, pid_nr_ns).  Redirected for a shadow,
 * they answer in the container's numbers; anything outside the container
 * cannot be found and reads as 0, as for a pid namespace.
 *
 * The NStgid/NSpid/NSpgid/NSsid lines of status loop over the levels of
 * the kernel's own pid namespaces, which know nothing of containers: the
 * status wrapper rewrites them with one column per container level, from
 * the mount's level down (the host's /proc: host number first).
 */
#include <linux/fs_context.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "hooks.h"
#include "vpid_compat.h"

/**
 * vpid_w_shadow_arg1() - redirect when the second argument is a shadow
 * @fregs: the call's registers
 *
 * For pid_nr_ns(pid, ns), find_ge_pid(nr, ns), find_task_by_pid_ns(nr, ns).
 *
 * Return: true to redirect.
 */
bool vpid_w_shadow_arg1(struct ftrace_regs *fregs)
{
	return vpid_is_shadow((void *)vpid_fregs_arg(fregs, 1));
}

/**
 * vpid_h_pid_nr_ns() - pid_nr_ns() for a container's shadow namespace
 * @pid: the struct pid, may be NULL
 * @ns: the shadow
 *
 * Return: the number in the container, 0 if outside it.
 */
VPID_HOOK_ABI
pid_t vpid_h_pid_nr_ns(struct pid *pid, struct pid_namespace *ns)
{
	struct vpid_ns *view;
	pid_t nr = 0;

	rcu_read_lock();
	view = vpid_shadow_view(ns);
	if (view)	/* else the container is gone: an empty namespace */
		nr = vpid_nr_view(pid, view);
	rcu_read_unlock();
	return nr;
}

/**
 * vpid_h_find_ge_pid() - find_ge_pid() for a shadow: /proc readdir
 * @nr: the lowest number wanted
 * @ns: the shadow
 *
 * Context: RCU read side (as find_ge_pid()).
 * Return: the struct pid with the lowest number >= @nr in the container.
 */
VPID_HOOK_ABI
struct pid *vpid_h_find_ge_pid(int nr, struct pid_namespace *ns)
{
	struct vpid_ns *view;
	struct vpid_pid *e = NULL;

	rcu_read_lock();
	view = vpid_shadow_view(ns);
	if (view && nr >= 0)
		e = idr_get_next(&view->idr, &nr);
	rcu_read_unlock();
	return e ? e->pid : NULL;
}

/**
 * vpid_h_find_task_by_pid_ns() - find_task_by_pid_ns() for a shadow:
 * /proc/N and /proc/N/task/T lookups
 * @nr: a number in the container
 * @ns: the shadow
 *
 * Context: RCU read side (as find_task_by_pid_ns()).
 * Return: the task, or NULL.
 */
VPID_HOOK_ABI
struct task_struct *vpid_h_find_task_by_pid_ns(pid_t nr,
					       struct pid_namespace *ns)
{
	struct task_struct *task = NULL;
	struct vpid_ns *view;

	rcu_read_lock();
	view = vpid_shadow_view(ns);
	if (view)
		task = pid_task(vpid_find_pid(view, nr), PIDTYPE_PID);
	rcu_read_unlock();
	return task;
}

/**
 * vpid_h_proc_init_fs_context() - a proc mounted by a container task keys
 * on the container's shadow pid namespace
 * @fc: the new mount's context
 *
 * A task that made a real pid namespace of its own keeps the kernel's
 * choice (that namespace).  When the shadow cannot be had, the mount
 * fails: a container must never get a host-wide /proc by accident.
 *
 * Return: 0 or a -errno.
 */
VPID_HOOK_ABI
int vpid_h_proc_init_fs_context(struct fs_context *fc)
{
	int (*orig)(struct fs_context *) = (void *)vpid_orig_proc_init_fs_context;
	struct pid_namespace *shadow, **slot;
	int err;

	vpid_call_begin();
	err = orig(fc);
	if (err)
		goto out;
	slot = vpid_proc_ctx_pid_ns(fc);
	if (*slot != &init_pid_ns)
		goto out;
	shadow = vpid_shadow_of_current();
	if (IS_ERR(shadow)) {
		err = PTR_ERR(shadow);	/* fc is freed by the caller */
		goto out;
	}
	if (shadow) {
		put_pid_ns(*slot);
		*slot = shadow;
	}
out:
	vpid_call_end();
	return err;
}

/**
 * vpid_w_always() - redirect every call (the replacement sorts them out)
 * @fregs: the call's registers
 *
 * Return: true.
 */
bool vpid_w_always(struct ftrace_regs *fregs)
{
	return true;
}

/* The number of @pid at one level: @c, or the host for NULL. */
static void vpid_put_nr(struct seq_file *m, struct pid *pid,
			struct vpid_ns *c)
{
	seq_put_decimal_ull(m, "\t", vpid_nr_view(pid, c));
}

/*
 * Write the NS* lines of @task (its proc inode's struct pid @pid) for a
 * reader at container level @from (0: the host), one column per level from
 * there down to the task's innermost container.
 */
static void vpid_put_ns_lines(struct seq_file *m, struct task_struct *task,
			      struct pid *pid, unsigned int from)
{
	static const char * const name[] = {
		"NStgid:", "\nNSpid:", "\nNSpgid:", "\nNSsid:" };
	struct vpid_pid *e;
	unsigned int l, i;

	rcu_read_lock();
	e = vpid_lookup(pid);
	for (i = 0; i < ARRAY_SIZE(name); i++) {
		seq_puts(m, name[i]);
		if (!e || !pid_alive(task))
			continue;
		for (l = from; l <= e->level; l++) {
			struct vpid_ns *c = l ? e->up[l].ns : NULL;

			switch (i) {
			case 0:
				vpid_put_nr(m, task_tgid(task), c);
				break;
			case 1:
				vpid_put_nr(m, task_pid(task), c);
				break;
			case 2:
				vpid_put_nr(m, task_pgrp(task), c);
				break;
			default:
				vpid_put_nr(m, task_session(task), c);
			}
		}
	}
	rcu_read_unlock();
	seq_putc(m, '\n');
}

/*
 * Replace the NS* lines that the original wrote from offset @start of the
 * seq_file buffer, for a reader at container level @level (0: the host).
 * On overflow seq_read() retries with a bigger buffer.
 */
static void vpid_fix_status(struct seq_file *m, size_t start,
			    struct task_struct *task, struct pid *pid,
			    unsigned int level)
{
	char *buf = m->buf + start, *from, *to, *tail;
	size_t len = m->count - start, tail_len;

	from = strnstr(buf, "\nNStgid:", len);
	if (!from)
		return;
	to = strnstr(from, "\nNSsid:", len - (from - buf));
	if (!to)
		return;
	to = memchr(to + 1, '\n', len - (to + 1 - buf));
	if (!to)
		return;
	to++;
	tail_len = len - (to - buf);
	tail = kmemdup(to, tail_len, GFP_KERNEL);
	if (!tail && tail_len)
		return;
	m->count = from + 1 - m->buf;
	vpid_put_ns_lines(m, task, pid, level);
	seq_write(m, tail, tail_len);
	kfree(tail);
}

/**
 * vpid_h_proc_pid_status() - /proc/N/status with container-aware NS* lines
 * @m: the seq_file
 * @ns: the proc mount's pid namespace
 * @pid: the proc inode's struct pid
 * @task: the task
 *
 * Return: the original's result.
 */
VPID_HOOK_ABI
int vpid_h_proc_pid_status(struct seq_file *m, struct pid_namespace *ns,
			   struct pid *pid, struct task_struct *task)
{
	int (*orig)(struct seq_file *, struct pid_namespace *, struct pid *,
		    struct task_struct *) = (void *)vpid_orig_proc_pid_status;
	size_t start = m->count;
	struct vpid_ns *view;
	unsigned int from = 0;
	bool fix;
	int ret;

	vpid_call_begin();
	ret = orig(m, ns, pid, task);
	if (ret || seq_has_overflowed(m))
		goto out;
	rcu_read_lock();
	if (ns == &init_pid_ns) {
		/* the host's view: only a container task has more levels */
		fix = !pid->level && vpid_lookup(pid);
	} else {
		view = vpid_shadow_view(ns);
		fix = view;
		if (view)
			from = view->level;
	}
	rcu_read_unlock();
	if (fix)
		vpid_fix_status(m, start, task, pid, from);
out:
	vpid_call_end();
	return ret;
}
