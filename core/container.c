// SPDX-License-Identifier: GPL-2.0
/*
 * container.c - the container tree, and the control file's operations that
 * make and fill containers (create, attach, nextpid).
 */
#include <linux/capability.h>
#include <linux/hashtable.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/stringhash.h>
#include "vpid.h"

LIST_HEAD(vpid_top);
atomic_t vpid_stat_containers = ATOMIC_INIT(0);
static unsigned int vpid_nr_alive;
/* Containers with ->unsettled set: the fork observer's cheap first test. */
atomic_t vpid_nr_unsettled = ATOMIC_INIT(0);
/* The set_tid of a CLONE_NEWPID that gives an empty container its init. */
static pid_t vpid_tid_one[1] = { 1 };

/*
 * Every container in the tree by (parent, name): finding a child by its
 * name costs the same among ten siblings or ten thousand.  The lists
 * (->children) keep the creation order for the listing.
 */
#define VPID_NAME_HASH_BITS	12
static DEFINE_HASHTABLE(vpid_names, VPID_NAME_HASH_BITS);

static struct list_head *vpid_children(struct vpid_container *ct)
{
	return ct ? &ct->children : &vpid_top;
}

static u32 vpid_name_key(struct vpid_container *parent, const char *name,
			 size_t len)
{
	return full_name_hash(parent, name, len);
}

/* Put a new container in the tree, under its parent's name space. */
static void vpid_tree_link(struct vpid_container *ct)
{
	lockdep_assert_held(&vpid_lock);
	list_add_tail(&ct->sibling, vpid_children(ct->parent));
	hash_add_rcu(vpid_names, &ct->name_node,
		     vpid_name_key(ct->parent, ct->name, strlen(ct->name)));
}

/* Take a container out of the tree: its name is free again. */
static void vpid_tree_unlink(struct vpid_container *ct)
{
	lockdep_assert_held(&vpid_lock);
	list_del_init(&ct->sibling);
	hash_del_rcu(&ct->name_node);
}

/*
 * The child of @ct (NULL: the host) named by @name's first @len characters.
 * Context: vpid_lock held or RCU.
 */
static struct vpid_container *vpid_child(struct vpid_container *ct,
					 const char *name, size_t len)
{
	struct vpid_container *c;

	hash_for_each_possible_rcu(vpid_names, c, name_node,
				   vpid_name_key(ct, name, len),
				   lockdep_is_held(&vpid_lock))
		if (c->parent == ct && strlen(c->name) == len &&
		    !memcmp(c->name, name, len))
			return c;
	return NULL;
}

static void vpid_container_release(struct kref *ref)
{
	struct vpid_container *ct = container_of(ref, struct vpid_container, ref);

	if (ct->parent)
		vpid_container_put(ct->parent);
	put_pid(ct->init_pid);
	put_pid(ct->unshared);
	if (ct->base)
		put_pid_ns(ct->base);
	vpid_shadow_release(ct);
	idr_destroy(&ct->idr);
	atomic_dec(&vpid_stat_containers);
	kfree_rcu(ct, rcu);
}

/**
 * vpid_container_put() - drop a reference on a container's memory
 * @ct: the container
 *
 * Context: any.
 */
void vpid_container_put(struct vpid_container *ct)
{
	kref_put(&ct->ref, vpid_container_release);
}

/**
 * vpid_container_alloc() - a new, unlinked container
 * @parent: the enclosing container, NULL for the host
 * @name: its name (already validated)
 *
 * Return: the container, or NULL without memory.
 */
struct vpid_container *vpid_container_alloc(struct vpid_container *parent, const char *name)
{
	struct vpid_container *ct = kzalloc(sizeof(*ct), GFP_KERNEL);

