# Helpers for the end-to-end scripts (sourced: `. ./lib.sh`). Busybox sh.
#
# Each script runs in the test VM as root (tools/vm/run), prints one line per
# check ("ok - WHAT" or "not ok - WHAT" with details on "#" lines), and ends
# with e2e_done, which prints "NAME: P passed, F failed" and exits non-zero
# if a check failed.

e2e_name=$(basename "$0" .sh)
e2e_pass=0
e2e_fail=0
DBG=/sys/kernel/debug/hmap

pass() { e2e_pass=$((e2e_pass + 1)); echo "ok - $*"; }
fail() { e2e_fail=$((e2e_fail + 1)); echo "not ok - $*"; }
note() { echo "# $*"; }
die() { echo "# FATAL: $*"; fail "$e2e_name: $*"; e2e_done; }

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1 ($3)"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# assert_true WHAT COMMAND...: COMMAND must succeed.
assert_true() {
	what=$1; shift
	if "$@"; then pass "$what"; else fail "$what (command failed: $*)"; fi
}

# assert_status WHAT STATUS COMMAND...: COMMAND must exit with STATUS.
assert_status() {
	what=$1 want=$2; shift 2
	"$@" > /tmp/e2e.out 2> /tmp/e2e.err
	st=$?
	if [ "$st" = "$want" ]; then
		pass "$what (exit $st)"
	else
		fail "$what: exit $st, expected $want"
		sed 's/^/#   out: /' /tmp/e2e.out | head -n 5
		sed 's/^/#   err: /' /tmp/e2e.err | head -n 5
	fi
}

# need PROGRAM: the test cannot run without it.
need() {
	command -v "$1" > /dev/null 2>&1 ||
		die "$1 not found in the VM (build it: make -C tools/e2e, or tools/hmapctl)"
}

# field FILE NAME: the value of "NAME: value" in FILE (debugfs stats).
field() { sed -n "s/^$2: //p" "$1"; }

# splat_check: the kernel log has no warning, oops or sanitizer report.
splat_check() {
	if dmesg | grep -E 'BUG:|WARNING:|Oops|KASAN|UBSAN|general protection|Call Trace:|unreferenced object' > /tmp/e2e.splat; then
		fail "no kernel splat in dmesg"
		head -n 20 /tmp/e2e.splat | sed 's/^/#   /'
	else
		pass "no kernel splat in dmesg"
	fi
}

e2e_done() {
	echo "$e2e_name: $e2e_pass passed, $e2e_fail failed"
	[ "$e2e_fail" = 0 ] && [ "$e2e_pass" -gt 0 ]
	exit $?
}
