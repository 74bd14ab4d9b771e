// SPDX-License-Identifier: GPL-2.0
/*
 * enter.c - tasks that joined a container's pid namespace with setns()
 * (nsenter -p) from outside every container, or from a container above
 * it: their children are born in that container, as natively the children
 * of a task that joined a pid namespace are born in it while the task
 * itself stays where it was.
 *
 * Natively setns() sets the caller's pid_ns_for_children; here the kernel
 * is given the container's base (the caller's own namespace, for a
 * container of the host: hooks/nsid.c), and the caller is recorded with
 * its container, until it joins another pid namespace, its struct pid is
 * freed (its thread is reaped) or the container ends.  Then a fork by it
 * is numbered in the container (vpid_pid_forked()), and its threads and
 * new pid namespaces are refused (-EINVAL, vpid_entered_refuses()), as
 * natively for a task whose children go into another pid namespace.
 *
 * Records are few and short-lived (an nsenter process): one small hash
 * under vpid_lock, read under RCU; vpid_nr_entering lets every other fork
 * and free_pid() skip the lookup.
 */
#include <linux/hashtable.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include "vpid.h"

/**
 * struct vpid_enter - a task whose children go into a container it joined
 * @hnode: link in vpid_enters, keyed by @pid
 * @pid: the task's struct pid (its thread's; no reference: the record goes
 *	when free_pid() releases it)
 * @ct: the container (a reference)
 * @ns: the kernel's pid namespace its children are born in: @ct's base, or
 *	a native one made inside @ct (no reference: it is the task's
 *	pid_ns_for_children as long as the record lives, and only compared)
 * @rcu: deferred free
 */
struct vpid_enter {
	struct hlist_node hnode;
	struct pid *pid;
	struct vpid_container *ct;
	struct pid_namespace *ns;
	struct rcu_head rcu;
};

#define VPID_ENTER_HASH_BITS	4
/* The records (vpid_lock; RCU readers) and how many there are. */
static DEFINE_HASHTABLE(vpid_enters, VPID_ENTER_HASH_BITS);
atomic_t vpid_nr_entering = ATOMIC_INIT(0);

static struct vpid_enter *vpid_enter_find(struct pid *pid)
{
	struct vpid_enter *n;

	hash_for_each_possible_rcu(vpid_enters, n, hnode, (unsigned long)pid,
				   lockdep_is_held(&vpid_lock))
		if (n->pid == pid)
			return n;
	return NULL;
}

/* Unhash @n (vpid_lock held); the caller frees it with vpid_enter_free(). */
static void vpid_enter_unhash(struct vpid_enter *n)
{
	lockdep_assert_held(&vpid_lock);
	hash_del_rcu(&n->hnode);
	atomic_dec(&vpid_nr_entering);
}

static void vpid_enter_free(struct vpid_enter *n)
{
	vpid_container_put(n->ct);
	kfree_rcu(n, rcu);
}

/**
 * vpid_entered() - the container a task joined with setns(), from outside
 * every container or from one above it
 * @pid: the task's struct pid (task_pid())
 *
 * Context: RCU read side (RCU-sched too) or vpid_lock.
 * Return: the container, or NULL.
 */
struct vpid_container *vpid_entered(struct pid *pid)
{
	struct vpid_enter *n;

	if (likely(!atomic_read(&vpid_nr_entering)))
		return NULL;
	n = vpid_enter_find(pid);
	return n ? n->ct : NULL;
}

/**
 * vpid_entered_into() - the container a child of a task that joined one
 * with setns() joins, born in @ns
 * @pid: the task's struct pid (task_pid())
 * @ns: the pid namespace the child is born in
 *
 * Context: RCU read side or vpid_lock.
 * Return: the container the task joined, if @ns is the one it joined there.
 */
struct vpid_container *vpid_entered_into(struct pid *pid,
					 struct pid_namespace *ns)
{
	struct vpid_enter *n;

	if (likely(!atomic_read(&vpid_nr_entering)))
		return NULL;
	n = vpid_enter_find(pid);
	return n && n->ns == ns ? n->ct : NULL;
}

