// SPDX-License-Identifier: GPL-2.0
/*
 * test_list.c - unit test of vpid_list.c: feeds it sample listings, under
 * the kernel's kselftest harness (scripts/kselftest-harness.sh): one test
 * per case, TAP on stdout, exit status 0 only if all pass.
 * Usage: test_list [SCRATCH-DIR] (default: $TMPDIR or /tmp).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vpid_list.h"

static const char *scratch_dir;

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

#define HDR VPID_LIST_HEADER "\n"
#define Z16 "0000000000000000"

/* Listings that parse, and render as @want. */
FIXTURE(good) {};
FIXTURE_SETUP(good) {}
FIXTURE_TEARDOWN(good) {}
FIXTURE_VARIANT(good) {
	const char *text;
	const char *want;
};

FIXTURE_VARIANT_ADD(good, idle_host) {
	.text = HDR ". 0 1 -\n",
	.want = ". 0 1 -1",
};

FIXTURE_VARIANT_ADD(good, no_final_newline) {
	.text = HDR ". 0 1 -",
	.want = ". 0 1 -1",
};

FIXTURE_VARIANT_ADD(good, host_with_a_tree_depth_first) {
	.text = HDR ". 0 1 -\nweb 1 4242 3\nweb/db 2 4250 1\nweb/db/x 3 4251 0\n"
		"mail 1 17 2\n",
	.want = ". 0 1 -1;web 1 4242 3;web/db 2 4250 1;web/db/x 3 4251 0;"
		"mail 1 17 2",
};

FIXTURE_VARIANT_ADD(good, inside_a_container) {
	.text = HDR ". 1 1 3\ndb 2 7 1\n",
	.want = ". 1 1 3;db 2 7 1",
};

FIXTURE_VARIANT_ADD(good, init_that_has_exited_reads_as_0) {
	.text = HDR ". 0 1 -\nweb 1 0 2\n",
	.want = ". 0 1 -1;web 1 0 2",
};

FIXTURE_VARIANT_ADD(good, extra_fields_are_ignored) {
	.text = HDR ". 0 1 - x y\nweb 1 4242 3 future 9\n",
	.want = ". 0 1 -1;web 1 4242 3",
};

FIXTURE_VARIANT_ADD(good, tabs_and_repeated_blanks_separate_fields) {
	.text = HDR ".\t0  1\t-\nweb  1\t\t4242 3\n",
	.want = ". 0 1 -1;web 1 4242 3",
};

FIXTURE_VARIANT_ADD(good, later_hash_lines_are_comments) {
	.text = HDR ". 0 1 -\n# note\nweb 1 5 1\n",
	.want = ". 0 1 -1;web 1 5 1",
};

FIXTURE_VARIANT_ADD(good, names_with_dot_underscore_dash_and_digits) {
	.text = HDR ". 0 1 -\na.b_c-9 1 5 1\n...x 1 6 1\n",
	.want = ". 0 1 -1;a.b_c-9 1 5 1;...x 1 6 1",
};

FIXTURE_VARIANT_ADD(good, deepest_level_32) {
	.text = HDR ". 31 1 1\nz 32 5 1\n",
	.want = ". 31 1 1;z 32 5 1",
};

FIXTURE_VARIANT_ADD(good, largest_pid) {
	.text = HDR ". 0 1 -\nw 1 4194304 1\n",
	.want = ". 0 1 -1;w 1 4194304 1",
};

TEST_F(good, parses)
{
	struct vpid_list l;
	char got[1024];
	unsigned int line;
	int err;

	err = vpid_list_parse(variant->text, strlen(variant->text), &l, &line);
	t_render(&l, got, sizeof(got));
	EXPECT_EQ(0, err) {
		TH_LOG("error %d at line %u", err, line);
	}
	EXPECT_STREQ(variant->want, got);
	vpid_list_free(&l);
}

/* Listings rejected with -EINVAL, naming line @line (@len: 0 for strlen). */
FIXTURE(bad) {};
FIXTURE_SETUP(bad) {}
FIXTURE_TEARDOWN(bad) {}
FIXTURE_VARIANT(bad) {
	const char *text;
	size_t len;
	unsigned int line;
};

FIXTURE_VARIANT_ADD(bad, empty_text) {
	.text = "",
	.line = 1,
};

