#!/bin/sh
# e2e-kernels: stock (shrinks, the worker and the caches run on the debug
# kernels in the KUnit suites hmap_shrink, hmap_worker and hmap_cache)
# Shrink, background evacuation and the per-CPU caches, seen from debugfs:
# memory drops after deletes shrink the table, the cache counters move
# under load, and a NO_SHRINK map keeps its size.
. ./lib.sh
need hmapctl
S=$DBG/sh/stats
# 200-byte values are stored out of line: inserts and deletes use the caches.
hmapctl create sh key_size 8 value_size 200 > /dev/null || die "create"
i=0
while [ $i -lt 200 ]; do hmapctl put sh "k$i" "v$i" > /dev/null; i=$((i + 1)); done
sleep 1
B_full=$(field $S B)
mem_full=$(field $S memory)
assert_eq "200 entries" 200 "$(field $S count)"
assert_eq "B for 200 entries" 5 "$B_full"

i=0
while [ $i -lt 190 ]; do hmapctl del sh "k$i" > /dev/null; i=$((i + 1)); done
sleep 2	# the worker finishes the shrinks once the deletes stop
B_low=$(field $S B)
mem_low=$(field $S memory)
note "B $B_full -> $B_low, memory $mem_full -> $mem_low"
assert_true "shrinks counted" test "$(field $S shrinks)" -gt 0
assert_true "B dropped" test "$B_low" -lt "$B_full"
assert_true "memory dropped" test "$mem_low" -lt "$mem_full"
assert_eq "not growing any more" no "$(field $S growing)"
assert_true "deleted values went to the cache" test "$(field $S cache_refills)" -gt 0
assert_true "cached objects bounded by cache_objs" \
	test "$(field $S cache_objects)" -le $(( $(cat /sys/module/hmap/parameters/cache_objs) * 3 * $(nproc) ))

# After a grace period the cached values serve new inserts.
hits=$(field $S cache_hits)
sleep 1
i=0
while [ $i -lt 20 ]; do hmapctl put sh "n$i" "w$i" > /dev/null; i=$((i + 1)); done
assert_true "inserts served from the cache" test "$(field $S cache_hits)" -gt "$hits"
assert_eq "k195 still there" v195 "$(hmapctl get sh k195)"
assert_eq "n7 there" w7 "$(hmapctl get sh n7)"
hmapctl destroy sh

# HMAP_F_NO_SHRINK: the table keeps its size.
hmapctl create ns key_size 8 value_size 8 flags 1 > /dev/null || die "create ns"
i=0
while [ $i -lt 100 ]; do hmapctl put ns "k$i" v > /dev/null; i=$((i + 1)); done
B_ns=$(field $DBG/ns/stats B)
i=0
while [ $i -lt 100 ]; do hmapctl del ns "k$i" > /dev/null; i=$((i + 1)); done
sleep 1
assert_eq "NO_SHRINK map keeps B" "$B_ns" "$(field $DBG/ns/stats B)"
assert_eq "NO_SHRINK map never shrank" 0 "$(field $DBG/ns/stats shrinks)"
hmapctl destroy ns
splat_check
checks_done
