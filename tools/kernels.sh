#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest kernels, as files in a cache outside the clone: nothing here
# installs a kernel, headers or sources into the host. Debian's packages are
# resolved through their meta packages at run time (no build number is
# written into the repository), fetched with `apt-get download` and unpacked
# with `dpkg-deb -x` into a directory named by package version; the debug
# line is built from linux-source-6.12 by tools/build-debug-kernel.sh.
#
#   tools/kernels.sh lines           the kernel lines: 6.1 6.12 6.12-rt 6.12-debug
#   tools/kernels.sh fetch LINE      make LINE's kernel present in the cache
#   tools/kernels.sh release LINE    e.g. 6.12.117+deb12-amd64
#   tools/kernels.sh kdir LINE       the build tree to build modules against
#   tools/kernels.sh image LINE      the kernel image to boot
#   tools/kernels.sh source          linux-source-6.12's tarball, in the cache
#   tools/kernels.sh busybox         busybox-static's binary, for the guest
#   tools/kernels.sh cache           where the cache is, and how big
#   tools/kernels.sh dir             the cache this user writes to
#   tools/kernels.sh clear           empty the caches this user can write
#
# The cache is NSTREE_CACHE when set, else /var/cache/nstree. A user who
# cannot write /var/cache/nstree reads what is there (root filled it, say)
# and fetches what is missing into ${XDG_CACHE_HOME:-~/.cache}/nstree: no
# step needs root. Delete either at will, it is filled again on demand (the
# debug kernel takes a build, the rest a download). Every query but `lines`
# and `cache` fills what it needs; a line's new version replaces its old
# one. What the cache holds is readable by every user.
set -eu

# The lines make check runs: NSTREE_LINES, or all four. The debug line
# runs the suite that drives the module's own code (NSTREE_SUITE=kernel,
# tools/guest-run-tests.sh): about 20 min of wall time beside the other
# guests; its whole suite would take about 45 (README, "How long it
# takes"). Its kernel is built once, about 30 min of CPU on a fresh machine.
ALL_LINES="6.1 6.12 6.12-rt 6.12-debug"
LINES=${NSTREE_LINES:-$ALL_LINES}
# (NSTREE_SHARED_CACHE moves the shared one, for tests of this script.)
SYSCACHE=${NSTREE_SHARED_CACHE:-/var/cache/nstree}
if [ -n "${NSTREE_CACHE:-}" ]; then
	CACHE=$NSTREE_CACHE SYSCACHE=$NSTREE_CACHE
elif mkdir -p "$SYSCACHE" 2>/dev/null && [ -w "$SYSCACHE" ]; then
	CACHE=$SYSCACHE
else
	CACHE=${XDG_CACHE_HOME:-${HOME:?kernels.sh: no HOME for the cache}/.cache}/nstree
fi
top=$(cd "$(dirname "$0")/.." && pwd)

die() {
	echo "kernels.sh: $*" >&2
	exit 1
}

# The image meta package of a Debian line.
meta() {
	case "$1" in
	6.1)		echo linux-image-amd64 ;;
	6.12)		echo linux-image-6.12-amd64 ;;
	6.12-rt)	echo linux-image-6.12-rt-amd64 ;;
	*)		die "unknown kernel line '$1' (lines: $ALL_LINES)" ;;
	esac
}

# field PKG FIELD: a field of the candidate version of PKG.
field() {
	apt-cache show --no-all-versions "$1" 2>/dev/null |
		sed -n "s/^$2: //p" | head -n 1
}

# deps PKG PREFIX: the names among PKG's Depends that start with PREFIX.
deps() {
	field "$1" Depends | tr ',|' '\n\n' |
		sed -n "s/^ *\($2[^ ]*\).*/\1/p"
}

# A directory name from a Debian version: no '~' or ':'.
safe() {
	echo "$1" | tr '~:' '__'
}

cache_dir() {
	mkdir -p "$CACHE" 2>/dev/null && [ -w "$CACHE" ] ||
		die "cannot write the cache $CACHE (set NSTREE_CACHE)"
}

# in_cache REL: the directory REL of the shared cache when it is there,
# else of the one this user writes to.
in_cache() {
	if [ -d "$SYSCACHE/$1" ]; then
		echo "$SYSCACHE/$1"
	else
		echo "$CACHE/$1"
	fi
}

