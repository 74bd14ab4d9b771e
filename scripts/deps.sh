#!/usr/bin/env bash
# Install every Debian package listed in packages.txt that is missing.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: scripts/deps.sh [--check] [-q] [--list FILE]

Installs (apt-get, as root) every package of the project's package list
(packages.txt at the repo root) that is not installed yet. A fast no-op
when everything is there: `apt-get update` runs only when something is
missing.

  --check      only report missing packages; exit 1 if any are missing
  -q, --quiet  say nothing when all packages are installed
  --list FILE  use FILE instead of packages.txt
  -h, --help   show this help
USAGE
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
list="$here/../packages.txt"
check_only=0
quiet=0

while (($#)); do
    case $1 in
        --check) check_only=1 ;;
        -q | --quiet) quiet=1 ;;
        --list) list=${2:?--list needs a file}; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "deps.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

[[ -r $list ]] || { echo "deps.sh: cannot read package list $list" >&2; exit 2; }

# Packages from the list: strip comments and blanks.
mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$list")

# One dpkg-query for all (fast: this runs before every test run).
declare -A status=()
while IFS=$'\t' read -r pkg st; do
    status[$pkg]=$st
done < <(dpkg-query -W -f='${Package}\t${db:Status-Status}\n' "${wanted[@]}" 2>/dev/null || true)

missing=()
for pkg in "${wanted[@]}"; do
    [[ ${status[$pkg]-} == installed ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
    ((quiet)) || echo "deps.sh: all ${#wanted[@]} packages of $(basename "$list") are installed" >&2
    exit 0
fi

echo "deps.sh: missing packages: ${missing[*]}" >&2
if ((check_only)); then
    exit 1
fi

if ((EUID != 0)); then
    echo "deps.sh: installing packages needs root; run: sudo $0" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Parallel callers (several test runs at once) take turns; the later ones
# find nothing left to do.
exec 9>/var/lock/vpid-deps.lock
flock 9
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
echo "deps.sh: installed ${#missing[@]} package(s)" >&2
