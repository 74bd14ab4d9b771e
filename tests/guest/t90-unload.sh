# shellcheck shell=bash
# Module life: hooks only while a container exists and hooks_linger_ms
# after the last one, rmmod refused while one exists, and afterwards nothing
# left behind.  Runs last.
# vpid-timeout: 600 + 30 * T90_CYCLES

EF=/sys/kernel/tracing/enabled_functions
ST=/sys/kernel/debug/vpid/stats
LINGER=/sys/module/vpid/parameters/hooks_linger_ms
hooked() { grep -cE '^(pid_vnr|__task_pid_nr_ns|alloc_pid|free_pid|__send_signal_locked|exit_task_namespaces|exit_nsproxy_namespaces)\b' $EF; }
no_hook() { [ "$(hooked)" = 0 ]; }
ms() { echo $(($(date +%s%N) / 1000000)); }

check "no container: no hook installed (after the linger)" wait_long no_hook
is "stats: hooks_installed 0" "hooks_installed 0" "$(grep '^hooks_installed ' $ST)"
"$BIN/ctlw" -x bye sleep 300 &
holder=$!
wait_for grep -q '^bye ' $CTL
is "a container: every hook installed" 6 "$(hooked)"
check "rmmod refused while a container exists" sh -c '! rmmod vpid 2>/dev/null'
check "module still loaded" test -e $CTL
t90_linger=$(cat $LINGER)
is "hooks_linger_ms defaults to 2000" 2000 "$t90_linger"
echo 30000 > $LINGER
kill -KILL $holder; wait $holder 2>/dev/null
check "container gone" wait_no_containers
is "the hooks linger after the last container" 6 "$(hooked)"
is "stats: hooks_installed 1 during the linger" "hooks_installed 1" "$(grep '^hooks_installed ' $ST)"
echo "$t90_linger" > $LINGER
t0=$(ms)
check "a create during the linger" "$BIN/ctlw" -x linger true
t90_ms=$(($(ms) - t0))
if [ "$t90_ms" -lt 4000 ]; then
	ok "it waited for no hook removal (create + exit: $t90_ms ms)"
else
	not_ok "it waited for no hook removal (create + exit: $t90_ms ms)"
fi
check "its container gone" wait_no_containers
check "hooks removed once no container is left (after the linger)" wait_long no_hook
is "stats: hooks_installed 0 again" "hooks_installed 0" "$(grep '^hooks_installed ' $ST)"
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

	# rmmod during the linger takes the hooks out itself
	insmod "$VPID_MODULE" hooks_linger_ms=600000 && "$BIN/ctlw" -x lingering true
	wait_no_containers
	is "insmod hooks_linger_ms=600000, container gone: hooks lingering" 6 "$(hooked)"
	check "rmmod during the linger" wait_for rmmod vpid
	is "rmmod took the lingering hooks out" 0 "$(hooked)"
	check "and nothing of vpid is left in kallsyms" sh -c '! grep -q "\[vpid\]" /proc/kallsyms'

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
