#!/usr/bin/env bash
# bench/guest.sh - guest side of `make bench` (bench/run.sh boots it with
# tests/vm/run.sh --icount --module ...): runs every vpidbench case in the
# three places (host, native pid namespace, vpid container), the host-side
# cases with the module unloaded / idle / busy, the floor (getpid under
# bench/floor's module, vpid unloaded), the scaling runs and the memory
# counts.  Result lines (`case=...`) on stdout, progress
# (`vpidbench: ...`) on stderr, i.e. the console log.
#
# Environment (bench/run.sh passes them with --env):
#   BENCH_TASKS        tasks in one container for the scaling run (30000)
#   BENCH_CONTAINERS   containers for the scaling runs (10000)
#   BENCH_HOLD         "C T": containers x tasks alive for host case (c)
#   BENCH_FLOOR        vpid_floor.ko (bench/floor) for the floor part; unset
#                      or empty: the floor part is left out
#   BENCH_PARTS        which parts to run (default:
#                      "host floor micro tasks containers")
#   VPIDBENCH_SCALE    batch multiplier for vpidbench (1)
set -u

say() { echo "vpidbench: $*" >&2; }
fail() { echo "not ok - bench: $*"; say "FAILED: $*"; exit 1; }
t_start=$SECONDS
step() { say "[$((SECONDS - t_start))s virtual] $*"; }

repo=${VPID_REPO:-$(cd "$(dirname "$0")/.." && pwd)}
module=${VPID_MODULE:-}
[[ -n $module ]] || fail "no module (run with --module)"
tasks=${BENCH_TASKS:-30000}
containers=${BENCH_CONTAINERS:-10000}
read -r hold_c hold_t <<<"${BENCH_HOLD:-100 10}"
parts=" ${BENCH_PARTS:-host floor micro tasks containers} "
floor=${BENCH_FLOOR:-}

# Everything the timed cases execute lives on tmpfs: a 9p read waits in
# real time, which -icount turns into guest time.
B=/tmp/vpidbench
mkdir -p "$B/lib"
cp "$repo/build/bench/vpidbench" "$repo/tests/bin/ctlw" "$B/" || fail "copy binaries"
if [[ -n $floor ]]; then
	cp "$floor" "$B/vpid_floor.ko" || fail "copy $floor"
fi
cp /usr/bin/ps "$B/ps" || fail "copy ps"
for l in $(ldd /usr/bin/ps | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }'); do
	cp -L "$l" "$B/lib/"
done
# libproc2 dlopen()s libnuma.so, else libnuma.so.1: keep that off 9p too
for l in /usr/lib/x86_64-linux-gnu/libnuma.so.1 /lib/x86_64-linux-gnu/libnuma.so.1; do
	if [[ -e $l ]]; then
		cp -L "$l" "$B/lib/libnuma.so.1"
		ln -sf libnuma.so.1 "$B/lib/libnuma.so"
		break
	fi
done
export VPIDBENCH_PS="$B/lib/ld-linux-x86-64.so.2 --library-path $B/lib $B/ps"
export LC_ALL=C
VB=$B/vpidbench
CTLW=$B/ctlw

# Room for 30,000 tasks (pid_max is 32768 with one CPU; threads-max is
# derived from memory).
echo 4194304 >/proc/sys/kernel/pid_max
echo 1000000 >/proc/sys/kernel/threads-max
ulimit -u unlimited 2>/dev/null

ENABLED=/sys/kernel/tracing/enabled_functions
# one function per line; a direct call adds a "\tdirect-->" line to it
nr_hooks() { if [[ -r $ENABLED ]]; then grep -c '^[^[:space:]]' "$ENABLED"; else echo "?"; fi; }
nr_containers() { if [[ -r /proc/container ]]; then grep -vc '^[#.]' /proc/container; else echo 0; fi; }
# No container left and no ftrace callback installed (the module drops its
# hooks shortly after the last container goes).
wait_idle() {
	local _
	for _ in $(seq 200); do
		[[ $(nr_containers) == 0 && $(nr_hooks) == 0 ]] && return 0
		sleep 0.1
	done
	say "warning: still $(nr_containers) containers, $(nr_hooks) traced functions"
	return 1
}

meminfo=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)
echo "meta kernel=$(uname -r) date=$(date -u +%Y-%m-%dT%H:%M:%SZ) cpus=$(nproc) mem_kb=$meminfo icount=${VPID_ICOUNT:-0} scale=${VPIDBENCH_SCALE:-1} tasks=$tasks containers=$containers hold=${hold_c}x$hold_t"

