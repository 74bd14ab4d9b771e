// SPDX-License-Identifier: GPL-2.0
/*
 * reach - what a task learns of, or does to, the world outside its pid
 * namespace through interfaces that are not pids of its own: one line per
 * question, the same in a native pid namespace and in a container.
 *
 *   reach nslastpid        /proc/sys/kernel/ns_last_pid: read after a fork,
 *                          write 3000 then fork, bad values, unprivileged
 *   reach pidfdsig FD...   pidfd_send_signal(FD, 0) on inherited fds, and on
 *                          a pidfd of its own child
 *   reach pidfh FD         7.x pidfs file handles: name_to_handle_at() of an
 *                          inherited pidfd FD and of its own child's pidfd,
 *                          then open_by_handle_at()
 *   reach acct FILE        acct(FILE), a child and a grandchild exit,
 *                          acct(NULL), then the records FILE holds
 *   reach acct-leave FILE  acct(FILE), a child exits; accounting left on
 *   reach acct-dump FILE   the records FILE holds: name, pid, ppid
 *   reach getlk FILE       F_GETLK owner of a child's POSIX lock, F_OFD_GETLK
 *                          of a child's open file description lock
 *   reach getlk-other FILE F_GETLK owner of a lock somebody else holds
 *   reach holdlock FILE    take a POSIX lock on FILE, print "locked", sleep
 *   reach cnproc           proc connector: LISTEN, fork, any event back?
 *   reach audit            AUDIT_GET: the answer's errno
 *   reach taskstats        taskstats REGISTER_CPUMASK: the answer's errno
 *   reach taskstats-pid    taskstats GET of a child: its ac_pid, ac_ppid
 *   reach nsget            nsfs NS_GET_{PID,TGID}_{FROM,IN}_PIDNS on its own
 *                          /proc/self/ns/pid: of itself, a child, a thread,
 *                          a number nobody has
 *   reach nsmnt            nsfs NS_MNT_GET_NEXT/PREV on its own mount
 *                          namespace file: listing the machine's mount
 *                          namespaces
 *   reach sysvipc          /proc/sysvipc/msg lspid of a child's message
 *   reach loadavg          /proc/loadavg's last pid after a fork
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nsfs.h>
#include <pthread.h>
#include <linux/taskstats.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/acct.h>
#include <sys/ioctl.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NSLASTPID "/proc/sys/kernel/ns_last_pid"
#define CHOSEN 3000	/* a number free in a fresh namespace or container */

static const char *ename(int err)
{
	return err ? strerrorname_np(err) : "OK";
}

static pid_t fork_exit(void)
{
	pid_t p = fork();

	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	return p;
}

static int write_str(const char *file, const char *s)
{
	int fd = open(file, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, s, strlen(s)) < 0)
		err = errno;
	close(fd);
	return err;
}

