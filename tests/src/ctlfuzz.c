// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz - concurrent random writer for /proc/container (guest side).
 *
 *   ctlfuzz [-p PROCS] [-t SECONDS] [-s SEED] [-v]
 *
 * PROCS workers (default 8) run for SECONDS (default 30).  Each loops over:
 *
 *  - garbage batches: a forked child writes random, binary, mutated, huge
 *    (64 KiB, 1 MiB), split (several writes, writev, pwrite), bad-pointer
 *    (EFAULT) and well-formed commands, from one or three threads, mixed with
 *    reads of the listing.  Half of the batches first create a container of
 *    their own and run inside it (level 1, with two "pawn" children to
 *    attach), so that well-formed attach/destroy with any number can only
 *    reach the batch's own tasks (DESIGN.md: nothing outside the view is
 *    reachable).  At the host level, writes that would parse as attach or
 *    destroy are not sent (they could reach the test harness).  A batch that
 *    happens to create a container moves itself into it: fine, it exits.
 *  - scenarios with known outcomes, on a container named w<N>-<random>:
 *    create by a child (OK), duplicate (EEXIST), nested create (OK), attach
 *    of the worker's own children (OK; taken vpid 1 or a taken vpid: EBUSY),
 *    nextpid (OK), unknown path (ENOENT), absent pid (ESRCH), unprivileged
 *    writer (EPERM), 33 nested levels (ENOSPC), destroy (OK) or SIGKILL of
 *    the init, sometimes racing an attach and a destroy.
 *
 * pwrite(2) fails with ESPIPE in the VFS (a seq_file), before the module:
 * counted apart.  Every failed write must give one of DESIGN.md's errnos (EINVAL
 * ENAMETOOLONG EEXIST ENOENT ESRCH EBUSY EPERM ENOSPC) or EFAULT / ENOMEM;
 * anything else is "bad".  A scenario result other than the expected one is
 * "strict".  A child that does not exit when killed, or a worker that is not
 * done 90 s after the deadline, is "hung" (its state, wchan and kernel stack
 * are printed).  Output: "# " lines with counts per errno, then
 *
 *   ctlfuzz: writes=N bad=N strict=N hung=N slowexit=N
 *
 * slowexit counts batches that took over 15 s to reap: their exit waited
 * for tasks the container's end did not kill (pawns live 30 s).  Exit
 * status 0 only if all four are 0.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "uapi/vpid.h"

static const char *CTL = VPID_CONTROL_FILE;	/* $CTLFUZZ_FILE: dry runs */

/* ---- shared counters ----------------------------------------------------- */

enum {
	E_OK, E_EINVAL, E_ENAMETOOLONG, E_EEXIST, E_ENOENT, E_ESRCH, E_EBUSY,
	E_EPERM, E_ENOSPC, E_EFAULT, E_ENOMEM, E_OTHER, E_NR
};
static const char *const e_names[E_NR] = {
	"OK", "EINVAL", "ENAMETOOLONG", "EEXIST", "ENOENT", "ESRCH", "EBUSY",
	"EPERM", "ENOSPC", "EFAULT", "ENOMEM", "other"
};

struct shared {
	long count[E_NR];
	long writes, reads, batches, scenarios, skipped, espipe;
	long max_us;		/* slowest single write, microseconds */
	long batch_us, scen_us;	/* time spent in batches, scenarios */
	long bad, strict, hung, msgs;
	long slowexit;		/* batches whose exit waited for their pawns */
};
static struct shared *sh;

#define ADD(f, n) __atomic_add_fetch(&sh->f, (n), __ATOMIC_RELAXED)

static int e_index(int e)
{
	switch (e) {
	case 0: return E_OK;
	case EINVAL: return E_EINVAL;
	case ENAMETOOLONG: return E_ENAMETOOLONG;
	case EEXIST: return E_EEXIST;
	case ENOENT: return E_ENOENT;
	case ESRCH: return E_ESRCH;
	case EBUSY: return E_EBUSY;
	case EPERM: return E_EPERM;
	case ENOSPC: return E_ENOSPC;
	case EFAULT: return E_EFAULT;
	case ENOMEM: return E_ENOMEM;
	default: return E_OTHER;
	}
}