step "warm-up pass (discarded)"
VPIDBENCH_SCALE=0.3 "$VB" micro warmup >/dev/null || fail "warm-up"

# Guest time drifts a little over a boot (a fork costs a few % more after
# a few thousand forks), so every comparison runs twice, in ABC then CBA
# order; bench/report.py averages the two medians.

# --- host side: (a) module not loaded, (b) loaded and idle, (c) busy ---
host_a() {
	step "host side (a): module not loaded"
	rmmod vpid || fail "rmmod vpid"
	echo "case=hooks place=unloaded n=$(nr_hooks)"
	"$VB" hostside unloaded || fail "hostside unloaded"
	insmod "$module" || fail "insmod $module"
}
host_b() {
	step "host side (b): loaded, no container"
	echo "case=hooks place=idle n=$(nr_hooks)"
	"$VB" hostside idle || fail "hostside idle"
}
host_c() {
	step "host side (c): $hold_c containers x $hold_t tasks alive"
	# shellcheck disable=SC2016 # expanded by the inner bash, in the hold
	"$VB" hold "$hold_c" "$hold_t" -- bash -c '
		echo "case=hooks place=busy n=$(grep -c . '"$ENABLED"') containers=$(grep -vc "^[#.]" /proc/container)"
		exec "$0" hostside busy' "$VB" || fail "hostside busy"
	wait_idle
}
if [[ $parts == *" host "* ]]; then
	host_a; host_b; host_c
	host_c; host_b; host_a
fi

# --- the floor: getpid with __task_pid_nr_ns hooked by nothing but ftrace ---
# vpid unloaded; bench/floor's module loaded in one mode at a time (none:
# not loaded), its hook doing nothing: what hooking getpid's pid helper
# costs at least, per mechanism.
floor_modes=(none ops ops_norec ops_ipmodify direct)
floor_one() {
	local m=$1
	step "floor: $m"
	if [[ $m != none ]]; then
		insmod "$B/vpid_floor.ko" "mode=$m" || fail "insmod vpid_floor.ko mode=$m"
	fi
	echo "case=hooks place=floor_$m n=$(nr_hooks)"
	[[ -r $ENABLED ]] && say "enabled_functions: $(tr '\n' ' ' <"$ENABLED")"
	"$VB" floor "$m" || fail "floor $m"
	if [[ $m != none ]]; then
		rmmod vpid_floor || fail "rmmod vpid_floor"
	fi
}
if [[ $parts == *" floor "* && -z $floor ]]; then
	say "floor: no BENCH_FLOOR module, left out"
elif [[ $parts == *" floor "* ]]; then
	rmmod vpid || fail "rmmod vpid"
	for ((i = 0; i < ${#floor_modes[@]}; i++)); do floor_one "${floor_modes[i]}"; done
	for ((i = ${#floor_modes[@]} - 1; i >= 0; i--)); do floor_one "${floor_modes[i]}"; done
	insmod "$module" || fail "insmod $module"
fi

# --- per-operation costs in the three places ---
micro_host() {
	step "micro: host"
	"$VB" micro host || fail "micro host"
}
micro_pidns() {
	step "micro: native pid namespace"
	unshare --pid --fork --mount-proc "$VB" micro pidns || fail "micro pidns"
}
micro_vpid() {
	step "micro: vpid container"
	# its own /proc, as --mount-proc gives the pid namespace
	"$CTLW" -x benchmicro unshare --mount --mount-proc "$VB" micro vpid ||
		fail "micro vpid"
	wait_idle
}
if [[ $parts == *" micro "* ]]; then
	micro_host; micro_pidns; micro_vpid
	micro_vpid; micro_pidns; micro_host
fi

# --- scaling: tasks in one place ---
if [[ $parts == *" tasks "* ]]; then
	for p in host pidns vpid; do
		step "scaling: $tasks tasks, $p"
		"$VB" tasks "$p" "$tasks" || fail "tasks $p"
		wait_idle
	done
fi

# --- scaling: containers ---
if [[ $parts == *" containers "* ]]; then
	for m in none flat nested; do
		step "scaling: $containers containers, $m"
		"$VB" containers "$m" "$containers" || fail "containers $m"
		wait_idle
	done
fi

step "done"
echo "meta done seconds=$((SECONDS - t_start))"
