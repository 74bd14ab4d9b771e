#!/usr/bin/env bash
# Fuzz the /proc/container parser (procfs/parse.c) on the host with libFuzzer.
#
#   tests/fuzz/run.sh [SECONDS]   build, then fuzz for SECONDS (default 60);
#                                 exit non-zero on a crash (`make fuzz`)
#   tests/fuzz/run.sh --check     build, replay the committed corpus and
#                                 tests/fuzz/crashes/* once; one TAP line on
#                                 stdout, details as # lines (`make check`)
#
# Binaries and the growing working corpus go to build/fuzz/ (not committed);
# tests/fuzz/corpus/ is the committed seed corpus.  A crash is saved as
# build/fuzz/crash-<sha1>: replay it with build/fuzz/fuzz_parse FILE, and
# commit it to tests/fuzz/crashes/ once the parser is fixed (regression).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

here=tests/fuzz
out=build/fuzz
mode=fuzz
secs=60
case ${1-} in
-h | --help) sed -n 2,13p "$0"; exit 0 ;;
--check) mode=check ;;
'') ;;
*)
	[[ $1 =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: bad SECONDS: $1" >&2; exit 2; }
	secs=$1 ;;
esac
mkdir -p "$out"

srcs=("$here/fuzz_parse.c" procfs/parse.c)
cflags=(-g -O1 -Iinclude -Wall -Wextra -fno-omit-frame-pointer)

# build_fuzzer: libFuzzer + ASan + UBSan (clang, libclang-rt-14-dev)
build_fuzzer() {
	clang "${cflags[@]}" -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -o "$out/fuzz_parse" "${srcs[@]}"
}

# build_replay: corpus replay without libFuzzer (gcc ASan + UBSan)
build_replay() {
	${CC:-gcc} "${cflags[@]}" -DFUZZ_STANDALONE -fsanitize=address,undefined \
		-fno-sanitize-recover=undefined -o "$out/fuzz_replay" "${srcs[@]}"
}

if [ $mode = check ]; then
	log=$out/check.log
	inputs=("$here"/corpus/*)
	[ -d "$here/crashes" ] && inputs+=("$here"/crashes/*)
	if build_fuzzer >"$log" 2>&1; then
		# libFuzzer with file arguments runs each once (no fuzzing)
		cmd=("$out/fuzz_parse" "${inputs[@]}")
	elif build_replay >>"$log" 2>&1; then
		echo "# clang/libFuzzer unavailable, replaying with gcc" >>"$log"
		cmd=("$out/fuzz_replay" "${inputs[@]}")
	else
		echo "not ok - parser fuzz corpus replay (build failed)"
		tail -20 "$log" | sed 's/^/# /'
		exit 1
	fi
	if timeout 60 "${cmd[@]}" >>"$log" 2>&1; then
		echo "ok - parser fuzz corpus replay (${#inputs[@]} inputs)"
		exit 0
	fi
	echo "not ok - parser fuzz corpus replay (${#inputs[@]} inputs)"
	grep -E 'invariant broken|^input |ERROR: |runtime error|SUMMARY' "$log" |
		head -20 | sed 's/^/# /'
	exit 1
fi

echo "run.sh: building $out/fuzz_parse" >&2
build_fuzzer || { echo "run.sh: build failed (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
mkdir -p "$out/corpus"
echo "run.sh: fuzzing for $secs s (working corpus $out/corpus, seeds $here/corpus)" >&2
# -max_len above VPID_CMD_MAX so the length limit itself is exercised.
"$out/fuzz_parse" -max_total_time="$secs" -max_len=4200 -timeout=10 \
	-dict="$here/parse.dict" -print_final_stats=1 -reload=0 \
	-artifact_prefix="$out/" "$out/corpus" "$here/corpus"
rc=$?
if [ $rc = 0 ]; then
	echo "run.sh: no crash in $secs s" >&2
else
	echo "run.sh: CRASH (exit $rc); reproducer(s):" >&2
	find "$out" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \) \
		-newer "$out/fuzz_parse" >&2
fi
exit $rc
