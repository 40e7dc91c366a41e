# SPDX-License-Identifier: GPL-2.0
# hmap entry points. (The kbuild object lists are in Kbuild and each
# directory's own: module/Kbuild, kunit/Kbuild.)
#
#   make               build module/hmap.ko against KDIR, and tools/hmapctl
#                      (installs nothing: `make deps` does)
#   make check         the whole pipeline (tools/check): packages, -Werror
#                      build, KUnit in the debug-kernel VM, stock-kernel VM,
#                      end-to-end tests; ends with "N passed, N failed"
#   make kunit         only the KUnit run in the debug-kernel VM
#   make torture       the torture suite (kunit/hmap_torture.ko) for a minute
#                      a case in the debug-kernel VM, failslab on for its
#                      fault-injection cases; KCSAN=1 for the KCSAN kernel;
#                      TORTURE="PARAM=VALUE ..." replaces its module
#                      parameters (default duration_ms=60000; see
#                      tools/vm/torture.sh)
#   make kcsan         only the KCSAN-kernel stage of make check (torture
#                      and KUnit)
#   make demo          boot the stock kernel in a VM with hmap.ko loaded and
#                      run tools/vm/demo.sh
#   make shell         interactive shell in the stock-kernel VM, hmap.ko
#                      loaded; DEBUG=1 for the debug kernel (Ctrl-A X quits)
#   make bench         benchmarks (not tests): tools/bench/run-native (hmap
#                      against Go's map and rculfhash, natively), then
#                      tools/bench/run-kernel (against rhashtable and BPF, in
#                      the VM), then tools/bench/run-uml (against rhashtable,
#                      in a user-mode kernel), then tools/bench/plot; results
#                      in tools/bench/results/ (native.txt, kernel.txt,
#                      uml.txt, bench.png)
#   make clean
#
# KDIR defaults to the running kernel's build tree if it has one, else to
# Debian's linux-headers-6.12-amd64. The VM targets build their own copies
# (build/<kernel>/) and install missing Debian packages (tools/vm/deps);
# make bench installs the benchmarks' too (tools/vm/deps --bench).

KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(shell ls -d /lib/modules/6.12.*-amd64/build 2>/dev/null | sort -V | tail -n1))
VMFLAGS := $(if $(DEBUG),--debug)
TORTURE ?= duration_ms=60000
TORTURE_TIMEOUT ?= 3600

all: module hmapctl

module:
	@[ -n "$(KDIR)" ] || { echo "no kernel headers: run tools/vm/deps, or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

hmapctl:
	$(MAKE) -C tools/hmapctl

check:
	@tools/check

kunit:
	@tools/check deps kunit

torture: deps
	@tools/vm/run $(if $(KCSAN),--kcsan,--debug) --no-insmod --no-tools \
		--timeout $(TORTURE_TIMEOUT) tools/vm/torture.sh $(TORTURE)

kcsan:
	@tools/check deps kcsan

demo: deps all
	@tools/vm/run $(VMFLAGS) tools/vm/demo.sh

shell: deps
	@tools/vm/run $(VMFLAGS) --shell

deps:
	@tools/vm/deps

bench:
	tools/vm/deps --bench
	tools/bench/run-native
	tools/bench/run-kernel
	tools/bench/run-uml
	tools/bench/plot

clean:
	$(if $(KDIR),$(MAKE) -C $(KDIR) M=$(CURDIR) clean)
	for t in hmapctl e2e userspace; do $(MAKE) -C tools/$$t clean; done
	rm -rf build

.PHONY: all module hmapctl check kunit torture kcsan demo shell deps bench clean