static long read_long(const char *file)
{
	FILE *f = fopen(file, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int nslastpid(void)
{
	char buf[32];
	pid_t child;
	int err;

	printf("read by the first process: %ld\n", read_long(NSLASTPID));
	child = fork_exit();
	printf("read after fork: %s\n",
	       read_long(NSLASTPID) == child ? "the child" : "another");
	snprintf(buf, sizeof(buf), "%d", CHOSEN);
	err = write_str(NSLASTPID, buf);
	printf("write %d: %s\n", CHOSEN, ename(err));
	printf("reads back: %ld\n", read_long(NSLASTPID));
	printf("next child: %d\n", (int)fork_exit());
	printf("write -1: %s\n", ename(write_str(NSLASTPID, "-1")));
	printf("write 2^31-1: %s\n", ename(write_str(NSLASTPID, "2147483647")));
	child = fork();
	if (child == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(1);
		_exit(write_str(NSLASTPID, "3500"));
	}
	waitpid(child, &err, 0);
	printf("write as nobody: %s\n", ename(WEXITSTATUS(err)));
	return 0;
}

static int pidfd_signal(int fd)
{
	return syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) ? errno : 0;
}

static int pidfdsig(int argc, char **argv)
{
	pid_t child;
	int i, fd;

	for (i = 0; i < argc; i++)
		printf("fd %s: %s\n", argv[i], ename(pidfd_signal(atoi(argv[i]))));
	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	fd = syscall(SYS_pidfd_open, child, 0);
	printf("own child's pidfd: %s\n", ename(pidfd_signal(fd)));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return 0;
}

/* The records of accounting file @file: name, pid, ppid, one a line. */
static int acct_dump(const char *file)
{
	struct acct_v3 r;
	FILE *f = fopen(file, "r");

	if (!f)
		return printf("%s: %s\n", file, ename(errno)), 1;
	while (fread(&r, sizeof(r), 1, f) == 1)
		printf("record: %.*s pid=%u ppid=%u\n", (int)sizeof(r.ac_comm),
		       r.ac_comm, r.ac_pid, r.ac_ppid);
	fclose(f);
	return 0;
}

/* Fork a child named @name, which forks one named @grand if not NULL. */
static void acct_child(const char *name, const char *grand)
{
	pid_t c = fork();

	if (c == 0) {
		prctl(PR_SET_NAME, name);
		if (grand)
			acct_child(grand, NULL);
		_exit(0);
	}
	waitpid(c, NULL, 0);
}

/* acct(): accounting on to @file, tasks exit, off; its records */
static int acct_onoff(const char *file)
{
	prctl(PR_SET_NAME, "acct-first");
	printf("acct on: %s\n", ename(acct(file) ? errno : 0));
	acct_child("acct-child", "acct-grandchild");
	printf("acct off: %s\n", ename(acct(NULL) ? errno : 0));
	return acct_dump(file);
}

/* acct(): on to @file, a child exits, left on for the namespace's end */
static int acct_leave(const char *file)
{
	prctl(PR_SET_NAME, "acct-first");
	printf("acct on: %s\n", ename(acct(file) ? errno : 0));
	acct_child("acct-child", NULL);
	return 0;
}

/* name_to_handle_at() of pidfd @fd, then open_by_handle_at() (7.x pidfs) */
static void pidfh_one(const char *what, int fd, int mount_fd)
{
	struct {
		struct file_handle fh;
		unsigned char room[MAX_HANDLE_SZ];
	} h = { .fh.handle_bytes = MAX_HANDLE_SZ };
	int mnt, r;

	if (name_to_handle_at(fd, "", &h.fh, &mnt, AT_EMPTY_PATH)) {
		printf("%s: encode %s\n", what, ename(errno));
		return;
	}
	r = open_by_handle_at(mount_fd, &h.fh, O_RDONLY);
	printf("%s: encode OK, open %s\n", what, ename(r < 0 ? errno : 0));
	if (r >= 0)
		close(r);
}

static int pidfh(int fd)
{
	pid_t child = fork();
	int cfd;

	if (child == 0) {
		pause();
		_exit(0);
	}
	cfd = syscall(SYS_pidfd_open, child, 0);
	pidfh_one("own child's pidfd", cfd, cfd);
	pidfh_one("a host task's pidfd", fd, cfd);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return 0;
}

/* A child that takes a lock of @type with @cmd on @file, then waits. */
static pid_t locker(const char *file, int cmd, int ready[2])
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	pid_t p = fork();
	int fd;

	if (p)
		return p;
	fd = open(file, O_RDWR | O_CREAT, 0600);
	if (fd < 0 || fcntl(fd, cmd, &fl))
		_exit(1);
	if (write(ready[1], "x", 1) != 1)
		_exit(1);
	pause();
	_exit(0);
}

static long getlk_owner(const char *file, int cmd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = open(file, O_RDWR | O_CREAT, 0600);

	if (fd < 0 || fcntl(fd, cmd, &fl))
		return -errno;
	close(fd);
	return fl.l_type == F_UNLCK ? -1000 : fl.l_pid;
}

static int getlk(const char *file)
{
	int ready[2];
	pid_t p;
	char c;

	if (pipe(ready))
		return 1;
	p = locker(file, F_SETLK, ready);
	if (read(ready[0], &c, 1) != 1)
		return 1;
	printf("F_GETLK owner: %s\n",
	       getlk_owner(file, F_GETLK) == p ? "the child" : "another");
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
	p = locker(file, F_OFD_SETLK, ready);
	if (read(ready[0], &c, 1) != 1)
		return 1;
	printf("F_OFD_GETLK owner: %ld\n", getlk_owner(file, F_OFD_GETLK));
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
	return 0;
}

static int holdlock(const char *file)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = open(file, O_RDWR | O_CREAT, 0600);

	if (fd < 0 || fcntl(fd, F_SETLK, &fl))
		return 1;
	printf("locked\n");
	fflush(stdout);
	pause();
	return 0;
}

/* Send @len bytes at @req on netlink socket @s, return the NLMSG_ERROR. */
static int nl_ask(int s, void *req, size_t len, void *ans, size_t size)
{
	struct nlmsghdr *h = ans;
	ssize_t n;

	if (send(s, req, len, 0) < 0)
		return errno;
	for (;;) {
		n = recv(s, ans, size, 0);
		if (n < 0)
			return errno;
		if (h->nlmsg_type == NLMSG_ERROR)
			return -((struct nlmsgerr *)NLMSG_DATA(h))->error;
		if (h->nlmsg_type != NLMSG_NOOP)
			return 0;
	}
}

