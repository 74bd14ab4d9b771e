# shellcheck shell=bash
# vpid-timeout: 300
# What a pid namespace keeps from its tasks, kept from a container's too,
# compared with a native pid namespace in the same boot (tests/src/reach.c):
# ns_last_pid reads and chooses the container's numbers (never the host's);
# pidfd_send_signal() on a pidfd or /proc/PID directory of a host task is
# EINVAL, and a pidfs file handle of a host task's pidfd is stale (7.x);
# acct() switches the container's own accounting, not the host's;
# fcntl(F_GETLK) names a lock owner by its vpid, 0 when outside;
# the proc connector's LISTEN is ignored; audit control and taskstats
# REGISTER_CPUMASK are refused, a taskstats query answers ac_pid/ac_ppid in
# the caller's numbers; nsfs pid translations on the task's own pid
# namespace file stay in its numbers, listing the machine's mount namespaces
# (NS_MNT_GET_NEXT/PREV) is refused where the kernel refuses it to a pid
# namespace; /proc/sysvipc and /proc/loadavg number in the
# reader's namespace; a perf event's records (comm, fork, sample_id)
# number tasks in its opener's namespace (tests/src/perfpid.c).

R=$BIN/reach

# --- ns_last_pid -----------------------------------------------------------
a=$(cat /proc/sys/kernel/ns_last_pid)
n=$(native "$R" nslastpid)
v=$(invpid "$R" nslastpid)
b=$(cat /proc/sys/kernel/ns_last_pid)
is "ns_last_pid in a native pid namespace" "read by the first process: 1
read after fork: the child
write 3000: OK
reads back: 3000
next child: 3001
write -1: EINVAL
write 2^31-1: EINVAL
write as nobody: EPERM" "$n"
same "ns_last_pid: native vs vpid" "$n" "$v"
if [ "$a" -ge 2900 ] && [ "$a" -le 3100 ]; then
	ok "# SKIP the host's last pid ($a) is near the chosen one"
else
	check "the host's allocator did not move (last pid $a, then $b)" \
		test "$b" -lt 3000 -o "$b" -gt 3100
fi

# --- pidfd_send_signal() on a host task -------------------------------------
# fd 9: a pidfd of a host task, fd 8: its /proc directory (host's proc)
wrap='import os, sys
os.dup2(os.pidfd_open(int(sys.argv[1])), 9)
os.dup2(os.open("/proc/" + sys.argv[1], os.O_RDONLY | os.O_DIRECTORY), 8)
os.execvp(sys.argv[2], sys.argv[2:])'
sleep 300 >/dev/null 2>&1 &
hp=$!
n=$(timeout -k 5 120 python3 -c "$wrap" "$hp" \
	unshare --pid --fork "$R" pidfdsig 9 8 2>&1)
v=$(timeout -k 5 120 python3 -c "$wrap" "$hp" \
	"$BIN/ctlw" -x "$(cname)" "$R" pidfdsig 9 8 2>&1)
is "pidfd_send_signal in a native pid namespace" "fd 9: EINVAL
fd 8: EINVAL
own child's pidfd: OK" "$n"
same "pidfd_send_signal to a host task (pidfd, /proc dir): native vs vpid" "$n" "$v"
check "the host task lives" kill -0 "$hp"
# 7.x pidfs file handles of a pidfd: a host task's is stale inside
n=$(timeout -k 5 120 python3 -c "$wrap" "$hp" \
	unshare --pid --fork "$R" pidfh 9 2>&1)
v=$(timeout -k 5 120 python3 -c "$wrap" "$hp" \
	"$BIN/ctlw" -x "$(cname)" "$R" pidfh 9 2>&1)
same "pidfs file handles of pidfds, own child's and a host task's: native vs vpid (${n//$'\n'/, })" "$n" "$v"
kill "$hp"
wait "$hp" 2>/dev/null

# --- acct(): BSD process accounting -----------------------------------------
# A pid namespace's own: switched on and off from inside, its records in its
# numbers; the host's accounting, on meanwhile, gets the same tasks' records.
# Left on when the namespace ends, it is turned off then, with one last record
# of the task that turns it off: the init natively, a vpid worker (pid 0)
# in a container.
size_at_least() { [ "$(stat -c %s "$1")" -ge "$2" ]; }
acctctl='import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
sys.exit(libc.acct(sys.argv[1].encode() if len(sys.argv) > 1 else None))'
: >/tmp/t69.acct.n
: >/tmp/t69.acct.v
: >/tmp/t69.acct.host
if python3 -c "$acctctl" /tmp/t69.acct.host; then
	n=$(native "$R" acct /tmp/t69.acct.n)
	v=$(invpid "$R" acct /tmp/t69.acct.v)
	python3 -c "$acctctl"
	is "acct() in a native pid namespace" "acct on: OK
