#!/usr/bin/env bash
# Print the kernel releases to build or test, one per line.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
    cat <<'USAGE'
Usage: tests/vm/kernels.sh [--check | --all | --build] [--lines]

Prints the releases (uname -r) of Debian's amd64 kernel lines listed in
tests/vm/kernels.conf, as the archive has them now (scripts/debian.sh):

  --check   (default) the ones `make check` boots: 6.1, bookworm's 6.12 and
            trixie-backports' 7.x; with VPID_RT=1 the -rt lines too
  --all     every line (`make check-all` boots them all)
  --build   every line: the ones vpid must build, sparse-clean, for
  --installed
            the Debian -amd64 header sets installed on this machine
            (/lib/modules/*/build), without asking the archive
  --lines   print "LINE RELEASE" instead of the release alone

Environment:
  KVER   if set (non-empty), print just that release instead
USAGE
}

mode=check
with_line=0
while (($#)); do
    case $1 in
        -h | --help) usage; exit 0 ;;
        --check) mode=check ;;
        --all | --build) mode=all ;;
        --lines) with_line=1 ;;
        --installed) mode=installed ;;
        *) echo "kernels.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

if [[ -n ${KVER-} ]]; then
    printf '%s\n' "$KVER"
    exit 0
fi

if [[ $mode == installed ]]; then
    re='^[0-9]+\.[0-9]+(\.[0-9]+)?(-[0-9]+|\+deb[0-9]+)(-[a-z]+)?-amd64$'
    for dir in /lib/modules/*/build; do
        [[ -d $dir ]] || continue  # also skips dangling symlinks
        kver=${dir#/lib/modules/}
        kver=${kver%/build}
        [[ $kver =~ $re ]] && printf '%s\n' "$kver"
    done | sort -V
    exit 0
fi

out=$("$here/../../scripts/debian.sh" lines all) ||
    { echo "kernels.sh: cannot resolve the kernel lines (network? scripts/deps.sh?)" >&2; exit 1; }
while read -r line fam kver; do
    if [[ $mode == check ]]; then
        awk -v l="$line" '$1 == l && $5 ~ /(^|,)check(,|$)/ {f = 1} END {exit !f}' \
            "$here/kernels.conf" ||
            [[ ${VPID_RT:-0} == 1 && $line == *-rt ]] || continue
    fi
    if ((with_line)); then
        printf '%s %s\n' "$line" "$kver"
    else
        printf '%s\n' "$kver"
    fi
done <<<"$out"
