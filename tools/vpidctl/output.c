// SPDX-License-Identifier: GPL-2.0
/*
 * output.c - vpidctl's error lines, "vpidctl: PREFIX: MESSAGE (ENAME)",
 * and the numbers of its command lines.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vpidctl.h"

static char prefix[512];	/* "attach web 123": what error lines start with */

static const char *errname(int err)
{
	static char buf[32];
	const char *s = strerrorname_np(err);

	if (s)
		return s;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

/**
 * set_prefix() - say what the error lines that follow are about
 * @fmt: printf format of the prefix, e.g. "attach %s %ld"
 */
void set_prefix(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
}

/**
 * fail() - print "vpidctl: PREFIX: MESSAGE (ENAME)" on stderr
 * @err: the errno to name, or 0 for none
 * @fmt: printf format of the message
 *
 * Return: EXIT_FAIL.
 */
int fail(int err, const char *fmt, ...)
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

/**
 * warn() - print "vpidctl: PREFIX: warning: MESSAGE: STRERROR (ENAME)"
 * @err: the errno to describe, or 0 for none
 * @fmt: printf format of the message
 */
void warn(int err, const char *fmt, ...)
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

/**
 * usage_error() - report a wrong command line and where to read about it
 * @cmd: the command's name, or NULL for vpidctl's own
 * @fmt: printf format of what is wrong
 *
 * Return: EXIT_USAGE.
 */
int usage_error(const char *cmd, const char *fmt, ...)
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

/**
 * parse_nr() - a pid or vpid from the command line
 * @s: the argument
 * @out: its value, set only on success
 *
 * Return: whether @s is a decimal number from 1 to VPID_NR_MAX.
 */
bool parse_nr(const char *s, long *out)
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
