// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - parse one /proc/container command (DESIGN.md, "The control
 * file").  Tokens are separated by blanks; one trailing newline is allowed.
 * No allocation, no kernel dependency: see vpid_parse.h.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif
#include "vpid_parse.h"

#define VPID_MAX_TOKENS 4

static int vpid_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int vpid_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/**
 * vpid_parse_name() - check one container name
 * @s: its first byte
 * @len: its length (@s need not be NUL-terminated)
 *
 * Return: 0, -EINVAL (empty, "." or "..", a byte outside VPID_NAME_CHARS)
 * or -ENAMETOOLONG (over VPID_NAME_MAX bytes).
 */
int vpid_parse_name(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return -EINVAL;
	if (len > VPID_NAME_MAX)
		return -ENAMETOOLONG;
	for (i = 0; i < len; i++)
		if (!vpid_name_char(s[i]))
			return -EINVAL;
	if (s[0] == '.' && (len == 1 || (len == 2 && s[1] == '.')))
		return -EINVAL;
	return 0;
}

/**
 * vpid_parse_path() - check a container PATH: names joined by single slashes
 * @s: the NUL-terminated path
 *
 * Return: 0 or the first name's error (vpid_parse_name()).
 */
int vpid_parse_path(const char *s)
{
	const char *slash;
	int err;

	for (;;) {
		slash = strchr(s, '/');
		err = vpid_parse_name(s, slash ? (size_t)(slash - s) : strlen(s));
		if (err || !slash)
			return err;
		s = slash + 1;
	}
}

/* A decimal number from 1 to VPID_NR_MAX. */
static int vpid_parse_nr(const char *s, int *out)
{
	long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > VPID_NR_MAX)
			return -EINVAL;
	}
	if (v == 0)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/* Split @buf in place into at most VPID_MAX_TOKENS + 1 tokens. */
static int vpid_tokenize(char *buf, char **tok)
{
	int n = 0;

	for (;;) {
		while (vpid_is_blank(*buf))
			*buf++ = '\0';
		if (!*buf)
			return n;
		if (n > VPID_MAX_TOKENS)
			return n;
		tok[n++] = buf;
		while (*buf && !vpid_is_blank(*buf))
			buf++;
	}
}

/**
 * vpid_parse_cmd() - parse one command written to /proc/container
 * @buf: the bytes written, followed by a NUL at @buf[@len]; modified
 * @len: how many bytes were written
 * @cmd: the result, pointing into @buf
 *
 * Return: 0, -EINVAL (malformed) or -ENAMETOOLONG (a name over VPID_NAME_MAX bytes).
 */
int vpid_parse_cmd(char *buf, size_t len, struct vpid_cmd *cmd)
{
	char *tok[VPID_MAX_TOKENS + 1];
	size_t i;
	int n, err;

	if (len == 0 || len > VPID_CMD_MAX)
		return -EINVAL;
	if (buf[len - 1] == '\n')
		buf[--len] = '\0';
	for (i = 0; i < len; i++)
		if ((unsigned char)buf[i] < 0x20 && buf[i] != '\t')
			return -EINVAL;	/* also an embedded NUL */

	n = vpid_tokenize(buf, tok);
	if (n == 0 || n > VPID_MAX_TOKENS)
		return -EINVAL;
	memset(cmd, 0, sizeof(*cmd));
	cmd->path = n > 1 ? tok[1] : tok[0];

	if (!strcmp(tok[0], VPID_CMD_ATTACH)) {
		if (n < 3)
			return -EINVAL;
		cmd->op = VPID_OP_ATTACH;
		err = vpid_parse_nr(tok[2], &cmd->pid);
		if (!err && n == 4)
			err = vpid_parse_nr(tok[3], &cmd->vpid);
	} else if (!strcmp(tok[0], VPID_CMD_NEXTPID)) {
		if (n != 3)
			return -EINVAL;
		cmd->op = VPID_OP_NEXTPID;
		err = vpid_parse_nr(tok[2], &cmd->vpid);
	} else if (!strcmp(tok[0], VPID_CMD_DESTROY)) {
		if (n != 2)
			return -EINVAL;
		cmd->op = VPID_OP_DESTROY;
		err = 0;
	} else if (!strcmp(tok[0], VPID_CMD_MKEMPTY)) {
		if (n != 2)
			return -EINVAL;
		cmd->op = VPID_OP_MKEMPTY;
		err = vpid_parse_name(tok[1], strlen(tok[1]));
	} else {
		if (n != 1)
			return -EINVAL;
		cmd->op = VPID_OP_CREATE;
		return vpid_parse_name(tok[0], strlen(tok[0]));
	}
	if (err)
		return err;
	return vpid_parse_path(cmd->path);
}
