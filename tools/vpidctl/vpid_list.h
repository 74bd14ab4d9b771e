/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vpid_list.h - the one parser of the /proc/container listing.
 *
 * The listing (DESIGN.md, "The control file"; uapi/vpid.h):
 *   VPID_LIST_HEADER            "# path level init tasks"
 *   . LEVEL INIT TASKS          the reader's own container (host: ". 0 1 -")
 *   PATH LEVEL INIT TASKS       every container below it, depth first
 * Fields are separated by blanks; more fields may follow the four known ones
 * and are ignored, as are further '#' lines.
 */
#ifndef VPID_LIST_H
#define VPID_LIST_H

#include <stddef.h>

#include "uapi/vpid.h"

/**
 * struct vpid_list_entry - one line of the listing
 * @path: "." for the reader's own container, else "name/name/..."
 *	  relative to it
 * @level: 0 for the host, its parent's level plus one otherwise
 * @init: pid of the container's vpid 1 as the reader sees it; 0 once the
 *	  init has exited
 * @tasks: its live tasks (threads), not counting nested containers; -1 where
 *	   the listing says "-" (the host)
 */
struct vpid_list_entry {
	char *path;
	unsigned int level;
	long init;
	long tasks;
};

/**
 * struct vpid_list - a parsed listing
 * @c: the containers in listing order; @c[0] is the reader's own (".")
 * @nr: how many
 */
struct vpid_list {
	struct vpid_list_entry *c;
	size_t nr;
};

int vpid_list_parse(const char *text, size_t len, struct vpid_list *list,
		    unsigned int *bad_line);
int vpid_list_read(const char *file, struct vpid_list *list,
		   unsigned int *bad_line);
const struct vpid_list_entry *vpid_list_find(const struct vpid_list *list,
					     const char *path);
void vpid_list_free(struct vpid_list *list);

#endif /* VPID_LIST_H */
