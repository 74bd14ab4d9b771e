// SPDX-License-Identifier: GPL-2.0
/*
 * explain.c - the errno of a control-file write, in words that name the
 * container, the process or the limit it is about (DESIGN.md lists which
 * errno each command gives).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "vpid_parse.h"
#include "vpidctl.h"

static bool is_keyword(const char *s)
{
	return !strcmp(s, VPID_CMD_ATTACH) || !strcmp(s, VPID_CMD_NEXTPID) ||
		!strcmp(s, VPID_CMD_DESTROY) || !strcmp(s, VPID_CMD_MKEMPTY);
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

/* EINVAL: the name or path by the module's rules, the vpid, the process. */
static void explain_einval(const struct vpid_req *r, char *buf, size_t size)
{
	bool run = !strcmp(r->cmd, "run");
	bool moves = run || !strcmp(r->cmd, "attach") ||
		!strcmp(r->cmd, "exec");
	long max = r->vpid ? kernel_pid_max() : 0;

	if (run && is_keyword(r->path))
		snprintf(buf, size, "'%s' is a command word of %s and cannot name a container",
			 r->path, VPID_CONTROL_FILE);
	else if (run && vpid_parse_name(r->path, strlen(r->path)))
		snprintf(buf, size, "invalid container name '%s': 1-%d of %s, not . or ..",
			 r->path, VPID_NAME_MAX, VPID_NAME_CHARS);
	else if (run)
		snprintf(buf, size, "invalid container name '%s'", r->path);
	else if (vpid_parse_path(r->path))
		snprintf(buf, size, "invalid container path '%s': names of 1-%d of %s joined by /",
			 r->path, VPID_NAME_MAX, VPID_NAME_CHARS);
	else if (max && r->vpid >= max)
		snprintf(buf, size, "vpid %ld is out of range (kernel.pid_max is %ld)",
			 r->vpid, max);
	else if (moves)
		snprintf(buf, size, "process %ld cannot join a container (a kernel thread, the host's init, or in a native pid namespace)",
			 r->pid);
	else
		snprintf(buf, size, "invalid request");
}

/**
 * explain() - the errno of a control-file write, in words
 * @err: the positive errno
 * @r: what the write was about
 * @buf: where to put the sentence
 * @size: the size of @buf
 *
 * Return: @buf.
 */
const char *explain(int err, const struct vpid_req *r, char *buf,
		    size_t size)
{
	bool run = !strcmp(r->cmd, "run");

	switch (err) {
	case EINVAL:
		explain_einval(r, buf, size);
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
			 VPID_CONTROL_FILE);
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
