#!/bin/sh
# /sys/kernel/debug/hmap/: maps, and per map stats, shards, buckets,
# old_buckets, histogram and dump, checked against what was inserted; then a
# grow watched one insert at a time, with readers of every file running
# meanwhile, and a destroy while they read; then a map of shards (hmapctl
# create ... shard_bits S): its stats and histogram the sums over the
# shards, a line per shard in shards, SHARD:INDEX lines in buckets. Maps are made and changed with
# hmapctl; bulk inserts with hmap-fill insert (one process, not one
# per entry: the debug kernel under TCG starts processes slowly), whose
# entry i has the key i (8 bytes, little-endian) and bytes i * 7 + j as value.
#   tools/vm/run [--debug] tools/e2e/debugfs.sh
. ./lib.sh

need hmapctl
need hmap-fill
[ -d "$DBG" ] || die "$DBG missing (debugfs not mounted, or hmap not loaded)"
[ -f "$DBG/maps" ] || die "$DBG/maps missing"

# put MAP FROM TO [FIELD...]: inserts entries FROM..TO-1 (key 8, value 8).
put() {
	_m=$1 _from=$2 _to=$3
	shift 3
	hmap-fill insert "$_m" 8 8 "$_from" "$_to" "$@" || fail "insert $_m $_from..$_to: exit $?"
}

# settle MAP: waits (20 s at most) until no shard of MAP is resizing.
settle() {
	_i=0
	while [ "$(field "$DBG/$1/stats" growing)" != no ] && [ $_i -lt 20 ]; do
		sleep 1
		_i=$((_i + 1))
	done
}

# keyhex I, valhex I: entry I's key and value in hex, as debugfs dumps them.
keyhex() { printf '%02x%02x%02x%02x00000000' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24)); }
valhex() { awk -v i="$1" 'BEGIN { for (j = 0; j < 8; j++) printf "%02x", (i * 7 + j) % 256; print "" }'; }

# live_slots FILE: the live slots drawn in a buckets file (two hex digits;
# the markers __ .. ex ey e_ are not hex).
live_slots() { awk '{ for (i = 3; i <= NF; i++) if ($i ~ /^[0-9a-f][0-9a-f]$/) n++ } END { print n + 0 }' "$1"; }

# hist_check HISTOGRAM STATS PREFIX [COUNT]: the histogram file (its
# current part with PREFIX "", the old one with "old ") sums up: chains =
# buckets, buckets by slots = buckets + noverflow (from the STATS file),
# live slots = COUNT (if given).
hist_check() {
	h=$1 st=$2 p=$3
	nb=$(sed -n "s/^${p}buckets: //p" "$h")
	chains=$(sed -n "s/^${p}chain [0-9]*+*: //p" "$h" | awk '{ s += $1 } END { print s + 0 }')
	slots=$(sed -n "s/^${p}slots [0-9]*: //p" "$h" | awk '{ s += $1 } END { print s + 0 }')
	live=$(sed -n "s/^${p}slots \([0-9]*\): /\1 /p" "$h" | awk '{ s += $1 * $2 } END { print s + 0 }')
	if [ -z "$p" ]; then novf=$(field "$st" noverflow); else novf=$(field "$st" old_noverflow); fi
	assert_eq "histogram ${p}chains sum to ${p}buckets ($nb)" "$nb" "$chains"
	assert_eq "histogram ${p}buckets by slots = ${p}buckets + ${p}noverflow ($nb + $novf)" \
		"$((nb + novf))" "$slots"
	[ -z "$4" ] || assert_eq "histogram ${p}live slots = count" "$4" "$live"
}

M=e2e_dbg
note "1. a map of 1000 entries (key 8, value 8): every file"
hmapctl create $M key_size 8 value_size 8 || die "hmapctl create $M: exit $?"
assert_true "maps lists $M, count 0" grep -q "^$M key_size 8 value_size 8 max_entries [0-9]* count 0\$" "$DBG/maps"
for f in stats shards buckets old_buckets histogram dump; do
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
assert_eq "stats shard_bits: 0 (one table)" 0 "$(field "$S" shard_bits)"
assert_eq "stats evac_delay_ms: 50, the default" 50 "$(field "$S" evac_delay_ms)"
SH_HEAD="shard count B buckets noverflow growing old_B old_buckets nevacuate memory id"
assert_eq "shards: the header line" "$SH_HEAD" "$(head -n 1 "$DBG/$M/shards")"
assert_eq "shards of a one-table map: one line, shard 0 (count, B, buckets, noverflow, growing)" \
	"0 1000 8 256 $(field "$S" noverflow) no" "$(sed -n 2p "$DBG/$M/shards" | cut -d' ' -f1-6)"
