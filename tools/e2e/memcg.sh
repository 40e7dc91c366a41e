#!/bin/sh
# e2e-kernels: stock
# Memory accounting: a map's memory is charged to the memory cgroup of the
# task that created it, whichever task writes to it, and so is what the
# map's worker allocates (the array of the next grow, the cache stock).
# Destroying the map uncharges it all. Reclaim in the creator's cgroup
# frees what the map's caches hold, and only its maps'. Stock kernel only:
# the debug kernels have no CGROUPS.
. ./lib.sh
need hmapctl
need hmap-fill
CG=/sys/fs/cgroup
M=$CG/maker
S=$DBG/mc/stats
grep -qw cgroup2 /proc/filesystems || die "no cgroup2 in this kernel"
grep -q " $CG cgroup2 " /proc/mounts || mount -t cgroup2 none $CG || die "mount cgroup2"
assert_true "the memory controller is there" grep -qw memory $CG/cgroup.controllers
echo +memory > $CG/cgroup.subtree_control || die "enable the memory controller"
mkdir $M || die "mkdir $M"
# A limit the maps stay well under: charges count against it.
echo 256M > $M/memory.max || die "set memory.max"
# The tools' pages are charged to the cgroup that first reads them: here.
hmapctl list > /dev/null
hmap-fill > /dev/null 2>&1
base=$(cat $M/memory.current)

# create_in_maker NAME VALUE_SIZE: hmapctl create, run from inside maker
# (the shell's pid is hmapctl's: exec).
create_in_maker() {
	sh -c "echo \$\$ > $M/cgroup.procs && exec hmapctl create $1 key_size 8 value_size $2" \
		> /dev/null || die "create $1 in $M"
}

# 1. Charged to the creator, written from the root cgroup by another process.
create_in_maker mc 8
assert_eq "the creator has left maker" "" "$(cat $M/cgroup.procs)"
hmap-fill insert mc 8 8 0 100000 || die "insert 100000 keys: exit $?"
sleep 1	# the worker's spare array and cache stock
mem=$(field $S memory)
spare=$(field $S spare_buckets)
cur=$(cat $M/memory.current)
note "map memory $mem bytes (a spare array of $spare buckets); maker's memory.current $base -> $cur"
assert_eq "100000 entries" 100000 "$(field $S count)"
assert_true "the worker allocated the next grow's array" test "$spare" -gt 0
# Without the charge to the creator, maker would hold next to nothing;
# without the worker's, it would lack the spare array, 2/3 of it all.
assert_true "maker is charged the map's memory, the worker's included" \
	test $((cur - base)) -ge $((mem * 9 / 10))
assert_true "within the limit" test "$cur" -le $((256 << 20))

# 2. Destroy uncharges; the arrays go after a grace period, from a work item.
hmapctl destroy mc || fail "destroy mc"
i=0
while [ $i -lt 10 ] && [ $(($(cat $M/memory.current) - base)) -ge $((mem / 10)) ]; do
	sleep 1
	i=$((i + 1))
done
cur=$(cat $M/memory.current)
note "after destroy: maker's memory.current $cur"
assert_true "destroy uncharges maker" test $((cur - base)) -lt $((mem / 10))

# 3. The caches: replaced out-of-line values wait there for reuse, charged
# to the map's cgroup. Reclaim in that cgroup frees them (a memcg-aware
# shrinker), and leaves the root cgroup's map alone.
fill_twice() {	# NAME: 2000 values of 200 bytes (out of line), replaced once
	hmap-fill insert "$1" 8 200 0 2000 > /dev/null &&
		hmap-fill insert "$1" 8 200 0 2000 > /dev/null || die "fill $1"
}
create_in_maker mv 200
hmapctl create rv key_size 8 value_size 200 > /dev/null || die "create rv"
fill_twice mv
fill_twice rv
cached_mv=$(field $DBG/mv/stats cache_objects)
cached_rv=$(field $DBG/rv/stats cache_objects)
assert_true "maker's map caches values ($cached_mv)" test "$cached_mv" -gt 0
assert_true "the root cgroup's map caches values ($cached_rv)" test "$cached_rv" -gt 0
# More than there is: reclaim goes down to its last priority, where
# shrinkers scan all they count; the write then fails with EAGAIN.
echo 64M > $M/memory.reclaim 2> /dev/null
note "memory.reclaim in maker: caches of mv $cached_mv -> $(field $DBG/mv/stats cache_objects), of rv $cached_rv -> $(field $DBG/rv/stats cache_objects)"
assert_eq "reclaim in maker empties the caches of maker's map" 0 \
	"$(field $DBG/mv/stats cache_objects)"
assert_eq "and leaves the root cgroup's map alone" "$cached_rv" \
	"$(field $DBG/rv/stats cache_objects)"
hmapctl destroy mv || fail "destroy mv"
hmapctl destroy rv || fail "destroy rv"
rmdir $M || fail "rmdir $M"
splat_check
checks_done