	if (!ct)
		return NULL;
	atomic_inc(&vpid_stat_containers);
	kref_init(&ct->ref);
	INIT_LIST_HEAD(&ct->children);
	INIT_LIST_HEAD(&ct->sibling);
	INIT_HLIST_NODE(&ct->name_node);
	INIT_LIST_HEAD(&ct->acct_node);
	idr_init(&ct->idr);
	strscpy(ct->name, name, sizeof(ct->name));
	return ct;
}

/**
 * vpid_container_emptied() - a container's last number went away
 * @ct: the container
 *
 * It leaves the tree; its memory goes with the last record naming it.
 * So do the containers below it: with no number here, they have none
 * either (made empty, never entered).
 *
 * Context: vpid_lock held.
 */
void vpid_container_emptied(struct vpid_container *ct)
{
	struct vpid_container *c, *tmp;

	lockdep_assert_held(&vpid_lock);
	if (!ct->alive)
		return;
	WRITE_ONCE(ct->alive, false);
	WRITE_ONCE(ct->dying, true);
	list_for_each_entry_safe(c, tmp, &ct->children, sibling)
		vpid_container_emptied(c);
	if (xchg(&ct->unsettled, false))
		atomic_dec(&vpid_nr_unsettled);
	vpid_acct_emptied(ct);
	vpid_shadow_unlink(ct);
	vpid_enter_emptied(ct);
	vpid_tree_unlink(ct);
	if (!WARN_ON_ONCE(!vpid_nr_alive))
		WRITE_ONCE(vpid_nr_alive, vpid_nr_alive - 1);
	if (!vpid_nr_alive)
		vpid_life_reap_soon();
	vpid_container_put(ct);
}

/**
 * vpid_containers_alive() - how many containers exist
 *
 * Context: vpid_lock held for an exact count; anywhere for a snapshot
 * (the counters file).
 * Return: the count.
 */
unsigned int vpid_containers_alive(void)
{
	return READ_ONCE(vpid_nr_alive);
}

/**
 * vpid_container_accepts() - may a task enter (fork into, attach to) a container
 * @ct: the container
 *
 * Context: vpid_lock held or RCU.
 * Return: false once it or an ancestor is being destroyed.
 */
bool vpid_container_accepts(struct vpid_container *ct)
{
	for (; ct; ct = ct->parent)
		if (READ_ONCE(ct->dying) || !READ_ONCE(ct->alive))
			return false;
	return true;
}

/**
 * vpid_container_within() - is @ct the container @view or one below it
 * @ct: a container, NULL for the host
 * @view: a container
 *
 * Context: vpid_lock held or RCU.
 * Return: true if so.
 */
