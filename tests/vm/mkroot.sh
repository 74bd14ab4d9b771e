#!/usr/bin/env bash
# A guest root filesystem on a disk image, for kernels that cannot mount the
# host's root over 9p (Debian's cloud flavours have neither 9p nor its
# virtio transport).
set -euo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

usage() {
    cat <<'USAGE'
Usage: tests/vm/mkroot.sh REPO KDIR KVER OUT.img

Writes OUT.img, an ext4 image the guest mounts read-only as its root
instead of the host's: a Debian bookworm userland made by debootstrap with
what the guest suite runs (bash, python3, procps, psmisc, util-linux,
strace, stress-ng, bubblewrap, kmod; the release of this machine, so that
the test programs built here run there), cached under CACHE/rootfs/, plus
a copy of REPO at the same path (without .git) and KDIR's
lib/modules/KVER at /lib/modules/KVER.  About 10 s once the userland is
cached (first time: about a minute).

Environment:
  VPID_CACHE   cache root (see fetch-kernel.sh)
  VPID_MIRROR  Debian archive URI (see scripts/debian.sh)
USAGE
}

case ${1-} in
    -h | --help) usage; exit 0 ;;
esac
(($# == 4)) || { usage >&2; exit 2; }
repo=$1 kdir=$2 kver=$3 out=$4

log() { echo "mkroot.sh: $*" >&2; }

. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/cache.sh"
cache=$(vpid_cache_root)
base="$cache/rootfs/bookworm"
pkgs=bash,python3,procps,psmisc,util-linux,strace,stress-ng,bubblewrap,kmod,libkmod2,libcap2,sysvinit-utils,diffutils,mawk
mirror=${VPID_MIRROR:-$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' \
    /etc/apt/sources.list.d/*.sources 2>/dev/null || true)}
mirror=${mirror:-http://deb.debian.org/debian}

mkdir -p "$cache/rootfs"
(
    flock 8
    stamp="$base/.vpid-packages"
    [[ -f $stamp && $(cat "$stamp") == "$pkgs" ]] && exit 0
    command -v debootstrap >/dev/null || { log "debootstrap is not installed"; exit 1; }
    rm -rf "$base"
    log "debootstrap bookworm into $base (once)"
    debootstrap --variant=minbase --include="$pkgs" bookworm "$base" "$mirror" \
        >"$cache/rootfs/bookworm.log" 2>&1 ||
        { tail -n 20 "$cache/rootfs/bookworm.log" >&2; exit 1; }
    # what the guest mounts over; apt's caches are of no use there
    rm -rf "$base"/var/cache/apt/archives/*.deb "$base"/var/lib/apt/lists/*
    printf '%s' "$pkgs" >"$stamp"
) 8>"$cache/rootfs/.lock"

stage=$(mktemp -d "${TMPDIR:-/tmp}/vpid-root.XXXXXX")
trap 'rm -rf "$stage"' EXIT
# Hard links where the cache and the stage share a filesystem: seconds.
cp -al "$base/." "$stage/" 2>/dev/null || cp -a "$base/." "$stage/"
mkdir -p "$stage$repo"
tar -C "$repo" --exclude=./.git -cf - . | tar -C "$stage$repo" -xf -
rm -rf "$stage/lib/modules/$kver"
mkdir -p "$stage/lib/modules"
cp -a "$kdir/lib/modules/$kver" "$stage/lib/modules/$kver"
size=$(du -sm "$stage" | cut -f1)
rm -f "$out"
mkfs.ext4 -q -F -L vpidroot -d "$stage" "$out" "$((size + size / 4 + 64))M" >/dev/null ||
    { log "mkfs.ext4 -d failed"; exit 1; }
log "guest root image $out ($((size)) MiB of files)"
