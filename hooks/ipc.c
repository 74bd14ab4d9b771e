// SPDX-License-Identifier: GPL-2.0
/*
 * ipc.c - numbers in /proc files that follow the reader's pid namespace,
 * not the proc mount's, for a container task: the container's.
 *
 *	/proc/sysvipc/{msg,sem,shm}: the last sender/receiver and creator
 *		pids, numbered in the opener's active pid namespace
 *		(ipc/util.c, sysvipc_proc_open()): for a container task that
 *		namespace becomes its container's shadow, whose numbers the
 *		hooks of proc.c give;
 *	/proc/loadavg: its last field, the opener's namespace's last pid
 *		(fs/proc/loadavg.c): the container's, as ns_last_pid reads.
 *
 * Both originals are reached through proc_ops or a seq_file show pointer
 * (they keep their ENDBR64) and are called.
 */
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/pid_namespace.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include "hooks.h"
#include "vpid_compat.h"

/**
 * vpid_h_sysvipc_proc_open() - open of a /proc/sysvipc file by a container
 * task
 * @inode: the file's inode
 * @file: the file
 *
 * Return: 0 or a -errno.
 */
VPID_HOOK_ABI
int vpid_h_sysvipc_proc_open(struct inode *inode, struct file *file)
{
	int (*orig)(struct inode *, struct file *) =
		(void *)vpid_orig_sysvipc_proc_open;
	struct pid_namespace *shadow, **pidns;
	int ret;

	vpid_call_begin();
	shadow = vpid_shadow_of_current();
	if (IS_ERR(shadow)) {
		ret = PTR_ERR(shadow);
		goto out;
	}
	ret = orig(inode, file);
	if (!ret && shadow) {
		pidns = vpid_ipc_iter_pid_ns(file);
		put_pid_ns(*pidns);
		*pidns = shadow;
		shadow = NULL;
	}
	if (shadow)
		put_pid_ns(shadow);
out:
	vpid_call_end();
	return ret;
}

/**
 * vpid_h_loadavg_proc_show() - /proc/loadavg read by a container task
 * @m: the seq_file
 * @v: the show cookie
 *
 * Return: the original's result.
 */
VPID_HOOK_ABI
int vpid_h_loadavg_proc_show(struct seq_file *m, void *v)
{
	int (*orig)(struct seq_file *, void *) =
		(void *)vpid_orig_loadavg_proc_show;
	size_t start = m->count, end;
	int ret, nr;

	vpid_call_begin();
	ret = orig(m, v);
	if (!ret && !seq_has_overflowed(m) && m->count > start) {
		/* the last field: "... R/T LAST\n" */
		for (end = m->count; end > start && m->buf[end - 1] != ' ';)
			end--;
		if (end > start && !vpid_last_nr(&nr)) {
			m->count = end;
			seq_printf(m, "%d\n", nr);
		}
	}
	vpid_call_end();
	return ret;
}