assert_eq "shards of a one-table map: 2 lines in all" 2 "$(wc -l < "$DBG/$M/shards")"
assert_eq "stats growing" no "$(field "$S" growing)"
assert_eq "stats key_size" 8 "$(field "$S" key_size)"
assert_eq "stats value_size" 8 "$(field "$S" value_size)"
assert_eq "stats inserts" 1000 "$(field "$S" inserts)"
assert_eq "stats deletes" 0 "$(field "$S" deletes)"
assert_true "maps lists $M with count 1000" grep -q "^$M key_size 8 value_size 8 max_entries [0-9]* count 1000\$" "$DBG/maps"

# The run-time counters read "off" while no HMAP_IOC_ENABLE_STATS file is
# open; a holder (hmapctl stats NAME sample) turns them on for every map,
# and they go off again when it dies, however it dies.
for f in lookups hits misses reader_retries; do
	assert_eq "stats $f: off (run-time statistics off)" off "$(field "$S" $f)"
done
assert_eq "stats: every other line is a number" 0 \
	"$(grep -v -E '^(lookups|hits|misses|reader_retries): off$' "$S" | grep -v '^growing: ' | grep -c -v -E '^[a-z_A-Z]+: [0-9]+$')"
hmapctl stats $M sample 600 > /dev/null 2>&1 &
holder=$!
i=0
while [ "$(field "$S" hits)" = off ] && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
h0=$(field "$S" hits) m0=$(field "$S" misses) l0=$(field "$S" lookups)
assert_true "with a holder: hits is a number ($h0)" test "$h0" -ge 0
assert_eq "with a holder: reader_retries is a number" 0 "$(field "$S" reader_retries)"
hmapctl get $M 0x$(keyhex 5) > /dev/null
hmapctl get $M 0x$(keyhex 6) > /dev/null
hmapctl get $M 0x$(keyhex 5000) > /dev/null 2>&1
assert_eq "with a holder: 2 hits counted" $((h0 + 2)) "$(field "$S" hits)"
assert_eq "with a holder: 1 miss counted" $((m0 + 1)) "$(field "$S" misses)"
assert_eq "with a holder: lookups = hits + misses" $((l0 + 3)) "$(field "$S" lookups)"
kill -9 $holder
wait $holder 2> /dev/null
assert_eq "holder killed: hits off again" off "$(field "$S" hits)"
assert_eq "holder killed: lookups off again" off "$(field "$S" lookups)"

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
hist_check "$DBG/$M/histogram" "$S" "" 1000
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
note "2. grows (load factor 6.5: 416 entries fit 64 buckets, 832 fit 128, 1664 fit 256)"
# The worker finishes a grow evac_delay_ms after the last write: 50 ms by
# default, less than the debug kernel takes to read a file of a few
# hundred lines under TCG. This map's worker waits 1 s.
hmapctl create $G key_size 8 value_size 8 evac_delay_ms 1000 || die "hmapctl create $G: exit $?"
S=$DBG/$G/stats
assert_eq "stats evac_delay_ms: as created" 1000 "$(field "$S" evac_delay_ms)"

# Grows up to 256 buckets: the files as they show a grow under way. One
# process inserts one entry at a time and, while a grow from 32 old
# buckets or more is under way, copies the files at moments when the
# stats did not move while it read them: buckets and old_buckets (with
# stats.0), then histogram (with stats.1). It also prints "ID growing B
# old_B old_buckets" after each insert.
F=/tmp/grow
mkdir -p $F
put $G 0 1100 -s $F growing B old_B old_buckets > /tmp/watch1 2> /tmp/watch1.err
sed 's/^/# /' /tmp/watch1.err
assert_eq "832 entries: not growing, B 7" "no 7" "$(grep '^831 ' /tmp/watch1 | cut -d' ' -f2,3)"
assert_eq "the 833rd insert starts a double grow: growing B old_B old_buckets" \
	"double 8 7 128" "$(grep '^832 ' /tmp/watch1 | cut -d' ' -f2-5)"
