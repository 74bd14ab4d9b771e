# shellcheck shell=bash
# vpid-timeout: 1200
# (Its own limit: 480-720 s under TCG beside another guest, most of it
# criu's own dumps and restores, natively too.)
# CRIU (Debian's criu), unmodified, inside a container with its own /proc
# (vpidctl run) vs inside a native pid namespace (unshare --mount-proc), in
# the same boot: criu check, then a process tree (a session leader, a
# process group of two, a child with a child, a thread, a pipe, an open
# file) dumped, gone, restored with the same pid/ppid/pgid/sid and
# threads, and still working (a signal to a restored task, its parent's
# wait).  Restore picks the numbers with clone3's set_tid in the
# namespace, or in the container.

if ! command -v criu >/dev/null; then
	ok "# SKIP criu is not installed (packages.txt)"
	return 0 2>/dev/null || exit 0
fi
# what criu probes for (the guest loads no module by itself)
for m in nf_tables nfnetlink tun veth inet_diag unix_diag netlink_diag \
	packet_diag tcp_diag; do
	modprobe -q "$m" 2>/dev/null
done
ip link set lo up 2>/dev/null

# common: a work directory, tree() and shape() of the session of $root,
# and the tree itself, started.  The worlds print what they saw, one
# section per step.
# shellcheck disable=SC2016 # for the world's shell
common='d=$(mktemp -d /tmp/criu.XXXXXX) && cd "$d" && mkdir img
# the tree: every task of the session; raw (pid ppid pgid sid threads
# args), then its shape (numbers as relations, which fork order cannot move)
tree() { ps -eo pid=,ppid=,pgid=,sid=,nlwp=,args= | awk -v s="$root" "\$4 == s" | sort -n; }
shape() { tree | awk -v s="$root" "{ a[\$1] = \$6 \" \" \$7; l[NR] = \$0 }
	END { for (i = 1; i <= NR; i++) { split(l[i], f); x = f[6] \" \" f[7]
	print x \" | parent: \" (f[2] in a ? a[f[2]] : \"outside\") \" | group: \" (f[3] == f[1] ? \"leads\" : f[3] in a ? a[f[3]] : \"outside\") \" | session: \" (f[4] == s ? \"the root\" : \"other\") \" | threads: \" f[5] } }" | sort; }
setsid bash -c "exec 3>$d/file; (sleep 1000 & sleep 1001 & wait) &
	python3 -c \"import threading, time
threading.Thread(target=time.sleep, args=(1000,)).start()
time.sleep(1000)\" &
	sleep 1002 | cat & wait" </dev/null >/dev/null 2>&1 &
root=$!
until [ "$(tree | grep -cE " 1 (sleep 100|cat)")" = 4 ] && tree | grep -q " 2 python3"; do sleep 0.1; done
'
# shellcheck disable=SC2016 # for the world's shell
world='exec 2>&1
'"$common"'
echo "== check"; criu check >/dev/null 2>&1; echo "criu check: $?"
echo "== raw"; tree > before
echo "== shape"; shape
criu dump -t $root -D img -o dump.log && echo "dump: ok" || { echo "dump: failed"; grep Error img/dump.log | head -5; }
echo "== after dump: $(tree | wc -l) tasks"
criu restore -D img -d -o restore.log && echo "restore: ok" || { echo "restore: failed"; grep Error img/restore.log | head -5; }
echo "== after restore"; shape
tree | cmp -s before - && echo "pid ppid pgid sid threads: as before the dump" || { echo "differs:"; tree; cat before; }
echo "== working"
s=$(pgrep -x -f "sleep 1000")
kill -TERM "$s" && echo "signal to a restored task: ok"
until ! kill -0 "$s" 2>/dev/null; do sleep 0.1; done
echo "its parent still waits: $(pgrep -c -x -f "sleep 1001")"
ls -l /proc/$root/fd/3 2>/dev/null | grep -q "$d/file" && echo "open file: kept"
kill -9 -- -$root 2>/dev/null
until [ -z "$(tree)" ]; do sleep 0.1; done
echo "== end"; cd / && rm -rf "$d"'

n=$(timeout -k 5 200 unshare --pid --fork --mount-proc bash -c "$world")
if ! grep -q '^restore: ok' <<< "$n"; then
	ok "# SKIP criu does not dump and restore natively on $(uname -r): $(grep -A2 -E '^(dump|restore): failed' <<< "$n" | tr '\n' ' ' | cut -c1-200)"
	return 0 2>/dev/null || exit 0
fi
echo "t85 $SECONDS s: native done" >&2
v=$(timeout -k 5 200 "$BIN/vpidctl" run "$(cname)" -- bash -c "$world")
echo "t85 $SECONDS s: vpid done" >&2
is "criu check in a native pid namespace" "criu check: 0" \
	"$(sed -n '/^== check/{n;p}' <<< "$n")"
sec() { sed -n "/^== $1/,/^== /p" <<< "$2" | grep -v '^== '; }
is "criu: dumped, gone, restored as before (native)" "dump: ok
restore: ok
pid ppid pgid sid threads: as before the dump" \
	"$(grep -E '^(dump|restore): |^pid ppid' <<< "$n")"
is "criu: the tree has its sleeps, a pipe and a thread (native)" "5 1" \
	"$(sec shape "$n" | grep -cE '^(sleep 100[012]|cat|python3 -c) ') $(sec shape "$n" | grep -c 'threads: 2')"
same "criu check, dump, restore, the restored tree's shape: native vs vpid" "$n" "$v"
is "criu: the restored tree works (vpid)" "signal to a restored task: ok
its parent still waits: 1
open file: kept" "$(sec working "$v")"

# The numbers taken: the tree dumped, other processes take its numbers
# (ns_last_pid), and the images are restored in a fresh pid namespace /
# a fresh container made from there: every process has its old number.
# shellcheck disable=SC2016 # for the world's shell
taken_head='exec 2>&1
'"$common"'
tree > before
criu dump -t $root -D img -o dump.log || { echo "dump: failed"; grep Error img/dump.log | head -5; }
for p in $(awk "{ print \$1 }" before); do
	echo $((p - 1)) > /proc/sys/kernel/ns_last_pid
	sleep 1003 & [ $! = "$p" ] || echo "number $p not taken: $!"
done
echo "taken: $(pgrep -c -x -f "sleep 1003") of $(wc -l < before)"
'
# shellcheck disable=SC2016 # for the world's shell
taken_tail='
cmp -s before after && echo "restored with its old numbers" || { echo "differs:"; cat after before; }
pkill -x -f "sleep 1003"
echo "== end"; cd / && rm -rf "$d"'
# shellcheck disable=SC2016 # natively: criu in a nested pid namespace
restore_n='unshare --pid --fork --mount-proc bash -c "criu restore -D img -d -o restore.log || grep Error img/restore.log | head -5
	$(declare -f tree); root=$root; tree > after; kill -9 -- -$root"'
# shellcheck disable=SC2016 # in a container: vpidctl restore, a container below
restore_v='"$BIN/vpidctl" restore "r$$" img -- -o restore.log || grep Error img/restore.log | head -5
"$BIN/vpidctl" exec "r$$" -- bash -c "$(declare -f tree); root=$root; tree" > after
"$BIN/vpidctl" destroy --wait "r$$"'
n=$(timeout -k 5 200 unshare --pid --fork --mount-proc \
	bash -c "$taken_head$restore_n$taken_tail")
v=$(timeout -k 5 200 "$BIN/vpidctl" run "$(cname)" -- env BIN="$BIN" \
	bash -c "$taken_head$restore_v$taken_tail")
is "criu: numbers taken, restored in a fresh pid namespace (native)" \
	"restored with its old numbers" \
	"$(grep -E '^(restored|differs|number|dump|criu|Error|\()' <<< "$n")"
check "criu: every number of the tree was taken meanwhile (native)" \
	grep -qE '^taken: ([0-9]+) of \1$' <<< "$n"
same "criu: numbers taken, restored in a fresh container (vpidctl restore): native vs vpid" "$n" "$v"

# vpidctl, from the host (no native counterpart: a pid namespace cannot do
# these): (1) a tree dumped on the host, its pids taken there since,
# restored by "vpidctl restore" in a new container where its old pids are
# its vpids (the README's demo); (2) a tree in a container dumped by
# "vpidctl checkpoint" and restored in another with its vpids.
# htree ROOT [VIEW]: "pid pgid sid args" of ROOT's session, from the host
# or from inside container VIEW
htree() {
	if [ -n "${2-}" ]; then
		"$BIN/vpidctl" exec "$2" -- ps -eo pid=,pgid=,sid=,args=
	else
		ps -eo pid=,pgid=,sid=,args=
	fi | awk -v s="$1" '$3 == s' | sort -n
}
# two_sleeps ROOT [VIEW]: ROOT's session has its two sleeps
two_sleeps() { [ "$(htree "$@" | awk '$4 == "sleep"' | wc -l)" = 2 ]; }
echo "t85 $SECONDS s: host tree" >&2
taken=()
hd=$(mktemp -d /tmp/t85.XXXXXX)
setsid bash -c 'sleep 1007 & sleep 1008 & wait' </dev/null >/dev/null 2>&1 &
hroot=$!
check "a host tree to dump" wait_for two_sleeps "$hroot"
htree "$hroot" > "$hd/before"
check "vpidctl: criu dumps a host tree" criu dump -t "$hroot" -D "$hd" -o dump.log
wait "$hroot" 2>/dev/null
for p in $(awk '{ print $1 }' "$hd/before"); do
	echo $((p - 1)) > /proc/sys/kernel/ns_last_pid
	sleep 1009 &
	taken+=($!)
done
check "vpidctl: its pids are taken on the host" \
	sh -c 'for p in $(awk "{ print \$1 }" "$0"); do kill -0 "$p" || exit 1; done' "$hd/before"
echo "t85 $SECONDS s: restore" >&2
check "vpidctl restore: the host tree in a new container" \
	"$BIN/vpidctl" restore h85 "$hd" -- -o restore.log
is "vpidctl restore: its old pids are its vpids" "$(cat "$hd/before")" \
	"$(htree "$hroot" h85)"
"$BIN/vpidctl" destroy --wait h85 >/dev/null 2>&1
kill "${taken[@]}"
wait "${taken[@]}" 2>/dev/null
rm -rf "$hd"
echo "t85 $SECONDS s: container tree" >&2

hd=$(mktemp -d /tmp/t85.XXXXXX)
"$BIN/vpidctl" run c85 -- bash -c 'setsid bash -c "sleep 1010 & sleep 1011 & wait" </dev/null >/dev/null 2>&1 & echo $! > "$0/root"; wait' "$hd" &
crun=$!
wait_for test -s "$hd/root"
croot=$(<"$hd/root")
check "a container's tree to checkpoint" wait_for two_sleeps "$croot" c85
htree "$croot" c85 > "$hd/before"
echo "t85 $SECONDS s: checkpoint" >&2
check "vpidctl checkpoint: a tree of a container, with its vpids" \
	"$BIN/vpidctl" checkpoint c85 "$croot" "$hd" -- -o dump.log
echo "t85 $SECONDS s: restore" >&2
check "vpidctl restore: in another container" \
	"$BIN/vpidctl" restore c86 "$hd" -- -o restore.log
is "vpidctl restore: the vpids it had" "$(cat "$hd/before")" \
	"$(htree "$croot" c86)"
"$BIN/vpidctl" destroy --wait c86 >/dev/null 2>&1
"$BIN/vpidctl" destroy --wait c85 >/dev/null 2>&1
wait "$crun"
rm -rf "$hd"

# A whole pid namespace / a whole container: the tree of its init (pid or
# vpid 1), dumped from outside the tree and restored with the init at 1
# again.  Natively: unshare --pid --fork, criu dump -t on the namespace's
# init from the host, criu restore in a new pid namespace.  vpid:
# "vpidctl checkpoint NAME 1" (criu attached to NAME, outside the tree),
# the container destroyed, "vpidctl restore NAME2" (criu attached to
# NAME2 made empty forks the init with CLONE_NEWPID and set_tid [1], then
# leaves).  The init (python) reaps; below it a shell with two sleeps, a
# sleep in a session of its own, a sleep in a group of its own.
echo "t85 $SECONDS s: whole" >&2
wd=$(mktemp -d /tmp/t85w.XXXXXX)
cat > "$wd/init.py" <<'PY'
import os, signal, subprocess, time
signal.signal(signal.SIGUSR1, lambda s, f: os._exit(7))
subprocess.Popen(["bash", "-c", "sleep 1020 & sleep 1021 & wait"])
subprocess.Popen(["setsid", "sleep", "1022"])
subprocess.Popen(["sleep", "1023"], preexec_fn=lambda: os.setpgid(0, 0))
while True:
    try:
        os.wait()
    except ChildProcessError:
        time.sleep(1000)
PY
# wdesc PID: PID and its descendants (host pids)
wdesc() {
	ps -eo pid=,ppid= | awk -v r="$1" '{ p[$1] = $2 } END {
		for (x in p) { y = x; while (y in p && y != r) y = p[y]
			if (y == r) print x } }' | sort -n
}
# wview PID: "pid ppid pgid sid state args" of PID's tree in its own
# numbering (the last column of NSpid, NSpgid, NSsid; ppid 0 outside)
wview() {
	local x st nr pp
	for x in $(wdesc "$1"); do
		st=$(cat "/proc/$x/status" 2>/dev/null) || continue
		nr() { awk -v k="$1:" '$1 == k { print $NF }' <<< "$st"; }
		pp=$(nr PPid)
		if [ "$x" = "$1" ]; then pp=0
		else pp=$(awk '$1 == "NSpid:" { print $NF }' "/proc/$pp/status"); fi
		echo "$(nr NSpid) $pp $(nr NSpgid) $(nr NSsid) $(awk '$1 == "State:" { print $2 }' <<< "$st") $(ps -o args= -p "$x")"
	done | sort -n
}
# wshape PID: the same as relations (fork order may move the numbers)
wshape() {
	wview "$1" | awk '{ a[$1] = $6 " " $7; l[NR] = $0 } END {
		for (i = 1; i <= NR; i++) { split(l[i], f); x = f[6] " " f[7]
		print x " | parent: " (f[2] in a ? a[f[2]] : "outside") " | group: " (f[3] == f[1] ? "leads" : f[3] in a ? a[f[3]] : "outside") " | session: " (f[4] == f[1] ? "leads" : f[4] in a ? a[f[4]] : "outside") " | init: " (f[1] == 1) } }' | sort
}
wready() { [ "$(wdesc "$1" | wc -l)" = 6 ] && [ "$(wview "$1" | grep -c ' S sleep 102')" = 4 ]; }
# wafter WORLD PID: the restored tree works: signals, orphans, the init's end
wafter() {
	local s
	echo "init: $(wview "$2" | awk '$7 == "init.py" { print $1 }')"
	s=$(wdesc "$2" | while read -r x; do
		ps -o pid=,args= -p "$x"; done | awk '$3 == 1023 { print $1 }')
	kill -TERM "$s" && echo "signal to a restored task: ok"
	# shellcheck disable=SC2016 # for sh
	wait_for sh -c '! ps -p "$0" >/dev/null' "$s" &&
		echo "the init reaped it"
	kill -KILL "$(wdesc "$2" | while read -r x; do
		ps -o pid=,args= -p "$x"; done | awk '$2 == "bash" { print $1 }')"
	wait_for sh -c '[ "$(ps -o ppid= -C sleep | grep -c "^ *$0\$")" = 3 ]' "$2" &&
		echo "orphans adopted by the init: $(wview "$2" | awk '$2 == 1 && $6 == "sleep" && $7 ~ /^102[01]$/ { n++ } END { print n }')"
	kill -USR1 "$2"
	wait_for sh -c '! pgrep -f "^sleep 102[0-3]$" >/dev/null' &&
		echo "the init's end took the rest"
}
wtime() { echo "$(( ($(date +%s%N) - $1) / 1000000 )) ms"; }

