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

# An init's parent that moved itself below the init's container and became
# an init there: both exit, and neither's exit waits for the other (the
# parent's child C is outside the parent's container).
n1=$(cname)a n2=$(cname)b
timeout -k 5 60 bash -c "sh -c 'echo $n1 > $CTL; exec sleep 3' &
	until grep -q '^$n1 ' $CTL; do sleep 0.1; done
	echo \"attach $n1 \$\$\" > $CTL && echo $n2 > $CTL && exit 7"
is "init of a container nested in its child's container exits" 7 "$?"
check "both containers are gone" wait_for sh -c "[ \$(grep -vc '^[#.]' $CTL) = 0 ]"

# A container init may go deeper into its container but not out of it.
n1=$(cname)a n2=$(cname)b
"$BIN/ctlw" -x "$n1" sleep 300 >/dev/null 2>&1 &
p1=$!
"$BIN/ctlw" -x "$n2" sleep 300 >/dev/null 2>&1 &
p2=$!
wait_for sh -c "[ \$(grep -vc '^[#.]' $CTL) = 2 ]"
is "attaching a container init to another container is EBUSY" EBUSY "$(ctl "attach $n2 $p1")"
kill -KILL "$p1" "$p2"
wait "$p1" "$p2" 2>/dev/null
check "and both containers go with their inits" wait_no_containers

# An init that created a nested container (and so moved into it) is still
# the init of the outer one: its exit kills the outer container's tasks.
invpid sh -c "sleep 301 & echo sub > $CTL && exit 0" >/dev/null
check "an init's exit from a nested container kills the outer one's tasks" \
	wait_for sh -c '! pgrep -f "^sleep 301" >/dev/null'
pkill -KILL -f '^sleep 301'
check "and the outer container is gone" wait_no_containers

# CLONE_PARENT from a container init is EINVAL, as from a pid-namespace init
cp='import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
r = libc.syscall(56, 0x8000 | 17, 0, 0, 0, 0)
if r == 0:
    os._exit(0)
print("EINVAL" if r < 0 and ctypes.get_errno() == 22 else "created")'
same "CLONE_PARENT from the init" "$(native python3 -c "$cp")" "$(invpid python3 -c "$cp")"
is "CLONE_PARENT from the init is EINVAL" EINVAL "$(invpid python3 -c "$cp")"

# reboot() inside ends the container (init killed by SIGHUP or SIGINT, the
# caller exits 0), never the machine; other commands are EINVAL.
rb='import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
r = libc.syscall(169, 0xfee1dead, 672274793, int(sys.argv[1], 0), 0)
print(r, ctypes.get_errno())'
rbt() {
	local run=native
	[ "$1" = vpid ] && run=invpid
	$run sh -c "python3 -c '$rb' $2; echo after"
	echo "rc=$?"
}
for c in 0x1234567 0xcdef0123 0x89abcdef; do
	same "reboot($c) from a task inside" "$(rbt native $c)" "$(rbt vpid $c)"
done
is "reboot(RESTART) inside: the init is killed by SIGHUP" "rc=129" "$(rbt vpid 0x1234567)"
# an init that went deeper (created a nested container): reboot() in the
# inner one kills it, and the outer container's end carries the status
rbdeep=$(timeout -k 5 120 "$BIN/ctlw" -x t50rbo sh -c \
	"echo t50rbi > /proc/container && python3 -c '$rb' 0xcdef0123; echo after" 2>&1
	echo "rc=$?")
is "reboot(POWER_OFF) under an init gone deeper: killed by SIGINT" "rc=130" "$rbdeep"
check "no container left after reboot()" wait_no_containers

# A fault kills the init (the kernel's forced SIGSEGV clears its
# protection), as natively; it must not loop on the faulting instruction.
segv='import ctypes; ctypes.string_at(0)'
segvt() { if [ "$1" = native ]; then native python3 -c "$segv"; else invpid python3 -c "$segv"; fi; echo "rc=$?"; }
same "a segfaulting init dies of SIGSEGV" "$(segvt native)" "$(segvt vpid)"

# PR_GET_CHILD_SUBREAPER in the init reads what it set (vpid makes the init a
# subreaper behind its back); orphans come to it even with the flag cleared.
n=$(native /usr/bin/python3 tests/guest/subreaper.py)
v=$(invpid /usr/bin/python3 tests/guest/subreaper.py)
same "init: PR_SET/GET_CHILD_SUBREAPER and orphans (native vs vpid)" "$n" "$v"
is "init: subreaper flag as natively" "pid=1 get=0:0 set1=0 get=0:1 set0=0 get=0:0 orphan ppid=1" "$v"
