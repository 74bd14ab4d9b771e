// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_parse - libFuzzer target for the /proc/container parser
 * (procfs/parse.c, include/vpid_parse.h).
 *
 * Each input is handed to vpid_parse_cmd() the way procfs/control.c does it:
 * an exactly sized heap copy with a NUL at buf[len] (ASan catches any access
 * outside it).  Checked on every input:
 *   - the return value is 0, -EINVAL or -ENAMETOOLONG;
 *   - the parser only ever turns separators (blank, tab, the trailing
 *     newline) into NULs, and writes nothing else;
 *   - on 0: cmd.path points into the buffer, is NUL-terminated there, made of
 *     [A-Za-z0-9._-/] only, each /-component 1..63 bytes and not "." or
 *     ".."; a create's path has no '/'; pid and vpid are in range for the op;
 *     the op matches the first token;
 *   - an independent reference parser written from DESIGN.md agrees: same
 *     accept/reject, same op, path, pid, vpid; when the input has only
 *     "name too long" defects the error is ENAMETOOLONG, when it has only
 *     other defects it is EINVAL (mixed: either);
 *   - parsing is deterministic (a second copy gives the same result).
 * A broken invariant prints the input and abort()s, which libFuzzer reports
 * as a crash and saves as crash-<sha1>.
 *
 * Built with clang -fsanitize=fuzzer,address,undefined by tests/fuzz/run.sh.
 * With -DFUZZ_STANDALONE it gets its own main() that runs the files named on
 * the command line once each (corpus replay with gcc, no libFuzzer needed).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vpid_parse.h"

/* ---- reporting ---------------------------------------------------------- */

static const uint8_t *cur_in;
static size_t cur_len;

static void dump_input(void)
{
	size_t i;

	fprintf(stderr, "input (%zu bytes): \"", cur_len);
	for (i = 0; i < cur_len && i < 200; i++) {
		uint8_t c = cur_in[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	fprintf(stderr, "%s\"\n", cur_len > 200 ? "..." : "");
}

#define FAIL(...) do {							\
		fprintf(stderr, "fuzz_parse: invariant broken: ");	\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		dump_input();						\
		abort();						\
	} while (0)

/* ---- reference parser, from DESIGN.md only ------------------------------ */

#define DEF_INVAL	1	/* a defect that must give EINVAL */
#define DEF_LONG	2	/* a name over 63 bytes: ENAMETOOLONG */

struct ref {
	int defects;		/* DEF_* bits; 0: the command is valid */
	int op;
	int pid, vpid;
	char path[VPID_CMD_MAX + 1];
};

static int is_name_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* One name: 1..63 bytes of name characters, not "." nor "..". */
static int ref_name(const char *s, size_t n)
{
	int d = 0;
	size_t i;

	if (n == 0)
		return DEF_INVAL;
	for (i = 0; i < n; i++)
		if (!is_name_char((uint8_t)s[i]))
			d |= DEF_INVAL;
	if (n > VPID_NAME_MAX)
		d |= DEF_LONG;
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		d |= DEF_INVAL;
	return d;
}

static int ref_path(const char *s, size_t n)
{
	size_t start = 0, i;
	int d = 0;

	for (i = 0; i <= n; i++)
		if (i == n || s[i] == '/') {
			d |= ref_name(s + start, i - start);
			start = i + 1;
		}
	return d;
}

/* A decimal number 1..VPID_NR_MAX; leading zeros allowed. */
static int ref_nr(const char *s, size_t n, int *out)
{
	unsigned long long v = 0;
	size_t i;

	if (n == 0)
		return DEF_INVAL;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return DEF_INVAL;
		if (v <= VPID_NR_MAX)
			v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v == 0 || v > VPID_NR_MAX)
		return DEF_INVAL;
	*out = (int)v;
	return 0;
}

static void ref_parse(const uint8_t *in, size_t len, struct ref *r)
{
	const char *s = (const char *)in;
	const char *tok[8];
	size_t tlen[8];
	int ntok = 0;
	size_t i;

	memset(r, 0, sizeof(*r));
	if (len == 0 || len > VPID_CMD_MAX) {
		r->defects = DEF_INVAL;
		return;
	}
	if (in[len - 1] == '\n')
		len--;
	for (i = 0; i < len; i++)
		if (in[i] < 0x20 && in[i] != '\t') {
			r->defects = DEF_INVAL;
			return;
		}
	/* Tokens: runs of anything but blank and tab. */
	for (i = 0; i < len;) {
		size_t j;

		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len)
			break;
		j = i;
		while (j < len && s[j] != ' ' && s[j] != '\t')
			j++;
		if (ntok == 8) {
			r->defects = DEF_INVAL;	/* far too many anyway */
			return;
		}
		tok[ntok] = s + i;
		tlen[ntok++] = j - i;
		i = j;
	}
	if (ntok == 0) {
		r->defects = DEF_INVAL;
		return;
	}