/**
 * vpid_enter_alloc() - a record for vpid_enter_install(), allocated ahead
 * (before a point of no return)
 *
 * Context: process context, may sleep.
 * Return: the record, or NULL without memory.
 */
struct vpid_enter *vpid_enter_alloc(void)
{
	return kmalloc(sizeof(struct vpid_enter), GFP_KERNEL);
}

/**
 * vpid_enter_install() - record that the current task's children go into
 * a container, or no longer
 * @n: a record from vpid_enter_alloc(), used or freed here; NULL with a
 *	NULL @ct
 * @ct: the container, or NULL to forget the current task's record
 * @ns: the namespace joined: @ct's base or a native one made inside it
 *
 * A container that ended meanwhile is not recorded: the task's children
 * stay where it is (natively a fork into a namespace whose init is gone
 * fails with -ENOMEM).
 *
 * Context: process context.
 */
void vpid_enter_install(struct vpid_enter *n, struct vpid_container *ct,
			struct pid_namespace *ns)
{
	struct pid *pid = task_pid(current);
	struct vpid_enter *old;
	unsigned long flags;

	if (!ct && !atomic_read(&vpid_nr_entering)) {
		kfree(n);
		return;
	}
	spin_lock_irqsave(&vpid_lock, flags);
	old = vpid_enter_find(pid);
	if (old)
		vpid_enter_unhash(old);
	if (n && ct && ct->alive) {
		kref_get(&ct->ref);
		n->pid = pid;
		n->ct = ct;
		n->ns = ns;
		hash_add_rcu(vpid_enters, &n->hnode, (unsigned long)pid);
		atomic_inc(&vpid_nr_entering);
		n = NULL;
	}
	spin_unlock_irqrestore(&vpid_lock, flags);
	if (old)
		vpid_enter_free(old);
	kfree(n);
}

/**
 * vpid_enter_set() - vpid_enter_install() with its own allocation
 * @ct: the container, or NULL to forget the current task's record
 * @ns: the namespace joined: @ct's base or a native one made inside it
 *
 * Context: process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int vpid_enter_set(struct vpid_container *ct, struct pid_namespace *ns)
{
	struct vpid_enter *n = NULL;

	if (ct) {
		n = vpid_enter_alloc();
		if (!n)
			return -ENOMEM;
	}
	vpid_enter_install(n, ct, ns);
	return 0;
}

/**
 * vpid_enter_released() - free_pid() of a struct pid: its record goes
 * @pid: the struct pid
 *
 * Context: any; free_pid() may run under write_lock_irq(&tasklist_lock).
 */
void vpid_enter_released(struct pid *pid)
{
	struct vpid_enter *n;
	unsigned long flags;

	if (likely(!atomic_read(&vpid_nr_entering)))
		return;
	spin_lock_irqsave(&vpid_lock, flags);
	n = vpid_enter_find(pid);
	if (n)
		vpid_enter_unhash(n);
	spin_unlock_irqrestore(&vpid_lock, flags);
	if (n)
		vpid_enter_free(n);
}

/**
 * vpid_enter_emptied() - a container ended: the records naming it go
 * @ct: the container
 *
 * Context: vpid_lock held.
 */
void vpid_enter_emptied(struct vpid_container *ct)
{
	struct hlist_node *tmp;
	struct vpid_enter *n;
	unsigned int b;

	lockdep_assert_held(&vpid_lock);
	if (likely(!atomic_read(&vpid_nr_entering)))
		return;
	hash_for_each_safe(vpid_enters, b, tmp, n, hnode) {
		if (n->ct != ct)
			continue;
		vpid_enter_unhash(n);
		vpid_enter_free(n);
	}
}

/**
 * vpid_entered_refuses() - would a clone or unshare() by the current task
 * make what its setns() forbids: a thread, a pid namespace (natively
 * copy_pid_ns() refuses a task whose children's namespace is not its own)
 * @flags: the clone or unshare() flags
 *
 * Context: RCU read side (an ftrace callback).
 * Return: true for CLONE_THREAD or CLONE_NEWPID by a task that joined a
 * container with setns().
 */
bool vpid_entered_refuses(unsigned long flags)
{
	return (flags & (CLONE_THREAD | CLONE_NEWPID)) &&
	       vpid_entered(task_pid(current));
}
