/* SPDX-License-Identifier: GPL-2.0 */
/*
 * debugfs.h - the module's counters file, for module/main.c alone.
 */
#ifndef VPID_DEBUGFS_H
#define VPID_DEBUGFS_H

void vpid_debugfs_init(void);
void vpid_debugfs_exit(void);

#endif /* VPID_DEBUGFS_H */
