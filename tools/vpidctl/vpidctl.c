// SPDX-License-Identifier: GPL-2.0
/*
 * vpidctl.c - load the vpid module and drive its control file,
 * /proc/container (DESIGN.md; the manual is vpidctl.8).
 *
 * Every command but unload loads the module first when /proc/container is
 * missing: by name from /lib/modules/$(uname -r) as modprobe does, or from
 * the file given with --module.  Writes to the control file are one command
 * per write(2); its errno is turned into a sentence that names it.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libkmod.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "uapi/vpid.h"
#include "vpid_list.h"
#include "vpid_parse.h"

#ifndef VPIDCTL_VERSION
#define VPIDCTL_VERSION "0.1"
#endif

#define EXIT_FAIL	1
#define EXIT_USAGE	2
#define EXIT_NOEXEC	126
#define EXIT_NOTFOUND	127

#define VPID_MODNAME	"vpid"
#define VPID_CONTROL	VPID_CONTROL_FILE
#define VPID_DESTROY_WAIT_MS	10000

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *opt_module;	/* --module PATH.ko */
static bool opt_verbose;	/* --verbose: libkmod's messages too */
static char prefix[512];	/* "attach web 123": what error lines start with */

/* What a control-file write was about, for explain(). */
struct vpid_req {
	const char *cmd;	/* "run", "exec", "attach", "nextpid", "destroy" */
	const char *path;	/* the NAME or PATH */
	long pid;		/* attach, exec: the process; else 0 */
	long vpid;		/* attach, exec, nextpid: the vpid; else 0 */
};

/* ---------------------------------------------------------------- output */

static const char *errname(int err)
{
	static char buf[32];
	const char *s = strerrorname_np(err);

	if (s)
		return s;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

static void set_prefix(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
}

/* "vpidctl: PREFIX: MESSAGE (ENAME)"; returns EXIT_FAIL. */
static int fail(int err, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vpidctl: ");
	if (prefix[0])
		fprintf(stderr, "%s: ", prefix);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err)
		fprintf(stderr, " (%s)", errname(err));
	fputc('\n', stderr);
	return EXIT_FAIL;
}

static void warn(int err, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vpidctl: %s%swarning: ", prefix, prefix[0] ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err)
		fprintf(stderr, ": %s (%s)", strerror(err), errname(err));
	fputc('\n', stderr);
}

static int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vpidctl: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'vpidctl %s%s--help'.\n", cmd ? cmd : "",
		cmd ? " " : "");
	return EXIT_USAGE;
}

/* ------------------------------------------------------------- arguments */

/* A decimal number from 1 to VPID_NR_MAX. */
static bool parse_nr(const char *s, long *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 1 || v > VPID_NR_MAX)
		return false;
	*out = v;
	return true;
}

/*
 * A NAME or PATH must be one token of the control file's grammar: a blank
 * or a control character would change the meaning of the command written
 * ("attach a 5 6" for the path "a 5").  The rest is the kernel's to judge.
 */
static bool one_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

static bool is_keyword(const char *s)
{
	return !strcmp(s, VPID_CMD_ATTACH) || !strcmp(s, VPID_CMD_NEXTPID) ||
		!strcmp(s, VPID_CMD_DESTROY);
}

static long kernel_pid_max(void)
{
	long v = 0;
	FILE *f = fopen("/proc/sys/kernel/pid_max", "re");

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* The errno of a control-file write, in words. */
static const char *explain(int err, const struct vpid_req *r, char *buf,
			   size_t size)
{
	bool run = !strcmp(r->cmd, "run");
	bool moves = run || !strcmp(r->cmd, "attach") ||
		!strcmp(r->cmd, "exec");
	long max = err == EINVAL && r->vpid ? kernel_pid_max() : 0;

	switch (err) {
	case EINVAL:
		if (run && is_keyword(r->path))
			snprintf(buf, size, "'%s' is a command word of %s and cannot name a container",
				 r->path, VPID_CONTROL);
		else if (run && vpid_parse_name(r->path, strlen(r->path)))
			snprintf(buf, size, "invalid container name '%s': 1-%d of " VPID_NAME_CHARS ", not . or ..",
				 r->path, VPID_NAME_MAX);
		else if (run)
			snprintf(buf, size, "invalid container name '%s'",
				 r->path);
		else if (vpid_parse_path(r->path))
			snprintf(buf, size, "invalid container path '%s': names of 1-%d of " VPID_NAME_CHARS " joined by /",
				 r->path, VPID_NAME_MAX);
		else if (max && r->vpid >= max)
			snprintf(buf, size, "vpid %ld is out of range (kernel.pid_max is %ld)",
				 r->vpid, max);
		else if (moves)
			snprintf(buf, size, "process %ld cannot join a container (a kernel thread, the host's init, or in a native pid namespace)",
				 r->pid);
		else
			snprintf(buf, size, "invalid request");
		break;
	case ENAMETOOLONG:
		snprintf(buf, size, "a container name is at most %d bytes",
			 VPID_NAME_MAX);
		break;
	case EEXIST:
		snprintf(buf, size, "a container named %s already exists",
			 r->path);
		break;
	case ENOENT:
		if (run)
			snprintf(buf, size, "the current container is being destroyed");
		else
			snprintf(buf, size, "no container %s", r->path);
		break;
	case ESRCH:
		snprintf(buf, size, "no process %ld (as seen from here)", r->pid);
		break;
	case EBUSY:
		if (r->vpid)
			snprintf(buf, size, "vpid %ld is taken in %s", r->vpid,
				 r->path);
		else
			snprintf(buf, size, "%s", strerror(err));
		break;
	case EPERM:
		snprintf(buf, size, "permission denied: writing %s needs CAP_SYS_ADMIN",
			 VPID_CONTROL);
		break;
	case ENOSPC:
		if (run)
			snprintf(buf, size, "containers nest at most %d levels deep",
				 VPID_DEPTH_MAX);
		else
			snprintf(buf, size, "no free vpid in %s", r->path);
		break;
	default:
		snprintf(buf, size, "%s", strerror(err));
		break;
	}
	return buf;
}

/* ---------------------------------------------------------- control file */

static const char *control_path(void)
{
	const char *p = getenv("VPID_CONTROL");

	return p && *p ? p : VPID_CONTROL;
}

/* One command, one write(2).  Returns 0 or a positive errno. */
static int ctl_write(const char *cmd)
{
	size_t len = strlen(cmd);
	ssize_t r;
	int fd, err = 0;

	fd = open(control_path(), O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	r = write(fd, cmd, len);
	if (r < 0)
		err = errno;
	else if ((size_t)r != len)
		err = EIO;
	close(fd);
	return err;
}

/* Write the request's command and explain a failure.  0 or EXIT_FAIL. */
static int ctl_request(const struct vpid_req *r, const char *cmd)
{
	char why[256];
	int err;

	if (!one_token(r->path))
		err = EINVAL;
	else
		err = ctl_write(cmd);
	if (!err)
		return 0;
	return fail(err, "%s", explain(err, r, why, sizeof(why)));
}

/* Read the listing; prints why not and returns EXIT_FAIL on error. */
static int read_list(struct vpid_list *list)
{
	unsigned int line;
	int err;

	err = vpid_list_read(control_path(), list, &line);
	if (err == -EINVAL)
		return fail(EINVAL, "%s: unexpected format at line %u",
			    control_path(), line);
	if (err)
		return fail(-err, "cannot read %s: %s", control_path(),
			    strerror(-err));
	return 0;
}

/* ------------------------------------------------------------ the module */

static const char *kernel_release(void)
{
	static struct utsname u;

	if (!u.release[0] && uname(&u))
		return "?";
	return u.release;
}

static bool file_has(const char *file, const char *word)
{
	char buf[512];
	bool found = false;
	FILE *f = fopen(file, "re");

	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f))
		found = !!strstr(buf, word);
	fclose(f);
	return found;
}

static void vermagic(struct kmod_module *mod, char *buf, size_t size)
{
	struct kmod_list *info = NULL, *l;

	buf[0] = '\0';
	if (kmod_module_get_info(mod, &info) < 0)
		return;
	kmod_list_foreach(l, info) {
		if (!strcmp(kmod_module_info_get_key(l), "vermagic")) {
			snprintf(buf, size, "%s", kmod_module_info_get_value(l));
			break;
		}
	}
	kmod_module_info_free_list(info);
}

/* Why init_module/finit_module failed, in words; returns EXIT_FAIL. */
static int load_failed(int err, struct kmod_module *mod, const char *what)
{
	char magic[256];

	switch (err) {
	case EPERM:
	case EACCES:
		if (geteuid() != 0)
			return fail(err, "cannot load %s: loading a kernel module needs root (CAP_SYS_MODULE)",
				    what);
		if (file_has("/proc/sys/kernel/modules_disabled", "1"))
			return fail(err, "cannot load %s: module loading is disabled (kernel.modules_disabled=1)",
				    what);
		if (file_has("/sys/kernel/security/lockdown", "[integrity]") ||
		    file_has("/sys/kernel/security/lockdown", "[confidentiality]"))
			return fail(err, "cannot load %s: the kernel is locked down (Secure Boot) and takes only modules signed with a trusted key",
				    what);
		return fail(err, "cannot load %s: the kernel refused it", what);
	case EKEYREJECTED:
	case ENOKEY:
	case EKEYEXPIRED:
	case EKEYREVOKED:
	case EBADMSG:
	case ENOPKG:
		return fail(err, "cannot load %s: the kernel enforces module signatures and rejects this one's; sign it with a trusted key (dkms's: mokutil --import /var/lib/dkms/mok.pub)",
			    what);
	case ENOEXEC:
		vermagic(mod, magic, sizeof(magic));
		return fail(err, "cannot load %s: it is not built for this kernel (running %s%s%s); rebuild it: make KVER=%s, or make dkms-install",
			    what, kernel_release(), magic[0] ? ", module built for " : "",
			    magic, kernel_release());
	case EBUSY:
		return fail(err, "cannot load %s: it is being loaded or unloaded right now; try again",
			    what);
	default:
		return fail(err, "cannot load %s: %s (see the kernel log: dmesg)",
			    what, strerror(err));
	}
}

static void kmod_quiet(void *data, int prio, const char *file, int line,
		       const char *fn, const char *fmt, va_list args)
{
	(void)data;
	(void)prio;
	(void)file;
	(void)line;
	if (!opt_verbose)
		return;
	fprintf(stderr, "vpidctl: libkmod: %s: ", fn);
	vfprintf(stderr, fmt, args);
}

static struct kmod_ctx *kmod_open(void)
{
	struct kmod_ctx *ctx = kmod_new(NULL, NULL);

	if (!ctx)
		return NULL;
	kmod_set_log_fn(ctx, kmod_quiet, NULL);
	kmod_set_log_priority(ctx, opt_verbose ? LOG_DEBUG : LOG_ERR);
	return ctx;
}

/* Load vpid (by name or from --module); 0 or EXIT_FAIL. */
static int load_module(void)
{
	struct kmod_list *list = NULL, *l;
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx;
	int err, ret = 0;

	ctx = kmod_open();
	if (!ctx)
		return fail(0, "cannot load module %s: libkmod failed to initialise",
			    VPID_MODNAME);
	if (opt_module) {
		err = kmod_module_new_from_path(ctx, opt_module, &mod);
		if (err < 0) {
			ret = fail(-err, "cannot load %s: %s", opt_module,
				   strerror(-err));
			goto out;
		}
		err = kmod_module_insert_module(mod, 0, NULL);
		if (err == -EEXIST)
			err = 0;	/* a module of that name is there */
		if (err < 0)
			ret = load_failed(-err, mod, opt_module);
		kmod_module_unref(mod);
		goto out;
	}

	err = kmod_module_new_from_lookup(ctx, VPID_MODNAME, &list);
	if (err < 0 || !list) {
		ret = fail(ENOENT, "cannot load module %s: not found in %s (build and install it with make dkms-install, or give --module PATH.ko)",
			   VPID_MODNAME, kmod_get_dirname(ctx));
		goto out;
	}
	kmod_list_foreach(l, list) {
		mod = kmod_module_get_module(l);
		err = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL,
						      NULL);
		if (err < 0) {
			char what[PATH_MAX + 32];
			const char *path = kmod_module_get_path(mod);

			snprintf(what, sizeof(what), "module %s%s%s%s",
				 kmod_module_get_name(mod), path ? " (" : "",
				 path ? path : "", path ? ")" : "");
			ret = load_failed(-err, mod, what);
		}
		kmod_module_unref(mod);
		if (ret)
			break;
	}
	kmod_module_unref_list(list);
out:
	kmod_unref(ctx);
	if (!ret && access(VPID_CONTROL, F_OK))
		ret = fail(errno, "module %s is loaded but %s is missing",
			   VPID_MODNAME, VPID_CONTROL);
	return ret;
}

/* Load the module unless its control file is there; 0 or EXIT_FAIL. */
static int ensure_module(void)
{
	if (getenv("VPID_CONTROL") && *getenv("VPID_CONTROL"))
		return 0;
	if (!access(VPID_CONTROL, F_OK))
		return 0;
	return load_module();
}

/* -------------------------------------------------------------- commands */

struct vpidctl_cmd {
	const char *name;
	const char *synopsis;
	const char *summary;
	const char *help;
	int (*run)(int argc, char **argv);
};

static const struct vpidctl_cmd *find_cmd(const char *name);
static void main_help(void);

static void cmd_help(const struct vpidctl_cmd *c)
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

/* Every long option; a command takes those its short options list. */
static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "module", required_argument, NULL, 'm' },
	{ "vpid", required_argument, NULL, 'n' },
	{ "wait", no_argument, NULL, 'w' },
	{ "tree", no_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 }
};

/* The options of every command: --help --version --verbose --module. */
#define COMMON_OPTS "hVvm:"

