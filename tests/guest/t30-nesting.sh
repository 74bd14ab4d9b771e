# shellcheck shell=bash
# Nested containers, three levels: what each level sees.

out=$(invpid "$BIN/scen" nest)
exp="c1 pid=1 tid=1 ppid=0 pgrp=0 sid=0
c2 pid=1 tid=1 ppid=0 pgrp=0 sid=0
c2| # path level init tasks
c2| . 3 1 1
c2 kill(2,0)=-3 kill(3,0)=-3
c1 sees c2 as 2
c1| # path level init tasks
c1| . 2 1 1
c1| n3 3 2 1
init sees c1 as 2
init| # path level init tasks
init| . 1 1 1
init| n2 2 2 1
init| n2/n3 3 3 1
init kill(2,0)=0 kill(3,0)=0 kill(4,0)=-3
after| # path level init tasks
after| . 1 1 1"
same "three nested levels: numbers, views and listings" "$exp" "$out"

# 33 levels: the 33rd is ENOSPC
deep=$(invpid bash -c 'for i in $(seq 2 32); do echo "l$i" > /proc/container || { echo "fail at $i"; exit 1; }; done; mapfile -t L < /proc/container; echo "${L[1]}"; '"$BIN"'/ctlw l33')
is "32 levels nest, the 33rd is ENOSPC" ". 32 1 1
ENOSPC" "$deep"
check "nested containers all gone" wait_no_containers