static const char *ename(int e)
{
	static char buf[32];

	if (e_index(e) != E_OTHER)
		return e_names[e_index(e)];
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

static int verbose;
static double deadline;		/* batches stop writing at the deadline */

/* At most 40 messages for the whole run, so a broken module stays readable. */
static void msg(const char *fmt, ...)
{
	va_list ap;
	char line[512];

	if (ADD(msgs, 1) > 40 && !verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "# [%d] %s\n", getpid(), line);
}

/* Printable form of a command for messages. */
static const char *show(const char *b, size_t n)
{
	static __thread char out[200];
	size_t i, o = 0;

	for (i = 0; i < n && o < sizeof(out) - 8; i++) {
		unsigned char c = (unsigned char)b[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, sizeof(out) - o,
					      "\\x%02x", c);
	}
	if (i < n)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "...(%zu)", n);
	out[o] = '\0';
	return out;
}

/* ---- randomness ---------------------------------------------------------- */

static __thread uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned rn(unsigned n) { return n ? (unsigned)(rnd() % n) : 0; }

static void reseed(uint64_t x)
{
	rng = (x * 0x9E3779B97F4A7C15ull) ^ 0xD1B54A32D192ED03ull;
	if (!rng)
		rng = 1;
	rnd();
}

/* ---- time and process helpers -------------------------------------------- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_alarm(int sig)
{
	(void)sig;
	_exit(99);
}

/*
 * Safety timer: a container init ignores signals without a handler, its own
 * SIGALRM included, so always install one.
 */
static void die_after(unsigned secs)
{
	signal(SIGALRM, on_alarm);
	alarm(secs);
}

static void dump_task(pid_t pid, const char *why)
{
	char path[64], buf[2048];
	ssize_t n;
	int fd, i;
	const char *files[] = { "stat", "wchan", "stack" };

	msg("%s: task %d", why, pid);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", pid, files[i]);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
			fprintf(stderr, "#   %s: %s\n", files[i], l);
	}
}

/* Reap @pid within @secs seconds, else report it hung and SIGKILL it. */
static int reap(pid_t pid, double secs, int *status)
{
	double end = now() + secs;
	int st = 0;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &st, WNOHANG | __WALL);
		if (r == pid)
			break;
		if (r < 0) {
			msg("waitpid %d: %s", pid, strerror(errno));
			return -1;
		}
		if (now() > end) {
			ADD(hung, 1);
			dump_task(pid, "child not reaped in time");
			kill(pid, SIGKILL);
			end = now() + 10;
			secs = -1;
		}
		usleep(2000);
	}
	if (status)
		*status = st;
	return secs < 0 ? -1 : 0;
}

/* ---- the writes ---------------------------------------------------------- */

static int level0;	/* this process writes from the host's level */

/*
 * Would the kernel accept this as attach, destroy or mkempty?  Those are
 * not sent from the host level, where a random pid or name could hit the
 * harness (or leave an empty container behind).
 */
static int dangerous(const char *b, size_t n)
{
	const char *tok[5];
	size_t tl[5], i, j;
	int nt = 0, k;

	if (n == 0 || n > 4096)
		return 0;
	if (b[n - 1] == '\n')
		n--;
	for (i = 0; i < n; i++)
		if ((unsigned char)b[i] < 0x20 && b[i] != '\t')
			return 0;
	for (i = 0; i < n;) {
		while (i < n && (b[i] == ' ' || b[i] == '\t'))
			i++;
		if (i == n)
			break;
		if (nt == 5)
			return 0;
		for (j = i; j < n && b[j] != ' ' && b[j] != '\t'; j++)
			;
		tok[nt] = b + i;
		tl[nt++] = j - i;
		i = j;
	}
	if (nt == 2 && tl[0] == 7 && (!memcmp(tok[0], "destroy", 7) ||
				      !memcmp(tok[0], "mkempty", 7)))
		return 1;
	if ((nt == 3 || nt == 4) && tl[0] == 6 && !memcmp(tok[0], "attach", 6)) {
		for (k = 2; k < nt; k++)
			for (i = 0; i < tl[k]; i++)
				if (tok[k][i] < '0' || tok[k][i] > '9')
					return 0;
		return 1;
	}
	return 0;
}

/* Account one write result; return the errno (0: success). */
static int account(int fd, ssize_t r, int e, const char *b, size_t n)
{
	int i;

	(void)fd;
	ADD(writes, 1);
	if (r >= 0)
		e = 0;
	i = e_index(e);
	ADD(count[i], 1);
	if (i == E_OTHER) {
		ADD(bad, 1);
		msg("BAD errno %s (%d) for write \"%s\"", ename(e), e,
		    b ? show(b, n) : "(bad pointer)");
	} else if (r >= 0 && (size_t)r != n && b) {
		ADD(bad, 1);
		msg("BAD short write %zd of %zu for \"%s\"", r, n, show(b, n));
	}
	return e;
}

