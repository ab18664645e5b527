#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make unit: make install / make uninstall into a DESTDIR, against the 6.12
# header tree of the kernel cache, from a copy of the sources (the in-tree
# build stays the developer's). TAP on stdout.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# modinfo, depmod and modprobe are in /usr/sbin, not on a Debian user's
# PATH (a make check as a user failed on modinfo).
export PATH=$PATH:/usr/sbin:/sbin
n=0 rc=0
ok() {		# ok DESCRIPTION COMMAND...
	local d=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n install: $d"
	else
		echo "not ok $n install: $d"
		rc=1
	fi
}
show() { sed 's/^/# /' "$1"; }

kdir=$("$top/tools/kernels.sh" kdir 6.12) || {
	echo "not ok 1 install: no 6.12 headers (tools/kernels.sh kdir 6.12)"
	exit 1
}
rel=$(cat "$kdir/include/config/kernel.release")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src dest=$tmp/dest
mkdir -p "$src" "$dest"
(cd "$top" && git ls-files -z -co --exclude-standard |
	xargs -0 cp --parents -t "$src") || exit 1
(cd "$src" && find . | sort) >"$tmp/sources"

# No headers: one line naming the package, the CLI built anyway.
no_headers() {
	make -C "$src" -s --no-print-directory KDIR="$tmp/none" >"$tmp/nohdr.log" 2>&1 &&
	[ -x "$src/user/nstree" ] &&
	[ "$(grep -c . "$tmp/nohdr.log")" -eq 1 ] &&
	grep -q "install linux-headers-$(uname -r) " "$tmp/nohdr.log" || {
		show "$tmp/nohdr.log"; false; }
}
ok "make without kernel headers: one line naming linux-headers-$(uname -r), CLI built" no_headers

# Debian's hardening flags reach the binary (CPPFLAGS, CFLAGS, LDFLAGS).
hardened() {
	command -v dpkg-buildflags >/dev/null || { echo "# no dpkg-buildflags"; return 1; }
	rm -f "$src/user/nstree"
	DEB_BUILD_MAINT_OPTIONS=hardening=+all \
	make -C "$src" -s --no-print-directory user \
		CPPFLAGS="$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CPPFLAGS)" \
		CFLAGS="$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CFLAGS)" \
		LDFLAGS="$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get LDFLAGS)" \
		>"$tmp/hard.log" 2>&1 || { show "$tmp/hard.log"; return 1; }
	# Whole outputs: grep -q would stop reading, and pipefail see SIGPIPE.
	readelf -dlshW "$src/user/nstree" >"$tmp/elf.txt" &&
	grep -q 'FLAGS.*BIND_NOW' "$tmp/elf.txt" &&
	grep -q GNU_RELRO "$tmp/elf.txt" &&
	grep -q '__[a-z]*_chk@' "$tmp/elf.txt" &&
	grep -q 'DYN (Position-Independent' "$tmp/elf.txt"
}
ok "CPPFLAGS/CFLAGS/LDFLAGS from dpkg-buildflags: BIND_NOW, RELRO, _FORTIFY_SOURCE, PIE" hardened

inst() {
	make -C "$src" -s --no-print-directory install DESTDIR="$dest" \
		KDIR="$kdir" >"$tmp/install.log" 2>&1 || { show "$tmp/install.log"; false; }
}
ok "make install DESTDIR=... KDIR=<6.12 headers>" inst
ok "CLI in PREFIX/bin, runs" \
	sh -c "'$dest/usr/local/bin/nstree' --version | grep -q 0"
ok "man page in PREFIX/share/man/man8" \
	cmp -s "$src/user/nstree.8" "$dest/usr/local/share/man/man8/nstree.8"
ok "bash completion in PREFIX/share/bash-completion/completions/nstree" \
	grep -q 'complete .*nstree' "$dest/usr/local/share/bash-completion/completions/nstree"
