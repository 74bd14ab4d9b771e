/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vpidctl.h - what the files of vpidctl share: the command table entry,
 * the common options, error output, the control file and the module.
 * Internal to vpidctl; the manual is vpidctl.8.
 */
#ifndef VPIDCTL_H
#define VPIDCTL_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "uapi/vpid.h"
#include "vpid_list.h"

#ifndef VPIDCTL_VERSION
#define VPIDCTL_VERSION "0.1"
#endif

#define EXIT_FAIL	1
#define EXIT_USAGE	2
#define EXIT_NOEXEC	126
#define EXIT_NOTFOUND	127

#define VPID_MODNAME	"vpid"

/* A command written to the control file: a PATH and two numbers. */
#define VPIDCTL_CMD_SIZE	(VPID_CMD_MAX + 104)

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((format(printf, a, b)))

/*
 * The options every command takes, before or after its name: the short
 * ones for getopt_long() and the first entries of each command's struct
 * option table (an initializer list, which checkpatch's COMPLEX_MACRO
 * would have in parentheses).
 */
#define VPIDCTL_COMMON_OPTS	"hVvm:"
#define VPIDCTL_COMMON_LONG_OPTS				\
	{ "help", no_argument, NULL, 'h' },			\
	{ "version", no_argument, NULL, 'V' },			\
	{ "verbose", no_argument, NULL, 'v' },			\
	{ "module", required_argument, NULL, 'm' }

extern const char *opt_module;	/* --module PATH.ko */
extern bool opt_verbose;	/* --verbose: libkmod's messages too */

/**
 * struct vpidctl_cmd - one command of vpidctl
 * @name: its word on the command line
 * @synopsis: its arguments, for the help
 * @summary: one line, no final period
 * @help: the rest of its help, each line ending in a newline
 * @run: parses its own options and arguments (argv[0] is "vpidctl NAME",
 *	 getopt reset) and does it; returns the exit status
 */
struct vpidctl_cmd {
	const char *name;
	const char *synopsis;
	const char *summary;
	const char *help;
	int (*run)(int argc, char **argv);
};

extern const struct vpidctl_cmd vpidctl_cmd_run, vpidctl_cmd_exec,
	vpidctl_cmd_attach, vpidctl_cmd_nextpid, vpidctl_cmd_ls,
	vpidctl_cmd_ps, vpidctl_cmd_destroy, vpidctl_cmd_unload,
	vpidctl_cmd_checkpoint, vpidctl_cmd_restore, vpidctl_cmd_help;

/**
 * struct vpid_req - what a control-file write is about, for explain()
 * @cmd: "run", "exec", "attach", "nextpid", "destroy", "checkpoint" or
 *	 "restore"
 * @path: the NAME or PATH
 * @pid: attach, exec: the process; else 0
 * @vpid: attach, exec, nextpid: the vpid asked for; else 0
 */
struct vpid_req {
	const char *cmd;
	const char *path;
	long pid;
	long vpid;
};

/* vpidctl.c: the command line */
int common_opt(int opt, const struct vpidctl_cmd *cmd);
int plain_opts(int argc, char **argv, const struct vpidctl_cmd *cmd,
	       bool permute);
void cmd_help(const struct vpidctl_cmd *cmd);
void main_help(void);
const struct vpidctl_cmd *find_cmd(const char *name);

/* output.c: messages and arguments */
void set_prefix(const char *fmt, ...) __printf(1, 2);
int fail(int err, const char *fmt, ...) __printf(2, 3);
void warn(int err, const char *fmt, ...) __printf(2, 3);
int usage_error(const char *cmd, const char *fmt, ...) __printf(2, 3);
bool parse_nr(const char *s, long *out);

/* explain.c */
const char *explain(int err, const struct vpid_req *r, char *buf,
		    size_t size);

/* ctl.c: the control file */
const char *control_path(void);
int ctl_request(const struct vpid_req *r, const char *cmd);
int read_list(struct vpid_list *list);

/* kmod.c: the module */
struct kmod_ctx *vpidctl_kmod_open(void);
int ensure_module(void);

/* procscan.c: /proc */
/**
 * struct proc_ent - one process of /proc
 * @pid: its pid as vpidctl sees it
 * @ppid: its parent's
 */
struct proc_ent {
	long pid;
	long ppid;
};

struct proc_ent *proc_scan(size_t *nr);
bool proc_find(const struct proc_ent *p, size_t nr, long pid);
void proc_vpid(long pid, unsigned int idx, char *out, size_t size);
void proc_cmdline(long pid, char *out, size_t size);

/* run.c */
int exec_cmd(char **cmd);
int mount_own_proc(void);

/* exec.c */
int enter_container(struct vpid_req *r);

/* restore.c */
char **criu_cmd(const char *const *fixed, int nfixed, int argc, char **argv);

/* criu_img.c */
int criu_img_root_pid(const char *dir, long *pid);
int criu_img_mark_pidns(const char *dir);

#endif /* VPIDCTL_H */
