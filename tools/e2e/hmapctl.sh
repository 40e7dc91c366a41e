#!/bin/sh
# e2e-kernels: stock (its kernel paths run under KASAN and lockdep in ioctl.sh,
# fuzz.sh and debugfs.sh on the debug kernel; this script checks the tool)
# hmapctl against the real module: every command, its text and -j output
# (each JSON document validated in the VM by hmap-json, its fields checked),
# the exit status of each error, and the results cross-checked with debugfs.
#   tools/vm/run [--debug] tools/e2e/hmapctl.sh
. ./lib.sh

need hmapctl
need hmap-json

# run ARGS...: hmapctl ARGS; stdout in /tmp/o, stderr in /tmp/e, status $rc.
run() { hmapctl "$@" > /tmp/o 2> /tmp/e; rc=$?; }

# t STATUS ARGS...: hmapctl ARGS exits with STATUS.
t() {
	want=$1; shift
	run "$@"
	if [ "$rc" = "$want" ]; then
		pass "hmapctl $* -> exit $rc"
	else
		fail "hmapctl $* -> exit $rc, expected $want"
		sed 's/^/#   out: /' /tmp/o | head -n 5
		sed 's/^/#   err: /' /tmp/e | head -n 5
	fi
}

# j STATUS ARGS...: hmapctl -j ARGS exits with STATUS and prints one valid
# JSON document (on errors too); its fields are then read with jf.
j() {
	want=$1; shift
	run -j "$@"
	if ! hmap-json < /tmp/o > /dev/null 2> /tmp/jerr; then
		fail "hmapctl -j $*: output is not valid JSON ($(cat /tmp/jerr))"
		head -c 300 /tmp/o | sed 's/^/#   out: /'
		return
	fi
	if [ "$rc" = "$want" ]; then
		pass "hmapctl -j $* -> exit $rc, valid JSON"
	else
		fail "hmapctl -j $* -> exit $rc, expected $want"
		sed 's/^/#   err: /' /tmp/e | head -n 5
	fi
}

# jf PATH: a field of the last JSON output ("<missing>" if it has none).
jf() { hmap-json "$1" < /tmp/o 2> /dev/null || echo "<missing>"; }

# Stderr's first line of the last run.
err1() { head -n 1 /tmp/e; }

note "0. the JSON checker itself"
assert_true "hmap-json self-test" sh ./_json_selftest.sh hmap-json

note "1. help and usage errors"
t 0 -h
assert_true "-h prints the usage" grep -q '^Usage: hmapctl' /tmp/o
t 0 help
t 1
t 1 frobnicate
assert_true "unknown command: message on stderr" grep -q "unknown command 'frobnicate'" /tmp/e
t 1 d m		# del, destroy, dump
assert_true "ambiguous prefix: message names the candidates" grep -q "ambiguous command 'd'" /tmp/e
t 1 -x list
j 1 frobnicate
assert_true "-j usage error: {\"error\": ...}" sh -c '[ -n "$(hmap-json .error < /tmp/o)" ]'

note "2. create, list"
t 0 create m1 key_size 8 value_size 16
assert_eq "create prints nothing" "" "$(cat /tmp/o)"
j 0 create m2 key_size 4 value_size 0 max_entries 10
assert_eq "create -j prints null" null "$(jf .)"
t 0 create m3 key_size 2 value_size 2 flags 1
t 4 create m1 key_size 8 value_size 16
assert_eq "create of an existing map: stderr" "hmapctl: create: map 'm1' already exists" "$(err1)"
j 4 create m1 key_size 8 value_size 16
assert_eq "create -j of an existing map: error" "map 'm1' already exists" "$(jf .error)"
t 1 create a/b key_size 8 value_size 8
t 1 create maps key_size 8 value_size 8
t 1 create m4 key_size 0 value_size 8
t 1 create m4 key_size 513 value_size 8
t 1 create m4 key_size 8 value_size 65537
t 1 create m4 key_size 8
t 1 create m4 key_size 8 value_size 8 colour 3
t 8 create m4 key_size 8 value_size 8 flags 2
t 8 create m4 key_size 8 value_size 8 max_entries 0xffffffff
assert_true "no m4 after the failed creates" test ! -e "$DBG/m4"
assert_eq "maps in debugfs" "m1 m2 m3" "$(cut -d' ' -f1 "$DBG/maps" | tr '\n' ' ' | sed 's/ $//')"

