# shellcheck shell=bash
# The container init seen from outside, and its exit (zap), side by side
# with a native pid namespace.

# nsinit MODE: start `sleep 300` as pid 1 (native pidns or vpid container);
# its host pid goes to $p.
nsinit() {
	if [ "$1" = native ]; then
		unshare --pid --fork sleep 300 >/dev/null 2>&1 &
		local u=$!
		wait_for pgrep -P $u >/dev/null
		p=$(pgrep -P $u)
	else
		"$BIN/ctlw" -x "$(cname)" sleep 300 >/dev/null 2>&1 &
		p=$!
		wait_for sh -c "[ \$(grep -c '^t' $CTL) -gt 0 ]"
	fi
}

for mode in native vpid; do
	nsinit $mode
	kill -TERM "$p"; sleep 0.3
	r1=$(kill -0 "$p" 2>/dev/null && echo alive || echo dead)
	kill -KILL "$p"
	wait_for sh -c "! kill -0 $p 2>/dev/null"
	r2=$(kill -0 "$p" 2>/dev/null && echo alive || echo dead)
	eval "init_$mode='TERM:$r1 KILL:$r2'"
done
same "host signals to the init: SIGTERM ignored, SIGKILL kills" "$init_native" "$init_vpid"
is "host SIGKILL reaches the init" "TERM:alive KILL:dead" "$init_vpid"
wait 2>/dev/null

# sigwait: a signal from the host arrives with si_pid 0
sigfrom() {
	local out=/tmp/sigwait.$1 p i
	rm -f "$out"
	if [ "$1" = native ]; then
		native "$BIN/scen" sigwait > "$out" &
	else
		invpid "$BIN/scen" sigwait > "$out" &
	fi
	wait_for grep -q ready "$out"
	p=$(pgrep -n -x scen)
	kill -USR1 "$p"
	wait
	cat "$out"
}
same "signal from the host has si_pid 0" "$(sigfrom native)" "$(sigfrom vpid)"

# zap: the init exits with 100 descendants in three levels
for mode in native vpid; do
	if [ $mode = native ]; then native "$BIN/scen" zap >/dev/null; else invpid "$BIN/scen" zap >/dev/null; fi
	eval "zap_$mode=$(pgrep -c -x zapvictim)"
	pkill -KILL -x zapvictim
done
is "native: init exit leaves no task behind" 0 "$zap_native"
is "vpid: init exit leaves no task behind" 0 "$zap_vpid"
check "zapped container gone" wait_no_containers
