# shellcheck shell=bash
# vpidctl (tools/vpidctl): loading the module through libkmod, every
# command, and its error messages and exit codes. Sourced by run.sh.
#
# The module it loads by name is the dkms-built one when
# tests/host/dkms-test.sh left a copy in build/dkms/KVER/, else the one
# run.sh --module inserted ($VPID_MODULE). Booted with
# --append module.sig_enforce=1 (and no --module), it checks only the
# refusal message. VPID_DKMS_KO=FILE overrides the module file.

V=$BIN/vpidctl
v60_kver=${VPID_KVER:-$(uname -r)}
v60_version=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' dkms.conf)

# vv ARGS...: run vpidctl; sets v_rc, v_out, v_err
vv() {
	"$V" "$@" >/tmp/t60.out 2>/tmp/t60.err
	v_rc=$?
	v_out=$(cat /tmp/t60.out)
	v_err=$(cat /tmp/t60.err)
}

# has DESC NEEDLE HAYSTACK: HAYSTACK contains the fixed string NEEDLE
has() {
	case $3 in
	*"$2"*) ok "$1" ;;
	*)
		not_ok "$1"
		printf 'expected to contain: %s\n                got: %s\n' "$2" "$3" | diag
		;;
	esac
}

# as_nobody CMD...: without any privilege
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"
}

# proc_mounts PID: how many proc mounts are on /proc in PID's namespace
proc_mounts() {
	awk '{ for (i = 7; $i != "-"; i++) ; if ($5 == "/proc" && $(i + 1) == "proc") n++ }
	     END { print n + 0 }' "/proc/$1/mountinfo"
}

# A module tree holding only FILE (or nothing), for the lookup by name.
v60_tree=/tmp/t60-modules
make_tree() {
	local d=$v60_tree/lib/modules/$v60_kver
	rm -rf "$v60_tree"
	mkdir -p "$d/updates/dkms"
	touch "$d/modules.order" "$d/modules.builtin" "$d/modules.builtin.modinfo"
	[ -n "${1-}" ] && cp "$1" "$d/updates/dkms/"
	depmod -b "$v60_tree" "$v60_kver"
}
# in_tree CMD...: CMD sees that tree as /lib/modules/KVER
in_tree() {
	unshare -m sh -c 'mount --bind "$1" "/lib/modules/$2" && shift 2 && exec "$@"' \
		sh "$v60_tree/lib/modules/$v60_kver" "$v60_kver" "$@"
}

# --- the tool itself ---
check "vpidctl is built ($V)" test -x "$V"
vv --help
is "--help exits 0" 0 "$v_rc"
has "--help lists the commands" "exec [--vpid N] PATH [--] [CMD...]" "$v_out"
vv --version
is "--version prints the dkms package version" "vpidctl $v60_version" "$v_out"
vv ls --help
is "ls --help exits 0" 0 "$v_rc"
has "ls --help shows its usage" "Usage: vpidctl [-m PATH.ko] ls [--tree]" "$v_out"
vv help destroy
has "help destroy shows its usage" "destroy [--wait] PATH" "$v_out"
vv run --version
is "run --version" "0 vpidctl $v60_version" "$v_rc $v_out"
vv frobnicate
is "unknown command exits 2" 2 "$v_rc"
has "unknown command is named" "unknown command 'frobnicate'" "$v_err"
vv run
is "run without NAME exits 2" "2 vpidctl: run: missing NAME" "$v_rc $(echo "$v_err" | head -1)"
vv attach w 12x
is "attach with a bad PID exits 2" 2 "$v_rc"
vv ls --bogus
is "unknown option exits 2" 2 "$v_rc"
vv nextpid w
is "nextpid without VPID exits 2" 2 "$v_rc"

# --- loading and unloading ---
v60_ko=${VPID_DKMS_KO:-$(ls "$VPID_REPO/build/dkms/$v60_kver/"vpid.ko* 2>/dev/null | head -n 1)}
v60_what="the dkms-built module"
[ -n "${VPID_DKMS_KO-}" ] && v60_what="VPID_DKMS_KO"
# A dkms build of other sources than the module under test is stale.
if [ -z "${VPID_DKMS_KO-}" ] && [ -n "$v60_ko" ] && [ -n "${VPID_MODULE-}" ] &&
	[ "$(modinfo -F srcversion "$v60_ko")" != "$(modinfo -F srcversion "$VPID_MODULE")" ]; then
	echo "# t60: $v60_ko is stale (other sources than $VPID_MODULE): not used"
	v60_ko=
