// SPDX-License-Identifier: GPL-2.0
/*
 * vpid_list.c - parse the /proc/container listing into an array (see
 * vpid_list.h).  Strict about what the four known fields hold, so that a
 * change of format shows up as an error rather than as wrong numbers.
 */
#define _GNU_SOURCE	/* memrchr */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vpid_list.h"
#include "vpid_parse.h"

#define VPID_LIST_FIELDS	4

static bool vpid_list_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * A PATH below the reader: names joined by single slashes, each one as the
 * module checks it (vpid_parse_name(); a trailing slash leaves an empty
 * name).  @s is not NUL-terminated.
 */
static bool vpid_list_path_ok(const char *s, size_t len)
{
	const char *slash;
	size_t n;

	for (;;) {
		slash = memchr(s, '/', len);
		n = slash ? (size_t)(slash - s) : len;
		if (vpid_parse_name(s, n))
			return false;
		if (!slash)
			return true;
		s += n + 1;
		len -= n + 1;
	}
}

/* A decimal number in [0, @max], exactly @len bytes of digits. */
static bool vpid_list_number(const char *s, size_t len, long max, long *out)
{
	long v = 0;
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

struct vpid_list_field {
	const char *s;
	size_t len;
};

/* Split one line (no newline in it) into its first fields. */
static size_t vpid_list_split(const char *s, size_t len,
			      struct vpid_list_field *f)
{
	size_t i = 0, n = 0, start;

	while (n < VPID_LIST_FIELDS) {
		while (i < len && vpid_list_blank(s[i]))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && !vpid_list_blank(s[i]))
			i++;
		f[n].s = s + start;
		f[n].len = i - start;
		n++;
	}
	return n;
}

static bool vpid_list_has(const struct vpid_list *list, const char *path,
			  size_t len)
{
	size_t i;

	for (i = 0; i < list->nr; i++)
		if (strlen(list->c[i].path) == len &&
		    !memcmp(list->c[i].path, path, len))
			return true;
	return false;
}

/* One container line; 0 or -EINVAL, -ENOMEM. */
static int vpid_list_line(const char *s, size_t len, struct vpid_list *list,
			  size_t *cap)
{
	struct vpid_list_field f[VPID_LIST_FIELDS];
	struct vpid_list_entry c = { 0 };
	const char *slash;
	bool dot, first = list->nr == 0;
	long level;

	if (vpid_list_split(s, len, f) < VPID_LIST_FIELDS)
		return -EINVAL;
	dot = f[0].len == 1 && f[0].s[0] == '.';
	/* The reader's own container comes first, and only there. */
	if (dot != first)
		return -EINVAL;
	if (!dot && !vpid_list_path_ok(f[0].s, f[0].len))
		return -EINVAL;
	if (!vpid_list_number(f[1].s, f[1].len, VPID_DEPTH_MAX, &level))
		return -EINVAL;
	c.level = (unsigned int)level;
	if (!vpid_list_number(f[2].s, f[2].len, VPID_NR_MAX, &c.init))
		return -EINVAL;
	if (dot && f[3].len == 1 && f[3].s[0] == '-')
		c.tasks = -1;
	else if (!vpid_list_number(f[3].s, f[3].len, INT_MAX, &c.tasks))
		return -EINVAL;

	if (!dot) {
		size_t depth = 1, i;

		for (i = 0; i < f[0].len; i++)
			depth += f[0].s[i] == '/';
		/* Depth first: a container follows its parent, one level on. */
		if (c.level != list->c[0].level + depth)
			return -EINVAL;
		if (vpid_list_has(list, f[0].s, f[0].len))
			return -EINVAL;
		slash = memrchr(f[0].s, '/', f[0].len);
		if (slash && !vpid_list_has(list, f[0].s, slash - f[0].s))
			return -EINVAL;
	}

	if (list->nr == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct vpid_list_entry *n;

		n = realloc(list->c, ncap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		list->c = n;
		*cap = ncap;
	}
	c.path = strndup(f[0].s, f[0].len);
	if (!c.path)
		return -ENOMEM;
	list->c[list->nr++] = c;
	return 0;
}

/**
 * vpid_list_parse() - parse the text of a /proc/container listing
 * @text: the listing; need not be NUL-terminated
 * @len: its length in bytes
 * @list: the result; free it with vpid_list_free(), also after an error
 * @bad_line: if not NULL, set to the 1-based number of the first line that
 *	      is malformed (0 when the error is not about one line)
 *
 * The first line must be a '#' header, the first container line the
 * reader's own (path "."), each other path a valid relative path whose
 * parent came before it and whose level matches its depth.  Lines that
 * start with '#' after the header are ignored, and so are fields after the
 * fourth.  A final newline is optional; an empty line is malformed.
 *
 * Return: 0, -EINVAL (malformed) or -ENOMEM.
 */
int vpid_list_parse(const char *text, size_t len, struct vpid_list *list,
		    unsigned int *bad_line)
{
	size_t pos = 0, cap = 0;
	unsigned int line = 0;
	int err = 0;

	list->c = NULL;
	list->nr = 0;
	if (bad_line)
		*bad_line = 0;
	if (memchr(text, '\0', len))
		return -EINVAL;
	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		line++;
		pos += n + (nl ? 1 : 0);
		if (line == 1)
			err = n > 0 && s[0] == '#' ? 0 : -EINVAL;
		else if (n > 0 && s[0] == '#')
			err = 0;
		else
			err = vpid_list_line(s, n, list, &cap);
		if (err) {
			if (bad_line && err == -EINVAL)
				*bad_line = line;
			return err;
		}
	}
	if (list->nr == 0) {
		if (bad_line)
			*bad_line = line + 1;
		return -EINVAL;
	}
	return 0;
}

/**
 * vpid_list_read() - read and parse a listing file
 * @file: its path, normally VPID_CONTROL_FILE
 * @list: the result; free it with vpid_list_free(), also after an error
 * @bad_line: as for vpid_list_parse()
 *
 * Return: 0, -errno from open(2) or read(2), or an error of
 * vpid_list_parse().
 */
int vpid_list_read(const char *file, struct vpid_list *list,
		   unsigned int *bad_line)
{
	size_t len = 0, cap = 4096;
	char *buf, *n;
	ssize_t r;
	int fd, err;

	list->c = NULL;
	list->nr = 0;
	if (bad_line)
		*bad_line = 0;
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (len == cap) {
			n = realloc(buf, cap * 2);
			if (!n) {
				err = -ENOMEM;
				goto out;
			}
			buf = n;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			goto out;
		}
		if (r == 0)
			break;
		len += r;
	}
	err = vpid_list_parse(buf, len, list, bad_line);
out:
	free(buf);
	close(fd);
	return err;
}

/**
 * vpid_list_find() - look a container up by its path
 * @list: a parsed listing
 * @path: "." or a path relative to the reader, as in the listing
 *
 * Return: the container, or NULL if the listing has no such path.
 */
const struct vpid_list_entry *vpid_list_find(const struct vpid_list *list,
					     const char *path)
{
	size_t i;

	for (i = 0; i < list->nr; i++)
		if (!strcmp(list->c[i].path, path))
			return &list->c[i];
	return NULL;
}

/**
 * vpid_list_free() - free what vpid_list_parse() or vpid_list_read() built
 * @list: the listing; left empty
 */
void vpid_list_free(struct vpid_list *list)
{
	size_t i;

	for (i = 0; i < list->nr; i++)
		free(list->c[i].path);
	free(list->c);
	list->c = NULL;
	list->nr = 0;
}