# natively
# (in $wd: criu's parasite mounts a proc in the init's working directory)
(cd "$wd" && exec unshare --pid --fork setsid python3 init.py) \
	</dev/null >/dev/null 2>&1 &
wun=$!
wait_for sh -c 'pgrep -P "$0" >/dev/null' "$wun"
wroot=$(pgrep -P "$wun")
if wait_for wready "$wroot"; then
	wview "$wroot" > "$wd/nbefore"
	wshape "$wroot" > "$wd/nshape"
	mkdir "$wd/nimg"
	t=$(date +%s%N)
	if timeout -k 5 120 criu dump -t "$wroot" -D "$wd/nimg" -o dump.log; then
		echo "t85 whole pid namespace dump (native): $(wtime "$t")" >&2
		wait "$wun" 2>/dev/null
		t=$(date +%s%N)
		timeout -k 5 120 criu restore -D "$wd/nimg" -d -o restore.log --pidfile "$wd/npid"
		echo "t85 whole pid namespace restore (native): $(wtime "$t")" >&2
		nr=$(cat "$wd/npid" 2>/dev/null)
		nafter=$(wview "$nr")
		is "criu: a whole pid namespace restored as before (native)" \
			"$(cat "$wd/nbefore")" "$nafter"
		nwork=$(wafter native "$nr")
		# the same images, a native pid namespace's, in a container:
		# the namespace's init is the container's
		check "vpidctl restore: a native pid namespace's tree in a new container" \
			timeout -k 5 120 "$BIN/vpidctl" restore w87 "$wd/nimg" -- -o restore2.log
		nr=$(awk '$1 == "w87" { print $3 }' "$CTL")
		is "vpidctl restore: a native pid namespace's tree, as it was in the namespace" \
			"$(cat "$wd/nbefore")" "$(wview "$nr")"
		kill -USR1 "$nr"
		check "vpidctl restore: its container dies with its init" wait_no_containers
	else
		ok "# SKIP criu does not dump a pid namespace's init natively: $(grep Error "$wd/nimg/dump.log" | head -3 | tr '\n' ' ')"
		kill -KILL "$wroot"
	fi
