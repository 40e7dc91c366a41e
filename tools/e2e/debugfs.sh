#!/bin/sh
# /sys/kernel/debug/hmap/: maps, and per map stats, buckets, old_buckets,
# histogram and dump, checked against what was inserted; then a grow
# watched one insert at a time, with readers of every file running
# meanwhile, and a destroy while they read. Maps are made and changed with
# hmapctl; bulk inserts with hmap-ioctl-test insert (one process, not one
# per entry: the debug kernel under TCG starts processes slowly), whose
# entry i has the key i (8 bytes, little-endian) and bytes i * 7 + j as value.
#   tools/vm/run [--debug] tools/e2e/debugfs.sh
. ./lib.sh

need hmapctl
need hmap-ioctl-test
[ -d "$DBG" ] || die "$DBG missing (debugfs not mounted, or hmap not loaded)"
[ -f "$DBG/maps" ] || die "$DBG/maps missing"

# put MAP FROM TO [FIELD...]: inserts entries FROM..TO-1 (key 8, value 8).
put() {
	_m=$1 _from=$2 _to=$3
	shift 3
	hmap-ioctl-test insert "$_m" 8 8 "$_from" "$_to" "$@" || fail "insert $_m $_from..$_to: exit $?"
}

# keyhex I, valhex I: entry I's key and value in hex, as debugfs dumps them.
keyhex() { printf '%02x%02x%02x%02x00000000' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24)); }
valhex() { awk -v i="$1" 'BEGIN { for (j = 0; j < 8; j++) printf "%02x", (i * 7 + j) % 256; print "" }'; }

# live_slots FILE: the live slots drawn in a buckets file (two hex digits;
# the markers __ .. ex ey e_ are not hex).
live_slots() { awk '{ for (i = 3; i <= NF; i++) if ($i ~ /^[0-9a-f][0-9a-f]$/) n++ } END { print n + 0 }' "$1"; }

# hist_check DIR PREFIX COUNT: the histogram of DIR (PREFIX "" or "old ")
# sums up: chains = buckets, buckets by slots = buckets + noverflow, and
# live slots = COUNT (if COUNT is given).
hist_check() {
	h=$1/histogram p=$2
	st=$1/stats
	nb=$(sed -n "s/^${p}buckets: //p" "$h")
	chains=$(sed -n "s/^${p}chain [0-9]*+*: //p" "$h" | awk '{ s += $1 } END { print s + 0 }')
	slots=$(sed -n "s/^${p}slots [0-9]*: //p" "$h" | awk '{ s += $1 } END { print s + 0 }')
	live=$(sed -n "s/^${p}slots \([0-9]*\): /\1 /p" "$h" | awk '{ s += $1 * $2 } END { print s + 0 }')
	if [ -z "$p" ]; then novf=$(field "$st" noverflow); else novf=$(field "$st" old_noverflow); fi
	assert_eq "histogram ${p}chains sum to ${p}buckets ($nb)" "$nb" "$chains"
	assert_eq "histogram ${p}buckets by slots = ${p}buckets + ${p}noverflow ($nb + $novf)" \
		"$((nb + novf))" "$slots"
	[ -z "$3" ] || assert_eq "histogram ${p}live slots = count" "$3" "$live"
}

M=e2e_dbg
note "1. a map of 1000 entries (key 8, value 8): every file"
hmapctl create $M key_size 8 value_size 8 || die "hmapctl create $M: exit $?"
assert_true "maps lists $M, count 0" grep -q "^$M key_size 8 value_size 8 max_entries [0-9]* count 0\$" "$DBG/maps"
for f in stats buckets old_buckets histogram dump; do
	assert_true "$M/$f exists" test -f "$DBG/$M/$f"
done
assert_eq "dump of the empty map is empty" 0 "$(wc -l < "$DBG/$M/dump")"
t0=$(date +%s)
put $M 0 1000
note "1000 inserts in $(($(date +%s) - t0))s"
S=$DBG/$M/stats
assert_eq "stats count" 1000 "$(field "$S" count)"
assert_eq "stats B" 8 "$(field "$S" B)"
assert_eq "stats buckets" 256 "$(field "$S" buckets)"
assert_eq "stats growing" no "$(field "$S" growing)"
assert_eq "stats key_size" 8 "$(field "$S" key_size)"
assert_eq "stats value_size" 8 "$(field "$S" value_size)"
assert_eq "stats inserts" 1000 "$(field "$S" inserts)"
assert_eq "stats deletes" 0 "$(field "$S" deletes)"
assert_true "maps lists $M with count 1000" grep -q "^$M key_size 8 value_size 8 max_entries [0-9]* count 1000\$" "$DBG/maps"

