# Helpers shared by tools/vm/run and tools/check (sourced, not executed).
#
# Layout of generated files (none of them in git):
#   $HMAP_BUILD (default <repo>/build)/<kernel>/   a copy of the sources where
#       the module is built for one kernel, so builds for the stock and the
#       debug kernel never clobber each other or the source tree
#   $HMAP_BUILD/logs/                                build and console logs
#   $HMAP_CACHE (default /var/cache/hmap)/           the debug kernel build
#       (tools/vm/build-kernel), shared by every clone on the machine

hmap_vm_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
hmap_repo=$(cd "$hmap_vm_dir/../.." && pwd)
HMAP_BUILD=${HMAP_BUILD:-$hmap_repo/build}
HMAP_CACHE=${HMAP_CACHE:-/var/cache/hmap}
hmap_logs=$HMAP_BUILD/logs

# stock_kver: release of Debian's stock 6.12 kernel, e.g. 6.12.117+deb12-amd64.
# Taken from the linux-image-6.12-amd64 metapackage (what deps installs);
# falls back to the newest /boot/vmlinuz-6.12.*-amd64 that has headers.
stock_kver() {
	local v
	v=$(dpkg-query -W -f='${Depends}' linux-image-6.12-amd64 2>/dev/null |
		sed -n 's/^linux-image-\([^ ,|]*\).*/\1/p')
	if [ -z "$v" ] || [ ! -f "/boot/vmlinuz-$v" ] || [ ! -d "/lib/modules/$v/build" ]; then
		v=$(for f in /boot/vmlinuz-6.12.*-amd64; do
			f=${f#/boot/vmlinuz-}
			[ -d "/lib/modules/$f/build" ] && echo "$f"
		done | sort -V | tail -n1)
	fi
	[ -n "$v" ] || { echo "no stock 6.12 kernel with headers (run tools/vm/deps)" >&2; return 1; }
	echo "$v"
}

# kernel_kdir FRAGMENT: build (or reuse) the kernel of tools/vm/FRAGMENT;
# prints its build directory. The lock keeps two clones (or two runs) from
# building at once; a kernel already built is reused without waiting for it.
kernel_kdir() {
	"$hmap_vm_dir/build-kernel" --built "$hmap_vm_dir/$1" && return 0
	mkdir -p "$HMAP_CACHE"
	flock "$HMAP_CACHE/.build-kernel.lock" \
		"$hmap_vm_dir/build-kernel" "$hmap_vm_dir/$1"
}

# The debug kernel (tools/vm/debug.config), the KCSAN kernel (kcsan.config)
# and the PREEMPT_RT debug kernel (rt.config).
debug_kdir() { kernel_kdir debug.config; }
kcsan_kdir() { kernel_kdir kcsan.config; }
rt_kdir() { kernel_kdir rt.config; }

# Names of files that kbuild generates: never copied into a build directory
# (a stale .o from another kernel would look up to date there).
_kbuild_products=(-name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c'
	-o -name '*.cmd' -o -name '*.a' -o -name '*.order' -o -name 'Module.symvers'
	-o -name '*.d' -o -name '*.symtypes' -o -name '*.lst' -o -name '*.tmp')

# _source_files DIR: the source files under DIR, relative, NUL-separated.
_source_files() {
	(cd "$1" && find . \( -path ./.git -o -path ./build -o -path "./${HMAP_BUILD#"$hmap_repo"/}" \) -prune \
		-o -type f ! \( "${_kbuild_products[@]}" \) -print0 | sort -z)
}

# sync_sources DEST: make DEST a copy of the source tree. Timestamps are kept,
# so make rebuilds only what changed; files deleted from the tree go too.
sync_sources() {
	local dest=$1
	mkdir -p "$dest"
	_source_files "$hmap_repo" | tar -C "$hmap_repo" --null -T - -cf - | tar -C "$dest" -xf -
	# Delete sources that are no longer in the tree.
	comm -z -13 <(_source_files "$hmap_repo") <(_source_files "$dest") |
		(cd "$dest" && xargs -0 -r rm -f --)
}

# build_module KDIR NAME [MAKE ARGS...]: build the module(s) against KDIR in
# $HMAP_BUILD/NAME; prints that directory. On failure prints the log's tail.
build_module() {
	local kdir=$1 name=$2
	shift 2
	local bdir=$HMAP_BUILD/$name log=$hmap_logs/build-$name.log
	mkdir -p "$bdir" "$hmap_logs"
	(
		flock 9
		sync_sources "$bdir"
		make -C "$kdir" M="$bdir" -j"$(nproc)" "$@" modules > "$log" 2>&1
	) 9> "$bdir.lock" || {
		tail -n 40 "$log" >&2
		echo "build of the module for $name failed; log: $log" >&2
		return 1
	}
	echo "$bdir"
}

# The tool directories whose static programs go into the VM (tools/T):
# `make -C tools/T static` builds them as tools/T/*-static.
hmap_static_dirs=(hmapctl e2e)

# build_static_tools: build the static programs for the VM (hmapctl, the
# e2e test programs...), in the source tree (userspace: the same for every
# kernel). Prints the paths of the binaries to put in the VM: each
# executable tools/T/*-static of a directory whose build succeeded. A
# failed build is a warning (with its log's tail): scripts that need its
# programs fail, the others (KUnit, smoke test) still run.
build_static_tools() {
	local t dir log f
	mkdir -p "$hmap_logs"
	for t in "${hmap_static_dirs[@]}"; do
		dir=$hmap_repo/tools/$t
		log=$hmap_logs/build-$t-static.log
		# The lock: VMs started at once (tools/check runs several) build in turn.
		if ! flock "$hmap_logs/.static-$t.lock" make -C "$dir" static > "$log" 2>&1; then
			tail -n 20 "$log" >&2
			echo "WARNING: static build in $dir failed (log: $log); its programs are left out of the VM" >&2
			continue
		fi
		for f in "$dir"/*-static; do
			[ -f "$f" ] && [ -x "$f" ] && echo "$f"
		done
	done
	return 0
}

# now: seconds since the epoch, with decimals, for stage timings.
now() { date +%s.%N; }
# elapsed START: seconds since START, one decimal.
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }
