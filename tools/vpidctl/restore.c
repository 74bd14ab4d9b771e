// SPDX-License-Identifier: GPL-2.0
/*
 * restore.c - vpidctl restore [PARENT/]NAME DIR [--] [CRIU-OPTION...]:
 * restore the process tree criu dumped into DIR in a new container NAME
 * (below the existing container PARENT if given), every process with the
 * number it had (its vpid if it was dumped in a container, its
 * pid if it was dumped on the host), however those numbers are used by
 * other processes, here or on the host.
 *
 * A tree whose root is not pid 1: vpidctl forks the container's init: it
 * creates NAME and becomes its vpid 1, mounts the container's own /proc,
 * moves the container's next number to the top of its range
 * (ns_last_pid) so that criu itself takes none of the tree's, and runs
 * "criu restore --restore-detached" as its child.  criu gives each
 * process its number with clone3's set_tid.  The tree's root is then a
 * child of the init, which stays, reaps, and exits with the container's
 * last process.  vpidctl waits for criu only.
 *
 * A tree whose root is pid 1 (a whole container, or a pid namespace's
 * tree): vpidctl makes NAME empty ("mkempty"), and forks a child that
 * attaches itself to it at the top of its range, mounts its /proc and runs
 * criu.  criu forks the root as a pid namespace's init (CLONE_NEWPID,
 * set_tid [1]), which in a container with no init makes it the
 * container's vpid 1, its init.  criu then leaves (it exits), and only the
 * restored tree is left in NAME.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vpidctl.h"

#define CRIU_ARGS	5	/* criu restore --restore-detached --images-dir DIR */
#define PID_MAX_FILE	"/proc/sys/kernel/pid_max"
#define LAST_PID_FILE	"/proc/sys/kernel/ns_last_pid"

/* Where criu's own processes are numbered: at the top of the range. */
#define CRIU_ROOM	64

/* pid_max as the caller sees it, 0 if unknown */
static long restore_pid_max(void)
{
	long max = 0;
	FILE *f;

	f = fopen(PID_MAX_FILE, "r");
	if (!f || fscanf(f, "%ld", &max) != 1 || max < CRIU_ROOM * 2) {
		warn(errno, "cannot read %s: criu may take one of the numbers",
		     PID_MAX_FILE);
		max = 0;
	}
	if (f)
		fclose(f);
	return max;
}

/* Let the container's next process take a number @below pid_max. */
static void restore_high_nextpid(long below)
{
	long max = restore_pid_max();
	char buf[32];
	FILE *f;

	if (!max)
		return;
	f = fopen(LAST_PID_FILE, "w");
	snprintf(buf, sizeof(buf), "%ld", max - below - 1);
	if (!f || fputs(buf, f) < 0 || fclose(f))
		warn(errno, "cannot write %s: criu may take one of the numbers",
		     LAST_PID_FILE);
}

/* The container's init, after the create: run criu, tell, then reap. */
static int restore_init(char **criu, int report)
{
	int status = 0, ret, fd, i;
	pid_t pid;

	ret = mount_own_proc();
	if (ret)
		return ret;
	restore_high_nextpid(1);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return fail(errno, "cannot fork criu: %s", strerror(errno));
	if (pid == 0) {
		close(report);
		_exit(exec_cmd(criu));
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	ret = WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_FAIL;
	if (write(report, &ret, sizeof(ret)) != sizeof(ret) || ret)
		return ret;
	close(report);
	/* the init: let go of the caller's terminal, reap until the tree is gone */
	fd = open("/dev/null", O_RDWR);
	for (i = 0; fd >= 0 && i < 3; i++)
		dup2(fd, i);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}

static int restore_start(struct vpid_req *r, char **criu)
{
	int pipefd[2], ret, status;
	ssize_t n;
	pid_t init;

	if (pipe2(pipefd, O_CLOEXEC))
		return fail(errno, "cannot make a pipe: %s", strerror(errno));
	fflush(NULL);
	init = fork();
	if (init < 0)
		return fail(errno, "cannot fork: %s", strerror(errno));
	if (init == 0) {
		close(pipefd[0]);
		setsid();
		ret = ctl_request(r, r->path);
		_exit(ret ? ret : restore_init(criu, pipefd[1]));
	}
	close(pipefd[1]);
	n = read(pipefd[0], &ret, sizeof(ret));
	close(pipefd[0]);
	if (n == sizeof(ret))
		return ret ? fail(0, "criu restore failed (exit status %d)", ret) : 0;
	/* the init ended before criu did: the create failed (printed) */
	if (waitpid(init, &status, 0) < 0 || !WIFEXITED(status))
		return EXIT_FAIL;
	return WEXITSTATUS(status) ? WEXITSTATUS(status) : EXIT_FAIL;
}

/* The child that runs criu in the empty container: attach, /proc, criu. */
static int restore_whole_criu(struct vpid_req *r, char **criu)
{
	char cmd[VPIDCTL_CMD_SIZE];
	long max = restore_pid_max();
	int ret;

	r->pid = getpid();
	r->vpid = max ? max - 1 : 0;
	if (r->vpid)
		snprintf(cmd, sizeof(cmd), VPID_CMD_ATTACH " %s %ld %ld",
			 r->path, r->pid, r->vpid);
	else
		snprintf(cmd, sizeof(cmd), VPID_CMD_ATTACH " %s %ld", r->path,
			 r->pid);
	ret = ctl_request(r, cmd);
	if (ret)
		return ret;
	ret = mount_own_proc();
	if (ret)
		return ret;
	restore_high_nextpid(CRIU_ROOM);
	return exec_cmd(criu);
}

/* A tree whose root is pid 1: criu makes it the init of an empty NAME. */
static int restore_whole(struct vpid_req *r, char **criu)
{
	char cmd[VPIDCTL_CMD_SIZE];
	int ret, status;
	pid_t pid;

	snprintf(cmd, sizeof(cmd), VPID_CMD_MKEMPTY " %s", r->path);
	ret = ctl_request(r, cmd);
	if (ret)
		return ret;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		ret = fail(errno, "cannot fork: %s", strerror(errno));
	} else if (pid == 0) {
		setsid();
		_exit(restore_whole_criu(r, criu));
	} else {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		ret = WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_FAIL;
		if (ret)
			ret = fail(0, "criu restore failed (exit status %d)", ret);
	}
	if (ret) {
		/* what criu left, if anything: quietly */
		int fd = open(control_path(), O_WRONLY | O_CLOEXEC);

		snprintf(cmd, sizeof(cmd), VPID_CMD_DESTROY " %s", r->path);
		if (fd >= 0) {
			if (write(fd, cmd, strlen(cmd)) < 0)
				ret = ret ? ret : EXIT_FAIL;
			close(fd);
		}
	}
	return ret;
}

/**
 * criu_cmd() - a criu command line: its fixed words, then the caller's
 * options after an optional "--"
 * @fixed: the fixed words, "criu" first
 * @nfixed: how many
 * @argc: the caller's argument count
 * @argv: the caller's arguments, the options from @argv[optind]
 *
 * Return: a NULL-terminated argv (pointing into @fixed and @argv), or NULL
 * without memory.
 */
char **criu_cmd(const char *const *fixed, int nfixed, int argc, char **argv)
{
	char **cmd;
	int i, n;

	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	n = argc - optind;
	cmd = calloc(nfixed + n + 1, sizeof(*cmd));
	if (!cmd)
		return NULL;
	for (i = 0; i < nfixed; i++)
		cmd[i] = (char *)fixed[i];
	for (i = 0; i < n; i++)
		cmd[nfixed + i] = argv[optind + i];
	return cmd;
}

/*
 * NAME below another container, "PARENT/NAME": the control file makes a
 * container (a bare name, "mkempty NAME") only below the writer's own, so
 * vpidctl moves itself into PARENT first, as "exec" does (the mount
 * namespace and root of its init: DIR must be there), and restores NAME
 * from there.  It stays in PARENT, under some vpid, until it returns.
 */
static int restore_enter_parent(struct vpid_req *r)
{
	struct vpid_req parent = { .cmd = "restore" };
	char *slash = strrchr(r->path, '/');
	char *path;
	int ret;

	if (!slash)
		return 0;
	path = strndup(r->path, slash - r->path);
	if (!path)
		return fail(0, "out of memory");
	parent.path = path;
	ret = enter_container(&parent);
	free(path);
	r->path = slash + 1;
	return ret;
}

static int cmd_restore(int argc, char **argv)
{
	struct vpid_req r = { .cmd = "run" };
	long root = 0;
	const char *fixed[CRIU_ARGS] = {
		"criu", "restore", "--restore-detached", "--images-dir", NULL
	};
	char **criu;
	int ret;

	ret = plain_opts(argc, argv, &vpidctl_cmd_restore, false);
	if (ret >= 0)
		return ret;
	if (argc - optind < 2)
		return usage_error("restore", "wants NAME DIR");
	r.path = argv[optind];
	fixed[CRIU_ARGS - 1] = argv[optind + 1];
	optind += 2;
	criu = criu_cmd(fixed, CRIU_ARGS, argc, argv);
	if (!criu)
		return fail(0, "out of memory");
	set_prefix("restore %s", r.path);
	ret = ensure_module();
	if (ret)
		return ret;
	if (criu_img_root_pid(fixed[CRIU_ARGS - 1], &root))
		root = 0;	/* criu will say what is wrong with DIR */
	ret = restore_enter_parent(&r);
	if (ret)
		return ret;
	if (root == 1) {
		r.cmd = "restore";
		ret = restore_whole(&r, criu);
	} else {
		ret = restore_start(&r, criu);
	}
	free(criu);
	return ret;
}

const struct vpidctl_cmd vpidctl_cmd_restore = {
	"restore", "[PARENT/]NAME DIR [--] [CRIU-OPTION...]",
	"Restore the process tree criu dumped into DIR in a new container NAME",
	"Every process gets back the number it had when it was dumped: its\n"
	"vpid (a tree dumped in a container: \"vpidctl checkpoint\"), or its\n"
	"pid (a tree dumped on the host), however those numbers are used here\n"
	"or on the host. vpidctl creates NAME below the caller's container\n"
	"with an init of its own (vpid 1), which runs\n"
	"  criu restore --restore-detached --images-dir DIR [CRIU-OPTION...]\n"
	"then stays as the container's init until the restored tree is gone.\n"
	"A tree whose root is pid 1 (a whole container, \"vpidctl checkpoint\n"
	"PATH 1\", or a pid namespace criu dumped) is restored in NAME made\n"
	"empty: its root becomes NAME's init, and only the tree is left there.\n"
	"PARENT/NAME: vpidctl enters the existing container PARENT first (as\n"
	"\"exec\" does) and makes NAME below it.\n"
	"vpidctl returns once criu is done.\n"
	"Exit status: 0 once the tree runs; criu's if it failed; 1 if the\n"
	"container cannot be made.\n",
	cmd_restore
};
