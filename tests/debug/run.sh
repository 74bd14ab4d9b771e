#!/usr/bin/env bash
# `make check-debug`: the guest suite on a debug kernel (KASAN, lockdep,
# kmemleak, UBSAN) built from Debian's linux-source-6.1, then rmmod and a
# kmemleak check in the same boot. TAP, then "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

usage() {
    cat <<'USAGE'
Usage: tests/debug/run.sh [--timeout SECONDS]

1. scripts/debug-kernel.sh: builds the debug kernel once (~40+ min on 2
   cores; cached in ${VPID_CACHE:-/var/cache/vpid}/debug and kernel/KVER);
2. builds vpid.ko (build/KVER/vpid.ko), the guest test programs and vpidctl;
3. boots KVER with tests/vm/run.sh (2 GiB: KASAN's shadow) running
   tests/debug/guest.sh: the guest suite (VPID_TESTS=glob for a subset),
   rmmod vpid, two kmemleak scans; a leaked object allocated by vpid is a
   `not ok`. run.sh fails the run on any WARNING/BUG/lockdep/KASAN/UBSAN
   report in the kernel log.
Prints TAP and the closing line "N passed, N failed"; exit status 0 only if
nothing failed.

Options:
  --timeout SECONDS  guest time limit (default 6000)
Environment: VPID_TESTS, VPID_QUICK (passed to the guest), VPID_CACHE.
USAGE
}

timeout_s=6000
while (($#)); do
    case $1 in
        --timeout) timeout_s=${2:?--timeout needs an argument}; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "tests/debug/run.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

pass=0
fail=0
log=$(mktemp -d /tmp/vpid-check-debug.XXXXXX)

. tests/lib/tap.sh

finish() {
    echo "# total $(($(date +%s) - started)) s (logs in $log)" >&2
    echo "$pass passed, $fail failed"
    [ "$fail" = 0 ] && [ "$pass" -gt 0 ]
    exit
}

started=$(date +%s)
scripts/deps.sh -q || { echo "not ok - scripts/deps.sh"; fail=$((fail + 1)); finish; }

echo "# debug kernel (the first build takes long)" >&2
t0=$(date +%s)
# (its progress goes to stderr as it happens; KVER on stdout)
if kver=$(scripts/debug-kernel.sh) && [ -n "$kver" ]; then
    tally <<<"ok - debug kernel $kver built and installed (scripts/debug-kernel.sh)"
else
    tally <<<"not ok - debug kernel built and installed (scripts/debug-kernel.sh)"
    finish
fi
echo "# $kver ready after $(($(date +%s) - t0)) s" >&2

tally < <(
    step "vpid.ko builds for $kver" make -s "build/$kver/vpid.ko" &&
        step "guest test programs build" make -s -C tests/src &&
        step "vpidctl builds" make -s -C tools/vpidctl O=../../tests/bin
)
[ "$fail" = 0 ] || finish

echo "# guest suite + kmemleak on $kver" >&2
t0=$(date +%s)
envs=(--env "VPID_QUICK=${VPID_QUICK:-0}")
[ -n "${VPID_TESTS-}" ] && envs+=(--env "VPID_TESTS=$VPID_TESTS")
tally < <(tests/vm/run.sh --kernel "$kver" --module "build/$kver/vpid.ko" \
    --mem 2048 --timeout "$timeout_s" "${envs[@]}" -- tests/debug/guest.sh)
echo "# $kver: $(($(date +%s) - t0)) s" >&2
finish
