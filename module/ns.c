// SPDX-License-Identifier: GPL-2.0
/*
 * ns.c - the container tree and the operations of the control file.
 */
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "vpid.h"

LIST_HEAD(vpid_top);
static unsigned int vpid_nr_alive;

static void vpid_ns_release(struct kref *ref)
{
	struct vpid_ns *ns = container_of(ref, struct vpid_ns, ref);

	if (ns->parent)
		vpid_ns_put(ns->parent);
	put_pid(ns->init_pid);
	if (ns->base)
		put_pid_ns(ns->base);
	vpid_shadow_release(ns);
	idr_destroy(&ns->idr);
	atomic_dec(&vpid_stat_ns);
	kfree_rcu(ns, rcu);
}

/**
 * vpid_ns_put() - drop a reference on a container's memory
 * @ns: the container
 *
 * Context: any.
 */
void vpid_ns_put(struct vpid_ns *ns)
{
	kref_put(&ns->ref, vpid_ns_release);
}

/**
 * vpid_ns_alloc() - a new, unlinked container
 * @parent: the enclosing container, NULL for the host
 * @name: its name (already validated)
 *
 * Return: the container, or NULL without memory.
 */
struct vpid_ns *vpid_ns_alloc(struct vpid_ns *parent, const char *name)
{
	struct vpid_ns *ns = kzalloc(sizeof(*ns), GFP_KERNEL);

	if (!ns)
		return NULL;
	atomic_inc(&vpid_stat_ns);
	kref_init(&ns->ref);
	INIT_LIST_HEAD(&ns->children);
	INIT_LIST_HEAD(&ns->sibling);
	idr_init(&ns->idr);
	strscpy(ns->name, name, sizeof(ns->name));
	return ns;
}

/**
 * vpid_ns_emptied() - a container's last number went away
 * @ns: the container
 *
 * It leaves the tree; its memory goes with the last record naming it.
 *
 * Context: vpid_lock held.
 */
void vpid_ns_emptied(struct vpid_ns *ns)
{
	lockdep_assert_held(&vpid_lock);
	if (!ns->alive)
		return;
	ns->alive = false;
	ns->dying = true;
	vpid_shadow_unlink(ns);
	list_del_init(&ns->sibling);
	if (--vpid_nr_alive == 0)
		vpid_schedule_reap();
	vpid_ns_put(ns);
}

/**
 * vpid_ns_alive_count() - how many containers exist
 *
 * Context: vpid_lock held.
 * Return: the count.
 */
unsigned int vpid_ns_alive_count(void)
{
	return vpid_nr_alive;
}

/**
 * vpid_ns_accepts() - may a task enter (fork into, attach to) a container
 * @ns: the container
 *
 * Context: vpid_lock held or RCU.
 * Return: false once it or an ancestor is being destroyed.
 */
bool vpid_ns_accepts(struct vpid_ns *ns)
{
	for (; ns; ns = ns->parent)
		if (ns->dying || !ns->alive)
			return false;
	return true;
}

/**
 * vpid_ns_within() - is @ns the container @view or one below it
 * @ns: a container, NULL for the host
 * @view: a container
 *
 * Context: vpid_lock held or RCU.
 * Return: true if so.
 */
bool vpid_ns_within(struct vpid_ns *ns, struct vpid_ns *view)
{
	for (; ns; ns = ns->parent)
		if (ns == view)
			return true;
	return false;
}

/**
 * vpid_init_of() - the outermost container whose init is a thread group
 * @tgid: the group's struct pid
 *
 * Context: vpid_lock held or RCU.
 * Return: the container, or NULL when the group is no container's init.
 */
struct vpid_ns *vpid_init_of(struct pid *tgid)
{
	struct vpid_pid *e = vpid_lookup(tgid);
	unsigned int l;

	if (!e || e->dead)
		return NULL;
	for (l = 1; l <= e->level; l++)
		if (e->up[l].ns->init_pid == tgid)
			return e->up[l].ns;
	return NULL;
}

/*
 * Would moving the thread group of @tgid into @dst take a container's init
 * out of that container?  An init may go deeper (it stays the init of the
 * outer container, whose zap covers the inner ones), never elsewhere.
 */
static bool vpid_init_leaves(struct pid *tgid, struct vpid_ns *dst)
{
	struct vpid_pid *e = vpid_lookup(tgid);
	unsigned int l;

	if (!e || e->dead)
		return false;
	for (l = 1; l <= e->level; l++)
		if (e->up[l].ns->init_pid == tgid &&
		    !vpid_ns_within(dst, e->up[l].ns))
			return true;
	return false;
}

static struct list_head *vpid_children(struct vpid_ns *ns)
{
	return ns ? &ns->children : &vpid_top;
}

