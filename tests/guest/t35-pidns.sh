# shellcheck shell=bash
# vpid containers and native pid namespaces nest in any order (issue 18).
# The oracle is the same nest built of native pid namespaces only.

# nest SPEC...: run tests/guest/nest.sh on a fresh set of FIFOs
nest() {
	local d
	d=$(mktemp -d /tmp/nest.XXXXXX)
	mkfifo "$d/fifo.1" "$d/fifo.2" "$d/fifo.3" "$d/fifo.4" "$d/stop"
	timeout -k 5 120 bash tests/guest/nest.sh "$d" 0 "$@" 2>&1
	echo "status $?"
	rm -rf "$d"
}

two=$(nest n n)
three=$(nest n n n)
for spec in "c n" "n c"; do
	# shellcheck disable=SC2086 # one letter a level
	same "nest $spec: ps, NS* lines and pidfd fdinfo at every level as n n" \
		"$two" "$(nest $spec)"
done
for spec in "c n c" "n c n" "c c n"; do
	# shellcheck disable=SC2086
	same "nest $spec: ps, NS* lines and pidfd fdinfo at every level as n n n" \
		"$three" "$(nest $spec)"
done
check "nests leave no container" wait_no_containers

# A container init that makes a pid namespace and exits with it: the exit
# finishes (it used to hang in vpid_zap for good) and the container goes.
is "init execs unshare --pid --fork true: exits 0" "0" \
	"$(timeout -k 5 30 "$BIN/ctlw" -x "$(cname)" unshare --pid --fork true; echo $?)"
check "... and its container is gone" wait_no_containers

# The same with tasks left in the namespace: the init's exit kills them.
out=$(timeout -k 5 60 "$BIN/ctlw" -x "$(cname)" bash -c \
	'unshare --pid --fork bash -c "sleep 1000 & sleep 1001 & kill -STOP \$!; wait" &
	 sleep 1; exit 7' 2>&1; echo "exit $?")
is "init exit with a stopped task in a pid namespace inside" "exit 7" "$out"
check "... every task of it is gone with the container" wait_no_containers
check "... no sleep 1000 or 1001 left" sh -c '! pgrep -x sleep -a | grep -q "100[01]"'

# destroy reaches into a pid namespace made inside, whatever state its
# tasks are in (stopped, traced, in a pid namespace of their own).
n=$(cname)
"$BIN/ctlw" -x "$n" unshare --pid --fork bash -c \
	'sleep 1002 & kill -STOP $!; unshare --pid --fork sleep 1003 & wait' &
ipid=$!
wait_for sh -c "pgrep -x sleep -a | grep -q 1003"
is "listed with every task (init, bash, two sleeps, unshare)" "$n 1 $ipid 5" "$(grep "^$n " "$CTL")"
is "destroy a container holding nested pid namespaces" OK "$(ctl "destroy $n")"
wait "$ipid"
is "... its init was killed" 137 "$?"
check "... it goes away" wait_no_containers
check "... no sleep 1002 or 1003 left" sh -c '! pgrep -x sleep -a | grep -q "100[23]"'

# A container made inside a native pid namespace: listed there with that
# namespace's numbers, numbered from 1 inside, gone with its last task.
# shellcheck disable=SC2016 # for the inner shell
out=$(native bash -c '
	"$0/ctlw" -n in bash -c "echo in: \$\$; grep -v \"^#\" /proc/container" &
	wait $!
	grep -vc "^#" /proc/container' "$BIN")
is "container inside a native pid namespace" "in: 1
. 1 1 1
1" "$out"
# shellcheck disable=SC2016 # for the inner shell
out=$(native bash -c '
	"$0/ctlw" -n in sleep 1000 &
	until grep -q "^in " /proc/container; do sleep 0.1; done
	[ "$(grep "^in " /proc/container)" = "in 1 $(pgrep -P $!) 1" ] &&
		echo "init listed as the namespace numbers it"
	echo "destroy in" > /proc/container && wait $!; echo $?' "$BIN")
is "listed inside the namespace with its numbers; destroy from there" \
	"init listed as the namespace numbers it
137" "$out"
check "... it goes away" wait_no_containers

# A task of a native pid namespace sees only containers made within it.
"$BIN/ctlw" -x hostbox sleep 1000 &
hb=$!
wait_for grep -q '^hostbox ' "$CTL"
# shellcheck disable=SC2016 # for the inner shell
out=$(native bash -c 'grep -v "^#" /proc/container; "$0/ctlw" "destroy hostbox"
	"$0/ctlw" "attach hostbox 1"' "$BIN")
is "a native pid namespace does not see or reach a host container" ". 0 1 -
ENOENT
ENOENT" "$out"
ctl "destroy hostbox" > /dev/null
wait "$hb"
check "host container gone" wait_no_containers

# A task of a pid namespace made inside a container is the container's:
# the fork return, kill and wait in the container's numbers reach it.
# shellcheck disable=SC2016 # for the inner shell
prog='sleep 1000 & p=$!; kill -0 $p && echo "alive $p"
	kill -9 $p; wait $p; echo "status $?"; kill -0 $p 2>&1'
same "fork, kill and wait a pid namespace's init from its container" \
	"$(native unshare --pid bash -c "$prog")" \
	"$(invpid unshare --pid bash -c "$prog")"
check "left no container" wait_no_containers

# No unkillable task: a container whose tasks are traced by a host
# debugger (strace, one traced task stopped in a pid namespace inside)
# still dies whole with its init, in bounded time.
n=$(cname)
"$BIN/ctlw" -x "$n" bash -c 'unshare --pid --fork sleep 1004 & sleep 1005 & wait' &
ipid=$!
wait_for sh -c "pgrep -x sleep -a | grep -q 1004"
wait_for sh -c "pgrep -x sleep -a | grep -q 1005"
t1=$(pgrep -f "^sleep 1004")
t2=$(pgrep -f "^sleep 1005")
timeout -k 5 60 strace -o /dev/null -p "$t1" -p "$t2" &
tracer=$!
wait_for sh -c "grep -q '^TracerPid:[[:space:]]*$tracer\$' /proc/$t1/status"
kill -STOP "$t1"
kill -KILL "$ipid"
wait "$ipid"
is "init killed from the host while its tasks are traced and stopped" 137 "$?"
check "... the container goes" wait_no_containers
check "... the traced tasks are gone" sh -c "! kill -0 $t1 2>/dev/null && ! kill -0 $t2 2>/dev/null"
wait "$tracer"
check "... and the tracer ends" true
