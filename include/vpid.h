/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vpid.h - the core (core/): containers, the per-struct-pid translation
 * records, the shadow pid namespaces and the module's active life, and
 * what each core file offers the hooks (hooks/), the control file
 * (procfs/) and the module's top (module/).  The core calls only the
 * engine (engine/engine.h): never up.
 */
#ifndef VPID_H
#define VPID_H

#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/signal_types.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include "engine.h"

struct kernel_clone_args;

#include "uapi/vpid.h"

#define VPID_MAX_LEVEL		VPID_DEPTH_MAX	/* like MAX_PID_NS_LEVEL */
#define VPID_RESERVED_PIDS	300	/* kernel/pid.c RESERVED_PIDS */

/**
 * struct vpid_container - a container: one level of virtual pid numbering
 * @ref: memory lifetime (the tree, child containers and records hold it)
 * @parent: enclosing container, NULL for a top-level one (host parent);
 *	fixed
 * @children: child containers, in creation order (the listing's) [L]
 * @sibling: link in the parent's @children (or vpid_top) [L]
 * @name_node: link in the name hash, keyed by (@parent, @name), where a
 *	child is found by its name [L]; RCU readers
 * @idr: vpid -> struct vpid_pid, for this container's tasks and every
 *	descendant's [L]; RCU readers
 * @level: 1 for a container of the host, parent's + 1 below; fixed
 * @base: the kernel pid namespace its tasks live in (its creator's active
 *	one: the host's, or a native pid namespace), a reference held; fixed
 * @base_level: @base->level, for the hot path's view test; fixed
 * @nr_live: numbers held in @idr; the container lives while it is non-zero
 *	[L]
 * @nr_tasks: live tasks whose innermost container this is [L]
 * @next_nr: vpid the next task created here gets (nextpid), 0 if none [L]
 * @dying: destroy or init exit: no new task may enter [L, RCU]
 * @zapped: its init is exiting and killing the rest (set once, xchg())
 * @alive: still in the tree [L, RCU]
 * @init_pid: the thread group that holds its vpid 1 (reference held):
 *	its creator, or for a container made empty ("mkempty") the first
 *	task to get vpid 1 there, NULL until then; set once [L, RCU]
 * @unsettled: made empty, and its init is not yet a child subreaper (it
 *	becomes one at its first fork, vpid_init_mark_subreaper()); counted
 *	in vpid_nr_unsettled; cleared once (xchg())
 * @unshared: the thread that called unshare(CLONE_NEWPID) there while it
 *	had no init (a reference held): its next child becomes the init, as
 *	the first child after unshare() natively (vpid_initless_unshare());
 *	set once (cmpxchg())
 * @zap_work: the init's exit kills the rest (task work, core/death.c)
 * @reboot: reboot() from inside: the init's exit status (SIGHUP/SIGINT)
 *	[WRITE_ONCE/READ_ONCE]
 * @user_subreaper: the init's own PR_SET_CHILD_SUBREAPER (hooks/prctl.c)
 *	[WRITE_ONCE/READ_ONCE]
 * @shadow: its pid namespace for /proc (core/shadow.c), or NULL [L]
 * @shadow_entry: @shadow's lookup entry while the container lives [L]
 * @acct_node: link in core/acct.c's list of containers ended with their
 *	accounting on [L]
 * @rcu: deferred free
 * @name: the name under its parent; fixed
 *
 * [L]: written under vpid_lock (core/pidmap.c says what else it covers)
 * and read under it; [L, RCU]: also read under RCU alone, with READ_ONCE()
 * against the writer's WRITE_ONCE().
 */
struct vpid_container {
	struct kref ref;
	struct vpid_container *parent;
	struct list_head children;
	struct list_head sibling;
	struct hlist_node name_node;
	struct idr idr;
	unsigned int level;
	struct pid_namespace *base;
	unsigned int base_level;
	unsigned int nr_live;
	unsigned int nr_tasks;
	int next_nr;
	bool dying;
	bool zapped;
	bool alive;
	struct pid *init_pid;
	bool unsettled;
	struct pid *unshared;
	struct callback_head zap_work;
	int reboot;
	bool user_subreaper;
	struct pid_namespace *shadow;
	struct vpid_shadow *shadow_entry;
	struct list_head acct_node;
	struct rcu_head rcu;
	char name[VPID_NAME_MAX + 1];
};

