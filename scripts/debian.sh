#!/usr/bin/env bash
# Debian's kernels as vpid follows them: which release each line is at now
# (asked of the archive), and, for releases whose tools need a newer C
# library than this machine's, a cached minimal chroot of their own release
# to hold their headers and build vpid with their compiler.
set -euo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

usage() {
    cat <<'USAGE'
Usage: scripts/debian.sh COMMAND [ARGS]

  lines [check|all]   print "LINE FAMILY KVER" for every kernel line of
                      tests/vm/kernels.conf (check: the ones make check boots)
  kver LINE           the release (uname -r) a line is at now, e.g.
                      trixie-bpo -> 7.3.4+deb13-amd64
  family KVER         bookworm (this machine's own release: headers from its
                      apt, built on the machine) or trixie / sid (built in a
                      chroot)
  headers KVER        make sure KVER's headers are there (chroot: made and
                      cached on first use; the machine: apt-get install)
  build KVER DIR [MAKEARGS]
                      build the module sources in DIR against KVER's headers
                      (in its chroot for trixie / sid)
  apt FAMILY CMD...   run an apt command (apt-get, apt-cache) on FAMILY's
                      archive with a private configuration under the cache:
                      the machine's own apt sources are never touched
  chroot FAMILY       make (or reuse) FAMILY's chroot; print its directory
  run FAMILY DIR CMD...
                      run CMD in FAMILY's chroot with DIR (may be "") bound
                      at /vpid-src and /proc mounted, in a mount namespace
                      of its own

Environment:
  VPID_CACHE    cache root (default /var/cache/vpid, else ~/.cache/vpid)
  VPID_MIRROR   Debian archive URI (default: the machine's, else
                http://deb.debian.org/debian)
USAGE
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
conf="$here/../tests/vm/kernels.conf"
HOST_FAMILY=bookworm

log() { echo "debian.sh: $*" >&2; }
die() { log "$*"; exit 1; }

. "$here/cache.sh"
CACHE=$(vpid_cache_root)

mirror() {
    local uri
    if [[ -n ${VPID_MIRROR-} ]]; then
        printf '%s\n' "$VPID_MIRROR"
        return
    fi
    uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' \
        /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

# The suites of a family, for its sources.list.
suites() {
    case $1 in
        trixie) echo "trixie trixie-updates trixie-backports trixie-security" ;;
        sid) echo "sid" ;;
        *) die "unknown release family: $1" ;;
    esac
}

sources_list() {
    local fam=$1 m s
    m=$(mirror)
    for s in $(suites "$fam"); do
        if [[ $s == *-security ]]; then
            printf 'deb %s %s main\n' "${m%/debian}/debian-security" "$s"
        else
            printf 'deb %s %s main\n' "$m" "$s"
        fi
    done
}

# apt on another release's archive: own sources, lists, cache and (empty)
# status; the lists are refreshed when older than an hour.
apt_private() {
    local fam=$1
    shift
    local d="$CACHE/apt/$fam"
    mkdir -p "$d/lists/partial" "$d/archives/partial"
    sources_list "$fam" >"$d/sources.list.new"
    cmp -s "$d/sources.list.new" "$d/sources.list" 2>/dev/null && rm "$d/sources.list.new" ||
        { mv "$d/sources.list.new" "$d/sources.list"; rm -f "$d/stamp"; }
    local -a o=(-o "Dir::Etc::SourceList=$d/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d" -o "Dir::Cache::archives=$d/archives"
        -o Dir::State::status=/dev/null -o APT::Architecture=amd64
        -o Acquire::Check-Valid-Until=false -o Debug::NoLocking=1
        -o APT::Sandbox::User=root
        -o "Dir::Etc::Trusted=/usr/share/keyrings/debian-archive-keyring.gpg")
    (
        flock 8
        if [[ -z $(find "$d/stamp" -mmin -60 2>/dev/null) ]]; then
            log "updating the $fam package lists"
            apt-get -q "${o[@]}" update >&2 || die "apt-get update for $fam failed"
            touch "$d/stamp"
        fi
    ) 8>"$d/.lock"
    local cmd=$1
    shift
    "$cmd" "${o[@]}" "$@"
}