#define TOKIS(k, w) (tlen[k] == strlen(w) && !memcmp(tok[k], w, tlen[k]))
	if (TOKIS(0, "attach")) {
		r->op = VPID_OP_ATTACH;
		if (ntok != 3 && ntok != 4) {
			r->defects |= DEF_INVAL;
		} else {
			r->defects |= ref_nr(tok[2], tlen[2], &r->pid);
			if (ntok == 4)
				r->defects |= ref_nr(tok[3], tlen[3], &r->vpid);
		}
	} else if (TOKIS(0, "nextpid")) {
		r->op = VPID_OP_NEXTPID;
		if (ntok != 3)
			r->defects |= DEF_INVAL;
		else
			r->defects |= ref_nr(tok[2], tlen[2], &r->vpid);
	} else if (TOKIS(0, "destroy")) {
		r->op = VPID_OP_DESTROY;
		if (ntok != 2)
			r->defects |= DEF_INVAL;
	} else if (TOKIS(0, "mkempty")) {
		r->op = VPID_OP_MKEMPTY;
		if (ntok != 2) {
			r->defects |= DEF_INVAL;
		} else {
			r->defects |= ref_name(tok[1], tlen[1]);
			memcpy(r->path, tok[1], tlen[1]);
		}
		return;
	} else {
		r->op = VPID_OP_CREATE;
		if (ntok != 1)
			r->defects |= DEF_INVAL;
		r->defects |= ref_name(tok[0], tlen[0]);
		memcpy(r->path, tok[0], tlen[0]);
		return;
	}
#undef TOKIS
	if (ntok >= 2) {
		r->defects |= ref_path(tok[1], tlen[1]);
		memcpy(r->path, tok[1], tlen[1]);
	}
}

/* ---- invariants on the real parser's result ------------------------------ */

static void check_result(const char *buf, const uint8_t *orig, size_t len,
			 int ret, const struct vpid_cmd *c)
{
	const char *p, *end = buf + len, *comp, *tok0;
	size_t plen, i;

	/* The parser may only replace separators by NULs. */
	for (i = 0; i < len; i++)
		if ((uint8_t)buf[i] != orig[i] &&
		    !(buf[i] == '\0' && (orig[i] == ' ' || orig[i] == '\t' ||
					 (orig[i] == '\n' && i == len - 1))))
			FAIL("byte %zu changed from 0x%02x to 0x%02x", i,
			     orig[i], (uint8_t)buf[i]);
	if (buf[len] != '\0')
		FAIL("terminating NUL at buf[len] overwritten");

	if (ret != 0 && ret != -EINVAL && ret != -ENAMETOOLONG)
		FAIL("return %d, not 0/-EINVAL/-ENAMETOOLONG", ret);
	if (ret)
		return;

	/* path: inside the buffer and NUL-terminated there */
	p = c->path;
	if (!p || p < buf || p >= end)
		FAIL("path %p outside the buffer [%p, %p)", (const void *)p,
		     (const void *)buf, (const void *)end);
	plen = strnlen(p, (size_t)(end - p) + 1);
	if (p + plen > end)
		FAIL("path not NUL-terminated inside the buffer");
	if (plen == 0)
		FAIL("empty path accepted");
	for (i = 0; i < plen; i++)
		if (!is_name_char((uint8_t)p[i]) && p[i] != '/')
			FAIL("path byte 0x%02x at %zu", (uint8_t)p[i], i);
	for (comp = p;;) {
		const char *slash = memchr(comp, '/', (size_t)(p + plen - comp));
		size_t n = slash ? (size_t)(slash - comp) : (size_t)(p + plen - comp);

		if (n < 1 || n > VPID_NAME_MAX)
			FAIL("path component of %zu bytes accepted", n);
		if ((n == 1 && comp[0] == '.') ||
		    (n == 2 && comp[0] == '.' && comp[1] == '.'))
			FAIL("path component \".\" or \"..\" accepted");
		if (!slash)
			break;
		comp = slash + 1;
	}

	/* op, numbers, and the first token (after the NULed blanks) */
	for (tok0 = buf; tok0 < end && !*tok0; tok0++)
		;
	switch (c->op) {
	case VPID_OP_CREATE:
		if (memchr(p, '/', plen))
			FAIL("create of a name with '/'");
		if (p != tok0)
			FAIL("create: path is not the first token");
		if (c->pid || c->vpid)
			FAIL("create with pid %d vpid %d", c->pid, c->vpid);
		break;
	case VPID_OP_ATTACH:
		if (c->pid < 1 || c->pid > VPID_NR_MAX)
			FAIL("attach pid %d out of range", c->pid);
		if (c->vpid < 0 || c->vpid > VPID_NR_MAX)
			FAIL("attach vpid %d out of range", c->vpid);
		if (strcmp(tok0, "attach"))
			FAIL("op attach, first token \"%s\"", tok0);
		break;
	case VPID_OP_NEXTPID:
		if (c->pid)
			FAIL("nextpid with pid %d", c->pid);
		if (c->vpid < 1 || c->vpid > VPID_NR_MAX)
			FAIL("nextpid vpid %d out of range", c->vpid);
		if (strcmp(tok0, "nextpid"))
			FAIL("op nextpid, first token \"%s\"", tok0);
		break;
	case VPID_OP_DESTROY:
		if (c->pid || c->vpid)
			FAIL("destroy with pid %d vpid %d", c->pid, c->vpid);
		if (strcmp(tok0, "destroy"))
			FAIL("op destroy, first token \"%s\"", tok0);
		break;
	case VPID_OP_MKEMPTY:
		if (memchr(p, '/', plen))
			FAIL("mkempty of a name with '/'");
		if (c->pid || c->vpid)
			FAIL("mkempty with pid %d vpid %d", c->pid, c->vpid);
		if (strcmp(tok0, "mkempty"))
			FAIL("op mkempty, first token \"%s\"", tok0);
		break;
	default:
		FAIL("unknown op %d", (int)c->op);
	}
}

