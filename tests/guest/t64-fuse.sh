# shellcheck shell=bash
# vpid-timeout: 300
# A FUSE filesystem served from inside: the pid in each request's header is
# the requester's in the daemon's pid namespace (a container's numbers), 0
# for a task outside it, and a lock owner the daemon names is read back in
# those numbers, as natively: fusepy (libfuse 2) serves a file that
# reads as that pid (tests/src/fusepid.py), in a native pid namespace and in
# a container, with readers inside, in a pid namespace below, and outside.

F=${VPID_REPO:-$PWD}/tests/src/fusepid.py
modprobe -q fuse 2>/dev/null
if [ ! -c /dev/fuse ] || ! python3 -c 'import fusepy' 2>/dev/null; then
	ok "# SKIP no /dev/fuse or no fusepy"
	return 0 2>/dev/null || exit 0
fi

# run_fuse WHO MNT: fusepid.py as the first process of WHO (native or
# invpid), with a reader outside started first, waiting on a fifo
run_fuse() {
	local who=$1 mnt=$2 out
	rm -f /tmp/t64.go /tmp/t64.back
	mkfifo /tmp/t64.go /tmp/t64.back
	(
		read -r _ </tmp/t64.go
		cat "$mnt/pid" >/tmp/t64.back 2>&1
	) &
	out=$("$who" python3 "$F" "$mnt" /tmp/t64.go /tmp/t64.back)
	# a reader the daemon never woke: let it go
	kill $! 2>/dev/null
	wait $! 2>/dev/null
	umount "$mnt" 2>/dev/null
	rm -f /tmp/t64.go /tmp/t64.back
	echo "$out"
}

# native() adds --mount-proc, a mount namespace the reader outside would
# not see: unshare --pid --fork alone here
unshared() { timeout -k 5 120 unshare --pid --fork "$@" 2>&1; }

n=$(run_fuse unshared /tmp/t64.n)
v=$(run_fuse invpid /tmp/t64.v)
is "FUSE requester pids, native pid namespace" "mounted
child reads: its own pid
child's lock test names: its own pid
a child in a pid namespace of its own reads: unshare's pid +1
a task outside reads: 0
unmounted: yes" "$n"
same "FUSE requester pids: native vs vpid" "$n" "$v"
rmdir /tmp/t64.n /tmp/t64.v 2>/dev/null
