#!/usr/bin/env bash
# Fetch and unpack a Debian stock kernel image (never installed) into a cache.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

usage() {
    cat <<'USAGE'
Usage: tests/vm/fetch-kernel.sh KVER

Makes sure the cache directory CACHE/kernel/KVER/ holds the Debian stock
kernel KVER: `vmlinuz`, `config`, `System.map` and `lib/modules/KVER/...`,
and prints that directory. It also holds `vmlinux`, the same kernel
decompressed from vmlinuz (an ELF with a PVH entry point, which QEMU boots
directly: this saves the 2-5 s that the x86 decompressor takes under TCG),
when that extraction works. The image comes from
`apt-get download linux-image-KVER-unsigned` (or `linux-image-KVER` when
there is no -unsigned package), unpacked with `dpkg -x`: nothing is
installed. A second call is instant. Safe to run in parallel (flock).

Environment:
  VPID_CACHE  cache root (default /var/cache/vpid; when that is not
              writable, ${XDG_CACHE_HOME:-$HOME/.cache}/vpid)
USAGE
}

case ${1-} in
    -h | --help) usage; exit 0 ;;
    '') usage >&2; exit 2 ;;
esac
kver=$1
[[ $kver =~ ^[A-Za-z0-9.+_~-]+$ ]] || { echo "fetch-kernel.sh: bad kernel version: $kver" >&2; exit 2; }

. "$here/../../scripts/cache.sh"
base="$(vpid_cache_root)/kernel"
dest="$base/$kver"
mkdir -p "$base"

complete() {
    [[ -s $dest/vmlinuz && -f $dest/.complete && -d $dest/lib/modules/$kver ]] &&
        [[ -s $dest/vmlinux || -f $dest/.no-vmlinux ]]
}

log() { echo "fetch-kernel.sh: $*" >&2; }

# Decompress the kernel proper out of a bzImage (boot protocol >= 2.08:
# payload_offset/payload_length in the setup header) into an ELF vmlinux, if
# it has a PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY, type 0x12) for QEMU.
# Writes $2 on success; returns non-zero otherwise.
extract_vmlinux() {
    local bz=$1 out=$2 setup_sects off len start magic
    setup_sects=$(od -An -t u1 -j $((0x1f1)) -N 1 "$bz" | tr -d ' ')
    ((setup_sects == 0)) && setup_sects=4
    read -r off len < <(od -An -t u4 -j $((0x248)) -N 8 "$bz")
    [[ -n $off && -n $len ]] && ((len > 4)) || return 1
    start=$(((setup_sects + 1) * 512 + off))
    # The payload ends with the 4-byte decompressed size: not part of the stream.
    magic=$(od -An -t x1 -j "$start" -N 4 "$bz" | tr -d ' ')
    local -a unpack
    case $magic in
        fd377a58) unpack=(xz -dc) ;;
        28b52ffd) unpack=(zstd -q -dc) ;;
        1f8b*) unpack=(gzip -dc) ;;
        *) log "unknown kernel payload compression (magic $magic)"; return 1 ;;
    esac
    dd if="$bz" iflag=skip_bytes,count_bytes skip="$start" count="$((len - 4))" bs=1M status=none |
        "${unpack[@]}" >"$out.tmp" || return 1
    [[ $(od -An -c -N 4 "$out.tmp" | tr -d ' ') == '177ELF' ]] || return 1
    readelf -n "$out.tmp" 2>/dev/null | grep -Eq 'Xen.*(0x00000012|PHYS32_ENTRY)' || return 1
    mv "$out.tmp" "$out"
}

# vmlinux for a kernel dir (new or cached by an older version of this script)
add_vmlinux() {
    local dir=$1
    [[ -s $dir/vmlinux || -f $dir/.no-vmlinux ]] && return 0
    if extract_vmlinux "$dir/vmlinuz" "$dir/vmlinux"; then
        log "extracted vmlinux (PVH boot) from vmlinuz"
    else
        rm -f "$dir/vmlinux.tmp"
        log "no PVH vmlinux could be extracted from vmlinuz; QEMU will boot vmlinuz"
        touch "$dir/.no-vmlinux"
    fi
}

if complete; then
    printf '%s\n' "$dest"
    exit 0
fi

exec 9>"$base/.$kver.lock"
flock 9
if complete; then  # somebody else fetched it while we waited
    printf '%s\n' "$dest"
    exit 0