fi
wait "$wun" 2>/dev/null

# in a container
# (its files opened in its own mount namespace: criu dumps from there)
(cd "$wd" && exec "$BIN/vpidctl" run w85 -- sh -c \
	'exec setsid python3 init.py </dev/null >/dev/null 2>&1') &
wrun=$!
wait_for grep -q '^w85 ' "$CTL"
wroot=$(awk '$1 == "w85" { print $3 }' "$CTL")
check "a whole container to checkpoint" wait_for wready "$wroot"
wview "$wroot" > "$wd/vbefore"
wshape "$wroot" > "$wd/vshape"
# and as the container's own /proc shows it (but for the ps that reads it)
wps() {
	"$BIN/vpidctl" exec "$1" -- ps -eo pid=,ppid=,pgid=,sid=,args= |
		awk '$5 != "ps"'
}
wps w85 > "$wd/vps"
is "a whole container: its /proc shows the init and its 5 descendants" 6 \
	"$(wc -l < "$wd/vps")"
mkdir "$wd/vimg"
t=$(date +%s%N)
check "vpidctl checkpoint: a whole container (vpid 1)" \
	timeout -k 5 120 "$BIN/vpidctl" checkpoint w85 1 "$wd/vimg" -- -o dump.log
echo "t85 whole container checkpoint: $(wtime "$t")" >&2
"$BIN/vpidctl" destroy --wait w85 >/dev/null 2>&1
wait "$wrun" 2>/dev/null
t=$(date +%s%N)
check "vpidctl restore: a whole container" \
	timeout -k 5 120 "$BIN/vpidctl" restore w86 "$wd/vimg" -- -o restore.log
