#!/usr/bin/env bash
# Boot a Debian stock kernel under QEMU (TCG) with the host's root shared over
# 9p and run one command in it. Prints the guest's TAP and a verdict.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: tests/vm/run.sh [OPTIONS] -- GUEST-COMMAND [ARGS...]

Installs missing packages (scripts/deps.sh), then boots the Debian stock
kernel KVER (fetched with fetch-kernel.sh, initramfs from mkinitrd.sh) under
qemu-system-x86_64 (TCG, no KVM), shares the host's root filesystem read-only
over 9p, chroots into it and runs GUEST-COMMAND as root, with:
  cwd      the repository root (same path as on the host), or --cwd DIR
  stdout   /dev/ttyS1: the verdict channel, printed here on stdout (TAP)
  stderr   /dev/ttyS0: the console, saved in the log file
  stdin    /dev/null
  env      only PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
           HOME=/tmp LANG=C.UTF-8 TERM=dumb, VPID_GUEST=1, VPID_KVER=KVER,
           VPID_REPO=<repo root>, VPID_MODULE=<module path in the guest or
           empty>, VPID_ICOUNT=0|1, and the --env settings
  files    the host's / read-only (9p, uncached); fresh tmpfs on /tmp,
           /var/tmp, /run and /dev/shm (the host's are not visible); proc,
           sysfs, devtmpfs, devpts, debugfs, tracefs (/sys/kernel/tracing)
With --module, the module is copied into the guest (/run/vpid/NAME.ko) and
loaded with the host's /sbin/insmod before GUEST-COMMAND runs.

After the guest powers off, run.sh prints the guest's stdout (TAP) and two
TAP lines of its own:
  ok|not ok - guest finished on KVER (exit N | timeout or crash)
  ok|not ok - guest kernel log clean on KVER
(the offending kernel log lines follow a `not ok` as `# ` diagnostics).
Exit status 0 only if the guest command exited 0, its output has no
`not ok` (other than # TODO) and no `Bail out!`, and the kernel log is clean.
Progress and the console log's path go to stderr.

Options:
  --kernel KVER     kernel to boot (default: $KVER, else the first of kernels.sh)
  --module PATH.ko  insmod this module in the guest first
  --icount          deterministic timing: -icount shift=0, forces --smp 1
  --smp N           virtual CPUs (default 2)
  --mem MB          guest memory (default 1024)
  --timeout SECONDS kill the guest after this long (default 600; 0 = none;
                    interactive default: none)
  --log FILE        console log file (default: a new /tmp/vpid-vm-KVER.*.log)
  --cwd DIR         guest command's working directory (default: repo root)
  --env NAME=VALUE  set NAME in the guest command's environment (repeatable)
  --append ARGS     extra kernel command line arguments
  --interactive     console on this terminal; GUEST-COMMAND (default: bash)
                    runs on it with a controlling tty. Quit: exit the shell
                    (or Ctrl-A x)
  -h, --help        this help

Environment:
  VPID_CACHE        cache root for kernels and initramfs (see fetch-kernel.sh)
  KVER              default for --kernel
  QEMU              emulator binary (default qemu-system-x86_64)
  VPID_BZIMAGE=1    boot vmlinuz (bzImage) instead of the extracted PVH vmlinux
USAGE
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

kver=${KVER-}
module=
icount=0
smp=2
mem=1024
timeout_s=
log=
cwd=$repo
interactive=0
append=
envs=()

need() { [[ $# -ge 2 && -n $2 ]] || { echo "run.sh: $1 needs an argument" >&2; exit 2; }; }
while (($#)); do
    case $1 in
        --kernel) need "$@"; kver=$2; shift ;;
        --module) need "$@"; module=$2; shift ;;
        --icount) icount=1 ;;
        --smp) need "$@"; smp=$2; shift ;;
        --mem) need "$@"; mem=$2; shift ;;
        --timeout) need "$@"; timeout_s=$2; shift ;;
        --log) need "$@"; log=$2; shift ;;
        --cwd) need "$@"; cwd=$2; shift ;;
        --env) need "$@"; envs+=("$2"); shift ;;
        --append) need "$@"; append+=" $2"; shift ;;
        --interactive) interactive=1 ;;
        -h | --help) usage; exit 0 ;;
        --) shift; break ;;
        *) echo "run.sh: unknown argument: $1 (guest command goes after --)" >&2; exit 2 ;;
    esac
    shift