# fetch_debs DEST PKG...: download the candidate versions of PKG... and
# unpack them all into DEST; DEST appears only when complete.
fetch_debs() {
	dest=$1
	shift
	cache_dir
	tmp="$dest.tmp"
	rm -rf "$tmp"
	mkdir -p "$tmp/debs"
	echo "kernels.sh: downloading $* into $CACHE" >&2
	# apt-get download runs as _apt when it can; a root-owned directory
	# only makes it warn that it downloads unsandboxed.
	(cd "$tmp/debs" && apt-get download -q "$@" 2>&1 |
		grep -v 'unsandboxed as root' >&2) || true
	for p in "$@"; do
		ls "$tmp/debs/${p}_"*.deb >/dev/null 2>&1 ||
			die "could not download $p (apt-get update?)"
	done
	for d in "$tmp"/debs/*.deb; do
		dpkg-deb -x "$d" "$tmp/root"
	done
	rm -rf "$tmp/debs"
	# Readable by all, whatever root's umask or the package's modes (an
	# Ubuntu vmlinuz is 0600): users share root's cache.
	chmod -R a+rX "$tmp/root"
	chmod a+rx "$CACHE" "$(dirname "$dest")"
	mv "$tmp/root" "$dest"
	rmdir "$tmp"
}

# Serialise fetches between parallel lines.
locked() {
	cache_dir
	exec 9>"$CACHE/.lock"
	flock 9
	"$@"
	exec 9>&-
}

# The resolved Debian line: sets release, ver, root.
resolve_debian() {
	m=$(meta "$1")
	img=$(deps "$m" linux-image- | head -n 1)
	[ -n "$img" ] ||
		die "apt knows no $m (run apt-get update)"
	release=${img#linux-image-}
	ver=$(field "$img" Version)
	root=$(in_cache "debian/${release}_$(safe "$ver")")
}

fetch_debian() {
	resolve_debian "$1"
	[ -d "$root" ] && return 0
	hdr=linux-headers-$release
	# linux-headers-X-amd64 needs -common and linux-kbuild; these and the
	# image are all that building and booting need.
	fetch_debs "$root" "$img" "$hdr" $(deps "$hdr" linux-headers-) \
		$(deps "$hdr" linux-kbuild-)
	[ -r "$root/boot/vmlinuz-$release" ] ||
		die "no vmlinuz-$release in $img"
	# The guest boots from an initramfs with nstree only: the image
	# package's modules and docs are never used.
	rm -rf "$root/lib/modules/$release/kernel" "$root/usr/share/doc"
	# The one absolute path of the header tree: the -amd64 Makefile's
	# include of the -common tree. The rest are relative links.
	mk="$root/usr/src/linux-headers-$release/Makefile"
	sed -i "s|^include /usr/src/|include $root/usr/src/|" "$mk"
	grep -q "^include $root/" "$mk" || die "unexpected $mk"
	# The versions this one replaces go.
	echo "$1" >"$root/.line"
	for d in "$CACHE"/debian/*/.line; do
		[ "$d" != "$root/.line" ] && [ "$(cat "$d")" = "$1" ] &&
			rm -rf "$(dirname "$d")"
	done
	return 0
}

debian() {
	resolve_debian "$1"
	[ -d "$root" ] || locked fetch_debian "$1"
	case "$2" in
	release) echo "$release" ;;
	kdir)	echo "$root/usr/src/linux-headers-$release" ;;
	image)	echo "$root/boot/vmlinuz-$release" ;;
	fetch)	;;
	esac
}

# linux-source-6.12: the tarball, for the debug build and for the files
# tools/linux-source.sh takes from it.
resolve_source() {
	srcver=$(field linux-source-6.12 Version)
	[ -n "$srcver" ] || die "apt knows no linux-source-6.12 (run apt-get update)"
	srcroot=$(in_cache "source/linux-source-6.12_$(safe "$srcver")")
}

fetch_source() {
	resolve_source
	[ -d "$srcroot" ] && return 0
	fetch_debs "$srcroot" linux-source-6.12
	for d in "$CACHE"/source/linux-source-6.12_*; do
		[ "$d" = "$srcroot" ] || rm -rf "$d"
	done
}

source_tarball() {
	resolve_source
	[ -d "$srcroot" ] || locked fetch_source
	echo "$srcroot/usr/src/linux-source-6.12.tar.xz"
}