fi
if [ -z "$v60_ko" ]; then
	v60_ko=$VPID_MODULE
	v60_what="the run.sh --module module"
fi
echo "# t60: module for the load tests: $v60_ko ($v60_what)"
check "a module file to load (build/dkms/$v60_kver or run.sh --module)" test -n "$v60_ko"

if [ "$(cat /sys/module/module/parameters/sig_enforce 2>/dev/null)" = Y ] &&
	[ ! -e $CTL ]; then
	vv --module "$v60_ko" ls
	is "signature enforced: load fails with exit 1" 1 "$v_rc"
	has "signature enforced: the message says why" "the kernel enforces module signatures" "$v_err"
	has "signature enforced: the errno is named" "(EKEYREJECTED)" "$v_err"
	check "signature enforced: nothing loaded" test ! -e /sys/module/vpid
	return 0
fi

if [ -e $CTL ]; then
	wait_no_containers
	vv unload
	is "unload of the loaded module" "0 " "$v_rc $v_err"
fi
check "no /proc/container after unload" test ! -e $CTL
check "no module vpid after unload" test ! -e /sys/module/vpid
vv unload
is "unload when not loaded exits 1" 1 "$v_rc"
is "unload when not loaded says so" "vpidctl: unload: module vpid is not loaded (ENOENT)" "$v_err"

v60_out=$(as_nobody "$V" --module "$v60_ko" ls 2>&1)
is "load as non-root exits 1" 1 "$?"
has "load as non-root says it needs root" "cannot load $v60_ko: loading a kernel module needs root (CAP_SYS_MODULE) (EPERM)" "$v60_out"

make_tree
v60_out=$(in_tree "$V" ls 2>&1)
is "load with no vpid for this kernel exits 1" 1 "$?"
has "load with no vpid for this kernel says where it looked" "cannot load module vpid: not found in /lib/modules/$v60_kver" "$v60_out"
check "no module loaded after the failures" test ! -e /sys/module/vpid

v60_other=
for f in "$VPID_REPO"/build/*/vpid.ko; do
	case $f in "$VPID_REPO/build/$v60_kver/"* | "$VPID_REPO/build/*/"*) ;; *) v60_other=$f ;; esac
done
if [ -n "$v60_other" ]; then
	v60_out=$("$V" --module "$v60_other" ls 2>&1)
	is "load of another kernel's module exits 1" 1 "$?"
	has "load of another kernel's module says so" "it is not built for this kernel (running $v60_kver, module built for" "$v60_out"
	has "load of another kernel's module names ENOEXEC" "(ENOEXEC)" "$v60_out"
fi

if [ -n "$v60_ko" ]; then
	make_tree "$v60_ko"
	v60_out=$(in_tree "$V" ls 2>&1)
	is "load by name ($v60_what, ${v60_ko##*/}) and ls" "0 PATH LEVEL INIT TASKS" "$? $(echo "$v60_out" | head -n 1 | tr -s ' ')"
	check "/proc/container after the load by name" test -e $CTL
	is "the loaded module is the one of the tree" "$(modinfo -F srcversion "$v60_ko")" "$(cat /sys/module/vpid/srcversion 2>&1)"
	vv unload
	is "unload again" "0 " "$v_rc $v_err"
fi
vv --module "${VPID_MODULE:-$v60_ko}" ls
is "load with --module ${VPID_MODULE:-$v60_ko}" 0 "$v_rc"
check "/proc/container after --module" test -e $CTL
rm -rf "$v60_tree"
if [ ! -e $CTL ]; then
	not_ok "module loaded: the command tests cannot run"
	return 0
fi

# --- run ---
is "run: the command is vpid 1" 1 "$("$V" run w1 -- sh -c 'echo $$')"
"$V" run w1 -- sh -c 'exit 7'
is "run: exits with the command's status" 7 "$?"
vv run w1 -- /nonexistent/cmd
is "run: a missing command exits 127" 127 "$v_rc"
has "run: a missing command is named" "vpidctl: run w1: cannot run /nonexistent/cmd: No such file or directory (ENOENT)" "$v_err"
# the README's quick start: the container's own /proc, procps unmodified
# (bash execs its last command: ps is vpid 1 there, as in a native pidns)
is "run: echo \$\$; ps -e shows vpid 1 and only the container's tasks" \
	"1 PID COMMAND 1 ps" \
	"$("$V" run web -- bash -c 'echo $$; ps -eo pid,comm' | tr -s ' \n' '  ' | sed 's/^ //; s/ $//')"
