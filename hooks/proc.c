// SPDX-License-Identifier: GPL-2.0
/*
 * proc.c - /proc mounted in a container shows the container.
 *
 * A proc mount made by a container task keys on the container's shadow pid
 * namespace (core/shadow.c).  Everything procfs does with the pid
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
#include <linux/proc_fs.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "hooks.h"
#include "vpid_compat.h"

/* pid_nr_ns() for a container's shadow namespace: its number there. */
static pid_t vpid_pid_nr_ns_in(struct pid *pid, struct vpid_container *view)
{
	return vpid_nr_view(pid, view);
}

/*
 * find_ge_pid() for a shadow, /proc readdir: the struct pid with the
 * lowest number >= @nr in the container.
 */
static struct pid *vpid_find_ge_pid_in(int nr, struct vpid_container *view)
{
	struct vpid_pid *e = NULL;

	if (nr >= 0)
		e = idr_get_next(&view->idr, &nr);
	return e ? e->pid : NULL;
}

/* find_task_by_pid_ns() for a shadow: /proc/N and /proc/N/task/T. */
static struct task_struct *vpid_find_task_by_pid_ns_in(int nr,
						       struct vpid_container *view)
{
	return pid_task(vpid_find_pid(view, nr), PIDTYPE_PID);
}

/*
 * find_pid_ns() for a shadow: a FUSE connection's (hooks/activens.c), for
 * the lock owner a daemon in the container names.
 */
static struct pid *vpid_find_pid_ns_in(int nr, struct vpid_container *view)
{
	return vpid_find_pid(view, nr);
}

/*
 * pid_nr_ns(pid, ns), find_ge_pid(nr, ns), find_task_by_pid_ns(nr, ns),
 * find_pid_ns(nr, ns):
 * answered in the trampoline when the second argument is a live
 * container's shadow, by vpid_NAME_in(first argument, that container),
 * under RCU-sched as every direct filter.  A shadow whose container is
 * gone is an empty pid namespace: the kernel's functions find nothing
 * there.  The callers hold the RCU read side: the answers stay valid.
 */
