// SPDX-License-Identifier: GPL-2.0
/*
 * test_list.c - unit test of vpid_list.c: feeds it sample listings and
 * prints TAP.  Usage: test_list [SCRATCH-DIR] (default: $TMPDIR or /tmp).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vpid_list.h"

static int t_nr, t_failed;

static void t_result(int pass, const char *fmt, ...)
{
	va_list ap;

	t_nr++;
	if (!pass)
		t_failed++;
	printf("%s %d - ", pass ? "ok" : "not ok", t_nr);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Render a parsed listing back as "path level init tasks;..." */
static void t_render(const struct vpid_list *l, char *out, size_t size)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < l->nr && used < size; i++)
		used += snprintf(out + used, size - used, "%s%s %u %ld %ld",
				 i ? ";" : "", l->c[i].path, l->c[i].level,
				 l->c[i].init, l->c[i].tasks);
}

/* The text parses, and renders as @want. */
static void t_good(const char *desc, const char *text, const char *want)
{
	struct vpid_list l;
	char got[1024];
	unsigned int line;
	int err;

	err = vpid_list_parse(text, strlen(text), &l, &line);
	t_render(&l, got, sizeof(got));
	t_result(!err && !strcmp(got, want), "%s", desc);
	if (err)
		printf("# error %d at line %u\n", err, line);
	else if (strcmp(got, want))
		printf("# expected: %s\n#      got: %s\n", want, got);
	vpid_list_free(&l);
}

/* The text is rejected with -EINVAL, naming line @want_line. */
static void t_bad_len(const char *desc, const char *text, size_t len,
		      unsigned int want_line)
{
	struct vpid_list l;
	unsigned int line;
	int err;

	err = vpid_list_parse(text, len, &l, &line);
	t_result(err == -EINVAL && line == want_line, "%s", desc);
	if (err != -EINVAL || line != want_line)
		printf("# expected -EINVAL at line %u, got %d at line %u\n",
		       want_line, err, line);
	vpid_list_free(&l);
}

static void t_bad(const char *desc, const char *text, unsigned int want_line)
{
	t_bad_len(desc, text, strlen(text), want_line);
}

#define HDR VPID_LIST_HEADER "\n"

static void t_parse(void)
{
	char long_name[128];

	/* A 64-byte name: one too many. */
	snprintf(long_name, sizeof(long_name), HDR ". 0 1 -\n%064d 1 5 1\n", 0);
	t_good("idle host", HDR ". 0 1 -\n", ". 0 1 -1");
	t_good("no final newline", HDR ". 0 1 -", ". 0 1 -1");
	t_good("host with a tree, depth first",
	       HDR ". 0 1 -\nweb 1 4242 3\nweb/db 2 4250 1\nweb/db/x 3 4251 0\n"
	       "mail 1 17 2\n",
	       ". 0 1 -1;web 1 4242 3;web/db 2 4250 1;web/db/x 3 4251 0;"
	       "mail 1 17 2");
	t_good("inside a container", HDR ". 1 1 3\ndb 2 7 1\n",
	       ". 1 1 3;db 2 7 1");
	t_good("init that has exited reads as 0", HDR ". 0 1 -\nweb 1 0 2\n",
	       ". 0 1 -1;web 1 0 2");
	t_good("extra fields are ignored",
	       HDR ". 0 1 - x y\nweb 1 4242 3 future 9\n",
	       ". 0 1 -1;web 1 4242 3");
	t_good("tabs and repeated blanks separate fields",
	       HDR ".\t0  1\t-\nweb  1\t\t4242 3\n", ". 0 1 -1;web 1 4242 3");
	t_good("later # lines are comments",
	       HDR ". 0 1 -\n# note\nweb 1 5 1\n", ". 0 1 -1;web 1 5 1");
	t_good("names with . _ - and digits",
	       HDR ". 0 1 -\na.b_c-9 1 5 1\n...x 1 6 1\n",
	       ". 0 1 -1;a.b_c-9 1 5 1;...x 1 6 1");
	t_good("deepest level 32", HDR ". 31 1 1\nz 32 5 1\n",
	       ". 31 1 1;z 32 5 1");
	t_good("largest pid", HDR ". 0 1 -\nw 1 4194304 1\n",
	       ". 0 1 -1;w 1 4194304 1");

	t_bad("empty text", "", 1);
	t_bad("header only", HDR, 2);
	t_bad("no header", ". 0 1 -\n", 1);
	t_bad("empty first line", "\n. 0 1 -\n", 1);
	t_bad("own container missing", HDR "web 1 5 1\n", 2);
	t_bad("own container twice", HDR ". 0 1 -\n. 0 1 -\n", 3);
	t_bad("three fields", HDR ". 0 1 -\nweb 1 5\n", 3);
	t_bad("empty line", HDR ". 0 1 -\n\nweb 1 5 1\n", 3);
	t_bad("blank line", HDR ". 0 1 -\n\t\n", 3);
	t_bad("level not a number", HDR ". 0 1 -\nweb x 5 1\n", 3);
	t_bad("negative init", HDR ". 0 1 -\nweb 1 -5 1\n", 3);
	t_bad("pid too large", HDR ". 0 1 -\nweb 1 4194305 1\n", 3);
	t_bad("level too deep", HDR ". 0 1 -\nweb 33 5 1\n", 3);
	t_bad("tasks - below the reader", HDR ". 0 1 -\nweb 1 5 -\n", 3);
	t_bad("tasks with a sign", HDR ". 0 1 -\nweb 1 5 +1\n", 3);
	t_bad("level does not match depth", HDR ". 0 1 -\nweb 2 5 1\n", 3);
	t_bad("child before parent", HDR ". 0 1 -\nweb/db 2 5 1\n", 3);
	t_bad("duplicate path",
	      HDR ". 0 1 -\nweb 1 5 1\nweb 1 6 1\n", 4);
	t_bad("absolute path", HDR ". 0 1 -\n/web 1 5 1\n", 3);
	t_bad("trailing slash", HDR ". 0 1 -\nweb/ 2 5 1\n", 3);
	t_bad("double slash",
	      HDR ". 0 1 -\nweb 1 5 1\nweb//db 2 6 1\n", 4);
	t_bad("name ..", HDR ". 0 1 -\nweb 1 5 1\nweb/.. 2 6 1\n", 4);
	t_bad("bad character", HDR ". 0 1 -\nw*b 1 5 1\n", 3);
	t_bad("64-byte name", long_name, 3);
	t_bad("carriage return", HDR ". 0 1 -\r\n", 2);
	t_bad_len("embedded NUL", HDR ". 0 1 -\n\0", sizeof(HDR) + 8, 0);
}