assert_eq "grows counter: 8 (to 2, 4, ... 256 buckets)" 8 "$(field "$S" grows)"
if [ -s $F/stats.0 ]; then
	n=$(field $F/stats.0 nevacuate)
	cnt=$(field $F/stats.0 count)
	b=$(field $F/stats.0 B) ob=$(field $F/stats.0 old_B)
	nb=$((1 << b)) nob=$((1 << ob))
	note "buckets and old_buckets copied at count $cnt, B $b, old_B $ob, nevacuate $n"
	assert_eq "growing: stats say double" double "$(field $F/stats.0 growing)"
	assert_eq "growing: B = old_B + 1" $((ob + 1)) "$b"
	assert_eq "growing: buckets file has 2^B lines" $nb "$(wc -l < $F/buckets)"
	assert_eq "growing: old_buckets file has 2^old_B lines" $nob "$(wc -l < $F/old_buckets)"
	assert_eq "growing: old_buckets lines numbered 0..2^old_B-1" 0 \
		"$(awk '$1 != NR - 1 { bad++ } END { print bad + 0 }' $F/old_buckets)"
	# Evacuated old buckets show their marks (ex, ey, e_), not live tophashes.
	ev=$(awk -v n="$n" '$1 < n { for (i = 3; i <= NF; i++) if ($i ~ /^[0-9a-f][0-9a-f]$/) bad++ } END { print bad + 0 }' $F/old_buckets)
	assert_eq "old buckets below nevacuate ($n) hold no live slot" 0 "$ev"
	marks=$(awk -v n="$n" '$1 < n { for (i = 3; i <= NF; i++) if ($i ~ /^e[xy_]$/) m++ } END { print m + 0 }' $F/old_buckets)
	[ "$n" = 0 ] || { [ "$marks" -gt 0 ] && pass "evacuated old buckets show ex/ey/e_ marks ($marks)" ||
		fail "no evacuation marks below nevacuate $n"; }
	assert_eq "live slots of both arrays = count" "$cnt" \
		"$(($(live_slots $F/buckets) + $(live_slots $F/old_buckets)))"
else
	fail "no consistent copy of buckets and old_buckets during a grow"
fi
if [ -s $F/stats.1 ]; then
	n=$(field $F/stats.1 nevacuate)
	nob=$(field $F/stats.1 old_buckets)
	old_lines=$(grep -c '^old ' $F/histogram)
	[ "$old_lines" -gt 0 ] && pass "growing: histogram has an old part ($old_lines lines)" ||
		fail "growing: histogram has no old part"
	hist_check $F/histogram $F/stats.1 "old "
	hist_check $F/histogram $F/stats.1 ""
	oe=$(sed -n 's/^old evacuated: //p' $F/histogram)
	[ "${oe:-x}" -ge "$n" ] 2> /dev/null && [ "$oe" -le "$nob" ] &&
		pass "old evacuated ($oe) between nevacuate ($n) and old_buckets ($nob)" ||
		fail "old evacuated '$oe', nevacuate $n, old_buckets $nob"
else
	fail "no consistent copy of histogram during a grow"
fi
settle $G
assert_eq "after grow 1: growing" no "$(field "$S" growing)"
assert_eq "after grow 1: B" 8 "$(field "$S" B)"
assert_eq "after grow 1: count" 1100 "$(field "$S" count)"

# The next grows (from the 1665th and the 3329th insert) watched insert
# by insert, "ID growing nevacuate old_buckets" after each: nevacuate stays
# within the old array, never goes back, and moves forward with the writes
# (a grow whose inserts came more than 1 s apart may have been finished by
# the worker instead: one grow seen moving is enough).
put $G 1100 4000 growing nevacuate old_buckets > /tmp/watch
assert_eq "watched 2900 inserts" 2900 "$(wc -l < /tmp/watch)"
assert_eq "the 1665th insert starts the next grow" "1664 double" "$(grep -m1 ' double ' /tmp/watch | cut -d' ' -f1,2)"
awk '
	$2 == "double" {
		if (!run) { first = $3; prev = $3; run = 1; len = 0; grows++ }
		if ($3 < prev || $3 > $4) bad++
		prev = $3; len++
		next
	}
	run { if (prev > first) moved++; printf "# grow %d: %d inserts while growing, nevacuate %d -> %d\n", grows, len, first, prev; run = 0 }
	END { print "bad " bad + 0; print "grows " grows + 0; print "moved " moved + 0 }
