#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the module for one supported kernel line, with W=1, in a shadow
# tree of its own (build/LINE/), so both lines can be built side by side
# without cleaning. Fails on any compiler or modpost warning.
#
#   tools/build-module.sh LINE          prints the path of the built nstree.ko
#   tools/build-module.sh LINE sparse   the same, and sparse (C=2) must be
#                                       silent too
set -eu

line=${1:?usage: build-module.sh LINE [sparse]}
check=
[ "${2:-}" = sparse ] && check=C=2
top=$(cd "$(dirname "$0")/.." && pwd)
kdir=$("$top/tools/kernels.sh" kdir "$line")
version=$(sed -n 's/^VERSION := //p' "$top/Makefile")
out="$top/build/$line"

[ -d "$kdir" ] || {
	echo "build-module.sh: no headers in $kdir (run tools/install-deps.sh)" >&2
	exit 1
}

mkdir -p "$out/kmod"
ln -sfn "$top/Kbuild" "$out/Kbuild"
ln -sfn "$top/kmod/Kbuild" "$out/kmod/Kbuild"
ln -sfn "$top/kmod/uapi" "$out/kmod/uapi"
# Sources only: an in-tree build leaves a generated nstree.mod.c beside
# them, which would stand in for this build's own.
for f in "$top"/kmod/*.c "$top"/kmod/*.h; do
	case "$f" in *.mod.c) continue ;; esac
	ln -sfn "$f" "$out/kmod/$(basename "$f")"
done
# A file removed from kmod/ must not linger in the shadow tree.
for f in "$out"/kmod/*.c "$out"/kmod/*.h; do
	[ -L "$f" ] && [ ! -e "$f" ] && rm -f "$f"
done
[ ! -L "$out/kmod/nstree.mod.c" ] || rm -f "$out/kmod/nstree.mod.c"

log="$out/build${check:+-sparse}.log"
# shellcheck disable=SC2086
if ! make -C "$kdir" M="$out" NSTREE_VERSION="$version" W=1 $check modules \
		>"$log" 2>&1; then
	cat "$log" >&2
	echo "build-module.sh: build for $line failed" >&2
	exit 1
fi
if grep -E 'warning:|WARNING:|error:' "$log" >&2; then
	echo "build-module.sh: warnings in the $line build (see above)" >&2
	exit 1
fi
echo "$out/kmod/nstree.ko"