/**
 * struct vpid_up - the number of one struct pid at one container level
 * @ct: the container of that level
 * @nr: the vpid there
 */
struct vpid_up {
	struct vpid_container *ct;
	int nr;
};

/**
 * struct vpid_pid - virtual numbers of one struct pid (mirrors pid->numbers)
 * @hnode: link in the global hash, keyed by @pid
 * @dead_node: link in the list of released records awaiting the last put,
 *	or in a list private to the lock holder (vpid_move_group(), vpid_gc())
 * @rcu: deferred free; shares @dead_node's room: a record is handed to
 *	call_rcu() once it is on no list but one being walked with
 *	list_for_each_entry_safe() (RCU readers never read @dead_node)
 * @pid: the kernel's struct pid (a reference is held while the record is)
 * @level: level of the innermost container (@up[@level].ct)
 * @dead: the kernel freed the numbers (free_pid); numbers stay readable
 * @sigbuf: PREEMPT_RT only: translated siginfo of a signal this task sends
 *	([0]) or gets from the host ([1]); hooks/signal.c says who may use
 *	them when (elsewhere one buffer per CPU serves)
 * @up: numbers at levels 1..@level; index 0 is the host (unused)
 */
struct vpid_pid {
	struct hlist_node hnode;
	union {
		struct list_head dead_node;
		struct rcu_head rcu;
	};
	struct pid *pid;
	unsigned int level;
	bool dead;
#ifdef CONFIG_PREEMPT_RT
	struct kernel_siginfo sigbuf[2];
#endif
	struct vpid_up up[];
};

/**
 * struct vpid_writer - who writes or reads /proc/container
 * @member: the container it is a task of, NULL for a host task
 * @view: @member when it sees @member's numbers (it lives in @member's base
 *	pid namespace), else NULL: it sees the kernel's numbering of @pidns
 * @pidns: its active kernel pid namespace
 *
 * A writer without a @view (a task of a native pid namespace, made inside a
 * container or on the host) reaches only containers made within @pidns.
 */
struct vpid_writer {
	struct vpid_container *member;
	struct vpid_container *view;
	struct pid_namespace *pidns;
};

extern spinlock_t vpid_lock;
extern struct list_head vpid_top;

/* core/pidmap.c */
/*
 * Records by struct pid (vpid_lock; RCU readers).  2^16 buckets (512 KiB):
 * every host task's hooked getpid() and kill() asks whether its bucket is
 * empty, and goes on to a lookup that finds nothing when it is not; with
 * 30,000 container tasks 37 % of the buckets are taken (84 % of 2^14).
 */
#define VPID_HASH_BITS 16
extern struct hlist_head vpid_hash[1 << VPID_HASH_BITS];

/*
 * vpid_bucket() - a struct pid's bucket in vpid_hash: hash_32() of the low
 * half of its address (slab objects differ there), whose multiplier is an
 * immediate, so that the quick filters (VPID_DIRECT_QUICK) need no scratch
 * register besides %rax.
 */
static __always_inline struct hlist_head *vpid_bucket(struct pid *pid)
{
	/*
	 * Not &vpid_hash[i]: with CONFIG_UBSAN_BOUNDS (Debian 7.x) the
	 * subscript's check, although folded away, makes gcc 14 save every
	 * register in the quick filters (__no_caller_saved_registers).
	 */
	return vpid_hash + hash_32((u32)(unsigned long)pid, VPID_HASH_BITS);
}

/**
 * vpid_pid_may_have_record() - a quick "no" for most struct pids of no
 * container: their bucket of the record hash is empty
 * @pid: the struct pid, may be NULL
 *
 * It reads one word and dereferences nothing, so it needs no lock; a "yes"
 * is only a maybe (vpid_lookup() tells).
 *
 * Return: false if @pid surely has no record.
 */
static inline bool vpid_pid_may_have_record(struct pid *pid)
{
	return !hlist_empty(vpid_bucket(pid));
}

/**
 * vpid_lookup() - the record of a struct pid
 * @pid: the struct pid
 *
 * Inline: every hot hook asks it once or twice per call.
 *
 * Context: RCU read side (RCU-sched too) or vpid_lock.
 * Return: the record, dead or alive, or NULL for a pid of no container.
 */