' /tmp/watch > /tmp/watch.sum
grep '^#' /tmp/watch.sum
assert_eq "two grows seen" 2 "$(sed -n 's/^grows //p' /tmp/watch.sum)"
assert_eq "nevacuate between 0 and old_buckets, never going back" 0 "$(sed -n 's/^bad //p' /tmp/watch.sum)"
moved=$(sed -n 's/^moved //p' /tmp/watch.sum)
[ "$moved" -ge 1 ] && pass "nevacuate increased with writes ($moved of 2 grows)" ||
	fail "nevacuate did not increase with writes in any grow"
settle $G
assert_eq "after the grows: growing" no "$(field "$S" growing)"
assert_eq "after the grows: B" 10 "$(field "$S" B)"
assert_eq "after the grows: old_buckets" 0 "$(field "$S" old_buckets)"
assert_eq "after the grows: count" 4000 "$(field "$S" count)"
assert_eq "after the grows: old_buckets file empty" 0 "$(wc -l < "$DBG/$G/old_buckets")"
assert_eq "after the grows: buckets file has 1024 lines" 1024 "$(wc -l < "$DBG/$G/buckets")"
assert_eq "after the grows: dump lines" 4000 "$(wc -l < "$DBG/$G/dump")"
hist_check "$DBG/$G/histogram" "$S" "" 4000

note "3. readers of every file while the map grows again; destroy under them"
( while [ -d "$DBG/$G" ]; do
	cat "$DBG/$G/buckets" "$DBG/$G/old_buckets" "$DBG/$G/dump" \
		"$DBG/$G/histogram" "$DBG/$G/stats" "$DBG/maps" > /dev/null 2>&1
done ) &
reader=$!
put $G 4000 7000		# a grow at the 6657th insert
assert_eq "count with readers running" 7000 "$(field "$S" count)"
hmapctl destroy $G
wait $reader
assert_true "destroy under readers: $DBG/$G gone" test ! -e "$DBG/$G"
assert_eq "maps is empty" "" "$(cat "$DBG/maps")"