# busybox-static, the guest's shell and tools: a file in the cache too, since
# installing the package would replace the host's dynamic busybox.
resolve_busybox() {
	bbver=$(field busybox-static Version)
	[ -n "$bbver" ] || die "apt knows no busybox-static (run apt-get update)"
	bbroot=$(in_cache "busybox/busybox-static_$(safe "$bbver")")
}

fetch_busybox() {
	resolve_busybox
	[ -d "$bbroot" ] && return 0
	fetch_debs "$bbroot" busybox-static
	for d in "$CACHE"/busybox/busybox-static_*; do
		[ "$d" = "$bbroot" ] || rm -rf "$d"
	done
}

# The debug line: tools/build-debug-kernel.sh prints its directory, built
# when missing.
debug() {
	tarball=$(source_tarball)
	srcver=$(safe "$(field linux-source-6.12 Version)")
	# A user reads root's build from the shared cache: there the script
	# can only print a complete build (it cannot take the lock to start
	# one), else the build is made in this user's cache.
	if [ "$SYSCACHE" = "$CACHE" ] || ! dir=$(NSTREE_CACHE=$SYSCACHE \
			"$top/tools/build-debug-kernel.sh" "$tarball" "$srcver" \
			2>/dev/null); then
		dir=$(NSTREE_CACHE=$CACHE "$top/tools/build-debug-kernel.sh" \
			"$tarball" "$srcver")
		# Readable by other users, whatever root's umask.
		if [ ! -f "$dir/.readable" ]; then
			chmod -R a+rX "$dir"
			chmod a+rx "$CACHE" "$CACHE/debug"
			: >"$dir/.readable"
		fi
		# Builds of other sources or configs, and their unpacked sources.
		for d in "$CACHE"/debug/6.12-debug_*; do
			[ "$d" != "$dir" ] && [ -f "$d/.complete" ] && rm -rf "$d"
		done
		rm -rf "$CACHE"/debug/.src-*
	fi
	case "$1" in
	release) cat "$dir/obj/include/config/kernel.release" ;;
	kdir)	echo "$dir/obj" ;;
	image)	echo "$dir/bzImage" ;;
	fetch)	;;
	esac
}

query() {
	case "$2" in
	6.12-debug) debug "$1" ;;
	*) debian "$2" "$1" ;;
	esac
}

case "${1:-}" in
lines)	echo "$LINES" ;;
release|kdir|image|fetch)
	query "$1" "${2:?usage: kernels.sh $1 LINE}" ;;
source)	source_tarball ;;
busybox) resolve_busybox
	[ -d "$bbroot" ] || locked fetch_busybox
	echo "$bbroot/bin/busybox" ;;
cache)	for c in $(printf '%s\n' "$SYSCACHE" "$CACHE" | uniq); do
		if [ -d "$c" ]; then
			echo "kernel cache: $c ($(du -sh "$c" 2>/dev/null | cut -f1))"
			for d in "$c"/*/* "$c"/debug/.src-*; do
				[ -d "$d" ] && printf '  %-6s %s\n' \
					"$(du -sh "$d" 2>/dev/null | cut -f1)" "${d#"$c"/}"
			done
		else
			echo "kernel cache: $c (empty)"
		fi
	done ;;
dir)	echo "$CACHE" ;;
# clear: empty the caches this user may write (make distclean). Only the
# entries this script and build-debug-kernel.sh make are removed, so an
# NSTREE_CACHE pointed at a directory of other things loses none of them.
clear)	for c in $(printf '%s\n' "$CACHE" "$SYSCACHE" | uniq); do
		[ -d "$c" ] || continue
		if [ ! -w "$c" ]; then
			echo "kernels.sh: kept $c: $(id -un) cannot write it (root's make distclean empties it)"
			continue
		fi
		rm -rf "$c/debian" "$c/source" "$c/busybox" "$c/debug" "$c/.lock"
		if rmdir "$c" 2>/dev/null; then
			echo "kernels.sh: removed the kernel cache $c"
		else
			echo "kernels.sh: emptied the kernel cache $c (kept: what nstree did not put there)"
		fi
	done ;;
*)	echo "usage: kernels.sh lines|fetch LINE|release LINE|kdir LINE|image LINE|source|busybox|cache|dir|clear" >&2
	exit 1 ;;
esac
