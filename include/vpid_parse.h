/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vpid_parse.h - the /proc/container command parser.  Plain C with no
 * kernel dependency, so the same file builds into a user-space fuzzer.
 */
#ifndef VPID_PARSE_H
#define VPID_PARSE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#endif
#include "uapi/vpid.h"

enum vpid_op {
	VPID_OP_CREATE,
	VPID_OP_ATTACH,
	VPID_OP_NEXTPID,
	VPID_OP_DESTROY,
	VPID_OP_MKEMPTY,
};

/**
 * struct vpid_cmd - one parsed command
 * @op: what to do
 * @path: the NAME (create, mkempty) or PATH, NUL-terminated inside the parsed buffer
 * @pid: attach: the thread group, as the writer sees it
 * @vpid: attach: the vpid asked for (0: none); nextpid: the vpid
 */
struct vpid_cmd {
	enum vpid_op op;
	const char *path;
	int pid;
	int vpid;
};

int vpid_parse_cmd(char *buf, size_t len, struct vpid_cmd *cmd);
int vpid_parse_name(const char *s, size_t len);
int vpid_parse_path(const char *s);

#endif /* VPID_PARSE_H */
