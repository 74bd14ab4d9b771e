// SPDX-License-Identifier: GPL-2.0
/*
 * parse_test - the /proc/container parser (procfs/parse.c) built for user
 * space and fed the contract's cases, under the kernel's kselftest harness
 * (scripts/kselftest-harness.sh puts kselftest_harness.h in build/kselftest):
 * one test per case, TAP on stdout, exit status 0 only if all pass.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "vpid_parse.h"

/* @in, printable, for a failure's log. */
static const char *show(const char *in, size_t len)
{
	static char out[200];
	size_t i, o = 0;

	for (i = 0; i < len && i < 40; i++)
		if (in[i] >= 0x20 && in[i] < 0x7f)
			out[o++] = in[i];
		else
			o += snprintf(out + o, sizeof(out) - o, "\\x%02x",
				      (unsigned char)in[i]);
	snprintf(out + o, sizeof(out) - o, "%s", len > 40 ? "..." : "");
	return out;
}

/* Parse @len bytes of @in: error @err, or command @op @path @pid @vpid. */
static void expect(struct __test_metadata *_metadata, const char *in,
		   size_t len, int err, int op, const char *path, int pid,
		   int vpid)
{
	char buf[VPID_CMD_MAX + 2];
	struct vpid_cmd c;
	int r;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, in, len > VPID_CMD_MAX + 1 ? VPID_CMD_MAX + 1 : len);
	r = vpid_parse_cmd(buf, len, &c);
	ASSERT_EQ(err, r) {
		TH_LOG("parse \"%s\"", show(in, len));
	}
	if (err)
		return;
	EXPECT_EQ(op, (int)c.op);
	EXPECT_STREQ(path, c.path);
	EXPECT_EQ(pid, c.pid);
	EXPECT_EQ(vpid, c.vpid);
}

/* Well-formed commands. */
FIXTURE(ok) {};
FIXTURE_SETUP(ok) {}
FIXTURE_TEARDOWN(ok) {}
FIXTURE_VARIANT(ok) {
	const char *in;
	int op;
	const char *path;
	int pid;
	int vpid;
};

FIXTURE_VARIANT_ADD(ok, create) {
	.in = "web",
	.op = VPID_OP_CREATE,
	.path = "web",
	.pid = 0,
	.vpid = 0,
};

FIXTURE_VARIANT_ADD(ok, create_newline) {
	.in = "web\n",
	.op = VPID_OP_CREATE,
	.path = "web",
	.pid = 0,
	.vpid = 0,
};

FIXTURE_VARIANT_ADD(ok, create_name_chars) {
	.in = "a.b_c-D9",
	.op = VPID_OP_CREATE,
	.path = "a.b_c-D9",
	.pid = 0,
	.vpid = 0,
};

FIXTURE_VARIANT_ADD(ok, attach) {
	.in = "attach web 12",
	.op = VPID_OP_ATTACH,
	.path = "web",
	.pid = 12,
	.vpid = 0,
};

FIXTURE_VARIANT_ADD(ok, attach_vpid_newline) {
	.in = "attach web/db 12 7\n",
	.op = VPID_OP_ATTACH,
	.path = "web/db",
	.pid = 12,
	.vpid = 7,
};

FIXTURE_VARIANT_ADD(ok, attach_blanks) {
	.in = "attach  web\t12",
	.op = VPID_OP_ATTACH,
	.path = "web",
	.pid = 12,
	.vpid = 0,
};

FIXTURE_VARIANT_ADD(ok, nextpid) {
	.in = "nextpid web 300",
	.op = VPID_OP_NEXTPID,
	.path = "web",
	.pid = 0,
	.vpid = 300,
};

FIXTURE_VARIANT_ADD(ok, destroy) {
	.in = "destroy a/b/c",
	.op = VPID_OP_DESTROY,
	.path = "a/b/c",
	.pid = 0,
	.vpid = 0,
};

FIXTURE_VARIANT_ADD(ok, mkempty) {
	.in = "mkempty web2\n",
	.op = VPID_OP_MKEMPTY,
	.path = "web2",
	.pid = 0,
	.vpid = 0,
};

TEST_F(ok, parses)
{
	expect(_metadata, variant->in, strlen(variant->in), 0, variant->op,
	       variant->path, variant->pid, variant->vpid);
}

/* Malformed ones. */
FIXTURE(bad) {};
FIXTURE_SETUP(bad) {}
FIXTURE_TEARDOWN(bad) {}
FIXTURE_VARIANT(bad) {
	const char *in;
	int err;
};

FIXTURE_VARIANT_ADD(bad, empty) {
	.in = "",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, newline_only) {
	.in = "\n",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, two_newlines) {
	.in = "web\n\n",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, dot) {
	.in = ".",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, dotdot) {
	.in = "..",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, create_path) {
	.in = "a/b",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, create_two_words) {
	.in = "a b",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, create_bad_char) {
	.in = "w*b",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, attach_alone) {
	.in = "attach",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, attach_no_pid) {
	.in = "attach web",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, attach_pid_0) {
	.in = "attach web 0",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, attach_pid_negative) {
	.in = "attach web -1",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, attach_pid_not_number) {
	.in = "attach web 1x",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, attach_pid_too_large) {
	.in = "attach web 99999999999",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, attach_too_many) {
	.in = "attach web 1 2 3",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, attach_absolute) {
	.in = "attach /web 1",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, attach_trailing_slash) {
	.in = "attach web/ 1",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, attach_double_slash) {
	.in = "attach web//db 1",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, attach_dot_name) {
	.in = "attach ./web 1",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, nextpid_no_vpid) {
	.in = "nextpid web",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, nextpid_vpid_0) {
	.in = "nextpid web 0",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, destroy_alone) {
	.in = "destroy",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, destroy_two_paths) {
	.in = "destroy a b",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, mkempty_alone) {
	.in = "mkempty",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, mkempty_path) {
	.in = "mkempty a/b",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, mkempty_two_names) {
	.in = "mkempty a b",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, mkempty_dotdot) {
	.in = "mkempty ..",
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad, mkempty_long) {
	.in = "mkempty 0123456789012345678901234567890123456789012345678901234567890123",
	.err = -ENAMETOOLONG,
};

TEST_F(bad, rejected)
{
	expect(_metadata, variant->in, strlen(variant->in), variant->err, 0,
	       "", 0, 0);
}

TEST(embedded_nul)
{
	expect(_metadata, "we\0b", 4, -EINVAL, 0, "", 0, 0);
}

TEST(name_too_long)
{
	char name64[VPID_NAME_MAX + 2];

	memset(name64, 'x', 64);
	name64[64] = '\0';
	expect(_metadata, name64, strlen(name64), -ENAMETOOLONG, 0, "", 0, 0);
}

TEST(name_longest)
{
	char name64[VPID_NAME_MAX + 2];

	memset(name64, 'x', 64);
	name64[63] = '\0';
	expect(_metadata, name64, strlen(name64), 0, VPID_OP_CREATE, name64,
	       0, 0);
}

TEST(command_too_long)
{
	char big[VPID_CMD_MAX + 1];

	memset(big, 'a', sizeof(big));
	expect(_metadata, big, sizeof(big), -EINVAL, 0, "", 0, 0);
}

TEST_HARNESS_MAIN