static int cnproc(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = CN_IDX_PROC };
	struct {
		struct nlmsghdr h;
		struct cn_msg m;
		enum proc_cn_mcast_op op;
	} __attribute__((packed)) req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = NLMSG_DONE },
		.m = { .id = { CN_IDX_PROC, CN_VAL_PROC },
		       .len = sizeof(enum proc_cn_mcast_op) },
	};
	char buf[4096];
	int s, events = 0;

	s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK, NETLINK_CONNECTOR);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)))
		return printf("socket: %s\n", ename(errno)), 0;
	req.op = PROC_CN_MCAST_LISTEN;
	if (send(s, &req, sizeof(req), 0) < 0)
		printf("listen: %s\n", ename(errno));
	fork_exit();
	/* the kernel queues fork/exit events before fork()/wait return */
	while (recv(s, buf, sizeof(buf), 0) > 0)
		events++;
	printf("events after a fork: %s\n", events ? "some" : "none");
	req.op = PROC_CN_MCAST_IGNORE;
	send(s, &req, sizeof(req), 0);
	close(s);
	return 0;
}

static int audit(void)
{
	struct nlmsghdr req = { .nlmsg_len = NLMSG_LENGTH(0),
				.nlmsg_type = AUDIT_GET,
				.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK };
	char ans[8192];
	int s = socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT);

	if (s < 0)
		return printf("socket: %s\n", ename(errno)), 0;
	printf("AUDIT_GET: %s\n", ename(nl_ask(s, &req, req.nlmsg_len, ans,
					       sizeof(ans))));
	close(s);
	return 0;
}

#define GENL_BUF 1024

/* The family id of genetlink family @name, or a negative errno. */
static int genl_family(int s, const char *name)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		char a[64];
	} req = { .h = { .nlmsg_type = GENL_ID_CTRL,
			 .nlmsg_flags = NLM_F_REQUEST },
		  .g = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 } };
	struct nlattr *na = (void *)req.a;
	char ans[GENL_BUF];
	struct nlmsghdr *h = (void *)ans;
	int len, err;

	na->nla_type = CTRL_ATTR_FAMILY_NAME;
	na->nla_len = NLA_HDRLEN + strlen(name) + 1;
	strcpy((char *)na + NLA_HDRLEN, name);
	req.h.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + NLA_ALIGN(na->nla_len));
	err = nl_ask(s, &req, req.h.nlmsg_len, ans, sizeof(ans));
	if (err)
		return -err;
	len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	na = (void *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	while (len > NLA_HDRLEN) {
		if (na->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(unsigned short *)((char *)na + NLA_HDRLEN);
		len -= NLA_ALIGN(na->nla_len);
		na = (void *)((char *)na + NLA_ALIGN(na->nla_len));
	}
	return -ENOENT;
}

static int taskstats(void)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		char a[64];
	} req = { .h = { .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK },
		  .g = { .cmd = TASKSTATS_CMD_GET, .version = 1 } };
	struct nlattr *na = (void *)req.a;
	char ans[GENL_BUF];
	int s, fam;

	s = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	fam = s < 0 ? -errno : genl_family(s, TASKSTATS_GENL_NAME);
	if (fam < 0)
		return printf("family: %s\n", ename(-fam)), 0;
	req.h.nlmsg_type = fam;
	na->nla_type = TASKSTATS_CMD_ATTR_REGISTER_CPUMASK;
	na->nla_len = NLA_HDRLEN + 2;
	strcpy((char *)na + NLA_HDRLEN, "0");
	req.h.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + NLA_ALIGN(na->nla_len));
	printf("REGISTER_CPUMASK: %s\n",
	       ename(nl_ask(s, &req, req.h.nlmsg_len, ans, sizeof(ans))));
	close(s);
	return 0;
}