is "run: ps -ef inside lists 2 tasks" 3 \
	"$("$V" run web -- bash -c 'ps -ef; true' | wc -l)"
check "run: containers of finished commands are gone" wait_no_containers

v60_host_proc=$(proc_mounts self)
"$V" run w2 -- sleep 3600 &
v60_s=$!
check "run: w2 is listed" wait_for grep -q '^w2 ' $CTL
is "run: w2's init is the command" "w2 1 $v60_s 1" "$(grep '^w2 ' $CTL)"
check "run: a mount namespace of its own" test "$(readlink /proc/$v60_s/ns/mnt)" != "$(readlink /proc/self/ns/mnt)"
is "run: a proc of its own on /proc" "$((v60_host_proc + 1))" "$(proc_mounts $v60_s)"
is "run: the host's /proc is untouched" "$v60_host_proc" "$(proc_mounts self)"

# --- ls ---
vv ls
is "ls exits 0" 0 "$v_rc"
is "ls: header" "PATH LEVEL INIT TASKS" "$(echo "$v_out" | sed -n 1p | tr -s ' ')"
is "ls: the host line" ". 0 1 -" "$(echo "$v_out" | sed -n 2p | tr -s ' ')"
is "ls: w2's line" "w2 1 $v60_s 1" "$(echo "$v_out" | awk '$1 == "w2"' | tr -s ' ')"
is "ls as non-root works" "$v_out" "$(as_nobody "$V" ls 2>&1)"

# --- exec ---
v60_out=$("$V" exec --vpid 7 w2 -- sh -c 'echo $$; while read -r l; do echo "$l"; done </proc/container')
is "exec --vpid 7: the command is vpid 7" 7 "$(echo "$v60_out" | sed -n 1p)"
is "exec: the command is in w2 (its view: w2 with sleep and sh)" ". 1 1 2" "$(echo "$v60_out" | sed -n 3p)"
"$V" exec w2 -- sleep 3600 &
v60_e=$!
check "exec: w2 counts the new task" wait_for grep -q "^w2 1 $v60_s 2\$" $CTL
is "exec: in the mount namespace of w2's init" "$(readlink /proc/$v60_s/ns/mnt)" "$(readlink /proc/$v60_e/ns/mnt)"
# (seen from here, a path in another mount namespace reads from its root)
is "exec: the root of w2's init" "$(readlink /proc/$v60_s/root)" "$(readlink /proc/$v60_e/root)"
is "exec: in the caller's directory" "$(readlink /proc/$v60_s/cwd)" "$(readlink /proc/$v60_e/cwd)"
vv exec --vpid 1 w2 -- true
is "exec --vpid taken: exit 1" 1 "$v_rc"
is "exec --vpid taken: message" "vpidctl: exec w2: vpid 1 is taken in w2 (EBUSY)" "$v_err"
vv exec nosuch -- true
is "exec into no container: message" "1 vpidctl: exec nosuch: no container nosuch (ENOENT)" "$v_rc $v_err"

# --- ps ---
vv ps w2
is "ps exits 0" 0 "$v_rc"
is "ps: header" "VPID PID COMMAND" "$(echo "$v_out" | sed -n 1p | tr -s ' ' | sed 's/^ //')"
v60_line=$(echo "$v_out" | awk -v p=$v60_s '$2 == p { print $1, $3, $4 }')
case $v60_line in
"1 sleep 3600" | "- sleep 3600") ok "ps: the init, its vpid (or -) and command: $v60_line" ;;
*) not_ok "ps: the init, its vpid (or -) and command"; echo "$v_out" | diag ;;
esac
vv ps nosuch
is "ps of no container" "1 vpidctl: ps nosuch: no container nosuch (ENOENT)" "$v_rc $v_err"

