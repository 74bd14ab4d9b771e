// SPDX-License-Identifier: GPL-2.0
/*
 * vpidctl.c - load the vpid module and drive its control file,
 * /proc/container (DESIGN.md; the manual is vpidctl.8): the command line,
 * the common options and the help.  Each command is in a file of its own
 * and parses its own options.
 *
 * Every command but unload loads the module first when /proc/container is
 * missing: by name from /lib/modules/$(uname -r) as modprobe does, or from
 * the file given with --module (kmod.c).  Writes to the control file are
 * one command per write(2); its errno is turned into a sentence that names
 * it (ctl.c, explain.c).
 */
#include <stdio.h>
#include <string.h>

#include "vpidctl.h"

const char *opt_module;
bool opt_verbose;

static const struct vpidctl_cmd *const cmds[] = {
	&vpidctl_cmd_run, &vpidctl_cmd_exec, &vpidctl_cmd_attach,
	&vpidctl_cmd_nextpid, &vpidctl_cmd_ls, &vpidctl_cmd_ps,
	&vpidctl_cmd_destroy, &vpidctl_cmd_unload, &vpidctl_cmd_checkpoint,
	&vpidctl_cmd_restore, &vpidctl_cmd_help,
};

/* The options of a command that has none of its own, and of vpidctl's. */
static const struct option common_opts[] = {
	VPIDCTL_COMMON_LONG_OPTS,
	{ NULL, 0, NULL, 0 }
};

/**
 * find_cmd() - a command by its name
 * @name: as on the command line
 *
 * Return: the command, or NULL if there is none of that name.
 */
const struct vpidctl_cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(cmds[i]->name, name))
			return cmds[i];
	return NULL;
}

/**
 * main_help() - print the help of vpidctl: its commands and options
 */
void main_help(void)
{
	size_t i;

	printf("Usage: vpidctl [OPTIONS] COMMAND [ARGS...]\n"
	       "Give containers their own process ids with the vpid kernel module.\n"
	       "\nCommands:\n");
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		printf("  %s %s\n        %s\n", cmds[i]->name, cmds[i]->synopsis,
		       cmds[i]->summary);
	printf("\nOptions:\n"
	       "  -m, --module PATH.ko  if vpid is not loaded, load this file\n"
	       "                        (default: module vpid of /lib/modules/$(uname -r))\n"
	       "  -v, --verbose         show libkmod's messages\n"
	       "  -h, --help            show this help (COMMAND --help: the command's)\n"
	       "  -V, --version         show the version\n"
	       "\nEvery command but unload loads the module if %s is missing.\n"
	       "Exit status: 0 done, 1 failed, 2 usage error (run, exec: CMD's status).\n"
	       "See vpidctl(8).\n", VPID_CONTROL_FILE);
}

/**
 * cmd_help() - print the help of one command
 * @c: the command; NULL for vpidctl's own help
 */
void cmd_help(const struct vpidctl_cmd *c)
{
	if (!c) {
		main_help();
		return;
	}
	printf("Usage: vpidctl [-m PATH.ko] %s %s\n%s.\n\n%s", c->name,
	       c->synopsis, c->summary, c->help);
	printf("\nCommon options:\n"
	       "  -m, --module PATH.ko  if vpid is not loaded, load this file\n"
	       "                        (default: module vpid of /lib/modules/$(uname -r))\n"
	       "  -v, --verbose         show libkmod's messages\n"
	       "  -h, --help            show this help\n"
	       "  -V, --version         show the version\n");
}

/**
 * common_opt() - act on an option every command takes
 * @opt: what getopt_long() returned, not -1
 * @cmd: the command it was given to; NULL before the command
 *
 * --help, --version: print and return 0; --verbose, --module: note it and
 * return -1; anything else: getopt printed what is wrong, add where to
 * read about it and return EXIT_USAGE.
 *
 * Return: an exit status, or -1 to go on.
 */
int common_opt(int opt, const struct vpidctl_cmd *cmd)
{
	switch (opt) {
	case 'h':
		cmd_help(cmd);
		return 0;
	case 'V':
		printf("vpidctl %s\n", VPIDCTL_VERSION);
		return 0;
	case 'v':
		opt_verbose = true;
		return -1;
	case 'm':
		opt_module = optarg;
		return -1;
	default:
		/* getopt said what is wrong, under the name in argv[0] */
		fprintf(stderr, "Try 'vpidctl %s%s--help'.\n",
			cmd ? cmd->name : "", cmd ? " " : "");
		return EXIT_USAGE;
	}
}

/**
 * plain_opts() - parse the options of a command that has none of its own
 * @argc: the command's argc
 * @argv: the command's argv
 * @cmd: the command
 * @permute: whether options may follow its arguments (else the first
 *	     argument ends them, as the options of a CMD to run are CMD's)
 *
 * Return: an exit status, or -1 to go on with the arguments at optind.
 */
int plain_opts(int argc, char **argv, const struct vpidctl_cmd *cmd,
	       bool permute)
{
	const char *shortopts = permute ? VPIDCTL_COMMON_OPTS :
		"+" VPIDCTL_COMMON_OPTS;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, shortopts, common_opts,
				  NULL)) != -1) {
		ret = common_opt(opt, cmd);
		if (ret >= 0)
			return ret;
	}
	return -1;
}

static int cmd_help_cmd(int argc, char **argv)
{
	const struct vpidctl_cmd *c;
	int ret;

	ret = plain_opts(argc, argv, &vpidctl_cmd_help, true);
	if (ret >= 0)
		return ret;
	if (optind == argc) {
		main_help();
		return 0;
	}
	c = find_cmd(argv[optind]);
	if (!c)
		return usage_error(NULL, "unknown command '%s'", argv[optind]);
	cmd_help(c);
	return 0;
}

const struct vpidctl_cmd vpidctl_cmd_help = {
	"help", "[COMMAND]", "Show the help of vpidctl or of COMMAND", "",
	cmd_help_cmd
};

int main(int argc, char **argv)
{
	static char progname[64];
	const struct vpidctl_cmd *c;
	int opt, ret;

	argv[0] = "vpidctl";	/* for getopt's messages */
	while ((opt = getopt_long(argc, argv, "+" VPIDCTL_COMMON_OPTS,
				  common_opts, NULL)) != -1) {
		ret = common_opt(opt, NULL);
		if (ret >= 0)
			return ret;
	}
	if (optind >= argc)
		return usage_error(NULL, "missing COMMAND");
	c = find_cmd(argv[optind]);
	if (!c)
		return usage_error(NULL, "unknown command '%s'", argv[optind]);
	argc -= optind;
	argv += optind;
	snprintf(progname, sizeof(progname), "vpidctl %s", c->name);
	argv[0] = progname;
	optind = 0;	/* reinitialise getopt for the command's options */
	return c->run(argc, argv);
}
