#!/usr/bin/env bash
# Print the kernel versions to test, one per line.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: tests/vm/kernels.sh [--build]

Prints the Debian stock kernel versions the tests run on, one per line
(sorted by version): every /lib/modules/KVER/build that is a Debian -amd64
header set, i.e. 6.1.0-N-amd64, 6.12.N+debNN-amd64 and their -rt-amd64
flavours when installed and VPID_RT=1.  With --build, the -rt-amd64 ones
too in any case: the ones vpid must build (and be sparse-clean) for.

Environment:
  KVER   if set (non-empty), print just that version instead
USAGE
}

build=0
case ${1-} in
    -h | --help) usage; exit 0 ;;
    --build) build=1 ;;
    '') ;;
    *) echo "kernels.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac

if [[ -n ${KVER-} ]]; then
    printf '%s\n' "$KVER"
    exit 0
fi

# 6.1.0-56-amd64, 6.1.0-56-rt-amd64, 6.12.117+deb12-amd64, 6.12.117+deb12-rt-amd64
re='^[0-9]+\.[0-9]+(\.[0-9]+)?(-[0-9]+|\+deb[0-9]+)(-rt)?-amd64$'
found=()
for dir in /lib/modules/*/build; do
    [[ -d $dir ]] || continue  # also skips dangling symlinks
    kver=${dir#/lib/modules/}
    kver=${kver%/build}
    [[ $kver =~ $re ]] || continue
    # The PREEMPT_RT guest suite only on request (VPID_RT=1, make check-rt):
    # it adds ~11 min, and two clean runs in a row are all it has so far
    # (its flakes were a test race and the hooks' removal, both fixed).
    [[ $kver == *-rt-amd64 && ${VPID_RT:-0} != 1 && $build = 0 ]] && continue
    found+=("$kver")
done

if ((${#found[@]} == 0)); then
    echo "kernels.sh: no Debian -amd64 kernel headers under /lib/modules (run scripts/deps.sh)" >&2
    exit 1
fi
printf '%s\n' "${found[@]}" | sort -V
