#!/usr/bin/env bash
# Build (once) a debug kernel (KASAN, lockdep, kmemleak, UBSAN) from Debian's
# linux-source-6.1 and install it where tests/vm/run.sh boots kernels from.
set -euo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

usage() {
    cat <<'USAGE'
Usage: scripts/debug-kernel.sh [--print-kver] [--force]

Builds a debug kernel from Debian's own linux-source-6.1
(/usr/src/linux-source-6.1.tar.xz, extracted into the cache) with Debian's
6.1 config trimmed to what the QEMU test VM needs (every =m dropped, big
subsystems off, 9p/virtio/serial built in) plus KASAN (generic, inline),
lockdep (PROVE_LOCKING, PROVE_RCU), DEBUG_ATOMIC_SLEEP, kmemleak, DEBUG_LIST
and UBSAN. The build tree stays in CACHE/debug/linux-source-6.1 (ready for
out-of-tree modules: make -C TREE M=...), and the kernel is installed like a
stock one in CACHE/kernel/KVER/{vmlinuz,System.map,config,lib/modules}
(so fetch-kernel.sh finds it complete and never asks apt for it), with
/lib/modules/KVER/build -> the tree (so `make KVER=KVER` builds vpid.ko).
No PVH vmlinux there: this KASAN kernel does not boot through PVH, so
run.sh boots vmlinuz (~75 s to the guest command under TCG).
KVER is `make kernelrelease` of that tree: 6.1.SUBLEVEL-vpiddebug.

A second call is a fast no-op (the config recipe and Debian's config are
hashed; a change rebuilds incrementally). Prints KVER on stdout; progress and
the build time on stderr. Heavy steps run under nice -n 19 / ionice -c3.

Options:
  --print-kver  only print the KVER the cached build has (fails if none)
  --force       rebuild and reinstall even if the stamp says it is current

Environment:
  VPID_CACHE      cache root (default /var/cache/vpid, as fetch-kernel.sh)
  VPID_DEBUG_SRC  source tarball (default /usr/src/linux-source-6.1.tar.xz)
  VPID_DEBUG_BASE base config (default: the installed 6.1 headers' .config,
                  else a cached stock 6.1 kernel's config)
  JOBS            make -j (default: nproc)
USAGE
}

print_only=0
force=0
while (($#)); do
    case $1 in
        --print-kver) print_only=1 ;;
        --force) force=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "debug-kernel.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

log() { echo "debug-kernel.sh: $*" >&2; }
die() { log "$*"; exit 1; }

. "$(dirname "${BASH_SOURCE[0]}")/cache.sh"
cache=$(vpid_cache_root)
dbg=$cache/debug
tree=$dbg/linux-source-6.1
mkdir -p "$dbg" "$cache/kernel"

if ((print_only)); then
    [[ -s $dbg/kver ]] || die "no debug kernel built yet (run scripts/debug-kernel.sh)"
    cat "$dbg/kver"
    exit 0
fi

exec 9>"$dbg/.lock"
flock 9

heavy=(nice -n 19 ionice -c3)
jobs=${JOBS:-$(nproc)}

tarball=${VPID_DEBUG_SRC:-/usr/src/linux-source-6.1.tar.xz}
base=${VPID_DEBUG_BASE-}
if [[ -z $base ]]; then
    for c in /lib/modules/6.1.*-amd64/build/.config "$cache"/kernel/6.1.*-amd64/config; do
        [[ $c == *-rt-* ]] && continue
        [[ -s $c ]] && { base=$c; break; }
    done
fi
[[ -n $base && -s $base ]] || die "no Debian 6.1 config found (apt-get install linux-headers-amd64)"

# --- the config recipe: applied to Debian's config with scripts/config ---
# Off: everything Debian builds as a module (sed below), and the big built-in
# subsystems the VM has no use for.
off=(
    DRM FB SOUND SND WIRELESS WLAN CFG80211 MAC80211 BT NFC WWAN
    MEDIA_SUPPORT INFINIBAND STAGING USB_GADGET USB_SUPPORT INPUT_JOYSTICK
    INPUT_TABLET INPUT_TOUCHSCREEN INPUT_MISC NETFILTER IPV6 NET_SCHED
    WAN ATM CAN ISDN HAMRADIO MPTCP XFRM_USER BRIDGE VLAN_8021Q
    XEN HYPERV VMWARE_VMCI
    SECURITY_SELINUX SECURITY_TOMOYO SECURITY_APPARMOR SECURITY_LOCKDOWN_LSM
    SECURITY_LANDLOCK IMA EVM INTEGRITY
    BPF_SYSCALL BPF_JIT DEBUG_INFO_BTF
    MODULE_SIG MODULE_SIG_ALL MODULE_COMPRESS_XZ MODULE_COMPRESS_ZSTD
    EXT4_FS BTRFS_FS XFS_FS NFS_FS CIFS SQUASHFS FAT_FS EFIVAR_FS
    HIBERNATION SUSPEND X86_SGX KVM SCSI ATA MD NVME_CORE
    # more built-in drivers and features the VM never touches (build time)
    NETDEVICES XFRM NET_DSA DCB NETLABEL WIRELESS_EXT NETWORK_PHY_TIMESTAMPING
    IP_MULTICAST IP_ADVANCED_ROUTER IP_PNP NET_IPIP NET_IPGRE_DEMUX INET_DIAG
    TCP_CONG_ADVANCED SYN_COOKIES NET_PKTGEN NET_DROP_MONITOR PACKET
    IOMMU_SUPPORT AMD_IOMMU INTEL_IOMMU IRQ_REMAP HW_RANDOM TCG_TPM
    I2C SPI GPIOLIB PINCTRL MFD_CORE REGULATOR THERMAL HWMON WATCHDOG
    CPU_FREQ EDAC POWERCAP X86_PLATFORM_DEVICES X86_MCE MICROCODE
    HID SERIO INPUT_KEYBOARD INPUT_MOUSE RTC_CLASS PPS PTP_1588_CLOCK
    ACPI_APEI ACPI_HMAT ACPI_NUMA NUMA MEMORY_HOTPLUG KSM ZSWAP HUGETLBFS
    AUDIT KEXEC KEXEC_FILE CRASH_DUMP PROFILING PERF_EVENTS_AMD_POWER
    QUOTA AUTOFS_FS FANOTIFY NLS UNICODE FS_ENCRYPTION FS_VERITY
    BLK_DEV_LOOP BLK_DEV_RAM BLK_DEV_NBD BLK_CGROUP CGROUP_RDMA CGROUP_HUGETLB
    KEXEC_CORE EFI_STUB EFI
    SYSTEM_DATA_VERIFICATION SECURITY_LOADPIN SECURITY_SAFESETID
    LOGO AGP VGA_ARB MEGARAID_SAS FIRMWARE_EDID DMIID
    LOCALVERSION_AUTO
    # no debug info: it doubles the build time; reports still carry symbols
    DEBUG_INFO DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT DEBUG_INFO_DWARF4 DEBUG_INFO_DWARF5
    # kmemleak must be on at boot (no kmemleak=on needed) and scan only when
    # asked: an automatic scan's boot-time false positives would end up in the
    # log that run.sh checks
    DEBUG_KMEMLEAK_DEFAULT_OFF DEBUG_KMEMLEAK_AUTO_SCAN
    UBSAN_TRAP
)
# On, built in: what run.sh's guest needs, vpid's hooks, and the debug checks.
on=(
    MODULES MODULE_UNLOAD
    PCI VIRTIO_MENU VIRTIO VIRTIO_PCI VIRTIO_PCI_LEGACY NET NET_9P NET_9P_VIRTIO
    NETWORK_FILESYSTEMS 9P_FS 9P_FS_POSIX_ACL FS_POSIX_ACL OVERLAY_FS
    SERIAL_8250 SERIAL_8250_CONSOLE TTY UNIX98_PTYS UNIX INET
    DEVTMPFS TMPFS TMPFS_POSIX_ACL PROC_FS SYSFS DEBUG_FS DEBUG_FS_ALLOW_ALL
    BLK_DEV_INITRD RD_GZIP BINFMT_ELF BINFMT_SCRIPT PVH ACPI
    NAMESPACES PID_NS USER_NS UTS_NS IPC_NS NET_NS CGROUPS
    SIGNALFD TIMERFD EVENTFD EPOLL FUTEX POSIX_TIMERS INOTIFY_USER FHANDLE
    SYSVIPC POSIX_MQUEUE SECURITY_YAMA
    FTRACE FUNCTION_TRACER DYNAMIC_FTRACE DYNAMIC_FTRACE_WITH_REGS
    DYNAMIC_FTRACE_WITH_ARGS KPROBES KALLSYMS KALLSYMS_ALL
    DEBUG_INFO_NONE
    DEBUG_KERNEL KASAN KASAN_GENERIC KASAN_INLINE
    PROVE_LOCKING PROVE_RCU DEBUG_ATOMIC_SLEEP DEBUG_KMEMLEAK DEBUG_LIST
    UBSAN UBSAN_BOUNDS UBSAN_SHIFT UBSAN_SANITIZE_ALL
)
vals=(
    DEBUG_KMEMLEAK_MEM_POOL_SIZE=40000
)
strs=(
    LOCALVERSION=-vpiddebug
    SYSTEM_TRUSTED_KEYS=
    SYSTEM_REVOCATION_KEYS=
)
# Must be =y after olddefconfig (checked).
required=(
    VIRTIO_PCI NET_9P NET_9P_VIRTIO 9P_FS 9P_FS_POSIX_ACL OVERLAY_FS
    SERIAL_8250 SERIAL_8250_CONSOLE DEVTMPFS TMPFS PROC_FS SYSFS DEBUG_FS
    BLK_DEV_INITRD RD_GZIP PVH PID_NS USER_NS MODULES MODULE_UNLOAD
    FTRACE FUNCTION_TRACER DYNAMIC_FTRACE DYNAMIC_FTRACE_WITH_REGS
    DYNAMIC_FTRACE_WITH_ARGS KPROBES KALLSYMS_ALL
    SIGNALFD EVENTFD EPOLL FUTEX POSIX_TIMERS INOTIFY_USER FHANDLE SYSVIPC
    POSIX_MQUEUE
    KASAN KASAN_GENERIC KASAN_INLINE LOCKDEP PROVE_LOCKING PROVE_RCU
    DEBUG_ATOMIC_SLEEP DEBUG_KMEMLEAK DEBUG_LIST UBSAN
)
must_be_off=(MODULE_SIG DEBUG_KMEMLEAK_DEFAULT_OFF DEBUG_INFO_BTF)

recipe_key=$(
    {
        sha256sum <"$base"
        printf '%s\n' "${off[@]}" -- "${on[@]}" -- "${vals[@]}" -- "${strs[@]}"
        printf '%s\n' "$tarball"
    } | sha256sum | cut -c1-16
)

installed() {
    [[ -s $dbg/kver && -f $dbg/stamp && $(cat "$dbg/stamp") == "$recipe_key" ]] || return 1
    local k
    k=$(cat "$dbg/kver")
    [[ -f $cache/kernel/$k/.complete && -e /lib/modules/$k/build/Makefile ]]
}

if ((!force)) && installed; then
    cat "$dbg/kver"
    exit 0
fi

t0=$(date +%s)

# --- source ---
if [[ ! -f $tree/.extracted ]]; then
    [[ -s $tarball ]] || die "$tarball missing (apt-get install linux-source-6.1)"
    log "extracting $tarball into $dbg"
    rm -rf "$tree" "$dbg/.x"
    mkdir -p "$dbg/.x"
    "${heavy[@]}" tar -xJf "$tarball" -C "$dbg/.x"
    mv "$dbg/.x/linux-source-6.1" "$tree"
    rmdir "$dbg/.x"
    touch "$tree/.extracted"
fi

# --- config ---
cfg() { "$tree/scripts/config" --file "$tree/.config" "$@"; }
log "config: Debian's $base, =m dropped, ${#off[@]} off, ${#on[@]} on"
apply() {
    local o
    for o in "${off[@]}"; do cfg --disable "$o"; done
    for o in "${on[@]}"; do cfg --enable "$o"; done
    for o in "${vals[@]}"; do cfg --set-val "${o%%=*}" "${o#*=}"; done
    for o in "${strs[@]}"; do cfg --set-str "${o%%=*}" "${o#*=}"; done
}
sed -E 's/^(CONFIG_[A-Za-z0-9_]+)=m$/# \1 is not set/' "$base" >"$tree/.config"
(
    cd "$tree"
    # Twice: an option whose dependency the first round enables only sticks
    # in the second. (Kbuild rebuilds only what a changed option touches.)
    apply
    make -s olddefconfig >/dev/null
    apply
    make -s olddefconfig >/dev/null
)
bad=()
for o in "${required[@]}"; do
    grep -qx "CONFIG_$o=y" "$tree/.config" || bad+=("$o")
done
for o in "${must_be_off[@]}"; do
    grep -q "^CONFIG_$o=" "$tree/.config" && bad+=("!$o")
done
((${#bad[@]} == 0)) || die "config: not as required after olddefconfig: ${bad[*]}"
log "config: $(grep -c '=y$' "$tree/.config") built-in options, $(grep -c '=m$' "$tree/.config") modules"

kver=$(make -s -C "$tree" kernelrelease)
[[ $kver =~ ^[A-Za-z0-9.+_~-]+$ ]] || die "odd kernelrelease: $kver"

# --- build ---
log "building $kver with -j$jobs (nice 19, ionice idle)"
tb=$(date +%s)
(
    cd "$tree"
    "${heavy[@]}" make -j"$jobs" -s bzImage vmlinux modules
    "${heavy[@]}" make -j"$jobs" -s modules_prepare
)
build_s=$(($(date +%s) - tb))
log "built $kver in $((build_s / 60)) min $((build_s % 60)) s"
[[ -s $tree/Module.symvers ]] || die "no Module.symvers after the build"

# --- install like a stock kernel (see tests/vm/fetch-kernel.sh) ---
dest=$cache/kernel/$kver
new=$(mktemp -d "$cache/kernel/.$kver.tmp.XXXXXX")
trap 'rm -rf "$new"' EXIT
chmod 755 "$new"  # (mktemp -d makes it 0700)
(
    cd "$tree"
    "${heavy[@]}" make -s INSTALL_MOD_PATH="$new" modules_install >/dev/null
)
# modules_install points build/ and source/ at the tree: fine, the same as
# the host's /lib/modules/KVER/build below.
cp "$tree/arch/x86/boot/bzImage" "$new/vmlinuz"
# No vmlinux: this KASAN kernel dies at once when QEMU enters it through
# PVH (stock kernels boot that way); .no-vmlinux makes run.sh boot vmlinuz
# (bzImage), and stops fetch-kernel.sh from extracting a vmlinux. The
# symbols for decoding reports are in $tree/vmlinux.
touch "$new/.no-vmlinux"
cp "$tree/System.map" "$new/System.map"
cp "$tree/.config" "$new/config"
printf 'built by scripts/debug-kernel.sh from %s (recipe %s)\n' "${tarball##*/}" "$recipe_key" >"$new/package"
touch "$new/.complete"
rm -rf "$dest"
mv "$new" "$dest"
trap - EXIT

mkdir -p "/lib/modules/$kver"
ln -sfn "$tree" "/lib/modules/$kver/build"
printf '%s\n' "$kver" >"$dbg/kver"
printf '%s\n' "$recipe_key" >"$dbg/stamp"
printf '%s\n' "$build_s" >"$dbg/build-seconds"
log "installed $kver in $dest; /lib/modules/$kver/build -> $tree; total $(($(date +%s) - t0)) s"
printf '%s\n' "$kver"