FIXTURE_VARIANT_ADD(bad, header_only) {
	.text = HDR,
	.line = 2,
};

FIXTURE_VARIANT_ADD(bad, no_header) {
	.text = ". 0 1 -\n",
	.line = 1,
};

FIXTURE_VARIANT_ADD(bad, empty_first_line) {
	.text = "\n. 0 1 -\n",
	.line = 1,
};

FIXTURE_VARIANT_ADD(bad, own_container_missing) {
	.text = HDR "web 1 5 1\n",
	.line = 2,
};

FIXTURE_VARIANT_ADD(bad, own_container_twice) {
	.text = HDR ". 0 1 -\n. 0 1 -\n",
	.line = 3,
};

FIXTURE_VARIANT_ADD(bad, three_fields) {
	.text = HDR ". 0 1 -\nweb 1 5\n",
	.line = 3,
};

FIXTURE_VARIANT_ADD(bad, empty_line) {
	.text = HDR ". 0 1 -\n\nweb 1 5 1\n",
	.line = 3,
};

FIXTURE_VARIANT_ADD(bad, blank_line) {
	.text = HDR ". 0 1 -\n\t\n",
	.line = 3,
};

FIXTURE_VARIANT_ADD(bad, level_not_a_number) {
	.text = HDR ". 0 1 -\nweb x 5 1\n",
	.line = 3,
};

FIXTURE_VARIANT_ADD(bad, negative_init) {
	.text = HDR ". 0 1 -\nweb 1 -5 1\n",
	.line = 3,
};

FIXTURE_VARIANT_ADD(bad, pid_too_large) {
	.text = HDR ". 0 1 -\nweb 1 4194305 1\n",
	.line = 3,
};

FIXTURE_VARIANT_ADD(bad, level_too_deep) {
	.text = HDR ". 0 1 -\nweb 33 5 1\n",
	.line = 3,
};

FIXTURE_VARIANT_ADD(bad, tasks_dash_below_the_reader) {
	.text = HDR ". 0 1 -\nweb 1 5 -\n",
	.line = 3,
};

FIXTURE_VARIANT_ADD(bad, tasks_with_a_sign) {
	.text = HDR ". 0 1 -\nweb 1 5 +1\n",
	.line = 3,
};

FIXTURE_VARIANT_ADD(bad, level_does_not_match_depth) {
	.text = HDR ". 0 1 -\nweb 2 5 1\n",
	.line = 3,
};

FIXTURE_VARIANT_ADD(bad, child_before_parent) {
	.text = HDR ". 0 1 -\nweb/db 2 5 1\n",
	.line = 3,
};

FIXTURE_VARIANT_ADD(bad, duplicate_path) {
	.text = HDR ". 0 1 -\nweb 1 5 1\nweb 1 6 1\n",
	.line = 4,
};

FIXTURE_VARIANT_ADD(bad, absolute_path) {
	.text = HDR ". 0 1 -\n/web 1 5 1\n",
	.line = 3,
};

FIXTURE_VARIANT_ADD(bad, trailing_slash) {
	.text = HDR ". 0 1 -\nweb/ 2 5 1\n",
	.line = 3,
};

FIXTURE_VARIANT_ADD(bad, double_slash) {
	.text = HDR ". 0 1 -\nweb 1 5 1\nweb//db 2 6 1\n",
	.line = 4,
};

FIXTURE_VARIANT_ADD(bad, name_dotdot) {
	.text = HDR ". 0 1 -\nweb 1 5 1\nweb/.. 2 6 1\n",
	.line = 4,
};

FIXTURE_VARIANT_ADD(bad, bad_character) {
	.text = HDR ". 0 1 -\nw*b 1 5 1\n",
	.line = 3,
};

/* A 64-byte name: one too many. */
FIXTURE_VARIANT_ADD(bad, name_of_64_bytes) {
	.text = HDR ". 0 1 -\n" Z16 Z16 Z16 Z16 " 1 5 1\n",
	.line = 3,
};

FIXTURE_VARIANT_ADD(bad, carriage_return) {
	.text = HDR ". 0 1 -\r\n",
	.line = 2,
};

