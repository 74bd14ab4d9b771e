#!/usr/bin/env bash
# `make demo`: boot Debian's own kernel under QEMU, load vpid.ko and show a
# container at work.  DEMO_KVER picks the kernel (default: the newest),
# DEMO_SHELL=1 gives an interactive shell in a container instead.
set -euo pipefail
cd "$(dirname "$0")/.."
case ${1-} in -h|--help) sed -n 2,4p "$0"; exit 0 ;; esac
k=${DEMO_KVER:-$(tests/vm/kernels.sh --lines | awk '$1 == "6.12" {print $2}')}
make -s KVER="$k" modules
make -s -C tests/src
make -s -C tools/vpidctl O=../../tests/bin
if [ "${DEMO_SHELL-}" = 1 ]; then
	exec tests/vm/run.sh --kernel "$k" --module "build/$k/vpid.ko" \
		--interactive -- tests/bin/vpidctl run demo -- bash
fi
cat > build/demo-guest.sh <<'GUEST'
#!/bin/bash
B=$VPID_REPO/tests/bin
echo "== kernel $(uname -r), vpid loaded: $(test -e /proc/container && echo yes)"
echo '== vpidctl run web -- bash -c ...'
"$B/vpidctl" run web -- bash -c '
	echo "inside: echo \$\$ -> $$, getppid -> $PPID"
	sleep 1000 & echo "inside: a background job got pid $!"
	echo "inside: /proc/container:"; sed "s/^/    /" /proc/container
	echo "inside: kill -0 1 -> $(kill -0 1 && echo ok)"
	kill %1'
echo "== the host sees the container while it runs:"
"$B/ctlw" -x db sleep 5 &
sleep 1; sed 's/^/    /' /proc/container
"$B/vpidctl" ls
wait
GUEST
chmod +x build/demo-guest.sh
tests/vm/run.sh --kernel "$k" --module "build/$k/vpid.ko" --timeout 300 -- build/demo-guest.sh |
	grep -v '^ok - guest'
