# shellcheck shell=bash
# A proc mounted inside a container is the container's view (issue 6), side
# by side with `unshare --pid --fork --mount-proc`; escapes through /proc;
# the host's /proc keeps the host view with every level in NS* lines.

# The same tree in both worlds; the whole of /proc and procps must agree.
n=$(timeout -k 5 120 unshare --pid --fork --mount-proc \
	bash tests/guest/proctree.sh native 2>&1)
name=p65tree
v=$(timeout -k 5 120 "$BIN/ctlw" -x "$name" unshare --mount --mount-proc \
	bash tests/guest/proctree.sh "${name}n" 2>&1)
case $n in *"--- end"*) ok "proc tree built in a native pidns" ;;
	*) not_ok "proc tree built in a native pidns"; echo "$n" | diag ;; esac
same "/proc, status, stat, children, ps, pgrep, pidof, pstree, top, kill: native vs vpid" "$n" "$v"
wait_no_containers
check "containers gone after the proc tree" test "$(nr_containers)" = 0

# Escape: host tasks are not in a container's /proc, by pid or by tid.
sleep 300 &
hp=$!
"$BIN/ctlw" -t 1 300 &
ht=$!
# its second thread, once it has exec'd ctlw and started it, in $htid
second_thread() {
	local t
	for t in /proc/"$ht"/task/*; do
		[ "${t##*/}" != "$ht" ] && htid=${t##*/} && return 0
	done
	return 1
}
htid=
wait_for second_thread
check "a host task with a second thread to look for" test -n "$htid"
esc=$(timeout -k 5 60 "$BIN/ctlw" -x "$(cname)" unshare --mount --mount-proc bash -c "
	for x in $hp $ht $htid $$ 1; do
		[ -e /proc/\$x ] && echo \"/proc/\$x visible\"
		[ -e /proc/\$x/task/\$x ] && echo \"/proc/\$x/task/\$x visible\"
	done
	[ -e /proc/$ht/task/$htid ] && echo 'host tid under pid visible'
	for d in /proc/[0-9]*; do
		case \${d#/proc/} in $hp|$ht|$htid|$$) echo \"readdir \$d\" ;; esac
	done
	echo done" 2>&1)
# vpid 1 is the container's own init and must be visible
is "host pids and tids are ENOENT in a container's /proc" \
	"/proc/1 visible
/proc/1/task/1 visible
done" "$esc"

# A sibling container's tasks are not visible either (by their vpid or host
# pid); the host's /proc still shows everything.
sib=p65sib
me=p65me
"$BIN/ctlw" -x "$sib" sleep 300 &
sp=$!
# (ctlw creates the container, then execs sleep)
wait_for grep -qx sleep "/proc/$sp/comm"
out=$(timeout -k 5 60 "$BIN/ctlw" -x "$me" unshare --mount --mount-proc bash -c "
	[ -e /proc/$sp ] && echo 'sibling host pid visible'
	n=0; for d in /proc/[0-9]*; do n=\$((n + 1)); done; echo \"\$n entries\"
	readlink /proc/self; readlink /proc/thread-self" 2>&1)
# (the first readlink is a child, vpid 2; bash execs the last one itself)
is "a container sees only itself (not a sibling container)" "1 entries
2
1/task/1" "$out"
check "the host /proc still lists the container tasks" test -d "/proc/$sp"
hostpid_in_sib=$(awk '/^NSpid:/ {print $2, $3}' "/proc/$sp/status")
is "host /proc: NSpid of a container init lists host pid and vpid" "$sp 1" "$hostpid_in_sib"

# NS* lines of nested container tasks as the outer container's /proc shows
# them (two columns), against a native nested pid namespace.
outer=p65outer
nn=$(timeout -k 5 60 unshare --pid --fork --mount-proc \
	bash tests/guest/proctree.sh nest native 2>&1)
vn=$(timeout -k 5 60 "$BIN/ctlw" -x "$outer" unshare --mount --mount-proc \
	bash tests/guest/proctree.sh nest "${outer}x" 2>&1)
same "NS* lines of a nested container's tasks in the outer /proc" "$nn" "$vn"
is "NS* lines: one column per level from the mount's down" "3,1;3,1;0,0;0,0;
4,2;4,2;0,0;0,0;" "$vn"
kill -KILL $hp $ht $sp 2>/dev/null
wait $hp $ht $sp 2>/dev/null
wait_no_containers
check "no container left after the /proc tests" test "$(nr_containers)" = 0
