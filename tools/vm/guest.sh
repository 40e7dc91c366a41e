# shellcheck shell=sh
# Helpers for every script that runs in the test VM (busybox sh, as root):
# tools/vm/kunit.sh, torture.sh, smoke.sh and, through tools/e2e/lib.sh,
# the end-to-end tests. tools/vm/mkinitramfs puts this file at
# /hmap/guest.sh in every VM, so a script sources it by that path:
#   . /hmap/guest.sh
#
# A check prints one line, "ok - WHAT" or "not ok - WHAT", with details on
# "# " lines after it. tools/check counts these lines as its checks in the
# kunit, torture and stock VMs (an e2e script is one check: its exit
# status). A script ends with checks_done.

guest_name=$(basename "$0" .sh)
guest_pass=0
guest_fail=0

# On the KCSAN kernel: leave out reports from osq_wait_next(), the mutex's
# optimistic-spin queue, whose plain read of node->next races with the
# next waiter's WRITE_ONCE() in Debian's 6.12 source (kernel/locking/
# osq_lock.c; not hmap code). Two tasks contending for a mutex reach it
# (the writers' lock was a mutex until it became a raw spinlock; the
# device's and the tests' are still mutexes). Only that function is
# filtered; every other report still fails the run.
if [ -w /sys/kernel/debug/kcsan ]; then
	echo '!osq_wait_next' > /sys/kernel/debug/kcsan
fi

pass() { guest_pass=$((guest_pass + 1)); echo "ok - $*"; }
fail() { guest_fail=$((guest_fail + 1)); echo "not ok - $*"; }
note() { echo "# $*"; }
die() { echo "# FATAL: $*"; fail "$guest_name: $*"; checks_done; }

# checks_done: print "NAME: P passed, F failed" and exit, non-zero if a
# check failed or none passed.
checks_done() {
	echo "$guest_name: $guest_pass passed, $guest_fail failed"
	[ "$guest_fail" = 0 ] && [ "$guest_pass" -gt 0 ]
	exit $?
}

# assert_true WHAT COMMAND...: COMMAND must succeed; returns its status.
assert_true() {
	_what=$1; shift
	if "$@"; then
		pass "$_what"
	else
		_st=$?
		fail "$_what"
		note "  command failed (exit $_st): $*"
		return "$_st"
	fi
}

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1 ($3)"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# assert_status WHAT STATUS COMMAND...: COMMAND must exit with STATUS.
assert_status() {
	_what=$1 _want=$2; shift 2
	"$@" > /tmp/guest.out 2> /tmp/guest.err
	_st=$?
	if [ "$_st" = "$_want" ]; then
		pass "$_what (exit $_st)"
	else
		fail "$_what: exit $_st, expected $_want"
		sed 's/^/#   out: /' /tmp/guest.out | head -n 5
		sed 's/^/#   err: /' /tmp/guest.err | head -n 5
	fi
}

# need PROGRAM: the script cannot run without it.
need() {
	command -v "$1" > /dev/null 2>&1 ||
		die "$1 not found in the VM (tools/vm/run puts the static programs of tools/hmapctl and tools/e2e there unless --no-tools)"
}

# splat_check: the kernel log has no warning, oops or sanitizer report.
# (tools/vm/run also searches the whole console on the host: tools/vm/splat.)
splat_check() {
	if dmesg | grep -E 'BUG:|WARNING:|Oops|KASAN|UBSAN|general protection|Call Trace:|unreferenced object' > /tmp/guest.splat; then
		fail "no kernel splat in dmesg"
		head -n 20 /tmp/guest.splat | sed 's/^/#   /'
	else
		pass "no kernel splat in dmesg"
	fi
}

# kmemleak (debug kernels only, unless booted with kmemleak=off: both
# helpers are no-ops then).
kml=/sys/kernel/debug/kmemleak
# kmemleak_on: this kernel tracks allocations. (Its debugfs file is there
# even when kmemleak=off, and refuses writes.)
kmemleak_on() {
	[ -w $kml ] && ! grep -qw 'kmemleak=off' /proc/cmdline
}
# kmemleak_clear: forget what was allocated so far: only new leaks count.
kmemleak_clear() {
	! kmemleak_on || echo clear > $kml
}
# kmemleak_scan: print the leaks found since kmemleak_clear ("unreferenced
# object ...": a splat, which fails the VM run on the host).
kmemleak_scan() {
	kmemleak_on || return 0
	# kmemleak reports only objects older than 5 s: let the last test's age.
	sleep 5
	# Two scans: the first only notes each new object's checksum (an object
	# that changed since the previous scan is never reported).
	echo scan > $kml
	echo scan > $kml
	cat $kml
}
