// SPDX-License-Identifier: GPL-2.0
/*
 * ctl.c - the control file: one command per write(2), its errno explained;
 * the listing read through vpid_list.c.  $VPID_CONTROL names another file
 * (tests).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vpidctl.h"

/**
 * control_path() - the control file vpidctl uses
 *
 * Return: $VPID_CONTROL if set and not empty, else VPID_CONTROL_FILE.
 */
const char *control_path(void)
{
	const char *p = getenv("VPID_CONTROL");

	return p && *p ? p : VPID_CONTROL_FILE;
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

/**
 * ctl_request() - write one command and explain a failure
 * @r: what it is about (its path must be one token)
 * @cmd: the command, as written
 *
 * Return: 0, or EXIT_FAIL once the failure is printed.
 */
int ctl_request(const struct vpid_req *r, const char *cmd)
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

/**
 * read_list() - read and parse the listing
 * @list: the result; to free with vpid_list_free() on success
 *
 * Return: 0, or EXIT_FAIL once the failure is printed.
 */
int read_list(struct vpid_list *list)
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