/* The struct taskstats in a TASKSTATS_CMD_GET answer, or NULL. */
static struct taskstats *taskstats_of(struct nlmsghdr *h)
{
	struct nlattr *na = (void *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	char *end = (char *)h + h->nlmsg_len;

	while ((char *)na + NLA_HDRLEN <= end && na->nla_len >= NLA_HDRLEN) {
		if (na->nla_type == TASKSTATS_TYPE_AGGR_PID) {
			end = (char *)na + na->nla_len;
			na = (void *)((char *)na + NLA_HDRLEN);
			continue;
		}
		if (na->nla_type == TASKSTATS_TYPE_STATS)
			return (void *)((char *)na + NLA_HDRLEN);
		na = (void *)((char *)na + NLA_ALIGN(na->nla_len));
	}
	return NULL;
}

/* Whose number @nr is, for the printout. */
static const char *who(unsigned int nr, pid_t child)
{
	static char buf[32];

	if (nr == (unsigned int)child)
		return "the child";
	if (nr == (unsigned int)getpid())
		return "me";
	if (!nr)
		return "0";
	snprintf(buf, sizeof(buf), "another (%u)", nr);
	return buf;
}

static int taskstats_pid(void)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		char a[64];
	} req = { .h = { .nlmsg_flags = NLM_F_REQUEST },
		  .g = { .cmd = TASKSTATS_CMD_GET, .version = 1 } };
	struct nlattr *na = (void *)req.a;
	char ans[GENL_BUF];
	struct taskstats *ts;
	pid_t child;
	int s, fam, err;

	s = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	fam = s < 0 ? -errno : genl_family(s, TASKSTATS_GENL_NAME);
	if (fam < 0)
		return printf("family: %s\n", ename(-fam)), 0;
	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	req.h.nlmsg_type = fam;
	na->nla_type = TASKSTATS_CMD_ATTR_PID;
	na->nla_len = NLA_HDRLEN + sizeof(__u32);
	*(__u32 *)((char *)na + NLA_HDRLEN) = child;
	req.h.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + NLA_ALIGN(na->nla_len));
	err = nl_ask(s, &req, req.h.nlmsg_len, ans, sizeof(ans));
	ts = err ? NULL : taskstats_of((struct nlmsghdr *)ans);
	if (!ts)
		printf("GET: %s\n", err ? ename(err) : "no stats");
	else
		printf("ac_pid: %s\nac_ppid: %s\n", who(ts->ac_pid, child),
		       who(ts->ac_ppid, child));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(s);
	return 0;
}

#ifndef NS_GET_PID_FROM_PIDNS
#define NS_GET_PID_FROM_PIDNS	_IOR(NSIO, 0x6, int)
#define NS_GET_TGID_FROM_PIDNS	_IOR(NSIO, 0x7, int)
#define NS_GET_PID_IN_PIDNS	_IOR(NSIO, 0x8, int)
#define NS_GET_TGID_IN_PIDNS	_IOR(NSIO, 0x9, int)
#endif

static pid_t thread_tid;
static pthread_barrier_t thread_go;

static void *thread_fn(void *arg)
{
	thread_tid = syscall(SYS_gettid);
	pthread_barrier_wait(&thread_go);	/* tid known */
	pthread_barrier_wait(&thread_go);	/* questions asked */
	return arg;
}

/* Whose number the answer @r is, or its errno. */
static const char *nsans(long r, pid_t child)
{
	static char buf[32];

	if (r < 0)
		return ename(errno);
	if (r == thread_tid)
		return "the thread";
	if (r == child)
		return "the child";
	if (r == getpid())
		return "me";
	snprintf(buf, sizeof(buf), "another (%ld)", r);
	return buf;
}

static int nsget(void)
{
	static const struct { unsigned long cmd; const char *name; } q[] = {
		{ NS_GET_PID_FROM_PIDNS, "PID_FROM" },
		{ NS_GET_TGID_FROM_PIDNS, "TGID_FROM" },
		{ NS_GET_PID_IN_PIDNS, "PID_IN" },
		{ NS_GET_TGID_IN_PIDNS, "TGID_IN" },
	};
	int fd = open("/proc/self/ns/pid", O_RDONLY);
	pid_t child, who[4];
	const char *name[4] = { "me", "child", "thread", "nobody" };
	pthread_t th;
	unsigned int i, j;

	if (fd < 0)
		return printf("open: %s\n", ename(errno)), 0;
	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	pthread_barrier_init(&thread_go, NULL, 2);
	pthread_create(&th, NULL, thread_fn, NULL);
	pthread_barrier_wait(&thread_go);
	who[0] = getpid();
	who[1] = child;
	who[2] = thread_tid;
	who[3] = 99999;
	for (i = 0; i < 4; i++)
		for (j = 0; j < 4; j++)
			printf("%s %s: %s\n", q[i].name, name[j],
			       nsans(ioctl(fd, q[i].cmd, who[j]), child));
	pthread_barrier_wait(&thread_go);
	pthread_join(th, NULL);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(fd);
	return 0;
}

/* 6.12's mount namespace iteration (linux/nsfs.h, newer than the build's) */
struct reach_mnt_ns_info {
	__u32 size;
	__u32 nr_mounts;
	__u64 mnt_ns_id;
};

