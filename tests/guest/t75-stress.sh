# shellcheck shell=bash
# stress-ng's process stressors (fork vfork clone kill sigchld wait zombie
# pidfd session exec, and ptrace when it passes natively) with --verify,
# first in a native pid namespace, then as the tasks of a vpid container,
# while the host keeps creating, nesting and destroying other containers.
# Pass: stress-ng exits 0 in the container whenever it does natively, and
# afterwards no container is left.  Bogo-ops per stressor as # lines.
#
# T75_STRESSORS="fork zombie" picks stressors; T75_SECS sets each run's
# length (default 4 s, 2 s with VPID_QUICK=1; make stress: 60 s).
# vpid-timeout: 600 + 30 * T75_SECS

t75_main() {
	local secs=${T75_SECS:-4} s nrc vrc nb vb r pct churn_pid
	local list=${T75_STRESSORS:-fork vfork clone kill sigchld wait zombie pidfd session exec ptrace}
	[ "${VPID_QUICK:-0}" = 1 ] && secs=${T75_SECS:-2}
	if ! command -v stress-ng >/dev/null; then
		ok "# SKIP stress-ng is not installed"
		return
	fi
	rm -f /tmp/t75.stop /tmp/t75.churn
	t75_churn &
	churn_pid=$!
	for s in $list; do
		t75_run native "$s" "$secs"
		nrc=$r_rc nb=$r_bogo
		if [ "$nrc" != 0 ]; then
			ok "stress-ng --$s: # SKIP fails natively (exit $nrc)"
			tail -5 "/tmp/t75.$s.native.out" | diag
			continue
		fi
		t75_run vpid "$s" "$secs"
		vrc=$r_rc vb=$r_bogo
		is "stress-ng --$s --verify in a vpid container exits 0, as natively" 0 "$vrc"
		[ "$vrc" = 0 ] || grep -vE '^stress-ng: (info|metrc)' "/tmp/t75.$s.vpid.out" | tail -15 | diag
		pct=-
		[ -n "$nb" ] && [ -n "$vb" ] && [ "$nb" -gt 0 ] && pct="$((vb * 100 / nb))%"
		echo "# $s: bogo-ops native ${nb:-?} vpid ${vb:-?} (vpid/native $pct, ${secs} s, 2 workers)"
	done
	touch /tmp/t75.stop
	if ! timeout 90 tail --pid="$churn_pid" -f /dev/null; then
		kill "$churn_pid" 2>/dev/null
	fi
	wait "$churn_pid" 2>/dev/null
	t75_churn_report
	check "no stress-ng left" wait_for sh -c '! pgrep -x stress-ng >/dev/null'
	if wait_no_containers; then
		ok "no container left after the stress runs"
	else
		not_ok "no container left after the stress runs"
		diag < "$CTL"
		awk 'NR > 1 && $2 == 1 { print $1 }' "$CTL" | while read -r s; do
			ctl "destroy $s" >/dev/null
		done
		wait_no_containers
	fi
	local st=/sys/kernel/debug/vpid/stats
	if wait_for sh -c "grep -qx 'container_structs 0' $st && grep -qx 'pid_records 0' $st"; then
		ok "module counters: no container and no pid record left"
	else
		not_ok "module counters: no container and no pid record left"
		diag < $st
	fi
}

# t75_run native|vpid STRESSOR SECS: sets r_rc and r_bogo
t75_run() {
	local out=/tmp/t75.$2.$1.out yaml=/tmp/t75.$2.$1.yaml
	local cmd=(stress-ng "--$2" 2 --timeout "$3s" --verify --metrics-brief
		--temp-path /tmp --yaml "$yaml")
	# the exec stressor refuses to run as root
	[ "$2" = exec ] && cmd=(setpriv --reuid=65534 --regid=65534 --clear-groups "${cmd[@]}")
	rm -f "$yaml"
	if [ "$1" = native ]; then
		timeout -k 5 $(($3 * 4 + 60)) unshare --pid --fork --mount-proc \
			"${cmd[@]}" >"$out" 2>&1
	else
		timeout -k 5 $(($3 * 4 + 60)) "$BIN/ctlw" -x "$(cname)" \
			unshare --mount-proc "${cmd[@]}" >"$out" 2>&1
	fi
	r_rc=$?
	r_bogo=$(awk '/bogo-ops:/ { print $2; exit }' "$yaml" 2>/dev/null)
}

# The host side: create a container with a nested one inside and a host
# task attached, then destroy it (sometimes the nested one first), again
# and again until /tmp/t75.stop exists.
t75_churn() {
	local i=0 seen=0 bad=0 r holder att
	while [ ! -e /tmp/t75.stop ]; do
		i=$((i + 1))
		"$BIN/ctlw" -x "churn$i" sh -c \
			"'$BIN/ctlw' -x in$i sleep 60 & exec sleep 60" >/dev/null 2>&1 &
		holder=$!
		sleep 60 &
		att=$!
		if wait_for grep -q "^churn$i/in$i " "$CTL"; then
			seen=$((seen + 1))
			r=$(ctl "attach churn$i $att")
			[ "$r" = OK ] || { bad=$((bad + 1)); echo "attach churn$i: $r" >>/tmp/t75.churn.log; }
			if [ $((i % 2)) = 0 ]; then
				r=$(ctl "destroy churn$i/in$i")
				[ "$r" = OK ] || { bad=$((bad + 1)); echo "destroy churn$i/in$i: $r" >>/tmp/t75.churn.log; }
			fi
			r=$(ctl "destroy churn$i")
			[ "$r" = OK ] || { bad=$((bad + 1)); echo "destroy churn$i: $r" >>/tmp/t75.churn.log; }
		else
			echo "churn$i/in$i never listed" >>/tmp/t75.churn.log
			bad=$((bad + 1))
			kill -KILL "$holder" 2>/dev/null
		fi
		kill -KILL "$att" 2>/dev/null
		wait "$holder" "$att" 2>/dev/null
	done
	echo "$i $seen $bad" >/tmp/t75.churn
}

t75_churn_report() {
	local i seen bad
	read -r i seen bad </tmp/t75.churn 2>/dev/null
	if [ -n "$i" ] && [ "$bad" = 0 ] && [ "$seen" -gt 0 ]; then
		ok "host churn alongside: $seen containers created, nested, attached to and destroyed"
	else
		not_ok "host churn alongside: ${seen:-?} of ${i:-?} rounds clean, ${bad:-?} failures"
		head -20 /tmp/t75.churn.log 2>/dev/null | diag
	fi
}

t75_main
