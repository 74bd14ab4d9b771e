// SPDX-License-Identifier: GPL-2.0
/*
 * pidmap.c - virtual numbers attached to struct pid.
 *
 * Every struct pid that belongs to a container task gets one record holding
 * its number at each container level, like pid->numbers[] does for pid
 * namespaces.  The record is found by hashing the struct pid pointer, and
 * each container's idr maps its numbers back to records.  A record outlives
 * the kernel's free_pid(): its numbers return to the allocators then, but the
 * record (and a reference on the struct pid) stays until nobody else holds
 * the struct pid, so late readers (the fork return value of an auto-reaped
 * child, SysV IPC, f_owner) still read the number it had.
 */
#include <linux/hashtable.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/threads.h>
#include "vpid.h"
#include "vpid_compat.h"

atomic_t vpid_stat_records = ATOMIC_INIT(0);

/*
 * vpid_lock - the one lock of vpid's data.
 *
 * Protects: the container tree (vpid_top, every ->children and ->sibling,
 * the name hash and ->name_node, ->alive, the count of live containers),
 * each container's ->idr,
 * ->next_nr, ->nr_tasks, ->dying and ->init_pid, the record hash
 * (vpid_hash) and the released records (vpid_dead), a record's numbers
 * (->up[], ->level) while it is renumbered (attach), and the setns
 * records of tasks outside (core/enter.c: vpid_enters).  Readers that
 * only look go without it, under RCU: records, containers and idr entries
 * are freed after a grace period, and the fields written under the lock
 * and read under RCU are paired WRITE_ONCE()/READ_ONCE() (->dead, ->alive,
 * ->dying).
 *
 * Interrupts off: free_pid() releases numbers under
 * write_lock_irq(&tasklist_lock), so every holder must keep interrupts off
 * (spin_lock_irq(), or _irqsave() where the caller's state is unknown).
 *
 * Order: vpid_ctl_mutex (core/life.c) and vpid_shadow_mutex
 * (core/shadow.c) before vpid_lock; the kernel's tasklist_lock and
 * siglock may be held when it is taken; nothing is taken under it but the
 * idr's own (preloaded) allocations.
 *
 * Never in an ftrace callback (vpid_w_*, vpid_o_*): they run with
 * preemption off, and on PREEMPT_RT vpid_lock is a sleeping lock.  They
 * read under RCU only.
 */
DEFINE_SPINLOCK(vpid_lock);

DEFINE_HASHTABLE(vpid_hash, VPID_HASH_BITS);
static LIST_HEAD(vpid_dead);
static int *vpid_pid_max_var;

/**
 * vpid_pid_max() - the pid_max a container's numbers stay below: the
 * kernel's global one where pid namespaces share it (6.1, 6.12), else
 * PID_MAX_LIMIT, what a new native pid namespace starts with
 *
 * Return: the exclusive upper bound for numbers.
 */
int vpid_pid_max(void)
{
	if (VPID_PID_MAX_PER_NS)
		return PID_MAX_LIMIT;
	return vpid_pid_max_var ? READ_ONCE(*vpid_pid_max_var) : PID_MAX_DEFAULT;
}

/**
 * vpid_last_nr() - ns_last_pid of the current task's container: the vpid
 * its allocator gave last (its cursor, as kernel/pid_namespace.c reads it)
 * @nr: set to it
 *
 * Context: process context.
 * Return: 0, or -ESRCH when the task has no container's view.
 */
int vpid_last_nr(int *nr)
{
	struct vpid_container *ct;
	int err = -ESRCH;

	spin_lock_irq(&vpid_lock);
	ct = vpid_current_container();
	if (ct) {
		*nr = idr_get_cursor(&ct->idr) - 1;
		err = 0;
	}
	spin_unlock_irq(&vpid_lock);
	return err;
}

/**
 * vpid_set_last_nr() - write ns_last_pid of the current task's container:
 * its next task gets @nr + 1 when that is free (allocation goes on from it)
 * @nr: the number, 0 to pid_max (checked by the caller)
 *
 * Context: process context.
 * Return: 0, or -ESRCH when the task has no container's view.
 */
int vpid_set_last_nr(int nr)
{
	struct vpid_container *ct;
	int err = -ESRCH;

	spin_lock_irq(&vpid_lock);
	ct = vpid_current_container();
	if (ct) {
		idr_set_cursor(&ct->idr, nr + 1);
		err = 0;
	}
	spin_unlock_irq(&vpid_lock);
	return err;
}

