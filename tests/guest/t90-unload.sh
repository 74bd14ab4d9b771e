# shellcheck shell=bash
# Module life: hooks only while a container exists, rmmod refused while one
# exists, and afterwards nothing left behind.  Runs last.

EF=/sys/kernel/tracing/enabled_functions
hooked() { grep -cE '^(pid_vnr|__task_pid_nr_ns|alloc_pid|free_pid|__send_signal_locked|exit_task_namespaces)\b' $EF; }

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
check "no /sys/kernel/debug/vpid after rmmod" test ! -e /sys/kernel/debug/vpid
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

	# Load/unload under load (issue 9): the host forks throughout; each
	# cycle runs a forking workload in a container, checks that rmmod is
	# refused while it lives, kills it and unloads.  Only with T90_CYCLES
	# set (make stress: 50).
	n=${T90_CYCLES:-0}
	if [ "$n" -gt 0 ]; then
		rm -f /tmp/t90.stop
		sh -c 'while [ ! -e /tmp/t90.stop ]; do /bin/true; done' &
		forker=$!
		cycles=0 refused=0
		for i in $(seq "$n"); do
			insmod "$VPID_MODULE" || break
			"$BIN/ctlw" -x "cyc$i" sh -c 'while :; do /bin/true; done' &
			w=$!
			wait_for grep -q "^cyc$i " $CTL || break
			rmmod vpid 2>/dev/null || refused=$((refused + 1))
			kill -KILL $w
			wait $w 2>/dev/null
			wait_no_containers && wait_for rmmod vpid || break
			cycles=$i
		done
		touch /tmp/t90.stop
		wait $forker
		is "$n load/unload cycles with forking workloads inside and on the host" "$n" "$cycles"
		is "rmmod refused while the container lived, every cycle" "$n" "$refused"
		is "no vpid hook after the cycles" 0 "$(hooked)"
	fi
	insmod "$VPID_MODULE"
	check "reloaded module works" sh -c "[ \$($BIN/ctlw -x last sh -c 'echo \$\$') = 1 ]"
fi