mod=$(find "$dest/lib/modules/$rel/updates" -name 'nstree.ko*' 2>/dev/null)
ok "module under lib/modules/$rel/updates/" test -n "$mod"
ok "the module is built for $rel and has the family alias" sh -c \
	"modinfo -F vermagic '$mod' | grep -q '^$rel ' &&
	 modinfo -F alias '$mod' | grep -qx net-pf-16-proto-16-family-nstree"
ok "modules.dep lists it" grep -q "^updates/.*nstree\.ko[.a-z]*:" \
	"$dest/lib/modules/$rel/modules.dep"
ok "modules.alias maps the family to it" grep -qx \
	"alias net-pf-16-proto-16-family-nstree nstree" "$dest/lib/modules/$rel/modules.alias"
ok "modprobe resolves the family alias to it" sh -c \
	"modprobe -d '$dest' -S '$rel' -R net-pf-16-proto-16-family-nstree | grep -qx nstree"

uninst() {
	make -C "$src" -s --no-print-directory uninstall DESTDIR="$dest" \
		KDIR="$kdir" >"$tmp/uninstall.log" 2>&1 || { show "$tmp/uninstall.log"; false; }
}
ok "make uninstall DESTDIR=..." uninst
left=$(cd "$dest" && find . -name '*nstree*'; grep -l nstree "lib/modules/$rel"/modules.* 2>/dev/null)
[ -z "$left" ] || echo "$left" | sed 's/^/# left: /'
ok "uninstall leaves no nstree file, nor nstree in modules.*" test -z "$left"

usr() {
	make -C "$src" -s --no-print-directory install-user PREFIX=/usr \
		DESTDIR="$tmp/usr" >"$tmp/usr.log" 2>&1 || { show "$tmp/usr.log"; return 1; }
	[ -x "$tmp/usr/usr/bin/nstree" ] && [ -f "$tmp/usr/usr/share/man/man8/nstree.8" ] &&
	[ -f "$tmp/usr/usr/share/bash-completion/completions/nstree" ]
}
ok "make install-user PREFIX=/usr" usr

# The release make install installs under, runs depmod for and uninstalls:
# the kernel's own, also where kernel.release says otherwise (Debian's 6.1
# headers: 6.1.192 for 6.1.0-57-amd64).
release61() {
	local k r
	k=$("$top/tools/kernels.sh" kdir 6.1) &&
	r=$("$top/tools/kernels.sh" release 6.1) || return 1
	make -C "$src" -s --no-print-directory help KDIR="$k" >"$tmp/help61.txt" &&
	grep -q " /lib/modules/$r/updates, then depmod" "$tmp/help61.txt" ||
		{ show "$tmp/help61.txt"; return 1; }
}
ok "make install's release for the 6.1 headers is their UTS_RELEASE" release61

# make distclean: back to the sources alone, after all of the above built
# the CLI, the completion and the module in this tree; and the kernel
# cache emptied. It runs on a cache of its own (NSTREE_CACHE), never on
# the one this run's guests boot from: a copy of its layout, with a file
# that is not nstree's, which must stay.
distclean() {
	local c="$tmp/cache"
	mkdir -p "$c/debian/x" "$c/source/x" "$c/busybox/x" "$c/debug/x" "$c/mine"
	: >"$c/.lock"
	NSTREE_CACHE=$c make -C "$src" -s --no-print-directory distclean \
		>"$tmp/dc.log" 2>&1 || { show "$tmp/dc.log"; return 1; }
	(cd "$src" && find . | sort) >"$tmp/after"
	diff "$tmp/sources" "$tmp/after" | sed 's/^/# /'
	cmp -s "$tmp/sources" "$tmp/after" || return 1
	[ "$(cd "$c" && find . | sort | tr '\n' ' ')" = ". ./mine " ] ||
		{ ls -AR "$c" | sed 's/^/# /'; return 1; }
	rmdir "$c/mine" &&
	NSTREE_CACHE=$c make -C "$src" -s --no-print-directory distclean \
		>"$tmp/dc.log" 2>&1 && [ ! -e "$c" ] || { show "$tmp/dc.log"; return 1; }
}
ok "make distclean leaves only the sources, and empties the kernel cache" distclean
echo "1..$n"
exit $rc