t 0 list
assert_true "list: a header" grep -q '^NAME *KEY_SIZE *VALUE_SIZE *MAX_ENTRIES *FLAGS *COUNT$' /tmp/o
assert_true "list: m1 8 16" grep -q '^m1  *8  *16  *[0-9]*  *0x0  *0$' /tmp/o
assert_true "list: m2 4 0 10" grep -q '^m2  *4  *0  *10  *0x0  *0$' /tmp/o
assert_true "list: m3 flags 0x1" grep -q '^m3  *2  *2  *[0-9]*  *0x1  *0$' /tmp/o
j 0 list
assert_eq "list -j: an array of 3" "array 3" "$(jf .)"
assert_eq "list -j: names in creation order" "m1 m2 m3" "$(echo $(hmap-json '[0].name' '[1].name' '[2].name' < /tmp/o))"
assert_eq "list -j: m2's fields" "4 0 10 0 0" \
	"$(echo $(hmap-json '[1].key_size' '[1].value_size' '[1].max_entries' '[1].flags' '[1].count' < /tmp/o))"
assert_eq "list -j: m3's flags" 1 "$(jf '[2].flags')"

note "3. put, get"
t 0 put m1 k1 v1
assert_eq "put prints nothing" "" "$(cat /tmp/o)"
j 0 put m1 k2 v2
assert_eq "put -j prints null" null "$(jf .)"
t 0 put m1 0x6b33 hex 76 33		# k3 v3, in the two hex forms
t 0 put m1 str hex str 0x41		# the strings "hex" and "0x41"
t 0 put m1 k1 v1b any
t 0 put m1 k1 v1c exist
t 4 put m1 k1 v1d noexist
assert_eq "put noexist of a present key: stderr" "hmapctl: put: key already exists in map 'm1'" "$(err1)"
t 3 put m1 k9 v9 exist
t 2 put nosuch k1 v1
assert_eq "put into a missing map: stderr" "hmapctl: put: no such map 'nosuch'" "$(err1)"
t 1 put m1 k1 0123456789abcdefX	# 17 bytes for 16
t 1 put m1 123456789 v		# 9 bytes for 8
t 1 put m1 0x123 v			# odd number of hex digits
t 1 put m1 k1 v1 sometimes
t 1 put m1 k1
t 0 get m1 k1
assert_eq "get prints the string value" v1c "$(cat /tmp/o)"
t 0 get m1 k3
assert_eq "get of the hex-put value" v3 "$(cat /tmp/o)"
t 0 get m1 str hex
assert_eq "get of key \"hex\"" 0x41 "$(cat /tmp/o)"
j 0 get m1 k2
assert_eq "get -j: key.str" k2 "$(jf .key.str)"
assert_eq "get -j: key.hex" 6b32000000000000 "$(jf .key.hex)"
assert_eq "get -j: value.str" v2 "$(jf .value.str)"
assert_eq "get -j: value.hex" 76320000000000000000000000000000 "$(jf .value.hex)"
t 0 put m1 k4 hex ff 00 01
t 0 get m1 k4
assert_true "get of a binary value prints hex bytes" grep -qi 'ff' /tmp/o
j 0 get m1 k4
assert_eq "get -j of a binary value: hex" ff000100000000000000000000000000 "$(jf .value.hex)"
assert_eq "get -j of a binary value: no str" "<missing>" "$(jf .value.str)"
t 3 get m1 nokey
assert_eq "get of a missing key: stderr" "hmapctl: get: no such key in map 'm1'" "$(err1)"
j 3 get m1 nokey
assert_eq "get -j of a missing key: error" "no such key in map 'm1'" "$(jf .error)"
t 2 get nosuch k1
j 2 get nosuch k1
t 1 get 'a b' k1
assert_eq "debugfs count of m1" 5 "$(field "$DBG/m1/stats" count)"

# A set (value_size 0): put without a value.
t 0 put m2 abcd
t 0 get m2 abcd
assert_eq "get from a set prints nothing" "" "$(cat /tmp/o)"
j 0 get m2 abcd
assert_eq "get -j from a set: key" abcd "$(jf .key.str)"
# A full map: m2 holds 10.
for i in 1 2 3 4 5 6 7 8 9; do hmapctl put m2 s$i; done
t 5 put m2 more
assert_eq "put into a full map: stderr" "hmapctl: put: map 'm2' is full (max_entries 10)" "$(err1)"
j 5 put m2 more