static struct vpid_ns *vpid_child(struct vpid_ns *ns, const char *name,
				  size_t len)
{
	struct vpid_ns *c;

	list_for_each_entry(c, vpid_children(ns), sibling)
		if (strlen(c->name) == len && !memcmp(c->name, name, len))
			return c;
	return NULL;
}

/**
 * vpid_writer_of_current() - the current task as a writer or reader of
 * /proc/container
 * @w: filled in
 *
 * Context: vpid_lock held or RCU.
 */
void vpid_writer_of_current(struct vpid_writer *w)
{
	struct pid *pid = READ_ONCE(current->thread_pid);

	w->member = vpid_member_of_pid(pid);
	w->view = vpid_ns_of_pid(pid);
	w->pidns = ns_of_pid(pid);
}

/* Is @ns the pid namespace @top or one below it? */
static bool vpid_pidns_within(struct pid_namespace *ns,
			      struct pid_namespace *top)
{
	while (ns && ns->level > top->level)
		ns = ns->parent;
	return ns == top;
}

/**
 * vpid_ns_visible() - may a writer name a container below its own
 * @ns: a container in the writer's subtree
 * @w: the writer
 *
 * A writer with a container's view reaches its whole subtree.  One with
 * the kernel's view of a pid namespace reaches only the containers made
 * within that namespace, as a task of a pid namespace reaches nothing
 * outside it.
 *
 * Context: vpid_lock held or RCU.
 * Return: true if so.
 */
bool vpid_ns_visible(struct vpid_ns *ns, const struct vpid_writer *w)
{
	return w->view || vpid_pidns_within(ns->base, w->pidns);
}

/**
 * vpid_ns_walk() - resolve a PATH relative to a writer's container
 * @w: the writer (the path starts at @w->member, the host for NULL)
 * @path: "name/name/..." (components already validated)
 * @err: set to -ENOENT when there is no such container (or the writer may
 *	not see it), -EINVAL for the writer's own
 *
 * Context: vpid_lock held.
 * Return: the container, or NULL.
 */
struct vpid_ns *vpid_ns_walk(const struct vpid_writer *w, const char *path,
			     int *err)
{
	struct vpid_ns *ns = w->member;

	while (*path) {
		const char *slash = strchrnul(path, '/');

		ns = vpid_child(ns, path, slash - path);
		if (!ns || !vpid_ns_visible(ns, w)) {
			*err = -ENOENT;
			return NULL;
		}
		path = *slash ? slash + 1 : slash;
	}
	if (ns == w->member) {
		*err = -EINVAL;
		return NULL;
	}
	return ns;
}

/**
 * vpid_ns_create() - "NAME": create a container and move the writer into it
 * @name: the name (validated by the parser)
 *
 * Context: process context, vpid_ctl_mutex held, hooks installed.
 * Return: 0 or -EEXIST, -ENOSPC, -ENOENT, -ENOMEM.
 */
int vpid_ns_create(const char *name)
{
	struct vpid_ns *ns = vpid_ns_alloc(NULL, name);
	struct vpid_writer w;
	struct vpid_ns *parent;
	int err = 0;

	if (!ns)
		return -ENOMEM;
	spin_lock_irq(&vpid_lock);
	vpid_writer_of_current(&w);
	parent = w.member;
	if (parent && parent->level >= VPID_MAX_LEVEL) {
		err = -ENOSPC;
	} else if (parent && !vpid_ns_accepts(parent)) {
		err = -ENOENT;
	} else if (vpid_child(parent, name, strlen(name))) {
		err = -EEXIST;
	} else {
		ns->parent = parent;
		ns->level = parent ? parent->level + 1 : 1;
		/* where its tasks live: the creator's pid namespace */
		ns->base = get_pid_ns(w.pidns);
		ns->base_level = w.pidns->level;
		if (parent)
			kref_get(&parent->ref);
		ns->alive = true;
		vpid_nr_alive++;
		list_add_tail(&ns->sibling, vpid_children(parent));
		/* The tree's reference: dropped in vpid_ns_emptied(). */
		kref_get(&ns->ref);
		err = vpid_move_group(current->group_leader, ns, 1, &w);
		if (err) {
			ns->alive = false;
			vpid_nr_alive--;
			list_del_init(&ns->sibling);
			vpid_ns_put(ns);
		} else {
			ns->init_pid = get_pid(task_pid(current->group_leader));
			/*
			 * Orphans inside go to the init (or to a nearer
			 * subreaper inside), never to a host task.  What
			 * the init itself set is kept for prctl().
			 */
			ns->user_subreaper =
				current->signal->is_child_subreaper;
			current->signal->is_child_subreaper = 1;
		}
	}
	spin_unlock_irq(&vpid_lock);
	vpid_ns_put(ns);
	if (err)
		vpid_schedule_reap();	/* maybe the hooks are idle again */
	return err;
}

