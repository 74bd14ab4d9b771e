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