note "4. dump"
t 0 dump m1
assert_eq "dump: one line per entry and a count" 6 "$(wc -l < /tmp/o)"
assert_eq "dump: last line" "5 entries" "$(tail -n 1 /tmp/o)"
assert_true "dump: k1's line" grep -qx 'key: "k1" value: "v1c"' /tmp/o
j 0 dump m1
assert_eq "dump -j: an array of 5" "array 5" "$(jf .)"
keys=$(i=0; while [ $i -lt 5 ]; do hmap-json "[$i].key.str" < /tmp/o; i=$((i + 1)); done | sort | tr '\n' ' ')
assert_eq "dump -j: the keys" "hex k1 k2 k3 k4 " "$keys"
t 0 dump m1 batch 1
assert_eq "dump batch 1: the same 5 entries" "5 entries" "$(tail -n 1 /tmp/o)"
t 1 dump m1 batch 0
t 1 dump m1 batch 65537
t 1 dump m1 size 3
j 0 dump m2
assert_eq "dump -j of a set: 10 entries" "array 10" "$(jf .)"
assert_eq "dump -j of a set: no value" "<missing>" "$(jf '[0].value')"
j 0 dump m3
assert_eq "dump -j of an empty map: []" "array 0" "$(jf .)"
t 0 dump m3
assert_eq "dump of an empty map" "0 entries" "$(cat /tmp/o)"
t 2 dump nosuch
j 2 dump nosuch
# A bigger map: dump agrees with debugfs.
hmapctl create big key_size 8 value_size 8 > /dev/null
need hmap-fill
hmap-fill insert big 8 8 0 3000 || fail "insert into big"
j 0 dump big batch 7
assert_eq "dump -j of 3000 entries in batches of 7" "array 3000" "$(jf .)"
run dump big
assert_eq "dump of 3000 entries: lines" 3001 "$(wc -l < /tmp/o)"
assert_eq "dump of 3000 entries: distinct keys" 3000 "$(grep '^key: ' /tmp/o | sort -u | wc -l)"
assert_eq "dump and debugfs dump agree on the count" "$(wc -l < "$DBG/big/dump")" 3000

note "5. del, stats, snapshot, clear, destroy"
t 0 del m1 k1
assert_eq "del prints nothing" "" "$(cat /tmp/o)"
t 3 get m1 k1
t 3 del m1 k1
j 0 del m1 k2
assert_eq "del -j prints null" null "$(jf .)"
j 3 del m1 k2
t 2 del nosuch k1
t 1 del m1
assert_eq "debugfs count after two deletes" 3 "$(field "$DBG/m1/stats" count)"

t 0 stats m1
assert_true "stats: count: 3" grep -qx 'count: 3' /tmp/o
assert_true "stats: key_size: 8" grep -qx 'key_size: 8' /tmp/o
for f in count B buckets noverflow growing nevacuate max_entries inserts deletes grows; do
	assert_eq "stats $f = debugfs $f" "$(field "$DBG/big/stats" $f)" "$(hmapctl stats big | sed -n "s/^$f: //p")"
done
j 0 stats big
assert_eq "stats -j: count" 3000 "$(jf .count)"
assert_eq "stats -j: key_size, value_size" "8 8" "$(echo $(jf .key_size) $(jf .value_size))"
assert_eq "stats -j: B = debugfs" "$(field "$DBG/big/stats" B)" "$(jf .B)"
assert_eq "stats -j: buckets = 2^B" $((1 << $(jf .B))) "$(jf .buckets)"
assert_eq "stats -j: growing" no "$(jf .growing)"
assert_eq "stats -j: inserts" 3000 "$(jf .inserts)"
t 2 stats nosuch
j 2 stats nosuch
# Run-time counters: off (JSON null) unless some process holds them on.
run stats big
for f in lookups hits misses reader_retries; do
	assert_true "stats $f: off" grep -qx "$f: off" /tmp/o
done
assert_true "stats = debugfs stats, line for line" cmp -s /tmp/o "$DBG/big/stats"
j 0 stats big
assert_eq "stats -j: hits null" null "$(jf .hits)"
assert_eq "stats -j: lookups null" null "$(jf .lookups)"
assert_eq "stats -j: inserts still a number" 3000 "$(jf .inserts)"
t 1 stats big sample
t 1 stats big sample 0
t 1 stats big sample 1 x
# A sample window: on while it runs (debugfs shows numbers), its counts
# are the lookups made during it, off again after it.
hmapctl stats big sample 8 > /tmp/sample 2> /tmp/sample.err &
sampler=$!
i=0
while [ "$(field "$DBG/big/stats" hits)" = off ] && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
assert_true "stats sample: debugfs hits counting during the window" \
	test "$(field "$DBG/big/stats" hits)" != off
