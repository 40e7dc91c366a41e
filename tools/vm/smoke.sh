#!/bin/sh
# In the stock VM: hmap.ko loads, shows in /proc/modules and unloads. Started
# by tools/check as  tools/vm/run --no-insmod tools/vm/smoke.sh
# Each "ok - WHAT" / "not ok - WHAT" line is one check.
# shellcheck source=guest.sh
. /hmap/guest.sh

assert_true "stock: insmod hmap.ko" insmod /lib/hmap/hmap.ko || checks_done
assert_true "stock: hmap in /proc/modules" grep -q '^hmap ' /proc/modules
assert_true "stock: rmmod hmap" rmmod hmap
assert_true "stock: hmap gone from /proc/modules" sh -c '! grep -q "^hmap " /proc/modules'
checks_done