echo "t85 whole container restore: $(wtime "$t")" >&2
wroot=$(awk '$1 == "w86" { print $3 }' "$CTL")
is "vpidctl restore: the restored init is the container's, only the tree is left" \
	"w86 1 6" "$(awk '$1 == "w86" { print $1, $2, $4 }' "$CTL")"
is "vpidctl restore: a whole container as before (pid ppid pgid sid)" \
	"$(cat "$wd/vbefore")" "$(wview "$wroot")"
is "vpidctl restore: a whole container as before, as its /proc shows it" \
	"$(cat "$wd/vps")" "$(wps w86)"
vwork=$(wafter vpid "$wroot")
is "vpidctl restore: the restored container works" "init: 1
signal to a restored task: ok
the init reaped it
orphans adopted by the init: 2
the init's end took the rest" "$vwork"
check "vpidctl restore: the container died with its init" wait_no_containers
if [ -n "${nwork-}" ]; then
	same "a whole pid namespace / container restored works: native vs vpid" \
		"$nwork" "$vwork"
	same "a whole pid namespace / container: the tree's shape: native vs vpid" \
		"$(cat "$wd/nshape")" "$(cat "$wd/vshape")"
fi
# A nested whole pid namespace / container: the init's tree one level
# further down (a pid namespace inside another; a container inside
# another), dumped, and restored below a fresh outer namespace / container
# whose tasks hold the tree's numbers (and which are taken on the host).
# Natively: unshare --pid --fork twice, criu dump -t of the inner init
# from the host, criu restore inside a new outer pid namespace (which makes
# the inner one).  vpid: "vpidctl checkpoint OUTER/INNER 1", then "vpidctl
# restore OUTER2/INNER" (vpidctl enters OUTER2 and restores INNER below it
# as above).  Every process reads the same pid, ppid, pgid and sid.
echo "t85 $SECONDS s: nested" >&2
# ntaken ROOT OUTER-INIT: how many of ROOT's tree numbers (its own level)
# the outer level's init and its sleeps hold there, and how many of them
# are pids on the host
ntaken() {
	local x held o=0 h=0 n=0
	held=$(for x in "$2" $(pgrep -P "$2" -x -f "sleep 1031"); do
		awk '$1 == "NSpid:" { print $NF }' "/proc/$x/status"; done)
	for x in $(wview "$1" | awk '{ print $1 }'); do
		n=$((n + 1))
		grep -qx "$x" <<< "$held" && o=$((o + 1))
		[ -d "/proc/$x" ] && h=$((h + 1))
	done
	echo "taken in the outer level: $o of $n, on the host: $h of $n"
}
# natively
(cd "$wd" && exec unshare --pid --fork sh -c \
	'unshare --pid --fork setsid python3 init.py') </dev/null >/dev/null 2>&1 &
