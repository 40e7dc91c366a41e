#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# hmapctl's command-line tests that need no kernel (run by `make test`):
#
#   tests/cli.sh HMAPCTL HMAPCTL_MOCK
#
# 1. HMAPCTL with no device: bad arguments fail with status 1 before the
#    device is opened, good ones with status 7 (device unavailable).
# 2. tests/session.sh against HMAPCTL_MOCK (tests/mock.c as the device).
# 3. Every JSON document the session printed parses (python3 -m json.tool).
set -u
tool=$1 mock=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/hmapctl-cli.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0

ok() { pass=$((pass + 1)); }
notok() { failn=$((failn + 1)); echo "not ok - $*"; }

# st STATUS ARGS...: HMAPCTL with a missing device exits with STATUS.
st() {
	want=$1; shift
	HMAPCTL_DEVICE=/nonexistent "$tool" "$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ $rc = "$want" ]; then ok; else notok "hmapctl $* -> $want, got $rc: $(cat "$tmp/err")"; fi
}

# Usage errors are found before the device is opened.
st 1
st 1 frob
st 1 c
st 1 -q list
st 1 --frob list
st 1 create
st 1 create m
st 1 create m key_size 4
st 1 create m key_size 4 value_size
st 1 create m key_size 0 value_size 4
st 1 create m key_size 4 value_size 4 max_entries -1
st 1 create m key_size 4 value_size 4 max_entries 4294967296
st 1 create m key_size 4 value_size 4 flags
st 1 create m key_size 4 value_size 4 bogus 1
st 1 create .m key_size 4 value_size 4
st 1 create maps key_size 4 value_size 4
st 1 list x
st 1 put
st 1 put m
st 1 put .m k v
st 1 get m
st 1 del m
st 1 get 'a/b' k
st 1 dump
st 1 dump m batch
st 1 dump m batch 0
st 1 dump m batch 65537
st 1 dump m batch 1 x
st 1 clear
st 1 clear m x
st 1 destroy
st 1 stats
st 1 snapshot
st 1 snapshot m x
st 1 help x
# Good arguments reach the device: 7.
st 7 create m key_size 4 value_size 4
st 7 cr m k 4 v 4 m 10 f 0
st 7 create m key_size 0x200 value_size 65536 max_entries 0
st 7 list
st 7 put m k v
st 7 get m k
st 7 del m k
st 7 dump m
st 7 dump m batch 65536
st 7 clear m
st 7 destroy m
st 7 stats m
st 7 snapshot m
st 7 -j list
st 0 -h
st 0 help
st 0 -j -h
HMAPCTL_DEVICE=/nonexistent "$tool" list 2> "$tmp/err"
grep -qx "hmapctl: list: cannot open /nonexistent: No such file or directory (is the hmap module loaded?)" "$tmp/err" && ok || notok "device message: $(cat "$tmp/err")"
HMAPCTL_DEVICE=/nonexistent "$tool" -j list > "$tmp/out" 2>/dev/null
grep -qx '{"error":"cannot open /nonexistent: No such file or directory (is the hmap module loaded?)"}' "$tmp/out" && ok || notok "device message -j: $(cat "$tmp/out")"
"$tool" frob 2> "$tmp/err"
grep -qx "Try 'hmapctl -h' for help." "$tmp/err" && ok || notok "usage error points to -h"
echo "cli: $pass passed, $failn failed"

# The session against the mock device.
mkdir "$tmp/json"
HMAPCTL=$mock MODE=mock JSON_DIR=$tmp/json HMAPCTL_MOCK_STATE=$tmp/state \
	sh "$here/session.sh" > "$tmp/session.log" 2>&1
srv=$?
grep -v '^ok ' "$tmp/session.log"
[ $srv = 0 ] || failn=$((failn + 1))

# Every JSON document parses.
jn=0
if command -v python3 > /dev/null; then
	for f in "$tmp"/json/*.json; do
		if python3 -m json.tool "$f" > /dev/null 2> "$tmp/jerr"; then
			jn=$((jn + 1))
		else
			notok "invalid JSON $(basename "$f"): $(cat "$tmp/jerr"): $(head -c 300 "$f")"
		fi
	done
	echo "json: $jn documents valid"
fi
[ $failn = 0 ]