# shards_check MAP S COUNT: the shards file of MAP (2^S shards, COUNT
# entries, settled) against its stats; then buckets, dump and histogram.
shards_check() {
	_m=$1 _s=$2 _n=$3
	_st=$DBG/$_m/stats _sh=$DBG/$_m/shards _b=$DBG/$_m/buckets
	_ns=$((1 << _s))
	cp "$_sh" /tmp/shards
	cp "$_b" /tmp/buckets
	assert_eq "$_m: stats shard_bits" "$_s" "$(field "$_st" shard_bits)"
	assert_eq "$_m: stats count" "$_n" "$(field "$_st" count)"
	assert_eq "$_m: shards: the header line" "$SH_HEAD" "$(head -n 1 /tmp/shards)"
	assert_eq "$_m: shards: a line per shard (2^$_s) after the header" "$_ns" \
		"$(($(wc -l < /tmp/shards) - 1))"
	assert_eq "$_m: shards: lines of 11 fields, shards 0..$((_ns - 1)) in order" 0 \
		"$(awk 'NR > 1 && (NF != 11 || $1 != NR - 2) { bad++ } END { print bad + 0 }' /tmp/shards)"
	assert_eq "$_m: shards: each shard's id its own, none the map's ($(field "$_st" id))" "$_ns" \
		"$(awk -v id="$(field "$_st" id)" 'NR > 1 && $11 != id { print $11 }' /tmp/shards | sort -u | wc -l)"
	assert_eq "$_m: shards: the counts sum to stats count" "$_n" \
		"$(awk 'NR > 1 { s += $2 } END { print s + 0 }' /tmp/shards)"
	assert_eq "$_m: shards: every shard holds some entries" 0 \
		"$(awk 'NR > 1 && $2 == 0 { bad++ } END { print bad + 0 }' /tmp/shards)"
	nb=$(awk 'NR > 1 { s += $4 } END { print s + 0 }' /tmp/shards)
	assert_eq "$_m: shards: the buckets sum to stats buckets" "$(field "$_st" buckets)" "$nb"
	assert_eq "$_m: shards: each shard's buckets = 2^B" 0 \
		"$(awk 'NR > 1 { p = 1; for (i = 0; i < $3; i++) p *= 2; if ($4 != p) bad++ } END { print bad + 0 }' /tmp/shards)"
	assert_eq "$_m: shards: the largest B is stats B" "$(field "$_st" B)" \
		"$(awk 'NR > 1 && $3 > b { b = $3 } END { print b + 0 }' /tmp/shards)"
	novf=$(awk 'NR > 1 { s += $5 } END { print s + 0 }' /tmp/shards)
	assert_eq "$_m: shards: noverflow sums to stats noverflow" "$(field "$_st" noverflow)" "$novf"
	assert_eq "$_m: shards: settled, every shard 'no' growing, no old buckets" 0 \
		"$(awk 'NR > 1 && ($6 != "no" || $8 != 0) { bad++ } END { print bad + 0 }' /tmp/shards)"
	assert_eq "$_m: buckets: one line per bucket of every shard" "$nb" "$(wc -l < /tmp/buckets)"
	assert_eq "$_m: buckets: every line starts SHARD:INDEX" 0 \
		"$(grep -c -v -E '^[0-9]+:[0-9]+ [0-9]+ ' /tmp/buckets)"
	# Shard after shard, each one's indices 0..buckets-1 in order.
	awk 'NR > 1 { print $1, $4 }' /tmp/shards > /tmp/shards.nb
	assert_eq "$_m: buckets: shard after shard, indices 0..2^B-1 of each" 0 \
		"$(awk 'BEGIN { n = 0; sh = 0; idx = 0 }
			NR == FNR { want[n++] = $2; next }
			{ if ($1 != (sh ":" idx)) bad++
			  if (++idx == want[sh]) { sh++; idx = 0 } }
			END { if (sh != n) bad++; print bad + 0 }' /tmp/shards.nb /tmp/buckets)"
	assert_eq "$_m: buckets: live slots drawn = count" "$_n" \
		"$(awk '{ for (i = 3; i <= NF; i++) if ($i ~ /^[0-9a-f][0-9a-f]$/) n++ } END { print n + 0 }' /tmp/buckets)"
	assert_eq "$_m: buckets: chain lengths sum to buckets + noverflow" "$((nb + novf))" \
		"$(awk '{ s += $2 } END { print s + 0 }' /tmp/buckets)"
	assert_eq "$_m: old_buckets empty when no shard resizes" 0 "$(wc -l < "$DBG/$_m/old_buckets")"
	assert_eq "$_m: dump: a line per entry" "$_n" "$(wc -l < "$DBG/$_m/dump")"
	assert_eq "$_m: dump: $_n distinct keys" "$_n" "$(cut -d' ' -f1 "$DBG/$_m/dump" | sort -u | wc -l)"
	hist_check "$DBG/$_m/histogram" "$_st" "" "$_n"
	assert_eq "$_m: histogram: no old part when no shard resizes" 0 \
		"$(grep -c '^old ' "$DBG/$_m/histogram")"
}

SM=e2e_dbg_shards
note "4. a map of 4 shards (shard_bits 2): 500 entries, then grows watched"
if ! hmapctl create $SM key_size 8 value_size 8 shard_bits 2 evac_delay_ms 1000; then
	fail "hmapctl create $SM key_size 8 value_size 8 shard_bits 2 evac_delay_ms 1000: exit $?"
	splat_check
	checks_done
fi
assert_true "maps lists $SM as any map (no shard_bits there), count 0" \
	grep -q "^$SM key_size 8 value_size 8 max_entries [0-9]* count 0\$" "$DBG/maps"
for f in stats shards buckets old_buckets histogram dump; do
	assert_true "$SM/$f exists" test -f "$DBG/$SM/$f"
done
S=$DBG/$SM/stats
assert_eq "empty: 4 shards of one bucket each" "4 0" "$(field "$S" buckets) $(field "$S" count)"
assert_eq "empty: buckets lists 0:0 1:0 2:0 3:0" "0:0 1:0 2:0 3:0" \
	"$(cut -d' ' -f1 "$DBG/$SM/buckets" | tr '\n' ' ' | sed 's/ $//')"
