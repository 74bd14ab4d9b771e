#!/usr/bin/env bash
# Register, build, install and remove vpid with DKMS (dkms.conf at the root).
set -euo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

usage() {
    cat <<'USAGE'
Usage: scripts/dkms.sh COMMAND [KVER...]

Drives dkms for vpid from this work tree. The sources (Makefile, Kbuild,
dkms.conf and the module's .c/.h files) are copied to /usr/src/vpid-VERSION,
VERSION being PACKAGE_VERSION of dkms.conf; then dkms builds them with
`make KVER=KVER modules`. Every command is idempotent: run again with the
same sources it changes nothing; with changed sources it first removes the
stale package (all kernels) and starts again.

Commands:
  add             copy the sources and `dkms add` them
  build [KVER]    add, then `dkms build` for each KVER
  install [KVER]  build, then `dkms install` for each KVER (the module goes
                  to /lib/modules/KVER/updates/dkms/vpid.ko, depmod is run,
                  and dkms rebuilds it for every new kernel: AUTOINSTALL)
  remove [KVER]   `dkms remove` for each KVER; with no KVER for every kernel,
                  and the /usr/src copy goes too
  status          `dkms status vpid`
  path KVER       print the path of the module dkms built for KVER
  sources         print the files dkms gets, NUL-separated, relative to
                  the tree (what `add` copies; needs no dkms)

KVER defaults to the running kernel when its headers are installed, else to
every Debian kernel whose headers are installed (tests/vm/kernels.sh).
Needs root (except status and path). Exit status: dkms's (77: this kernel is
excluded by BUILD_EXCLUSIVE_* in dkms.conf).
USAGE
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
conf=$repo/dkms.conf

say() { echo "dkms.sh: $*" >&2; }
die() { say "$*"; exit 1; }

[[ -r $conf ]] || die "no $conf"
name=$(sed -n 's/^PACKAGE_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$conf")
version=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$conf")
[[ -n $name && -n $version ]] || die "no PACKAGE_NAME/PACKAGE_VERSION in $conf"
src=/usr/src/$name-$version
dkms_tree=/var/lib/dkms

default_kvers() {
    local running
    running=$(uname -r)
    if [[ -d /lib/modules/$running/build ]]; then
        echo "$running"
    else
        "$repo/tests/vm/kernels.sh" --installed
    fi
}

# The files dkms needs, relative to the repo, NUL-separated and sorted.
source_files() {
    (cd "$repo" && {
        printf '%s\0' Makefile Kbuild dkms.conf
        find module procfs hooks core engine include -name '*.[chS]' -print0
    } | LC_ALL=C sort -z)
}

source_hash() {
    (cd "$repo" && source_files | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

need_dkms() {
    command -v dkms >/dev/null || die "dkms is not installed (apt-get install dkms)"
}

need_root() {
    ((EUID == 0)) || die "$1 needs root: run it with sudo (or make $2 as root)"
}

is_added() { [[ -d $dkms_tree/$name/$version ]]; }

# Copy the sources to $src unless the same ones are there and added.
do_add() {
    local hash old=''
    hash=$(source_hash)
    [[ -r $src/.vpid-source-hash ]] && old=$(cat "$src/.vpid-source-hash")
    if [[ $hash == "$old" ]] && is_added; then
        say "$name/$version: sources in $src are current and added"
        return 0
    fi
    if is_added; then
        say "$name/$version: sources changed; removing the stale package"
        dkms remove "$name/$version" --all
    fi
    rm -rf "$src"
    mkdir -p "$src"
    (cd "$repo" && source_files | cpio --null -pdm --quiet "$src")
    echo "$hash" >"$src/.vpid-source-hash"
    say "$name/$version: sources copied to $src"
    dkms add "$name/$version"
}

# dkms's exit status, and the tail of make.log when a build failed.
run_dkms() {
    local kver=$1 rc=0
    shift
    dkms "$@" "$name/$version" -k "$kver" || rc=$?
    if ((rc != 0)); then
        local log=$dkms_tree/$name/$version/build/make.log
        if ((rc != 77)) && [[ -r $log ]]; then
            say "dkms $1 failed for $kver ($rc); the end of $log:"
            tail -n 30 "$log" >&2
        fi
        exit "$rc"
    fi
}

cmd=${1-}
[[ -n $cmd ]] || { usage >&2; exit 2; }
shift
case $cmd in
    -h | --help) usage; exit 0 ;;
    add | build | install | remove | status | path) ;;
    sources) source_files; exit 0 ;;
    *) say "unknown command: $cmd"; usage >&2; exit 2 ;;
esac
need_dkms

case $cmd in
    status)
        dkms status "$name"
        ;;
    path)
        [[ $# == 1 ]] || die "path wants one KVER"
        ko=$dkms_tree/$name/$version/$1/$(uname -m)/module/$name.ko
        for f in "$ko" "$ko".xz "$ko".zst "$ko".gz; do
            [[ -f $f ]] && { echo "$f"; exit 0; }
        done
        die "$name/$version is not built for $1"
        ;;
    add)
        need_root "adding a dkms package" dkms-install
        do_add
        ;;
    build | install)
        need_root "building with dkms" "dkms-$cmd"
        kvers=("$@")
        ((${#kvers[@]})) || mapfile -t kvers < <(default_kvers)
        ((${#kvers[@]})) || die "no kernel to build for"
        do_add
        for kver in "${kvers[@]}"; do
            run_dkms "$kver" build
            [[ $cmd == install ]] && run_dkms "$kver" install
        done
        ;;
    remove)
        need_root "removing a dkms package" dkms-remove
        if ! is_added; then
            say "$name/$version is not added; nothing to remove"
        elif (($#)); then
            for kver in "$@"; do
                if dkms status "$name/$version" -k "$kver" | grep -qF ", $kver,"; then
                    dkms remove "$name/$version" -k "$kver"
                else
                    say "$name/$version: nothing for $kver"
                fi
            done
        else
            dkms remove "$name/$version" --all
        fi
        if (($# == 0)); then
            rm -rf "$src"
        fi
        ;;
esac