nun=$!
wait_for pgrep -x -f "python3 init.py" >/dev/null
nroot=$(pgrep -x -f "python3 init.py")
if wait_for wready "$nroot"; then
	wview "$nroot" > "$wd/nnbefore"
	wshape "$nroot" > "$wd/nnshape"
	mkdir "$wd/nnimg"
	t=$(date +%s%N)
	if timeout -k 5 120 criu dump -t "$nroot" -D "$wd/nnimg" -o dump.log; then
		echo "t85 nested pid namespace dump (native): $(wtime "$t")" >&2
		wait "$nun" 2>/dev/null
		# shellcheck disable=SC2016 # for the outer namespace's shell
		unshare --pid --fork --mount-proc bash -c 'for _ in 1 2 3 4 5 6 7 8; do
				sleep 1031 &
			done
			t=$(date +%s%N)
			timeout -k 5 120 criu restore -D "$0" -d -o restore.log
			echo "$? $(( ($(date +%s%N) - t) / 1000000 ))" > "$0/rdone"
			wait' "$wd/nnimg" </dev/null >/dev/null 2>&1 &
		nout=$!
		wait_long test -s "$wd/nnimg/rdone"
		echo "t85 nested pid namespace restore (native): $(awk '{ print $2 }' "$wd/nnimg/rdone") ms" >&2
		nr=$(pgrep -x -f "python3 init.py")
		is "criu: a nested pid namespace restored as before (native)" \
			"$(cat "$wd/nnbefore")" "$(wview "$nr")"
		ntake=$(ntaken "$nr" "$(pgrep -P "$nout")")
		is "criu: the tree's numbers were taken in the outer namespace and on the host (native)" \
			"taken in the outer level: 6 of 6, on the host: 6 of 6" "$ntake"
		nnwork=$(wafter native "$nr")
		kill -KILL "$(pgrep -P "$nout")"
		wait "$nout" 2>/dev/null
	else
		ok "# SKIP criu does not dump a nested pid namespace's init natively: $(grep Error "$wd/nnimg/dump.log" | head -3 | tr '\n' ' ')"
		kill -KILL "$nroot"
	fi