/**
 * vpid_member_of_pid() - the innermost container a live struct pid is in
 * @pid: the struct pid, may be NULL
 *
 * A task of a native pid namespace made inside a container is still a task
 * of that container (it has numbers there, and dies with it), though it
 * sees the kernel's numbering of its own namespace (vpid_container_of_pid()).
 *
 * Context: RCU read side or vpid_lock.
 * Return: the container, or NULL for a host pid or a released one.
 */
struct vpid_container *vpid_member_of_pid(struct pid *pid)
{
	struct vpid_pid *e;

	if (!pid)
		return NULL;
	e = vpid_lookup(pid);
	if (!e || READ_ONCE(e->dead))
		return NULL;
	return e->up[e->level].ct;
}

/**
 * vpid_pidns_maker() - the container a native pid namespace was made in
 * @ns: a pid namespace, not a shadow
 *
 * That is its init's: a namespace made by a container task has its init
 * there.  The host's namespace, one without an init yet and one a host
 * task made have none.
 *
 * Context: RCU read side or vpid_lock.
 * Return: the innermost container its init is in, or NULL.
 */
struct vpid_container *vpid_pidns_maker(struct pid_namespace *ns)
{
	if (!ns->level)
		return NULL;
	return vpid_member_of_pid(find_pid_ns(1, ns));
}

/**
 * vpid_container_of_pid() - the container whose view a live struct pid's task has
 * @pid: the struct pid, may be NULL
 *
 * That is its innermost container when the task lives in the container's
 * base pid namespace.  A task in a native pid namespace below that (one a
 * container task made: unshare, bubblewrap, CRIU) sees the kernel's
 * numbering of its namespace, as natively, and gets NULL here.
 *
 * Context: RCU read side or vpid_lock.
 * Return: the container, or NULL for a host pid, a released one, or a pid
 * of a native pid namespace inside a container.
 */
struct vpid_container *vpid_container_of_pid(struct pid *pid)
{
	struct vpid_container *ct = vpid_member_of_pid(pid);

	return ct && pid->level == ct->base_level ? ct : NULL;
}

/**
 * vpid_current_container() - the container whose view the current task has
 *
 * A task of a native pid namespace made inside a container sees the
 * kernel's numbering of that namespace (vpid_container_of_pid()).
 *
 * Context: RCU read side or vpid_lock.
 * Return: the container, or NULL for the kernel's view.
 */
struct vpid_container *vpid_current_container(void)
{
	return vpid_container_of_pid(READ_ONCE(current->thread_pid));
}

/**
 * vpid_forks_into() - the container a child of the current task joins
 * @ns: the pid namespace the child is made in
 *
 * The container the current task joined with setns() (core/enter.c) when
 * @ns is the namespace it joined there: that container's base, or a native
 * one made inside it; a task outside every container joins one so, a
 * container task one below its own.  Else the current task's own, also
 * for a child in a native pid namespace below it.
 *
 * Context: RCU read side or vpid_lock.
 * Return: the container, or NULL for a child of the host.
 */
struct vpid_container *vpid_forks_into(struct pid_namespace *ns)
{
	struct pid *me = READ_ONCE(current->thread_pid);
	struct vpid_container *ct = vpid_entered_into(me, ns);

	return ct ?: vpid_member_of_pid(me);
}

/**
 * vpid_nr_seen() - the number of a struct pid for a viewer
 * @pid: the struct pid, may be NULL
 * @view: the viewer's container, or NULL for a viewer with the kernel's view
 * @pidns: that viewer's kernel pid namespace (used when @view is NULL)
 *
 * Context: RCU read side or vpid_lock.
 * Return: the number, 0 when @pid is outside the view.
 */
pid_t vpid_nr_seen(struct pid *pid, struct vpid_container *view,
		   struct pid_namespace *pidns)
{
	return view ? vpid_nr_view(pid, view) : pid_nr_ns(pid, pidns);
}

/**
 * vpid_find_pid() - the struct pid behind a number in a container
 * @view: the container
 * @nr: the number in it
 *
 * Context: RCU read side or vpid_lock.
 * Return: the struct pid (no reference taken), or NULL.
 */
struct pid *vpid_find_pid(struct vpid_container *view, int nr)
{
	struct vpid_pid *e;

	if (nr <= 0)
		return NULL;
	e = idr_find(&view->idr, nr);
	return e ? e->pid : NULL;
}

/*
 * Take a number in @ct for @e: @want if non-zero (-EBUSY when taken), else
 * the next one of the cyclic cursor, wrapping to 300 like alloc_pid().
 */
