#!/usr/bin/env bash
# Run the kernel's checkpatch.pl --strict (from Debian's linux-source-6.1
# tarball, extracted once into the cache) on the module sources.
# Usage: scripts/checkpatch.sh [FILE...]   (default: every module source)
set -euo pipefail
cd "$(dirname "$0")/.."
case ${1-} in -h|--help) sed -n 2,3p "$0"; exit 0 ;; esac
cache=${VPID_CACHE:-/var/cache/vpid}/checkpatch
tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -1)
if [ ! -x "$cache/scripts/checkpatch.pl" ]; then
	[ -n "$tarball" ] || { echo "checkpatch.sh: linux-source-6.1 not installed (scripts/deps.sh)" >&2; exit 1; }
	mkdir -p "$cache"
	tar -xf "$tarball" -C "$cache" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
fi
if [ $# -eq 0 ]; then
	set -- Kbuild $(find module procfs hooks core engine include -name '*.[chS]' | sort)
fi
# --no-tree: out of tree.  EXPORTED_WORLD_WRITABLE: /proc/container is
# 0666 by contract (DESIGN.md: writers lacking CAP_SYS_ADMIN get EPERM from
# write(), which checks both the opener's and the writer's capability).
"$cache/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
	--ignore FILE_PATH_CHANGES,EXPORTED_WORLD_WRITABLE -f "$@"