fi
wait "$nun" 2>/dev/null

# in a container inside another (the init's files opened in its own mount
# namespace)
# shellcheck disable=SC2016 # for sh
(cd "$wd" && exec "$BIN/vpidctl" run o85 -- sh -c '"$0" run i85 -- sh -c \
	"exec setsid python3 init.py </dev/null >/dev/null 2>&1"' "$BIN/vpidctl") \
	</dev/null >/dev/null 2>&1 &
orun=$!
wait_for grep -q '^o85/i85 ' "$CTL"
wroot=$(awk '$1 == "o85/i85" { print $3 }' "$CTL")
check "a nested whole container to checkpoint" wait_for wready "$wroot"
wview "$wroot" > "$wd/vnbefore"
wshape "$wroot" > "$wd/vnshape"
wps o85/i85 > "$wd/vnps"
mkdir "$wd/vnimg"
t=$(date +%s%N)
check "vpidctl checkpoint: a nested whole container (o85/i85, vpid 1)" \
	timeout -k 5 120 "$BIN/vpidctl" checkpoint o85/i85 1 "$wd/vnimg" -- -o dump.log ||
	grep -h Error "$wd/vnimg/dump.log" | head -5 | diag
echo "t85 nested whole container checkpoint: $(wtime "$t")" >&2
"$BIN/vpidctl" destroy --wait o85 >/dev/null 2>&1
wait "$orun" 2>/dev/null
# shellcheck disable=SC2016 # for sh
"$BIN/vpidctl" run o86 -- sh -c 'for _ in 1 2 3 4 5 6 7 8; do sleep 1031 & done; wait' \
	</dev/null >/dev/null 2>&1 &