#define REACH_NS_MNT_GET_NEXT	_IOR(NSIO, 11, struct reach_mnt_ns_info)
#define REACH_NS_MNT_GET_PREV	_IOR(NSIO, 12, struct reach_mnt_ns_info)

static int nsmnt(void)
{
	static const struct { unsigned long cmd; const char *name; } q[] = {
		{ REACH_NS_MNT_GET_NEXT, "NS_MNT_GET_NEXT" },
		{ REACH_NS_MNT_GET_PREV, "NS_MNT_GET_PREV" },
	};
	int fd = open("/proc/self/ns/mnt", O_RDONLY), r;
	unsigned int i;

	if (fd < 0)
		return printf("open: %s\n", ename(errno)), 0;
	for (i = 0; i < 2; i++) {
		struct reach_mnt_ns_info info = { .size = sizeof(info) };

		r = ioctl(fd, q[i].cmd, &info);
		/* the end of the list (ENOENT) or another one: both allowed */
		printf("%s: %s\n", q[i].name,
		       r >= 0 || errno == ENOENT ? "allowed" : ename(errno));
		if (r >= 0)
			close(r);
	}
	close(fd);
	return 0;
}

static int sysvipc(void)
{
	struct { long type; char c; } msg = { 1, 'x' };
	int id = msgget(IPC_PRIVATE, 0600), key, qid, lspid = -1;
	char line[512];
	pid_t child;
	FILE *f;

	if (id < 0)
		return printf("msgget: %s\n", ename(errno)), 0;
	child = fork();
	if (child == 0)
		_exit(msgsnd(id, &msg, 1, 0) ? 1 : 0);
	waitpid(child, NULL, 0);
	f = fopen("/proc/sysvipc/msg", "r");
	while (f && fgets(line, sizeof(line), f))
		/* key msqid perms cbytes qnum lspid ... */
		if (sscanf(line, "%d %d %*o %*u %*u %d", &key, &qid, &lspid) == 3 &&
		    qid == id)
			break;
	if (f)
		fclose(f);
	msgctl(id, IPC_RMID, NULL);
	printf("msg lspid: %s\n", lspid == child ? "the child" : "another");
	return 0;
}

static int loadavg(void)
{
	char buf[256], *last;
	pid_t child = fork_exit();
	FILE *f = fopen("/proc/loadavg", "r");

	if (!f || !fgets(buf, sizeof(buf), f))
		return printf("loadavg: %s\n", ename(errno)), 0;
	fclose(f);
	last = strrchr(buf, ' ');
	printf("loadavg last pid: %s\n",
	       last && atoi(last + 1) == child ? "the child" : "another");
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "nslastpid"))
		return nslastpid();
	if (!strcmp(cmd, "pidfdsig"))
		return pidfdsig(argc - 2, argv + 2);
	if (!strcmp(cmd, "getlk") && argc == 3)
		return getlk(argv[2]);
	if (!strcmp(cmd, "getlk-other") && argc == 3)
		return printf("F_GETLK owner: %ld\n",
			      getlk_owner(argv[2], F_GETLK)), 0;
	if (!strcmp(cmd, "holdlock") && argc == 3)
		return holdlock(argv[2]);
	if (!strcmp(cmd, "acct") && argc == 3)
		return acct_onoff(argv[2]);
	if (!strcmp(cmd, "acct-leave") && argc == 3)
		return acct_leave(argv[2]);
	if (!strcmp(cmd, "acct-dump") && argc == 3)
		return acct_dump(argv[2]);
	if (!strcmp(cmd, "pidfh") && argc == 3)
		return pidfh(atoi(argv[2]));
	if (!strcmp(cmd, "cnproc"))
		return cnproc();
	if (!strcmp(cmd, "audit"))
		return audit();
	if (!strcmp(cmd, "taskstats"))
		return taskstats();
	if (!strcmp(cmd, "taskstats-pid"))
		return taskstats_pid();
	if (!strcmp(cmd, "nsget"))
		return nsget();
	if (!strcmp(cmd, "nsmnt"))
		return nsmnt();
	if (!strcmp(cmd, "sysvipc"))
		return sysvipc();
	if (!strcmp(cmd, "loadavg"))
		return loadavg();
	fprintf(stderr, "usage: reach nslastpid|pidfdsig FD...|pidfh FD|acct FILE|acct-leave FILE|acct-dump FILE|getlk FILE|getlk-other FILE|holdlock FILE|cnproc|audit|taskstats|taskstats-pid|nsget|nsmnt|sysvipc|loadavg\n");
	return 2;
}
