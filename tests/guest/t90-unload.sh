# shellcheck shell=bash
# Module life: hooks only while a container exists, rmmod refused while one
# exists, and afterwards nothing left behind.  Runs last.

EF=/sys/kernel/tracing/enabled_functions
hooked() { grep -cE '^(pid_vnr|__task_pid_nr_ns|alloc_pid|free_pid|__send_signal_locked|do_exit)\b' $EF; }

check "no container: no hook installed" wait_for sh -c "[ \$(grep -cE '^(pid_vnr|alloc_pid|free_pid)\\b' $EF) = 0 ]"
"$BIN/ctlw" -x bye sleep 300 &
holder=$!
wait_for grep -q '^bye ' $CTL
is "a container: every hook installed" 6 "$(hooked)"
check "rmmod refused while a container exists" sh -c '! rmmod vpid 2>/dev/null'
check "module still loaded" test -e $CTL
kill -KILL $holder; wait $holder 2>/dev/null
check "container gone" wait_no_containers
check "hooks removed once no container is left" wait_for sh -c "[ \$(grep -cE '^(pid_vnr|alloc_pid|free_pid)\\b' $EF) = 0 ]"
check "rmmod succeeds" wait_for rmmod vpid
check "no /proc/container after rmmod" test ! -e $CTL
is "no vpid hook after rmmod" 0 "$(hooked)"
check "no vpid symbol left in kallsyms" sh -c '! grep -q "\[vpid\]" /proc/kallsyms'
if [ -n "${VPID_MODULE-}" ]; then
	cycles=0
	for i in 1 2 3; do
		insmod "$VPID_MODULE" && "$BIN/ctlw" -x "again$i" true && wait_no_containers &&
			wait_for rmmod vpid || break
		cycles=$i
	done
	is "insmod, container, rmmod three more times" 3 "$cycles"
	insmod "$VPID_MODULE"
	check "reloaded module works" sh -c "[ \$($BIN/ctlw -x last sh -c 'echo \$\$') = 1 ]"
fi
