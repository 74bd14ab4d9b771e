#!/usr/bin/env bash
# Extract the kernel's kselftest harness (kselftest_harness.h and the
# kselftest.h it includes) from Debian's linux-source-6.1 tarball
# (packages.txt) into DIR, once per tarball, for the C unit tests
# (tools/vpidctl/test_list.c, tests/host/parse_test.c).  Nothing of the
# kernel's source is in the repository.
#
#   scripts/kselftest-harness.sh [DIR]   (default: build/kselftest)
#   VPID_LINUX_SOURCE=TARBALL: another tarball
set -euo pipefail
case ${1-} in -h | --help) sed -n 2,9p "$0"; exit 0 ;; esac
dir=${1:-$(dirname "$0")/../build/kselftest}
tarball=${VPID_LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
st=linux-source-6.1/tools/testing/selftests
[ -r "$tarball" ] || { echo "kselftest-harness: no $tarball (scripts/deps.sh)" >&2; exit 1; }

# The tarball's size and mtime are the stamp: a new one is extracted again.
stamp="$(stat -c '%s %Y' "$tarball") $tarball"
[ "$(cat "$dir/.stamp" 2>/dev/null)" = "$stamp" ] &&
	[ -r "$dir/kselftest_harness.h" ] && [ -r "$dir/kselftest.h" ] && exit 0
mkdir -p "$dir"
tmp=$(mktemp -d "$dir/.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tar -xJf "$tarball" -C "$tmp" --strip-components=4 \
	"$st/kselftest.h" "$st/kselftest_harness.h"
mv -f "$tmp/kselftest.h" "$tmp/kselftest_harness.h" "$dir/"
echo "$stamp" > "$dir/.stamp"
