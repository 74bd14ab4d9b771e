#!/bin/bash
# Run as pid 1 of a native pid namespace with its own /proc (MODE native)
# or as vpid 1 of a container with its own /proc (MODE = a name for the
# nested container): builds the same process tree, then prints what /proc
# and procps show of it.  Both outputs must be identical (t65-proc.sh).
#   proctree.sh MODE
# The tree: a process with 2 threads, a zombie, a stopped task, a session
# 3 levels deep, an orphan, and a nested container (pid namespace) with 2
# tasks.  Only builtins run while /proc is read, so no transient process
# shows up in the listing; ps, top and pgrep run alone (their output
# captured, then filtered), so they see only the tree and themselves.
# Only deterministic fields are printed: a scheduler state is a sample (a
# task may still be running on its way to sleep, or be woken), so R, S and
# D print as "-" in stat, status, ps and top; Z (the zombie) and T (the
# stopped task, waited for) stay.  No CPU times or percentages.
BIN=${VPID_REPO:-$PWD}/tests/bin
mode=$1

# Builtins only (a fork would take a pid number and race with the tree).
kids=()
until_kids() { # PID N: until PID has N children; they go to ${kids[@]}
	local c
	while :; do
		c=
		read -r c < "/proc/$1/task/$1/children"
		read -ra kids <<<"$c"
		[ ${#kids[@]} -ge "$2" ] && return
	done
}
until_threads() { # PID N
	local t
	while :; do
		t=(/proc/"$1"/task/*)
		[ ${#t[@]} -ge "$2" ] && return
	done
}
until_state() { # PID STATE
	local st f
	while :; do
		read -r st < "/proc/$1/stat"
		read -ra f <<<"${st##*) }"
		[ "${f[0]}" = "$2" ] && return
	done
}

# dstate STATE: STATE (or ps's STAT) with R, S or D as "-", in $ds
dstate() {
	case $1 in R* | S* | D*) ds=-${1:1} ;; *) ds=$1 ;; esac
}

until_comm() { # PID COMM: until PID has exec'd COMM
	local c
	while :; do
		read -r c < "/proc/$1/comm"
		[ "$c" = "$2" ] && return
	done
}

# nested NAME|native: a child that is pid 1 of a nested container (or pid
# namespace) with a child of its own, both `sleep` once this returns
nested() {
	"$BIN/ctlw" -n "$1" bash -c 'sleep 300 & exec sleep 301' &
	until_kids $! 1
	init=${kids[0]}
	until_kids "$init" 1
	until_comm "$init" sleep
	until_comm "${kids[0]}" sleep
}

if [ "$mode" = nest ]; then
	# proctree.sh nest NAME|native: NS* lines of a nested container's
	# tasks as this (outer) level's /proc shows them
	nested "$2"
	for p in /proc/[0-9]*; do
		read -r c < "$p/comm"
		[ "$c" = sleep ] || continue
		mapfile -t lines < "$p/status"	# one read: lines stay whole
		for l in "${lines[@]}"; do
			case $l in NStgid:*|NSpid:*|NSpgid:*|NSsid:*)
				v=${l#*:$'\t'}; echo -n "${v//$'\t'/,};" ;;
			esac
		done
		echo
	done
	exit 0
fi

"$BIN/ctlw" -t 2 300 &
until_threads $! 3
bash -c 'sleep 0.1 & exec sleep 300' &
until_kids $! 1
until_state "${kids[0]}" Z
sleep 300 &
stopped=$!
until_comm $stopped sleep	# stop it after its exec, not before
kill -STOP $stopped
until_state $stopped T
setsid bash -c 'bash -c "sleep 300; :" & wait' &
until_kids $! 1
until_kids "${kids[0]}" 1
bash -c '(sleep 300 &); :'
nested "$mode"
# until every fork has exec'd: only this shell and the two of the session
# are still bash (a child between fork and exec reads as bash too)
while :; do
	n=0
	for p in /proc/[0-9]*; do
		read -r c < "$p/comm" 2>/dev/null || continue
		case $c in bash|setsid) n=$((n + 1)) ;; esac
	done
	[ $n -le 3 ] && break
done

echo "self $(readlink /proc/self) $(readlink /proc/thread-self)"
# in numeric order, without a fork: the indices of a sparse array
# (no process substitution either: the guest has no /dev/fd)
declare -a byn=()
for d in /proc/[0-9]*; do byn[${d#/proc/}]=1; done
pids=("${!byn[@]}")
echo "pids ${pids[*]}"
for p in "${pids[@]}"; do
	[ -d "/proc/$p" ] || continue
	for t in /proc/"$p"/task/*; do
		read -r st < "$t/stat" 2>/dev/null || continue
		read -ra f <<<"${st##*) }"
		dstate "${f[0]}"
		echo "stat $p ${t##*/} ${st%% *} state=$ds ppid=${f[1]} pgrp=${f[2]} sid=${f[3]} tpgid=${f[5]} threads=${f[17]}"
		s=
		mapfile -t lines < "$t/status"	# one read: lines stay whole
		for l in "${lines[@]}"; do
			case $l in
			State:*)	# "State:<tab>S (sleeping)": the letter
				l=${l#State:$'\t'}
				dstate "${l%% *}"
				s="$s State: $ds" ;;
			Tgid:*|Pid:*|PPid:*|TracerPid:*|NStgid:*|NSpid:*|NSpgid:*|NSsid:*)
				s="$s ${l//$'\t'/ }" ;;
			esac
		done
		echo "status $p ${t##*/}$s"
		read -r c < "$t/children"
		echo "children $p ${t##*/} $c"
	done
done
# (the later commands of a pipeline would be in the listing, as bash or as
# themselves depending on how far their exec got: capture, then filter)
echo "--- ps"
out=$(ps -eo pid,ppid,pgid,sid,tpgid,stat,nlwp,comm)
while read -r a b c d e st g h; do
	dstate "$st"
	[ "$a" = PID ] && ds=$st	# the header
	echo "$a $b $c $d $e $ds $g $h"
done <<<"$out"
echo "--- ps -eLf"
ps -eLo pid,lwp,ppid,nlwp,comm
echo "--- pgrep"
pgrep -l sleep
out=$(pgrep -P 1)
echo "${out//$'\n'/ }"
echo "--- pidof"
pidof sleep ctlw
echo "--- pstree"
pstree -pn 1
echo "--- top"
out=$(top -b -n1 -w 200)
mapfile -t lines <<<"$out"
top=()
for l in "${lines[@]}"; do
	read -ra f <<<"$l"
	[ ${#f[@]} -ge 12 ] || continue
	[ "${f[0]}" = PID ] && top=() && continue	# the task list follows
	dstate "${f[7]}"
	top+=("${f[0]} ${f[1]} $ds ${f[-1]}")
done
printf '%s\n' "${top[@]}" | sort -n
echo "--- kill"
kill -CONT "$stopped"; echo "kill -CONT $stopped: $?"
while read -r st < "/proc/$stopped/stat"; read -ra f <<<"${st##*) }"; [ "${f[0]}" = T ]; do
	:
done
echo "no longer stopped"
pkill -STOP -x ctlw; echo "pkill: $?"
kill -0 99999 2>/dev/null; echo "kill -0 99999: $?"
echo "--- end"
