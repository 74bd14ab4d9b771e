# shellcheck shell=bash
# The control file: existence, mode, errnos, listing (DESIGN.md).

check "/proc/container exists" test -e $CTL
is "/proc/container mode" "666" "$(stat -c %a $CTL)"
is "listing of an idle host" "# path level init tasks
. 0 1 -" "$(cat $CTL)"

is "empty write is EINVAL" EINVAL "$("$BIN/ctlw" -r '')"
is "bad character is EINVAL" EINVAL "$(ctl 'a*b')"
is "name . is EINVAL" EINVAL "$(ctl '.')"
is "name .. is EINVAL" EINVAL "$(ctl '..')"
is "two names is EINVAL" EINVAL "$(ctl 'a b')"
is "64-byte name is ENAMETOOLONG" ENAMETOOLONG "$(ctl "$(printf 'x%.0s' $(seq 64))")"
is "attach without pid is EINVAL" EINVAL "$(ctl 'attach x')"
is "attach pid 0 is EINVAL" EINVAL "$(ctl 'attach x 0')"
is "attach pid -5 is EINVAL" EINVAL "$(ctl 'attach x -5')"
is "attach unknown container is ENOENT" ENOENT "$(ctl "attach nosuch $$")"
is "nextpid unknown container is ENOENT" ENOENT "$(ctl 'nextpid nosuch 5')"
is "destroy unknown container is ENOENT" ENOENT "$(ctl 'destroy nosuch')"
is "destroy with two args is EINVAL" EINVAL "$(ctl 'destroy a b')"
is "nextpid without vpid is EINVAL" EINVAL "$(ctl 'nextpid a')"
is "binary write is EINVAL" EINVAL "$("$BIN/ctlw" -r "$(printf 'a\001b')")"
is "unprivileged write is EPERM" EPERM "$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$BIN/ctlw" x 2>&1)"
is "unprivileged read works" "# path level init tasks" "$(setpriv --reuid=65534 --regid=65534 --clear-groups head -1 $CTL)"
is "failed writes created nothing" 0 "$(nr_containers)"

# A first container end to end.
out=$("$BIN/ctlw" -x web sh -c 'echo "pid=$$"; cat /proc/container; exec '"$BIN"'/scen basic')
is "first container: shell is pid 1" "pid=1" "$(echo "$out" | sed -n 1p)"
is "first container: its own listing (sh + cat)" "# path level init tasks
. 1 1 2" "$(echo "$out" | sed -n 2,3p)"
is "first container: getppid of init is 0" "init pid=1 tid=1 ppid=0 pgrp=1 sid=1" "$(echo "$out" | sed -n 4p)"
is "first container: fork after cat returns 3" "n fork=3" "$(echo "$out" | grep -m1 "^n fork=")"
is "first container: child getpid 3, getppid 1" "n.0 pid=3 tid=3 ppid=1 pgrp=1 sid=1" "$(echo "$out" | sed -n 6p)"
check "container gone after its tasks" wait_no_containers

# The host's listing while a container lives.
"$BIN/ctlw" -x db sleep 30 &
sleeper=$!
wait_for grep -q '^db ' $CTL
is "host listing shows the container" "db 1 $sleeper 1" "$(grep '^db ' $CTL)"
is "duplicate name is EEXIST" EEXIST "$(ctl db)"
kill -KILL $sleeper; wait $sleeper 2>/dev/null
check "container gone after kill" wait_no_containers

