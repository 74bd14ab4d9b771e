# shellcheck shell=bash
# si_pid of a POSIX message queue notification (SI_MESGQ, mq_notify): the
# kernel numbers it in the receiver's pid namespace, vpid in its container.
n=$(native "$BIN/mqsig")
v=$(invpid "$BIN/mqsig")
same "mq_notify si_pid (native vs vpid)" "$n" "$v"
is "mq_notify si_pid is the sender's vpid" "si_code=SI_MESGQ si_pid=child" "$v"
