#!/usr/bin/env bash
# nest.sh DIR DEPTH SPEC...: build one level of a nest of pid namespaces
# and vpid containers, then the levels below it.  SPEC is one letter a
# level, outermost first: n (a native pid namespace: unshare(CLONE_NEWPID))
# or c (a vpid container); each level has its own /proc and is entered by
# `ctlw -n`, so the two kinds make the same process tree.  The innermost
# level starts two sleeps (one in a session of its own); then each level,
# innermost first, writes what it sees to DIR/view.DEPTH: the ps table and
# the NS* lines of every task in its /proc.  Level 0 (the caller, on the
# host) prints every view, outermost first, and lets the nest go.  The levels wait on FIFOs, not by
# polling, so no level forks while another one is looking.
dir=$1 depth=$2
shift 2
BIN=${VPID_REPO:-$PWD}/tests/bin
me=$(readlink -f "$0")

# until_exec PID COMM: spin (builtins only: no fork) until PID runs COMM
until_exec() {
	local c=
	while [ "$c" != "$2" ]; do
		read -r c < "/proc/$1/comm" || return 1
	done
}

# Simple commands only while looking: a pipeline's members run at once
# and would see each other.
view() {
	local v=$dir/view.$depth
	ps -e -o pid,ppid,pgid,sid,comm --sort pid > "$v.ps"
	grep -H '^NS' /proc/[0-9]*/status > "$v.ns"
	# the same numbers through pidfds (fdinfo's Pid and NSpid lines)
	# shellcheck disable=SC2046 # one pid a word
	python3 -c '
import os, sys
for p in sorted(int(a) for a in sys.argv[1:] if os.path.exists("/proc/" + a)):
    try:
        fd = os.pidfd_open(p)
    except OSError as e:
        print("pidfd %d: errno %d" % (p, e.errno))
        continue
    with open("/proc/self/fdinfo/%d" % fd) as f:
        info = [l.strip() for l in f if l.startswith(("Pid:", "NSpid:"))]
    os.close(fd)
    print("pidfd %d: %s" % (p, " | ".join(info)))
' $(awk 'NR > 1 && $5 != "ps" { print $1 }' "$v.ps") > "$v.fd"
	{
		echo "level $depth sees:"
		cat "$v.ps"
		sed 's|^/proc/||; s|/status:|: |' "$v.ns" | sort -n
		cat "$v.fd"
	} > "$v"
	rm "$v.ps" "$v.ns" "$v.fd"
}

if [ $# -gt 0 ]; then
	kind=$1
	shift
	if [ "$kind" = n ]; then name=native; else name=nest$depth.$$; fi
	"$BIN/ctlw" -n "$name" unshare --mount --mount-proc \
		bash "$me" "$dir" $((depth + 1)) "$@" &
	read -r _ < "$dir/fifo.$((depth + 1))"
else
	sleep 1000 &
	a=$!
	setsid sleep 1001 &
	until_exec $a sleep
	until_exec $! sleep
fi
if [ "$depth" = 0 ]; then	# the host: looks at nothing
	cat "$dir"/view.*
	echo > "$dir/stop"
	wait
	echo "exit $?"
elif [ $# = 0 ]; then
	view
	echo > "$dir/fifo.$depth"
	read -r _ < "$dir/stop"
else
	view
	echo > "$dir/fifo.$depth"
	wait
fi
