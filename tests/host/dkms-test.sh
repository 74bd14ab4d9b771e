#!/usr/bin/env bash
# Host side of `make check`: vpid's DKMS package (dkms.conf, scripts/dkms.sh)
# for every installed Debian header set. Prints TAP.
set -uo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

usage() {
    cat <<'USAGE'
Usage: tests/host/dkms-test.sh [KVER...]

For each KVER (default: the kernels tests/vm/kernels.sh boots whose
headers are installed on this machine), as root: `scripts/dkms.sh
install KVER` (dkms add + build + install from a copy of the sources in
/usr/src/vpid-VERSION), checks dkms status, the installed file, its
vermagic, name and version (modinfo) and that modprobe finds it by name,
runs the install again (must change nothing), keeps a copy of the
dkms-built module in build/dkms/KVER/vpid.ko for the VM test
(tests/guest/t60-vpidctl.sh loads it; vpid.ko.xz where dkms
compressed it), then removes the package again.
A kernel for which vpid was already installed before the test is left
installed (rebuilt from these sources).

Prints TAP; exit status 0 when every test passed. Not root: skips all.
dkms's own output goes to build/dkms/dkms-test.log.
USAGE
}

case ${1-} in
    -h | --help) usage; exit 0 ;;
esac

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo" || exit 1

if ((EUID != 0)); then
    echo "1..0 # SKIP dkms-test.sh needs root"
    exit 0
fi
if ! command -v dkms >/dev/null; then
    echo "Bail out! dkms is not installed (scripts/deps.sh installs it)"
    exit 1
fi

if (($#)); then
    kvers=("$@")
else
    mapfile -t kvers < <(grep -Fxf <(tests/vm/kernels.sh --installed) <(tests/vm/kernels.sh))
fi
if ((${#kvers[@]} == 0)); then
    echo "Bail out! no kernel headers to build against"
    exit 1
fi

version=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' dkms.conf)
mkdir -p build/dkms
log=build/dkms/dkms-test.log
: >"$log"

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
# check DESC CMD...: CMD's output goes to the log; its tail follows a failure.
check() {
    local d=$1 mark
    shift
    mark=$(wc -l <"$log")
    echo "### $d: $*" >>"$log"
    if "$@" >>"$log" 2>&1; then
        ok "$d"
    else
        not_ok "$d"
        tail -n +"$((mark + 1))" "$log" | tail -n 20 | sed 's/^/# /'
    fi
}
is() {
    if [[ $2 == "$3" ]]; then ok "$1"; else
        not_ok "$1"
        printf '# expected: %s\n#      got: %s\n' "$2" "$3"
    fi
}

installed_line() { dkms status "vpid/$version" -k "$1" 2>/dev/null | grep -F ", $1," || true; }

# What was there before: leave it that way.
declare -A keep=() had_moddep=()
for kver in "${kvers[@]}"; do
    [[ $(installed_line "$kver") == *": installed"* ]] && keep[$kver]=1
    [[ -e /lib/modules/$kver/modules.dep ]] && had_moddep[$kver]=1
done
had_src=0
[[ -d /usr/src/vpid-$version ]] && had_src=1

# --- dkms.conf ---
is "dkms.conf: AUTOINSTALL=yes" 1 "$(grep -c '^AUTOINSTALL="\{0,1\}yes"\{0,1\}$' dkms.conf)"
is "dkms.conf: PACKAGE_VERSION matches MODULE_VERSION" \
    "$version" "$(sed -n 's/^MODULE_VERSION("\(.*\)");/\1/p' module/main.c)"

# The installed module: dkms compresses it like the kernel's own (6.12: .xz).
installed_ko() {
    local f
    for f in /lib/modules/"$1"/updates/dkms/vpid.ko{,.xz,.zst,.gz}; do
        [[ -e $f ]] && { echo "$f"; return; }
    done
    echo "/lib/modules/$1/updates/dkms/vpid.ko"
}

for kver in "${kvers[@]}"; do
    check "$kver: dkms add + build + install" scripts/dkms.sh install "$kver"
    ko=$(installed_ko "$kver")
    is "$kver: dkms status says installed" \
        "vpid/$version, $kver, $(uname -m): installed" "$(installed_line "$kver")"
    check "$kver: $ko exists" test -f "$ko"
    magic=$(modinfo -F vermagic "$ko" 2>/dev/null)
    is "$kver: vermagic names the kernel" "$kver" "${magic%% *}"
    # The rest of vermagic (SMP preempt mod_unload modversions ...) must be
    # that of the kernel's own modules, where some are at hand.
    ref=$(find "/lib/modules/$kver/kernel" \
        "${VPID_CACHE:-/var/cache/vpid}/kernel/$kver/lib/modules/$kver/kernel" \
        -name '*.ko*' 2>/dev/null | head -n 1)
    if [[ -n $ref ]]; then
        is "$kver: vermagic is that of the kernel's own modules" \
            "$(modinfo -F vermagic "$ref" 2>/dev/null)" "$magic"
    else
        ok "$kver: vermagic is that of the kernel's own modules # SKIP none at hand"
    fi
    is "$kver: module name" vpid "$(modinfo -F name "$ko" 2>/dev/null)"
    is "$kver: module version" "$version" "$(modinfo -F version "$ko" 2>/dev/null)"
    is "$kver: modprobe finds it by name" "insmod $ko" \
        "$(modprobe -S "$kver" --show-depends vpid 2>&1 | sed 's/ *$//')"
    out=$(scripts/dkms.sh install "$kver" 2>&1)
    rc=$?
    echo "$out" >>"$log"
    is "$kver: a second install succeeds and changes nothing" "0 1 1" \
        "$rc $(grep -c 'already built' <<<"$out") $(grep -c 'already installed' <<<"$out")"
    if [[ -f $ko ]]; then
        rm -rf "build/dkms/$kver"
        mkdir -p "build/dkms/$kver"
        cp "$ko" "build/dkms/$kver/"
    fi
done

for kver in "${kvers[@]}"; do
    [[ -n ${keep[$kver]-} ]] && { echo "# $kver: vpid was installed before the test: left installed"; continue; }
    ko=$(installed_ko "$kver")
    check "$kver: dkms remove" scripts/dkms.sh remove "$kver"
    is "$kver: dkms status lists nothing" "" "$(installed_line "$kver")"
    check "$kver: $ko is gone" test ! -e "$ko"
    check "$kver: modprobe no longer finds it" \
        sh -c "! modprobe -S '$kver' --show-depends vpid"
    # depmod made a modules.* set where there was none (headers only)
    if [[ -z ${had_moddep[$kver]-} ]]; then
        rm -f /lib/modules/"$kver"/modules.*
        rmdir /lib/modules/"$kver"/updates/dkms /lib/modules/"$kver"/updates 2>/dev/null
    fi
done

if ((${#keep[@]} == 0 && had_src == 0)); then
    check "remove of the whole package" scripts/dkms.sh remove
    is "dkms status vpid is empty" "" "$(dkms status vpid 2>/dev/null)"
    check "/usr/src/vpid-$version is gone" test ! -e "/usr/src/vpid-$version"
fi

echo "1..$n"
((failed == 0))
