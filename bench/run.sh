#!/usr/bin/env bash
# bench/run.sh - `make bench`: what vpid costs, as ratios against a native
# pid namespace in the same boot, on every Debian kernel.  See --help.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: bench/run.sh [OPTIONS]

Builds vpid.ko (build/KVER/vpid.ko), the floor module bench/floor
(build/bench/floor/KVER/vpid_floor.ko), the guest programs (tests/bin/ctlw)
and bench/vpidbench.c (build/bench/vpidbench); then, one kernel after the
other, boots Debian's stock kernel under QEMU with -icount shift=0 (one
vCPU, deterministic guest time: 1 ns per instruction) through
tests/vm/run.sh, runs bench/guest.sh in it and writes
bench/results-KVER.md (date, kernel, ratios against the targets, the
per-place table, host-side cost, scaling, memory, where the time goes, the
raw lines). Prints the summary tables. A benchmark, not a test: it reports,
it does not pass or fail (exit status non-zero only if a guest run broke).
Progress goes to stderr; the guest's console log path is printed.

Options:
  --kernel KVER     benchmark this kernel (repeatable; default: $KVER, else
                    every kernel of tests/vm/kernels.sh)
  --quick           a short run to try things out (scale 0.3, 3,000 tasks,
                    1,000 containers); results go to build/bench/, not bench/
  --scale F         batch-size multiplier for the microbenchmarks (default 1)
  --tasks N         tasks in one container for the scaling run (default 30000)
  --containers N    containers for the scaling runs (default 10000)
  --out DIR         where results-KVER.md goes (default bench/)
  --timeout S       guest timeout per kernel (default 900)
  -h, --help        this help

Cases (bench/vpidbench --help): getpid, gettid, getppid, fork+wait,
clone3(SETTID), pthread_create+join, kill round trip, kill(0) to a group of
10, /proc readdir and `ps -e` with 1,000 tasks, each on the host, in
`unshare --pid --fork --mount-proc` and in a vpid container; a host task's
getpid and fork+wait with the module (a) unloaded, (b) idle, (c) 100
containers x 10 tasks alive; the floor: a host task's getpid with vpid
unloaded and __task_pid_nr_ns hooked by bench/floor's module in each of
its modes (ftrace_ops with and without the recursion guard, with vpid's
IPMODIFY flags, a direct call); N tasks in one place and N containers (flat
and nested 32 deep) with per-fork/create/lookup times at every tenth;
slab bytes per task and per container.
USAGE
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"

kernels=()
scale=1
tasks=30000
containers=10000
out=$repo/bench
timeout_s=900
quick=0
need() { [[ $# -ge 2 && -n $2 ]] || { echo "bench/run.sh: $1 needs an argument" >&2; exit 2; }; }
while (($#)); do
    case $1 in
        --kernel) need "$@"; kernels+=("$2"); shift ;;
        --quick) quick=1 ;;
        --scale) need "$@"; scale=$2; shift ;;
        --tasks) need "$@"; tasks=$2; shift ;;
        --containers) need "$@"; containers=$2; shift ;;
        --out) need "$@"; out=$2; shift ;;
        --timeout) need "$@"; timeout_s=$2; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "bench/run.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if ((quick)); then
    scale=0.3 tasks=3000 containers=1000
    [[ $out == "$repo/bench" ]] && out=$repo/build/bench
fi
for v in "$tasks" "$containers" "$timeout_s"; do
    [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: bad number $v" >&2; exit 2; }
done
[[ $scale =~ ^[0-9]*\.?[0-9]+$ ]] || { echo "bench/run.sh: bad --scale $scale" >&2; exit 2; }

say() { echo "bench: $*" >&2; }
t0=$(date +%s)

"$repo/scripts/deps.sh" -q
if ((${#kernels[@]} == 0)); then
    mapfile -t kernels < <(tests/vm/kernels.sh)
fi

# --- build ---
# The floor module as vpid.ko is built (Makefile): from a copy of its
# sources, with the kernel's headers on this machine or in the chroot of
# its release (scripts/debian.sh).  cp -p keeps kbuild's rebuild check.
build_floor() {
    local d=build/bench/floor/$1
    mkdir -p "$d"
    cp -p bench/floor/Kbuild bench/floor/*.[ch] "$d/"
    scripts/debian.sh build "$1" "$d" -s >&2
}
say "building vpid.ko and vpid_floor.ko for ${kernels[*]}, tests/bin/ctlw, build/bench/vpidbench"
for k in "${kernels[@]}"; do
    make -s "build/$k/vpid.ko" >&2
    build_floor "$k"
done
make -s -C tests/src >&2
mkdir -p build/bench "$out"
gcc -O2 -Wall -Wextra -static -pthread -o build/bench/vpidbench bench/vpidbench.c

# --- run ---
rc=0
summaries=()
for k in "${kernels[@]}"; do
    raw=$repo/build/bench/raw-$k.txt
    log=$(mktemp "/tmp/vpid-bench-$k.XXXXXX.log")
    say "$k: booting (console log $log)"
    k0=$(date +%s)
    tests/vm/run.sh --kernel "$k" --module "build/$k/vpid.ko" --icount --mem 2048 \
        --timeout "$timeout_s" --log "$log" \
        --env "BENCH_TASKS=$tasks" --env "BENCH_CONTAINERS=$containers" \
        --env "VPIDBENCH_SCALE=$scale" --env "BENCH_FLOOR=$repo/build/bench/floor/$k/vpid_floor.ko" \
        -- bench/guest.sh >"$raw" &
    vm=$!
    # progress: the guest's `vpidbench:` lines from the console log
    tail -n +1 -F --pid="$vm" "$log" 2>/dev/null |
        grep -a --line-buffered '^vpidbench:' | sed -u "s/\r//; s/^vpidbench:/bench: $k:/" >&2 &
    vmrc=0
    wait "$vm" || vmrc=$?
    wait || true
    wall=$(($(date +%s) - k0))
    if ((vmrc != 0)); then
        rc=1
        say "$k: the guest run failed (status $vmrc); console log $log"
        grep -a '^not ok\|^#' "$raw" >&2 || true
    fi
    res=$out/results-$k.md
    python3 bench/report.py "$raw" "$res" --wall "$wall" --log "$log" --kver "$k" >"$raw.table"
    summaries+=("$raw.table")
    say "$k: ${wall}s; wrote ${res#"$repo"/}"
done

for s in "${summaries[@]}"; do
    cat "$s"
    echo
done
say "total $(($(date +%s) - t0))s"
exit "$rc"