assert_eq "empty: dump is empty" 0 "$(wc -l < "$DBG/$SM/dump")"
put $SM 0 500
settle $SM
shards_check $SM 2 500
assert_true "maps lists $SM with count 500" \
	grep -q "^$SM key_size 8 value_size 8 max_entries [0-9]* count 500\$" "$DBG/maps"
D=$DBG/$SM/dump
for i in 0 1 258 400 499; do
	assert_eq "dump: entry $i ($(keyhex $i) $(valhex $i))" 1 "$(grep -c "^$(keyhex $i) $(valhex $i)\$" "$D")"
done
assert_eq "stats inserts: the shards' sum" 500 "$(field "$S" inserts)"

# Each shard doubles from 32 buckets at about its 209th entry, and from 64
# at its 417th: one process inserts 500..1799 and copies buckets and
# old_buckets (then histogram) at a moment when the stats did not move
# while it read them (the worker waits 1 s, as in part 2).
F=/tmp/sgrow
rm -rf $F
mkdir -p $F
put $SM 500 1800 -s $F > /dev/null 2> /tmp/swatch.err
sed 's/^/# /' /tmp/swatch.err
if [ -s $F/stats.0 ]; then
	cnt=$(field $F/stats.0 count) nob=$(field $F/stats.0 old_buckets) nb=$(field $F/stats.0 buckets)
	note "buckets and old_buckets copied at count $cnt: buckets $nb, old_buckets $nob, growing $(field $F/stats.0 growing)"
	assert_true "growing: stats say a shard resizes" test "$(field $F/stats.0 growing)" != no
	assert_eq "growing: buckets file has stats buckets lines (all shards)" "$nb" "$(wc -l < $F/buckets)"
	assert_eq "growing: old_buckets file has stats old_buckets lines (the shards growing)" "$nob" \
		"$(wc -l < $F/old_buckets)"
	assert_eq "growing: old_buckets lines start SHARD:INDEX" 0 \
		"$(grep -c -v -E '^[0-9]+:[0-9]+ [0-9]+ ' $F/old_buckets)"
	assert_eq "growing: live slots of both arrays = count" "$cnt" \
		"$(($(live_slots $F/buckets) + $(live_slots $F/old_buckets)))"
else
	fail "no consistent copy of buckets and old_buckets while a shard grew"
fi
if [ -s $F/stats.1 ]; then
	hist_check $F/histogram $F/stats.1 "old "
	hist_check $F/histogram $F/stats.1 ""
else
	fail "no consistent copy of histogram while a shard grew"
fi
settle $SM
shards_check $SM 2 1800
assert_true "after the grows: B 7 (a shard's 450 entries need 128 buckets)" test "$(field "$S" B)" -ge 7
hmapctl destroy $SM
assert_true "destroy removes $DBG/$SM" test ! -e "$DBG/$SM"

SM8=e2e_dbg_256
note "5. a map of 256 shards (shard_bits 8), 3000 entries"
if hmapctl create $SM8 key_size 8 value_size 8 shard_bits 8; then
	put $SM8 0 3000
	settle $SM8
	assert_eq "$SM8: shards: 256 lines after the header" 256 "$(($(wc -l < "$DBG/$SM8/shards") - 1))"
	assert_eq "$SM8: shards: counts sum to 3000" 3000 \
		"$(awk 'NR > 1 { s += $2 } END { print s + 0 }' "$DBG/$SM8/shards")"
	nb=$(awk 'NR > 1 { s += $4 } END { print s + 0 }' "$DBG/$SM8/shards")
	assert_eq "$SM8: buckets: one line per bucket of every shard" "$nb" "$(wc -l < "$DBG/$SM8/buckets")"
	assert_eq "$SM8: buckets: the last line is of shard 255" 255 "$(tail -n 1 "$DBG/$SM8/buckets" | cut -d: -f1)"
	assert_eq "$SM8: dump: 3000 lines" 3000 "$(wc -l < "$DBG/$SM8/dump")"
	hist_check "$DBG/$SM8/histogram" "$DBG/$SM8/stats" "" 3000
	hmapctl destroy $SM8
else
	fail "hmapctl create $SM8 ... shard_bits 8: exit $?"
fi
assert_eq "maps is empty at the end" "" "$(cat "$DBG/maps")"
splat_check
checks_done
