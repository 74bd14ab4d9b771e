// SPDX-License-Identifier: GPL-2.0
/*
 * perfpid - the pids a perf event's records carry, as relations: a dummy
 * software event on itself (PERF_SAMPLE_TID with sample_id_all; not
 * inherited: the kernel refuses to mmap an inherited per-task event), a
 * rename, a child forked and reaped, a thread started and joined; then one
 * line per FORK and COMM record (and EXIT, though a task's own event sees
 * none of these), every number named "me", "child", "thread", "0" or
 * "other".  The same in a native pid namespace and in a container.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define DATA_PAGES 8

static pid_t me, child, thread;

static const char *who(uint32_t nr)
{
	if (nr == (uint32_t)me)
		return "me";
	if (nr == (uint32_t)child)
		return "child";
	if (nr == (uint32_t)thread)
		return "thread";
	return nr ? "other" : "0";
}

/* Copy @len bytes at offset @off of the ring (of @size bytes) to @to. */
static void ring_copy(const char *ring, uint64_t size, uint64_t off,
		      void *to, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		((char *)to)[i] = ring[(off + i) % size];
}

static void show(const struct perf_event_header *h, const char *rec)
{
	const uint32_t *w = (const void *)rec;
	/* sample_id_all, PERF_SAMPLE_TID: pid, tid at the record's end */
	const uint32_t *id = (const void *)(rec + h->size - sizeof(*h) - 8);

	switch (h->type) {
	case PERF_RECORD_FORK:
	case PERF_RECORD_EXIT:
		printf("%s pid=%s", h->type == PERF_RECORD_FORK ? "fork" : "exit",
		       who(w[0]));
		printf(" ppid=%s", who(w[1]));
		printf(" tid=%s", who(w[2]));
		printf(" ptid=%s", who(w[3]));
		break;
	case PERF_RECORD_COMM:
		printf("comm %s pid=%s", rec + 8, who(w[0]));
		printf(" tid=%s", who(w[1]));
		break;
	default:
		return;
	}
	printf(" by=%s", who(id[0]));
	printf("/%s\n", who(id[1]));
}

static void *thread_main(void *arg)
{
	thread = gettid();
	return arg;
}

int main(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_DUMMY,
		.size = sizeof(attr),
		.sample_type = PERF_SAMPLE_TID,
		.task = 1,
		.comm = 1,
		.sample_id_all = 1,
	};
	long page = sysconf(_SC_PAGESIZE);
	struct perf_event_mmap_page *mp;
	uint64_t size = DATA_PAGES * page, head, off;
	char rec[4096];
	pthread_t t;
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	me = getpid();
	fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1,
		     PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return printf("perf_event_open: %s\n", strerrorname_np(errno)), 0;
	mp = mmap(NULL, (DATA_PAGES + 1) * page, PROT_READ | PROT_WRITE,
		  MAP_SHARED, fd, 0);
	if (mp == MAP_FAILED)
		return printf("mmap: %s\n", strerrorname_np(errno)), 0;
	prctl(PR_SET_NAME, "perfme");
	child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	if (pthread_create(&t, NULL, thread_main, NULL) == 0)
		pthread_join(t, NULL);
	head = __atomic_load_n(&mp->data_head, __ATOMIC_ACQUIRE);
	for (off = 0; off < head; ) {
		struct perf_event_header h;

		ring_copy((char *)mp + page, size, off, &h, sizeof(h));
		if (h.size < sizeof(h) || h.size - sizeof(h) > sizeof(rec))
			break;
		ring_copy((char *)mp + page, size, off + sizeof(h), rec,
			  h.size - sizeof(h));
		if (h.size >= sizeof(h) + 8)
			show(&h, rec);
		off += h.size;
	}
	printf("records end\n");
	return 0;
}