# The headers package a meta package version depends on, as a release.
meta_kver() {
    grep -oE 'linux-headers-[0-9]+\.[0-9]+(\.[0-9]+)?(-[0-9]+|\+deb[0-9]+)(-[a-z]+)?-amd64' |
        awk 'NR == 1 {sub(/^linux-headers-/, ""); print}'
}

line_kver() {
    local line=$1 fam suite meta modes
    read -r _ fam suite meta modes < <(awk -v l="$line" '$1 == l' "$conf") ||
        die "unknown kernel line: $line (see tests/vm/kernels.conf)"
    if [[ $fam == "$HOST_FAMILY" ]]; then
        # The installed meta package when there is one (the headers the
        # build finds), else the archive's candidate.
        local dep
        dep=$(dpkg-query -W -f='${db:Status-Status} ${Depends}\n' "$meta" 2>/dev/null |
            sed -n 's/^installed //p' | meta_kver)
        [[ -n $dep ]] || dep=$(apt-cache depends "$meta" 2>/dev/null | meta_kver)
        [[ -n $dep ]] || die "$line: cannot resolve $meta (apt-get update?)"
        printf '%s\n' "$dep"
        return
    fi
    # Newest version of META in any of the line's suites.
    local ver
    ver=$(apt_private "$fam" apt-cache madison "$meta" |
        awk -F' [|] ' -v s="$suite" '
            BEGIN { n = split(s, want, ",") }
            { split($3, u, " "); split(u[2], p, "/")
              for (i = 1; i <= n; i++) if (p[1] == want[i]) { gsub(/ /, "", $2); print $2 } }' |
        sort -V | tail -n 1)
    [[ -n $ver ]] || die "$line: no $meta in $suite"
    apt_private "$fam" apt-cache show "$meta=$ver" | awk '/^Depends:/ && !f {print; f = 1}' | meta_kver
}

