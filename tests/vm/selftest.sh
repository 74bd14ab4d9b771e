#!/usr/bin/env bash
# Smoke test of the QEMU runner itself (no module): boot every kernel of
# kernels.sh, check uname and a native pid namespace, report boot times.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: tests/vm/selftest.sh [--timeout SECONDS] [run.sh options...]

For each kernel of tests/vm/kernels.sh (or just $KVER), runs

  tests/vm/run.sh --kernel K -- bash -c 'echo "ok 1 - guest runs uname $(uname -r)";
      unshare --pid --fork --mount-proc sh -c "echo ok 2 - native pidns pid is \$\$"'

and checks that the guest ran kernel K and that the shell in the new pid
namespace is pid 1. Prints TAP (renumbered over all kernels, plan at the
end), then boot-to-command times per kernel and a closing line
`selftest: N passed, N failed`. Exit status 0 only if everything passed.
Other options are passed on to run.sh (e.g. --icount, --smp 1).

Environment:
  KVER        test only this kernel
  VPID_CACHE  cache root (see fetch-kernel.sh)
USAGE
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
timeout_s=300
runopts=()
while (($#)); do
    case $1 in
        -h | --help) usage; exit 0 ;;
        --timeout) timeout_s=${2:?--timeout needs seconds}; shift ;;
        *) runopts+=("$1") ;;
    esac
    shift
done

"$here/../../scripts/deps.sh" -q  # kernels.sh needs the headers
mapfile -t kernels < <("$here/kernels.sh")
n=0 passed=0 failed=0
summary=()

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vpid-selftest.XXXXXX")
# The console logs are kept when something failed.
trap 'if ((failed == 0)); then rm -rf "$tmp"; else echo "selftest: console logs kept in $tmp" >&2; fi' EXIT


# Print one TAP result line, renumbered; count it.
tap_line() {
    local line=$1 rest
    if [[ $line =~ ^(not\ )?ok([[:space:]]+[0-9]+)?(.*)$ ]]; then
        n=$((n + 1))
        rest=${BASH_REMATCH[3]}
        if [[ -n ${BASH_REMATCH[1]} ]]; then
            printf 'not ok %d%s\n' "$n" "$rest"
            if [[ $rest =~ \#[[:space:]]*[Tt][Oo][Dd][Oo] ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
        else
            printf 'ok %d%s\n' "$n" "$rest"
            passed=$((passed + 1))
        fi
    else
        printf '%s\n' "$line"
    fi
}

check() {  # check DESCRIPTION COMMAND...
    local desc=$1
    shift
    if "$@"; then tap_line "ok - $desc"; else tap_line "not ok - $desc"; fi
}

# shellcheck disable=SC2016 # expanded in the guest
guest_cmd='echo "ok 1 - guest runs uname $(uname -r)"; unshare --pid --fork --mount-proc sh -c "echo ok 2 - native pidns pid is \$\$"'

for k in "${kernels[@]}"; do
    echo "# kernel $k" >&2
    out="$tmp/$k.out" err="$tmp/$k.err"
    rc=0
    "$here/run.sh" --kernel "$k" --timeout "$timeout_s" --log "$tmp/$k.log" "${runopts[@]}" \
        -- bash -c "$guest_cmd" >"$out" 2>"$err" || rc=$?
    sed 's/^/  | /' "$err" >&2
    echo "# kernel $k"
    while IFS= read -r line; do
        tap_line "$line"
    done <"$out"
    check "selftest: guest kernel is $k" grep -qx "ok 1 - guest runs uname $k" "$out"
    check "selftest: shell in a new pid namespace is pid 1 on $k" grep -qx 'ok 2 - native pidns pid is 1' "$out"
    check "selftest: run.sh exit status 0 on $k" test "$rc" -eq 0
    if ((rc != 0)); then
        echo "# run.sh exited $rc; console log (last lines):"
        tail -n 40 "$tmp/$k.log" | tr -d '\r' | sed 's/^/#   /'
    fi
    boot=$(sed -n 's/.*boot-to-command \([0-9.]*\)s (kernel uptime \([0-9.]*\)s), total \([0-9.]*\)s.*/\1 \2 \3/p' "$err")
    if [[ -n $boot ]]; then
        read -r b u w <<<"$boot"
        summary+=("$(printf '%-28s boot-to-command %5ss (kernel uptime %5ss)  whole run %5ss' "$k" "$b" "$u" "$w")")
    else
        summary+=("$(printf '%-28s guest command did not start' "$k")")
    fi
done

echo "1..$n"
echo "# boot times (wall clock, TCG; boot-to-command = QEMU start to guest command start):"
for s in "${summary[@]}"; do
    echo "#   $s"
done
echo "selftest: $passed passed, $failed failed"
((failed == 0))
