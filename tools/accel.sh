#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Which accelerator the guests use, KVM or TCG, and why: one line, the
# verdict ("kvm" or "tcg") then the reason.
#
#   tools/accel.sh          the verdict, probed once and then cached
#
# NSTREE_VM_ACCEL=kvm|tcg forces one (no probe). Otherwise KVM is used only
# when a real guest ran under it: QEMU boots a 512-byte floppy whose code
# writes to the isa-debug-exit port, under KVM, within
# NSTREE_KVM_PROBE_TIMEOUT seconds (default 10). A /dev/kvm that is
# missing, not ours to open, or that hangs (as on hosts without working
# nested virtualisation: KVM_RUN never returns) means TCG. The verdict is
# kept in build/accel, keyed by the host kernel, QEMU and user, so the
# probe's cost (the timeout, on a hanging host) is paid once per tree.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
verdict="$top/build/accel"

case "${NSTREE_VM_ACCEL:-}" in
kvm|tcg) echo "$NSTREE_VM_ACCEL: forced by NSTREE_VM_ACCEL"; exit 0 ;;
'') ;;
*) echo "accel.sh: NSTREE_VM_ACCEL must be kvm or tcg, not '$NSTREE_VM_ACCEL'" >&2
	exit 1 ;;
esac

qemu="qemu-system-x86_64"
key="$(uname -r) $($qemu --version | head -n 1) uid $(id -u)"
if [ -r "$verdict" ] && [ "$(head -n 1 "$verdict")" = "$key" ]; then
	sed -n 2p "$verdict"
	exit 0
fi

probe() {
	if [ ! -e /dev/kvm ]; then
		echo "tcg: no /dev/kvm"
		return
	fi
	if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
		echo "tcg: /dev/kvm is not ours to open: not in the kvm group?"
		return
	fi
	tmp=$(mktemp -d)
	# mov al,0x31; out 0xf4,al; hlt; jmp $-1; then the boot signature.
	# QEMU exits with (0x31 << 1) | 1 = 99 once the guest has run it.
	{ printf '\260\061\346\364\364\353\375'
	  head -c 503 /dev/zero
	  printf '\125\252'; } >"$tmp/boot.img"
	t=${NSTREE_KVM_PROBE_TIMEOUT:-10}
	rc=0
	timeout -k 5 "$t" $qemu -accel kvm -M pc -m 16 -nodefaults \
		-nographic -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive file="$tmp/boot.img",format=raw,if=floppy -boot a \
		</dev/null >"$tmp/out" 2>&1 || rc=$?
	case "$rc" in
	99)	echo "kvm: a probe guest ran under KVM" ;;
	124|137) echo "tcg: /dev/kvm did not run a probe guest within ${t}s: it hangs" ;;
	*)	echo "tcg: QEMU could not run a probe guest under KVM, exit $rc:" \
			"$(grep -v "^$" "$tmp/out" | head -n 1)" ;;
	esac
	rm -rf "$tmp"
}

res=$(probe)
# Kept where this tree can be written; the answer stands either way.
{ mkdir -p "$top/build" && printf '%s\n%s\n' "$key" "$res" >"$verdict.tmp" &&
	mv "$verdict.tmp" "$verdict"; } 2>/dev/null || true
echo "$res"
