# SPDX-License-Identifier: GPL-2.0
# vpid - top-level make.  `make` builds vpid.ko for the running kernel when
# its headers are installed, else for every installed Debian header set
# (build/KVER/vpid.ko); `make KVER=...` picks one.  See README.md.

SRCDIRS  := module procfs hooks core engine include
SOURCES  := Kbuild $(shell find $(SRCDIRS) -name '*.[chS]')
RUNNING  := $(shell uname -r)
ifeq ($(KVER),)
  ifneq ($(wildcard /lib/modules/$(RUNNING)/build),)
    KVERS := $(RUNNING)
  else
    KVERS := $(shell tests/vm/kernels.sh --installed 2>/dev/null)
  endif
else
  KVERS := $(KVER)
endif
C ?= 0

.PHONY: all modules clean check check-quick check-rt check-all check-debug demo lint sparse checkpatch layers deps help \
	tools install dkms-install dkms-remove bench fuzz stress

all: modules

help:
	@echo "make [KVER=...]     build vpid.ko (build/KVER/vpid.ko, ./vpid.ko for one kernel)"
	@echo "make check          install deps, build + sparse for every Debian kernel line,"
	@echo "                    run the QEMU suite on 6.1, bookworm 6.12 and trixie-backports 7.x"
	@echo "make check-rt       the same, plus the PREEMPT_RT lines (VPID_RT=1)"
	@echo "make check-all      the QEMU suite on every line (tests/vm/kernels.conf: cloud, RT, trixie, sid)"
	@echo "make demo           boot a stock kernel in QEMU and show a container"
	@echo "make check-debug    the QEMU suite + kmemleak on a KASAN/lockdep debug kernel (first build ~40 min)"
	@echo "make lint           checkpatch --strict, sparse and the layer check on the module sources"
	@echo "make tools          build tools/vpidctl; make install installs it (+ man page)"
	@echo "make dkms-install   install vpid.ko through dkms (KVER=... for one kernel)"
	@echo "make dkms-remove    remove the dkms package"
	@echo "make bench          cost vs a native pid namespace on every kernel (QEMU -icount, ~9 min)"
	@echo "make fuzz           libFuzzer on the control-file parser (FUZZ_SECONDS=600)"
	@echo "make stress         the long stress and fuzz runs in QEMU (STRESS_SECS=60 per stressor)"

modules: $(KVERS:%=build/%/vpid.ko)
	@if [ "$(words $(KVERS))" = 1 ]; then cp build/$(KVERS)/vpid.ko vpid.ko; fi
	@test -n "$(KVERS)" || { echo "no kernel headers found: apt-get install linux-headers-amd64, or set KVER" >&2; exit 1; }

build/%/vpid.ko: $(SOURCES)
	@mkdir -p build/$*
	@cp -a --parents $(SOURCES) build/$*/
	@# headers on this machine: kbuild directly; a newer release's (trixie,
	@# sid): in its chroot (scripts/debian.sh, made and cached on first use)
	@if [ -d /lib/modules/$*/build ]; then \
		$(MAKE) -C /lib/modules/$*/build M=$(CURDIR)/build/$* C=$(C) modules; \
	else \
		scripts/debian.sh build $* build/$* C=$(C); \
	fi

sparse:
	$(MAKE) C=2 KVER="$(KVER)" $(if $(KVER),,KVER=$(firstword $(KVERS))) -B modules

checkpatch:
	scripts/checkpatch.sh $(SOURCES)

lint: checkpatch sparse layers

layers:
	scripts/layers.py

deps:
	scripts/deps.sh

check: deps
	tests/run-all.sh

check-quick:
	tests/run-all.sh --quick

check-rt: deps
	VPID_RT=1 tests/run-all.sh

check-all: deps
	tests/run-all.sh --all

check-debug: deps
	tests/debug/run.sh

demo: deps
	tests/demo.sh

bench:
	bench/run.sh $(if $(KVER),--kernel $(KVER))

FUZZ_SECONDS ?= 600
fuzz:
	tests/fuzz/run.sh $(FUZZ_SECONDS)

STRESS_SECS ?= 60
stress: modules
	$(MAKE) -s -C tests/src
	@set -e; for k in $(KVERS); do \
		tests/vm/run.sh --kernel $$k --module build/$$k/vpid.ko --timeout 5400 \
			--env T75_SECS=$(STRESS_SECS) --env T70_SECS=$(STRESS_SECS) \
			--env T90_CYCLES=50 --env VPID_TESTS='t[79]*' -- tests/guest/run.sh; \
	done

tools:
	$(MAKE) -C tools/vpidctl

install: tools
	$(MAKE) -C tools/vpidctl install

dkms-install:
	scripts/dkms.sh install $(KVER)

dkms-remove:
	scripts/dkms.sh remove $(KVER)

clean:
	rm -rf build vpid.ko
	$(MAKE) -C tests/src clean
	$(MAKE) -C tools/vpidctl clean