fi
if [[ -s $dest/vmlinuz && -f $dest/.complete ]]; then
    add_vmlinux "$dest"
    printf '%s\n' "$dest"
    exit 0
fi

tmp=$(mktemp -d "$base/.$kver.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Which archive carries KVER: this machine's apt (bookworm), or another
# release's through scripts/debian.sh's private apt configuration.
family=$("$here/../../scripts/debian.sh" family "$kver")
apt_do() {
    if [[ $family == bookworm ]]; then
        "$@"
    else
        "$here/../../scripts/debian.sh" apt "$family" "$@"
    fi
}

have_pkg() {
    # A candidate version exists in the apt lists.
    local cand
    cand=$(apt_do apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
    [[ -n $cand && $cand != '(none)' ]]
}

# 7.x splits the image: the kernel in linux-binary-KVER, its modules in
# linux-modules-KVER, config and modules.builtin in linux-base-KVER
# (linux-image-KVER is then a meta package).  Before, one package.
pkgs=()
for attempt in 1 2; do
    if have_pkg "linux-binary-$kver"; then
        pkgs=("linux-binary-$kver" "linux-modules-$kver" "linux-base-$kver")
        break
    fi
    for p in "linux-image-$kver-unsigned" "linux-image-$kver"; do
        if have_pkg "$p"; then pkgs=("$p"); break 2; fi
    done
    if ((attempt == 1)) && ((EUID == 0)) && [[ $family == bookworm ]]; then
        log "no linux-image package for $kver in the apt lists; running apt-get update"
        apt-get update -q >&2
    fi
done
if ((${#pkgs[@]} == 0)); then
    log "no linux-binary-$kver, linux-image-$kver-unsigned or linux-image-$kver from apt"
    exit 1
fi

log "downloading ${pkgs[*]}"
mkdir "$tmp/deb" "$tmp/x"
# apt-get download writes into the current directory; the sandbox user
# (_apt) cannot write to a mktemp dir, so download as the caller.
(cd "$tmp/deb" && apt_do apt-get download -q -o APT::Sandbox::User=root "${pkgs[@]}" >&2)
debs=("$tmp"/deb/*.deb)
[[ -f ${debs[0]} ]] || { log "apt-get download produced no .deb"; exit 1; }
for deb in "${debs[@]}"; do
    log "unpacking ${deb##*/}"
    dpkg -x "$deb" "$tmp/x"
done
# merged /usr (trixie and later): usr/lib/modules
if [[ -d $tmp/x/usr/lib/modules/$kver && ! -d $tmp/x/lib/modules/$kver ]]; then
    mkdir -p "$tmp/x/lib/modules"
    mv "$tmp/x/usr/lib/modules/$kver" "$tmp/x/lib/modules/$kver"
fi
for f in vmlinuz config System.map; do
    [[ -e $tmp/x/boot/$f-$kver || ! -e $tmp/x/lib/modules/$kver/$f ]] ||
        { mkdir -p "$tmp/x/boot"; mv "$tmp/x/lib/modules/$kver/$f" "$tmp/x/boot/$f-$kver"; }
done

vmlinuz="$tmp/x/boot/vmlinuz-$kver"
[[ -s $vmlinuz ]] || { log "$pkg has no boot/vmlinuz-$kver"; exit 1; }
[[ -d $tmp/x/lib/modules/$kver ]] || { log "$pkg has no lib/modules/$kver"; exit 1; }

# The image packages ship no modules.dep (a real install runs depmod).
if [[ ! -s $tmp/x/lib/modules/$kver/modules.dep ]]; then
    depmod -b "$tmp/x" "$kver"
fi

new="$tmp/kernel"
mkdir -p "$new/lib/modules"
mv "$vmlinuz" "$new/vmlinuz"
[[ -f $tmp/x/boot/config-$kver ]] && mv "$tmp/x/boot/config-$kver" "$new/config"
[[ -f $tmp/x/boot/System.map-$kver ]] && mv "$tmp/x/boot/System.map-$kver" "$new/System.map"
mv "$tmp/x/lib/modules/$kver" "$new/lib/modules/$kver"
printf '%s\n' "${debs[@]##*/}" >"$new/package"
add_vmlinux "$new"
touch "$new/.complete"

rm -rf "$dest"
mv "$new" "$dest"
log "cached $kver in $dest"
printf '%s\n' "$dest"
