#!/bin/sh
# In the stock VM, with hmap.ko loaded: show the module. Run by `make demo`
# (tools/vm/run tools/vm/demo.sh). The lead adds the real demo here.
echo "== /proc/modules"
grep '^hmap ' /proc/modules
echo "== kernel log"
dmesg | grep -i hmap
echo "== /sys/module/hmap"
ls -l /sys/module/hmap/
if [ -d /sys/module/hmap/parameters ]; then
	for p in /sys/module/hmap/parameters/*; do
		[ -f "$p" ] && echo "$(basename "$p") = $(cat "$p")"
	done
fi
exit 0
