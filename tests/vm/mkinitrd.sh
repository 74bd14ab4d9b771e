#!/usr/bin/env bash
# Build (or reuse) the busybox initramfs that boots a stock kernel into the
# host's root filesystem shared over 9p.
set -euo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

usage() {
    cat <<'USAGE'
Usage: tests/vm/mkinitrd.sh KVER [OUT.cpio.gz]

Builds the busybox-static initramfs for the Debian stock kernel KVER (fetched
with fetch-kernel.sh) and prints its path. It is cached next to the kernel
(CACHE/kernel/KVER/initrd-HASH.cpio.gz) and rebuilt only when this script,
busybox or the kernel's modules change. With OUT, a copy is written there too.

The initramfs holds busybox, the 9p/virtio modules that KVER needs (resolved
from its modules.dep and modules.builtin, decompressed) and an /init that:
  - mounts proc, sys, devtmpfs; insmods the modules; mounts the host root
    (9p tag `hostroot`, read-only, no cache) at /host, and under it proc,
    sysfs, devtmpfs, devpts, /dev/shm, tmpfs on /tmp /run /var/tmp, debugfs
    and tracefs;
  - overlays the image's own lib/modules (from the cache) on the host's
    /lib/modules, so that the guest sees the modules of its kernel together
    with the host's build/ and source/ links (KVER need not be installed on
    the host);
  - reads the run configuration that run.sh appends as a second cpio archive
    (/vpid/conf: shell variables; /vpid/env: the guest command's whole
    environment, one NAME=VALUE a line; /vpid/guest.sh), copies /vpid to
    /host/run/vpid and runs `env -i ENV... bash /run/vpid/guest.sh` chrooted
    into /host (stdout -> /dev/ttyS1, stderr -> /dev/ttyS0, stdin /dev/null;
    or all on ttyS0 with a controlling tty when interactive);
  - then kills what is left, writes dmesg to ttyS0 (between vpid-dmesg-begin
    and vpid-dmesg-end lines), `vpid-guest-exit=STATUS` to ttyS1 and powers
    off. A failing setup step is reported on ttyS1 as a TAP `not ok` line
    followed by the exit marker.

Environment:
  VPID_CACHE  cache root (see fetch-kernel.sh)
USAGE
}

case ${1-} in
    -h | --help) usage; exit 0 ;;
    '') usage >&2; exit 2 ;;
esac
kver=$1
out=${2-}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { echo "mkinitrd.sh: $*" >&2; }

kdir=$("$here/fetch-kernel.sh" "$kver")
moddir="$kdir/lib/modules/$kver"
busybox=/bin/busybox
[[ -x $busybox ]] || { log "$busybox missing (apt-get install busybox-static)"; exit 1; }
if ldd "$busybox" >/dev/null 2>&1; then
    log "$busybox is dynamically linked; install busybox-static"
    exit 1
fi

key=$(cat "${BASH_SOURCE[0]}" "$busybox" "$moddir/modules.dep" "$moddir/modules.builtin" |
    sha256sum | cut -c1-16)
initrd="$kdir/initrd-$key.cpio.gz"

deliver() {
    if [[ -n $out ]]; then
        cp "$initrd" "$out.tmp.$$"
        mv "$out.tmp.$$" "$out"
    fi
    printf '%s\n' "$initrd"
}

if [[ -s $initrd ]]; then
    deliver
    exit 0
fi

exec 9>"$kdir/.initrd.lock"
flock 9
if [[ -s $initrd ]]; then
    deliver
    exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vpid-initrd.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"
mkdir -p "$root"/{bin,dev,proc,sys,host,modules,vpid,tmp}

cp "$busybox" "$root/bin/busybox"
while read -r applet; do
    [[ $applet == busybox ]] || ln -s busybox "$root/bin/$applet"
done < <("$busybox" --list)

# --- modules: 9p over virtio-pci, with their dependencies, in load order ---
declare -A dep_of=() path_of=() builtin=() loaded=()
order=()

