# shellcheck shell=bash
# Guest test library: TAP output on stdout. Sourced by run.sh (its own
# counter: it renumbers every file's lines into one stream and checks what
# each file left behind, after_test) and by the process of each t*.sh file,
# which uses these helpers.

T_N=0
T_FAIL=0
BIN=${VPID_REPO:-$PWD}/tests/bin
CTL=/proc/container
VPID_STATS=/sys/kernel/debug/vpid/stats
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
	for _ in $(seq 50); do
		[ "$(nr_containers)" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# poll_for TENTHS CMD...: poll CMD every 0.1 s, TENTHS times at most
poll_for() {
	local n=$1
	shift
	for _ in $(seq "$n"); do
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

# --- the leftover check of run.sh, after every test file ---

# leftovers: what the tests left in the kernel, one line per item, nothing
# when clean: containers /proc/container lists, tasks asleep in module code
# (wchan vpid*), container counters of the module's stats that are not 0
# (each part skipped when its file is absent: vpid unloaded)
leftovers() {
	local l k v w t c
	if [ -r "$CTL" ]; then
		while IFS= read -r l; do
			case $l in '#'* | . | '. '*) ;; *) echo "container: $l" ;; esac
		done <"$CTL"
	fi
	for w in /proc/[0-9]*/task/[0-9]*/wchan; do
		l=
		{ read -r l <"$w"; } 2>/dev/null
		case $l in vpid*)
			t=${w%/wchan} c=
			{ read -r c <"$t/comm"; } 2>/dev/null
			echo "task ${t#/proc/} ($c) asleep in $l"
			;;
		esac
	done
	if [ -r "$VPID_STATS" ]; then
		while read -r k v; do
			case $k in containers | container_structs | pid_records | entering)
				[ "$v" = 0 ] || echo "stats: $k $v" ;;
			esac
		done <"$VPID_STATS"
	fi
}
no_leftovers() { [ -z "$(leftovers)" ]; }

# strays TAG: the live processes whose environment has VPID_TEST_FILE=TAG
# (the test file's run.sh gave it; whatever it started inherits it)
strays() {
	local p e v
	for p in /proc/[0-9]*; do
		e=()
		{ mapfile -d '' -t e <"$p/environ"; } 2>/dev/null
		for v in "${e[@]}"; do
			if [ "$v" = "VPID_TEST_FILE=$1" ]; then
				echo "${p#/proc/}"
				break
			fi
		done
	done
}

# cleanup TAG: kill the processes test file TAG left running, destroy the
# top-level containers left, reload vpid if it is gone (and run.sh loaded it)
cleanup() {
	local p c l
	for p in $(strays "$1"); do
		c=
		{ read -r c <"/proc/$p/comm"; } 2>/dev/null
		echo "# $1: killing its leftover process $p ($c)"
		kill -KILL "$p" 2>/dev/null
	done
	if [ -r "$CTL" ]; then
		mapfile -t l <"$CTL"
		for c in "${l[@]}"; do
			c=${c%% *}
			case $c in '#'* | . | */*) continue ;; esac
			echo "# $1: destroying its leftover container $c"
			{ echo "destroy $c" >"$CTL"; } 2>/dev/null
		done
	fi
	if [ ! -e /sys/module/vpid ] && [ -n "${VPID_MODULE-}" ]; then
		echo "# $1: vpid was unloaded: insmod $VPID_MODULE"
		insmod "$VPID_MODULE" 2>&1 | diag
	fi
}

# poll_secs SECS CMD...: poll CMD every 0.1 s for up to SECS s of wall time
poll_secs() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.1
	done
}

# after_test TAG: one TAP line, whether test file TAG left nothing behind
# (containers, tasks stuck in vpid, counters), then the cleanup so that the
# next file starts clean.  Given up to 40 s to get there: a container goes
# when its last task is reaped, but its struct and the released pid records
# still referenced go only once the hooks are out (vpid_gc(true)),
# hooks_linger_ms after the last container plus the removal: about 7 s on
# 6.1 under TCG, some 15 s on PREEMPT_RT.
after_test() {
	local left
	if poll_secs 40 no_leftovers; then
		ok "$1 left nothing behind"
	else
		left=$(leftovers)
		not_ok "$1 left nothing behind"
		echo "$left" | diag
		if [ -r "$VPID_STATS" ]; then diag <"$VPID_STATS"; fi
		echo "$left" | sed -n 's/^task \([0-9]*\/task\/[0-9]*\) .*/\1/p' |
			while read -r t; do
				echo "/proc/$t/stack:"
				cat "/proc/$t/stack" 2>/dev/null
			done | head -60 | diag
	fi
	cleanup "$1"
	if [ -n "$left" ] && ! poll_secs 40 no_leftovers; then
		echo "# $1: still left after the cleanup:"
		leftovers | diag
	fi
}
