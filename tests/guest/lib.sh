# shellcheck shell=bash
# Guest test library: TAP output on stdout, one counter for the whole run.
# Sourced by run.sh; the t*.sh files use these helpers.

T_N=0
T_FAIL=0
BIN=${VPID_REPO:-$PWD}/tests/bin
CTL=/proc/container
T_SEQ=0

ok()     { T_N=$((T_N + 1)); echo "ok $T_N - $*"; }
not_ok() { T_N=$((T_N + 1)); T_FAIL=$((T_FAIL + 1)); echo "not ok $T_N - $*"; }
diag()   { sed 's/^/# /'; }

# is DESC EXPECTED ACTUAL
is() {
	if [ "$2" == "$3" ]; then ok "$1"; else
		not_ok "$1"; printf 'expected: %s\n     got: %s\n' "$2" "$3" | diag
	fi
}

# check DESC CMD...: passes when CMD succeeds
check() {
	local d=$1; shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

# same DESC NATIVE VPID: the oracle comparison
same() {
	if [ "$2" == "$3" ]; then ok "$1"; else
		not_ok "$1"
		echo "$2" > /tmp/same.native; echo "$3" > /tmp/same.vpid
		diff /tmp/same.native /tmp/same.vpid | head -40 | diag
	fi
}

# A fresh container name.
cname() { T_SEQ=$((T_SEQ + 1)); echo "t${T_SEQ}"; }

# native CMD...: run CMD as pid 1 of a new native pid namespace
native() { timeout -k 5 120 unshare --pid --fork --mount-proc "$@" 2>&1; }

# invpid CMD...: run CMD as vpid 1 of a new vpid container
invpid() { timeout -k 5 120 "$BIN/ctlw" -x "$(cname)" "$@" 2>&1; }

# ctl CMD: write CMD, print OK or the errno name
ctl() { "$BIN/ctlw" "$1"; }

# How many containers the host sees (lines other than the header and ".").
nr_containers() { grep -vc '^[#.]' "$CTL"; }

# wait_no_containers: containers go when their last task is reaped
wait_no_containers() {
	local i
	for i in $(seq 50); do
		[ "$(nr_containers)" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# poll_for TENTHS CMD...: poll CMD every 0.1 s, TENTHS times at most
poll_for() {
	local i n=$1
	shift
	for i in $(seq "$n"); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# wait_for DESC-less CMD...: poll CMD for up to 10 s
wait_for() { poll_for 100 "$@"; }

# wait_long CMD...: poll CMD for up to 60 s: the hooks outlive the last
# container by hooks_linger_ms (2 s), and on PREEMPT_RT their removal takes
# about 12 s more under TCG (an RCU-tasks grace period per hook)
wait_long() { poll_for 600 "$@"; }
