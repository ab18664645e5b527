#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make unit: `make dkms-install` as a user would run it, but with DKMS's
# trees (source, DKMS, install) in a temporary directory and against the
# cache's header trees of the 6.1 and 6.12 lines, from a copy of the
# sources: nothing under /usr/src, /var/lib/dkms or /lib/modules is
# touched. DKMS signs the module as on a Secure Boot machine, with a key
# it makes in that directory. The modules it built are left in
# build/dkms/LINE/nstree.ko for tools/check.sh, which boots each guest with
# one. TAP on stdout.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
lines=${NSTREE_DKMS_LINES:-6.1 6.12}
n=0 rc=0
ok() {		# ok DESCRIPTION COMMAND...
	local d=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n dkms: $d"
	else
		echo "not ok $n dkms: $d"
		rc=1
	fi
}
show() { sed 's/^/# /' "$1"; }

# dkms and depmod are in /usr/sbin, not on a Debian user's PATH.
export PATH=$PATH:/usr/sbin:/sbin
if ! command -v dkms >/dev/null; then
	echo "not ok 1 dkms: no dkms (tools/install-deps.sh installs it)"
	exit 1
fi
version=$(sed -n 's/^VERSION := //p' "$top/Makefile")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src
mkdir -p "$src"
(cd "$top" && git ls-files -z -co --exclude-standard |
	xargs -0 cp --parents -t "$src") || exit 1
# DKMS's signing key and certificate, and the sign-file of each header
# tree, come from the environment (read only where no framework.conf sets
# them); DKMS makes the key pair on first use, as on a real machine.
export mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub
dkms=(dkms --sourcetree "$tmp/usr/src" --dkmstree "$tmp/dkms"
	--installtree "$tmp/lib/modules" --no-depmod)
mkdir -p "$tmp/usr/src" "$tmp/dkms" "$tmp/lib/modules"

layout() {
	make -C "$src" -s --no-print-directory dkms-source \
		DKMS_SRC="$tmp/usr/src/nstree-$version" >"$tmp/src.log" 2>&1 &&
	[ -f "$tmp/usr/src/nstree-$version/dkms.conf" ] &&
	grep -q "^PACKAGE_VERSION=\"$version\"$" \
		"$tmp/usr/src/nstree-$version/dkms.conf" &&
	[ -f "$tmp/usr/src/nstree-$version/kmod/uapi/linux/nstree.h" ] ||
		{ show "$tmp/src.log"; return 1; }
}
ok "make dkms-source lays out the sources and dkms.conf" layout

# install LINE: make dkms-install for that line's kernel: add (once),
# build, sign, install.
install() {
	local line=$1 kdir rel root sign
	kdir=$("$top/tools/kernels.sh" kdir "$line") || return 1
	# Not include/config/kernel.release: Debian's 6.1 headers say
	# 6.1.192 there, for a kernel whose release is 6.1.0-57-amd64.
	rel=$("$top/tools/kernels.sh" release "$line") || return 1
	root=${kdir%/usr/src/*}
	sign=$(echo "$root"/usr/lib/linux-kbuild-*/scripts/sign-file)
	mkdir -p "$tmp/lib/modules/$rel"
	if [ "$(id -u)" -eq 0 ]; then
		sign_file=$sign make -C "$src" --no-print-directory dkms-install \
			DKMS_SRC="$tmp/usr/src/nstree-$version" DKMS_KERNELS="$rel" \
			DKMS="${dkms[*]} --kernelsourcedir $kdir" >"$tmp/$line.log" 2>&1
	else
		{ "${dkms[@]}" status nstree/"$version" | grep -q . ||
			"${dkms[@]}" add nstree/"$version"; } >"$tmp/$line.log" 2>&1 &&
		sign_file=$sign "${dkms[@]}" --kernelsourcedir "$kdir" \
			build nstree/"$version" -k "$rel" >>"$tmp/$line.log" 2>&1
	fi || { show "$tmp/$line.log"; return 1; }
	echo "$rel" >"$tmp/$line.rel"
}
# DKMS 3.0's install and uninstall refuse any user but root, whatever the
# trees: a user's run stops at dkms build.
if [ "$(id -u)" -eq 0 ]; then
	what="make dkms-install builds, signs and installs" state=installed
else
	what="dkms build builds and signs (as a user: dkms install needs root)"
	state=built
fi

# check LINE: the installed module is the line's, carries DKMS's
# signature, and depmod finds the family alias in it.
check() {
	local line=$1 rel ko out
	rel=$(cat "$tmp/$line.rel") || return 1
	if [ "$state" = installed ]; then
		ko=$(echo "$tmp/lib/modules/$rel/updates/dkms/nstree.ko"*)
	else
		ko=$(echo "$tmp/dkms/nstree/$version/$rel/x86_64/module/nstree.ko"*)
	fi
	[ -f "$ko" ] || { echo "# no module: $ko"; return 1; }
	out=$top/build/dkms/$line
	mkdir -p "$out"
	case "$ko" in
	*.xz)	xz -dc "$ko" >"$out/nstree.ko" ;;
	*.zst)	zstd -dcq "$ko" >"$out/nstree.ko" ;;
	*.gz)	gzip -dc "$ko" >"$out/nstree.ko" ;;
	*)	cp "$ko" "$out/nstree.ko" ;;
	esac || return 1
	[ "$(modinfo -F vermagic "$out/nstree.ko" | cut -d' ' -f1)" = "$rel" ] ||
		{ echo "# vermagic: $(modinfo -F vermagic "$out/nstree.ko")"; return 1; }
	[ "$(modinfo -F signer "$out/nstree.ko")" = "DKMS module signing key" ] ||
		{ echo "# signer: '$(modinfo -F signer "$out/nstree.ko")'"; return 1; }
	[ "$(modinfo -F version "$out/nstree.ko")" = "$version" ] &&
	modinfo -F alias "$out/nstree.ko" |
		grep -qx net-pf-16-proto-16-family-nstree || return 1
	[ "$state" = installed ] || return 0
	depmod -b "$tmp" "$rel" &&
	grep -q "^alias net-pf-16-proto-16-family-nstree nstree$" \
		"$tmp/lib/modules/$rel/modules.alias"
}

for line in $lines; do
	ok "$line: $what" install "$line"
	ok "$line: the module is $line's, signed by DKMS's key, with its alias" \
		check "$line"
done

# The status DKMS keeps, then make dkms-uninstall leaves nothing.
status() {
	local s
	s=$("${dkms[@]}" status nstree/"$version")
	echo "$s" | sed 's/^/# /'
	for line in $lines; do
		grep -q "$(cat "$tmp/$line.rel"), x86_64: $state" <<<"$s" ||
			return 1
	done
}
ok "dkms status lists every line as $state" status
uninstall() {
	make -C "$src" -s --no-print-directory dkms-uninstall \
		DKMS_SRC="$tmp/usr/src/nstree-$version" DKMS="${dkms[*]}" \
		>"$tmp/un.log" 2>&1 || { show "$tmp/un.log"; return 1; }
	[ ! -e "$tmp/usr/src/nstree-$version" ] && [ ! -e "$tmp/dkms/nstree" ] &&
	[ -z "$(find "$tmp/lib/modules" -name 'nstree.ko*')" ]
}
ok "make dkms-uninstall removes the sources, DKMS's tree and the modules" uninstall

echo "1..$n"
exit "$rc"