bool vpid_container_within(struct vpid_container *ct, struct vpid_container *view)
{
	for (; ct; ct = ct->parent)
		if (ct == view)
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
struct vpid_container *vpid_init_of(struct pid *tgid)
{
	struct vpid_pid *e = vpid_lookup(tgid);
	unsigned int l;

	if (!e || READ_ONCE(e->dead))
		return NULL;
	for (l = 1; l <= e->level; l++)
		if (e->up[l].ct->init_pid == tgid)
			return e->up[l].ct;
	return NULL;
}

/*
 * Would moving the thread group of @tgid into @dst take a container's init
 * out of that container?  An init may go deeper (it stays the init of the
 * outer container, whose zap covers the inner ones), never elsewhere.
 */
static bool vpid_init_leaves(struct pid *tgid, struct vpid_container *dst)
{
	struct vpid_pid *e = vpid_lookup(tgid);
	unsigned int l;

	if (!e || READ_ONCE(e->dead))
		return false;
	for (l = 1; l <= e->level; l++)
		if (e->up[l].ct->init_pid == tgid &&
		    !vpid_container_within(dst, e->up[l].ct))
			return true;
	return false;
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
	w->view = vpid_container_of_pid(pid);
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
 * vpid_container_visible() - may a writer name a container below its own
 * @ct: a container in the writer's subtree
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
bool vpid_container_visible(struct vpid_container *ct, const struct vpid_writer *w)
{
	return w->view || vpid_pidns_within(ct->base, w->pidns);
}

/**
 * vpid_container_walk() - resolve a PATH relative to a writer's container
 * @w: the writer (the path starts at @w->member, the host for NULL)
 * @path: "name/name/..." (components already validated)
 * @err: set to -ENOENT when there is no such container (or the writer may
 *	not see it), -EINVAL for the writer's own
 *
 * Context: vpid_lock held.
 * Return: the container, or NULL.
 */
struct vpid_container *vpid_container_walk(const struct vpid_writer *w,
					   const char *path, int *err)
{
	struct vpid_container *ct = w->member;

	lockdep_assert_held(&vpid_lock);
	while (*path) {
		const char *slash = strchrnul(path, '/');

		ct = vpid_child(ct, path, slash - path);
		if (!ct || !vpid_container_visible(ct, w)) {
			*err = -ENOENT;
			return NULL;
		}
		path = *slash ? slash + 1 : slash;
	}
	if (ct == w->member) {
		*err = -EINVAL;
		return NULL;
	}
	return ct;
}

/**
 * vpid_container_new_init() - a thread group took vpid 1 of a container
 * made empty: it is its init from now on
 * @ct: the container, which has no init yet
 * @tgid: the thread group's struct pid (a process: never a thread's)
 * @user_subreaper: what the group itself set with PR_SET_CHILD_SUBREAPER
 *
 * As for a created container, orphans inside will go to the init, which
 * becomes a child subreaper at its next fork (vpid_init_mark_subreaper():
 * a task forked here is not running yet, an attached one may be running
 * elsewhere); it has no child inside before that.
 *
 * Context: vpid_lock held.
 */
void vpid_container_new_init(struct vpid_container *ct, struct pid *tgid,
			     bool user_subreaper)
{
	lockdep_assert_held(&vpid_lock);
	WRITE_ONCE(ct->user_subreaper, user_subreaper);
	WRITE_ONCE(ct->init_pid, get_pid(tgid));
}

/**
 * vpid_container_create() - "NAME": create a container and move the writer
 * into it; "mkempty NAME": create it with no task
 * @name: the name (validated by the parser)
 * @empty: no task: the first to get vpid 1 there becomes its init
 *
 * Context: process context, vpid_ctl_mutex held, hooks installed.
 * Return: 0 or -EEXIST, -ENOSPC, -ENOENT, -ENOMEM.
 */
int vpid_container_create(const char *name, bool empty)
{
	struct vpid_container *ct = vpid_container_alloc(NULL, name);
	struct vpid_writer w;
	struct vpid_container *parent;
	int err = 0;

	if (!ct)
		return -ENOMEM;
	spin_lock_irq(&vpid_lock);
	vpid_writer_of_current(&w);
	parent = w.member;
	if (parent && parent->level >= VPID_MAX_LEVEL) {
		err = -ENOSPC;
	} else if (parent && !vpid_container_accepts(parent)) {
		err = -ENOENT;
	} else if (vpid_child(parent, name, strlen(name))) {
		err = -EEXIST;
	} else {
		ct->parent = parent;
		ct->level = parent ? parent->level + 1 : 1;
		/* where its tasks live: the creator's pid namespace */
		ct->base = get_pid_ns(w.pidns);
		ct->base_level = w.pidns->level;
		if (parent)
			kref_get(&parent->ref);
		WRITE_ONCE(ct->alive, true);
		WRITE_ONCE(vpid_nr_alive, vpid_nr_alive + 1);
		vpid_tree_link(ct);
		/* The tree's reference: dropped in vpid_container_emptied(). */
		kref_get(&ct->ref);
		/*
		 * As if allocated: ns_last_pid reads 1, as natively; and in
		 * an empty one, vpid 1 goes only to who asks for it.
		 */
		idr_set_cursor(&ct->idr, 2);
		if (empty) {
			WRITE_ONCE(ct->unsettled, true);
			atomic_inc(&vpid_nr_unsettled);
		} else {
			err = vpid_move_group(current->group_leader, ct, 1, &w);
		}
		if (err) {
			/* done already if undoing the numbers it took emptied it */
			vpid_container_emptied(ct);
		} else if (!empty) {
			ct->init_pid = get_pid(task_pid(current->group_leader));
			/*
			 * Orphans inside go to the init (or to a nearer
			 * subreaper inside), never to a host task.  What
			 * the init itself set is kept for prctl().
			 */
			ct->user_subreaper =
				current->signal->is_child_subreaper;
			current->signal->is_child_subreaper = 1;
		}
	}
	spin_unlock_irq(&vpid_lock);
	vpid_container_put(ct);
	if (err)
		vpid_life_reap_soon();	/* maybe the hooks are idle again */
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
	struct vpid_container *m = vpid_member_of_pid(task_tgid(task));

	if (!m || w->view)
		return true;
	return vpid_container_visible(m, w) &&
		(!w->member || vpid_container_within(m, w->member));
}

/**
 * vpid_container_attach() - "attach PATH PID [VPID]"
 * @path: destination, relative to the writer's container
 * @nr: the thread group to move, as the writer sees it
 * @want: vpid it must get there, 0 for none
 *
 * Return: 0 or -ENOENT, -ESRCH, -EBUSY, -ENOSPC, -EINVAL, -ENOMEM.
 */
int vpid_container_attach(const char *path, int nr, int want)
{
	struct vpid_writer w;
	struct vpid_container *dst;
	struct task_struct *task;
	int err = 0;

	spin_lock_irq(&vpid_lock);
	vpid_writer_of_current(&w);
	dst = vpid_container_walk(&w, path, &err);
	if (!dst)
		goto out;
	if (!vpid_container_accepts(dst)) {
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
		/* the first holder of vpid 1 of a container made empty */
		if (!err && !dst->init_pid &&
		    vpid_find_pid(dst, 1) == task_tgid(task))
			vpid_container_new_init(dst, task_tgid(task),
						task->signal->is_child_subreaper);
	}
	rcu_read_unlock();
out:
	spin_unlock_irq(&vpid_lock);
	return err;
}

/**
 * vpid_container_nextpid() - "nextpid PATH VPID"
 * @path: the container, relative to the writer's
 * @want: the vpid its next new task gets
 *
 * Return: 0 or -ENOENT, -EBUSY, -EINVAL.
 */
int vpid_container_nextpid(const char *path, int want)
{
	struct vpid_writer w;
	struct vpid_container *ct;
	int err = 0;

	spin_lock_irq(&vpid_lock);
	vpid_writer_of_current(&w);
	ct = vpid_container_walk(&w, path, &err);
	if (!ct)
		goto out;
	if (want >= vpid_pid_max())
		err = -EINVAL;
	else if (idr_find(&ct->idr, want))
		err = -EBUSY;
	else
		ct->next_nr = want;
out:
	spin_unlock_irq(&vpid_lock);
	return err;
}

/**
 * vpid_init_mark_subreaper() - the current task forks: if it is the init
 * of a container made empty and not yet a child subreaper, make it one
 * now, before its child inherits the mark (as "NAME" does at creation)
 *
 * Context: kernel_clone() entry, from an ftrace callback (preemption off):
 * RCU only.
 */
void vpid_init_mark_subreaper(void)
{
	struct pid *tgid = task_tgid(current);
	struct vpid_pid *e;
	unsigned int l;

	if (!vpid_pid_may_have_record(tgid))
		return;
	rcu_read_lock();
	e = vpid_lookup(tgid);
	for (l = 1; e && !READ_ONCE(e->dead) && l <= e->level; l++) {
		struct vpid_container *c = e->up[l].ct;

		if (READ_ONCE(c->init_pid) == tgid && READ_ONCE(c->unsettled) &&
		    xchg(&c->unsettled, false)) {
			atomic_dec(&vpid_nr_unsettled);
			current->signal->is_child_subreaper = 1;
		}
	}
	rcu_read_unlock();
}

/**
 * vpid_initless_clone() - a task of a container with no init yet forks
 * @args: kernel_clone()'s arguments, may be changed
 *
 * A container made empty stands for a new pid namespace whose init is to
 * come: clone(CLONE_NEWPID) (clone3 with no set_tid, or set_tid [1], as
 * CRIU restores a namespace's init) from a task that sees it makes the
 * child its vpid 1, its init, instead of the init of a new native pid
 * namespace inside it.  So does any fork (no set_tid, or set_tid [1]) of
 * the thread that called unshare(CLONE_NEWPID) there (vpid_initless_unshare()).
 * A thread would not make an init: a CLONE_THREAD that would get vpid 1
 * (set_tid [1], nextpid 1) is refused, and so is one of that thread, as
 * natively after unshare(CLONE_NEWPID).
 *
 * Context: kernel_clone() entry, from an ftrace callback (preemption off):
 * RCU only.
 * Return: true when the clone must fail with -EINVAL.
 */
bool vpid_initless_clone(struct kernel_clone_args *args)
{
	bool one = args->set_tid_size == 1 && args->set_tid[0] == 1;
	struct vpid_container *ct;
	bool refuse = false, unshared;

	if (!vpid_pid_may_have_record(task_pid(current)))
		return false;
	rcu_read_lock();
	ct = vpid_current_container();
	if (!ct || READ_ONCE(ct->init_pid) ||
	    current->nsproxy->pid_ns_for_children != ct->base)
		goto out;
	unshared = READ_ONCE(ct->unshared) == task_pid(current);
	if (args->flags & CLONE_THREAD) {
		refuse = one || READ_ONCE(ct->next_nr) == 1 || unshared;
	} else if (((args->flags & CLONE_NEWPID) || unshared) &&
		   (one || !args->set_tid_size) && !idr_find(&ct->idr, 1)) {
		args->flags &= ~CLONE_NEWPID;
		args->set_tid = vpid_tid_one;
		args->set_tid_size = 1;
	}
out:
	rcu_read_unlock();
	return refuse;
}

/**
 * vpid_initless_unshare() - a task of a container with no init yet calls
 * unshare(CLONE_NEWPID)
 *
 * Natively its next child would be the init of a new pid namespace.  A
 * container made empty stands for that namespace: the flag is dropped (no
 * native pid namespace inside the container), and the thread is recorded
 * so that its next fork makes the container's init, as clone(CLONE_NEWPID)
 * does there (vpid_initless_clone()).  Only the first such thread: another
 * one gets its native pid namespace.
 *
 * The kernel would then check CAP_SYS_ADMIN over the caller's user
 * namespace for it: checked here.
 *
 * Context: unshare_nsproxy_namespaces() entry, from an ftrace callback
 * (preemption off): RCU only.
 * Return: true when CLONE_NEWPID must be dropped.
 */
bool vpid_initless_unshare(void)
{
	struct pid *pid = task_pid(current);
	struct vpid_container *ct;
	bool drop = false;

	if (!vpid_pid_may_have_record(pid) ||
	    !ns_capable_noaudit(current_user_ns(), CAP_SYS_ADMIN))
		return false;
	rcu_read_lock();
	ct = vpid_current_container();
	if (ct && !READ_ONCE(ct->init_pid) && READ_ONCE(ct->unsettled) &&
	    current->nsproxy->pid_ns_for_children == ct->base &&
	    !idr_find(&ct->idr, 1)) {
		get_pid(pid);
		if (cmpxchg(&ct->unshared, NULL, pid))
			put_pid(pid);	/* not the last: current holds it */
		drop = READ_ONCE(ct->unshared) == pid;
	}
	rcu_read_unlock();
	return drop;
}
