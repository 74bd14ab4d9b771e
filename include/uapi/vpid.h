/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * uapi/vpid.h - the user contract of vpid in one header: the control file,
 * its commands, its limits and its listing format.  The module, vpidctl and
 * the tests include it; nothing else spells these values.
 * Documentation/control-file.md says what each command does.
 *
 * Plain C with no dependency, for the kernel and for user space alike.
 */
#ifndef _UAPI_VPID_H
#define _UAPI_VPID_H

/* The control file: one command per write(2), the listing on read(2). */
#define VPID_CONTROL_NAME	"container"	/* below /proc */
#define VPID_CONTROL_FILE	"/proc/" VPID_CONTROL_NAME

/*
 * A container name: 1 to VPID_NAME_MAX bytes of VPID_NAME_CHARS, neither
 * "." nor "..", unique among its siblings.  A PATH is names joined by
 * single slashes, relative to the writer's own container.
 */
#define VPID_NAME_MAX		63
#define VPID_NAME_CHARS		"A-Z a-z 0-9 . _ -"

/* Containers nest at most this deep below the host (as pid namespaces). */
#define VPID_DEPTH_MAX		32

/* Pids and vpids in commands: 1 to PID_MAX_LIMIT of a 64-bit kernel. */
#define VPID_NR_MAX		4194304

/* The longest write the control file accepts, in bytes. */
#define VPID_CMD_MAX		4096

/*
 * The commands, first word of a write (a write of a bare NAME creates):
 *	NAME			create NAME and enter it as its vpid 1
 *	attach PATH PID [VPID]	move thread group PID into PATH
 *	nextpid PATH VPID	the next task made in PATH gets VPID
 *	destroy PATH		kill everything in PATH and below
 *	mkempty NAME		create NAME with no task: the first task to
 *				get vpid 1 there becomes its init
 */
#define VPID_CMD_ATTACH		"attach"
#define VPID_CMD_NEXTPID	"nextpid"
#define VPID_CMD_DESTROY	"destroy"
#define VPID_CMD_MKEMPTY	"mkempty"

/*
 * The listing: VPID_LIST_HEADER, then one line per container the reader
 * sees, "PATH LEVEL INIT TASKS", blank-separated: its own first as
 * VPID_LIST_SELF (the host's own line reads ". 0 1 -"), then every
 * container below it depth first.  INIT is the pid of the container's vpid 1
 * as the reader sees it (0 once it exited); more fields may follow in later
 * versions, and readers ignore them and any further '#' line.
 */
#define VPID_LIST_HEADER	"# path level init tasks"
#define VPID_LIST_SELF		"."
#define VPID_LIST_NO_TASKS	"-"

#endif /* _UAPI_VPID_H */