static void check_against_ref(int ret, const struct vpid_cmd *c,
			      const struct ref *r)
{
	if (!r->defects) {
		if (ret)
			FAIL("valid command rejected with %d", ret);
		if ((int)c->op != r->op)
			FAIL("op %d, expected %d", (int)c->op, r->op);
		if (strcmp(c->path, r->path))
			FAIL("path \"%s\", expected \"%s\"", c->path, r->path);
		if (c->pid != r->pid || c->vpid != r->vpid)
			FAIL("pid %d vpid %d, expected %d %d", c->pid, c->vpid,
			     r->pid, r->vpid);
		return;
	}
	if (!ret)
		FAIL("invalid command (defects %d) accepted: op %d path \"%s\"",
		     r->defects, (int)c->op, c->path);
	if (r->defects == DEF_LONG && ret != -ENAMETOOLONG)
		FAIL("only a too-long name, but %d instead of -ENAMETOOLONG",
		     ret);
	if (r->defects == DEF_INVAL && ret != -EINVAL)
		FAIL("no too-long name, but %d instead of -EINVAL", ret);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vpid_cmd c1, c2;
	struct ref *r;
	char *b1, *b2;
	int r1, r2;

	cur_in = data;
	cur_len = size;
	b1 = malloc(size + 1);
	b2 = malloc(size + 1);
	r = malloc(sizeof(*r));
	if (!b1 || !b2 || !r)
		abort();
	memcpy(b1, data, size);
	b1[size] = '\0';
	memcpy(b2, data, size);
	b2[size] = '\0';
	memset(&c1, 0xa5, sizeof(c1));
	memset(&c2, 0x5a, sizeof(c2));

	r1 = vpid_parse_cmd(b1, size, &c1);
	check_result(b1, data, size, r1, &c1);
	ref_parse(data, size, r);
	check_against_ref(r1, &c1, r);

	r2 = vpid_parse_cmd(b2, size, &c2);
	if (r2 != r1)
		FAIL("not deterministic: %d then %d", r1, r2);
	if (!r1 && (c1.op != c2.op || c1.pid != c2.pid || c1.vpid != c2.vpid ||
		    c1.path - b1 != c2.path - b2))
		FAIL("not deterministic: different results");
	if (memcmp(b1, b2, size + 1))
		FAIL("not deterministic: different buffer contents");

	free(b1);
	free(b2);
	free(r);
	return 0;
}

#ifdef FUZZ_STANDALONE
/* Corpus replay without libFuzzer: run each file once. */
int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	int i;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;

		if (!f) {
			perror(argv[i]);
			return 2;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("fuzz_parse: %d inputs replayed, no invariant broken\n",
	       argc - 1);
	return 0;
}
#endif