/*
 * May writer @w move @task?  One with a container's view found it there.
 * One with the kernel's view of a pid namespace found it by that
 * namespace's number: it must not take a task of a container it cannot
 * reach (one made by a host task in the same namespace, say).
 */
static bool vpid_task_reachable(struct task_struct *task,
				const struct vpid_writer *w)
{
	struct vpid_ns *m = vpid_member_of_pid(task_tgid(task));

	if (!m || w->view)
		return true;
	return vpid_ns_visible(m, w) &&
		(!w->member || vpid_ns_within(m, w->member));
}

/**
 * vpid_ns_attach() - "attach PATH PID [VPID]"
 * @path: destination, relative to the writer's container
 * @nr: the thread group to move, as the writer sees it
 * @want: vpid it must get there, 0 for none
 *
 * Return: 0 or -ENOENT, -ESRCH, -EBUSY, -ENOSPC, -EINVAL, -ENOMEM.
 */
int vpid_ns_attach(const char *path, int nr, int want)
{
	struct vpid_writer w;
	struct vpid_ns *dst;
	struct task_struct *task;
	int err = 0;

	spin_lock_irq(&vpid_lock);
	vpid_writer_of_current(&w);
	dst = vpid_ns_walk(&w, path, &err);
	if (!dst)
		goto out;
	if (!vpid_ns_accepts(dst)) {
		err = -ENOENT;
		goto out;
	}
	if (want >= vpid_pid_max()) {
		err = -EINVAL;
		goto out;
	}
	rcu_read_lock();
	task = pid_task(w.view ? vpid_find_pid(w.view, nr) :
			find_pid_ns(nr, w.pidns), PIDTYPE_PID);
	if (!task || task->exit_state ||
	    (task->group_leader->flags & PF_EXITING)) {
		err = -ESRCH;
	} else if ((task->flags & PF_KTHREAD) || is_global_init(task) ||
		   task_active_pid_ns(task) != dst->base) {
		/* a container numbers the tasks of its base pid namespace */
		err = -EINVAL;
	} else if (!vpid_task_reachable(task, &w)) {
		err = -ESRCH;
	} else if (vpid_init_leaves(task_tgid(task), dst)) {
		err = -EBUSY;
	} else {
		err = vpid_move_group(task->group_leader, dst, want, &w);
	}
	rcu_read_unlock();
out:
	spin_unlock_irq(&vpid_lock);
	return err;
}

/**
 * vpid_ns_nextpid() - "nextpid PATH VPID"
 * @path: the container, relative to the writer's
 * @want: the vpid its next new task gets
 *
 * Return: 0 or -ENOENT, -EBUSY, -EINVAL.
 */
int vpid_ns_nextpid(const char *path, int want)
{
	struct vpid_writer w;
	struct vpid_ns *ns;
	int err = 0;

	spin_lock_irq(&vpid_lock);
	vpid_writer_of_current(&w);
	ns = vpid_ns_walk(&w, path, &err);
	if (!ns)
		goto out;
	if (want >= vpid_pid_max())
		err = -EINVAL;
	else if (idr_find(&ns->idr, want))
		err = -EBUSY;
	else
		ns->next_nr = want;
out:
	spin_unlock_irq(&vpid_lock);
	return err;
}

/**
 * vpid_ns_mark_dying() - no task may enter a container or its descendants
 * @ns: the container
 *
 * Context: vpid_lock held.
 */
void vpid_ns_mark_dying(struct vpid_ns *ns)
{
	struct vpid_ns *c;

	ns->dying = true;
	list_for_each_entry(c, &ns->children, sibling)
		vpid_ns_mark_dying(c);
}

/**
 * vpid_ns_destroy() - "destroy PATH": SIGKILL everything in it and below
 * @path: the container, relative to the writer's
 *
 * The container leaves the tree when its last task is gone; meanwhile no
 * task may enter it.
 *
 * Return: 0 or -ENOENT.
 */
int vpid_ns_destroy(const char *path)
{
	struct vpid_writer w;
	struct vpid_ns *ns;
	struct vpid_pid *e;
	int err = 0, nr;

	spin_lock_irq(&vpid_lock);
	vpid_writer_of_current(&w);
	ns = vpid_ns_walk(&w, path, &err);
	if (ns) {
		vpid_ns_mark_dying(ns);
		kref_get(&ns->ref);
	}
	spin_unlock_irq(&vpid_lock);
	if (!ns)
		return err;

	rcu_read_lock();
	idr_for_each_entry(&ns->idr, e, nr)
		kill_pid(e->pid, SIGKILL, 1);
	rcu_read_unlock();
	vpid_ns_put(ns);
	return 0;
}