/* Keep the slowest write; report any over 5 s. */
static void note_latency(double t0, const char *b, size_t n)
{
	long us = (long)((now() - t0) * 1e6), old;

	old = __atomic_load_n(&sh->max_us, __ATOMIC_RELAXED);
	while (us > old &&
	       !__atomic_compare_exchange_n(&sh->max_us, &old, us, 0,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	if (us > 5000000)
		msg("slow write: %ld ms for \"%s\"", us / 1000, show(b, n));
}

/* One write(2) of @n bytes at @b on @fd (a fresh fd when @fd < 0). */
static int put_fd(int fd, const char *b, size_t n)
{
	int own = fd < 0, e;
	double t0;
	ssize_t r;

	if (level0 && dangerous(b, n)) {
		ADD(skipped, 1);
		return -1;
	}
	if (own) {
		fd = open(CTL, O_WRONLY);
		if (fd < 0) {
			msg("open %s: %s", CTL, strerror(errno));
			ADD(bad, 1);
			return errno;
		}
	}
	t0 = now();
	r = write(fd, b, n);
	e = account(fd, r, r < 0 ? errno : 0, b, n);
	note_latency(t0, b, n);
	if (own)
		close(fd);
	return e;
}

static int put(const char *s) { return put_fd(-1, s, strlen(s)); }

/* Write a command built from @fmt, with or without trailing newline. */
static int putf(const char *fmt, ...)
{
	char b[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b, sizeof(b) - 1, fmt, ap);
	va_end(ap);
	if (rn(2))
		b[n++] = '\n';
	return put_fd(-1, b, (size_t)n);
}

/* Expect @want from a scenario step. */
static void expect(int got, int want, const char *what)
{
	if (got == want || (got == ENOMEM && want == 0))
		return;
	ADD(strict, 1);
	msg("STRICT %s: got %s, expected %s", what, ename(got), ename(want));
}

static void expect2(int got, int w1, int w2, const char *what)
{
	if (got == w1 || got == w2 || got == ENOMEM)
		return;
	ADD(strict, 1);
	msg("STRICT %s: got %s, expected %s or %s", what, ename(got),
	    ename(w1), ename(w2));
}

/* ---- random commands ----------------------------------------------------- */

static const char name_chars[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

static size_t rand_name(char *o, size_t max)
{
	static const char *const fixed[] = {
		".", "..", "...", "a", "g", "attach", "destroy", "nextpid", "sub",
		"x/y", "", "a*b", "-", "_",
	};
	size_t n, i;

	switch (rn(8)) {
	case 0:
		n = (size_t)snprintf(o, max, "%s", fixed[rn(sizeof(fixed) / sizeof(*fixed))]);
		return n < max ? n : max - 1;
	case 1:
		n = VPID_NAME_MAX - 3 + rn(8);	/* around the limit */
		break;
	case 2:
		n = 1 + rn(300);
		break;
	default:
		n = 1 + rn(8);
	}
	if (n >= max)
		n = max - 1;
	for (i = 0; i < n; i++)
		o[i] = name_chars[rn(sizeof(name_chars) - 1)];
	o[n] = '\0';
	return n;
}

static size_t rand_path(char *o, size_t max)
{
	size_t n = 0;
	unsigned parts = rn(4) ? 1 + rn(3) : 1 + rn(40);

	while (parts-- && n + 70 < max) {
		n += rand_name(o + n, max - n);
		if (parts)
			o[n++] = '/';
	}
	o[n] = '\0';
	return n;
}

static size_t rand_nr(char *o, size_t max)
{
	static const char *const fixed[] = {
		"0", "1", "2", "-1", "4194304", "4194305", "2147483648",
		"99999999999999999999", "00000000000000001", "0x10", "1e3", "+5",
		" 7", "",
	};

	if (rn(3) == 0)
		return (size_t)snprintf(o, max, "%s", fixed[rn(sizeof(fixed) / sizeof(*fixed))]);
	return (size_t)snprintf(o, max, "%u", rn(4) ? 1 + rn(64) : 1 + rn(VPID_NR_MAX + 10));
}

/* A command in the control file's grammar, maybe a little off. */
static size_t rand_cmd(char *o, size_t max)
{
	char p[2048], a[64], b[64];
	const char *sep = rn(8) ? " " : (rn(2) ? "\t" : "  ");
	size_t n;

	rand_path(p, sizeof(p));
	rand_nr(a, sizeof(a));
	rand_nr(b, sizeof(b));
	switch (rn(6)) {
	case 0:
		rand_name(p, 80);
		n = (size_t)snprintf(o, max, "%s", p);
		break;
	case 1:
		n = (size_t)snprintf(o, max, VPID_CMD_ATTACH "%s%s%s%s", sep, p, sep, a);
		break;
	case 2:
		n = (size_t)snprintf(o, max, VPID_CMD_ATTACH "%s%s%s%s%s%s", sep, p, sep, a, sep, b);
		break;
	case 3:
		n = (size_t)snprintf(o, max, VPID_CMD_NEXTPID "%s%s%s%s", sep, p, sep, a);
		break;
	case 4:
		n = (size_t)snprintf(o, max, VPID_CMD_DESTROY "%s%s", sep, p);
		break;
	default:
		n = (size_t)snprintf(o, max, "%s%s%s%s%s", rn(2) ? VPID_CMD_ATTACH : VPID_CMD_NEXTPID,
				     sep, p, sep, a);
	}
	if (n >= max)
		n = max - 1;
	if (rn(4) == 0 && n + 1 < max)
		o[n++] = '\n';
	return n;
}

/* Flip, insert, delete, truncate. */
static size_t mutate(char *o, size_t n, size_t max)
{
	unsigned k = 1 + rn(4);

	while (k--) {
		size_t at = n ? rn((unsigned)n) : 0;

		switch (rn(6)) {
		case 0:
			if (n)
				o[at] = (char)rnd();
			break;
		case 1:
			if (n)
				o[at] ^= (char)(1u << rn(8));
			break;
		case 2:
			if (n + 1 < max) {
				memmove(o + at + 1, o + at, n - at);
				o[at] = (char)"\n\t \0/.\x7f\xff"[rn(8)];
				n++;
			}
			break;
		case 3:
			if (n) {
				memmove(o + at, o + at + 1, n - at - 1);
				n--;
			}
			break;
		case 4:
			n = at;
			break;
		default:
			if (n + 2 < max) {
				o[n++] = '\n';
				if (rn(2))
					o[n++] = '\n';
			}
		}
	}
	return n;
}

/* ---- garbage batch ------------------------------------------------------- */

static char *huge;		/* 1 MiB of 'a' */
static char *edge;		/* 4 bytes before an unmapped page */
static pid_t pawn[2];

static void read_listing(void)
{
	char buf[8192];
	ssize_t n;
	int fd = open(CTL, O_RDONLY);

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	ADD(reads, 1);
	if (n < 0 || (n > 0 && buf[0] != '#')) {
		ADD(bad, 1);
		msg("BAD listing read: %s", n < 0 ? strerror(errno) : show(buf, (size_t)n));
	}
	while (n > 0)
		n = read(fd, buf, sizeof(buf));
	close(fd);
}

static void garbage_one(int fd)
{
	char b[6000];
	size_t n, i, cut;
	struct iovec iov[3];
	ssize_t r;

	switch (rn(16)) {
	case 0:			/* short binary */
		n = rn(64);
		for (i = 0; i < n; i++)
			b[i] = (char)rnd();
		put_fd(fd, b, n);
		break;
	case 1:			/* long binary, around the 4096 limit */
		n = rn(2) ? 4090 + rn(12) : rn(sizeof(b));
		for (i = 0; i < n; i++)
			b[i] = (char)(rn(4) ? name_chars[rn(sizeof(name_chars) - 1)] : (char)rnd());
		put_fd(fd, b, n);
		break;
	case 2:			/* huge */
		put_fd(fd, huge, rn(2) ? 65536 : 1 << 20);
		break;
	case 3:			/* exactly 4096 / 4097 bytes of name characters */
		n = 4096 + rn(2);
		memset(b, 'n', n);
		put_fd(fd, b, n);
		break;
	case 4:			/* bad pointers */
		{
			int f = fd < 0 ? open(CTL, O_WRONLY) : fd;

			if (rn(2))
				r = write(f, (void *)(uintptr_t)(1 + rn(4096)), 1 + rn(64));
			else
				r = write(f, edge, 4 + 1 + rn(60));
			account(f, r, r < 0 ? errno : 0, NULL, 0);
			if (fd < 0)
				close(f);
		}
		break;
	case 5:			/* one command split over several writes */
		n = rand_cmd(b, sizeof(b));
		cut = n ? rn((unsigned)n) : 0;
		put_fd(fd, b, cut);
		put_fd(fd, b + cut, n - cut);
		break;
	case 6:			/* writev: one command per segment */
		n = rand_cmd(b, sizeof(b) / 2);
		cut = n ? rn((unsigned)n) : 0;
		iov[0].iov_base = b;
		iov[0].iov_len = cut;
		iov[1].iov_base = b + cut;
		iov[1].iov_len = n - cut;
		iov[2].iov_base = b;
		iov[2].iov_len = n;
		if (level0 && (dangerous(b, cut) || dangerous(b + cut, n - cut) ||
			       dangerous(b, n))) {
			ADD(skipped, 1);
			break;
		}
		{
			int f = fd < 0 ? open(CTL, O_WRONLY) : fd;

			r = writev(f, iov, 1 + (int)rn(3));
			account(f, r, r < 0 ? errno : 0, NULL, 0);
			if (fd < 0)
				close(f);
		}
		break;
	case 7:			/* pwrite at an offset */
		n = rand_cmd(b, sizeof(b));
		if (level0 && dangerous(b, n)) {
			ADD(skipped, 1);
			break;
		}
		{
			int f = fd < 0 ? open(CTL, O_WRONLY) : fd;

			r = pwrite(f, b, n, rn(2) ? (off_t)rn(100000) : -1);
			/* a seq_file has no pwrite: ESPIPE from the VFS */
			if (r < 0 && errno == ESPIPE)
				ADD(espipe, 1);
			else
				account(f, r, r < 0 ? errno : 0, b, n);
			if (fd < 0)
				close(f);
		}
		break;
	case 8:
	case 9:			/* mutated commands */
		n = rand_cmd(b, sizeof(b) / 2);
		n = mutate(b, n, sizeof(b));
		put_fd(fd, b, n);
		break;
	case 10:		/* a read on the side */
		read_listing();
		break;
	case 11:		/* attach / nextpid of a pawn (level 1 only) */
		if (!level0 && pawn[0] > 0) {
			if (rn(2))
				putf("attach %s %d%s", rn(2) ? "p" : "p/q",
				     pawn[rn(2)], rn(2) ? "" : " 5");
			else
				putf("nextpid %s %u", rn(2) ? "p" : "p/q", 1 + rn(20));
			break;
		}
		/* fall through */
	default:		/* well-formed-ish commands */
		n = rand_cmd(b, sizeof(b));
		put_fd(fd, b, n);
	}
}

struct gargs {
	int count;
	int fd;
};

static void *garbage_thread(void *p)
{
	struct gargs *g = p;
	int i;

	reseed(rnd() ^ (uint64_t)(uintptr_t)p ^ (uint64_t)gettid());
	for (i = 0; i < g->count && now() < deadline; i++)
		garbage_one(rn(3) ? -1 : g->fd);
	return NULL;
}

static void pawn_life(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	die_after(30);
	for (;;)
		pause();
}

/* A forked child: many random writes, then exit. */
static void garbage_batch(int idx, int count)
{
	struct gargs g[3];
	pthread_t th[2];
	int nthreads = rn(3) ? 0 : 2, i, e;
	char name[64];
	double t0 = now(), t1;

	die_after(50);
	level0 = 1;
	if (rn(2)) {
		/* run inside a container of our own */
		snprintf(name, sizeof(name), "g%d-%08x", idx, (unsigned)rnd());
		e = put(name);
		expect(e, 0, "batch container create");
		if (e)
			_exit(0);
		level0 = 0;
		/*
		 * Two pawns to attach: the first one creates p (its init)
		 * and its child p/q.  They die with us (we are an init).
		 */
		for (i = 0; i < 2; i++) {
			pawn[i] = fork();
			if (pawn[i] == 0) {
				if (i == 0 && put("p") == 0 && fork() == 0)
					put("q");
				pawn_life();
			}
		}
	}
	for (i = 0; i <= nthreads; i++) {
		g[i].count = count;
		g[i].fd = open(CTL, rn(2) ? O_WRONLY : O_RDWR);
	}
	t1 = now();
	for (i = 0; i < nthreads; i++)
		pthread_create(&th[i], NULL, garbage_thread, &g[i + 1]);
	garbage_thread(&g[0]);
	for (i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	if (verbose)
		msg("batch: level %d, %d threads x %d writes: setup %.0f ms, writes %.0f ms",
		    !level0, nthreads + 1, count, (t1 - t0) * 1e3, (now() - t1) * 1e3);
	_exit(0);
}

/* ---- scenarios with known outcomes --------------------------------------- */

static void child_sleep(void)
{
	die_after(60);
	for (;;)
		pause();
}

/*
 * Fork a child that writes @cmd (a create), reports the errno on a pipe and
 * then stays (init of the new container) until killed.  With @sub, the
 * child's own child then creates @sub under it and reports that too.
 */
static pid_t spawn_init(const char *cmd, const char *sub, int *err, int *suberr)
{
	int p[2], e = 0, r;
	pid_t pid;
	struct pollfd pf;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		die_after(60);
		e = put(cmd);
		if (write(p[1], &e, sizeof(e)) < 0)
			_exit(1);
		if (e)
			_exit(0);
		if (sub) {
			pid_t g = fork();

			if (g == 0) {
				die_after(60);
				e = put(sub);
				if (write(p[1], &e, sizeof(e)) < 0)
					_exit(1);
				child_sleep();
			}
		}
		close(p[1]);
		for (;;)	/* init: reap */
			if (wait(NULL) < 0 && errno == ECHILD)
				pause();
	}
	close(p[1]);
	*err = -1;
	if (suberr)
		*suberr = -1;
	pf.fd = p[0];
	pf.events = POLLIN;
	if (poll(&pf, 1, 15000) == 1 && read(p[0], err, sizeof(*err)) == sizeof(*err) &&
	    !*err && sub && suberr) {
		if (poll(&pf, 1, 15000) != 1 ||
		    (r = (int)read(p[0], suberr, sizeof(*suberr))) != sizeof(*suberr))
			*suberr = -1;
	}
	close(p[0]);
	return pid;
}

/*
 * Nested creates from one child: levels 1..VPID_DEPTH_MAX (32) succeed, then
 * ENOSPC.
 */
static void scenario_deep(int idx)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		char name[32];
		int lvl, e = 0;

		die_after(25);
		level0 = 1;	/* writes only creates */
		for (lvl = 1; lvl <= 40; lvl++) {
			snprintf(name, sizeof(name), "d%d-%d", idx, lvl);
			e = put(name);
			if (e)
				break;
		}
		expect(lvl == VPID_DEPTH_MAX + 1 ? e : -lvl, ENOSPC,
		       "create at level 33");
		if (lvl != VPID_DEPTH_MAX + 1)
			msg("STRICT detail: nested creates stopped at level %d", lvl);
		_exit(0);
	}
	if (pid > 0)
		reap(pid, 30, &st);
}

/* An unprivileged writer: EPERM, with an fd opened before or after. */
static void scenario_eperm(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = rn(2) ? open(CTL, O_WRONLY) : -1;

		die_after(20);
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(1);
		level0 = 0;
		expect(put_fd(fd, "perm\n", 5), EPERM, "unprivileged create");
		expect(put_fd(fd, "destroy perm", 12), EPERM, "unprivileged destroy");
		_exit(0);
	}
	if (pid > 0)
		reap(pid, 20, NULL);
}

