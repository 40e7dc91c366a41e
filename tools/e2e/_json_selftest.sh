#!/bin/sh
# Self-test of hmap-json (host or VM): valid documents pass and give their
# fields, invalid ones fail.   ./json_selftest.sh [PATH-TO-hmap-json]
J=${1:-hmap-json}
pass=0 failn=0
good() {	# good DOC PATH EXPECTED
	got=$(printf '%s' "$1" | "$J" "$2" 2>&1)
	if [ "$got" = "$3" ]; then pass=$((pass + 1)); else failn=$((failn + 1)); echo "not ok - '$1' $2: got '$got', expected '$3'"; fi
}
bad() {	# bad DOC
	if printf '%s' "$1" | "$J" > /dev/null 2>&1; then failn=$((failn + 1)); echo "not ok - accepted invalid '$1'"; else pass=$((pass + 1)); fi
}
good '{"a": 1, "b": [true, null, "x\"y"]}' .a 1
good '{"a": 1, "b": [true, null, "x\"y"]}' '.b[2]' 'x"y'
good '{"a": 1, "b": [true, null, "x\"y"]}' .b 'array 3'
good ' [ {"name": "m", "n": -1.5e+3} ] ' '[0].n' '-1.5e+3'
good '[{"name": "m"}]' '[0].name' m
good '"\u00e9\ud83d\ude00"' . 'é😀'
good 'null' . null
good '{}' . 'object 0'
good '{"k": {"hex": "6b30", "str": "k0"}}' .k.str k0
bad ''
bad '{'
bad '{"a": 1,}'
bad '[1,]'
bad '[01]'
bad '[1.]'
bad '[.5]'
bad '{"a" 1}'
bad '{a: 1}'
bad "{'a': 1}"
bad '"tab	in string"'
bad '"\x"'
bad '"\ud800"'
bad '[1] [2]'
bad 'nul'
bad '{"a": 1, "a": 2}'
bad '[NaN]'
bad "$(printf '"\377"')"
echo "json_selftest: $pass passed, $failn failed"
[ "$failn" = 0 ]
