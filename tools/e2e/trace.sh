#!/bin/sh
# e2e-cpus: 1 (enabling an event patches the kernel text of __schedule;
# under TCG with two vCPUs the other one once ran the patch's int3 after
# it was done: "Oops: int3" in rcu_preempt, taken for an artefact of how
# TCG emulates cross-modifying code; one vCPU has no other to race)
# Tracepoints: hmap:hmap_grow_start, hmap_grow_finish and hmap_evacuate show
# a map growing (double), being evacuated by writers and by the background
# worker, and shrinking back, through tracefs.
. ./lib.sh
need hmapctl
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T 2> /dev/null
[ -d $T/events/hmap ] || die "no hmap events in $T/events"
for e in hmap_grow_start hmap_grow_finish hmap_evacuate; do
	assert_true "event $e exists" test -d $T/events/hmap/$e
done

echo > $T/trace
echo 1 > $T/events/hmap/enable
hmapctl create tr key_size 8 value_size 8 > /dev/null || die "create"
id=$(field $DBG/tr/stats id)
# 60 inserts double the table at the 9th, 14th, 27th and 53rd key.
i=0
while [ $i -lt 60 ]; do hmapctl put tr "k$i" v > /dev/null; i=$((i + 1)); done
sleep 1	# the worker finishes a grow 50 ms after the writes stop
grep "map=$id " $T/trace > /tmp/tr.grow
assert_eq "double grow starts" 4 "$(grep -c 'hmap_grow_start:.*kind=double' /tmp/tr.grow)"
assert_eq "double grow finishes" 4 "$(grep -c 'hmap_grow_finish:.*kind=double' /tmp/tr.grow)"
assert_true "grow 3 -> 4 traced at count 52" \
	grep -q 'hmap_grow_start: map=[0-9]* old_B=3 new_B=4 kind=double count=52' /tmp/tr.grow
assert_true "evacuations by writers traced" grep -q 'hmap_evacuate:.*by=writer' /tmp/tr.grow
assert_eq "stats: grows" 4 "$(field $DBG/tr/stats grows)"
assert_eq "stats: B" 4 "$(field $DBG/tr/stats B)"
evac=$(grep -c 'hmap_evacuate:' /tmp/tr.grow)
total=$(( $(field $DBG/tr/stats evacuated) + $(field $DBG/tr/stats evacuated_bg) ))
assert_eq "one evacuate event per evacuated bucket" "$total" "$evac"

# The 105th key starts a grow 4 -> 5 and no write follows: the worker
# finishes it (on a slow kernel it may be done before we look).
i=60
while [ $i -lt 105 ]; do hmapctl put tr "k$i" v > /dev/null; i=$((i + 1)); done
note "right after the last write: growing $(field $DBG/tr/stats growing)"
sleep 1
assert_eq "grow 4 -> 5 happened" 5 "$(field $DBG/tr/stats B)"
assert_eq "worker finished the grow" no "$(field $DBG/tr/stats growing)"
assert_true "evacuations by the worker traced" grep -q "hmap_evacuate: map=$id .*by=worker" $T/trace

# Deleting everything shrinks the table back to one bucket.
echo > $T/trace
i=0
while [ $i -lt 105 ]; do hmapctl del tr "k$i" > /dev/null; i=$((i + 1)); done
sleep 2
grep "map=$id " $T/trace > /tmp/tr.shrink
assert_true "shrink traced" grep -q 'hmap_grow_start:.*kind=shrink' /tmp/tr.shrink
assert_eq "shrinks back to B 0" 0 "$(field $DBG/tr/stats B)"
assert_eq "last shrink 1 -> 0 finished" 1 \
	"$(grep -c 'hmap_grow_finish: map=[0-9]* old_B=1 new_B=0 kind=shrink' /tmp/tr.shrink)"
echo 0 > $T/events/hmap/enable
hmapctl destroy tr
splat_check
checks_done
