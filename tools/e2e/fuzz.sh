#!/bin/sh
# The ioctl fuzzer (fuzz.c): random requests, sizes, flags, names and
# pointers, checked against a model of the maps; at the end every map is
# checked (list, stats, full dump, lookups) and destroyed.
#   tools/vm/run [--debug] tools/e2e/fuzz.sh [CALLS [SEED]]
# CALLS defaults to 100000 (what the issue asks for, on either kernel).
# Where kmemleak runs (the debug kernel), nothing the calls allocated may
# be left once the maps are gone: every error path frees what it took.
# e2e-kmemleak: scan (the leak check of the requests' error paths)
. ./lib.sh

need hmap-fuzz
calls=${1:-100000}
seed=${2:-}
note "hmap-fuzz: $calls random ioctls against a model${seed:+, seed $seed}"
kmemleak_clear
start=$(date +%s)
if hmap-fuzz -n "$calls" ${seed:+-s "$seed"}; then
	pass "hmap-fuzz: $calls calls consistent with the model ($(($(date +%s) - start))s)"
else
	fail "hmap-fuzz: exit $? (see INCONSISTENT lines; repeat with the seed printed above)"
fi
assert_eq "no map left behind" "" "$(cat $DBG/maps)"
# A leak makes the kernel print "kmemleak: N new suspected memory leaks":
# a splat, which fails the run on the host.
kmemleak_scan
splat_check
checks_done