done
cmd=("$@")

if ((${#cmd[@]} == 0)); then
    if ((interactive)); then
        cmd=(bash)
    else
        echo "run.sh: no guest command (give it after --)" >&2
        exit 2
    fi
fi
[[ $smp =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: bad --smp $smp" >&2; exit 2; }
[[ $mem =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: bad --mem $mem" >&2; exit 2; }
if [[ -z $timeout_s ]]; then
    if ((interactive)); then timeout_s=0; else timeout_s=600; fi
fi
[[ $timeout_s =~ ^[0-9]+$ ]] || { echo "run.sh: bad --timeout $timeout_s" >&2; exit 2; }
((icount)) && smp=1
for e in "${envs[@]}"; do
    [[ $e =~ ^[A-Za-z_][A-Za-z0-9_]*= && $e != *$'\n'* ]] ||
        { echo "run.sh: bad --env $e (want NAME=VALUE, one line)" >&2; exit 2; }
done
if [[ -n $module && ! -f $module ]]; then
    echo "run.sh: no such module file: $module" >&2
    exit 2
fi
[[ -d $cwd ]] || { echo "run.sh: no such directory: $cwd" >&2; exit 2; }
cwd=$(cd "$cwd" && pwd -P)
# The repository stays visible under the guest's fresh tmpfs mounts
# (mkinitrd.sh binds it back); another directory there does not.
case $cwd/ in
    "$repo"/*) ;;
    /tmp/* | /run/* | /var/tmp/* | /dev/shm/*)
        echo "run.sh: warning: $cwd is hidden in the guest (a fresh tmpfs is mounted there)" >&2 ;;
esac
# Install what is missing (a fast no-op otherwise).
"$repo/scripts/deps.sh" -q

if [[ -z $kver ]]; then
    kver=$("$here/kernels.sh" | sed -n 1p)
fi

say() { echo "run.sh: $*" >&2; }

kdir=$("$here/fetch-kernel.sh" "$kver")
initrd=$("$here/mkinitrd.sh" "$kver")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vpid-vm.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if [[ -z $log ]]; then
    log=$(mktemp "/tmp/vpid-vm-$kver.XXXXXX.log")
fi
: >"$log"
tap="$tmp/tap"
: >"$tap"

# --- the run's own cpio: /vpid/{conf,guest.sh[,NAME.ko]} ---
run="$tmp/run"
mkdir -p "$run/vpid"
guest_module=
if [[ -n $module ]]; then
    mname=${module##*/}
    cp "$module" "$run/vpid/$mname"
    guest_module=/run/vpid/$mname
fi
term=dumb
rows='' cols=''
if ((interactive)); then
    term=${TERM:-linux}
    if [[ -t 0 ]] && size=$(stty size 2>/dev/null); then
        read -r rows cols <<<"$size"
    fi
fi
genv=(
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    HOME=/tmp LANG=C.UTF-8 "TERM=$term"
    VPID_GUEST=1 "VPID_KVER=$kver" "VPID_REPO=$repo" "VPID_MODULE=$guest_module"
    "VPID_ICOUNT=$icount"
    "${envs[@]}"
)
# /vpid/conf is sourced by the initramfs' busybox sh: plain values only.
for v in "$kver" "$kdir" "$repo"; do
    [[ $v =~ ^[A-Za-z0-9._+~/-]+$ ]] || { echo "run.sh: unusual characters in $v" >&2; exit 2; }
done
printf 'VPID_INTERACTIVE=%s\nVPID_KVER=%s\nVPID_KDIR=%s\nVPID_REPO=%s\n' "$interactive" "$kver" "$kdir" "$repo" >"$run/vpid/conf"
printf '%s\n' "${genv[@]}" >"$run/vpid/env"
{
    echo '#!/bin/bash'
    echo '# Generated by tests/vm/run.sh; runs chrooted in the guest.'
    printf 'vpid_cwd=%q\n' "$cwd"
    printf 'vpid_module=%q\n' "$guest_module"
    printf 'vpid_rows=%q vpid_cols=%q\n' "$rows" "$cols"
    printf 'vpid_cmd=('
    printf ' %q' "${cmd[@]}"
    printf ' )\n'
    cat <<'EOS'
read -r vpid_up _ </proc/uptime
echo "vpid-guest-start uptime=$vpid_up" >&2
if [[ -n $vpid_rows && -t 0 ]]; then
    stty rows "$vpid_rows" cols "$vpid_cols" 2>/dev/null || true
fi
cd -- "$vpid_cwd" || { echo "not ok - guest setup: cd $vpid_cwd"; exit 1; }
if [[ -n $vpid_module ]]; then
    if ! /sbin/insmod "$vpid_module"; then
        echo "not ok - guest setup: insmod ${vpid_module##*/}"
        exit 1
    fi
fi
unset vpid_up vpid_cwd vpid_module vpid_rows vpid_cols
exec "${vpid_cmd[@]}"
EOS
} >"$run/vpid/guest.sh"
chmod +x "$run/vpid/guest.sh"

(cd "$run" && find . -print0 | LC_ALL=C sort -z |
    cpio --null -o -H newc --owner=0:0 --quiet) | gzip -1 -n >"$tmp/run.cpio.gz"
cat "$initrd" "$tmp/run.cpio.gz" >"$tmp/initrd"

# --- boot ---
# The decompressed PVH vmlinux boots seconds faster under TCG than vmlinuz
# (same kernel; the x86 decompressor is skipped). VPID_BZIMAGE=1: use vmlinuz.
kernel_img=$kdir/vmlinuz
if [[ -s $kdir/vmlinux && ${VPID_BZIMAGE:-0} != 1 ]]; then
    kernel_img=$kdir/vmlinux
fi
qarg() { printf '%s' "${1//,/,,}"; }  # escape commas in QEMU option values

cmdline="console=ttyS0 quiet panic=-1 panic_on_warn=1 softlockup_panic=1 oops=panic$append"
# shellcheck disable=SC2054 # commas are QEMU's
qemu=(
    "${QEMU:-qemu-system-x86_64}" -nographic -no-reboot
    -accel tcg,thread=single -m "$mem" -smp "$smp"
    -kernel "$kernel_img" -initrd "$tmp/initrd" -append "$cmdline"
    -nic none
)
# The guest's root: the host's over 9p, or a disk image for kernels without
# 9p (mkinitrd.sh chose; tests/vm/mkroot.sh).
if [[ $(cat "$kdir/transport" 2>/dev/null) == disk ]]; then
    "$here/mkroot.sh" "$repo" "$kdir" "$kver" "$tmp/root.img"
    qemu+=(-drive "file=$(qarg "$tmp/root.img"),if=virtio,format=raw,readonly=on")
else
    qemu+=(-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap)
fi
((icount)) && qemu+=(-icount shift=0)
if ((interactive)); then
    # shellcheck disable=SC2054 # commas are QEMU's
    qemu+=(
        -chardev "stdio,id=con,mux=on,signal=off,logfile=$(qarg "$log")"
        -serial chardev:con -mon chardev=con,mode=readline
        -chardev "file,id=tap,path=$(qarg "$tap")" -serial chardev:tap
    )
else
    # shellcheck disable=SC2054 # commas are QEMU's
    qemu+=(
        -chardev "file,id=con,path=$(qarg "$log")" -serial chardev:con
        -chardev "file,id=tap,path=$(qarg "$tap")" -serial chardev:tap
        -monitor none
    )
fi

say "$kver: booting (smp $smp, ${mem} MiB$( ((icount)) && echo ', icount'), timeout ${timeout_s}s); console log: $log"
start=$(date +%s.%N)
rc=0
if ((interactive)); then
    if ((timeout_s > 0)); then
        timeout --foreground -k 5 "$timeout_s" "${qemu[@]}" || rc=$?
    else
        "${qemu[@]}" || rc=$?
    fi
else
    timeout -k 5 "$timeout_s" "${qemu[@]}" </dev/null >"$tmp/qemu.out" 2>&1 || rc=$?
    if [[ -s $tmp/qemu.out ]]; then
        sed 's/^/qemu: /' "$tmp/qemu.out" >&2
    fi
fi
end=$(date +%s.%N)

# --- verdict ---
tr -d '\r' <"$tap" >"$tmp/tap.txt"
# (without CRs and the terminal escapes of SeaBIOS)
tr -d '\r' <"$log" | sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[A-Za-z]//g' >"$tmp/log.txt"

status=
marker_re='vpid-guest-exit=([0-9]+)$'
while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line =~ $marker_re ]]; then
        status=${BASH_REMATCH[1]}
        line=${line%vpid-guest-exit=*}
        [[ -n $line ]] && printf '%s\n' "$line"
        continue
    fi
    ((interactive)) || printf '%s\n' "$line"
done <"$tmp/tap.txt"

# Boot time: the guest command started at kernel uptime $up; the kernel's
# last message (power down) is at $last; so on the host's clock it started
# about (last - up) before QEMU exited.
up=$(sed -n 's/.*vpid-guest-start uptime=\([0-9.]*\).*/\1/p' "$tmp/log.txt" | sed -n 1p)
last=$( (grep -oE '\[ *[0-9]+\.[0-9]+\]' "$tmp/log.txt" || true) | tr -d '[] ' | sort -g | tail -n1)
wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
if ((icount)) && [[ -n $up ]]; then
    # guest time is virtual (1 ns per instruction): not comparable to wall time
    say "$kver: guest command started at virtual uptime ${up}s (icount), total ${wall}s wall; qemu status $rc"
elif [[ -n $up && -n $last ]]; then
    boot=$(awk -v w="$wall" -v u="$up" -v l="$last" 'BEGIN { printf "%.1f", w - (l - u) }')
    say "$kver: boot-to-command ${boot}s (kernel uptime ${up}s), total ${wall}s; qemu status $rc"
elif [[ -n $up ]]; then
    say "$kver: guest command started at kernel uptime ${up}s, total ${wall}s; qemu status $rc"
else
    say "$kver: the guest command did not start; total ${wall}s; qemu status $rc"
fi

fail=0
if [[ -z $status ]]; then
    fail=1
    why="timeout or crash"
    ((rc == 124 || rc == 137)) && why="timeout after ${timeout_s}s"
    echo "not ok - guest finished on $kver (timeout or crash)"
    echo "# $why; qemu status $rc; console log $log; its last lines:"
    grep -v '^vpid-dmesg-' "$tmp/log.txt" | tail -n 30 | sed 's/^/#   /'
elif ((status != 0)); then
    fail=1
    echo "not ok - guest finished on $kver (exit $status)"
else
    echo "ok - guest finished on $kver (exit 0)"
fi
# A `not ok` of the guest (but not a `# TODO` one) or a `Bail out!` fails the run.
if awk '/^not ok/ && !/#[[:space:]]*[Tt][Oo][Dd][Oo]/ { bad = 1 } /^Bail out!/ { bad = 1 }
        END { exit !bad }' "$tmp/tap.txt"; then
    fail=1
fi

# Kernel log lines only (they carry a printk timestamp), so that the guest's
# own stderr on the console can never decide this.
bad_re='WARNING:|BUG:|Oops|Kernel panic|RCU stall|self-detected stall|rcu: INFO|detected stalls on CPU|lockdep|possible circular locking|inconsistent lock state|possible recursive locking|KASAN|UBSAN|general protection fault|kmemleak|unreferenced object|blocked for more than [0-9]+ seconds|list_(add|del) corruption'
# A user program's own fault (traps: NAME[PID] general protection fault ip:...)
# is reported by the kernel but is no kernel problem.
ok_re='module verification failed: signature and/or required key missing - tainting kernel|loading out-of-tree module taints kernel|traps: [^ ]+\[[0-9]+\] general protection fault ip:[0-9a-f]+ sp:[0-9a-f]+ error:0 in '
# Informational lines of the debug kernel (scripts/debug-kernel.sh; stock
# kernels print none of them). Its leak verdict is tests/debug/guest.sh's,
# which reads /sys/kernel/debug/kmemleak; kmemleak's warnings still count.
ok_re+='|RCU lockdep checking is enabled|kmemleak: Kernel memory leak detector initialized|kmemleak: [0-9]+ new suspected memory leaks \(see /sys/kernel/debug/kmemleak\)'
grep -E '\[ *[0-9]+\.[0-9]+\]' "$tmp/log.txt" | grep -E "$bad_re" | grep -Ev "$ok_re" |
    sed -E 's/^.*(\[ *[0-9]+\.[0-9]+\])/\1/' | awk '!seen[$0]++' >"$tmp/bad" || true
if [[ -s $tmp/bad ]]; then
    fail=1
    echo "not ok - guest kernel log clean on $kver"
    head -n 50 "$tmp/bad" | sed 's/^/# /'
    echo "# (console log: $log)"
else
    echo "ok - guest kernel log clean on $kver"
fi

exit "$fail"
