#!/usr/bin/env bash
# `make check`: host-side checks, then the guest suite on every Debian
# kernel (tests/vm/kernels.sh) under QEMU.  TAP per part, then the closing
# line "N passed, N failed".  Exit status non-zero on any failure.
#
#   tests/run-all.sh [--quick]     --quick: skip lint and the slow scenarios
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
case ${1-} in -h|--help) sed -n 2,6p "$0"; exit 0 ;; esac
quick=0
[ "${1-}" = --quick ] && quick=1

pass=0
fail=0
log=$(mktemp -d /tmp/vpid-check.XXXXXX)

. tests/lib/tap.sh

mapfile -t kernels < <(tests/vm/kernels.sh)
# vpid must build, sparse-clean, for every header set (PREEMPT_RT too)
mapfile -t build_kernels < <(tests/vm/kernels.sh --build)
started=$(date +%s)

host_checks() {
	for k in "${build_kernels[@]}"; do
		step "vpid.ko builds for $k" make -s KVER="$k" modules
	done
	step "guest test programs build" make -s -C tests/src
	step "kernel selftests build (t80)" tests/host/build-selftests.sh
	step "vpidctl builds" make -s -C tools/vpidctl O=../../tests/bin
	make -s -C tools/vpidctl O=../../tests/bin test
	step "control-file parser unit test" sh -c \
		'gcc -Wall -Wextra -Werror -Iinclude -o tests/bin/parse_test tests/host/parse_test.c procfs/parse.c && tests/bin/parse_test'
	tests/fuzz/run.sh --check
	if [ $quick = 0 ]; then
		tests/host/dkms-test.sh
		step "checkpatch --strict clean" scripts/checkpatch.sh
		for k in "${build_kernels[@]}"; do
			step "sparse clean on $k" sh -c \
				"make -s -B KVER='$k' C=2 modules 2>&1 | tee /dev/stderr | { ! grep -E 'warning:|error:'; }"
		done
	fi
}

echo "# host checks (logs in $log)" >&2
tally < <(host_checks)

for k in "${kernels[@]}"; do
	echo "# guest suite on $k" >&2
	t0=$(date +%s)
	tally < <(tests/vm/run.sh --kernel "$k" --module "build/$k/vpid.ko" \
		--timeout 1500 --env VPID_QUICK=$quick -- tests/guest/run.sh)
	echo "# $k: $(($(date +%s) - t0)) s" >&2
done

echo "# total $(($(date +%s) - started)) s" >&2
echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
