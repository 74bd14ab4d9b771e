#!/usr/bin/env bash
# Builds the Linux kernel selftests that t80-thirdparty.sh runs side by side
# in a native pid namespace and in a vpid container: pidfd, clone3,
# pid_namespace, nsfs, ptrace and proc, from Debian's linux-source-6.1 tarball
# (packages.txt).  Only those directories and the kselftest headers are
# extracted, into tests/bin/selftests/src (gitignored, like the binaries
# next to it); nothing of their source is in the repository.
#
#   tests/host/build-selftests.sh [--clean]
set -euo pipefail
cd "$(dirname "$0")/../.." || exit 1
case ${1-} in
-h | --help) sed -n 2,9p "$0"; exit 0 ;;
--clean) rm -rf tests/bin/selftests; exit 0 ;;
esac

tarball=${VPID_LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
out=tests/bin/selftests
top=linux-source-6.1
st=$top/tools/testing/selftests
[ -r "$tarball" ] || { echo "build-selftests: no $tarball (scripts/deps.sh)" >&2; exit 1; }

# The directories taken from it
dirs="pidfd clone3 pid_namespace nsfs ptrace proc"
# Extract once per tarball (its size and mtime are the stamp) and list of
# directories; a new one rebuilds everything.
stamp="$(stat -c '%s %Y' "$tarball") $tarball $dirs"
if [ "$(cat "$out/src/.stamp" 2>/dev/null)" != "$stamp" ]; then
	pats=()
	for d in $dirs; do pats+=("$st/$d/*"); done
	rm -rf "$out"
	mkdir -p "$out/src"
	tar -xJf "$tarball" -C "$out/src" --strip-components=1 --wildcards \
		"$st/kselftest.h" "$st/kselftest_harness.h" \
		"${pats[@]}" \
		"$top/include/uapi/linux/ptrace.h"
	echo "$stamp" > "$out/src/.stamp"
fi

sd=$out/src/tools/testing/selftests
# DIR NAME: the flags of the selftest's own Makefile (KHDR_INCLUDES is
# bookworm's linux-libc-dev, the 6.1 uapi, instead of a headers_install)
cflags() {
	case $1 in
	pidfd) echo -pthread ;;
	clone3) echo -std=gnu99 ;;
	pid_namespace | nsfs) ;;
	ptrace) echo -std=c99 -pthread -iquote "$out/src/include/uapi" ;;
	proc) echo -D_GNU_SOURCE -pthread -Wno-unused-function ;;
	esac
}
libs() { case $1 in clone3) echo -lcap ;; esac; }

# Every program of the six Makefiles' TEST_GEN_PROGS; t80 picks which run.
progs="
pidfd/pidfd_test pidfd/pidfd_fdinfo_test pidfd/pidfd_open_test
pidfd/pidfd_poll_test pidfd/pidfd_wait pidfd/pidfd_getfd_test
pidfd/pidfd_setns_test
clone3/clone3 clone3/clone3_clear_sighand clone3/clone3_set_tid
clone3/clone3_cap_checkpoint_restore
pid_namespace/regression_enomem
nsfs/owner nsfs/pidns
ptrace/get_syscall_info ptrace/peeksiginfo ptrace/vmaccess
proc/fd-001-lookup proc/fd-002-posix-eq proc/fd-003-kthread
proc/proc-loadavg-001 proc/proc-empty-vm proc/proc-pid-vm
proc/proc-self-map-files-001 proc/proc-self-map-files-002
proc/proc-self-syscall proc/proc-self-wchan proc/proc-subset-pid
proc/proc-tid0 proc/proc-uptime-001 proc/proc-uptime-002 proc/read
proc/self proc/setns-dcache proc/setns-sysvipc proc/thread-self
proc/proc-multiple-procfs proc/proc-fsconfig-hidepid
"
mkdir -p "$out/log"
failed=0
for p in $progs; do
	d=${p%/*} n=${p#*/}
	[ "$out/$n" -nt "$sd/$p.c" ] && [ "$out/$n" -nt "$0" ] && continue
	# shellcheck disable=SC2046 # word splitting of the flag lists
	if ! gcc -g -O2 -Wall $(cflags "$d") -o "$out/$n" "$sd/$p.c" $(libs "$d") \
		2> "$out/log/$n"; then
		echo "build-selftests: $p does not build:" >&2
		grep -m5 -E 'error|undefined' "$out/log/$n" >&2 || true
		failed=1
	fi
done
exit $failed
