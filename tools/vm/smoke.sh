#!/bin/sh
# In the stock VM: hmap.ko loads, shows in /proc/modules and unloads. Started
# by tools/check as  tools/vm/run --no-insmod tools/vm/smoke.sh
# Each "HMAP-CHECK ok|fail WHAT" line is one check.
check() {	# check WHAT COMMAND...: run COMMAND, report it as a check
	what=$1; shift
	if "$@"; then echo "HMAP-CHECK ok $what"; else echo "HMAP-CHECK fail $what"; rc=1; fi
}
rc=0
check "stock: insmod hmap.ko" insmod /lib/hmap/hmap.ko || exit 1
check "stock: hmap in /proc/modules" grep -q '^hmap ' /proc/modules
check "stock: rmmod hmap" rmmod hmap
check "stock: hmap gone from /proc/modules" sh -c '! grep -q "^hmap " /proc/modules'
exit $rc
