#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the guest's initramfs: busybox, /init, the module built for one
# kernel line, the CLI, the selftests, and every shared library they need.
#
#   tools/mkinitramfs.sh KO OUT.cpio.gz [CMD.sh]
set -eu

ko=${1:?usage: mkinitramfs.sh KO OUT}
out=${2:?usage: mkinitramfs.sh KO OUT}
top=$(cd "$(dirname "$0")/.." && pwd)
stage="$out.d"

rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/usr/bin" "$stage/nstree/selftests" \
	"$stage/etc" "$stage/proc" "$stage/sys" "$stage/dev" "$stage/tmp" \
	"$stage/root"

cp /bin/busybox "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
cp "$top/tools/guest-init.sh" "$stage/init"
cp "$top/tools/guest-run-tests.sh" "$stage/nstree/run-tests.sh"
cp "$top/tools/guest-demo.sh" "$stage/nstree/demo.sh"
cp "$ko" "$stage/nstree/nstree.ko"
if [ -n "${3:-}" ] && [ -f "$3" ]; then
	cp "$3" "$stage/nstree/cmd.sh"
fi
cp "$top/user/nstree" "$stage/usr/bin/nstree"
for t in "$top"/selftests/*_test; do
	[ -x "$t" ] && cp "$t" "$stage/nstree/selftests/"
done
chmod 755 "$stage/init"

# Extra programs from the host, for ground truth and comparison, when
# installed: their absence only limits what the tests can compare with.
for p in /usr/bin/forkstat; do
	[ -x "$p" ] && cp "$p" "$stage$p"
done

# C.UTF-8, for nstree -U in the guest's C locale.
if [ -d /usr/lib/locale/C.utf8 ]; then
	mkdir -p "$stage/usr/lib/locale"
	cp -r /usr/lib/locale/C.utf8 "$stage/usr/lib/locale/"
fi

# Shared libraries of every dynamic program, at the paths ldd gives.
for bin in "$stage"/usr/bin/* "$stage"/nstree/selftests/*; do
	ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' || true
done | sort -u | while read -r lib; do
	mkdir -p "$stage$(dirname "$lib")"
	cp -L "$lib" "$stage$lib"
done

cat >"$stage/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$stage/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP

(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
