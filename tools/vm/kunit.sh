#!/bin/sh
# In the debug VM: load hmap.ko, run the KUnit suites (hmap_kunit.ko), unload
# both, scan for leaks. Started by tools/check (and `make kunit`) as
#   tools/vm/run --debug --no-insmod tools/vm/kunit.sh
# The KTAP between HMAP-KUNIT-BEGIN and HMAP-KUNIT-END is counted by
# tools/vm/ktap; each "ok - WHAT" / "not ok - WHAT" line is one check.
# shellcheck source=guest.sh
. /hmap/guest.sh

kmemleak_clear
assert_true "kunit: insmod hmap.ko" insmod /lib/hmap/hmap.ko || checks_done
if [ ! -f /lib/hmap/hmap_kunit.ko ]; then
	fail "kunit: hmap_kunit.ko was not built"
	checks_done
fi
echo HMAP-KUNIT-BEGIN
# KUnit runs the suites inside insmod (module init), so they are done when it
# returns.
assert_true "kunit: insmod hmap_kunit.ko" insmod /lib/hmap/hmap_kunit.ko
echo HMAP-KUNIT-END
assert_true "kunit: rmmod hmap_kunit" rmmod hmap_kunit
assert_true "kunit: rmmod hmap" rmmod hmap
kmemleak_scan
checks_done
