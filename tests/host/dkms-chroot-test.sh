#!/usr/bin/env bash
# dkms.conf on a release newer than this machine's: in the trixie chroot of
# scripts/debian.sh, with trixie's own dkms, vpid is added from a copy of
# this tree, built and installed for trixie-backports' 7.x kernel, and
# rebuilt by dkms's own header hook when a kernel's headers are installed
# (AUTOINSTALL, BUILD_EXCLUSIVE_* of dkms.conf).  Prints TAP.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
case ${1-} in -h | --help) sed -n 2,6p "$0"; exit 0 ;; esac

if ((EUID != 0)); then
    echo "ok - dkms on trixie # SKIP needs root (debootstrap, chroot)"
    exit 0
fi
deb="$repo/scripts/debian.sh"
ver=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$repo/dkms.conf")
k7=$("$deb" kver trixie-bpo) && k6=$("$deb" kver trixie) || {
    echo "not ok - dkms on trixie: the trixie kernel lines resolve"
    exit 1
}
logf=$repo/build/dkms/dkms-chroot-test.log
mkdir -p "${logf%/*}"
: >"$logf"
fails=0
t() {
    local d=$1
    shift
    if "$@" >>"$logf" 2>&1; then
        echo "ok - $d"
    else
        echo "not ok - $d"
        tail -n 15 "$logf" | sed 's/^/# /'
        fails=$((fails + 1))
    fi
}
in_root() { "$deb" run trixie "$repo" "$@"; }

t "trixie chroot has $k7 and $k6 headers" sh -c "'$deb' headers '$k7' && '$deb' headers '$k6'"
t "trixie's dkms installs in the chroot" in_root apt-get -y -q install dkms
# the sources as dkms sees them (what scripts/dkms.sh copies), no build dir
t "dkms add vpid/$ver from a copy of the tree" in_root sh -c "
    dkms remove vpid/$ver --all >/dev/null 2>&1
    rm -rf /usr/src/vpid-$ver && mkdir -p /usr/src/vpid-$ver &&
    cd /vpid-src && scripts/dkms.sh sources | xargs -0 cp -a --parents -t /usr/src/vpid-$ver/ &&
    dkms add vpid/$ver"
t "dkms install vpid for $k7 (7.x, BUILD_EXCLUSIVE lets it in)" in_root dkms install "vpid/$ver" -k "$k7"
t "the module dkms built for $k7 is installed" in_root sh -c \
    "ls /lib/modules/$k7/updates/dkms/vpid.ko* && modinfo -F vermagic /lib/modules/$k7/updates/dkms/vpid.ko* | grep -q '^$k7 '"
# dkms's own hook, as a headers package runs it on install
t "installing $k6's headers rebuilds vpid for it (AUTOINSTALL)" in_root sh -c \
    "rm -f /lib/modules/$k6/updates/dkms/vpid.ko*; apt-get -y -q install --reinstall linux-headers-$k6 &&
     ls /lib/modules/$k6/updates/dkms/vpid.ko*"
t "dkms status: installed for both" in_root sh -c \
    "dkms status vpid | grep -q '$k7.*installed' && dkms status vpid | grep -q '$k6.*installed'"
t "an excluded kernel is refused, not built (BUILD_EXCLUSIVE_KERNEL: 5.10)" in_root sh -c \
    "mkdir -p /lib/modules/5.10.0-99-amd64/build; out=\$(dkms build vpid/$ver -k 5.10.0-99-amd64 2>&1); rc=\$?;
     rmdir /lib/modules/5.10.0-99-amd64/build /lib/modules/5.10.0-99-amd64; echo \"\$out\"; [ \$rc = 77 ]"
t "dkms remove leaves nothing" in_root sh -c \
    "dkms remove vpid/$ver --all && rm -rf /usr/src/vpid-$ver && ! ls /lib/modules/*/updates/dkms/vpid.ko* 2>/dev/null"
exit $((fails > 0))
