# shellcheck shell=bash
# attach, nextpid, destroy: the control file acting on running tasks.

# reporter NAME: start `scen report` in the background on fifos; it answers
# "p" (print ids) and "f" (fork, print the fork return) on its stdout.
reporter() {
	rm -f "/tmp/$1.in" "/tmp/$1.out"
	mkfifo "/tmp/$1.in" "/tmp/$1.out"
	"$BIN/scen" report < "/tmp/$1.in" > "/tmp/$1.out" &
	eval "exec {${1}_in}>/tmp/$1.in {${1}_out}</tmp/$1.out"
}
ask() { local in="${1}_in" out="${1}_out" line; echo "$2" >&"${!in}"; read -r -t 20 line <&"${!out}"; echo "$line"; }

pg=$(ps -o pgid= $$ | tr -d ' ')
sid=$(ps -o sid= $$ | tr -d ' ')
"$BIN/ctlw" -x box sleep 300 &
boxinit=$!
wait_for grep -q '^box ' $CTL
reporter r1
r1=$!
is "before attach: host numbers" "r pid=$r1 tid=$r1 ppid=$$ pgrp=$pg sid=$sid" "$(ask r1 p)"
is "attach a running process" OK "$(ctl "attach box $r1")"
is "attached: keeps its number, parent and session now outside (0)" "r pid=$r1 tid=$r1 ppid=0 pgrp=0 sid=0" "$(ask r1 p)"
is "listing counts it" "box 1 $boxinit 2" "$(grep '^box ' $CTL)"
is "attach with VPID renumbers" OK "$(ctl "attach box $r1 77")"
is "attached with VPID 77" "r pid=77 tid=77 ppid=0 pgrp=0 sid=0" "$(ask r1 p)"
reporter r2
r2=$!
is "attach with a taken VPID is EBUSY" EBUSY "$(ctl "attach box $r2 77")"
is "EBUSY changed nothing" "r pid=$r2 tid=$r2 ppid=$$ pgrp=$pg sid=$sid" "$(ask r2 p)"
is "attach VPID 1 (the init's) is EBUSY" EBUSY "$(ctl "attach box $r2 1")"
is "attach an unknown pid is ESRCH" ESRCH "$(ctl "attach box 4000000")"
is "attach a kernel thread is EINVAL" EINVAL "$(ctl "attach box 2")"
is "nextpid sets the next fork's vpid" OK "$(ctl 'nextpid box 500')"
is "fork in the container gets the nextpid" "r fork=500" "$(ask r1 f)"
is "the fork after it gets the next free one" "r fork=501" "$(ask r1 f)"
is "nextpid on a taken vpid is EBUSY" EBUSY "$(ctl 'nextpid box 77')"
# A container numbers below what a native pid namespace has: the global
# pid_max (6.1, 6.12), its own (later kernels: 4194304 in a new one).
nmax=$(native cat /proc/sys/kernel/pid_max)
is "nextpid past pid_max is EINVAL" EINVAL "$(ctl "nextpid box $nmax")"
is "nextpid just below pid_max is OK" OK "$(ctl "nextpid box $((nmax - 1))")"
ctl 'nextpid box 502' >/dev/null	# where the cursor was
is "a container's /proc/sys/kernel/pid_max reads as a native pid namespace's" \
	"$nmax" "$(invpid unshare --mount --mount-proc cat /proc/sys/kernel/pid_max)"

# From inside a container, host pids are not visible.
is "attach of a host pid from inside is ESRCH" ESRCH "$(invpid sh -c "$BIN/ctlw -x inner sleep 100 >/dev/null & while ! grep -q '^inner ' $CTL; do sleep 0.1; done; $BIN/ctlw 'attach inner $r2'; kill \$! 2>/dev/null")"

# threads move together
python3 -c 'import threading,time; [threading.Thread(target=time.sleep,args=(300,),daemon=True).start() for _ in range(3)]; time.sleep(300)' &
py=$!
wait_for test "$(ls /proc/$py/task | wc -l)" = 4
is "attach a 4-thread process" OK "$(ctl "attach box $py")"
is "all its threads moved" "box 1 $boxinit 6" "$(grep '^box ' $CTL)"

# destroy kills everything in the container and below
is "destroy" OK "$(ctl 'destroy box')"
wait $boxinit 2>/dev/null; wait $py 2>/dev/null; wait $r1 2>/dev/null
check "destroy killed the init" sh -c "! kill -0 $boxinit 2>/dev/null"
check "destroy killed the attached process" sh -c "! kill -0 $py 2>/dev/null"
check "container gone after destroy" wait_no_containers
is "attach into a destroyed container is ENOENT" ENOENT "$(ctl "attach box $r2")"
kill $r2; wait $r2 2>/dev/null
