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

# kbuild compiles in parallel: -j passes make's jobserver down to it, in a
# release's chroot too (scripts/debian.sh keeps MAKEFLAGS)
jobs=-j$(nproc)
host_checks() {
	for k in "${build_kernels[@]}"; do
		step "vpid.ko builds for $k" make -s "$jobs" KVER="$k" modules
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
			make -s "$jobs" -B KVER="$k" C=2 modules >"$f" 2>&1
			# kbuild turns sparse off when the release's sparse cannot
			# parse its headers (trixie's 0.6.4 and 7.x's __typeof_unqual__)
			if grep -q 'not available or not up to date' "$f"; then
				echo "ok - sparse clean on $k # SKIP this release's sparse is too old for its headers"
			else
				# (a diagnostic: FILE:LINE:COL: warning|error)
				step "sparse clean on $k" sh -c "! grep -E '^[^ :]+:[0-9]+:[0-9]+: (warning|error):' '$f'"
			fi
		done
	fi
}

echo "# host checks (logs in $log)" >&2
tally < <(host_checks)

# The guest suite of a kernel runs as two boots, so that the two QEMU slots
# stay busy to the end: CRIU's file (t85, the longest) on its own, and the
# rest (tests/guest/run.sh's default list but t85).
parts=(main criu)
declare -A part_env=([main]='VPID_TESTS_SKIP=t85*' [criu]='VPID_TESTS=t85*')

# One part of a guest suite: its TAP into $log/guest-K-PART.tap, progress
# to stderr.
guest() {
	local k=$1 p=$2 t0 out
	out="$log/guest-$k-$p.tap"
	t0=$(date +%s)
	echo "# guest suite on $k ($p): started" >&2
	tests/vm/run.sh --kernel "$k" --module "build/$k/vpid.ko" \
		--timeout 1500 --env VPID_QUICK=$quick \
		--env "${part_env[$p]}" -- tests/guest/run.sh \
		>"$out" 2>"$log/guest-$k-$p.err"
	echo "# $k ($p): $(($(date +%s) - t0)) s" >>"$out"
	echo "# guest suite on $k ($p): $(grep -c '^ok' "$out") ok, $(grep -c '^not ok' "$out") not ok, $(($(date +%s) - t0)) s" >&2
}

jobs_max=${VPID_JOBS:-2}
# Long parts first, so that the two slots end together: the two newest
# kernels' main parts (the longest), then for each older kernel, oldest
# first, its CRIU part and its main part, then the remaining CRIU parts
# (7.x has no CRIU run: its part is a boot and a SKIP).  Measured under TCG
# on 2 cores: main 690-780 s, CRIU 410-470 s on 6.1 and 6.12 (t85's own
# limit: 1200 s): 1605 s of guest phase, against 1663 s for all main parts
# before all CRIU parts.
order=()
nk=${#kernels[@]}
for ((i = nk - 1; i >= 0 && i >= nk - 2; i--)); do order+=("${kernels[i]} main"); done
for ((i = 0; i < nk - 2; i++)); do order+=("${kernels[i]} criu" "${kernels[i]} main"); done
for ((i = nk - 2; i < nk; i++)); do
	if ((i >= 0)); then order+=("${kernels[i]} criu"); fi
done
for job in "${order[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
		wait -n
	done
	# shellcheck disable=SC2086 # "KVER PART"
	guest $job &
done
wait
for k in "${kernels[@]}"; do
	for p in "${parts[@]}"; do
		echo "# guest suite on $k ($p)"
		tally <"$log/guest-$k-$p.tap"
		grep -q '^not ok' "$log/guest-$k-$p.tap" &&
			sed 's/^/# /' "$log/guest-$k-$p.err" | tail -n 20
	done
done
echo "# total $(($(date +%s) - started)) s" >&2
echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