static void t_find(void)
{
	const char *text = HDR ". 0 1 -\nweb 1 4242 3\nweb/db 2 4250 1\n";
	const struct vpid_list_entry *c;
	struct vpid_list l;
	int err;

	err = vpid_list_parse(text, strlen(text), &l, NULL);
	t_result(!err && l.nr == 3, "find: sample parses into 3 containers");
	c = vpid_list_find(&l, "web/db");
	t_result(c && c->init == 4250 && c->level == 2, "find: web/db");
	c = vpid_list_find(&l, ".");
	t_result(c == &l.c[0], "find: . is the first entry");
	t_result(!vpid_list_find(&l, "db"), "find: db is not a top path");
	t_result(!vpid_list_find(&l, "web/"), "find: exact match only");
	vpid_list_free(&l);
	t_result(l.nr == 0 && !l.c, "free: leaves an empty list");
}

static void t_read(const char *dir)
{
	char path[4096];
	struct vpid_list l;
	unsigned int line;
	FILE *f;
	int err, i;

	snprintf(path, sizeof(path), "%s/test_list.%d", dir, (int)getpid());
	f = fopen(path, "w");
	if (!f) {
		t_result(0, "read: create %s: %s", path, strerror(errno));
		return;
	}
	/* Larger than the first read buffer. */
	fputs(HDR ". 0 1 -\n", f);
	for (i = 0; i < 500; i++)
		fprintf(f, "container-%03d 1 %d %d\n", i, 1000 + i, i % 7);
	fclose(f);
	err = vpid_list_read(path, &l, &line);
	t_result(!err && l.nr == 501 && l.c[500].init == 1499 &&
		 l.c[500].tasks == 499 % 7 && !strcmp(l.c[500].path,
						      "container-499"),
		 "read: a 500-container file");
	vpid_list_free(&l);

	f = fopen(path, "w");
	if (f) {
		fputs(HDR ". 0 1 -\nbad\n", f);
		fclose(f);
	}
	err = vpid_list_read(path, &l, &line);
	t_result(err == -EINVAL && line == 3, "read: reports the bad line");
	vpid_list_free(&l);
	unlink(path);

	err = vpid_list_read(path, &l, &line);
	t_result(err == -ENOENT && l.nr == 0, "read: missing file is -ENOENT");
	vpid_list_free(&l);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("TMPDIR");

	t_parse();
	t_find();
	t_read(dir && *dir ? dir : "/tmp");
	printf("1..%d\n", t_nr);
	return t_failed ? 1 : 0;
}
