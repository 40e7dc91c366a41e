#!/bin/sh
# Self-test of hmap-json (host or VM): valid documents pass and give their
# fields, invalid ones fail.   ./_json_selftest.sh [PATH-TO-hmap-json]
# Prints KTAP (one case per document); exit status 1 if a case failed.
J=${1:-hmap-json}
n=0 failn=0 out=
result() {	# result OK NAME [DIAGNOSTIC]
	n=$((n + 1))
	if [ "$1" = 1 ]; then
		out="$out
ok $n $2"
	else
		failn=$((failn + 1))
		out="$out
# $3
not ok $n $2"
	fi
}
good() {	# good DOC PATH EXPECTED
	got=$(printf '%s' "$1" | "$J" "$2" 2>&1)
	[ "$got" = "$3" ] && ok=1 || ok=0
	result $ok "valid_$((n + 1))_gives_its_field" "'$1' $2: got '$got', expected '$3'"
}
bad() {	# bad DOC
	printf '%s' "$1" | "$J" > /dev/null 2>&1 && ok=0 || ok=1
	result $ok "invalid_$((n + 1))_is_rejected" "accepted invalid '$1'"
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
printf 'KTAP version 1\n1..%d%s\n' "$n" "$out"
[ "$failn" = 0 ]
