# shellcheck shell=bash
# A task's pid namespace as nsfs names it, in a container vs a native pid
# namespace in the same boot (tests/src/nsid.c): /proc/self/ns/pid and
# pid_for_children are the container's own namespace, not the host's; its
# parent is out of sight (NS_GET_PARENT: EPERM); setns() to it is allowed
# and keeps children in the container, to a sibling's is EINVAL; a native
# namespace made inside has the container's as its parent; setns() to the
# namespace it was in before, or by the pidfd of a task outside: EINVAL;
# by its own pidfd: allowed.  From the host (nsenter -p): setns() into
# it, children born inside.  From the host:
# a container task's namespace is not the host's, and its parent is.

N=$BIN/nsid
# open the namespace file of the first task named "sleep SECS"
sleeper() { pgrep -f "^sleep $1\$" | head -1; }
wait_sleeper() { s=$(sleeper "$1"); [ -n "$s" ]; }

# siblings: a native pid namespace, a container
unshare --pid --fork --kill-child sleep 661 >/dev/null 2>&1 &
ns_pid=$!
"$BIN/ctlw" -x s66 sleep 662 >/dev/null 2>&1 &
ct_pid=$!
wait_for wait_sleeper 661
sn=$s
wait_for wait_sleeper 662
sv=$s

n=$(timeout -k 5 120 unshare --pid --fork --mount-proc "$N" 8 \
	8<"/proc/$sn/ns/pid" 2>&1)
v=$(timeout -k 5 120 "$BIN/ctlw" -x a66 unshare --mount --mount-proc "$N" 8 \
	8<"/proc/$sv/ns/pid" 2>&1)
# (pid_for_children with no init yet: ENOENT before 7.x, readable since;
# a pidfd's namespaces: 6.11+)
is "a native pid namespace's files" "/proc/1/ns/pid: mine
pid_for_children: mine
a child: mine
parent of mine: EPERM
setns to mine: OK
a child after it: mine
setns to the sibling's: EINVAL
inner init: getpid 1, /proc/self/ns/pid other
inner init: its namespace's parent: EPERM
the inner init's namespace: other, = pid_for_children: yes
its parent: mine
setns back to mine: OK
for_children after setns back: mine
a child after setns back: mine
end" "$(grep -v '^for_children after unshare\|^pidfd' <<<"$n")"
same "pid namespace files, NS_GET_PARENT, setns: native vs vpid" "$n" "$v"

# the namespace the task was in before: an ancestor's (EINVAL); a pidfd of
# a task outside, inherited: its namespace is an ancestor's too (EINVAL);
# one's own pidfd: one's own namespace (OK)
n=$(timeout -k 5 120 unshare --pid --fork --mount-proc "$N" outer 7 \
	7</proc/self/ns/pid 2>&1)
v=$(timeout -k 5 120 "$BIN/ctlw" -x b66 unshare --mount --mount-proc "$N" outer 7 \
	7</proc/self/ns/pid 2>&1)
is "setns to the outer namespace, natively" "setns to the outer namespace: EINVAL
a child after it: mine" "$n"
same "setns to the outer namespace: native vs vpid" "$n" "$v"
# (python keeps a pidfd of the test's shell open as fd 9 across the exec)
withpidfd='import os, sys
os.dup2(os.pidfd_open(int(sys.argv[1])), 9)
os.execvp(sys.argv[2], sys.argv[2:])'
n=$(timeout -k 5 120 python3 -c "$withpidfd" $$ unshare --pid --fork \
	--mount-proc "$N" pidfd 9 2>&1)
v=$(timeout -k 5 120 python3 -c "$withpidfd" $$ "$BIN/ctlw" -x d66 \
	unshare --mount --mount-proc "$N" pidfd 9 2>&1)
is "setns by pidfds, natively" "setns by an outside task's pidfd: EINVAL
a child after it: mine
setns by my own pidfd: OK
a child after it: mine" "$n"
same "setns by pidfds: native vs vpid" "$n" "$v"

# from the host: the sibling's task has a namespace other than the host's,
# whose parent is the host's
host=$(stat -L -c %d:%i /proc/self/ns/pid)
pfd='
import errno, fcntl, os, sys
try:
    fd = fcntl.ioctl(os.pidfd_open(int(sys.argv[1])), 0xff05)
    print("same" if os.fstat(fd).st_ino == os.stat(sys.argv[2]).st_ino else "other")
except OSError as e:
    print(errno.errorcode[e.errno])'
same "from the host: PIDFD_GET_PID_NAMESPACE of a task is its /proc/PID/ns/pid: native vs vpid" \
	"$(python3 -c "$pfd" "$sn" "/proc/$sn/ns/pid" 2>&1)" \
	"$(python3 -c "$pfd" "$sv" "/proc/$sv/ns/pid" 2>&1)"