B=$DBG/$M/buckets
assert_eq "buckets has one line per bucket" 256 "$(wc -l < "$B")"
assert_eq "buckets lines are numbered 0..255 in order" 0 \
	"$(awk '$1 != NR - 1 { bad++ } END { print bad + 0 }' "$B")"
assert_eq "buckets: live slots drawn = count" 1000 "$(live_slots "$B")"
assert_eq "buckets: chain lengths sum to buckets + noverflow" \
	"$((256 + $(field "$S" noverflow)))" "$(awk '{ s += $2 } END { print s }' "$B")"
assert_eq "buckets: 8 slots drawn per bucket of each chain" 0 \
	"$(awk '{ n = 0; for (i = 3; i <= NF; i++) if ($i != "|") n++; if (n != 8 * $2) bad++ } END { print bad + 0 }' "$B")"
assert_eq "old_buckets is empty when not growing" 0 "$(wc -l < "$DBG/$M/old_buckets")"

D=$DBG/$M/dump
assert_eq "dump has one line per entry" 1000 "$(wc -l < "$D")"
assert_eq "dump: 1000 distinct keys" 1000 "$(cut -d' ' -f1 "$D" | sort -u | wc -l)"
for i in 0 1 258 499 999; do
	assert_eq "dump: entry $i ($(keyhex $i) $(valhex $i))" 1 "$(grep -c "^$(keyhex $i) $(valhex $i)\$" "$D")"
done
hist_check "$DBG/$M" "" 1000
assert_eq "histogram has no old part when not growing" 0 "$(grep -c '^old ' "$DBG/$M/histogram")"

hmapctl del $M 0x$(keyhex 0) && hmapctl put $M 0x$(keyhex 1) v1x ||
	fail "hmapctl del/put: exit $?"
assert_eq "after a delete: count" 999 "$(field "$S" count)"
assert_eq "after a delete: deletes" 1 "$(field "$S" deletes)"
assert_eq "after a replace: updates" 1 "$(field "$S" updates)"
assert_eq "after a delete: dump lines" 999 "$(wc -l < "$D")"
assert_eq "dump shows the new value of entry 1" 1 "$(grep -c "^$(keyhex 1) 7631780000000000\$" "$D")"
hmapctl clear $M
assert_eq "after clear: count" 0 "$(field "$S" count)"
assert_eq "after clear: dump empty" 0 "$(wc -l < "$D")"
assert_eq "after clear: live slots" 0 "$(live_slots "$B")"
hmapctl destroy $M
assert_true "destroy removes $DBG/$M" test ! -e "$DBG/$M"
assert_true "destroy removes $M from maps" sh -c "! grep -q '^$M ' $DBG/maps"

G=e2e_grow
note "2. a grow, one insert at a time (load factor 6.5: 832 entries fit 128 buckets)"
hmapctl create $G key_size 8 value_size 8 || die "hmapctl create $G: exit $?"
S=$DBG/$G/stats
put $G 0 832
assert_eq "832 entries: B" 7 "$(field "$S" B)"
assert_eq "832 entries: growing" no "$(field "$S" growing)"
grows=$(field "$S" grows)

# Readers of every file while the map grows; and later while it is destroyed.
( while [ -d "$DBG/$G" ]; do
	cat "$DBG/$G/buckets" "$DBG/$G/old_buckets" "$DBG/$G/dump" \
		"$DBG/$G/histogram" "$DBG/$G/stats" "$DBG/maps" > /dev/null 2>&1
done ) &
reader=$!