static inline struct vpid_pid *vpid_lookup(struct pid *pid)
{
	struct vpid_pid *e;

	hlist_for_each_entry_rcu(e, vpid_bucket(pid),
				 hnode, lockdep_is_held(&vpid_lock)) {
		if (e->pid == pid)
			return e;
	}
	return NULL;
}

/**
 * vpid_nr_view() - the number of a struct pid as a container sees it
 * @pid: the struct pid, may be NULL
 * @view: the viewing container, NULL for the host
 *
 * Inline: getppid(), kill() and /proc readdir ask it once per call.
 *
 * Context: RCU read side or vpid_lock.
 * Return: the number, or 0 when @pid is not in @view (pid_nr_ns semantics).
 */
static inline pid_t vpid_nr_view(struct pid *pid, struct vpid_container *view)
{
	struct vpid_pid *e;

	if (!pid)
		return 0;
	if (!view)
		return pid_nr(pid);
	e = vpid_lookup(pid);
	if (!e || e->level < view->level || e->up[view->level].ct != view)
		return 0;
	return e->up[view->level].nr;
}

struct vpid_container *vpid_container_of_pid(struct pid *pid);
struct vpid_container *vpid_member_of_pid(struct pid *pid);
struct vpid_container *vpid_current_container(void);
struct vpid_container *vpid_forks_into(struct pid_namespace *ns);
pid_t vpid_nr_seen(struct pid *pid, struct vpid_container *view,
		   struct pid_namespace *pidns);
struct pid *vpid_find_pid(struct vpid_container *view, int nr);
struct vpid_container *vpid_pidns_maker(struct pid_namespace *ns);
int vpid_pid_forked(struct pid *pid, int want);
void vpid_pid_released(struct pid *pid);
int vpid_move_group(struct task_struct *leader, struct vpid_container *dst,
		    int want, const struct vpid_writer *w);
void vpid_gc(bool all);
int vpid_pidmap_init(void);
void vpid_pidmap_exit(void);
int vpid_pid_max(void);
int vpid_last_nr(int *nr);
int vpid_set_last_nr(int nr);

/* core/container.c */
struct vpid_container *vpid_container_alloc(struct vpid_container *parent,
					    const char *name);
void vpid_container_put(struct vpid_container *ct);

/**
 * vpid_container_tryget() - a reference on a container found under RCU,
 * unless its memory is already going
 * @ct: the container, may be NULL
 *
 * Context: RCU read side (what found @ct).
 * Return: @ct with a reference (drop it with vpid_container_put()), or NULL.
 */
static inline struct vpid_container *
vpid_container_tryget(struct vpid_container *ct)
{
	return ct && kref_get_unless_zero(&ct->ref) ? ct : NULL;
}

void vpid_container_emptied(struct vpid_container *ct);
void vpid_writer_of_current(struct vpid_writer *w);
bool vpid_container_visible(struct vpid_container *ct,
			    const struct vpid_writer *w);
struct vpid_container *vpid_container_walk(const struct vpid_writer *w,
					   const char *path, int *err);
bool vpid_container_accepts(struct vpid_container *ct);
bool vpid_container_within(struct vpid_container *ct,
			   struct vpid_container *view);
struct vpid_container *vpid_init_of(struct pid *tgid);
unsigned int vpid_containers_alive(void);
int vpid_container_create(const char *name, bool empty);
void vpid_container_new_init(struct vpid_container *ct, struct pid *tgid,
			     bool user_subreaper);
void vpid_init_mark_subreaper(void);
bool vpid_initless_clone(struct kernel_clone_args *args);
bool vpid_initless_unshare(void);
extern atomic_t vpid_nr_unsettled;
int vpid_container_attach(const char *path, int nr, int want);
int vpid_container_nextpid(const char *path, int want);

/* core/enter.c */
extern atomic_t vpid_nr_entering;
struct vpid_container *vpid_entered(struct pid *pid);
struct vpid_enter;
struct vpid_enter *vpid_enter_alloc(void);
void vpid_enter_install(struct vpid_enter *n, struct vpid_container *ct,
			struct pid_namespace *ns);
int vpid_enter_set(struct vpid_container *ct, struct pid_namespace *ns);
struct vpid_container *vpid_entered_into(struct pid *pid,
					 struct pid_namespace *ns);
void vpid_enter_released(struct pid *pid);
void vpid_enter_emptied(struct vpid_container *ct);
bool vpid_entered_refuses(unsigned long flags);

