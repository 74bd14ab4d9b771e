# shellcheck shell=bash
# PIDFD_GET_INFO (later kernels: pid, tgid, ppid of a pidfd's task in the
# caller's numbers, or its exit status once reaped), in a container vs a
# native pid namespace.  A pidfd of a task outside (inherited from the
# host) is EREMOTE in both; in a container the kernel would have looped
# for good on it (tests/src/pidinfo.c).

"$BIN/pidinfo" $$ >/dev/null
if [ $? = 3 ]; then
	ok "# SKIP no PIDFD_GET_INFO on $(uname -r)"
	return 0 2>/dev/null || exit 0
fi

# fd 9: a pidfd of a host task, inherited by the world's first process
wrap='import os, sys
os.dup2(os.pidfd_open(int(sys.argv[1])), 9)
os.execvp(sys.argv[2], sys.argv[2:])'
world='sleep 100 >/dev/null 2>&1 &
s=$!
"$BIN/pidinfo" $s
"$BIN/pidinfo" $$
"$BIN/pidinfo" --exited
timeout -k 5 30 "$BIN/pidinfo" --fd 9
kill $s
wait
echo end'
sleep 300 >/dev/null 2>&1 &
hp=$!
n=$(BIN=$BIN timeout -k 5 120 python3 -c "$wrap" "$hp" \
	unshare --pid --fork bash -c "$world" 2>&1)
v=$(BIN=$BIN timeout -k 5 120 python3 -c "$wrap" "$hp" \
	"$BIN/ctlw" -x p68 bash -c "$world" 2>&1)
is "PIDFD_GET_INFO in a native pid namespace" "pid 2 tgid 2 ppid 1
pid 1 tgid 1 ppid 0
exit 1792
error EREMOTE
end" "$n"
same "PIDFD_GET_INFO: a child, itself, a reaped child, a host task: native vs vpid" "$n" "$v"
kill "$hp"
wait "$hp" 2>/dev/null
wait_no_containers
check "containers gone" test "$(nr_containers)" = 0
