# shellcheck shell=bash
# The pidns= option of proc mounts (Linux 6.18 and later: mount(2), and
# fsconfig by path and by fd), in a container vs a native pid namespace:
# a container gets its own view, or one of the native pid namespaces made
# inside it; never the host's (a container task's /proc/self/ns/pid is the
# host's namespace: it means the container) nor a sibling's.

if ! "$BIN/procmnt" probe; then
	ok "# SKIP proc has no pidns= option on $(uname -r)"
	return 0 2>/dev/null || exit 0
fi

# The same steps in both worlds: own namespace by each way, then a native
# pid namespace made inside.
world='
sleep 300 >/dev/null 2>&1 &
s=$!
for how in mount fd path; do
	echo "own $how: $(unshare --mount "$BIN/procmnt" $how /proc/self/ns/pid)"
done
unshare --pid --fork --kill-child sleep 301 >/dev/null 2>&1 &
u=$!
c=
until [ -n "$c" ]; do c=$(pgrep -P $u); done
for how in mount fd path; do
	echo "inner $how: $(unshare --mount "$BIN/procmnt" $how /proc/$c/ns/pid)"
done
# the inner init ignores SIGTERM from outside, as any pid namespace init;
# bash's job notices vary in timing: not part of the output
exec 2>/dev/null
kill -KILL $s $c $u
wait
echo end'
n=$(BIN=$BIN timeout -k 5 120 unshare --pid --fork --mount-proc bash -c "$world" 2>&1)
v=$(BIN=$BIN timeout -k 5 120 "$BIN/ctlw" -x p67own unshare --mount --mount-proc \
	bash -c "$world" 2>&1)
case $n in *"own mount: pids 1 "*"inner fd: pids 1"*end) ok "pidns= in a native pid namespace" ;;
	*) not_ok "pidns= in a native pid namespace"; echo "$n" | diag ;; esac
same "pidns= of its own and of an inner pid namespace: native vs vpid" "$n" "$v"

# Names of other namespaces, passed in as open files: the host's (the
# container's base: the container's own view), and a native pid namespace
# of a sibling container (EINVAL, as natively for a namespace not below).
"$BIN/ctlw" -x p67sib unshare --pid --fork --kill-child sleep 302 >/dev/null 2>&1 &
sib=$!
inner=
find_inner() { inner=$(pgrep -f '^sleep 302$'); [ -n "$inner" ]; }
wait_for find_inner
check "a sibling container with a native pid namespace" test -n "$inner"
probe='
for how in mount fd path; do
	echo "$how host: $(unshare --mount "$BIN/procmnt" $how /proc/self/fd/7)"
	echo "$how sibling: $(unshare --mount "$BIN/procmnt" $how /proc/self/fd/8)"
done'
v=$(BIN=$BIN timeout -k 5 120 "$BIN/ctlw" -x p67esc bash -c "$probe" \
	7</proc/1/ns/pid 8<"/proc/$inner/ns/pid" 2>&1)
n=$(BIN=$BIN timeout -k 5 120 unshare --pid --fork bash -c "$probe" \
	7</proc/1/ns/pid 8<"/proc/$inner/ns/pid" 2>&1)
is "natively, an ancestor's and a sibling's namespace are EINVAL" \
	"mount host: error EINVAL
mount sibling: error EINVAL
fd host: error EINVAL
fd sibling: error EINVAL
path host: error EINVAL
path sibling: error EINVAL" "$n"
is "in a container, the host's is the container itself, a sibling's EINVAL" \
	"mount host: pids 1 2
mount sibling: error EINVAL
fd host: pids 1 2
fd sibling: error EINVAL
path host: pids 1 2
path sibling: error EINVAL" "$(echo "$v" | sed 's/pids 1 [0-9]*$/pids 1 2/')"
kill -KILL "$inner" "$sib" 2>/dev/null
wait "$sib" 2>/dev/null
wait_no_containers
check "containers gone" test "$(nr_containers)" = 0
