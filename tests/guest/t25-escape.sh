# shellcheck shell=bash
# Escape matrix (issue 5): from inside a container, every pid-taking call
# (tests/src/escape.c) with pids of (a) live host tasks, (b) a sibling
# container's tasks (their vpids and host pids), (c) the parent container's
# tasks as a caller in a nested child container would know them (their vpids
# in the parent, the caller's own number there, their host pids), must fail
# exactly like an invisible pid in a native pid namespace.  The oracle is
# the same tree built of native pid namespaces in the same boot.
#
# Each caller (escape) is vpid/pid 1 of its container and alone in it while
# it goes through the list (its control child is forked after), so no number
# > 1 can be valid in its view by chance; escape refuses pid <= 1.

E25D=/tmp/e25
e25t0=$SECONDS
rm -rf "$E25D"
mkdir -p "$E25D"

# (a) host tasks, process group leaders (setsid execs: $! is the sleep).
# The first is reniced and in the realtime io class: a PRIO_USER /
# IOPRIO_WHO_USER scan from inside that saw it would report it, a set would
# change it.
setsid nice -n -10 ionice -c 1 -n 0 sleep 2501 &
e25h1=$!
setsid sleep 2501 &
e25h2=$!

# Bash builtins only from here on: every exec is slow in the guest (its
# binaries come over uncached 9p), and pgrep took 40 s for this file.
# e25_status PID: E25NS = its NSpid numbers (host first), E25PP = PPid
e25_status() {
	local k v
	E25NS=() E25PP=
	{ while read -r k v; do
		case $k in
		PPid:) E25PP=$v ;;
		NSpid:) read -ra E25NS <<<"$v" ;;
		esac
	done <"/proc/$1/status"; } 2>/dev/null
	[ -n "$E25PP" ]
}
e25_comm() { E25C=; { read -r E25C <"/proc/$1/comm"; } 2>/dev/null; }
# e25_kids PID: E25K = its children
e25_kids() {
	local t x
	E25K=()
	for t in /proc/"$1"/task/*/children; do
		x=()
		{ read -ra x <"$t"; } 2>/dev/null
		E25K+=("${x[@]}")
	done
}
# e25_init PID COMM: E25I = the first task at or below PID (down the first
# children: subshell, timeout, unshare) that is in a container or pid
# namespace and runs COMM
e25_init() {
	local p=$1 i
	for i in 1 2 3 4 5; do
		e25_status "$p" || return 1
		if [ ${#E25NS[@]} -ge 2 ]; then
			e25_comm "$p"
			[ "$E25C" = "$2" ] && E25I=$p
			return
		fi
		e25_kids "$p"
		p=${E25K[0]}
		[ -n "$p" ] || return 1
	done
	return 1
}
# e25_sleeps INIT: E25S = its two sleep children, E25X = its ctlw child
e25_sleeps() {
	local c
	E25S=() E25X=
	e25_kids "$1"
	for c in "${E25K[@]}"; do
		e25_comm "$c"
		case $E25C in
		sleep) E25S+=("$c") ;;
		ctlw) E25X=$c ;;
		esac
	done
	[ ${#E25S[@]} = 2 ]
}
# e25_inner PID: its innermost number.  A read of a live task's status came
# back empty once under load (a fresh-clone run, 6.12): retry as for the
# kid below, and say so on stderr.
e25_inner() {
	local n
	for n in {1..50}; do
		e25_status "$1" && [ ${#E25NS[@]} -ge 1 ] && break
		sleep 0.1
	done
	[ "$n" = 1 ] || echo "e25: status of $1 read $n times" >&2
	echo "${E25NS[-1]}"
}

# e25_world n|v: build the tree as native pid namespaces (n) or vpid
# containers (v), run both callers, leave their outputs in $E25D/{me,kid}$1.out
e25_world() {
	local m=$1 kidenter sj pj mj s1 s2 p1 p2 meh kid kctl sibh1 parh1 i
	if [ "$m" = n ]; then
		e25_enter() { shift; timeout -k 5 60 unshare --pid --fork "$@"; }
		kidenter="$BIN/ctlw -n native"
	else
		e25_enter() { timeout -k 5 60 "$BIN/ctlw" -x "$@"; }
		kidenter="$BIN/ctlw -n e25kid"
	fi
	# (b) a sibling container: init bash (vpid 1), two group leaders
	e25_enter "e25sib$m" bash -c "setsid sleep 2510 & setsid sleep 2510 & wait" &
	sj=$!
	# (c) a parent container (init bash, vpid 1) with two group leaders
	# and a nested child container (made by ctlw, vpid 4, whose child, vpid
	# 5, is the caller: vpid 1 of the child container)
	e25_enter "e25par$m" bash -c "setsid sleep 2520 & setsid sleep 2520 &
		$kidenter $BIN/escape -f $E25D/kid$m.args; exit" >"$E25D/kid$m.out" 2>&1 &
	pj=$!
	# a top-level caller, sibling of both
	e25_enter "e25me$m" "$BIN/escape" -f "$E25D/me$m.args" >"$E25D/me$m.out" 2>&1 &
	mj=$!
	for i in {1..150}; do
		e25_init "$sj" bash && sibh1=$E25I && e25_sleeps "$sibh1" &&
			s1=${E25S[0]} s2=${E25S[1]} &&
			e25_init "$pj" bash && parh1=$E25I && e25_sleeps "$parh1" &&
			p1=${E25S[0]} p2=${E25S[1]} kctl=$E25X && [ -n "$kctl" ] &&
			e25_kids "$kctl" && kid=${E25K[0]} && [ -n "$kid" ] &&
			e25_comm "$kid" && [ "$E25C" = escape ] &&
			e25_init "$mj" escape && meh=$E25I && break
		sleep 0.1
	done
	# (one read of the kid's status once came back empty under load: retry)
	for _ in {1..50}; do
		e25_status "$kid" && [ ${#E25NS[@]} -ge 2 ] && break
		sleep 0.1
	done
	echo "e25 $m (after $i polls): sib $sibh1 $s1 $s2 par $parh1 $p1 $p2" \
		"ctlw $kctl me $meh kid $kid (${E25NS[*]})" >&2
	[ "$i" != 150 ] || not_ok "escape tree ($m) built"
	echo "host1=$e25h1 host2=$e25h2 hostsh=$$ selfh=$meh" \
		"sibv2=$(e25_inner "$s1") sibv3=$(e25_inner "$s2")" \
		"sibh1=$sibh1 sibh2=$s1 sibh3=$s2 parh1=$parh1 parh2=$p1" \
		>"$E25D/me$m.tmp"
	mv "$E25D/me$m.tmp" "$E25D/me$m.args"
	echo "host1=$e25h1 host2=$e25h2 hostsh=$$ selfh=$kid selfp=${E25NS[1]}" \
		"parv2=$(e25_inner "$p1") parv3=$(e25_inner "$p2")" \
		"parv4=$(e25_inner "$kctl")" \
		"parh1=$parh1 parh2=$p1 parh3=$p2" \
		"sibv2=$(e25_inner "$s1") sibh1=$sibh1 sibh2=$s1" \
		>"$E25D/kid$m.tmp"
	mv "$E25D/kid$m.tmp" "$E25D/kid$m.args"
	wait "$mj" "$pj"
	kill "$s1" "$s2" 2>/dev/null
	wait "$sj"
}

# What a native caller gets for an invisible pid, per call.
e25_expect() {
	local l c
	echo "kill-all -1 ESRCH"
	for l in "$@"; do
		for c in kill kill-pgrp tkill tgkill rt_sigqueueinfo \
			rt_tgsigqueueinfo getpgid getsid setpgid \
			sched_getaffinity sched_setaffinity sched_getscheduler \
			sched_getparam sched_setscheduler sched_rr_get_interval \
			getpriority-process setpriority-process getpriority-pgrp \
			setpriority-pgrp ioprio_get-process ioprio_set-process \
			ioprio_get-pgrp ioprio_set-pgrp prlimit64 pidfd_open \
			process_vm_readv kcmp ptrace-attach ptrace-seize; do
			echo "$c $l ESRCH"
		done
		for c in waitid-pid waitid-pgid wait4 wait4-pgrp; do
			echo "$c $l ECHILD"
		done
	done
}
# the lines of one output about the given labels (and kill -1)
e25_pick() {
	local out=$1 a b c d l
	local -A want=([-1]=1)
	shift
	for l; do want[$l]=1; done
	while read -r a b c d; do
		[ -n "$c" ] && [ -z "$d" ] && [ -n "${want[$b]}" ] && echo "$a $b $c"
	done <<<"$out"
}
# the control lines that did not succeed
e25_failed_control() {
	local a b c d
	while read -r a b c d; do
		[ "$b" = child ] && [ "$c" != OK ] && echo "$a $b $c $d"
	done <<<"$1"
}

e25_world n
e25_world v
e25_melabels="host1 host2 hostsh selfh sibv2 sibv3 sibh1 sibh2 sibh3 parh1 parh2"
e25_kidlabels="host1 host2 hostsh selfh selfp parv2 parv3 parv4 parh1 parh2 parh3 sibv2 sibh1 sibh2"
for e25c in me kid; do
	e25n=$(<"$E25D/${e25c}n.out")
	e25v=$(<"$E25D/${e25c}v.out")
	if [ "$e25c" = me ]; then e25l=$e25_melabels; else e25l=$e25_kidlabels; fi
	# shellcheck disable=SC2086 # a list of labels
	is "escape ($e25c): native pidns gives the invisible-pid errnos" \
		"$(e25_expect $e25l)" "$(e25_pick "$e25n" $e25l)"
	case $e25n in *"child reaped Killed"*)
		ok "escape ($e25c): native run complete" ;;
	*)	not_ok "escape ($e25c): native run complete"; echo "$e25n" | tail -5 | diag ;;
	esac
	same "escape ($e25c): vpid container vs native pidns, every call and pid" \
		"$e25n" "$e25v"
	is "escape ($e25c): the control calls on a visible child all succeed" "" \
		"$(e25_failed_control "$e25v")"
done
read -ra e25st <"/proc/$e25h1/stat"
is "escape: PRIO_USER / IOPRIO_WHO_USER sets from inside left the host task alone" \
	"-10 realtime: prio 0" "${e25st[18]} $(ionice -p "$e25h1")"
kill "$e25h1" "$e25h2" 2>/dev/null
wait "$e25h1" "$e25h2" 2>/dev/null
check "escape containers all gone" wait_no_containers

# rt_sigqueueinfo() lets a task write kernel-only codes (SIGCHLD's
# CLD_EXITED to itself, SI_MESGQ): a forged si_pid naming a container
# task's host pid must not come back as that task's vpid (a host pid ->
# vpid oracle).  Natively a task's own signal comes back as it wrote it.
e25d=$(mktemp -d /tmp/e25sig.XXXXXX)
e25w='sleep 1006 & echo $! > "$0/v"
	until [ -s "$0/h" ]; do sleep 0.1; done; read -r h < "$0/h"
	echo "$(python3 "$1" chld "$h") $(python3 "$1" mesgq "$h")" > "$0/out"
	kill $!'
e25f=${VPID_REPO:-$PWD}/tests/src/forgesig.py
# e25forged WRAPPER...: run the world under WRAPPER, tell it the sleep's
# host pid, print it and what the forged signals read
e25forged() {
	rm -f "$e25d/v" "$e25d/h" "$e25d/out"
	"$@" bash -c "$e25w" "$e25d" "$e25f" &
	local c=$!
	wait_for test -s "$e25d/v"
	wait_for pgrep -fx "sleep 1006" >/dev/null
	pgrep -fx "sleep 1006" > "$e25d/h"
	wait "$c"
	echo "$(<"$e25d/h") $(<"$e25d/out")"
}
read -r e25h1 e25a1 e25b1 <<< "$(e25forged unshare --pid --fork)"
read -r e25h2 e25a2 e25b2 <<< "$(e25forged "$BIN/ctlw" -x "$(cname)")"
is "a forged SIGCHLD / SI_MESGQ si_pid to itself comes back as written, natively" \
	"$e25h1 $e25h1" "$e25a1 $e25b1"
is "... and in a container: as written, never the task's vpid" \
	"$e25h2 $e25h2" "$e25a2 $e25b2"
rm -rf "$e25d"
check "forged-siginfo container gone" wait_no_containers
echo "e25: t25 took $((SECONDS - e25t0)) s" >&2
