# shellcheck shell=bash
# Host-side TAP helpers shared by tests/run-all.sh and tests/debug/run.sh.
# The sourcing script sets pass=0 fail=0 and log=DIR first.

# tally: pass TAP through, count results in $pass and $fail
tally() {
	local line
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case $line in
		"not ok"*) fail=$((fail + 1)) ;;
		"ok"*) pass=$((pass + 1)) ;;
		esac
	done
}

# step DESC CMD...: one host-side check as a TAP line, its output kept in
# $log; a failure shows the last 20 lines as # diagnostics and returns 1
step() {
	local d=$1 f
	shift
	f="$log/$(echo "$d" | tr -c 'A-Za-z0-9' _).log"
	if "$@" >"$f" 2>&1; then
		echo "ok - $d"
	else
		echo "not ok - $d"
		tail -n 20 "$f" | sed 's/^/# /'
		return 1
	fi
}
