#!/bin/sh
# init (PID 1) of the user-mode kernel that tools/bench/run-uml boots with
# the host's root as hostfs. Never run it on the host.
#
#   KDIR/linux ... init=<repo>/tools/bench/uml/init.sh -- STAGE
#
# STAGE (a directory run-uml made) holds hmap.ko, hmap_bench.ko and
# params, hmap_bench.ko's module parameters on one line. Mounts proc,
# sysfs and debugfs (no tmpfs over /tmp: it would hide the host's files),
# loads hmap.ko, then hmap_bench.ko (which runs the whole benchmark in its
# init), copies /sys/kernel/debug/hmap_bench/results to STAGE/results and
# the console, unloads both, writes the exit status (0, or 1 if a step
# failed or the results report errors) to STAGE/rc and powers off.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

stage=${1:?usage: init.sh STAGE}
rc=0

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug

params=$(cat "$stage/params" 2>/dev/null)
echo "=== hmap_bench.ko in UML: kernel $(uname -r), $(nproc) CPU ==="
echo "params:${params:+ }${params:-(defaults)}"
if insmod "$stage/hmap.ko"; then
	# shellcheck disable=SC2086 # one word per parameter
	if insmod "$stage/hmap_bench.ko" $params; then
		cat /sys/kernel/debug/hmap_bench/results > "$stage/results" || rc=1
		cat "$stage/results"
		grep -q '^ERROR' "$stage/results" && rc=1
		rmmod hmap_bench || rc=1
	else
		echo "init.sh: insmod hmap_bench.ko failed" >&2
		rc=1
	fi
	rmmod hmap || rc=1
else
	echo "init.sh: insmod hmap.ko failed" >&2
	rc=1
fi
echo "$rc" > "$stage/rc"
sync

umount /sys/kernel/debug /sys /proc 2>/dev/null
# reboot(2) straight away: there is no init system to ask.
if command -v busybox > /dev/null; then
	busybox poweroff -f
fi
poweroff -f
# PID 1 must not exit (the kernel would panic): wait for run-uml's timeout.
while :; do sleep 3600; done
