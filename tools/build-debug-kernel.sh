#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the 6.12-debug kernel once, into the cache, and print its directory:
# DIR/bzImage to boot and DIR/obj, a tree where `make -C DIR/obj M=...`
# builds out-of-tree modules. The directory is keyed by the source package's
# version, the config fragment and this script, so a later call with the
# same three finds it and returns at once. Called by tools/kernels.sh:
#
#   tools/build-debug-kernel.sh TARBALL SOURCE-VERSION
#
# Only what booting and building modules need is kept: the objects, vmlinux
# and the C sources are deleted after the build.
set -eu

tarball=${1:?usage: build-debug-kernel.sh TARBALL SOURCE-VERSION}
srcver=${2:?usage: build-debug-kernel.sh TARBALL SOURCE-VERSION}
top=$(cd "$(dirname "$0")/.." && pwd)
frag="$top/tools/debug.config"
CACHE=${NSTREE_CACHE:-/var/cache/nstree}
key="$(sha256sum "$frag" | cut -c1-12)-$(sha256sum "$0" | cut -c1-12)"
dir="$CACHE/debug/6.12-debug_${srcver}_$key"

[ -f "$dir/.complete" ] && { echo "$dir"; exit 0; }

mkdir -p "$CACHE/debug"
exec 8>"$CACHE/debug/.lock"
flock 8
[ -f "$dir/.complete" ] && { echo "$dir"; exit 0; }

# Everything but the final path goes to stderr: callers read stdout.
exec 3>&1 1>&2
log="$CACHE/debug/build.log"
echo "build-debug-kernel: building the 6.12-debug kernel in $dir"
echo "build-debug-kernel: (once per source version and config; log: $log)"
start=$(date +%s)
rm -rf "$dir"
mkdir -p "$dir/obj"
# An unpacked source left by a build that failed or was stopped (the
# sources are pruned only once a build succeeds) is used again: unpacking
# takes minutes on a busy disk.
spare="$CACHE/debug/.src-$srcver"
trap '[ -f "$dir/.complete" ] || [ -f "$dir/.pruned" ] || [ ! -d "$dir/src" ] ||
	{ rm -rf "$spare"; mv "$dir/src" "$spare"; }' EXIT
trap 'exit 1' INT TERM HUP
if [ -d "$spare" ]; then
	mv "$spare" "$dir/src"
else
	mkdir -p "$dir/src"
	tar -xJf "$tarball" -C "$dir/src" --strip-components=1
fi
t_extract=$(($(date +%s) - start))

# Merge the fragment through the kernel's own mechanism: a file in
# kernel/configs/ is a make target like kvm_guest.config.
cp "$frag" "$dir/src/kernel/configs/nstree_debug.config"
make -C "$dir/src" O="$dir/obj" -s defconfig kvm_guest.config \
	nstree_debug.config >"$log" 2>&1 || { cat "$log"; exit 1; }

# Every option of the fragment must have stuck: a dependency that silently
# drops one would make a line that cannot see what it claims to.
bad=0
while IFS= read -r l; do
	case "$l" in
	CONFIG_*=*)
		grep -qxF "$l" "$dir/obj/.config" || {
			echo "build-debug-kernel: $l did not stick:" \
				"$(grep "^${l%%=*}=\|^# ${l%%=*} is not set" "$dir/obj/.config")"
			bad=1
		} ;;
	"# CONFIG_"*" is not set")
		o=${l#\# }
		o=${o%% *}
		! grep -q "^$o=" "$dir/obj/.config" || {
			echo "build-debug-kernel: $o should be off: $(grep "^$o=" "$dir/obj/.config")"
			bad=1
		} ;;
	esac
done <"$frag"
[ "$bad" -eq 0 ] || exit 1

# bzImage, then the modules (Module.symvers) and what `make M=` uses.
if ! make -C "$dir/src" O="$dir/obj" -j"$(nproc)" bzImage modules \
		modules_prepare >>"$log" 2>&1; then
	tail -n 40 "$log"
	echo "build-debug-kernel: build failed (log: $log)"
	exit 1
fi
t_build=$(($(date +%s) - start - t_extract))
cp "$dir/obj/arch/x86/boot/bzImage" "$dir/bzImage"

# Keep what `make M=` reads: the configuration, generated headers, the
# built host tools (scripts/, objtool), Module.symvers, and the source's
# headers and Makefiles; drop objects, vmlinux and C sources.
(cd "$dir/obj" &&
	find . \( -name '*.o' -o -name '*.a' -o -name '*.ko' \) \
		-not -path './scripts/*' -not -path './tools/*' -delete &&
	rm -f vmlinux vmlinux.o vmlinux.a .tmp_vmlinux* \
		arch/x86/boot/bzImage arch/x86/boot/vmlinux.bin \
		arch/x86/boot/compressed/vmlinux* arch/x86/boot/compressed/*.bin*)
touch "$dir/.pruned"
(cd "$dir/src" &&
	rm -rf Documentation &&
	find . \( -name '*.c' -o -name '*.rs' \) -not -path './scripts/*' \
		-not -path './tools/*' -delete)

# A module must build against what is left.
t="$dir/.probe"
mkdir -p "$t"
printf '#include <linux/module.h>\nstatic int __init p_init(void) { return 0; }\nmodule_init(p_init);\nMODULE_LICENSE("GPL");\n' >"$t/probe.c"
echo 'obj-m := probe.o' >"$t/Kbuild"
if ! make -C "$dir/obj" M="$t" modules >>"$log" 2>&1; then
	tail -n 20 "$log"
	echo "build-debug-kernel: a module does not build against $dir/obj"
	exit 1
fi
rm -rf "$t"

t_total=$(($(date +%s) - start))
echo "extract ${t_extract}s, build ${t_build}s, total ${t_total}s" \
	>"$dir/build-time"
touch "$dir/.complete"
echo "build-debug-kernel: done in ${t_total}s (extract ${t_extract}s," \
	"build ${t_build}s); $dir: $(du -sh "$dir" | cut -f1)"
echo "$dir" >&3