# The 833rd insert starts the grow. One process goes on inserting one entry
# at a time, printing "ID growing nevacuate B old_B old_buckets" after each,
# and copies the debugfs files to $F the first time they show the grow
# consistently (after idle 50 ms a worker finishes a grow: a script reading
# the files one by one would find it over).
F=/tmp/grow
mkdir -p $F
put $G 832 1100 -s $F growing nevacuate B old_B old_buckets > /tmp/watch 2> /tmp/watch.err
sed 's/^/# /' /tmp/watch.err
assert_eq "watched 268 inserts" 268 "$(wc -l < /tmp/watch)"
assert_eq "the 833rd insert starts a double grow: growing B old_B old_buckets" \
	"double 8 7 128" "$(head -n 1 /tmp/watch | cut -d' ' -f2,4-6)"
assert_eq "grows counter +1" $((grows + 1)) "$(field "$S" grows)"

note "the grow as debugfs showed it in $F:"
sed 's/^/#   /' $F/stats 2> /dev/null | head -n 10
if [ -s $F/stats ]; then
	n=$(field $F/stats nevacuate)
	cnt=$(field $F/stats count)
	assert_eq "growing: stats say double" double "$(field $F/stats growing)"
	assert_eq "growing: buckets file has 256 lines" 256 "$(wc -l < $F/buckets)"
	assert_eq "growing: old_buckets file has 128 lines" 128 "$(wc -l < $F/old_buckets)"
	old_lines=$(grep -c '^old ' $F/histogram)
	[ "$old_lines" -gt 0 ] && pass "growing: histogram has an old part ($old_lines lines)" ||
		fail "growing: histogram has no old part"
	hist_check $F "old "
	oe=$(sed -n 's/^old evacuated: //p' $F/histogram)
	[ "${oe:-x}" -ge "$n" ] 2> /dev/null && [ "$oe" -le 128 ] &&
		pass "old evacuated ($oe) between nevacuate ($n) and 128" ||
		fail "old evacuated '$oe', nevacuate $n"
	# Evacuated old buckets show their marks (ex, ey, e_), not live tophashes.
	ev=$(awk -v n="$n" '$1 < n { for (i = 3; i <= NF; i++) if ($i ~ /^[0-9a-f][0-9a-f]$/) bad++ } END { print bad + 0 }' $F/old_buckets)
	assert_eq "old buckets below nevacuate ($n) hold no live slot" 0 "$ev"
	assert_eq "live slots of both arrays = count" "$cnt" \
		"$(($(live_slots $F/buckets) + $(live_slots $F/old_buckets)))"
else
	fail "no consistent copy of the debugfs files during the grow"
fi

# The watch: while growing, nevacuate stays within the old array and
# moves forward with the writes.
n=$(head -n 1 /tmp/watch | cut -d' ' -f3)
steps=$(awk '$2 == "double" { n++ } END { print n + 0 }' /tmp/watch)
bad=$(awk '$2 == "double" { if ($3 < n || $3 > 128) bad++; n = $3 } END { print bad + 0 }' /tmp/watch)
last=$(awk '$2 == "double" { n = $3 } END { print n + 0 }' /tmp/watch)
stuck=$(awk 'NR > 1 && $2 == "double" { if ($3 <= n) s++ } { n = $3 } END { print s + 0 }' /tmp/watch)
assert_eq "nevacuate between 0 and 128, never going back, over $steps inserts ($n -> $last)" 0 "$bad"
[ "$last" -gt "$n" ] && pass "nevacuate increased with writes ($n -> $last; $stuck inserts left it as it was)" ||
	fail "nevacuate did not increase ($n -> $last)"
[ "$steps" -le 128 ] && pass "the grow finished after $steps inserts (<= 128 old buckets)" ||
	fail "the grow took more than $steps inserts for 128 old buckets"
assert_eq "after the grow: growing" no "$(field "$S" growing)"
i=1100
assert_eq "after the grow: B" 8 "$(field "$S" B)"
assert_eq "after the grow: old_buckets" 0 "$(field "$S" old_buckets)"
assert_eq "after the grow: count" "$i" "$(field "$S" count)"
assert_eq "after the grow: old_buckets file empty" 0 "$(wc -l < "$DBG/$G/old_buckets")"
assert_eq "after the grow: dump lines" "$i" "$(wc -l < "$DBG/$G/dump")"
hist_check "$DBG/$G" "" "$i"

# Destroy while the reader loop is inside the files.
hmapctl destroy $G
wait $reader
assert_true "destroy under readers: $DBG/$G gone" test ! -e "$DBG/$G"
assert_eq "maps is empty" "" "$(cat "$DBG/maps")"
splat_check
e2e_done
