#!/bin/sh
# The ioctl conformance test (ioctl/*.c, KTAP: a line per test, a "# FAIL"
# line per failed check): every request, every bad input and its errno,
# dump across growth, maps of shards (create, per-shard stats and
# snapshots, dump across shards), CAP_SYS_ADMIN, destroy under load.
#   tools/vm/run [--debug] tools/e2e/ioctl.sh
. ./lib.sh

need hmap-ioctl-test
note "hmap-ioctl-test: the ioctl ABI of /dev/hmap, test by test"
start=$(date +%s)
if hmap-ioctl-test; then
	pass "hmap-ioctl-test ($(($(date +%s) - start))s)"
else
	fail "hmap-ioctl-test (exit $?, see the 'not ok' lines above)"
fi
assert_eq "no map left behind" "" "$(cat $DBG/maps)"
splat_check
checks_done
