# shellcheck shell=bash
# Random, malformed, huge, binary, split and bad-pointer writes to the
# control file from 8 concurrent processes, mixed with creates, attaches,
# nextpids and destroys that have one right answer (tests/src/ctlfuzz.c).
# Every write succeeds or fails with a DESIGN.md errno (or EFAULT/ENOMEM),
# nothing hangs, and afterwards no container is left.

t70_secs=${T70_SECS:-8}
t70_out=$(timeout -k 5 $((t70_secs + 150)) "$BIN/ctlfuzz" -p 8 -t "$t70_secs" 2>/tmp/t70.err)
t70_rc=$?
t70_sum=$(echo "$t70_out" | grep '^ctlfuzz:')
echo "$t70_out" | grep '^# '
t70_get() { echo "$t70_sum" | sed -n "s/.* $1=\([0-9]*\).*/\1/p"; }
t70_diag() { grep -E "$1" /tmp/t70.err | head -30 | diag; }

if [ -z "$t70_sum" ] || [ "$t70_rc" = 124 ] || [ "$t70_rc" = 137 ]; then
	not_ok "ctlfuzz finished by itself (exit $t70_rc)"
	tail -30 /tmp/t70.err | diag
else
	ok "ctlfuzz finished by itself ($(t70_get writes) writes in ${t70_secs} s)"
fi
is "ctlfuzz: no hung task or write" 0 "$(t70_get hung)"
[ "$(t70_get hung)" = 0 ] || t70_diag 'hung|not reaped|not done|alarm|stat:|wchan:|stack:'
is "ctlfuzz: every failed write gave a DESIGN.md errno" 0 "$(t70_get bad)"
[ "$(t70_get bad)" = 0 ] || t70_diag 'BAD|worker'
is "ctlfuzz: commands with one right answer got it" 0 "$(t70_get strict)"
[ "$(t70_get strict)" = 0 ] || t70_diag 'STRICT'
is "ctlfuzz: no exit waited for tasks the container's end did not kill" 0 "$(t70_get slowexit)"
[ "$(t70_get slowexit)" = 0 ] || t70_diag 'SLOWEXIT'
check "ctlfuzz: no process left" wait_for sh -c '! pgrep -x ctlfuzz >/dev/null'
if wait_no_containers; then
	ok "ctlfuzz: no container left"
else
	not_ok "ctlfuzz: no container left"
	diag < "$CTL"
	# do not leave them to the next tests
	awk 'NR > 1 && $2 == 1 { print $1 }' "$CTL" | while read -r t70_c; do
		ctl "destroy $t70_c" >/dev/null
	done
	wait_no_containers
fi
is "the control file still works after the fuzzing" 1 "$("$BIN/ctlw" -x "$(cname)" sh -c 'echo $$' 2>&1)"
check "and that container is gone too" wait_no_containers

# Found by ctlfuzz: a container init that forked a child before creating
# its container (the child stays outside) must not wait for that child
# when it exits (its exit kills what is inside, and waits for that only).
# Timed from the create on: a create may wait for one hook of the last
# containers to come out first (the linger makes that rare; about a second
# on PREEMPT_RT under TCG).
rm -f /tmp/t70.bg /tmp/t70.t0
timeout -k 5 30 sh -c "sleep 8 & echo \$! > /tmp/t70.bg; echo $(cname) > $CTL; date +%s%N > /tmp/t70.t0; exit 0"
t70_ms=$((($(date +%s%N) - $(cat /tmp/t70.t0 2>/dev/null || echo 0)) / 1000000))
[ -s /tmp/t70.bg ] && kill "$(cat /tmp/t70.bg)" 2>/dev/null
if [ "$t70_ms" -lt 4000 ]; then
	ok "an exiting init does not wait for its child outside the container (${t70_ms} ms)"
else
	not_ok "an exiting init does not wait for its child outside the container (${t70_ms} ms)"
	echo "sh -c 'sleep 8 & echo NAME > /proc/container; exit 0' took ${t70_ms} ms: its exit waited for the sleep" | diag
fi
check "and its container is gone" wait_no_containers

# Found by ctlfuzz: a child outside its parent's view (forked before the
# create, or before the parent went deeper) is still its child.  wait()
# reaps it and returns the number fork() gave (a 0 there made the kernel's
# do_wait() walk on from the reaped child forever: soft lockup), and the
# exit of an init that does not wait reaps it too (the zap's wait4).
# shellcheck disable=SC2016 # expanded by the inner shell
t70_w=$(timeout -k 5 30 bash -c 'sleep 0.2 & c=$!; echo "$1" > "$2"; wait -n -p w; echo "$c $w"' \
	t70 "$(cname)" "$CTL" 2>&1)
if [[ $t70_w =~ ^([0-9]+)\ ([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]; then
	ok "wait() reaps a child forked before the create, as fork() numbered it"
else
	not_ok "wait() reaps a child forked before the create, as fork() numbered it"
	echo "forked, waited: $t70_w" | diag
fi
check "and that container is gone" wait_no_containers
# shellcheck disable=SC2016 # expanded by the inner shell
timeout -k 5 30 sh -c 'echo "$1" > "$3"; sleep 0.1 & echo "$2" > "$3"; exec sleep 1' \
	t70 "$(cname)" in "$CTL"
is "an init that went deeper exits with a zombie child in the outer container" 0 $?
check "and its containers are gone" wait_no_containers
