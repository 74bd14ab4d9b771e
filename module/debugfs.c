// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.c - the module's own counters, for tests and for users chasing a
 * leak: /sys/kernel/debug/vpid/stats, one "name value" pair a line.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "vpid.h"
#include "debugfs.h"

static struct dentry *vpid_debugfs_dir;

static int vpid_stats_show(struct seq_file *m, void *v)
{
	seq_printf(m, "containers %u\n", vpid_containers_alive());
	seq_printf(m, "container_structs %d\n", atomic_read(&vpid_stat_containers));
	seq_printf(m, "pid_records %d\n", atomic_read(&vpid_stat_records));
	seq_printf(m, "entering %d\n", atomic_read(&vpid_nr_entering));
	seq_printf(m, "hooks_installed %d\n", vpid_engine_installed());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vpid_stats);

/**
 * vpid_debugfs_init() - create /sys/kernel/debug/vpid/stats
 *
 * A kernel without debugfs just has no counters: not an error.
 */
void vpid_debugfs_init(void)
{
	vpid_debugfs_dir = debugfs_create_dir("vpid", NULL);
	debugfs_create_file("stats", 0444, vpid_debugfs_dir, NULL,
			    &vpid_stats_fops);
}

/**
 * vpid_debugfs_exit() - remove it
 */
void vpid_debugfs_exit(void)
{
	debugfs_remove_recursive(vpid_debugfs_dir);
}