static void scenario(int idx)
{
	char name[64], sub[16], path[96], what[160];
	pid_t init, dup, v[3] = { -1, -1, -1 }, racer = 0;
	int e, se, i, nv = 1 + (int)rn(3), used = 0, st;
	int want_sub = rn(2);

	ADD(scenarios, 1);
	snprintf(name, sizeof(name), "w%d-%08x", idx, (unsigned)rnd());
	snprintf(sub, sizeof(sub), "s%u", rn(100));
	init = spawn_init(name, want_sub ? sub : NULL, &e, &se);
	if (init < 0)
		return;
	expect(e, 0, "create a fresh container");
	if (e) {
		kill(init, SIGKILL);
		reap(init, 10, NULL);
		return;
	}
	if (want_sub)
		expect(se, 0, "nested create");

	/* duplicate name: EEXIST, and the writer is not moved */
	if (rn(3) == 0) {
		dup = spawn_init(name, NULL, &e, NULL);
		expect(e, EEXIST, "duplicate create");
		if (dup > 0) {
			kill(dup, SIGKILL);
			reap(dup, 10, NULL);
		}
	}

	/* attaches of our own children */
	for (i = 0; i < nv; i++) {
		v[i] = fork();
		if (v[i] == 0)
			child_sleep();
	}
	if (want_sub && rn(2))
		snprintf(path, sizeof(path), "%s/%s", name, sub);
	else
		snprintf(path, sizeof(path), "%s", name);
	for (i = 0; i < nv; i++) {
		if (v[i] < 0)
			continue;
		snprintf(what, sizeof(what), "attach own child to %s", path);
		switch (rn(4)) {
		case 0:
			expect(putf("attach %s %d 1", path, v[i]), EBUSY,
			       "attach with vpid 1 (the init's)");
			expect(putf("attach %s %d", path, v[i]), 0, what);
			break;
		case 1:
			if (used) {
				expect(putf("attach %s %d %d", path, v[i], used), EBUSY,
				       "attach with a taken vpid");
				break;
			}
			/* not a pid of ours (they keep theirs), < pid_max */
			do
				used = 20000 + (int)rn(10000);
			while (used == v[0] || used == v[1] || used == v[2] ||
			       used == init);
			e = putf("attach %s %d %d", path, v[i], used);
			expect(e, 0, "attach with a free vpid");
			if (e)
				used = 0;
			break;
		default:
			expect(putf("attach %s %d", path, v[i]), 0, what);
		}
	}

	/* the errors with one right answer */
	snprintf(what, sizeof(what), "nosuch-%08x", (unsigned)rnd());
	expect(putf("attach %s %d", what, v[0] > 0 ? v[0] : getpid()), ENOENT,
	       "attach to an unknown container");
	expect(putf("nextpid %s/%s 5", name, what), ENOENT,
	       "nextpid of an unknown container");
	expect(putf("destroy %s", what), ENOENT, "destroy an unknown container");
	expect(putf("attach %s %d", name, VPID_NR_MAX), ESRCH, "attach of an absent pid");
	expect2(putf("nextpid %s %u", name, 100 + rn(100)), 0, EBUSY, "nextpid");

	/* the end: destroy, maybe racing an attach, or kill the init */
	switch (rn(4)) {
	case 0:
		kill(init, SIGKILL);
		break;
	case 1:
		racer = fork();
		if (racer == 0) {
			die_after(20);
			level0 = 0;
			e = putf("destroy %s", rn(2) ? name : path);
			if (e && e != ENOENT) {
				ADD(strict, 1);
				msg("STRICT racing destroy: %s", ename(e));
			}
			_exit(0);
		}
		/* fall through: an attach racing the destroy */
		if (v[nv - 1] > 0) {
			e = putf("attach %s %d", name, v[nv - 1]);
			(void)e;	/* OK or ENOENT or ESRCH: any DESIGN errno */
		}
		break;
	default:
		if (want_sub && rn(2))
			expect(putf("destroy %s/%s", name, sub), 0, "destroy a nested container");
		expect(putf("destroy %s", name), 0, "destroy");
	}
	if (racer > 0) {
		/* racer's destroy may have lost to nothing: make sure */
		reap(racer, 20, NULL);
		e = putf("destroy %s", name);
		expect2(e, 0, ENOENT, "destroy after the race");
	}

	/* every task must go away: destroy killed them; kill the rest */
	for (i = 0; i < nv; i++)
		if (v[i] > 0) {
			kill(v[i], SIGKILL);
			reap(v[i], 15, &st);
		}
	if (reap(init, 15, &st) == 0 && !WIFSIGNALED(st)) {
		ADD(strict, 1);
		msg("STRICT init of %s ended with status 0x%x, not killed", name, st);
	}
}