static int vpid_nr_alloc(struct vpid_container *ct, struct vpid_pid *e, int want)
{
	int max = vpid_pid_max();
	int nr, min;

	if (want > 0) {
		if (want >= max)
			return -EINVAL;
		nr = idr_alloc(&ct->idr, e, want, want + 1, GFP_ATOMIC);
		if (nr == -ENOSPC)
			nr = -EBUSY;
	} else {
		min = idr_get_cursor(&ct->idr) > VPID_RESERVED_PIDS ?
			VPID_RESERVED_PIDS : 1;
		nr = idr_alloc_cyclic(&ct->idr, e, min, max, GFP_ATOMIC);
		if (nr == -ENOSPC)
			nr = -EAGAIN;
	}
	if (nr > 0)
		ct->nr_live++;
	return nr;
}

static void vpid_nr_free(struct vpid_container *ct, int nr)
{
	idr_remove(&ct->idr, nr);
	if (--ct->nr_live == 0)
		vpid_container_emptied(ct);
}

static struct vpid_pid *vpid_record_alloc(unsigned int level, gfp_t gfp)
{
	struct vpid_pid *e = kzalloc(struct_size(e, up, level + 1), gfp);

	if (e) {
		atomic_inc(&vpid_stat_records);
		e->level = level;
		INIT_LIST_HEAD(&e->dead_node);
	}
	return e;
}

static void vpid_record_kfree(struct vpid_pid *e)
{
	if (e) {
		atomic_dec(&vpid_stat_records);
		kfree(e);
	}
}

/* Free a record whose struct pid reference went to its successor. */
static void vpid_record_free_moved(struct rcu_head *rcu)
{
	struct vpid_pid *e = container_of(rcu, struct vpid_pid, rcu);

	vpid_container_put(e->up[e->level].ct);
	vpid_record_kfree(e);
}

/* Free a released record and drop its struct pid reference. */
static void vpid_record_free(struct rcu_head *rcu)
{
	struct vpid_pid *e = container_of(rcu, struct vpid_pid, rcu);

	put_pid(e->pid);
	vpid_record_free_moved(rcu);
}

/* Give back the numbers @e holds at levels @from..@e->level. */
static void vpid_record_unnumber(struct vpid_pid *e, unsigned int from)
{
	unsigned int l;

	for (l = e->level; l >= from && l > 0; l--)
		vpid_nr_free(e->up[l].ct, e->up[l].nr);
}

/*
 * Give the new record @e of a task forked into @ct its numbers at every
 * level (@want, else the nextpid, at @ct's own) and publish it.
 * Context: vpid_lock held, idr preloaded.
 */
static int vpid_number_new(struct vpid_container *ct, struct vpid_pid *e,
			   int want)
{
	struct vpid_container *c;
	unsigned int l;
	int nr;

	lockdep_assert_held(&vpid_lock);
	for (c = ct, l = ct->level; c; c = c->parent, l--) {
		nr = vpid_nr_alloc(c, e, c != ct ? 0 : want ? want : ct->next_nr);
		if (nr < 0) {
			vpid_record_unnumber(e, l + 1);
			return nr == -EBUSY ? -EEXIST : nr;
		}
		e->up[l].ct = c;
		e->up[l].nr = nr;
	}
	if (ct->next_nr && !want) {
		/* like a write to ns_last_pid: allocation goes on from here */
		idr_set_cursor(&ct->idr, ct->next_nr + 1);
		ct->next_nr = 0;
	}
	ct->nr_tasks++;
	kref_get(&ct->ref);
	get_pid(e->pid);
	hlist_add_head_rcu(&e->hnode, vpid_bucket(e->pid));
	/*
	 * vpid 1 of a container made empty: the init (no thread gets it,
	 * vpid_initless_clone()); not one of a native pid namespace inside.
	 */
	if (!ct->init_pid && e->up[ct->level].nr == 1 &&
	    e->pid->level == ct->base_level)
		vpid_container_new_init(ct, e->pid, false);
	return 0;
}

/**
 * vpid_pid_forked() - number a struct pid the current task just allocated
 * @pid: the new struct pid (from alloc_pid())
 * @want: the number it must get in the container (clone3's set_tid), or 0
 *
 * The new task joins the current task's container, also when it is made
 * in a native pid namespace below the container's own, or the container a
 * task outside joined with setns() (vpid_forks_into()).  A pending nextpid is
 * honoured there (-EEXIST when that number was taken in the meantime, as
 * clone3's set_tid does); a dying container refuses new tasks with -ENOMEM
 * like a pid namespace whose init has exited.
 *
 * Context: process context, may sleep.
 * Return: 0 (also when the current task is on the host) or a -errno.
 */
