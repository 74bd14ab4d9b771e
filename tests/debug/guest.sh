#!/usr/bin/env bash
# Guest side of `make check-debug` (runs in the debug kernel, vpid loaded by
# tests/vm/run.sh): the guest suite (tests/guest/run.sh's loop, VPID_TESTS
# picks a subset), then rmmod vpid and a kmemleak check. One TAP stream.
#
# Kmemleak verdict: a leaked object fails the run when its allocation
# backtrace mentions vpid, or has a frame in the module area that kallsyms
# cannot name (after rmmod, vpid's addresses print as bare 0xffffffffc...;
# this kernel has no other modules, so such a frame can only be vpid's).
# Other leaked objects are listed as `# ` diagnostics but do not fail: they
# are the kernel's own (boot-time false positives, 9p/tty caches), and
# objects reported before the suite started are cleared first.
cd "${VPID_REPO:-$(dirname "$0")/../..}" || exit 1
. tests/guest/lib.sh

KL=/sys/kernel/debug/kmemleak

# kl_scan: two scans with a pause (an object must look unreferenced in two
# scans in a row, and fresh objects are skipped by the first)
kl_scan() {
	echo scan >"$KL" && sleep 5 && echo scan >"$KL"
}

# kl_vpid FILE: print the kmemleak records of FILE attributed to vpid
kl_vpid() {
	awk '
		function flush() { if (rec != "" && hit) printf "%s", rec; rec = ""; hit = 0 }
		/^unreferenced object/ { flush() }
		{ rec = rec $0 "\n" }
		/^ *\[<.*vpid/ { hit = 1 }
		# %pS of an address kallsyms cannot name: the bare address
		/\] 0xffffffff[c-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]/ { hit = 1 }
		END { flush() }
	' "$1"
}

kl_ok=0
if [ -w "$KL" ]; then
	kl_ok=1
	# Leaks reported before the suite (boot) are not this run's.
	kl_scan
	n0=$(grep -c '^unreferenced object' "$KL")
	echo clear >"$KL"
	echo "# kmemleak: $n0 object(s) reported before the suite, cleared"
fi

# (the same default set as tests/guest/run.sh: t75, the stress-ng runs, is
# make stress's)
# shellcheck disable=SC2086 # VPID_TESTS is a list of globs
for f in $(for g in ${VPID_TESTS:-t[1-6]* t70* t9*}; do echo tests/guest/$g.sh; done); do
	echo "# $f" >&2
	echo "# --- $(basename "$f")"
	# shellcheck disable=SC1090
	. "$f"
done

echo "# --- kmemleak"
if [ $kl_ok = 0 ]; then
	not_ok "kmemleak: $KL is writable (CONFIG_DEBUG_KMEMLEAK, debugfs)"
else
	# While vpid is loaded: objects only its own data points to are still
	# referenced (module memory is scanned); after rmmod they are not.
	if [ -e /sys/module/vpid ]; then
		wait_no_containers
		check "rmmod vpid after the suite" wait_for sh -c 'rmmod vpid 2>/dev/null'
	fi
	check "vpid is unloaded" test ! -e /sys/module/vpid
	sleep 2
	kl_scan
	sleep 5
	kl_scan
	cat "$KL" >/tmp/kmemleak.txt
	kl_vpid /tmp/kmemleak.txt >/tmp/kmemleak.vpid
	n=$(grep -c '^unreferenced object' /tmp/kmemleak.txt)
	nv=$(grep -c '^unreferenced object' /tmp/kmemleak.vpid)
	if [ "$nv" = 0 ]; then
		ok "kmemleak: no leaked object allocated by vpid ($n other object(s) listed)"
	else
		not_ok "kmemleak: $nv leaked object(s) allocated by vpid"
		head -n 120 /tmp/kmemleak.vpid | diag
	fi
	if [ "$n" != "$nv" ]; then
		echo "# kmemleak: objects not attributed to vpid (not a failure), first 60 lines:"
		awk '/^unreferenced object/ { n++ } n' /tmp/kmemleak.txt | head -n 60 | diag
	fi
fi

echo "1..$T_N"
[ "$T_FAIL" = 0 ]