/* ---- workers and main ---------------------------------------------------- */

static void worker(int idx, double end, uint64_t seed)
{
	deadline = end;
	int st;
	pid_t pid;
	int deep_done = 0, eperm_done = 0;

	reseed(seed ^ ((uint64_t)idx << 32));
	while (now() < end) {
		double t0 = now();
		int kind = rn(4);

		switch (kind) {
		case 0:
		case 1:
			ADD(batches, 1);
			pid = fork();
			if (pid == 0) {
				reseed(rnd() ^ (uint64_t)getpid());
				garbage_batch(idx, 20 + (int)rn(40));
			}
			rnd();
			if (pid > 0 && reap(pid, 60, &st) == 0 &&
			    WIFEXITED(st) && WEXITSTATUS(st) == 99) {
				ADD(hung, 1);
				msg("garbage batch %d hit its 50 s alarm", pid);
			}
			/*
			 * Its pawns live 30 s unless killed: a batch that
			 * takes over 15 s to reap waited for them in exit.
			 */
			if (now() - t0 > 15) {
				ADD(slowexit, 1);
				msg("SLOWEXIT batch %d reaped only after %.1f s (an exit waited for tasks that were not killed)",
				    pid, now() - t0);
			} else if (verbose) {
				msg("batch %d reaped after %.0f ms", pid, (now() - t0) * 1e3);
			}
			break;
		case 2:
			scenario(idx);
			break;
		default:
			if (!deep_done && idx % 4 == 0) {
				deep_done = 1;
				scenario_deep(idx);
			} else if (!eperm_done && idx % 4 == 1) {
				eperm_done = 1;
				scenario_eperm();
			} else {
				scenario(idx);
			}
		}
		if (kind < 2)
			ADD(batch_us, (long)((now() - t0) * 1e6));
		else
			ADD(scen_us, (long)((now() - t0) * 1e6));
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	int procs = 8, secs = 30, opt, i, live, rc;
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	pid_t *w;
	double start, end, hard;

	while ((opt = getopt(argc, argv, "p:t:s:v")) != -1) {
		switch (opt) {
		case 'p': procs = atoi(optarg); break;
		case 't': secs = atoi(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'v': verbose = 1; break;
		default:
			fprintf(stderr, "usage: ctlfuzz [-p PROCS] [-t SECONDS] [-s SEED] [-v]\n");
			return 2;
		}
	}
	if (procs < 1 || procs > 64 || secs < 1) {
		fprintf(stderr, "ctlfuzz: bad -p or -t\n");
		return 2;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	if (getenv("CTLFUZZ_FILE"))
		CTL = getenv("CTLFUZZ_FILE");
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	huge = malloc(1 << 20);
	edge = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || !huge || edge == MAP_FAILED) {
		perror("ctlfuzz: memory");
		return 2;
	}
	memset(huge, 'a', 1 << 20);
	munmap(edge + 4096, 4096);
	memcpy(edge + 4092, "abcd", 4);
	edge += 4092;
	signal(SIGPIPE, SIG_IGN);

	fprintf(stderr, "# ctlfuzz: %d workers, %d s, seed %#llx\n", procs, secs,
		(unsigned long long)seed);
	w = calloc((size_t)procs, sizeof(*w));
	start = now();
	end = start + secs;
	for (i = 0; i < procs; i++) {
		w[i] = fork();
		if (w[i] == 0)
			worker(i, end, seed);
	}
	/* wait, bounded: the deadline plus what a last scenario may take */
	hard = end + 90;
	for (live = procs; live > 0;) {
		int st;
		pid_t r = waitpid(-1, &st, WNOHANG);

		if (r > 0) {
			live--;
			if (!WIFEXITED(st) || WEXITSTATUS(st)) {
				ADD(bad, 1);
				msg("worker %d ended with status 0x%x", r, st);
			}
			continue;
		}
		if (r < 0)
			break;
		if (now() > hard) {
			for (i = 0; i < procs; i++)
				if (kill(w[i], 0) == 0) {
					ADD(hung, 1);
					dump_task(w[i], "worker not done 90 s after the deadline");
					kill(w[i], SIGKILL);
				}
			hard = now() + 1e9;
		}
		usleep(20000);
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;

	printf("# %ld writes in %.1f s (%ld not sent at host level, %ld pwrite ESPIPE), %ld reads, %ld batches, %ld scenarios, slowest write %ld ms\n",
	       sh->writes, now() - start, sh->skipped, sh->espipe, sh->reads,
	       sh->batches, sh->scenarios, sh->max_us / 1000);
	printf("# average batch %ld ms, scenario %ld ms\n",
	       sh->batches ? sh->batch_us / sh->batches / 1000 : 0,
	       sh->scenarios ? sh->scen_us / sh->scenarios / 1000 : 0);
	for (i = 0; i < E_NR; i++)
		printf("# %-13s %ld\n", e_names[i], sh->count[i]);
	printf("ctlfuzz: writes=%ld bad=%ld strict=%ld hung=%ld slowexit=%ld\n",
	       sh->writes, sh->bad, sh->strict, sh->hung, sh->slowexit);
	rc = sh->bad || sh->strict || sh->hung || sh->slowexit;
	return rc;
}