FIXTURE_VARIANT_ADD(bad, embedded_nul) {
	.text = HDR ". 0 1 -\n\0",
	.len = sizeof(HDR) + 8,
	.line = 0,
};

TEST_F(bad, rejected)
{
	size_t len = variant->len ?: strlen(variant->text);
	struct vpid_list l;
	unsigned int line;
	int err;

	err = vpid_list_parse(variant->text, len, &l, &line);
	EXPECT_EQ(-EINVAL, err);
	EXPECT_EQ(variant->line, line);
	vpid_list_free(&l);
}

/* vpid_list_find() and vpid_list_free() on a sample. */
FIXTURE(find) {
	struct vpid_list l;
	int err;
};

FIXTURE_SETUP(find)
{
	const char *text = HDR ". 0 1 -\nweb 1 4242 3\nweb/db 2 4250 1\n";

	self->err = vpid_list_parse(text, strlen(text), &self->l, NULL);
}

FIXTURE_TEARDOWN(find)
{
	vpid_list_free(&self->l);
}

TEST_F(find, sample_parses_into_3_containers)
{
	EXPECT_EQ(0, self->err);
	EXPECT_EQ(3, self->l.nr);
}

TEST_F(find, web_db)
{
	const struct vpid_list_entry *c = vpid_list_find(&self->l, "web/db");

	ASSERT_NE(NULL, c);
	EXPECT_EQ(4250, c->init);
	EXPECT_EQ(2, c->level);
}

TEST_F(find, dot_is_the_first_entry)
{
	EXPECT_EQ(&self->l.c[0], vpid_list_find(&self->l, VPID_LIST_SELF));
}

TEST_F(find, db_is_not_a_top_path)
{
	EXPECT_EQ(NULL, vpid_list_find(&self->l, "db"));
}

TEST_F(find, exact_match_only)
{
	EXPECT_EQ(NULL, vpid_list_find(&self->l, "web/"));
}

TEST_F(find, free_leaves_an_empty_list)
{
	vpid_list_free(&self->l);
	EXPECT_EQ(0, self->l.nr);
	EXPECT_EQ(NULL, self->l.c);
}

/* vpid_list_read() on a file in the scratch directory. */
FIXTURE(read) {
	char path[4096];
	struct vpid_list l;
};

FIXTURE_SETUP(read)
{
	snprintf(self->path, sizeof(self->path), "%s/test_list.%d",
		 scratch_dir, (int)getpid());
	self->l.c = NULL;
	self->l.nr = 0;
}

FIXTURE_TEARDOWN(read)
{
	vpid_list_free(&self->l);
	unlink(self->path);
}

TEST_F(read, a_500_container_file)
{
	unsigned int line;
	FILE *f;
	int err, i;

	f = fopen(self->path, "w");
	ASSERT_NE(NULL, f) {
		TH_LOG("create %s: %s", self->path, strerror(errno));
	}
	/* Larger than the first read buffer. */
	fputs(HDR ". 0 1 -\n", f);
	for (i = 0; i < 500; i++)
		fprintf(f, "container-%03d 1 %d %d\n", i, 1000 + i, i % 7);
	fclose(f);
	err = vpid_list_read(self->path, &self->l, &line);
	ASSERT_EQ(0, err);
	ASSERT_EQ(501, self->l.nr);
	EXPECT_EQ(1499, self->l.c[500].init);
	EXPECT_EQ(499 % 7, self->l.c[500].tasks);
	EXPECT_STREQ("container-499", self->l.c[500].path);
}

TEST_F(read, reports_the_bad_line)
{
	unsigned int line;
	FILE *f;
	int err;

	f = fopen(self->path, "w");
	ASSERT_NE(NULL, f);
	fputs(HDR ". 0 1 -\nbad\n", f);
	fclose(f);
	err = vpid_list_read(self->path, &self->l, &line);
	EXPECT_EQ(-EINVAL, err);
	EXPECT_EQ(3, line);
}

TEST_F(read, missing_file_is_enoent)
{
	unsigned int line;
	int err;

	err = vpid_list_read(self->path, &self->l, &line);
	EXPECT_EQ(-ENOENT, err);
	EXPECT_EQ(0, self->l.nr);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("TMPDIR");

	scratch_dir = dir && *dir ? dir : "/tmp";
	return test_harness_run(argc, argv);
}