/* core/shadow.c */
/*
 * Marks a shadow for the hooks' cheap first test: pid_namespace.reboot is
 * only ever read or written for a namespace that has tasks.
 */
#define VPID_SHADOW_MARK	0x76706964	/* "vpid" */

/**
 * vpid_may_be_shadow() - a quick "no" for a pid namespace that is no
 * container's shadow (every namespace but a few)
 * @pidns: any pid namespace, may be NULL
 *
 * Return: false if @pidns surely is none; a "yes" is a maybe
 * (vpid_shadow_view() tells).
 */
static inline bool vpid_may_be_shadow(struct pid_namespace *pidns)
{
	return pidns && pidns->level == 1 &&
	       READ_ONCE(pidns->reboot) == VPID_SHADOW_MARK;
}

/**
 * struct vpid_shadow - one container's shadow pid namespace
 * @hnode: link in vpid_shadows, keyed by @pidns
 * @pidns: the namespace (the container's reference)
 * @ct: the container; the entry is unhashed before it goes
 * @rcu: deferred free
 */
struct vpid_shadow {
	struct hlist_node hnode;
	struct pid_namespace *pidns;
	struct vpid_container *ct;
	struct rcu_head rcu;
};

/* Shadows are looked up by pid namespace: one per container (vpid_lock). */
#define VPID_SHADOW_HASH_BITS	6
extern struct hlist_head vpid_shadows[1 << VPID_SHADOW_HASH_BITS];

/**
 * vpid_shadow_view() - the container a shadow pid namespace stands for
 * @pidns: any pid namespace, may be NULL
 *
 * Inline: a container's /proc asks it on every pid it reads.
 *
 * Context: RCU read side.
 * Return: the container, or NULL if @pidns is no live container's shadow.
 */
static inline struct vpid_container *
vpid_shadow_view(struct pid_namespace *pidns)
{
	struct vpid_shadow *s;

	if (!vpid_may_be_shadow(pidns))
		return NULL;
	hash_for_each_possible_rcu(vpid_shadows, s, hnode, (unsigned long)pidns)
		if (s->pidns == pidns)
			return s->ct;
	return NULL;
}

/* The pid namespace of an nsfs ns_common of type CLONE_NEWPID. */
static inline struct pid_namespace *vpid_to_pid_ns(struct ns_common *ns)
{
	return container_of(ns, struct pid_namespace, ns);
}

bool vpid_is_shadow(struct pid_namespace *pidns);
struct pid_namespace *vpid_shadow_get(struct vpid_container *ct);
struct pid_namespace *vpid_shadow_borrow(struct vpid_container *ct, bool make);
struct pid_namespace *vpid_shadow_of_current(void);
void vpid_shadow_unlink(struct vpid_container *ct);
void vpid_shadow_release(struct vpid_container *ct);
int vpid_shadow_init(void);

/* core/death.c */
void vpid_container_mark_dying(struct vpid_container *ct);
int vpid_container_destroy(const char *path);
void vpid_container_init_exiting(void);
void vpid_container_reboot(int sig);
int vpid_death_init(void);

/* core/acct.c */
#ifdef CONFIG_BSD_PROCESS_ACCT
extern struct task_struct *vpid_acct_closer;
/* Is a container's accounting being turned off (by any task)? */
static __always_inline bool vpid_acct_busy(void)
{
	return READ_ONCE(vpid_acct_closer);
}

struct pid_namespace *vpid_acct_closing(void);
void vpid_acct_emptied(struct vpid_container *ct);
void vpid_acct_flush(void);
void vpid_acct_exit(void);
int vpid_acct_init(void);
#else
static __always_inline bool vpid_acct_busy(void) { return false; }
static inline struct pid_namespace *vpid_acct_closing(void) { return NULL; }
static inline void vpid_acct_emptied(struct vpid_container *ct) { }
static inline void vpid_acct_flush(void) { }
static inline void vpid_acct_exit(void) { }
static inline int vpid_acct_init(void) { return 0; }
#endif

/* core/life.c */
int vpid_life_create(const char *name, bool empty);
void vpid_life_reap_soon(void);
void vpid_life_exit(void);

/* counters (module/debugfs.c shows them) */
extern atomic_t vpid_stat_containers;	/* core/container.c */
extern atomic_t vpid_stat_records;	/* core/pidmap.c */

#endif /* VPID_H */