lines() {
    local want=${1:-all} line fam suite meta modes
    while read -r line fam suite meta modes; do
        [[ -z $line || $line == \#* ]] && continue
        [[ $want == all || ,$modes, == *,$want,* ]] || continue
        printf '%s %s %s\n' "$line" "$fam" "$(line_kver "$line")"
    done <"$conf"
}

family_of() {
    local kver=$1 fam cand
    case $kver in
        *+deb12-* | [0-9].[0-9]*.[0-9]*-[0-9]*-*) echo "$HOST_FAMILY"; return ;;
    esac
    for fam in trixie sid; do
        cand=$(apt_private "$fam" apt-cache policy "linux-headers-$kver" 2>/dev/null |
            awk '/Candidate:/ {print $2}')
        if [[ -n $cand && $cand != '(none)' ]]; then
            echo "$fam"
            return
        fi
    done
    die "no Debian archive this script knows carries linux-headers-$kver"
}

chroot_dir() {
    local fam=$1 d="$CACHE/chroot/$1"
    mkdir -p "$CACHE/chroot"
    (
        flock 8
        [[ -f $d/.complete ]] && exit 0
        command -v debootstrap >/dev/null || die "debootstrap is not installed (scripts/deps.sh)"
        rm -rf "$d"
        log "debootstrap $fam into $d (about a minute, once)"
        debootstrap --variant=minbase --include=gcc,make,libc6-dev,sparse,kmod \
            "$fam" "$d" "$(mirror)" >"$CACHE/chroot/$fam.log" 2>&1 ||
            { tail -n 20 "$CACHE/chroot/$fam.log" >&2; die "debootstrap $fam failed"; }
        sources_list "$fam" >"$d/etc/apt/sources.list"
        printf 'Acquire::Check-Valid-Until "false";\nAPT::Install-Recommends "false";\n' \
            >"$d/etc/apt/apt.conf.d/90vpid"
        touch "$d/.complete"
    ) 8>"$CACHE/chroot/.$fam.lock"
    printf '%s\n' "$d"
}

# Run a command in a chroot, with /proc and the given bind mount in a mount
# namespace of its own (nothing stays mounted after it).
in_chroot() {
    local d=$1 bind=$2
    shift 2
    unshare --mount --propagation private sh -c '
        d=$1 bind=$2; shift 2
        mount -t proc proc "$d/proc" || exit 1
        if [ -n "$bind" ]; then
            mkdir -p "$d/vpid-src" && mount --bind "$bind" "$d/vpid-src" || exit 1
        fi
        exec chroot "$d" "$@"' sh "$d" "$bind" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive MAKEFLAGS="${MAKEFLAGS-}" "$@"
}

headers() {
    local kver=$1 fam d
    # Headers on this machine (its own release's, or any kernel's on a
    # machine that runs that release: dkms there) are used as they are.
    [[ -d /lib/modules/$kver/build ]] && return 0
    fam=$(family_of "$kver")
    if [[ $fam == "$HOST_FAMILY" ]]; then
        [[ -d /lib/modules/$kver/build ]] && return 0
        ((EUID == 0)) || die "linux-headers-$kver is not installed (and not root)"
        apt-get install -y -q "linux-headers-$kver" >&2
        return
    fi
    d=$(chroot_dir "$fam")
    [[ -d $d/lib/modules/$kver/build ]] && return 0
    (
        flock 8
        [[ -d $d/lib/modules/$kver/build ]] && exit 0
        log "installing linux-headers-$kver in the $fam chroot (log: $CACHE/chroot/$fam.log)"
        { in_chroot "$d" "" apt-get -q update &&
            in_chroot "$d" "" apt-get -y -q install "linux-headers-$kver"; } \
            >>"$CACHE/chroot/$fam.log" 2>&1 ||
            { tail -n 20 "$CACHE/chroot/$fam.log" >&2; exit 1; }
    ) 8>"$CACHE/chroot/.$fam.lock" || die "cannot install linux-headers-$kver in the $fam chroot"
}

# Debian's 7.x header packages lack kbuild's scripts/checker-valid.sh, so
# `make C=1/C=2` (sparse) is always turned off.  In a chroot of ours, put a
# stand-in there that asks what kbuild asks: does the checker know
# __typeof_unqual__ (these kernels' headers use it under __CHECKER__).
checker_valid() {
    local d=$1 kver=$2 src f
    src=$(readlink -f "$d/lib/modules/$kver/build")
    src=${src#"$d"}
    for f in "$d$src/Makefile" "$d${src%-amd64}-common/Makefile"; do
        [[ -f $f ]] && grep -q checker-valid.sh "$f" || continue
        f="$(dirname "$f")/scripts/checker-valid.sh"
        [[ -e $f ]] && continue
        printf '%s\n' '#!/bin/sh' \
            '# added by vpid scripts/debian.sh: missing from the headers package' \
            't=$(mktemp --suffix=.c) || exit 1' \
            'echo "int a; __typeof_unqual__(a) b;" >"$t"' \
            'if "$@" "$t" 2>&1 | grep -q error; then echo 0; else echo 1; fi' \
            'rm -f "$t"' >"$f"
        chmod +x "$f"
    done
}

build() {
    local kver=$1 dir=$2 d
    shift 2
    dir=$(cd "$dir" && pwd)
    headers "$kver"
    if [[ -d /lib/modules/$kver/build ]]; then
        make -C "/lib/modules/$kver/build" M="$dir" "$@" modules
        return
    fi
    d=$(chroot_dir "$(family_of "$kver")")
    checker_valid "$d" "$kver"
    in_chroot "$d" "$dir" make -C "/lib/modules/$kver/build" M=/vpid-src "$@" modules
}

case ${1-} in
    -h | --help | '') usage; [[ -n ${1-} ]]; exit ;;
    lines) lines "${2-all}" ;;
    kver) line_kver "${2:?kver needs a line}" ;;
    family) family_of "${2:?family needs a kernel release}" ;;
    headers) headers "${2:?headers needs a kernel release}" ;;
    build) build "${2:?build needs a kernel release}" "${3:?build needs a directory}" "${@:4}" ;;
    apt) [[ $# -ge 3 ]] || die "apt needs FAMILY CMD"; fam=$2; shift 2; apt_private "$fam" "$@" ;;
    chroot) chroot_dir "${2:?chroot needs a family}" ;;
    run)
        [[ $# -ge 4 ]] || die "run needs FAMILY DIR CMD"
        d=$(chroot_dir "$2")
        bind=$3
        [[ -z $bind ]] || bind=$(cd "$bind" && pwd)
        shift 3
        in_chroot "$d" "$bind" "$@"
        ;;
    *) log "unknown command: $1"; usage >&2; exit 2 ;;
esac
