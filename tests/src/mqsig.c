// SPDX-License-Identifier: GPL-2.0
/*
 * mqsig - si_pid of a message queue notification (SI_MESGQ): the sender's
 * pid as the receiver sees it.  Prints "si_code=SI_MESGQ si_pid=child" when
 * si_pid is what fork() returned for the sending child, else the numbers.
 */
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 8 };
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL,
			       .sigev_signo = SIGUSR1 };
	char name[32];
	siginfo_t si;
	sigset_t set;
	mqd_t q;
	pid_t c;

	snprintf(name, sizeof(name), "/vpid-mqsig-%d", getpid());
	q = mq_open(name, O_CREAT | O_RDWR, 0600, &attr);
	if (q == (mqd_t)-1) {
		perror("mq_open");
		return 1;
	}
	mq_unlink(name);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (mq_notify(q, &ev)) {
		perror("mq_notify");
		return 1;
	}
	c = fork();
	if (c == 0) {
		mq_send(q, "x", 1, 0);
		_exit(0);
	}
	if (sigwaitinfo(&set, &si) != SIGUSR1) {
		perror("sigwaitinfo");
		return 1;
	}
	waitpid(c, NULL, 0);
	if (si.si_code == SI_MESGQ && si.si_pid == c)
		printf("si_code=SI_MESGQ si_pid=child\n");
	else
		printf("si_code=%d si_pid=%d child=%d\n", si.si_code, si.si_pid, c);
	return 0;
}
