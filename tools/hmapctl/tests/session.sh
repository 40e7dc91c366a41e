#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# An hmapctl session: every command, every error path, checked by output
# and exit status. POSIX sh (runs under busybox in the VM).
#
#   HMAPCTL=PATH  the tool (default: hmapctl on PATH)
#   MODE=kernel   the real /dev/hmap, as root (in the VM): also tests
#                 permissions with the user "user" and the device's mode
#   MODE=mock     hmapctl-mock (tests/mock.c): HMAPCTL_MOCK_NOPRIV stands
#                 in for a user without CAP_SYS_ADMIN
#   JSON_DIR=DIR  write each JSON document to DIR/NAME.json; without it they
#                 are printed between "JSON-BEGIN NAME" and "JSON-END" lines
#                 for the host to check (the VM has no python)
#
# Prints "ok N - ..." / "not ok N - ..." and a last line
# "session: N passed, N failed"; exit status 1 if any failed.

HMAPCTL=${HMAPCTL:-hmapctl}
MODE=${MODE:-kernel}
tmp=$(mktemp -d /tmp/hmapctl-session.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0 n=0

ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $1"; }
notok() {
	n=$((n + 1)); failn=$((failn + 1)); echo "not ok $n - $1"
	shift
	for l in "$@"; do echo "#   $l"; done
	echo "#   stdout: $(head -c 600 "$tmp/out")"
	echo "#   stderr: $(head -c 600 "$tmp/err")"
}

# run ARGS...: run the tool; stdout in $tmp/out, stderr in $tmp/err, status $rc.
run() {
	"$HMAPCTL" "$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
}

# t STATUS ARGS...: run and expect exit status STATUS.
t() {
	want=$1; shift
	run "$@"
	if [ "$rc" = "$want" ]; then ok "hmapctl $* -> $want"
	else notok "hmapctl $* -> $want" "got status $rc"; fi
}

# te STATUS STDERR ARGS...: also expect stderr's first line to be STDERR.
te() {
	want=$1 msg=$2; shift 2
	run "$@"
	got=$(head -n 1 "$tmp/err")
	if [ "$rc" = "$want" ] && [ "$got" = "$msg" ]; then ok "hmapctl $* -> $want '$msg'"
	else notok "hmapctl $* -> $want '$msg'" "got status $rc, stderr '$got'"; fi
}

# to STDOUT ARGS...: expect status 0 and stdout to be exactly STDOUT.
to() {
	want=$1; shift
	run "$@"
	got=$(cat "$tmp/out")
	if [ "$rc" = 0 ] && [ "$got" = "$want" ]; then ok "hmapctl $* = '$want'"
	else notok "hmapctl $* = '$want'" "got status $rc, stdout '$got'"; fi
}

# check DESC CMD...: a shell test.
check() {
	desc=$1; shift
	if "$@"; then ok "$desc"; else notok "$desc"; fi
}

# json NAME ARGS...: run with the tool's JSON options in ARGS, keep the
# output for validation.
json() {
	name=$1; shift
	run "$@"
	if [ -n "$JSON_DIR" ]; then
		cp "$tmp/out" "$JSON_DIR/$name.json"
	else
		echo "JSON-BEGIN $name"
		cat "$tmp/out"
		echo "JSON-END"
	fi
}

echo "# hmapctl session, MODE=$MODE, tool $HMAPCTL"

# ---- clean slate: maps from an earlier run go ----
for m in m s small big hx gone abbr perm huge wide sh4 sh8 shfull shbad old growsh; do "$HMAPCTL" destroy $m >/dev/null 2>&1; done

# ---- usage errors: exit 1, nothing changes ----
te 1 "hmapctl: missing COMMAND"
te 1 "hmapctl: unknown command 'frob'" frob
te 1 "hmapctl: ambiguous command 'd' (del, dump, destroy)" d
te 1 "hmapctl: unknown option '-x'" -x list
te 1 "hmapctl: create: missing NAME" create
te 1 "hmapctl: create: missing key_size" create m value_size 4
te 1 "hmapctl: create: missing value_size" create m key_size 4
te 1 "hmapctl: create: key_size: bad number 'x'" create m key_size x value_size 4
te 1 "hmapctl: create: key_size given twice" create m key_size 4 key_size 4 value_size 4
te 1 "hmapctl: create: key_size 0 out of range (1..512)" create m key_size 0 value_size 4
te 1 "hmapctl: create: key_size 513 out of range (1..512)" create m key_size 513 value_size 4
te 1 "hmapctl: create: value_size 65537 out of range (0..65536)" create m key_size 4 value_size 65537
te 1 "hmapctl: create: unknown keyword 'colour' (expected key_size, value_size, max_entries, flags, shard_bits or evac_delay_ms)" create m key_size 4 value_size 4 colour 3
te 1 "hmapctl: create: max_entries needs a number" create m key_size 4 value_size 4 max_entries
te 1 "hmapctl: create: map name starts with '.'" create .m key_size 4 value_size 4
te 1 "hmapctl: create: 'maps' is reserved" create maps key_size 4 value_size 4
te 1 "hmapctl: create: map name too long (at most 31 characters)" create 12345678901234567890123456789012 key_size 4 value_size 4
te 1 "hmapctl: create: map name has characters outside [A-Za-z0-9_.-]" create "a b" key_size 4 value_size 4
te 1 "hmapctl: put: missing KEY" put m
te 1 "hmapctl: get: missing NAME" get
te 1 "hmapctl: dump: batch: bad number '0' (1..65536)" dump m batch 0
te 1 "hmapctl: dump: unexpected argument 'x' (expected batch N)" dump m x
te 1 "hmapctl: list: unexpected argument 'x'" list x
te 1 "hmapctl: stats: unexpected argument 'x' (expected shard I or sample SECONDS)" stats m x
te 1 "hmapctl: stats: sample needs a number of seconds" stats m sample
te 1 "hmapctl: stats: sample: bad number of seconds '0' (1..86400)" stats m sample 0
te 1 "hmapctl: stats: sample: bad number of seconds '86401' (1..86400)" stats m sample 86401
te 1 "hmapctl: stats: unexpected argument 'x' (expected shard I or sample SECONDS)" stats m sample 1 x
te 1 "hmapctl: create: shard_bits 9 out of range (0..8)" create m key_size 4 value_size 4 shard_bits 9
te 1 "hmapctl: create: shard_bits: bad number '-1'" create m key_size 4 value_size 4 shard_bits -1
te 1 "hmapctl: create: shard_bits given twice" create m key_size 4 value_size 4 shard_bits 1 sh 1
te 1 "hmapctl: create: evac_delay_ms 60001 out of range (0..60000)" create m key_size 4 value_size 4 evac_delay_ms 60001
te 1 "hmapctl: create: evac_delay_ms: bad number 'x'" create m key_size 4 value_size 4 evac_delay_ms x
te 1 "hmapctl: stats: shard needs a number" stats m shard
te 1 "hmapctl: stats: shard: bad number 'x'" stats m shard x
te 1 "hmapctl: stats: shard: bad number '4294967296'" stats m shard 4294967296
te 1 "hmapctl: stats: shard given twice" stats m shard 1 shard 2
te 1 "hmapctl: stats: sample given twice" stats m sample 1 shard 0 sample 1
te 1 "hmapctl: stats: ambiguous keyword 's' (shard, sample)" stats m s 1
te 1 "hmapctl: stats: sample: bad number of seconds '0' (1..86400)" stats m shard 0 sample 0
te 1 "hmapctl: snapshot: unexpected argument 'x' (expected shard I)" snapshot m x
te 1 "hmapctl: snapshot: unexpected argument 'sample' (expected shard I)" snapshot m sample 1
te 1 "hmapctl: snapshot: shard needs a number" snapshot m shard
te 1 "hmapctl: snapshot: unexpected argument 'x' (expected shard I)" snapshot m shard 1 x
te 1 "hmapctl: help: unexpected argument 'x'" help x
run list
check "usage errors created no map" sh -c "! grep -q '^m ' '$tmp/out'"

# ---- help ----
t 0 -h
check "-h names the exit statuses" grep -q "7  device unavailable" "$tmp/out"
t 0 help
check "help shows the grammar" grep -q "create NAME key_size N value_size N" "$tmp/out"
check "help shows shard_bits" grep -q "\[shard_bits S\]" "$tmp/out"
check "help shows stats' shard" grep -q "stats NAME \[shard I\] \[sample SECONDS\]" "$tmp/out"
check "help shows snapshot's shard" grep -q "snapshot NAME \[shard I\]" "$tmp/out"

# ---- create, list ----
t 0 create m key_size 8 value_size 16 max_entries 100
te 4 "hmapctl: create: map 'm' already exists" create m key_size 8 value_size 16
t 0 cr abbr k 4 v 4
run list
check "list shows m" grep -q "^m  *8  *16  *100 " "$tmp/out"
check "list shows abbr" grep -q "^abbr  *4  *4 " "$tmp/out"
t 0 des abbr
t 0 create slowev key_size 4 value_size 4 evac_delay_ms 2000
run stats slowev
check "stats slowev: evac_delay_ms: 2000, as created" grep -qx "evac_delay_ms: 2000" "$tmp/out"
check "stats slowev: evac_delay_ms after shard_bits" sh -c "grep -A1 '^shard_bits: ' '$tmp/out' | grep -qx 'evac_delay_ms: 2000'"
t 0 destroy slowev

# ---- put / get / del with strings ----
t 0 put m foo bar
to bar get m foo
te 4 "hmapctl: put: key already exists in map 'm'" put m foo baz noexist
to bar get m foo
te 3 "hmapctl: put: no such key in map 'm'" put m nokey v exist
t 0 put m foo qux exist
to qux get m foo
t 0 p m foo quux a
to quux g m foo
t 0 put m -1 "-minus"
to -minus get m -1
t 0 put m "a b" "sixteen bytes!!!"
to "sixteen bytes!!!" get m "a b"
te 3 "hmapctl: get: no such key in map 'm'" get m nokey
te 2 "hmapctl: get: no such map 'nomap'" get nomap foo
te 2 "hmapctl: put: no such map 'nomap'" put nomap foo bar
te 2 "hmapctl: del: no such map 'nomap'" del nomap foo
t 0 del m foo
te 3 "hmapctl: del: no such key in map 'm'" del m foo
te 3 "hmapctl: get: no such key in map 'm'" get m foo

# ---- keys and values: hex, 0x, str; sizes ----
t 0 put m hex 01 02 hex de ad be ef
to "de ad be ef 00 00 00 00 00 00 00 00 00 00 00 00" get m hex 01 02
to "de ad be ef 00 00 00 00 00 00 00 00 00 00 00 00" get m 0x0102
to "de ad be ef 00 00 00 00 00 00 00 00 00 00 00 00" get m hex 1 2 0 0
to "de ad be ef 00 00 00 00 00 00 00 00 00 00 00 00" get m 0x0102000000000000
t 0 put m 0x0102 0x41424344
to ABCD get m hex 01 02
t 0 put m hex 1 2 3 4 5 6 7 8 hex 9
to "09 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" get m 0x0102030405060708
t 0 put m str hex str 0x12
to 0x12 get m str hex
t 0 put m zero 0x
to "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" get m zero
t 0 put m ctl 0x410a42
to "41 0a 42 00 00 00 00 00 00 00 00 00 00 00 00 00" get m ctl
t 0 put m full8byt 0123456789abcdef
to 0123456789abcdef get m full8byt
te 1 "hmapctl: put: key '123456789' is 9 bytes, longer than the map's key size (8)" put m 123456789 v
te 1 "hmapctl: put: value '0123456789abcdefg' is 17 bytes, longer than the map's value size (16)" put m k 0123456789abcdefg
te 1 "hmapctl: put: key '0x012': odd number of hex digits" put m 0x012 v
te 1 "hmapctl: put: key: 'hex' needs byte words of 1-2 hex digits" put m hex zz v
te 1 "hmapctl: put: missing value" put m k
te 1 "hmapctl: put: unknown update flag 'sometimes' (any, noexist or exist)" put m k v sometimes
te 1 "hmapctl: put: unexpected argument 'extra' (the map's key_size is 8, value_size 16)" put m k v any extra
te 1 "hmapctl: get: unexpected argument 'v' (the map's key_size is 8, value_size 16)" get m k v
te 1 "hmapctl: put: key '0x0g': not a hex digit: 'g'" put m 0x0g v
te 3 "hmapctl: get: no such key in map 'm'" get m k

# ---- the largest key and value ----
t 0 create huge key_size 512 value_size 65536
k=$(head -c 512 /dev/zero | tr '\0' k)
v=$(head -c 65536 /dev/zero | tr '\0' v)
t 0 put huge "$k" "$v"
run get huge "$k"
check "512-byte key, 64 KiB value: round trip" [ "$(cat "$tmp/out")" = "$v" ]
te 1 "hmapctl: put: key 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...' is 513 bytes, longer than the map's key size (512)" put huge "${k}k" v
i=0
while [ $i -lt 20 ]; do "$HMAPCTL" put huge "k$i" "0x00$i$i" || break; i=$((i + 1)); done
run dump huge
check "dump of 64 KiB values: 21 entries" sh -c "tail -n 1 '$tmp/out' | grep -qx '21 entries'"
check "dump of 64 KiB values: k7" grep -q '^key: "k7" value: 00 77 00 00' "$tmp/out"
run dump huge batch 1
check "dump of 64 KiB values, batch 1: 21 entries" sh -c "tail -n 1 '$tmp/out' | grep -qx '21 entries'"
t 0 destroy huge
if [ "$MODE" = kernel ]; then
	# Entries larger than the kernel's dump buffer (256 KiB: 3 of them), in
	# groups larger than that: the kernel buffers such a group separately
	# and must still return no more than the count asked for.
	t 0 create wide key_size 4 value_size 65536
	i=0
	while [ $i -lt 200 ]; do "$HMAPCTL" put wide "k$i" "v$i" || break; i=$((i + 1)); done
	for b in 1 2 4 7 8 12 16 32 256; do
		run dump wide batch $b
		check "dump of 200 64 KiB values, batch $b: 200 distinct entries" sh -c "[ $rc = 0 ] && tail -n 1 '$tmp/out' | grep -qx '200 entries' && grep '^key: ' '$tmp/out' | sort -u | wc -l | grep -qx ' *200'"
	done
	t 0 destroy wide
fi

# ---- sets (value_size 0) ----
t 0 create s key_size 4 value_size 0
t 0 put s abc
t 0 put s abc ""
te 4 "hmapctl: put: key already exists in map 's'" put s abc noexist
t 0 put s abc exist
t 0 put s abd n
te 1 "hmapctl: put: value 'x' is 1 bytes, longer than the map's value size (0)" put s abc x
to "" get s abc
te 3 "hmapctl: get: no such key in map 's'" get s zzz
run dump s
check "dump of a set: keys only" grep -qx 'key: "abc"' "$tmp/out"
check "dump of a set: count" sh -c "tail -n 1 '$tmp/out' | grep -qx '2 entries'"

# ---- a full map ----
t 0 create small key_size 4 value_size 4 max_entries 2
t 0 put small a 1
t 0 put small b 2
te 5 "hmapctl: put: map 'small' is full (max_entries 2)" put small c 3
t 0 put small a 9
to 9 get small a
t 0 del small b
t 0 put small c 3

# ---- dump: 1000 entries ----
t 0 create big key_size 4 value_size 8
i=0
bad=0
while [ $i -lt 1000 ]; do
	"$HMAPCTL" put big "k$i" "v$i" || bad=$((bad + 1))
	i=$((i + 1))
done
check "1000 puts succeeded" [ $bad = 0 ]
run dump big
check "dump big: status 0" [ "$rc" = 0 ]
check "dump big: 1000 entries line" sh -c "tail -n 1 '$tmp/out' | grep -qx '1000 entries'"
check "dump big: 1000 distinct keys" sh -c "grep '^key: ' '$tmp/out' | sort -u | wc -l | grep -qx ' *1000'"
check "dump big: k999 -> v999" grep -qx 'key: "k999" value: "v999"' "$tmp/out"
check "dump big: k0 -> v0" grep -qx 'key: "k0" value: "v0"' "$tmp/out"
for b in 1 3 7 64 65536; do
	run dump big batch $b
	check "dump big batch $b: 1000 distinct entries" sh -c "tail -n 1 '$tmp/out' | grep -qx '1000 entries' && grep '^key: ' '$tmp/out' | sort -u | wc -l | grep -qx ' *1000'"
done
run du big b 2
check "dump abbreviations (du big b 2)" sh -c "tail -n 1 '$tmp/out' | grep -qx '1000 entries'"
run -j dump big
check "dump -j: 1000 objects" sh -c "grep -o '\"key\"' '$tmp/out' | wc -l | grep -qx ' *1000'"
te 2 "hmapctl: dump: no such map 'nomap'" dump nomap

# ---- stats, snapshot ----
run stats big
check "stats: status 0" [ "$rc" = 0 ]
for f in count shard_bits B buckets noverflow growing nevacuate old_B old_buckets \
	old_noverflow max_entries key_size value_size bucket_size memory \
	lookups hits misses inserts \
	updates deletes grows samesize_grows evacuated overflow_allocs \
	reader_retries clears reseeds; do
	check "stats has '$f: '" grep -q "^$f: " "$tmp/out"
done
check "stats: count 1000" grep -qx "count: 1000" "$tmp/out"
check "stats: key_size 4" grep -qx "key_size: 4" "$tmp/out"
check "stats: value_size 8" grep -qx "value_size: 8" "$tmp/out"
check "stats: inserts 1000" grep -qx "inserts: 1000" "$tmp/out"
check "stats: shard_bits 0 (one table)" grep -qx "shard_bits: 0" "$tmp/out"
check "stats: shard_bits after count, as in debugfs" sh -c "grep -A1 '^count: ' '$tmp/out' | grep -qx 'shard_bits: 0'"
check "stats of one table: no shard table" sh -c "! grep -q '^ *SHARD ' '$tmp/out'"
check "stats of one table: no shard line" sh -c "! grep -q '^shard: ' '$tmp/out'"
check "stats: growing no|double|samesize" grep -Eqx "growing: (no|double|samesize)" "$tmp/out"
for f in lookups hits misses reader_retries; do
	check "stats: $f: off (run-time statistics are off)" grep -qx "$f: off" "$tmp/out"
done
if [ "$MODE" = kernel ] && [ -r /sys/kernel/debug/hmap/big/stats ]; then
	cp "$tmp/out" "$tmp/stats"
	check "stats = debugfs stats, line for line" \
		cmp -s "$tmp/stats" /sys/kernel/debug/hmap/big/stats
	diff "$tmp/stats" /sys/kernel/debug/hmap/big/stats | sed 's/^/#   /'
fi
te 2 "hmapctl: stats: no such map 'nomap'" stats nomap
te 2 "hmapctl: stats: no such map 'nomap'" stats nomap sample 1

# ---- stats sample: run-time statistics on for a window ----
# sampling_on: wait (up to 10 s) until stats show the run-time counters on.
sampling_on() {
	_i=0
	while [ $_i -lt 100 ]; do
		"$HMAPCTL" stats big | grep -qx 'hits: [0-9]*' && return 0
		sleep 0.1 2> /dev/null || sleep 1
		_i=$((_i + 1))
	done
	return 1
}
"$HMAPCTL" stats big sample 6 > "$tmp/sample" 2> "$tmp/sample.err" &
sampler=$!
check "stats sample: counters on while it runs" sampling_on
for k in k1 k2 k3 kx1 kx2; do "$HMAPCTL" get big $k > /dev/null 2>&1; done
wait $sampler
rc=$?
cp "$tmp/sample" "$tmp/out"
check "stats sample: status 0" [ "$rc" = 0 ]
check "stats sample: sample_seconds: 6 first" sh -c "head -n 1 '$tmp/out' | grep -qx 'sample_seconds: 6'"
check "stats sample: lookups 5 in the window" grep -qx "lookups: 5" "$tmp/out"
check "stats sample: hits 3" grep -qx "hits: 3" "$tmp/out"
check "stats sample: misses 2" grep -qx "misses: 2" "$tmp/out"
check "stats sample: reader_retries 0" grep -qx "reader_retries: 0" "$tmp/out"
check "stats sample: inserts 0 in the window" grep -qx "inserts: 0" "$tmp/out"
check "stats sample: count 1000 (at the end)" grep -qx "count: 1000" "$tmp/out"
run stats big
check "after the sample: hits: off again" grep -qx "hits: off" "$tmp/out"
"$HMAPCTL" get big k1 > /dev/null 2>&1
run stats big sample 1
check "stats sample 1: status 0" [ "$rc" = 0 ]
check "stats sample 1: no lookups in an idle window" grep -qx "lookups: 0" "$tmp/out"
run st big sa 1
check "stats sample abbreviated (st big sa 1)" [ "$rc" = 0 ]
run snapshot big
check "snapshot: status 0" [ "$rc" = 0 ]
check "snapshot: count 1000" grep -qx "count: 1000" "$tmp/out"
check "snapshot: shard_bits 0" grep -qx "shard_bits: 0" "$tmp/out"
check "snapshot: chain histogram" grep -q "^chains by length" "$tmp/out"
check "snapshot: slot histogram" grep -q "^buckets by occupancy" "$tmp/out"
check "snapshot: 16 chain rows + 9 slot rows" sh -c "grep -c '^  [ >][ =][ 0-9][0-9]: ' '$tmp/out' | grep -Eqx '25|50'"
echo "# snapshot of big:"
sed 's/^/#   /' "$tmp/out"
te 2 "hmapctl: snapshot: no such map 'nomap'" snapshot nomap

# ---- shards ----
# col N: the sum of column N of the shard table in $tmp/out (the lines
# after its header).
col() { awk -v c="$1" '/^ *SHARD  *COUNT /{t=1; next} t && NF {s += $c} END {print s + 0}' "$tmp/out"; }
rows() { awk '/^ *SHARD  *COUNT /{t=1; next} t && NF {n++} END {print n + 0}' "$tmp/out"; }
# fieldof NAME: the value of "NAME: value" in $tmp/out.
fieldof() { sed -n "s/^$1: //p" "$tmp/out"; }
t 0 create sh4 key_size 4 value_size 8 max_entries 1000 shard_bits 2
i=0 bad=0
while [ $i -lt 300 ]; do
	"$HMAPCTL" put sh4 "k$i" "v$i" || bad=$((bad + 1))
	i=$((i + 1))
done
check "300 puts into 4 shards succeeded" [ $bad = 0 ]
# The kernel's worker ends a grow 50 ms after the last write: then quiet.
[ "$MODE" = kernel ] && sleep 1
run stats sh4
check "stats sh4: status 0" [ "$rc" = 0 ]
check "stats sh4: shard_bits: 2" grep -qx "shard_bits: 2" "$tmp/out"
check "stats sh4: evac_delay_ms: 50 (the default)" grep -qx "evac_delay_ms: 50" "$tmp/out"
check "stats sh4: count: 300" grep -qx "count: 300" "$tmp/out"
check "stats sh4: no shard line for the whole map" sh -c "! grep -q '^shard: ' '$tmp/out'"
check "stats sh4: the table's header" grep -Eqx ' *SHARD +COUNT +B +BUCKETS +OVERFLOW +GROWING +EVACUATED +MEMORY +ID' "$tmp/out"
check "stats sh4: a row per shard" [ "$(rows)" = 4 ]
check "stats sh4: rows 0..3 in order" sh -c "awk '/^ *SHARD /{t=1; next} t && NF {printf \"%s \", \$1}' '$tmp/out' | grep -qx '0 1 2 3 '"
check "stats sh4: COUNT sums to count" [ "$(col 2)" = 300 ]
check "stats sh4: BUCKETS sums to buckets" [ "$(col 4)" = "$(fieldof buckets)" ]
check "stats sh4: OVERFLOW sums to noverflow" [ "$(col 5)" = "$(fieldof noverflow)" ]
check "stats sh4: max_entries 1000" grep -qx "max_entries: 1000" "$tmp/out"
check "stats sh4: inserts 300" grep -qx "inserts: 300" "$tmp/out"
check "stats sh4: the table ends the output" sh -c "tail -n 1 '$tmp/out' | grep -Eq '^ *3 '"
cp "$tmp/out" "$tmp/sh4.stats"
c1=$(awk '/^ *SHARD /{t=1; next} t && $1 == 1 {print $2}' "$tmp/out")
id1=$(awk '/^ *SHARD /{t=1; next} t && $1 == 1 {print $NF}' "$tmp/out")
check "stats sh4: every shard its own ID, none the map's" [ "$(awk -v id="$(fieldof id)" '/^ *SHARD /{t=1; next} t && NF && $NF != id {print $NF}' "$tmp/out" | sort -u | wc -l)" = 4 ]
run stats sh4 shard 1
check "stats sh4 shard 1: status 0" [ "$rc" = 0 ]
check "stats sh4 shard 1: shard: 1" grep -qx "shard: 1" "$tmp/out"
check "stats sh4 shard 1: shard_bits: 2" grep -qx "shard_bits: 2" "$tmp/out"
check "stats sh4 shard 1: shard after shard_bits" sh -c "grep -A1 '^shard_bits: ' '$tmp/out' | grep -qx 'shard: 1'"
check "stats sh4 shard 1: count is the table's ($c1)" grep -qx "count: $c1" "$tmp/out"
check "stats sh4 shard 1: id is the table's ($id1)" grep -qx "id: $id1" "$tmp/out"
check "stats sh4 shard 1: no table" sh -c "! grep -q '^ *SHARD ' '$tmp/out'"
check "stats sh4 shard 1: max_entries 250 (1000 / 4)" grep -qx "max_entries: 250" "$tmp/out"
check "stats sh4 shard 1: inserts = its count" grep -qx "inserts: $c1" "$tmp/out"
run st sh4 sh 1
check "stats sh4 shard 1 abbreviated (st sh4 sh 1)" grep -qx "shard: 1" "$tmp/out"
te 8 "hmapctl: stats: map 'sh4' has 4 shards" stats sh4 shard 4
te 8 "hmapctl: stats: map 'sh4' has 4 shards" stats sh4 shard 4294967295
te 8 "hmapctl: stats: map 'sh4' has 4 shards" stats sh4 shard 4 sample 1
run stats sh4
check "stats sh4 after the refused shard: unchanged" cmp -s "$tmp/out" "$tmp/sh4.stats"
te 2 "hmapctl: stats: no such map 'nomap'" stats nomap shard 0
te 2 "hmapctl: stats: no such map 'nomap'" stats nomap shard 7
run stats big shard 0
check "stats of one table, shard 0: status 0" [ "$rc" = 0 ]
check "stats of one table, shard 0: shard: 0" grep -qx "shard: 0" "$tmp/out"
check "stats of one table, shard 0: the whole map's count" grep -qx "count: 1000" "$tmp/out"
te 8 "hmapctl: stats: map 'big' has 1 shard" stats big shard 1
run stats sh4 shard 2 sample 1
check "stats sh4 shard 2 sample 1: status 0" [ "$rc" = 0 ]
check "stats sh4 shard 2 sample 1: sample_seconds, shard" sh -c "head -n 1 '$tmp/out' | grep -qx 'sample_seconds: 1' && grep -qx 'shard: 2' '$tmp/out'"
check "stats sh4 shard 2 sample 1: no inserts in the window" grep -qx "inserts: 0" "$tmp/out"
run stats sh4 sample 1
check "stats sh4 sample 1: the table too" [ "$(rows)" = 4 ]
run snapshot sh4
check "snapshot sh4: status 0" [ "$rc" = 0 ]
check "snapshot sh4: shard_bits: 2" grep -qx "shard_bits: 2" "$tmp/out"
check "snapshot sh4: count: 300" grep -qx "count: 300" "$tmp/out"
run snapshot sh4 shard 1
check "snapshot sh4 shard 1: status 0" [ "$rc" = 0 ]
check "snapshot sh4 shard 1: shard: 1" grep -qx "shard: 1" "$tmp/out"
check "snapshot sh4 shard 1: count $c1" grep -qx "count: $c1" "$tmp/out"
check "snapshot sh4 shard 1: histograms" grep -q "^chains by length" "$tmp/out"
te 8 "hmapctl: snapshot: map 'sh4' has 4 shards" snapshot sh4 shard 4
te 8 "hmapctl: snapshot: map 'big' has 1 shard" snapshot big shard 1
for b in 1 7 256; do
	run dump sh4 batch $b
	check "dump sh4 batch $b: 300 distinct entries" sh -c "[ $rc = 0 ] && tail -n 1 '$tmp/out' | grep -qx '300 entries' && grep '^key: ' '$tmp/out' | sort -u | wc -l | grep -qx ' *300'"
done
to v299 get sh4 k299
t 0 del sh4 k299
run stats sh4
check "after a delete: COUNT sums to 299" [ "$(col 2)" = 299 ]
t 0 create sh8 key_size 4 value_size 0 shard_bits 8
run stats sh8
check "stats sh8: 256 rows" [ "$(rows)" = 256 ]
check "stats sh8: shard_bits: 8" grep -qx "shard_bits: 8" "$tmp/out"
te 8 "hmapctl: stats: map 'sh8' has 256 shards" stats sh8 shard 256
run stats sh8 shard 255
check "stats sh8 shard 255: status 0" [ "$rc" = 0 ]
t 0 destroy sh8
te 8 "hmapctl: create: max_entries 3 is less than one per shard (4 shards)" create shbad key_size 4 value_size 4 max_entries 3 shard_bits 2
te 2 "hmapctl: stats: no such map 'shbad'" stats shbad
# A full shard: 2 entries each, so some insert fails before the 9th.
t 0 create shfull key_size 4 value_size 4 max_entries 8 shard_bits 2
i=0
while [ $i -lt 9 ] && "$HMAPCTL" put shfull "f$i" x > /dev/null 2> "$tmp/err"; do i=$((i + 1)); done
check "a full shard refuses an insert by the 9th ($i went in)" [ $i -lt 9 ]
check "a full shard: message" grep -qx "hmapctl: put: map 'shfull' is full (max_entries 8, split among 4 shards: this key's shard is full)" "$tmp/err"
run stats shfull
check "a full shard: count $i" grep -qx "count: $i" "$tmp/out"
t 0 destroy shfull
if [ "$MODE" = mock ]; then
	# A resize in progress: the mock's grow* maps grow in shard 0.
	t 0 create growsh key_size 4 value_size 4 shard_bits 1
	t 0 put growsh a b
	run stats growsh
	check "stats growsh: shard 0 EVACUATED nevacuate/old_buckets" sh -c "awk '/^ *SHARD /{t=1; next} t && \$1 == 0' '$tmp/out' | grep -Eq ' double +1/1 '"
	check "stats growsh: shard 1 EVACUATED -" sh -c "awk '/^ *SHARD /{t=1; next} t && \$1 == 1' '$tmp/out' | grep -Eq ' no +- '"
	check "stats growsh: whole map growing: double" grep -qx "growing: double" "$tmp/out"
	t 0 destroy growsh
	# A kernel before shards: stats and snapshot of the whole map work,
	# shard_bits and shard queries are refused.
	t 0 create old key_size 4 value_size 4
	for o in 1 strict; do
		export HMAPCTL_MOCK_OLD=$o
		run stats old
		check "old kernel ($o): stats: status 0" [ "$rc" = 0 ]
		check "old kernel ($o): stats: shard_bits: 0" grep -qx "shard_bits: 0" "$tmp/out"
		run snapshot old
		check "old kernel ($o): snapshot: status 0" [ "$rc" = 0 ]
		te 8 "hmapctl: create: invalid argument (max_entries too large, unknown flags, or a module without shard_bits and evac_delay_ms?)" create old2 key_size 4 value_size 4 shard_bits 1
		te 8 "hmapctl: create: invalid argument (max_entries too large, unknown flags, or a module without shard_bits and evac_delay_ms?)" create old2 key_size 4 value_size 4 evac_delay_ms 100
		run stats old
		check "old kernel ($o): stats: no evac_delay_ms line" sh -c "! grep -q '^evac_delay_ms' '$tmp/out'"
		te 8 "hmapctl: stats: mock does not know shard queries (module too old?)" stats old shard 0
		te 8 "hmapctl: stats: map 'old' has 1 shard" stats old shard 1
		te 8 "hmapctl: snapshot: mock does not know shard queries (module too old?)" snapshot old shard 0
		t 0 create old2 key_size 4 value_size 4
		t 0 destroy old2
		unset HMAPCTL_MOCK_OLD
	done
	t 0 destroy old
fi

# ---- clear, destroy ----
t 0 clear big
te 3 "hmapctl: get: no such key in map 'big'" get big k1
run stats big
check "after clear: count 0" grep -qx "count: 0" "$tmp/out"
run dump big
check "after clear: dump is empty" sh -c "cat '$tmp/out' | grep -qx '0 entries'"
t 0 put big k1 v1
to v1 get big k1
te 2 "hmapctl: clear: no such map 'nomap'" clear nomap
t 0 create gone key_size 1 value_size 1
t 0 destroy gone
te 2 "hmapctl: destroy: no such map 'gone'" destroy gone
te 2 "hmapctl: get: no such map 'gone'" get gone a

# ---- JSON ----
json get-json -j get m hex 01 02
check "get -j" grep -qx '{"key":{"hex":"0102000000000000"},"value":{"hex":"41424344000000000000000000000000","str":"ABCD"}}' "$tmp/out"
json get-set-json -j get s abc
check "get -j of a set" grep -qx '{"key":{"hex":"61626300","str":"abc"},"value":{"hex":""}}' "$tmp/out"
json list-json -j list
json list-pretty -p list
json dump-json -j dump small
json dump-pretty -p dump m
json dump-set -j dump s
json stats-json -j stats big
check "stats -j: count" grep -q '"count":1,' "$tmp/out"
check "stats -j: off counters are null" grep -q '"lookups":null,"hits":null,"misses":null,' "$tmp/out"
json stats-sample-json -j stats big sample 1
check "stats -j sample: sample_seconds, counters numbers" grep -q '^{"sample_seconds":1,.*"lookups":0,"hits":0,"misses":0,' "$tmp/out"
json stats-pretty -p stats m
json snapshot-json -j snapshot big
json snapshot-pretty -p snapshot m
json stats-sh4 -j stats sh4
check "stats -j sh4: shard_bits 2" grep -q '"shard_bits":2,' "$tmp/out"
check "stats -j sh4: shards, an array of 4" sh -c "grep -o '\"shards\":\[.*\]' '$tmp/out' | grep -o '{\"shard\":[0-9]*,\"count\":' | wc -l | grep -qx ' *4'"
check "stats -j sh4: no shard member for the whole map" sh -c "! grep -q '^{[^[]*\"shard\":' '$tmp/out'"
json stats-sh4-pretty -p stats sh4
json stats-sh4-shard -j stats sh4 shard 3
check "stats -j sh4 shard 3: shard 3, no shards array" sh -c "grep -q '\"shard_bits\":2,\"shard\":3,' '$tmp/out' && ! grep -q '\"shards\"' '$tmp/out'"
json stats-big-json -j stats big
check "stats -j big: shard_bits 0, no shards array" sh -c "grep -q '\"shard_bits\":0,' '$tmp/out' && ! grep -q '\"shards\"' '$tmp/out'"
json snapshot-sh4 -j snapshot sh4 shard 0
check "snapshot -j sh4 shard 0: shard_bits, shard" grep -q '"shard_bits":2,"shard":0,' "$tmp/out"
json err-shard -j stats sh4 shard 4
check "error -j, shard out of range: status 8" [ "$rc" = 8 ]
check "error -j, shard out of range: the message" grep -qx "{\"error\":\"map 'sh4' has 4 shards\"}" "$tmp/out"
json err-shard-snapshot -p snapshot sh4 shard 9
json create-json -j create hx key_size 2 value_size 2
check "create -j prints null" grep -qx null "$tmp/out"
json put-json -j put hx a b
json del-json -j del hx a
json destroy-json -j destroy hx
json err-nokey -j get m nokey
check "error -j: status 3" [ "$rc" = 3 ]
check "error -j on stdout" grep -qx "{\"error\":\"no such key in map 'm'\"}" "$tmp/out"
check "error -j on stderr too" grep -qx "hmapctl: get: no such key in map 'm'" "$tmp/err"
json err-nomap -p stats nomap
json err-usage -j create m
check "usage error -j: status 1" [ "$rc" = 1 ]
json err-usage2 -j frob
json err-exists -j create m key_size 8 value_size 16
json err-full -j put small zz 1

# ---- permissions, device ----
if [ "$MODE" = kernel ]; then
	su -s /bin/sh user -c "$HMAPCTL list" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	check "non-root, device 0600: status 6" [ "$rc" = 6 ]
	check "non-root: cannot open message" grep -q "^hmapctl: list: cannot open /dev/hmap: Permission denied" "$tmp/err"
	mode=$(stat -c %a /dev/hmap)
	chmod 666 /dev/hmap
	su -s /bin/sh user -c "$HMAPCTL create perm key_size 4 value_size 4" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	check "non-root create: status 6" [ "$rc" = 6 ]
	check "non-root create: message" grep -qx "hmapctl: create: permission denied (need CAP_SYS_ADMIN)" "$tmp/err"
	su -s /bin/sh user -c "$HMAPCTL destroy m" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	check "non-root destroy: status 6" [ "$rc" = 6 ]
	su -s /bin/sh user -c "$HMAPCTL put m user 1" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	check "non-root put (device opened): status 0" [ "$rc" = 0 ]
	su -s /bin/sh user -c "$HMAPCTL stats big sample 1" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	check "non-root stats sample: status 6" [ "$rc" = 6 ]
	check "non-root stats sample: message" grep -qx "hmapctl: stats: permission denied (sample needs CAP_SYS_ADMIN)" "$tmp/err"
	chmod "$mode" /dev/hmap
	to 1 get m user
else
	HMAPCTL_MOCK_NOPRIV=1 "$HMAPCTL" create perm key_size 4 value_size 4 > "$tmp/out" 2> "$tmp/err"
	rc=$?
	check "no CAP_SYS_ADMIN create: status 6" [ "$rc" = 6 ]
	check "no CAP_SYS_ADMIN create: message" grep -qx "hmapctl: create: permission denied (need CAP_SYS_ADMIN)" "$tmp/err"
	HMAPCTL_MOCK_NOPRIV=1 "$HMAPCTL" stats big sample 1 > "$tmp/out" 2> "$tmp/err"
	rc=$?
	check "no CAP_SYS_ADMIN stats sample: status 6" [ "$rc" = 6 ]
	check "no CAP_SYS_ADMIN stats sample: message" grep -qx "hmapctl: stats: permission denied (sample needs CAP_SYS_ADMIN)" "$tmp/err"
fi
HMAPCTL_DEVICE=/nonexistent "$HMAPCTL" list > "$tmp/out" 2> "$tmp/err"
rc=$?
if [ "$MODE" = kernel ]; then
	check "missing device: status 7" [ "$rc" = 7 ]
	check "missing device: message" grep -qx "hmapctl: list: cannot open /nonexistent: No such file or directory (is the hmap module loaded?)" "$tmp/err"
fi

# ---- clean up ----
for m in m s small big sh4; do t 0 destroy $m; done
run list
check "list is empty at the end" [ ! -s "$tmp/out" ]

echo "session: $pass passed, $failn failed"
[ "$failn" = 0 ]
