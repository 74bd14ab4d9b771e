#!/usr/bin/env bash
# `make check`: host-side checks (vpid builds and is sparse-clean for every
# Debian kernel line of tests/vm/kernels.conf), then the guest suite under
# QEMU on the lines make check boots (tests/vm/kernels.sh), two guests at a
# time.  TAP per part, then the closing line "N passed, N failed".  Exit
# status non-zero on any failure.
#
#   tests/run-all.sh [--quick] [--all]
#     --quick: skip lint and the slow scenarios; --all: boot every line
#     (make check-all).  VPID_JOBS=N guests at once (default 2).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
quick=0
boot=--check
for a in "$@"; do
	case $a in
	-h | --help) sed -n 2,10p "$0"; exit 0 ;;
	--quick) quick=1 ;;
	--all) boot=--all ;;
	*) echo "run-all.sh: unknown argument: $a" >&2; exit 2 ;;
	esac
done

pass=0
fail=0
log=$(mktemp -d /tmp/vpid-check.XXXXXX)

. tests/lib/tap.sh

mapfile -t kernels < <(tests/vm/kernels.sh $boot)
# vpid must build, sparse-clean, for every line (PREEMPT_RT, cloud too)
mapfile -t build_kernels < <(tests/vm/kernels.sh --build)
if [ ${#kernels[@]} = 0 ] || [ ${#build_kernels[@]} = 0 ]; then
	echo "not ok - the kernel lines resolve (tests/vm/kernels.sh)"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "# kernels: build ${build_kernels[*]}; boot ${kernels[*]}" >&2
started=$(date +%s)

host_checks() {
	for k in "${build_kernels[@]}"; do
		step "vpid.ko builds for $k" make -s KVER="$k" modules
	done
	step "guest test programs build" make -s -C tests/src
	step "kernel selftests build (t80)" tests/host/build-selftests.sh
	step "vpidctl builds" make -s -C tools/vpidctl O=../../tests/bin
	make -s -C tools/vpidctl O=../../tests/bin test
	# the unit tests use the kernel's kselftest harness (TAP, exit status)
	step "control-file parser unit test" sh -c \
		'scripts/kselftest-harness.sh build/kselftest && gcc -Wall -Wextra -Werror -Iinclude -isystem build/kselftest -o tests/bin/parse_test tests/host/parse_test.c procfs/parse.c && tests/bin/parse_test'
	tests/fuzz/run.sh --check
	if [ $quick = 0 ]; then
		tests/host/dkms-test.sh
		tests/host/dkms-chroot-test.sh
		step "checkpatch --strict clean" scripts/checkpatch.sh
		step "module layers call only downwards" scripts/layers.py
		for k in "${build_kernels[@]}"; do
			f="$log/sparse-$k.log"
			make -s -B KVER="$k" C=2 modules >"$f" 2>&1
			# kbuild turns sparse off when the release's sparse cannot
			# parse its headers (trixie's 0.6.4 and 7.x's __typeof_unqual__)
			if grep -q 'not available or not up to date' "$f"; then
				echo "ok - sparse clean on $k # SKIP this release's sparse is too old for its headers"
			else
				step "sparse clean on $k" sh -c "! grep -E 'warning:|error:' '$f'"
			fi
		done
	fi
}

echo "# host checks (logs in $log)" >&2
tally < <(host_checks)

# One guest suite: its TAP into $log/guest-K.tap, progress to stderr.
guest() {
	local k=$1 t0 out
	out="$log/guest-$k.tap"
	t0=$(date +%s)
	echo "# guest suite on $k: started" >&2
	tests/vm/run.sh --kernel "$k" --module "build/$k/vpid.ko" \
		--timeout 1500 --env VPID_QUICK=$quick -- tests/guest/run.sh >"$out" 2>"$log/guest-$k.err"
	echo "# $k: $(($(date +%s) - t0)) s" >>"$out"
	echo "# guest suite on $k: $(grep -c '^ok' "$out") ok, $(grep -c '^not ok' "$out") not ok, $(($(date +%s) - t0)) s" >&2
}

jobs_max=${VPID_JOBS:-2}
# newest first: the longest suites (7.x) start first, the shortest fill in
for ((i = ${#kernels[@]} - 1; i >= 0; i--)); do
	k=${kernels[i]}
	while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
		wait -n
	done
	guest "$k" &
done
wait
for k in "${kernels[@]}"; do
	echo "# guest suite on $k"
	tally <"$log/guest-$k.tap"
	grep -q '^not ok' "$log/guest-$k.tap" && sed 's/^/# /' "$log/guest-$k.err" | tail -n 20
done
echo "# total $(($(date +%s) - started)) s" >&2
echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
