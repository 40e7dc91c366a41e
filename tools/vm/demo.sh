#!/bin/sh
# The session `make demo` shows, in the stock VM with hmap.ko loaded:
# create a map, put and get keys, grow it, and watch the table through
# hmapctl and debugfs. Run by tools/vm/run tools/vm/demo.sh.
set -e
D=/sys/kernel/debug/hmap
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; "$@"; }

run hmapctl create demo key_size 8 value_size 16
run hmapctl put demo alice "likes maps"
run hmapctl put demo bob hex 01 02 03 04
run hmapctl get demo alice
run hmapctl get demo bob
say "hmapctl put demo alice again noexist   # refused: the key exists"
hmapctl put demo alice again noexist || echo "(exit status $?)"
run hmapctl list

say "insert k1..k50: 52 entries is the most 8 buckets hold (6.5 per bucket)"
i=1
while [ $i -le 50 ]; do hmapctl put demo "k$i" "value $i"; i=$((i + 1)); done
grep -E '^(count|B|growing):' $D/demo/stats
run hmapctl put demo k51 "value 51"
say "hmapctl snapshot demo   # the 53rd entry started a grow to 16 buckets"
hmapctl snapshot demo
say "cat $D/demo/old_buckets   # the array being evacuated: ex/ey = moved to X/Y, e_ = empty"
cat $D/demo/old_buckets
say "each write evacuates at most two old buckets; watch nevacuate"
for k in k52 k53 k54 k55; do
	hmapctl put demo "$k" "value"
	grep -E '^(growing|nevacuate|old_buckets):' $D/demo/stats | tr '\n' ' '
	echo
done
say "more writes finish the grow"
i=56
while [ $i -le 80 ]; do hmapctl put demo "k$i" "value $i"; i=$((i + 1)); done
run cat $D/demo/stats
say "cat $D/demo/buckets   # index, chain length, tophash per slot (__ empty rest, .. empty one)"
cat $D/demo/buckets
run cat $D/demo/histogram
run hmapctl del demo k1
say "hmapctl get demo k1"
hmapctl get demo k1 || echo "(exit status $?)"
say "hmapctl dump demo | head -5"
hmapctl dump demo | head -5
say "hmapctl -j stats demo"
hmapctl -j stats demo
echo
run hmapctl destroy demo
run hmapctl list