hmapctl get big 0x0100000000000000 > /dev/null
hmapctl get big 0x0200000000000000 > /dev/null
hmapctl get big 0x0300000000000000 > /dev/null
hmapctl get big nokey > /dev/null 2>&1
wait $sampler
assert_eq "stats sample: exit 0" 0 $?
sed 's/^/#   sample: /' /tmp/sample.err
assert_eq "stats sample: sample_seconds first" "sample_seconds: 8" "$(head -n 1 /tmp/sample)"
assert_eq "stats sample: hits 3" 3 "$(sed -n 's/^hits: //p' /tmp/sample)"
assert_eq "stats sample: misses 1" 1 "$(sed -n 's/^misses: //p' /tmp/sample)"
assert_eq "stats sample: lookups 4" 4 "$(sed -n 's/^lookups: //p' /tmp/sample)"
assert_eq "stats sample: reader_retries 0" 0 "$(sed -n 's/^reader_retries: //p' /tmp/sample)"
assert_eq "stats sample: inserts 0" 0 "$(sed -n 's/^inserts: //p' /tmp/sample)"
assert_eq "stats sample: count 3000" 3000 "$(sed -n 's/^count: //p' /tmp/sample)"
assert_eq "after the sample: debugfs hits off" off "$(field "$DBG/big/stats" hits)"
j 0 stats big sample 1
assert_eq "stats -j sample: sample_seconds" 1 "$(jf .sample_seconds)"
assert_eq "stats -j sample: lookups 0 in an idle window" 0 "$(jf .lookups)"
assert_eq "stats -j sample: hits 0" 0 "$(jf .hits)"
t 0 snapshot big
assert_true "snapshot: count: 3000" grep -qx 'count: 3000' /tmp/o
j 0 snapshot big
assert_eq "snapshot -j: count" 3000 "$(jf .count)"
assert_eq "snapshot -j: chain_hist has 16 entries" "array 16" "$(jf .chain_hist)"
assert_eq "snapshot -j: slot_hist has 9 entries" "array 9" "$(jf .slot_hist)"
chains=0 live=0 i=0
while [ $i -lt 16 ]; do chains=$((chains + $(hmap-json ".chain_hist[$i]" < /tmp/o))); i=$((i + 1)); done
i=0
while [ $i -lt 9 ]; do live=$((live + i * $(hmap-json ".slot_hist[$i]" < /tmp/o))); i=$((i + 1)); done
assert_eq "snapshot -j: chain_hist sums to buckets" "$(jf .buckets)" "$chains"
assert_eq "snapshot -j: live slots = count" 3000 "$live"
t 0 sn big			# a unique prefix
t 2 snapshot nosuch

t 0 clear m1
assert_eq "clear prints nothing; count 0" "0" "$(cat /tmp/o)$(field "$DBG/m1/stats" count)"
j 0 clear m2
assert_eq "clear -j prints null" null "$(jf .)"
t 2 clear nosuch
t 0 destroy m1
assert_true "destroy removes the debugfs directory" test ! -e "$DBG/m1"
j 0 destroy m2
assert_eq "destroy -j prints null" null "$(jf .)"
t 2 destroy m1
j 2 destroy m1
assert_eq "destroy -j of a missing map: error" "no such map 'm1'" "$(jf .error)"
t 0 -p list
assert_true "-p (pretty) output is valid JSON" sh -c 'hmap-json < /tmp/o > /dev/null'
assert_true "-p output spans lines" test "$(wc -l < /tmp/o)" -gt 1

note "6. a map of shards"
# The shard table of the last stats: its rows, the sum of column N.
rows() { awk '/^ *SHARD  *COUNT /{t=1; next} t && NF {n++} END {print n + 0}' /tmp/o; }
col() { awk -v c="$1" '/^ *SHARD  *COUNT /{t=1; next} t && NF {s += $c} END {print s + 0}' /tmp/o; }
t 1 create sh key_size 8 value_size 8 shard_bits 9
t 8 create sh key_size 8 value_size 8 max_entries 3 shard_bits 2
assert_eq "max_entries under one per shard: stderr" \
	"hmapctl: create: max_entries 3 is less than one per shard (4 shards)" "$(err1)"