for w in native:$sn vpid:$sv; do
	p=${w#*:}
	a=$(stat -L -c %d:%i "/proc/$p/ns/pid")
	check "from the host, ${w%%:*}: a task's namespace is not the host's" \
		test "$a" != "$host"
	is "from the host, ${w%%:*}: NS_GET_PARENT of it is the host's" "host's" \
		"$(python3 -c '
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
p = fcntl.ioctl(fd, 0xb702)
print("host\x27s" if os.fstat(p).st_ino == os.stat("/proc/self/ns/pid").st_ino else "other")' "/proc/$p/ns/pid" 2>&1)"
done
# lsns inside: one pid namespace, with every task
n=$(timeout -k 5 120 unshare --pid --fork --mount-proc sh -c 'sleep 663 & lsns -t pid -n -o TYPE,NPROCS,PID,COMMAND; kill $!' 2>&1)
v=$(timeout -k 5 120 "$BIN/ctlw" -x c66 unshare --mount --mount-proc \
	sh -c 'sleep 663 & lsns -t pid -n -o TYPE,NPROCS,PID,COMMAND; kill $!' 2>&1)
same "lsns -t pid inside: native vs vpid ($n)" "$n" "$v"

# from the host, into each (nsenter -p), by a namespace file and by a pidfd
# (util-linux 2.40's nsenter): the caller stays where it is; its
# pid_for_children is the namespace; no thread for it; its children are
# born inside, next number, parent out of sight; it may make no pid
# namespace (EINVAL), its children are still born inside
# The Python these setns() scripts share: a call's result, namespace
# identity, the pid namespace of a task by its file or a pidfd, whether a
# thread can be made, the NSpid levels below the host's.
nspy='import ctypes, os, sys, threading
libc = ctypes.CDLL(None, use_errno=True)
res = lambda r: "OK" if r == 0 else os.strerror(ctypes.get_errno())
st = lambda p: (os.stat(p).st_dev, os.stat(p).st_ino)
def ns_fd(pid, how):
    if how == "pidfd":
        return os.pidfd_open(pid)
    return os.open("/proc/%d/ns/pid" % pid, os.O_RDONLY)
def thread():
    try:
        t = threading.Thread(target=int)
        t.start()
        t.join()
        print("a thread: made")
    except RuntimeError:
        print("a thread: refused")
    sys.stdout.flush()
def nspid_below():
    return [l.split()[2:] for l in open("/proc/self/status") if l.startswith("NSpid:")][0]
'
# shellcheck disable=SC2016 # python's, and the child shell's $$ and $PPID
enter=$nspy'ns = "/proc/%s/ns/pid" % sys.argv[1]
fd = ns_fd(int(sys.argv[1]), sys.argv[2])
print("setns by its", sys.argv[2] + ":", res(libc.setns(fd, 0x20000000)))
print("pid_for_children is it:", st("/proc/self/ns/pid_for_children") == st(ns))
print("own namespace still the host\x27s:", st("/proc/self/ns/pid") == st("/proc/1/ns/pid"))
thread()
c = os.fork()
if c == 0:
    os.execvp("sh", ["sh", "-c", "echo a child: pid=$$ ppid=$PPID"])
os.waitpid(c, 0)
print("then unshare(CLONE_NEWPID):", res(libc.unshare(0x20000000)), flush=True)
c = os.fork()
if c == 0:
    print("its child: pid=%d, NSpid below the host\x27s level:" % os.getpid(), *nspid_below(), flush=True)
    os._exit(0)
os.waitpid(c, 0)'
# shellcheck disable=SC2016
n=$(timeout -k 5 60 python3 -c "$enter" "$sn" file 2>&1
	timeout -k 5 60 nsenter -t "$sn" -p -- sh -c 'echo nsenter: pid=$$ ppid=$PPID' 2>&1
	timeout -k 5 60 python3 -c "$enter" "$sn" pidfd 2>&1)
# shellcheck disable=SC2016
v=$(timeout -k 5 60 python3 -c "$enter" "$sv" file 2>&1
	timeout -k 5 60 nsenter -t "$sv" -p -- sh -c 'echo nsenter: pid=$$ ppid=$PPID' 2>&1
	timeout -k 5 60 python3 -c "$enter" "$sv" pidfd 2>&1)
is "setns from the host (nsenter -p), natively" "setns by its file: OK
pid_for_children is it: True
own namespace still the host's: True
a thread: refused
a child: pid=2 ppid=0
then unshare(CLONE_NEWPID): Invalid argument
its child: pid=3, NSpid below the host's level: 3
nsenter: pid=4 ppid=0
setns by its pidfd: OK
pid_for_children is it: True
own namespace still the host's: True
a thread: refused
a child: pid=5 ppid=0
then unshare(CLONE_NEWPID): Invalid argument
its child: pid=6, NSpid below the host's level: 6" "$n"
same "setns from the host (nsenter -p): native vs vpid" "$n" "$v"

kill -KILL "$sn" "$sv" 2>/dev/null
wait "$ns_pid" "$ct_pid" 2>/dev/null

# from the host, into a pid namespace made inside (by its file, by a pidfd
# of its task): the children are born in it, and are tasks of the namespace
# or container around it too (numbered there: NSpid below the host's level)
# shellcheck disable=SC2016 # the inner shell's $1
inside='unshare --pid --fork sleep "$1" & wait'
unshare --pid --fork --kill-child sh -c "$inside" sh 664 >/dev/null 2>&1 &
ns_pid=$!
"$BIN/ctlw" -x i66 sh -c "$inside" sh 665 >/dev/null 2>&1 &
ct_pid=$!
wait_for wait_sleeper 664
sn=$s
wait_for wait_sleeper 665
sv=$s
enter_in=$nspy'for how in ("file", "pidfd"):
    fd = ns_fd(int(sys.argv[1]), how)
    print("setns by its", how + ":", res(libc.setns(fd, 0x20000000)), flush=True)
    c = os.fork()
    if c == 0:
        print("a child: pid=%d ppid=%d, NSpid below the host\x27s level:" % (os.getpid(), os.getppid()), *nspid_below(), flush=True)
        os._exit(0)
    os.waitpid(c, 0)
    os.close(fd)'
n=$(timeout -k 5 60 python3 -c "$enter_in" "$sn" 2>&1)
v=$(timeout -k 5 60 python3 -c "$enter_in" "$sv" 2>&1)
is "setns from the host into a pid namespace made inside, natively" "setns by its file: OK
a child: pid=2 ppid=0, NSpid below the host's level: 4 2
setns by its pidfd: OK
a child: pid=3 ppid=0, NSpid below the host's level: 5 3" "$n"
same "setns from the host into a pid namespace made inside: native vs vpid" "$n" "$v"
kill -KILL "$sn" "$sv" 2>/dev/null
wait "$ns_pid" "$ct_pid" 2>/dev/null

# from inside, into a pid namespace one level below (a native one made
# inside, a nested container), by its file and by a pidfd of its init: the
# caller's children are born there, no thread for it; setns back: they are
# its own namespace's again
below=$nspy'import subprocess, time
for _ in range(300):
    r = subprocess.run(["pgrep", "-f", "^sleep 669$"], capture_output=True, text=True).stdout.split()
    if r:
        break
    time.sleep(0.1)
inner = int(r[0])
own = os.open("/proc/self/ns/pid", os.O_RDONLY)
for how in ("file", "pidfd"):
    fd = ns_fd(inner, how)
    print("setns below by its", how + ":", res(libc.setns(fd, 0x20000000)))
    print("pid_for_children is it:", st("/proc/self/ns/pid_for_children") == st("/proc/%d/ns/pid" % inner))
    thread()
    c = os.fork()
    if c == 0:
        print("a child: pid=%d ppid=%d" % (os.getpid(), os.getppid()), flush=True)
        os._exit(0)
    os.waitpid(c, 0)
    print("setns back:", res(libc.setns(own, 0x20000000)), flush=True)
    me = os.getpid()
    c = os.fork()
    if c == 0:
        print("a child after: its parent in sight:", os.getppid() == me, flush=True)
        os._exit(0)
    os.waitpid(c, 0)
    os.close(fd)'
# shellcheck disable=SC2016 # the inner shell's $0 and $!
n=$(timeout -k 5 120 unshare --pid --fork --mount-proc sh -c \
	'unshare --pid --fork sleep 669 & python3 -c "$0"; kill $!' "$below" 2>&1)
# shellcheck disable=SC2016
v=$(BIN=$BIN timeout -k 5 120 "$BIN/ctlw" -x o66 unshare --mount --mount-proc sh -c \
	'"$BIN/ctlw" -x n66 sleep 669 & python3 -c "$0"; kill $!' "$below" 2>&1)
is "setns to a pid namespace below, natively" "setns below by its file: OK
pid_for_children is it: True
a thread: refused
a child: pid=2 ppid=0
setns back: OK
a child after: its parent in sight: True
setns below by its pidfd: OK
pid_for_children is it: True
a thread: refused
a child: pid=3 ppid=0
setns back: OK
a child after: its parent in sight: True" "$n"
same "setns to a nested container's namespace: native vs vpid" "$n" "$v"
wait_no_containers
check "containers gone" test "$(nr_containers)" = 0