/* getopt_long() over long_opts, refusing those @shortopts does not list. */
static int next_opt(int argc, char **argv, const char *shortopts)
{
	int opt = getopt_long(argc, argv, shortopts, long_opts, NULL);
	const struct option *o;

	if (opt <= 0 || opt == '?' || opt == ':' || strchr(shortopts, opt))
		return opt;
	for (o = long_opts; o->name && o->val != opt; o++)
		;
	fprintf(stderr, "%s: unrecognized option '--%s'\n", argv[0],
		o->name ? o->name : "?");
	return '?';
}

/* A common option; returns an exit code, or -1 to go on. */
static int common_opt(int opt, const char *cmd)
{
	switch (opt) {
	case 'h':
		if (cmd)
			cmd_help(find_cmd(cmd));
		else
			main_help();
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
		fprintf(stderr, "Try 'vpidctl %s%s--help'.\n", cmd ? cmd : "",
			cmd ? " " : "");
		return EXIT_USAGE;
	}
}

/* Options of a command that has none of its own. */
static int plain_opts(int argc, char **argv, const char *cmd, bool permute)
{
	int opt, ret;

	while ((opt = next_opt(argc, argv, permute ? COMMON_OPTS :
			       "+" COMMON_OPTS)) != -1) {
		ret = common_opt(opt, cmd);
		if (ret >= 0)
			return ret;
	}
	return -1;
}

/* Run CMD (or the user's shell); only returns on failure. */
static int exec_cmd(char **cmd)
{
	char *shell[2] = { NULL, NULL };
	int err;

	if (!cmd[0]) {
		shell[0] = getenv("SHELL");
		if (!shell[0] || !*shell[0])
			shell[0] = "/bin/sh";
		cmd = shell;
	}
	fflush(NULL);
	execvp(cmd[0], cmd);
	err = errno;
	fail(err, "cannot run %s: %s", cmd[0], strerror(err));
	return err == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC;
}

static int cmd_run(int argc, char **argv)
{
	struct vpid_req r = { .cmd = "run" };
	int ret, err;

	ret = plain_opts(argc, argv, "run", false);
	if (ret >= 0)
		return ret;
	if (optind >= argc)
		return usage_error("run", "missing NAME");
	r.path = argv[optind++];
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	set_prefix("run %s", r.path);

	ret = ensure_module();
	if (ret)
		return ret;
	ret = ctl_request(&r, r.path);
	if (ret)
		return ret;
	/* We are vpid 1 of NAME now: a mount namespace with its own /proc. */
	if (unshare(CLONE_NEWNS)) {
		err = errno;
		return fail(err, "cannot create a mount namespace: %s",
			    strerror(err));
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		err = errno;
		return fail(err, "cannot make the new mount namespace private: %s",
			    strerror(err));
	}
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL)) {
		err = errno;
		return fail(err, "cannot mount proc on /proc: %s",
			    strerror(err));
	}
	return exec_cmd(argv + optind);
}

/* Descriptors for entering the mount namespace of a container's init. */
struct init_ns {
	int mnt;
	int root;
};

