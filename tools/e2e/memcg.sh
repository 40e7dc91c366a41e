#!/bin/sh
# Memory accounting: a map's memory is charged to the memory cgroup of the
# task that created it, whichever task writes to it, and so is what the
# map's worker allocates (the array of the next grow, the cache stock).
# Destroying the map uncharges it all. cgroup2 with the memory controller
# is in the stock kernel; the debug kernels have no CGROUPS, and there
# only the map's own checks run.
. ./lib.sh
need hmapctl
need hmap-fill
CG=/sys/fs/cgroup
M=$CG/maker
S=$DBG/mc/stats
memcg=0
if grep -qw cgroup2 /proc/filesystems; then
	memcg=1
	grep -q " $CG cgroup2 " /proc/mounts || mount -t cgroup2 none $CG ||
		die "mount cgroup2"
	assert_true "the memory controller is there" grep -qw memory $CG/cgroup.controllers
	echo +memory > $CG/cgroup.subtree_control || die "enable the memory controller"
	mkdir $M || die "mkdir $M"
	# A limit the map stays well under: charges count against it.
	echo 256M > $M/memory.max || die "set memory.max"
	# The tools' pages are charged to the cgroup that first reads them.
	hmapctl list > /dev/null
	hmap-fill > /dev/null 2>&1
	base=$(cat $M/memory.current)
	# Created from inside "maker" (the shell's pid is hmapctl's: exec).
	sh -c "echo \$\$ > $M/cgroup.procs && exec hmapctl create mc key_size 8 value_size 8" \
		> /dev/null || die "create mc in $M"
	assert_eq "the creator has left maker" "" "$(cat $M/cgroup.procs)"
else
	note "no cgroup2 in this kernel: the map's checks only"
	hmapctl create mc key_size 8 value_size 8 > /dev/null || die "create mc"
fi

# Written from the root cgroup, by another process.
hmap-fill insert mc 8 8 0 100000 || die "insert 100000 keys: exit $?"
sleep 1	# the worker's spare array and cache stock
mem=$(field $S memory)
spare=$(field $S spare_buckets)
assert_eq "100000 entries" 100000 "$(field $S count)"
assert_true "the worker allocated the next grow's array" test "$spare" -gt 0
if [ $memcg = 1 ]; then
	cur=$(cat $M/memory.current)
	note "map memory $mem bytes (a spare array of $spare buckets); maker's memory.current $base -> $cur"
	# Without the charge to the creator, maker would hold next to nothing;
	# without the worker's, it would lack the spare array, 2/3 of it all.
	assert_true "maker is charged the map's memory, the worker's included" \
		test $((cur - base)) -ge $((mem * 9 / 10))
	assert_true "within the limit" test "$cur" -le $((256 << 20))
fi

hmapctl destroy mc || fail "destroy mc"
if [ $memcg = 1 ]; then
	# The arrays go after a grace period, from a work item.
	i=0
	while [ $i -lt 10 ] && [ $(($(cat $M/memory.current) - base)) -ge $((mem / 10)) ]; do
		sleep 1
		i=$((i + 1))
	done
	cur=$(cat $M/memory.current)
	note "after destroy: maker's memory.current $cur"
	assert_true "destroy uncharges maker" test $((cur - base)) -lt $((mem / 10))
	rmdir $M || fail "rmdir $M (still charged?)"
fi
splat_check
checks_done