orun=$!
wait_for grep -q '^o86 1 [0-9]* 9$' "$CTL"
oinit=$(awk '$1 == "o86" { print $3 }' "$CTL")
t=$(date +%s%N)
check "vpidctl restore: a nested whole container (o86/i86)" \
	timeout -k 5 120 "$BIN/vpidctl" restore o86/i86 "$wd/vnimg" -- -o restore.log ||
	grep -h Error "$wd/vnimg/restore.log" | head -5 | diag
echo "t85 nested whole container restore: $(wtime "$t")" >&2
wroot=$(awk '$1 == "o86/i86" { print $3 }' "$CTL")
is "vpidctl restore: the restored init is o86/i86's, only the tree is left there" \
	"o86/i86 2 6" "$(awk '$1 == "o86/i86" { print $1, $2, $4 }' "$CTL")"
is "vpidctl restore: a nested whole container as before (pid ppid pgid sid)" \
	"$(cat "$wd/vnbefore")" "$(wview "$wroot")"
is "vpidctl restore: a nested whole container as before, as its /proc shows it" \
	"$(cat "$wd/vnps")" "$(wps o86/i86)"
vtake=$(ntaken "$wroot" "$oinit")
is "vpidctl restore: the tree's numbers were taken in the outer container and on the host" \
	"taken in the outer level: 6 of 6, on the host: 6 of 6" "$vtake"
vnwork=$(wafter vpid "$wroot")
is "vpidctl restore: the restored nested container works" "init: 1
signal to a restored task: ok
the init reaped it
orphans adopted by the init: 2
the init's end took the rest" "$vnwork"
# shellcheck disable=SC2016 # for sh
check "vpidctl restore: the inner container died with its init" \
	wait_for sh -c '! grep -q "^o86/" "$0"' "$CTL"
"$BIN/vpidctl" destroy --wait o86 >/dev/null 2>&1
wait "$orun" 2>/dev/null
if [ -n "${nnwork-}" ]; then
	same "a nested whole pid namespace / container restored works: native vs vpid" \
		"$nnwork" "$vnwork"
	same "a nested whole pid namespace / container: the tree's shape: native vs vpid" \
		"$(cat "$wd/nnshape")" "$(cat "$wd/vnshape")"
	same "a nested whole pid namespace / container: the numbers taken: native vs vpid" \
		"$ntake" "$vtake"
fi
rm -rf "$wd"

wait_no_containers
check "containers gone" test "$(nr_containers)" = 0