# kernel/fs/9p/9p.ko.xz -> 9p ; foo-bar -> foo_bar (result in $mn; no subshell:
# modules.dep has thousands of lines)
modname() {
    mn=${1##*/}
    mn=${mn%%.ko*}
    mn=${mn//-/_}
}

while IFS= read -r line; do
    [[ -n $line ]] || continue
    modname "$line"
    builtin[$mn]=1
done <"$moddir/modules.builtin"

while IFS= read -r line; do
    [[ -n $line ]] || continue
    path=${line%%:*}
    modname "$path"
    path_of[$mn]=$path
    dep_of[$mn]=${line#*:}
done <"$moddir/modules.dep"

resolve() {
    local name=$1 dep
    [[ -z ${loaded[$name]-} ]] || return 0
    if [[ -n ${builtin[$name]-} ]]; then
        loaded[$name]=builtin
        return 0
    fi
    if [[ -z ${path_of[$name]-} ]]; then
        log "module $name is neither built into $kver nor in its modules.dep"
        exit 1
    fi
    loaded[$name]=pending
    # modules.dep lists dependencies so that modprobe loads them last-first;
    # resolving each recursively gives a valid order either way.
    for dep in ${dep_of[$name]}; do
        modname "$dep"
        resolve "$mn"
    done
    loaded[$name]=module
    order+=("$name")
}

have_mod() { [[ -n ${builtin[$1]-} || -n ${path_of[$1]-} ]]; }

# The guest's root: the host's over 9p, or, for a kernel without 9p (the
# cloud flavours), a disk image run.sh makes (tests/vm/mkroot.sh) on
# virtio-blk.  run.sh reads the choice from KDIR/transport.
if have_mod 9pnet_virtio && have_mod 9p; then
    transport=9p
    mods=(virtio_pci 9pnet_virtio 9p)
else
    transport=disk
    mods=(virtio_pci virtio_blk ext4)
fi
for m in "${mods[@]}"; do
    resolve "$m"
done
printf '%s\n' "$transport" >"$root/transport"
printf '%s\n' "$transport" >"$kdir/transport.new"
mv "$kdir/transport.new" "$kdir/transport"
# Optional: overlayfs shows the image's own modules under /lib/modules/KVER.
if [[ -n ${builtin[overlay]-} || -n ${path_of[overlay]-} ]]; then
    resolve overlay
fi

i=0
: >"$root/modules/order"
for name in "${order[@]}"; do
    src="$moddir/${path_of[$name]}"
    dst=$(printf '%s/modules/%02d-%s.ko' "$root" "$i" "$name")
    case $src in
        *.ko) cp "$src" "$dst" ;;
        *.ko.xz) xz -dc "$src" >"$dst" ;;
        *.ko.zst) zstd -q -dc "$src" >"$dst" ;;
        *.ko.gz) gzip -dc "$src" >"$dst" ;;
        *) log "unknown module format: $src"; exit 1 ;;
    esac
    printf '%s\n' "${dst##*/}" >>"$root/modules/order"
    i=$((i + 1))
done
log "$kver: modules ${order[*]:-(none)}; built in: $(
    for m in virtio_pci 9pnet_virtio 9p virtio virtio_ring overlay; do
        [[ ${loaded[$m]-} == builtin ]] && printf '%s ' "$m"
    done
)"

# --- /init (busybox ash) ---
cat >"$root/init" <<'INIT'
#!/bin/sh
# vpid test guest init: see tests/vm/mkinitrd.sh --help.
export PATH=/bin
TAP=/dev/ttyS1
CON=/dev/ttyS0

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

finish() {
    status=$1
    # Nothing of the guest may outlive it (or keep the serial ports open).
    kill -KILL -1 2>/dev/null
    sleep 0.1
    # Close our own console fds, so that the closes below are the last ones
    # and wait until the UART has sent everything.
    exec </dev/null >/dev/null 2>&1
    if [ "${VPID_INTERACTIVE:-0}" != 1 ]; then
        {
            echo "vpid-dmesg-begin"
            dmesg
            echo "vpid-dmesg-end"
        } >"$CON" 2>&1
    fi
    echo "vpid-guest-exit=$status" >"$TAP"
    sync
    poweroff -f
    sleep 5
    echo o >/proc/sysrq-trigger
    while :; do sleep 60; done
}

fail() {
    echo "vpid-init: $*" >"$CON"
    echo "not ok - guest setup: $*" >"$TAP"
    finish 1
}

[ -c "$TAP" ] || fail "no $TAP"
[ -f /vpid/conf ] || fail "no run configuration (/vpid/conf) in the initramfs"
. /vpid/conf
# The guest command's environment: exactly the lines of /vpid/env.
set --
while IFS= read -r kv; do
    [ -n "$kv" ] && set -- "$@" "$kv"
done </vpid/env

while read -r ko; do
    [ -n "$ko" ] || continue
    insmod "/modules/$ko" >"$CON" 2>&1 || fail "insmod $ko"
