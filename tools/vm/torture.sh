#!/bin/sh
# In a debug VM: the torture suite (kunit/hmap_torture.ko, KUnit suite
# hmap_torture) with failslab set up for its fault-injection cases, then a
# kmemleak scan. Started by tools/check (stages torture and kcsan) and by
# `make torture` as
#   tools/vm/run --debug --no-insmod --no-tools tools/vm/torture.sh [PARAM=VALUE...]
#   tools/vm/run --kcsan --no-insmod --no-tools tools/vm/torture.sh [PARAM=VALUE...]
# The PARAMs are hmap_torture.ko's module parameters (modinfo lists them):
# duration_ms (least run time of each case), max_ms, readers (default one
# per CPU), writers, keys, stable_keys, value_size, verify_every,
# failslab_percent (default here 10; 0 skips the failslab cases). A long
# run, one minute per case (10 cases: five, which together run each hash
# on each path, see kunit/hmap_torture.c; KUnit stops a case after 300 s,
# so keep duration_ms under about 240000):
#   tools/vm/run --debug --no-insmod --no-tools --timeout 3600 \
#           tools/vm/torture.sh duration_ms=60000 keys=4096
# (or `make torture TORTURE="duration_ms=60000 keys=4096"`, and KCSAN=1
# for the KCSAN kernel). kunit.filter_glob picks cases, e.g.
#   tools/vm/run ... --append kunit.filter_glob='hmap_torture.torture_failslab*' ...
#
# failslab (/sys/kernel/debug/failslab): probability failslab_percent,
# every allocation a candidate (interval 1), no limit (times -1), GFP_KERNEL
# allocations too (ignore-gfp-wait N), quietly (verbose 0: each failure
# would print a backtrace), and only in tasks marked make-it-fail
# (task-filter Y): the torture marks its writer threads.
#
# The KTAP between HMAP-TORTURE-BEGIN and HMAP-TORTURE-END is counted by
# tools/vm/ktap; each "ok - WHAT" / "not ok - WHAT" line is one check.
# shellcheck source=guest.sh
. /hmap/guest.sh

fs=/sys/kernel/debug/failslab
kernel=debug
[ -e /sys/kernel/debug/kcsan ] && kernel=kcsan

percent=10
for arg in "$@"; do
	case "$arg" in
	failslab_percent=*) percent=${arg#failslab_percent=} ;;
	esac
done

# failslab_setup PERCENT: see the header. The task filter first and the
# probability last: until the filter is on, any task's allocations fail
# (this shell's fork, for one).
failslab_setup() {
	echo Y > $fs/task-filter &&
	echo 1 > $fs/interval &&
	echo -1 > $fs/times &&
	echo 0 > $fs/space &&
	echo 0 > $fs/verbose &&
	echo N > $fs/ignore-gfp-wait &&
	echo N > $fs/cache-filter &&
	echo "$1" > $fs/probability
}

kmemleak_clear
assert_true "torture ($kernel): insmod hmap.ko" insmod /lib/hmap/hmap.ko || checks_done
if [ ! -f /lib/hmap/hmap_torture.ko ]; then
	fail "torture ($kernel): hmap_torture.ko was not built"
	checks_done
fi
if [ "$percent" != 0 ]; then
	assert_true "torture ($kernel): failslab set up ($percent%, writers only)" failslab_setup "$percent"
fi
echo HMAP-TORTURE-BEGIN
# KUnit runs the suite inside insmod (module init).
assert_true "torture ($kernel): insmod hmap_torture.ko $*" \
	insmod /lib/hmap/hmap_torture.ko failslab_percent="$percent" "$@"
echo HMAP-TORTURE-END
# KCSAN's counters (watchpoints set up, races found): how much it watched.
[ -r /sys/kernel/debug/kcsan ] && sed 's/^/kcsan: /' /sys/kernel/debug/kcsan
[ "$percent" = 0 ] || echo 0 > $fs/probability
assert_true "torture ($kernel): rmmod hmap_torture" rmmod hmap_torture
assert_true "torture ($kernel): rmmod hmap" rmmod hmap

kmemleak_scan
checks_done
