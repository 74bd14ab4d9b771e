// SPDX-License-Identifier: GPL-2.0
/*
 * ls.c - vpidctl ls [--tree]: the listing of the control file as a table,
 * or as a tree of names.
 */
#include <stdio.h>
#include <string.h>

#include "vpidctl.h"

/* What the first column shows of @c: its path, or its name indented. */
static const char *ls_name(const struct vpid_list_entry *c, bool tree)
{
	const char *slash = strrchr(c->path, '/');

	return tree && slash ? slash + 1 : c->path;
}

/* The width of the first column. */
static int ls_width(const struct vpid_list *list, bool tree)
{
	int w, width = 4;
	size_t i;

	for (i = 0; i < list->nr; i++) {
		const struct vpid_list_entry *c = &list->c[i];

		w = (int)strlen(ls_name(c, tree));
		if (tree)
			w += 2 * (int)(c->level - list->c[0].level);
		if (w > width)
			width = w;
	}
	return width;
}

static void ls_print(const struct vpid_list *list, bool tree)
{
	int width = ls_width(list, tree);
	size_t i;

	printf("%-*s %5s %7s %5s\n", width, tree ? "CONTAINER" : "PATH",
	       "LEVEL", "INIT", "TASKS");
	for (i = 0; i < list->nr; i++) {
		const struct vpid_list_entry *c = &list->c[i];
		int depth = (int)(c->level - list->c[0].level);
		char tasks[24];

		if (c->tasks < 0)
			snprintf(tasks, sizeof(tasks), VPID_LIST_NO_TASKS);
		else
			snprintf(tasks, sizeof(tasks), "%ld", c->tasks);
		if (tree)
			printf("%*s%-*s", 2 * depth, "", width - 2 * depth,
			       ls_name(c, tree));
		else
			printf("%-*s", width, c->path);
		printf(" %5u %7ld %5s\n", c->level, c->init, tasks);
	}
}

static const struct option ls_opts[] = {
	VPIDCTL_COMMON_LONG_OPTS,
	{ "tree", no_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 }
};

static int cmd_ls(int argc, char **argv)
{
	struct vpid_list list;
	bool tree = false;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, VPIDCTL_COMMON_OPTS "t",
				  ls_opts, NULL)) != -1) {
		if (opt == 't') {
			tree = true;
			continue;
		}
		ret = common_opt(opt, &vpidctl_cmd_ls);
		if (ret >= 0)
			return ret;
	}
	if (optind != argc)
		return usage_error("ls", "no arguments expected");
	set_prefix("ls");

	ret = ensure_module();
	if (ret)
		return ret;
	ret = read_list(&list);
	if (ret)
		return ret;
	ls_print(&list, tree);
	vpid_list_free(&list);
	return 0;
}

const struct vpidctl_cmd vpidctl_cmd_ls = {
	"ls", "[--tree]",
	"List the containers this process can see",
	"One line per container, the caller's own first as '.', then every\n"
	"container below it depth first: PATH (relative to the caller's\n"
	"container), LEVEL (host 0), INIT (pid of its vpid 1 as the caller\n"
	"sees it; 0 once it has exited) and TASKS (threads, not counting\n"
	"nested containers; - for the host).\n"
	"\n"
	"Options:\n"
	"  -t, --tree    show each container's name indented below its parent\n",
	cmd_ls
};
