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
#
# Prints KTAP: a case per check of 1 and 3, the session's checks as the
# subtest "session"; exit status 1 if one failed.
set -u
tool=$1 mock=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/hmapctl-cli.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0 failn=0 res=$tmp/results
: > "$res"

# ok NAME, notok NAME DIAGNOSTIC: a result, kept for the end (the plan first).
ok() { n=$((n + 1)); echo "ok $n $1" >> "$res"; }
notok() {
	n=$((n + 1)) failn=$((failn + 1))
	printf '# %s\nnot ok %d %s\n' "$2" "$n" "$1" >> "$res"
}

# st STATUS ARGS...: HMAPCTL with a missing device exits with STATUS.
st() {
	want=$1; shift
	HMAPCTL_DEVICE=/nonexistent "$tool" "$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ $rc = "$want" ]; then ok "hmapctl $* exits $want"
	else notok "hmapctl $* exits $want" "got $rc: $(head -n 1 "$tmp/err")"; fi
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
st 1 create m key_size 4 value_size 4 shard_bits 9
st 1 create m key_size 4 value_size 4 shard_bits 0x100
st 1 create m key_size 4 value_size 4 shard_bits -1
st 1 create m key_size 4 value_size 4 shard_bits
st 1 create m key_size 4 value_size 4 shard_bits 1 shard_bits 1
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
st 1 stats m x
st 1 stats m sample
st 1 stats m sample 0
st 1 stats m sample 86401
st 1 stats m sample 1 x
st 1 stats m shard
st 1 stats m shard x
st 1 stats m shard -1
st 1 stats m shard 4294967296
st 1 stats m shard 1 shard 1
st 1 stats m shard 1 sample 0
st 1 stats m sample 1 sample 1
st 1 stats m s 1
st 1 stats m shard 1 x
st 1 snapshot
st 1 snapshot m x
st 1 snapshot m shard
st 1 snapshot m shard x
st 1 snapshot m shard 1 shard 1
st 1 snapshot m sample 1
st 1 help x
# Good arguments reach the device: 7.
st 7 create m key_size 4 value_size 4
st 7 cr m k 4 v 4 m 10 f 0
st 7 create m key_size 0x200 value_size 65536 max_entries 0
st 7 create m key_size 4 value_size 4 shard_bits 8
st 7 create m key_size 4 value_size 4 shard_bits 0
st 7 cr m k 4 v 4 sh 2
st 7 list
st 7 put m k v
st 7 get m k
st 7 del m k
st 7 dump m
st 7 dump m batch 65536
st 7 clear m
st 7 destroy m
st 7 stats m
st 7 stats m sample 1
st 7 stats m shard 0
st 7 stats m shard 4294967295
st 7 stats m shard 3 sample 1
st 7 stats m sample 1 shard 3
st 7 st m sh 1 sa 1
st 7 snapshot m
st 7 snapshot m shard 0
st 7 sn m sh 255
st 7 -j list
st 0 -h
st 0 help
st 0 -j -h
HMAPCTL_DEVICE=/nonexistent "$tool" list 2> "$tmp/err"
m="device message"
grep -qx "hmapctl: list: cannot open /nonexistent: No such file or directory (is the hmap module loaded?)" "$tmp/err" && ok "$m" || notok "$m" "$(cat "$tmp/err")"
HMAPCTL_DEVICE=/nonexistent "$tool" -j list > "$tmp/out" 2>/dev/null
m="device message, -j"
grep -qx '{"error":"cannot open /nonexistent: No such file or directory (is the hmap module loaded?)"}' "$tmp/out" && ok "$m" || notok "$m" "$(cat "$tmp/out")"
"$tool" frob 2> "$tmp/err"
m="usage error points to -h"
grep -qx "Try 'hmapctl -h' for help." "$tmp/err" && ok "$m" || notok "$m" "$(cat "$tmp/err")"

# The session against the mock device: its checks are a subtest.
mkdir "$tmp/json"
HMAPCTL=$mock MODE=mock JSON_DIR=$tmp/json HMAPCTL_MOCK_STATE=$tmp/state \
	sh "$here/session.sh" > "$tmp/session.log" 2>&1
srv=$?
m=$(grep -c -E '^(not )?ok ' "$tmp/session.log")
{
	printf '    KTAP version 1\n    # Subtest: session\n    1..%d\n' "$m"
	# Its results and diagnostics as they are, anything else as diagnostics.
	sed -E '/^((not )?ok |# )/!s/^/# /; s/^/    /' "$tmp/session.log"
} >> "$res"
if [ $srv = 0 ]; then ok session; else notok session "session.sh exited $srv"; fi

# Every JSON document parses.
if command -v python3 > /dev/null; then
	for f in "$tmp"/json/*.json; do
		m="JSON document $(basename "$f" .json) parses"
		if python3 -m json.tool "$f" > /dev/null 2> "$tmp/jerr"; then
			ok "$m"
		else
			notok "$m" "$(cat "$tmp/jerr"): $(head -c 300 "$f")"
		fi
	done
else
	n=$((n + 1)); echo "ok $n JSON documents parse # SKIP no python3" >> "$res"
fi
printf 'KTAP version 1\n1..%d\n' "$n"
cat "$res"
[ $failn = 0 ]