int vpid_pid_forked(struct pid *pid, int want)
{
	struct vpid_container *ct;
	struct vpid_pid *e;
	unsigned long flags;
	unsigned int level;
	bool retry;
	int err;

	rcu_read_lock();
	ct = vpid_forks_into(ns_of_pid(pid));
	level = ct ? ct->level : 0;
	rcu_read_unlock();
	if (!ct)
		return 0;
again:
	err = 0;
	retry = false;
	e = vpid_record_alloc(level, GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->pid = pid;
	vpid_idr_preload(GFP_KERNEL);
	spin_lock_irqsave(&vpid_lock, flags);
	ct = vpid_forks_into(ns_of_pid(pid));
	if (!ct)
		goto unlock;
	if (ct->level != level) {
		/* attached elsewhere meanwhile: a record of another size */
		level = ct->level;
		retry = true;
		goto unlock;
	}
	if (!vpid_container_accepts(ct)) {
		err = -ENOMEM;
		goto unlock;
	}
	err = vpid_number_new(ct, e, want);
	if (!err)
		e = NULL;
unlock:
	spin_unlock_irqrestore(&vpid_lock, flags);
	idr_preload_end();
	vpid_record_kfree(e);
	if (retry)
		goto again;
	return err;
}

/**
 * vpid_pid_released() - the kernel freed a struct pid's numbers
 * @pid: the struct pid passed to free_pid()
 *
 * Context: any; free_pid() may run under write_lock_irq(&tasklist_lock).
 */
void vpid_pid_released(struct pid *pid)
{
	struct vpid_pid *e;
	unsigned long flags;
	bool mapped;

	rcu_read_lock();
	e = vpid_lookup(pid);
	mapped = e && !READ_ONCE(e->dead);
	rcu_read_unlock();
	if (!mapped)
		return;

	spin_lock_irqsave(&vpid_lock, flags);
	e = vpid_lookup(pid);
	if (e && !READ_ONCE(e->dead)) {
		WRITE_ONCE(e->dead, true);
		e->up[e->level].ct->nr_tasks--;
		vpid_record_unnumber(e, 1);
		list_add_tail(&e->dead_node, &vpid_dead);
	}
	spin_unlock_irqrestore(&vpid_lock, flags);
	vpid_life_reap_soon();
}

/* Undo vpid_renumber(): free the numbers it took (positive), not the kept. */
static void vpid_renumber_undo(struct vpid_pid *e)
{
	unsigned int l;

	for (l = e->level; l > 0; l--)
		if (e->up[l].nr > 0)
			vpid_nr_free(e->up[l].ct, e->up[l].nr);
	vpid_record_kfree(e);
}

/*
 * Build the record @pid would have in @dst, keeping the numbers it already
 * has at the levels it shares with its old container.  New numbers are, in
 * order: @want at @dst's own level when given, else the number the writer
 * @w knows the pid by when free, else the next free one.
 */
static struct vpid_pid *vpid_renumber(struct pid *pid, struct vpid_pid *old,
				      struct vpid_container *dst, int want,
				      const struct vpid_writer *w, int *err)
{
	struct vpid_pid *e = vpid_record_alloc(dst->level, GFP_ATOMIC);
	int seen = vpid_nr_seen(pid, w->view, w->pidns);
	unsigned int l;
	struct vpid_container *c;
	int nr;

	if (!e) {
		*err = -ENOMEM;
		return NULL;
	}
	e->pid = pid;
	for (c = dst, l = dst->level; c; c = c->parent, l--) {
		bool own = c == dst && want;

		e->up[l].ct = c;
		if (old && old->level >= l && old->up[l].ct == c &&
		    (!own || old->up[l].nr == want)) {
			e->up[l].nr = -old->up[l].nr;	/* kept: negative */
			continue;
		}
		if (own) {
			nr = vpid_nr_alloc(c, e, want);
		} else {
			nr = -EBUSY;
			if (seen > 0 && seen < vpid_pid_max())
				nr = vpid_nr_alloc(c, e, seen);
			if (nr == -EBUSY)
				nr = vpid_nr_alloc(c, e, 0);
		}
		if (nr < 0) {
			*err = nr == -EAGAIN ? -ENOSPC : nr;
			vpid_renumber_undo(e);
			return NULL;
		}
		e->up[l].nr = nr;
	}
	return e;
}

/* Make @e the record of its pid, replacing @old (may be NULL). */
static void vpid_renumber_commit(struct vpid_pid *e, struct vpid_pid *old)
{
	struct vpid_container *ct = e->up[e->level].ct;
	unsigned int l;

	for (l = 1; l <= e->level; l++) {
		if (e->up[l].nr < 0) {
			e->up[l].nr = -e->up[l].nr;
			idr_replace(&e->up[l].ct->idr, e, e->up[l].nr);
		}
	}
	ct->nr_tasks++;
	kref_get(&ct->ref);
	if (!old) {
		get_pid(e->pid);
		hlist_add_head_rcu(&e->hnode, vpid_bucket(e->pid));
		return;
	}
	hlist_replace_rcu(&old->hnode, &e->hnode);
	old->up[old->level].ct->nr_tasks--;
	for (l = old->level; l > 0; l--) {
		if (l > e->level || e->up[l].ct != old->up[l].ct ||
		    e->up[l].nr != old->up[l].nr)
			vpid_nr_free(old->up[l].ct, old->up[l].nr);
	}
	/* @old was live: on no list, its ->dead_node's room is free */
	call_rcu(&old->rcu, vpid_record_free_moved);
}

/**
 * vpid_move_group() - move a whole thread group into a container
 * @leader: the thread group leader
 * @dst: the destination container
 * @want: the vpid the leader must get in @dst, 0 for none
 * @w: the writer, whose numbers for the threads are kept when free
 *
 * All threads move or none does.  Children stay where they are.
 *
 * Context: vpid_lock held.
 * Return: 0, -EBUSY (@want taken), -ENOSPC (no free number), -ENOMEM.
 */
int vpid_move_group(struct task_struct *leader, struct vpid_container *dst,
		    int want, const struct vpid_writer *w)
{
	struct vpid_pid *e, *tmp;
	struct task_struct *t;
	LIST_HEAD(todo);
	int err = 0;

	lockdep_assert_held(&vpid_lock);
	rcu_read_lock();
	for_each_thread(leader, t) {
		struct pid *pid = READ_ONCE(t->thread_pid);
		struct vpid_pid *old;

		if (!pid)
			continue;
		old = vpid_lookup(pid);
		if (old && READ_ONCE(old->dead))
			continue;
		e = vpid_renumber(pid, old, dst, t == leader ? want : 0,
				  w, &err);
		if (!e)
			break;
		list_add_tail(&e->dead_node, &todo);
	}
	rcu_read_unlock();

	list_for_each_entry_safe(e, tmp, &todo, dead_node) {
		list_del_init(&e->dead_node);
		if (err)
			vpid_renumber_undo(e);
		else
			vpid_renumber_commit(e, vpid_lookup(e->pid));
	}
	return err;
}

/**
 * vpid_gc() - drop released records nobody can read any more
 * @all: drop every released record (no container is left to read them)
 */
void vpid_gc(bool all)
{
	struct vpid_pid *e, *tmp;
	LIST_HEAD(gone);

	spin_lock_irq(&vpid_lock);
	list_for_each_entry_safe(e, tmp, &vpid_dead, dead_node) {
		/* Ours is the last reference: no reader can reach the pid. */
		if (all || refcount_read(&e->pid->count) == 1) {
			hash_del_rcu(&e->hnode);
			list_move(&e->dead_node, &gone);
		}
	}
	if (!list_empty(&vpid_dead))
		vpid_life_reap_soon();
	spin_unlock_irq(&vpid_lock);

	/* ->rcu overlays ->dead_node: the _safe walk read the next one */
	list_for_each_entry_safe(e, tmp, &gone, dead_node)
		call_rcu(&e->rcu, vpid_record_free);
}

/**
 * vpid_pidmap_init() - find the global pid_max where there is one
 *
 * Return: 0.
 */
int vpid_pidmap_init(void)
{
	if (VPID_PID_MAX_PER_NS)
		return 0;
	vpid_pid_max_var = (int *)vpid_ksym("pid_max");
	if (!vpid_pid_max_var)
		pr_warn("pid_max not found, assuming %d\n", PID_MAX_DEFAULT);
	return 0;
}

/**
 * vpid_pidmap_exit() - free every record left (no hook runs any more)
 */
void vpid_pidmap_exit(void)
{
	vpid_gc(true);
	rcu_barrier();
	WARN_ON(!hash_empty(vpid_hash));
}