assert_true "no sh after the failed creates" test ! -e "$DBG/sh"
t 0 create sh key_size 8 value_size 8 shard_bits 2
hmap-fill insert sh 8 8 0 400 || fail "insert into sh"
t 0 put sh k1 v1
t 0 get sh k1
assert_eq "get from a map of shards" v1 "$(cat /tmp/o)"
assert_eq "debugfs stats: shard_bits 2" 2 "$(field "$DBG/sh/stats" shard_bits)"
sleep 1		# the worker's last grow step: a quiet map from here
t 0 stats sh
assert_true "stats: shard_bits: 2" grep -qx 'shard_bits: 2' /tmp/o
assert_true "stats: count: 401" grep -qx 'count: 401' /tmp/o
assert_true "stats: no shard line for the whole map" sh -c "! grep -q '^shard: ' /tmp/o"
assert_eq "stats: a row per shard" 4 "$(rows)"
assert_eq "stats: the COUNT column sums to count" 401 "$(col 2)"
assert_eq "stats: the BUCKETS column sums to buckets" "$(field /tmp/o buckets)" "$(col 4)"
assert_eq "stats: the OVERFLOW column sums to noverflow" "$(field /tmp/o noverflow)" "$(col 5)"
sed -n '/^ *SHARD /,$p' /tmp/o | sed 's/^/#   /'
cp /tmp/o /tmp/sh.stats
head -n "$(wc -l < "$DBG/sh/stats")" /tmp/o > /tmp/sh.whole
assert_true "stats: the whole map's lines = debugfs stats" cmp -s /tmp/sh.whole "$DBG/sh/stats"
diff /tmp/sh.whole "$DBG/sh/stats" | sed 's/^/#   /'
awk 'NR > 1 {print $1, $2, $3, $4, $5, $6, $10}' "$DBG/sh/shards" > /tmp/sh.dbg
awk '/^ *SHARD /{t=1; next} t && NF {print $1, $2, $3, $4, $5, $6, $8}' /tmp/o > /tmp/sh.tool
assert_true "stats: the shard table = debugfs shards" cmp -s /tmp/sh.tool /tmp/sh.dbg
diff /tmp/sh.tool /tmp/sh.dbg | sed 's/^/#   /'
c1=$(awk '/^ *SHARD /{t=1; next} t && $1 == 1 {print $2}' /tmp/o)
t 0 stats sh shard 1
assert_true "stats shard 1: shard: 1" grep -qx 'shard: 1' /tmp/o
assert_eq "stats shard 1: shard_bits" 2 "$(field /tmp/o shard_bits)"
assert_eq "stats shard 1: count = its row's" "$c1" "$(field /tmp/o count)"
assert_eq "stats shard 1: inserts = its count" "$c1" "$(field /tmp/o inserts)"
assert_true "stats shard 1: no table" sh -c "! grep -q '^ *SHARD ' /tmp/o"
t 8 stats sh shard 4
assert_eq "stats shard 4: stderr" "hmapctl: stats: map 'sh' has 4 shards" "$(err1)"
assert_eq "stats shard 4: nothing on stdout" "" "$(cat /tmp/o)"
j 8 stats sh shard 4
assert_eq "stats -j shard 4: error" "map 'sh' has 4 shards" "$(jf .error)"
t 8 stats sh shard 4294967295
run stats sh
assert_true "stats after the refused shards: unchanged" cmp -s /tmp/o /tmp/sh.stats
diff /tmp/o /tmp/sh.stats | sed 's/^/#   /'
j 0 stats sh
assert_eq "stats -j: shard_bits" 2 "$(jf .shard_bits)"
assert_eq "stats -j: shards, an array of 4" "array 4" "$(jf .shards)"
assert_eq "stats -j: shards[1].shard" 1 "$(jf '.shards[1].shard')"
assert_eq "stats -j: shards[1].count" "$c1" "$(jf '.shards[1].count')"
sum=0 i=0
while [ $i -lt 4 ]; do sum=$((sum + $(hmap-json ".shards[$i].count" < /tmp/o))); i=$((i + 1)); done
assert_eq "stats -j: the shards' counts sum to count" 401 "$sum"
assert_eq "stats -j: no shard member for the whole map" "<missing>" "$(jf .shard)"
j 0 stats sh shard 3
assert_eq "stats -j shard 3: shard" 3 "$(jf .shard)"
assert_eq "stats -j shard 3: no shards array" "<missing>" "$(jf .shards)"
t 0 snapshot sh shard 1
assert_true "snapshot shard 1: shard: 1" grep -qx 'shard: 1' /tmp/o
assert_eq "snapshot shard 1: shard_bits" 2 "$(field /tmp/o shard_bits)"
assert_eq "snapshot shard 1: count = its row's" "$c1" "$(field /tmp/o count)"
t 8 snapshot sh shard 4
assert_eq "snapshot shard 4: stderr" "hmapctl: snapshot: map 'sh' has 4 shards" "$(err1)"
j 0 snapshot sh
assert_eq "snapshot -j: shard_bits" 2 "$(jf .shard_bits)"
chains=0 live=0 i=0
while [ $i -lt 16 ]; do chains=$((chains + $(hmap-json ".chain_hist[$i]" < /tmp/o))); i=$((i + 1)); done
i=0
while [ $i -lt 9 ]; do live=$((live + i * $(hmap-json ".slot_hist[$i]" < /tmp/o))); i=$((i + 1)); done
assert_eq "snapshot -j: chain_hist sums to buckets" "$(jf .buckets)" "$chains"
assert_eq "snapshot -j: live slots = count" 401 "$live"
run dump sh batch 7
assert_eq "dump of a map of shards: 401 entries" "401 entries" "$(tail -n 1 /tmp/o)"
assert_eq "dump of a map of shards: distinct keys" 401 "$(grep '^key: ' /tmp/o | sort -u | wc -l)"
t 0 stats big
assert_true "stats of one table: shard_bits: 0" grep -qx 'shard_bits: 0' /tmp/o
assert_true "stats of one table: no table" sh -c "! grep -q '^ *SHARD ' /tmp/o"
assert_eq "debugfs shards of one table: a header and one line" 2 "$(wc -l < "$DBG/big/shards")"
t 0 stats big shard 0
assert_eq "stats of one table, shard 0: the whole map's count" 3000 "$(field /tmp/o count)"
t 8 stats big shard 1
assert_eq "stats of one table, shard 1: stderr" "hmapctl: stats: map 'big' has 1 shard" "$(err1)"
# A full shard: 2 entries each, so some insert fails by the 9th.
t 0 create shf key_size 4 value_size 4 max_entries 8 shard_bits 2
i=0
while [ $i -lt 9 ] && hmapctl put shf "f$i" x > /dev/null 2> /tmp/e; do i=$((i + 1)); done
assert_true "a full shard refuses an insert by the 9th ($i went in)" test $i -lt 9
assert_eq "a full shard: stderr" "hmapctl: put: map 'shf' is full (max_entries 8, split among 4 shards: this key's shard is full)" "$(err1)"
hmapctl put shf "f$i" x > /dev/null 2>&1
assert_eq "a full shard: exit 5" 5 $?
t 0 destroy shf
t 0 destroy sh
assert_true "destroy removes the map of shards' directory" test ! -e "$DBG/sh"