done </modules/order

if [ "$(cat /transport)" = disk ]; then
    # the guest root image on virtio-blk (it may take a moment to appear)
    n=0
    while [ ! -b /dev/vda ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
    mount -t ext4 -o ro /dev/vda /host >"$CON" 2>&1 || fail "mount /dev/vda (guest root image)"
else
    # 9p: read-only, no caching (the host may change files between runs).
    mount -t 9p -o "trans=virtio,version=9p2000.L,ro,cache=none,msize=262144" \
        hostroot /host >"$CON" 2>&1 || fail "mount 9p hostroot"
fi

H=/host
# The image's own modules under /lib/modules/KVER, merged with the host's
# /lib/modules (build/ and source/ links where the host has KVER's headers;
# KVER itself need not exist on the host: a trixie or sid kernel), before
# the tmpfs mounts: VPID_KDIR may be under /tmp.
kmods=$H$VPID_KDIR/lib/modules
if [ -n "${VPID_KDIR:-}" ] && [ -d "$kmods/$VPID_KVER" ] && [ -d $H/lib/modules ] &&
    grep -qw overlay /proc/filesystems 2>/dev/null; then
    mount -t overlay -o "ro,lowerdir=$kmods:$H/lib/modules" overlay \
        $H/lib/modules >"$CON" 2>&1 || fail "overlay $H/lib/modules"
fi
mount -t proc proc $H/proc || fail "mount $H/proc"
mount -t sysfs sysfs $H/sys || fail "mount $H/sys"
mount -t devtmpfs devtmpfs $H/dev || fail "mount $H/dev"
mkdir -p $H/dev/pts $H/dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $H/dev/pts || fail "mount $H/dev/pts"
mount -t tmpfs -o mode=1777 tmpfs $H/dev/shm || fail "mount $H/dev/shm"
# A repository under /tmp, /run or /var/tmp (a CI clone) stays visible:
# keep the 9p view of it and put it back over the fresh tmpfs.
case "${VPID_REPO:-}" in
/tmp/* | /run/* | /var/tmp/*)
    mkdir -p /repo
    mount -o bind "$H$VPID_REPO" /repo || fail "bind $VPID_REPO"
    ;;
esac
mount -t tmpfs -o mode=1777 tmpfs $H/tmp || fail "mount $H/tmp"
mount -t tmpfs -o mode=755 tmpfs $H/run || fail "mount $H/run"
mount -t tmpfs -o mode=1777 tmpfs $H/var/tmp || fail "mount $H/var/tmp"
if [ -d /repo ]; then
    mkdir -p "$H$VPID_REPO"
    mount -o bind /repo "$H$VPID_REPO" || fail "rebind $VPID_REPO"
fi
if [ -d $H/sys/kernel/debug ]; then
    mount -t debugfs debugfs $H/sys/kernel/debug || fail "mount debugfs"
fi
if [ -d $H/sys/kernel/tracing ]; then
    mount -t tracefs tracefs $H/sys/kernel/tracing || fail "mount tracefs"
fi
mkdir -p $H/run/vpid $H/run/lock
cp -a /vpid/. $H/run/vpid/ || fail "copy /vpid to $H/run/vpid"
hostname vpid-guest

# From here on, kernel messages up to KERN_INFO reach the console as they
# happen (a hang or a panic still leaves them in the log).
echo 7 >/proc/sys/kernel/printk

if [ "${VPID_INTERACTIVE:-0}" = 1 ]; then
    chroot $H /usr/bin/setsid -w -c /usr/bin/env -i "$@" /bin/bash /run/vpid/guest.sh \
        <>$CON >&0 2>&0
else
    chroot $H /usr/bin/env -i "$@" /bin/bash /run/vpid/guest.sh </dev/null >"$TAP" 2>"$CON"
fi
finish $?
INIT
chmod +x "$root/init"

(cd "$root" && find . -print0 | LC_ALL=C sort -z |
    cpio --null -o -H newc --owner=0:0 --quiet) | gzip -6 -n >"$tmp/initrd.cpio.gz"
mv "$tmp/initrd.cpio.gz" "$initrd"
# Older initrds of this kernel are stale now.
# (not the fresh ones: a parallel run may be about to use one)
find "$kdir" -maxdepth 1 -name 'initrd-*.cpio.gz' ! -name "${initrd##*/}" -mmin +60 -delete
log "built $initrd ($(du -k "$initrd" | cut -f1) KiB)"
deliver