# --- attach ---
sleep 3600 &
v60_h=$!
vv attach w2 $v60_h --vpid 1
is "attach --vpid taken: exit 1" 1 "$v_rc"
is "attach --vpid taken: message" "vpidctl: attach w2 $v60_h: vpid 1 is taken in w2 (EBUSY)" "$v_err"
vv attach w2 $v60_h --vpid 9
is "attach --vpid 9" "0 " "$v_rc $v_err"
check "attach: w2 counts it" wait_for grep -q "^w2 1 $v60_s 3\$" $CTL
vv attach w2 4000000
is "attach of no process" "1 vpidctl: attach w2 4000000: no process 4000000 (as seen from here) (ESRCH)" "$v_rc $v_err"
vv attach nosuch $v60_h
is "attach to no container" "1 vpidctl: attach nosuch $v60_h: no container nosuch (ENOENT)" "$v_rc $v_err"
vv attach w2 1
is "attach of the host's init" "1 vpidctl: attach w2 1: process 1 cannot join a container (a kernel thread, the host's init, or in a native pid namespace) (EINVAL)" "$v_rc $v_err"

# --- nextpid ---
vv nextpid w2 1
is "nextpid taken" "1 vpidctl: nextpid w2 1: vpid 1 is taken in w2 (EBUSY)" "$v_rc $v_err"
vv nextpid w2 20
is "nextpid w2 20" "0 " "$v_rc $v_err"
is "nextpid: the next task created in w2 is vpid 20" 20 "$("$V" exec w2 -- sh -c 'sh -c "echo \$\$"; true')"

# --- errors of run, and privileges ---
vv run 'a*b' -- true
is "run: bad name" "1 vpidctl: run a*b: invalid container name 'a*b': 1-63 of A-Z a-z 0-9 . _ -, not . or .. (EINVAL)" "$v_rc $v_err"
vv run 'a b' -- true
is "run: a name with a blank is EINVAL" "1 (EINVAL)" "$v_rc ${v_err##* }"
vv run attach -- true
has "run: a command word as name" "'attach' is a command word of /proc/container and cannot name a container (EINVAL)" "$v_err"
vv run "$(printf 'x%.0s' $(seq 64))" -- true
is "run: 64-byte name" "1 a container name is at most 63 bytes (ENAMETOOLONG)" "$v_rc ${v_err#*: *: }"
vv run w2 -- true
is "run: duplicate name" "1 vpidctl: run w2: a container named w2 already exists (EEXIST)" "$v_rc $v_err"
v60_out=$(as_nobody "$V" destroy w2 2>&1)
is "destroy as non-root" "1 vpidctl: destroy w2: permission denied: writing /proc/container needs CAP_SYS_ADMIN (EPERM)" "$? $v60_out"
check "w2 survives the refused destroy" grep -q '^w2 ' $CTL

# --- unload with containers ---
vv unload
is "unload with containers: exit 1" 1 "$v_rc"
has "unload with containers: message" "containers still exist" "$v_err"
check "unload with containers: still loaded" test -e $CTL

# --- nesting ---
"$V" run w3 -- sleep 3600 &
v60_s3=$!
wait_for grep -q '^w3 ' $CTL
"$V" exec w3 -- "$V" run inner -- sleep 3600 &
v60_i=$!
check "run inside exec: w3/inner is listed" wait_for grep -q '^w3/inner 2 ' $CTL
vv ls --tree
is "ls --tree: inner is indented below w3" "    inner 2" "$(echo "$v_out" | grep '^ *inner ' | awk '{ printf "    %s %s", $1, $2 }')"
has "ls --tree: header" "CONTAINER" "$(echo "$v_out" | sed -n 1p)"
vv ls
has "ls: the nested path" "w3/inner" "$v_out"

# --- destroy ---
vv destroy --wait w2
is "destroy --wait w2" "0 " "$v_rc $v_err"
check "destroy: w2 is gone" sh -c "! grep -q '^w2 ' $CTL"
wait $v60_s
is "destroy: w2's init was killed (SIGKILL)" 137 "$?"
wait $v60_e
is "destroy: the exec'd task was killed" 137 "$?"
wait $v60_h
is "destroy: the attached task was killed" 137 "$?"
vv destroy w2
is "destroy of no container" "1 vpidctl: destroy w2: no container w2 (ENOENT)" "$v_rc $v_err"
vv destroy w3
is "destroy w3" 0 "$v_rc"
wait $v60_s3 $v60_i
check "destroy: w3 and w3/inner are gone" wait_no_containers
# (after a failure above: leave nothing behind for the tests that follow)
kill -KILL $v60_s $v60_e $v60_h $v60_s3 $v60_i 2>/dev/null
wait_no_containers
vv unload
is "unload after destroy" "0 " "$v_rc $v_err"
vv --module "${VPID_MODULE:-$v60_ko}" ls
is "load again for the tests that follow" 0 "$v_rc"
