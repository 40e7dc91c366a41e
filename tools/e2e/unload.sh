#!/bin/sh
# Unloading hmap with maps present: an open /dev/hmap pins the module;
# rmmod frees every map (of every shape: large, out-of-line entries, a set,
# empty, 64 KiB values, and one whose grow has just begun, its background
# evacuation pending) and removes debugfs and the device, with no splat
# and, where the kernel has kmemleak (the debug kernel), no leak. Then the
# module loads and works again.
#   tools/vm/run [--debug] tools/e2e/unload.sh
# e2e-kmemleak: scan (the leak check after rmmod)
. ./lib.sh

need hmap-fill
need hmapctl
KO=/lib/hmap/hmap.ko

grep -q '^hmap ' /proc/modules || die "hmap is not loaded"
if kmemleak_on; then
	# Forget what was there before the test (boot-time objects).
	echo scan > $kml; echo clear > $kml
	note "kmemleak: present, cleared"
else
	note "kmemleak: not in this kernel; the leak check is skipped"
fi

note "1. maps of every shape"
fill() { hmap-fill fill "$@" || fail "fill $*: exit $?"; }
fill e2e_big 8 8 5000
fill e2e_ool 200 300 1000
fill e2e_set 4 0 100
fill e2e_empty 16 16 0
fill e2e_huge 512 65536 10
assert_eq "5 maps listed" 5 "$(wc -l < "$DBG/maps")"
assert_eq "e2e_big count" 5000 "$(field "$DBG/e2e_big/stats" count)"
assert_eq "e2e_huge count" 10 "$(field "$DBG/e2e_huge/stats" count)"
hmapctl list > /dev/null || fail "hmapctl list: exit $?"

note "2. an open /dev/hmap keeps the module"
exec 3<> /dev/hmap
if rmmod hmap 2> /tmp/rmmod.err; then
	fail "rmmod with /dev/hmap open succeeded"
	insmod "$KO"
else
	pass "rmmod with /dev/hmap open fails ($(head -n 1 /tmp/rmmod.err))"
fi
assert_eq "the maps are still there" 5 "$(wc -l < "$DBG/maps")"
exec 3>&-

note "2b. a debugfs file open (half read) at rmmod: pins the module or reads fail after"
exec 4< "$DBG/e2e_big/dump"
read -r first <&4
[ -n "$first" ] && pass "read a first line of e2e_big/dump" || fail "cannot read e2e_big/dump"
if rmmod hmap 2> /tmp/rmmod.err; then
	note "rmmod succeeded with the dump file open"
	if cat <&4 > /dev/null 2>&1; then
		note "reading on after rmmod: end of file"
	else
		note "reading on after rmmod: an error"
	fi
	pass "rmmod with a debugfs file open, then reading it: no crash"
	exec 4<&-
	insmod "$KO" || die "insmod after rmmod failed"
	fill e2e_big 8 8 5000
	fill e2e_ool 200 300 1000
	fill e2e_set 4 0 100
	fill e2e_empty 16 16 0
	fill e2e_huge 512 65536 10
else
	pass "rmmod with a debugfs file open fails ($(head -n 1 /tmp/rmmod.err))"
	exec 4<&-
fi

note "3. rmmod with 6 maps present, one of them just starting a grow"
# The 833rd insert starts a grow to 256 buckets and queues the worker that
# finishes it after 50 ms without writes: rmmod right away, so that the
# map is likely destroyed with its grow under way (best effort: the state
# cannot be read without giving the worker time).
fill e2e_grow 8 8 833
assert_true "rmmod hmap" rmmod hmap
assert_true "hmap gone from /proc/modules" sh -c '! grep -q "^hmap " /proc/modules'
assert_true "$DBG removed" test ! -e "$DBG"
assert_true "/dev/hmap removed" test ! -e /dev/hmap
assert_true "dmesg: hmap: unloaded" sh -c 'dmesg | grep -q "hmap: unloaded"'

note "4. it loads and works again"
assert_true "insmod hmap.ko" insmod "$KO"
assert_true "/dev/hmap is back" test -c /dev/hmap
assert_eq "no map after reload" "" "$(cat "$DBG/maps")"
fill e2e_again 8 8 100
assert_eq "a new map works" 100 "$(field "$DBG/e2e_again/stats" count)"
assert_true "rmmod again" rmmod hmap
assert_true "$DBG removed again" test ! -e "$DBG"
# One scan for both unloads (a scan takes 10-15 s under TCG): what either
# left unfreed is unreferenced now.
if kmemleak_on; then
	kmemleak_scan > /tmp/kmemleak.txt
	if [ -s /tmp/kmemleak.txt ]; then
		fail "kmemleak: $(grep -c '^unreferenced object' /tmp/kmemleak.txt) leaked object(s) after the two rmmods"
		head -n 60 /tmp/kmemleak.txt | sed 's/^/#   /'
	else
		pass "kmemleak: no leak after the two rmmods"
	fi
fi
insmod "$KO"		# leave it loaded, as the VM found it
splat_check
checks_done
