// SPDX-License-Identifier: GPL-2.0
/*
 * parse_test - the /proc/container parser (procfs/parse.c) built for user
 * space and fed the contract's cases.  TAP on stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "vpid_parse.h"

static int n, failed;

static void expect(const char *in, size_t len, int err, int op,
		   const char *path, int pid, int vpid)
{
	char buf[VPID_CMD_MAX + 2];
	struct vpid_cmd c;
	int r, i, good;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, in, len > VPID_CMD_MAX + 1 ? VPID_CMD_MAX + 1 : len);
	r = vpid_parse_cmd(buf, len, &c);
	good = r == err;
	if (good && !err)
		good = (int)c.op == op && !strcmp(c.path, path) &&
			c.pid == pid && c.vpid == vpid;
	n++;
	if (!good)
		failed++;
	printf("%sok %d - parse \"", good ? "" : "not ", n);
	for (i = 0; i < (int)len && i < 40; i++)
		if (in[i] >= 0x20 && in[i] < 0x7f)
			putchar(in[i]);
		else
			printf("\\x%02x", (unsigned char)in[i]);
	printf("%s\" -> %d\n", len > 40 ? "..." : "", err);
	if (!good)
		printf("# got %d op=%d path=%s pid=%d vpid=%d\n", r,
		       r ? -1 : (int)c.op, r ? "" : c.path, r ? 0 : c.pid,
		       r ? 0 : c.vpid);
}

#define OK(s, op, path, pid, vpid) \
	expect(s, strlen(s), 0, op, path, pid, vpid)
#define BAD(s, err) expect(s, strlen(s), -(err), 0, "", 0, 0)

int main(void)
{
	char big[VPID_CMD_MAX + 1];
	char name64[65];

	OK("web", VPID_OP_CREATE, "web", 0, 0);
	OK("web\n", VPID_OP_CREATE, "web", 0, 0);
	OK("a.b_c-D9", VPID_OP_CREATE, "a.b_c-D9", 0, 0);
	OK("attach web 12", VPID_OP_ATTACH, "web", 12, 0);
	OK("attach web/db 12 7\n", VPID_OP_ATTACH, "web/db", 12, 7);
	OK("attach  web\t12", VPID_OP_ATTACH, "web", 12, 0);
	OK("nextpid web 300", VPID_OP_NEXTPID, "web", 0, 300);
	OK("destroy a/b/c", VPID_OP_DESTROY, "a/b/c", 0, 0);
	BAD("", EINVAL);
	BAD("\n", EINVAL);
	BAD("web\n\n", EINVAL);
	BAD(".", EINVAL);
	BAD("..", EINVAL);
	BAD("a/b", EINVAL);
	BAD("a b", EINVAL);
	BAD("w*b", EINVAL);
	BAD("attach", EINVAL);
	BAD("attach web", EINVAL);
	BAD("attach web 0", EINVAL);
	BAD("attach web -1", EINVAL);
	BAD("attach web 1x", EINVAL);
	BAD("attach web 99999999999", EINVAL);
	BAD("attach web 1 2 3", EINVAL);
	BAD("attach /web 1", EINVAL);
	BAD("attach web/ 1", EINVAL);
	BAD("attach web//db 1", EINVAL);
	BAD("attach ./web 1", EINVAL);
	BAD("nextpid web", EINVAL);
	BAD("nextpid web 0", EINVAL);
	BAD("destroy", EINVAL);
	BAD("destroy a b", EINVAL);
	expect("we\0b", 4, -EINVAL, 0, "", 0, 0);
	memset(name64, 'x', 64);
	name64[64] = '\0';
	BAD(name64, ENAMETOOLONG);
	name64[63] = '\0';
	OK(name64, VPID_OP_CREATE, name64, 0, 0);
	memset(big, 'a', sizeof(big));
	expect(big, sizeof(big), -EINVAL, 0, "", 0, 0);
	printf("1..%d\n", n);
	return failed != 0;
}