acct off: OK
record: acct-grandchild pid=3 ppid=2
record: acct-child pid=2 ppid=1
record: acct-first pid=1 ppid=0" "$n"
	same "acct() in a pid namespace: native vs vpid" "$n" "$v"
	h=$("$R" acct-dump /tmp/t69.acct.host | grep -c ' acct-grandchild ')
	is "the host's accounting got both grandchildren's records" 2 "$h"
	: >/tmp/t69.acct.n
	: >/tmp/t69.acct.v
	n=$(native "$R" acct-leave /tmp/t69.acct.n)
	v=$(invpid "$R" acct-leave /tmp/t69.acct.v)
	same "acct() left on: native vs vpid" "$n" "$v"
	wait_no_containers
	# three records of 64 bytes: the last is written as it is turned off
	poll_for 300 size_at_least /tmp/t69.acct.v 192
	n=$("$R" acct-dump /tmp/t69.acct.n)
	v=$("$R" acct-dump /tmp/t69.acct.v)
	is "accounting left on, native: turned off by the init's end" "record: acct-child pid=2 ppid=1
record: acct-first pid=1 ppid=0
record: acct-first pid=1 ppid=0" "$n"
	same "accounting left on: the tasks' records, native vs vpid" \
		"$(echo "$n" | head -2)" "$(echo "$v" | head -2)"
	is "accounting left on in a container: turned off by vpid's worker" \
		"record: pid=0 ppid=0" \
		"$(echo "$v" | sed -n '3s/record: [^ ]* /record: /p;4p')"
else
	ok "# SKIP no BSD process accounting on $(uname -r)"
fi
rm -f /tmp/t69.acct.n /tmp/t69.acct.v /tmp/t69.acct.host

# --- fcntl(F_GETLK) ---------------------------------------------------------
lk=/tmp/t69.lock
rm -f "$lk" "$lk.2"
n=$(native "$R" getlk "$lk.2")
v=$(invpid "$R" getlk "$lk.2")
is "F_GETLK in a native pid namespace" "F_GETLK owner: the child
F_OFD_GETLK owner: -1" "$n"
same "F_GETLK owner of a child's lock: native vs vpid" "$n" "$v"
coproc HOLD { exec "$R" holdlock "$lk"; }
read -r -t 30 line <&"${HOLD[0]}"
is "a host task holds a lock" "locked" "$line"
n=$(native "$R" getlk-other "$lk")
v=$(invpid "$R" getlk-other "$lk")
is "F_GETLK owner outside a native pid namespace" "F_GETLK owner: 0" "$n"
same "F_GETLK owner outside: native vs vpid" "$n" "$v"
is "the host sees its own pid" "F_GETLK owner: $HOLD_PID" "$("$R" getlk-other "$lk")"
kill "$HOLD_PID"
wait "$HOLD_PID" 2>/dev/null
rm -f "$lk" "$lk.2"

# --- netlink: proc connector, audit, taskstats --------------------------------
for q in cnproc audit taskstats taskstats-pid; do
	n=$(native "$R" $q)
	v=$(invpid "$R" $q)
	same "$q: native vs vpid ($n)" "$n" "$v"
done
is "audit in a native pid namespace" "AUDIT_GET: EPERM" "$(native "$R" audit)"
is "taskstats in a native pid namespace" "REGISTER_CPUMASK: EINVAL" \
	"$(native "$R" taskstats)"
is "the host's proc connector streams" "events after a fork: some" "$("$R" cnproc)"
is "the host's audit answers" "AUDIT_GET: OK" "$("$R" audit)"
is "the host's taskstats registers" "REGISTER_CPUMASK: OK" "$("$R" taskstats)"
is "taskstats GET in a native pid namespace" "ac_pid: the child
ac_ppid: me" "$(native "$R" taskstats-pid)"
is "the host's taskstats GET" "ac_pid: the child
ac_ppid: me" "$("$R" taskstats-pid)"

# --- nsfs pid translations on the task's own /proc/self/ns/pid ---------------
n=$(native "$R" nsget)
v=$(invpid "$R" nsget)
same "nsfs NS_GET_*_PIDNS: native vs vpid" "$n" "$v"
case $n in
*ENOTTY*) ok "# SKIP nsfs NS_GET_*_PIDNS: not on this kernel" ;;
*) is "nsfs in a native pid namespace: a thread's tgid" "TGID_FROM thread: me" \
	"$(grep '^TGID_FROM thread' <<<"$n")" ;;
esac

# --- nsfs NS_MNT_GET_NEXT/PREV: the machine's mount namespaces ---------------
n=$(native "$R" nsmnt)
v=$(invpid "$R" nsmnt)
same "nsfs NS_MNT_GET_NEXT/PREV: native vs vpid (${n//$'\n'/, })" "$n" "$v"

# --- /proc/sysvipc, /proc/loadavg ------------------------------------------
for q in sysvipc loadavg; do
	n=$(native "$R" $q)
	v=$(invpid "$R" $q)
	same "$q: native vs vpid ($n)" "$n" "$v"
done
is "sysvipc in a native pid namespace" "msg lspid: the child" "$(native "$R" sysvipc)"
is "loadavg in a native pid namespace" "loadavg last pid: the child" "$(native "$R" loadavg)"

# --- perf events -------------------------------------------------------------
n=$(native "$BIN/perfpid")
v=$(invpid "$BIN/perfpid")
same "perf records (comm, fork of a child and a thread): native vs vpid" "$n" "$v"
is "perf records in a native pid namespace" "comm perfme pid=me tid=me by=me/me
fork pid=child ppid=me tid=child ptid=me by=me/me
fork pid=me ppid=me tid=thread ptid=me by=me/me
records end" "$n"

wait_no_containers
check "containers gone" test "$(nr_containers)" = 0
