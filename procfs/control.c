// SPDX-License-Identifier: GPL-2.0
/*
 * control.c - /proc/container: one command per write, a listing on read.
 *
 * Read format (stable, one container per line, space separated):
 *   # path level init tasks
 *   . LEVEL INIT TASKS          the reader's own container (host: ". 0 1 -")
 *   PATH LEVEL INIT TASKS       every container below it, depth first
 * PATH is relative to the reader, INIT the pid of the container's vpid 1 as
 * the reader sees it (0 once it has exited), TASKS its live tasks (threads)
 * not counting those of nested containers.  A reader in a native pid
 * namespace lists as the host does, but only the containers made within
 * that namespace, with its numbers.
 */
#include <linux/capability.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "vpid.h"
#include "vpid_parse.h"
#include "control.h"

#define VPID_PATH_MAX (VPID_MAX_LEVEL * (VPID_NAME_MAX + 1) + 1)

static struct proc_dir_entry *vpid_control_entry;

static pid_t vpid_init_nr(struct vpid_container *ct, const struct vpid_writer *w)
{
	struct vpid_pid *e = ct->init_pid ? vpid_lookup(ct->init_pid) : NULL;

	if (!e || READ_ONCE(e->dead))
		return 0;
	return vpid_nr_seen(ct->init_pid, w->view, w->pidns);
}

/* The containers below @ns that @w sees, depth first; @path holds @ns's. */
static void vpid_show_tree(struct seq_file *m, struct list_head *children,
			   const struct vpid_writer *w, char *path, size_t len)
{
	struct vpid_container *c;

	list_for_each_entry(c, children, sibling) {
		size_t n = strlen(c->name);
		size_t at = len ? len + 1 : 0;

		if (!vpid_container_visible(c, w))
			continue;
		if (len)
			path[len] = '/';
		memcpy(path + at, c->name, n + 1);
		seq_printf(m, "%s %u %d %u\n", path, c->level,
			   vpid_init_nr(c, w), c->nr_tasks);
		vpid_show_tree(m, &c->children, w, path, at + n);
	}
}

static int vpid_control_show(struct seq_file *m, void *v)
{
	char *path = kmalloc(VPID_PATH_MAX, GFP_KERNEL);
	struct vpid_writer w;

	if (!path)
		return -ENOMEM;
	seq_puts(m, VPID_LIST_HEADER "\n");
	spin_lock_irq(&vpid_lock);
	vpid_writer_of_current(&w);
	/* a reader with the kernel's view of a pid namespace: as the host */
	if (w.view)
		seq_printf(m, ". %u %d %u\n", w.view->level,
			   vpid_init_nr(w.view, &w), w.view->nr_tasks);
	else
		seq_puts(m, ". 0 1 -\n");
	vpid_show_tree(m, w.member ? &w.member->children : &vpid_top, &w,
		       path, 0);
	spin_unlock_irq(&vpid_lock);
	kfree(path);
	return 0;
}

static int vpid_control_open(struct inode *inode, struct file *file)
{
	return single_open(file, vpid_control_show, NULL);
}

static int vpid_control_do(struct vpid_cmd *cmd)
{
	switch (cmd->op) {
	case VPID_OP_CREATE:
		return vpid_life_create(cmd->path, false);
	case VPID_OP_ATTACH:
		return vpid_container_attach(cmd->path, cmd->pid, cmd->vpid);
	case VPID_OP_NEXTPID:
		return vpid_container_nextpid(cmd->path, cmd->vpid);
	case VPID_OP_DESTROY:
		return vpid_container_destroy(cmd->path);
	case VPID_OP_MKEMPTY:
		return vpid_life_create(cmd->path, true);
	}
	return -EINVAL;
}

static ssize_t vpid_control_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *off)
{
	struct vpid_cmd cmd;
	char *buf;
	int err;

	/* Both the opener and the writer must be privileged. */
	if (!file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN) ||
	    !capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len == 0 || len > VPID_CMD_MAX)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	err = vpid_parse_cmd(buf, len, &cmd);
	if (!err)
		err = vpid_control_do(&cmd);
	kfree(buf);
	return err ? err : len;
}

static const struct proc_ops vpid_control_ops = {
	.proc_open	= vpid_control_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
	.proc_write	= vpid_control_write,
};

/**
 * vpid_control_init() - create /proc/container
 *
 * Return: 0 or -ENOMEM.
 */
int vpid_control_init(void)
{
	/*
	 * World-writable on purpose (DESIGN.md): every writer without
	 * CAP_SYS_ADMIN gets EPERM from the write, not EACCES from open().
	 */
	vpid_control_entry = proc_create(VPID_CONTROL_NAME, 0666, NULL,
					 &vpid_control_ops);
	return vpid_control_entry ? 0 : -ENOMEM;
}

/**
 * vpid_control_exit() - remove /proc/container (waits for writers)
 */
void vpid_control_exit(void)
{
	proc_remove(vpid_control_entry);
}