static void init_ns_open(const char *path, struct init_ns *ns)
{
	const struct vpid_list_entry *c;
	struct vpid_list list;
	struct stat a, b;
	char file[64];

	ns->mnt = -1;
	ns->root = -1;
	if (vpid_list_read(control_path(), &list, NULL))
		goto out;
	c = vpid_list_find(&list, path);
	if (!c || c->init <= 0 || !strcmp(path, "."))
		goto out;
	snprintf(file, sizeof(file), "/proc/%ld/ns/mnt", c->init);
	ns->mnt = open(file, O_RDONLY | O_CLOEXEC);
	if (ns->mnt < 0)
		goto out;
	/* Already there (a container made without vpidctl run)? */
	if (!fstat(ns->mnt, &a) && !stat("/proc/self/ns/mnt", &b) &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
		close(ns->mnt);
		ns->mnt = -1;
		goto out;
	}
	snprintf(file, sizeof(file), "/proc/%ld/root", c->init);
	ns->root = open(file, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
out:
	vpid_list_free(&list);
}

/* Best effort: warn and go on where it does not work. */
static void init_ns_enter(struct init_ns *ns)
{
	char *cwd = get_current_dir_name();

	if (ns->mnt < 0)
		goto out;
	if (setns(ns->mnt, CLONE_NEWNS)) {
		warn(errno, "cannot enter the mount namespace of the container's init");
		goto out;
	}
	/* setns() put us at the namespace's root; the init may be chrooted. */
	if (ns->root >= 0 && (fchdir(ns->root) || chroot(".")))
		warn(errno, "cannot take the root directory of the container's init");
	if (!cwd || chdir(cwd)) {
		if (chdir("/"))
			warn(errno, "cannot change to /");
	}
out:
	if (ns->mnt >= 0)
		close(ns->mnt);
	if (ns->root >= 0)
		close(ns->root);
	free(cwd);
}

static int cmd_exec(int argc, char **argv)
{
	struct vpid_req r = { .cmd = "exec" };
	struct init_ns ns;
	char cmd[4200];
	int opt, ret;

	while ((opt = next_opt(argc, argv, "+" COMMON_OPTS "n:")) != -1) {
		if (opt == 'n') {
			if (!parse_nr(optarg, &r.vpid))
				return usage_error("exec", "--vpid wants a number from 1 to %d, not '%s'",
						   VPID_NR_MAX, optarg);
			continue;
		}
		ret = common_opt(opt, "exec");
		if (ret >= 0)
			return ret;
	}
	if (optind >= argc)
		return usage_error("exec", "missing PATH");
	r.path = argv[optind++];
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	r.pid = getpid();
	set_prefix("exec %s", r.path);

	ret = ensure_module();
	if (ret)
		return ret;
	/* Before the attach: afterwards we would see the container's view. */
	init_ns_open(r.path, &ns);
	if (r.vpid)
		snprintf(cmd, sizeof(cmd), "attach %s %ld %ld", r.path, r.pid,
			 r.vpid);
	else
		snprintf(cmd, sizeof(cmd), "attach %s %ld", r.path, r.pid);
	ret = ctl_request(&r, cmd);
	if (ret)
		return ret;
	init_ns_enter(&ns);
	return exec_cmd(argv + optind);
}

static int cmd_attach(int argc, char **argv)
{
	struct vpid_req r = { .cmd = "attach" };
	char cmd[4200];
	int opt, ret;

	while ((opt = next_opt(argc, argv, COMMON_OPTS "n:")) != -1) {
		if (opt == 'n') {
			if (!parse_nr(optarg, &r.vpid))
				return usage_error("attach", "--vpid wants a number from 1 to %d, not '%s'",
						   VPID_NR_MAX, optarg);
			continue;
		}
		ret = common_opt(opt, "attach");
		if (ret >= 0)
			return ret;
	}
	if (argc - optind != 2)
		return usage_error("attach", "expected PATH PID");
	r.path = argv[optind];
	if (!parse_nr(argv[optind + 1], &r.pid))
		return usage_error("attach", "PID must be a number from 1 to %d, not '%s'",
				   VPID_NR_MAX, argv[optind + 1]);
	set_prefix("attach %s %ld", r.path, r.pid);

	ret = ensure_module();
	if (ret)
		return ret;
	if (r.vpid)
		snprintf(cmd, sizeof(cmd), "attach %s %ld %ld", r.path, r.pid,
			 r.vpid);
	else
		snprintf(cmd, sizeof(cmd), "attach %s %ld", r.path, r.pid);
	return ctl_request(&r, cmd);
}

static int cmd_nextpid(int argc, char **argv)
{
	struct vpid_req r = { .cmd = "nextpid" };
	char cmd[4200];
	int ret;

	ret = plain_opts(argc, argv, "nextpid", true);
	if (ret >= 0)
		return ret;
	if (argc - optind != 2)
		return usage_error("nextpid", "expected PATH VPID");
	r.path = argv[optind];
	if (!parse_nr(argv[optind + 1], &r.vpid))
		return usage_error("nextpid", "VPID must be a number from 1 to %d, not '%s'",
				   VPID_NR_MAX, argv[optind + 1]);
	set_prefix("nextpid %s %ld", r.path, r.vpid);

	ret = ensure_module();
	if (ret)
		return ret;
	snprintf(cmd, sizeof(cmd), "nextpid %s %ld", r.path, r.vpid);
	return ctl_request(&r, cmd);
}

static int cmd_destroy(int argc, char **argv)
{
	struct vpid_req r = { .cmd = "destroy" };
	struct vpid_list list;
	bool wait = false;
	char cmd[4200];
	int opt, ret, ms;

	while ((opt = next_opt(argc, argv, COMMON_OPTS "w")) != -1) {
		if (opt == 'w') {
			wait = true;
			continue;
		}
		ret = common_opt(opt, "destroy");
		if (ret >= 0)
			return ret;
	}
	if (argc - optind != 1)
		return usage_error("destroy", "expected PATH");
	r.path = argv[optind];
	set_prefix("destroy %s", r.path);

	ret = ensure_module();
	if (ret)
		return ret;
	snprintf(cmd, sizeof(cmd), "destroy %s", r.path);
	ret = ctl_request(&r, cmd);
	if (ret || !wait)
		return ret;
	for (ms = 0; ; ms += 50) {
		bool gone;

		ret = read_list(&list);
		if (ret)
			return ret;
		gone = !vpid_list_find(&list, r.path);
		vpid_list_free(&list);
		if (gone)
			return 0;
		if (ms >= VPID_DESTROY_WAIT_MS)
			return fail(ETIMEDOUT, "%s still exists after %d s",
				    r.path, VPID_DESTROY_WAIT_MS / 1000);
		usleep(50 * 1000);
	}
}

static int cmd_ls(int argc, char **argv)
{
	struct vpid_list list;
	int opt, ret, width = 4;
	bool tree = false;
	size_t i;

	while ((opt = next_opt(argc, argv, COMMON_OPTS "t")) != -1) {
		if (opt == 't') {
			tree = true;
			continue;
		}
		ret = common_opt(opt, "ls");
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
	for (i = 0; i < list.nr; i++) {
		const struct vpid_list_entry *c = &list.c[i];
		const char *slash = strrchr(c->path, '/');
		int w = tree ? 2 * (int)(c->level - list.c[0].level) +
			(int)strlen(slash ? slash + 1 : c->path) :
			(int)strlen(c->path);

		if (w > width)
			width = w;
	}
	printf("%-*s %5s %7s %5s\n", width, tree ? "CONTAINER" : "PATH",
	       "LEVEL", "INIT", "TASKS");
	for (i = 0; i < list.nr; i++) {
		const struct vpid_list_entry *c = &list.c[i];
		const char *slash = strrchr(c->path, '/');
		char tasks[24];
		int depth = (int)(c->level - list.c[0].level);

		if (c->tasks < 0)
			snprintf(tasks, sizeof(tasks), "-");
		else
			snprintf(tasks, sizeof(tasks), "%ld", c->tasks);
		if (tree)
			printf("%*s%-*s", 2 * depth, "", width - 2 * depth,
			       slash ? slash + 1 : c->path);
		else
			printf("%-*s", width, c->path);
		printf(" %5u %7ld %5s\n", c->level, c->init, tasks);
	}
	vpid_list_free(&list);
	return 0;
}

struct proc_ent {
	long pid;
	long ppid;
};

static int proc_cmp(const void *a, const void *b)
{
	const struct proc_ent *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Every process in /proc with its parent, sorted by pid. */
static struct proc_ent *proc_scan(size_t *nr)
{
	struct proc_ent *p = NULL, *n;
	size_t cap = 0;
	struct dirent *d;
	DIR *dir;

	*nr = 0;
	dir = opendir("/proc");
	if (!dir)
		return NULL;
	while ((d = readdir(dir))) {
		char file[64], buf[1024], *paren;
		long pid, ppid;
		ssize_t len;
		int fd;

		if (!parse_nr(d->d_name, &pid))
			continue;
		snprintf(file, sizeof(file), "/proc/%ld/stat", pid);
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		/* "PID (COMM) S PPID ...": COMM may hold anything. */
		paren = strrchr(buf, ')');
		if (!paren || sscanf(paren + 1, " %*c %ld", &ppid) != 1)
			continue;
		if (*nr == cap) {
			cap = cap ? cap * 2 : 256;
			n = realloc(p, cap * sizeof(*p));
			if (!n)
				break;
			p = n;
		}
		p[*nr].pid = pid;
		p[(*nr)++].ppid = ppid;
	}
	closedir(dir);
	if (p)
		qsort(p, *nr, sizeof(*p), proc_cmp);
	return p;
}

/* The @idx-th NSpid number of @pid, as a string; "-" if there is none. */
static void proc_vpid(long pid, unsigned int idx, char *out, size_t size)
{
	char file[64], line[512];
	FILE *f;

	snprintf(out, size, "-");
	snprintf(file, sizeof(file), "/proc/%ld/status", pid);
	f = fopen(file, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *tok, *save = NULL;
		unsigned int i = 0, nr = 0;
		char *v[VPID_DEPTH_MAX + 2];

		if (strncmp(line, "NSpid:", 6))
			continue;
		for (tok = strtok_r(line + 6, " \t\n", &save);
		     tok && nr < VPID_DEPTH_MAX + 2;
		     tok = strtok_r(NULL, " \t\n", &save))
			v[nr++] = tok;
		/* One number only: the kernel shows no vpid. */
		if (nr > 1 && idx < nr) {
			for (i = 0; v[idx][i] && isdigit((unsigned char)v[idx][i]); i++)
				;
			if (!v[idx][i])
				snprintf(out, size, "%s", v[idx]);
		}
		break;
	}
	fclose(f);
}

static void proc_cmdline(long pid, char *out, size_t size)
{
	char file[64];
	ssize_t len = -1, i;
	int fd;

	snprintf(file, sizeof(file), "/proc/%ld/cmdline", pid);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		len = read(fd, out, size - 1);
		close(fd);
	}
	if (len < 0)
		len = 0;
	while (len > 0 && out[len - 1] == '\0')
		len--;
	for (i = 0; i < len; i++)
		if (out[i] == '\0' || out[i] == '\n')
			out[i] = ' ';
	out[len] = '\0';
	if (len)
		return;
	snprintf(file, sizeof(file), "/proc/%ld/comm", pid);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		len = read(fd, out + 1, size - 3);
		close(fd);
	}
	if (len <= 0) {
		snprintf(out, size, "?");
		return;
	}
	if (out[len] == '\n')
		len--;
	out[0] = '[';
	out[len + 1] = ']';
	out[len + 2] = '\0';
}

/* Print @pid and, depth first, its descendants. */
static void ps_tree(const struct proc_ent *p, size_t nr, long pid,
		    unsigned int idx, int depth)
{
	char vpid[24], cmd[512];
	size_t i;

	if (depth > 4096)
		return;
	proc_vpid(pid, idx, vpid, sizeof(vpid));
	proc_cmdline(pid, cmd, sizeof(cmd));
	printf("%7s %7ld  %s\n", vpid, pid, cmd);
	for (i = 0; i < nr; i++)
		if (p[i].ppid == pid && p[i].pid != pid)
			ps_tree(p, nr, p[i].pid, idx, depth + 1);
}

static int cmd_ps(int argc, char **argv)
{
	const struct vpid_list_entry *c;
	struct vpid_list list;
	struct proc_ent *p;
	unsigned int idx;
	size_t nr;
	int ret;

	ret = plain_opts(argc, argv, "ps", true);
	if (ret >= 0)
		return ret;
	if (argc - optind != 1)
		return usage_error("ps", "expected PATH");
	set_prefix("ps %s", argv[optind]);

	ret = ensure_module();
	if (ret)
		return ret;
	ret = read_list(&list);
	if (ret)
		return ret;
	c = vpid_list_find(&list, argv[optind]);
	if (!c) {
		vpid_list_free(&list);
		return fail(ENOENT, "no container %s", argv[optind]);
	}
	/* NSpid lists the numbers from the reader's level down. */
	idx = c->level - list.c[0].level;
	printf("%7s %7s  %s\n", "VPID", "PID", "COMMAND");
	if (c->init <= 0) {
		warn(0, "the init of %s has exited: its tasks are being killed",
		     c->path);
	} else {
		struct proc_ent key = { .pid = c->init };

		p = proc_scan(&nr);
		if (!p || !bsearch(&key, p, nr, sizeof(*p), proc_cmp))
			warn(0, "the init of %s (pid %ld) is not in /proc",
			     c->path, c->init);
		else
			ps_tree(p, nr, c->init, idx, 0);
		free(p);
	}
	vpid_list_free(&list);
	return 0;
}

/* Containers other than "." in the listing, or -1 if it cannot be read. */
static long nr_containers(void)
{
	struct vpid_list list;
	long nr = -1;

	if (!vpid_list_read(control_path(), &list, NULL))
		nr = (long)list.nr - 1;
	vpid_list_free(&list);
	return nr;
}

static int cmd_unload(int argc, char **argv)
{
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx;
	int ret, err, tries;

	ret = plain_opts(argc, argv, "unload", true);
	if (ret >= 0)
		return ret;
	if (optind != argc)
		return usage_error("unload", "no arguments expected");
	set_prefix("unload");
	ret = 0;

	ctx = kmod_open();
	if (!ctx)
		return fail(0, "libkmod failed to initialise");
	err = kmod_module_new_from_name(ctx, VPID_MODNAME, &mod);
	if (err < 0) {
		ret = fail(-err, "%s", strerror(-err));
		goto out;
	}
	if (kmod_module_get_initstate(mod) < 0) {
		ret = fail(ENOENT, "module %s is not loaded", VPID_MODNAME);
		goto out;
	}
	/*
	 * The module holds itself while a container exists, and lets go
	 * shortly after the last one is listed no more (a work item, which
	 * may wait for the removal of one hook: about a second on
	 * PREEMPT_RT under TCG).  rmmod then takes out the hooks still
	 * lingering itself.  Retry up to 20 s while no container is listed,
	 * and 1 s while some are (their last tasks may be exiting).
	 */
	for (tries = 0; ; tries++) {
		err = kmod_module_remove_module(mod, 0);
		if (err != -EAGAIN && err != -EBUSY)
			break;
		if (tries >= 400 || (tries >= 20 && nr_containers() != 0))
			break;
		usleep(50 * 1000);
	}
	if (err == -EAGAIN || err == -EBUSY)
		ret = fail(-err, "containers still exist: destroy them first (see vpidctl ls)");
	else if (err == -EPERM && geteuid() != 0)
		ret = fail(-err, "unloading a kernel module needs root (CAP_SYS_MODULE)");
	else if (err == -ENOENT)
		ret = fail(-err, "module %s is not loaded", VPID_MODNAME);
	else if (err < 0)
		ret = fail(-err, "cannot unload module %s: %s", VPID_MODNAME,
			   strerror(-err));
out:
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return ret;
}

static int cmd_help_cmd(int argc, char **argv)
{
	const struct vpidctl_cmd *c;
	int ret;

	ret = plain_opts(argc, argv, "help", true);
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

static const struct vpidctl_cmd cmds[] = {
	{ "run", "NAME [--] [CMD...]",
	  "Create container NAME and run CMD in it as its vpid 1",
	  "The container is created below the caller's own container, and\n"
	  "vpidctl itself becomes its init (vpid 1). It then gets its own mount\n"
	  "namespace (propagation private) with a fresh proc on /proc, and\n"
	  "executes CMD (default: $SHELL, else /bin/sh). The container goes away\n"
	  "when its last task has exited.\n"
	  "Exit status: that of CMD; 1 if the container cannot be made, 126/127\n"
	  "if CMD cannot be run or is not found.\n",
	  cmd_run },
	{ "exec", "[--vpid N] PATH [--] [CMD...]",
	  "Run CMD inside the existing container PATH",
	  "vpidctl moves itself into PATH (keeping its pid as its vpid when that\n"
	  "is free there, else the next free one), enters the mount namespace\n"
	  "and root of the container's init when it can, and executes CMD\n"
	  "(default: $SHELL, else /bin/sh) in the same directory.\n"
	  "\n"
	  "Options:\n"
	  "  -n, --vpid N  take vpid N in PATH (fails if it is taken)\n",
	  cmd_exec },
	{ "attach", "PATH PID [--vpid N]",
	  "Move the running process PID into container PATH",
	  "PID is a process id as the caller sees it; the whole thread group\n"
	  "moves. It keeps its number as its vpid when that is free in PATH, else\n"
	  "it gets the next free one.\n"
	  "\n"
	  "Options:\n"
	  "  -n, --vpid N  give it vpid N in PATH (fails if it is taken)\n",
	  cmd_attach },
	{ "nextpid", "PATH VPID",
	  "Give VPID to the next task created in container PATH",
	  "For restarting process trees with particular pids.\n",
	  cmd_nextpid },
	{ "ls", "[--tree]",
	  "List the containers this process can see",
	  "One line per container, the caller's own first as '.', then every\n"
	  "container below it depth first: PATH (relative to the caller's\n"
	  "container), LEVEL (host 0), INIT (pid of its vpid 1 as the caller\n"
	  "sees it; 0 once it has exited) and TASKS (threads, not counting\n"
	  "nested containers; - for the host).\n"
	  "\n"
	  "Options:\n"
	  "  -t, --tree    show each container's name indented below its parent\n",
	  cmd_ls },
	{ "ps", "PATH",
	  "List the processes of container PATH",
	  "Shows the container's init and its descendants (nested containers\n"
	  "included) with their VPID in PATH and their PID as the caller sees\n"
	  "it. Processes moved in with attach or exec that do not descend from\n"
	  "the init are not shown. VPID is '-' where /proc does not list the\n"
	  "number (NSpid).\n",
	  cmd_ps },
	{ "destroy", "[--wait] PATH",
	  "Kill every task in container PATH and below",
	  "Sends SIGKILL to them; the container goes away when its last task is\n"
	  "gone.\n"
	  "\n"
	  "Options:\n"
	  "  -w, --wait    wait (up to 10 s) until PATH is no longer listed\n",
	  cmd_destroy },
	{ "unload", "",
	  "Unload the vpid module",
	  "Fails while any container exists.\n",
	  cmd_unload },
	{ "help", "[COMMAND]", "Show the help of vpidctl or of COMMAND", "",
	  cmd_help_cmd },
};

static void main_help(void)
{
	size_t i;

	printf("Usage: vpidctl [OPTIONS] COMMAND [ARGS...]\n"
	       "Give containers their own process ids with the vpid kernel module.\n"
	       "\nCommands:\n");
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		printf("  %s %s\n        %s\n", cmds[i].name, cmds[i].synopsis,
		       cmds[i].summary);
	printf("\nOptions:\n"
	       "  -m, --module PATH.ko  if vpid is not loaded, load this file\n"
	       "                        (default: module vpid of /lib/modules/$(uname -r))\n"
	       "  -v, --verbose         show libkmod's messages\n"
	       "  -h, --help            show this help (COMMAND --help: the command's)\n"
	       "  -V, --version         show the version\n"
	       "\nEvery command but unload loads the module if %s is missing.\n"
	       "Exit status: 0 done, 1 failed, 2 usage error (run, exec: CMD's status).\n"
	       "See vpidctl(8).\n", VPID_CONTROL);
}

static const struct vpidctl_cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static char progname[64];
	const struct vpidctl_cmd *c;
	int opt, ret;

	argv[0] = "vpidctl";	/* for getopt's messages */
	while ((opt = next_opt(argc, argv, "+" COMMON_OPTS)) != -1) {
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