note "7. permissions and the device"
HMAPCTL_DEVICE=/dev/nonexistent hmapctl list > /dev/null 2>&1
assert_eq "no device: exit 7" 7 $?
asuser() { su -s /bin/sh user -c "$*" > /tmp/o 2> /tmp/e; rc=$?; }
asuser hmapctl list
assert_eq "user on a 0600 /dev/hmap: exit 6" 6 "$rc"
chmod 0666 /dev/hmap
asuser hmapctl create u1 key_size 4 value_size 4
assert_eq "user creates: exit 6 (no CAP_SYS_ADMIN)" 6 "$rc"
asuser hmapctl destroy big
assert_eq "user destroys: exit 6" 6 "$rc"
asuser hmapctl get big 0x0100000000000000
assert_eq "user gets: exit 0" 0 "$rc"
asuser hmapctl -j stats big
assert_eq "user stats -j: count" 3000 "$(jf .count)"
asuser hmapctl stats big sample 1
assert_eq "user stats sample: exit 6 (no CAP_SYS_ADMIN)" 6 "$rc"
assert_eq "user stats sample: message" "hmapctl: stats: permission denied (sample needs CAP_SYS_ADMIN)" "$(err1)"
assert_eq "user stats sample: still off" off "$(field "$DBG/big/stats" hits)"
chmod 0600 /dev/hmap

hmapctl destroy big; hmapctl destroy m3
assert_eq "no map left" "" "$(cat "$DBG/maps")"
splat_check
checks_done