#define VPID_DIRECT_SHADOW_ARG1(name, type0)				\
notrace VPID_DIRECT_QUICK bool vpid_df_##name(long a0, struct pid_namespace *ns) \
{									\
	return vpid_may_be_shadow(ns);					\
}									\
notrace struct vpid_dres vpid_dr_##name(type0 a0, struct pid_namespace *ns) \
{									\
	struct vpid_dres res = { };					\
	struct vpid_container *view;					\
									\
	rcu_read_lock_sched_notrace();					\
	view = vpid_shadow_view(ns);					\
	if (view)							\
		res = vpid_answer((unsigned long)vpid_##name##_in(a0, view)); \
	rcu_read_unlock_sched_notrace();				\
	return res;							\
}

VPID_DIRECT_SHADOW_ARG1(pid_nr_ns, struct pid *)
VPID_DIRECT_SHADOW_ARG1(find_ge_pid, int)
VPID_DIRECT_SHADOW_ARG1(find_task_by_pid_ns, int)
VPID_DIRECT_SHADOW_ARG1(find_pid_ns, int)

/**
 * vpid_h_proc_init_fs_context() - a proc mounted by a container task keys
 * on the container's shadow pid namespace
 * @fc: the new mount's context
 *
 * A task of a native pid namespace (made inside a container or not) keeps
 * the kernel's choice: that namespace.  When the shadow cannot be had, the mount
 * fails: a container must never get a host-wide /proc by accident.
 *
 * Return: 0 or a -errno.
 */
VPID_HOOK_ABI
int vpid_h_proc_init_fs_context(struct fs_context *fc)
{
	int (*orig)(struct fs_context *) = (void *)vpid_orig_proc_init_fs_context;
	struct pid_namespace *shadow, **slot;
	struct vpid_container *view;
	bool mine;
	int err;

	vpid_call_begin();
	err = orig(fc);
	if (err)
		goto out;
	slot = vpid_proc_ctx_pid_ns(fc);
	rcu_read_lock();
	view = vpid_current_container();
	mine = view && *slot == view->base;
	rcu_read_unlock();
	if (!mine)
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

/*
 * May a container's task mount a proc of @ns (7.x's pidns= option)?  Only
 * the namespace of a container below its own (its shadow), or a native
 * pid namespace made inside its container (or one below it): its
 * init, number 1 there, is a task of the container's subtree.  (Not
 * ns->child_reaper: it still points at the init once that has been reaped.)
 *
 * Context: RCU read side.
 */
static bool vpid_pidns_is_inside(struct pid_namespace *ns,
				 struct vpid_container *view)
{
	struct vpid_container *m = vpid_shadow_view(ns);

	if (m)		/* a container's (hooks/nsid.c): one below */
		return m != view && vpid_container_within(m, view);
	if (ns->level <= view->base_level)
		return false;
	m = vpid_pidns_maker(ns);
	return m && vpid_container_within(m, view);
}

/**
 * vpid_h_proc_parse_param() - a proc mount option, for a container task:
 * pidns= (7.x) names the container's own pid namespace or one made inside it
 * @fc: the mount's context
 * @param: the option
 *
 * The kernel lets a task name its active pid namespace or any below it,
 * which for a container task is its base: the host's, or a sibling
 * container's native namespaces.  The base is taken to mean the container
 * itself (its shadow, as a plain mount gets); a native pid namespace made
 * inside the container is kept; anything else is -EINVAL, what a native
 * pid namespace answers for one it does not contain.
 *
 * Return: 0 or a -errno.
 */
VPID_HOOK_ABI
int vpid_h_proc_parse_param(struct fs_context *fc, struct fs_parameter *param)
{
	int (*orig)(struct fs_context *, struct fs_parameter *) =
		(void *)vpid_orig_proc_parse_param;
	struct pid_namespace **slot = vpid_proc_ctx_pid_ns(fc);
	struct pid_namespace *shadow = NULL;
	struct vpid_container *view;
	bool base, inside;
	int err;

	vpid_call_begin();
	if (param->key && !strcmp(param->key, "pidns")) {
		/* taken first: the slot must end up holding a safe namespace */
		shadow = vpid_shadow_of_current();
		if (IS_ERR(shadow)) {
			err = PTR_ERR(shadow);
			goto out;
		}
	}
	err = orig(fc, param);
	if (err || !shadow)	/* not pidns=, or no container any more */
		goto out;
	rcu_read_lock();
	view = vpid_current_container();
	/* the base, or the container's own shadow (/proc/self/ns/pid) */
	base = view && (*slot == view->base || *slot == shadow);
	inside = view && vpid_pidns_is_inside(*slot, view);
	rcu_read_unlock();
	if (inside)
		goto out;
	put_pid_ns(*slot);
	*slot = shadow;
	shadow = NULL;
	if (!base)
		err = -EINVAL;
out:
	if (!IS_ERR_OR_NULL(shadow))
		put_pid_ns(shadow);
	vpid_call_end();
	return err;
}

#if VPID_PID_MAX_PER_NS
/**
 * vpid_h_pid_table_root_lookup() - which pid namespace's sysctls a
 * container task sees (7.x: /proc/sys/kernel/pid_max is per namespace)
 * @root: the pid sysctl root
 *
 * Its container's shadow's, once the container has one (a proc of its
 * own): a new pid namespace's pid_max, PID_MAX_LIMIT, as for a task of a
 * native namespace (procps sizes its pid columns from it).  Before that,
 * what the kernel answers: the active pid namespace's.
 *
 * Context: sysctl_lock held (no sleeping).
 * Return: the set.
 */
VPID_HOOK_ABI
struct ctl_table_set *vpid_h_pid_table_root_lookup(struct ctl_table_root *root)
{
	struct pid_namespace *pidns = NULL;
	struct vpid_container *view;

	rcu_read_lock();
	view = vpid_current_container();
	if (view)
		pidns = READ_ONCE(view->shadow);
	rcu_read_unlock();
	/* the shadow lives as long as the container, which has this task */
	if (!pidns)
		pidns = task_active_pid_ns(current);
	return &pidns->set;
}
#endif

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

/*
 * Where a reader stands among a task's views: a container (its /proc is
 * the container's shadow), or a kernel pid namespace.
 */
struct vpid_reader {
	struct vpid_container *view;
	struct pid_namespace *pidns;
};

static void vpid_reader_of(struct vpid_reader *r, struct pid_namespace *ns)
{
	r->view = vpid_shadow_view(ns);
	r->pidns = r->view ? NULL : ns;
}

/*
 * Print, for every view of a task (its struct pid @pid, whose record is @e)
 * from the reader's down to the task's innermost one, the number of @x (a
 * pid of the task) there.  The task's views, outermost first, are its
 * kernel pid namespaces, each followed by the containers based in it
 * (vpid_container.base): @e holds those in order, and a container's base is never
 * above its parent's.
 *
 * Context: RCU read side.
 */
static void vpid_put_columns(struct seq_file *m, struct pid *pid,
			     struct vpid_pid *e, const struct vpid_reader *r,
			     struct pid *x)
{
	unsigned int j, i = 1;
	bool on = false;

	for (j = 0; j <= pid->level; j++) {
		struct pid_namespace *k = pid->numbers[j].ns;

		if (k == r->pidns)
			on = true;
		if (on)
			seq_put_decimal_ull(m, "\t", pid_nr_ns(x, k));
		for (; i <= e->level && e->up[i].ct->base_level == j; i++) {
			if (e->up[i].ct == r->view)
				on = true;
			if (on)
				seq_put_decimal_ull(m, "\t",
						    vpid_nr_view(x, e->up[i].ct));
		}
	}
}

/*
 * Write the NS* lines of @task (its proc inode's struct pid @pid) for
 * reader @r: one column per view from the reader's down.
 */
static void vpid_put_ns_lines(struct seq_file *m, struct task_struct *task,
			      struct pid *pid, const struct vpid_reader *r)
{
	static const char * const name[] = {
		"NStgid:", "\nNSpid:", "\nNSpgid:", "\nNSsid:" };
	struct vpid_pid *e;
	unsigned int i;

	rcu_read_lock();
	e = vpid_lookup(pid);
	for (i = 0; i < ARRAY_SIZE(name); i++) {
		seq_puts(m, name[i]);
		if (!e || !pid_alive(task))
			continue;
		switch (i) {
		case 0:
			vpid_put_columns(m, task_pid(task), e, r,
					 task_tgid(task));
			break;
		case 1:
			vpid_put_columns(m, task_pid(task), e, r,
					 task_pid(task));
			break;
		case 2:
			vpid_put_columns(m, task_pid(task), e, r,
					 task_pgrp(task));
			break;
		default:
			vpid_put_columns(m, task_pid(task), e, r,
					 task_session(task));
		}
	}
	rcu_read_unlock();
	seq_putc(m, '\n');
}

/*
 * Find the lines the original wrote into @m from offset @start: from the
 * one after the '\n' of @first to the end of the one after that of @last.
 * Return: their start, with what follows them copied to *@tail
 * (*@tail_len bytes; kfree() it), or NULL when they are not there or no
 * memory was left: then @m is marked full, so that seq_read() retries with
 * a bigger buffer and the kernel's own lines never show.
 */
static char *vpid_seq_lines(struct seq_file *m, size_t start,
			    const char *first, const char *last,
			    char **tail, size_t *tail_len)
{
	char *buf = m->buf + start, *from, *to;
	size_t len = m->count - start;

	from = strnstr(buf, first, len);
	to = from ? strnstr(from, last, len - (from - buf)) : NULL;
	to = to ? memchr(to + 1, '\n', len - (to + 1 - buf)) : NULL;
	if (!to)
		return NULL;
	to++;
	*tail_len = len - (to - buf);
	*tail = kmemdup(to, *tail_len, GFP_KERNEL);
	if (!*tail) {
		m->count = m->size;
		return NULL;
	}
	return from + 1;
}

/* Replace the NS* lines that the original wrote, for reader @r. */
static void vpid_fix_status(struct seq_file *m, size_t start,
			    struct task_struct *task, struct pid *pid,
			    const struct vpid_reader *r)
{
	size_t tail_len;
	char *line, *tail;

	line = vpid_seq_lines(m, start, "\nNStgid:", "\nNSsid:", &tail,
			      &tail_len);
	if (!line)
		return;
	m->count = line - m->buf;
	vpid_put_ns_lines(m, task, pid, r);
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
	struct vpid_reader r;
	bool fix;
	int ret;

	vpid_call_begin();
	ret = orig(m, ns, pid, task);
	if (ret || seq_has_overflowed(m))
		goto out;
	rcu_read_lock();
	vpid_reader_of(&r, ns);
	/*
	 * A container task's lines have its container levels too, whoever
	 * reads them; a shadow whose container is gone shows nothing.
	 */
	fix = vpid_lookup(pid) && (r.view || !vpid_is_shadow(ns));
	rcu_read_unlock();
	if (fix)
		vpid_fix_status(m, start, task, pid, &r);
out:
	vpid_call_end();
	return ret;
}

/**
 * vpid_h_pidfd_show_fdinfo() - a pidfd's fdinfo with an NSpid column for
 * every view, containers included, from the reader's down
 * @m: the seq_file of /proc/.../fdinfo/N
 * @f: the pidfd
 *
 * The original printed "Pid:\t<nr>\nNSpid:\t<nr>..." for the pid
 * namespace of the proc the file is read from; <nr> (in that view: shadow
 * helpers are redirected) finds the struct pid again, whatever the kernel
 * keeps it in.
 */
VPID_HOOK_ABI
void vpid_h_pidfd_show_fdinfo(struct seq_file *m, struct file *f)
{
	void (*orig)(struct seq_file *, struct file *) =
		(void *)vpid_orig_pidfd_show_fdinfo;
	size_t start = m->count, tail_len;
	struct vpid_reader r;
	struct pid_namespace *ns;
	char *line, *tail = NULL;
	struct vpid_pid *e;
	struct pid *pid;
	int nr;

	vpid_call_begin();
	orig(m, f);
	if (seq_has_overflowed(m) || !m->file)
		goto out;
	if (m->count - start < 6 || memcmp(m->buf + start, "Pid:\t", 5) ||
	    sscanf(m->buf + start + 5, "%d", &nr) != 1 || nr <= 0)
		goto out;
	line = vpid_seq_lines(m, start, "\nNSpid:", "\nNSpid:", &tail,
			      &tail_len);
	if (!line)
		goto out;
	ns = proc_pid_ns(file_inode(m->file)->i_sb);
	rcu_read_lock();
	vpid_reader_of(&r, ns);
	pid = r.view ? vpid_find_pid(r.view, nr) : find_pid_ns(nr, ns);
	e = pid ? vpid_lookup(pid) : NULL;
	if (e && (r.view || !vpid_is_shadow(ns))) {
		m->count = line - m->buf;
		seq_puts(m, "NSpid:");
		vpid_put_columns(m, pid, e, &r, pid);
		seq_putc(m, '\n');
		seq_write(m, tail, tail_len);
	}
	rcu_read_unlock();
out:
	kfree(tail);
	vpid_call_end();
}
