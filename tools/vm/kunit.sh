#!/bin/sh
# In the debug VM: load hmap.ko, run the KUnit suites (hmap_kunit.ko), unload
# both, scan for leaks. Started by tools/check (and `make kunit`) as
#   tools/vm/run --debug --no-insmod tools/vm/kunit.sh
# The KTAP between HMAP-KUNIT-BEGIN and HMAP-KUNIT-END is counted by
# tools/vm/ktap; each "HMAP-CHECK ok|fail WHAT" line is one check.
check() {	# check WHAT COMMAND...: run COMMAND, report it as a check
	what=$1; shift
	if "$@"; then echo "HMAP-CHECK ok $what"; else echo "HMAP-CHECK fail $what"; rc=1; fi
}
rc=0
kml=/sys/kernel/debug/kmemleak
# Forget what the kernel itself allocated so far: only new leaks are reported.
[ -w $kml ] && echo clear > $kml

check "kunit: insmod hmap.ko" insmod /lib/hmap/hmap.ko || exit 1
if [ ! -f /lib/hmap/hmap_kunit.ko ]; then
	echo "HMAP-CHECK fail kunit: hmap_kunit.ko was not built"
	exit 1
fi
echo HMAP-KUNIT-BEGIN
# KUnit runs the suites inside insmod (module init), so they are done when it
# returns.
check "kunit: insmod hmap_kunit.ko" insmod /lib/hmap/hmap_kunit.ko
echo HMAP-KUNIT-END
check "kunit: rmmod hmap_kunit" rmmod hmap_kunit
check "kunit: rmmod hmap" rmmod hmap

if [ -w $kml ]; then
	# kmemleak reports only objects older than 5 s: let the last test's age.
	sleep 5
	# Two scans: the first only notes each new object's checksum (an object
	# that changed since the previous scan is never reported).
	echo scan > $kml
	echo scan > $kml
	# Leaks, if any, are printed ("unreferenced object ...": a splat).
	cat $kml
fi
exit $rc
