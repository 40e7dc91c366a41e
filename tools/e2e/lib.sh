# shellcheck shell=sh
# Helpers for the end-to-end scripts (sourced: `. ./lib.sh`). Busybox sh.
#
# Each script runs in the test VM as root (tools/vm/run), which puts this
# file beside it. The check helpers (pass, fail, assert_*, need,
# splat_check, checks_done...) are those of every VM script:
# tools/vm/guest.sh, at /hmap/guest.sh in the VM. A script prints one line
# per check ("ok - WHAT" or "not ok - WHAT" with details on "#" lines) and
# ends with checks_done: "NAME: P passed, F failed", non-zero if a check
# failed.
# shellcheck source=../vm/guest.sh
. /hmap/guest.sh

DBG=/sys/kernel/debug/hmap

# field FILE NAME: the value of "NAME: value" in FILE (debugfs stats).
field() { sed -n "s/^$2: //p" "$1"; }
