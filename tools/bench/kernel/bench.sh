#!/bin/sh
# In-kernel benchmarks, run in the stock-kernel VM by tools/bench/run-kernel
# (hmap.ko already loaded; hmap_bench.ko copied next to this script,
# ioctl-vs-bpf on PATH).
#
#   bench.sh [MODULE_PARAM=VALUE...] [-- IOCTL-VS-BPF ARGS...]
#
# Loads hmap_bench.ko with the parameters (it runs the whole benchmark in
# its init), prints /sys/kernel/debug/hmap_bench/results, unloads it, then
# runs ioctl-vs-bpf. With ./hmap_patched.ko beside it (run-kernel --patch),
# the module runs a second time on that hmap, as ./hmap_bench_patched.ko
# (built against its symbol versions). With ./perf beside it (run-kernel
# --perf), each of the two runs under `perf record -a -e cpu-clock` and
# the hottest symbols are printed too (kernel symbols from /proc/kallsyms,
# read before rmmod).
# Exit status: 0, or 1 if a part failed or reported errors.
cd "$(dirname "$0")" || exit 1

params=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	params="$params $1"
	shift
done
[ "${1:-}" = -- ] && shift

# With perf: $record prefixes a command to profile it, report prints the result.
record=
if [ -f ./perf ]; then
	export HOME=/tmp
	perf() { ./ld-linux-x86-64.so.2 --library-path . ./perf "$@"; }
	record="perf record -q -N -a -e cpu-clock -F 4000 -o /tmp/perf.data --"
fi
report() {
	[ -n "$record" ] || return 0
	echo "--- perf: hottest symbols ($1) ---"
	perf report -i /tmp/perf.data --stdio --sort dso,sym --percent-limit 0.3 \
		2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 60
	echo
}

# module_bench LABEL KO: one load of the bench module KO (hmap_bench.ko,
# or the one built against the patched hmap) against the hmap.ko loaded.
module_bench() {
	echo "=== hmap_bench.ko: $1 vs rhashtable (in kernel) ==="
	echo "params:${params:- (defaults)}"
	# shellcheck disable=SC2086 # one word per parameter
	if $record insmod "$2" $params; then
		report "hmap_bench.ko $params"
		cat /sys/kernel/debug/hmap_bench/results || rc=1
		grep -q '^ERROR' /sys/kernel/debug/hmap_bench/results && rc=1
		rmmod hmap_bench || rc=1
	else
		echo "bench.sh: insmod hmap_bench.ko failed" >&2
		rc=1
	fi
	echo
}

rc=0
module_bench hmap ./hmap_bench.ko
if [ -f ./hmap_patched.ko ]; then
	# A/B: the same benchmark on hmap with run-kernel --patch's patch.
	if rmmod hmap && insmod ./hmap_patched.ko; then
		module_bench "hmap + $(cat ./patch-name)" ./hmap_bench_patched.ko
	else
		echo "bench.sh: could not swap in hmap_patched.ko" >&2
		exit 1
	fi
fi
echo "=== ioctl-vs-bpf: /dev/hmap ioctls vs a BPF hash map (from userspace) ==="
$record ioctl-vs-bpf "$@" || rc=1
report "ioctl-vs-bpf $*"
exit $rc
