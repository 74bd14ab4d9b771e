# shellcheck shell=bash
# Side by side with a native pid namespace: every scenario's output must be
# identical when run as pid 1 of each.

for s in basic vfork clone3 threads futex groups wait exec-thread signals initprot orphans pidfd autoreap ptrace; do
	n=$(native "$BIN/scen" "$s")
	v=$(invpid "$BIN/scen" "$s")
	same "oracle: $s (native pidns vs vpid)" "$n" "$v"
done
check "oracle containers all gone" wait_no_containers