# Names are per parent (vpid_names, keyed by parent and name): 40 siblings
# inside one container are found by name, a duplicate among them is EEXIST,
# the parent's own name is free below it, a name is free again once its
# container is gone; the listing keeps the creation order.
# shellcheck disable=SC2016
out=$("$BIN/ctlw" -x sibs bash -c '
	ctlw=$1
	n() { grep -c "^[a-z]" /proc/container; }
	upto() { for _ in $(seq 300); do [ "$(n)" = "$1" ] && return; sleep 0.1; done; }
	for i in $(seq 40); do "$ctlw" -x "s$i" sleep 120 & upto "$i"; done
	echo "dup $("$ctlw" s7)"
	"$ctlw" -x sibs sleep 120 &
	upto 41
	echo "nextpid $("$ctlw" "nextpid s33 500")"
	echo "destroy $("$ctlw" "destroy s20")"
	upto 40
	echo "gone $("$ctlw" "nextpid s20 500")"
	"$ctlw" -x s20 sleep 120 &
	upto 41
	grep -o "^[a-z0-9]*" /proc/container | tr "\n" " "
	echo' bash "$BIN/ctlw")
is "40 siblings: a duplicate, the parent's name, nextpid, destroy, re-create, order" \
	"dup EEXIST
nextpid OK
destroy OK
gone ENOENT
$(echo s{1..40} | sed 's/ s20 / /') sibs s20 " "$out"
check "siblings gone with their init" wait_no_containers

# A container made empty ("mkempty NAME"): no task, no init (INIT 0) until
# a task takes its vpid 1; destroyed at once while it has no task; gone
# when its last task leaves before an init came; the holder of vpid 1
# (attach ... 1, or clone3(CLONE_NEWPID, set_tid [1]) from inside) is its
# init: it adopts orphans, ignores SIGTERM from inside, and takes the
# container with it.
is "mkempty without a name is EINVAL" EINVAL "$(ctl 'mkempty')"
is "mkempty of a path is EINVAL" EINVAL "$(ctl 'mkempty a/b')"
is "mkempty with two names is EINVAL" EINVAL "$(ctl 'mkempty a b')"
is "mkempty .. is EINVAL" EINVAL "$(ctl 'mkempty ..')"
is "mkempty of a 64-byte name is ENAMETOOLONG" ENAMETOOLONG \
	"$(ctl "mkempty $(printf 'x%.0s' $(seq 64))")"
is "mkempty" OK "$(ctl 'mkempty e1')"
is "mkempty: listed with no init and no task" "e1 1 0 0" "$(grep '^e1 ' $CTL)"
is "mkempty of a taken name is EEXIST" EEXIST "$(ctl 'mkempty e1')"
is "create of a taken name is EEXIST" EEXIST "$(ctl 'e1')"
is "mkempty: nextpid" OK "$(ctl 'nextpid e1 5')"
is "mkempty: nextpid of vpid 0 is EINVAL" EINVAL "$(ctl 'nextpid e1 0')"
is "mkempty: destroy" OK "$(ctl 'destroy e1')"
is "mkempty: gone at once when destroyed with no task" 0 "$(nr_containers)"
is "mkempty: destroy again is ENOENT" ENOENT "$(ctl 'destroy e1')"

# the last task leaves before an init came: the container goes with it
ctl 'mkempty e2' >/dev/null
sleep 1000 &
s=$!
is "mkempty: attach at vpid 7" OK "$(ctl "attach e2 $s 7")"
is "mkempty: a task, still no init" "e2 1 0 1" "$(grep '^e2 ' $CTL)"
kill $s; wait $s 2>/dev/null
check "mkempty: gone with its last task, which was no init" wait_no_containers

# attach at vpid 1: the init; another task dies with it
ctl 'mkempty e3' >/dev/null
sleep 1001 &
s1=$!
sleep 1002 &
s2=$!
is "mkempty: attach at vpid 1" OK "$(ctl "attach e3 $s1 1")"
is "mkempty: attach another at vpid 9" OK "$(ctl "attach e3 $s2 9")"
is "mkempty: the task at vpid 1 is its init" "e3 1 $s1 2" "$(grep '^e3 ' $CTL)"
is "mkempty: vpid 1 taken is EBUSY" EBUSY "$(ctl "attach e3 $$ 1")"
ctl 'mkempty e4' >/dev/null
is "mkempty: the init cannot leave (EBUSY)" EBUSY "$(ctl "attach e4 $s1")"
ctl 'destroy e4' >/dev/null
kill -KILL $s1
wait $s1 2>/dev/null
wait $s2 2>/dev/null
is "mkempty: the init's death killed the rest" 137 "$?"
check "mkempty: gone with its init" wait_no_containers

# clone3(CLONE_NEWPID, set_tid [1]) from a task attached at vpid 500
ctl 'mkempty e5' >/dev/null
out=$(sh -c '"$1" "attach e5 $$ 500" >/dev/null; exec "$2" newinit' sh \
	"$BIN/ctlw" "$BIN/scen")
is "mkempty: clone3(CLONE_NEWPID, set_tid [1]) makes the init" \
	"attached pid=500 tid=500 ppid=0 pgrp=0 sid=0
clone3(CLONE_NEWPID, set_tid [1])=1
init pid=1 tid=1 ppid=0 pgrp=0 sid=0
orphan pid=3 ppid=1 kill(1, SIGTERM)=0
init reaped 3
nested pid=1 tid=1 ppid=0 pgrp=0 sid=0
init waitpid=4 status=0
init clone3(CLONE_NEWPID)=4" "$out"
check "mkempty: gone with the init made by clone3" wait_no_containers

# unshare(CLONE_NEWPID) then fork (unshare --pid --fork) from a task
# attached to a container made empty: the child is its init, as with
# clone(CLONE_NEWPID) there (no native pid namespace inside); oracle: the
# same from the host, where the child is pid 1 of a new pid namespace
# shellcheck disable=SC2016 # for python
ids='import os
def ids():
    print(os.getpid(), os.getppid(), os.getpgrp(), os.getsid(0), flush=True)
ids()
if os.fork() == 0:
    ids()
    os._exit(0)
os.wait()
'
nu=$(unshare --pid --fork python3 -c "$ids" 2>&1)
ctl 'mkempty e7' >/dev/null
# shellcheck disable=SC2016 # for sh and python
vu=$(sh -c '"$1" "attach e7 $$ 500" >/dev/null; exec 3</proc/self/ns/pid; exec unshare --pid --fork python3 -c "$2
print(\"pid namespace: \" + (\"the container\x27s\" if os.stat(\"/proc/self/ns/pid\").st_ino == os.fstat(3).st_ino else \"another\"))
print([l for l in open(\"/proc/container\") if l.startswith(\". \")][0], end=\"\")"' \
	sh "$BIN/ctlw" "$ids" 2>&1)
# the init's parent: natively outside the new namespace (0); here the
# unsharer, a task of the container (vpid 500), as after clone(CLONE_NEWPID)
noppid() { awk 'NR == 1 { $2 = "-" } { print }'; }
same "mkempty: unshare(CLONE_NEWPID), fork: the child's and its child's ids (but the child's ppid): native vs vpid" \
	"$(noppid <<< "$nu")" "$(head -2 <<< "$vu" | noppid)"
is "mkempty: unshare(CLONE_NEWPID), fork: the init's ppid: the unsharer's vpid (natively 0)" \
	"0 500" "$(awk 'NR == 1 { print $2 }' <<< "$nu") $(awk 'NR == 1 { print $2 }' <<< "$vu")"
is "mkempty: unshare(CLONE_NEWPID), fork: the child is the init of the container (INIT 1: the unsharer and it), no pid namespace" \
	"pid namespace: the container's
. 1 1 2" "$(tail -n +3 <<< "$vu")"
check "mkempty: gone with the init made after unshare(CLONE_NEWPID)" \
	wait_no_containers

# an empty container inside a container goes with its parent
out=$("$BIN/ctlw" -x e6 sh -c '"$0" "mkempty in"; grep -c "^in 2 0 0" /proc/container' "$BIN/ctlw")
is "mkempty: inside a container" "OK
1" "$out"
check "mkempty: an empty container goes with its parent" wait_no_containers
