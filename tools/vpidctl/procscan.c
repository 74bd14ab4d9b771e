// SPDX-License-Identifier: GPL-2.0
/*
 * procscan.c - what vpidctl ps reads of /proc: every process with its
 * parent, a process's vpid (its NSpid line) and its command line.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vpidctl.h"

static int proc_cmp(const void *a, const void *b)
{
	const struct proc_ent *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The parent of @pid from /proc/PID/stat; false if it cannot be read. */
static bool proc_ppid(long pid, long *ppid)
{
	char file[64], buf[1024], *paren;
	ssize_t len;
	int fd;

	snprintf(file, sizeof(file), "/proc/%ld/stat", pid);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return false;
	buf[len] = '\0';
	/* "PID (COMM) S PPID ...": COMM may hold anything. */
	paren = strrchr(buf, ')');
	return paren && sscanf(paren + 1, " %*c %ld", ppid) == 1;
}

/**
 * proc_scan() - every process in /proc with its parent
 * @nr: set to how many
 *
 * Return: an array sorted by pid, to free(); NULL if /proc cannot be read
 * or holds nothing readable.
 */
struct proc_ent *proc_scan(size_t *nr)
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
		long pid, ppid;

		if (!parse_nr(d->d_name, &pid) || !proc_ppid(pid, &ppid))
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

/**
 * proc_find() - look a process up in what proc_scan() returned
 * @p: the array
 * @nr: its length
 * @pid: the process
 *
 * Return: whether @pid is in @p.
 */
bool proc_find(const struct proc_ent *p, size_t nr, long pid)
{
	struct proc_ent key = { .pid = pid };

	return p && bsearch(&key, p, nr, sizeof(*p), proc_cmp);
}

/**
 * proc_vpid() - one number of a process's NSpid line, as a string
 * @pid: the process
 * @idx: which number: 0 is the reader's level, 1 the level below...
 * @out: the number, or "-" if there is none
 * @size: the size of @out
 */
void proc_vpid(long pid, unsigned int idx, char *out, size_t size)
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

/* A kernel thread's: "[COMM]", or "?". */
static void proc_comm(long pid, char *out, size_t size)
{
	char file[64];
	ssize_t len = -1;
	int fd;

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

/**
 * proc_cmdline() - a process's command line, its arguments joined by blanks
 * @pid: the process
 * @out: the line; "[COMM]" for a kernel thread, "?" if none can be read
 * @size: the size of @out
 */
void proc_cmdline(long pid, char *out, size_t size)
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
	if (!len)
		proc_comm(pid, out, size);
}
