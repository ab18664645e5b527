#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Resolve a supported kernel line to the installed kernel, through Debian's
# meta packages, so no build number is ever written into the repository.
#
#   tools/kernels.sh lines           the supported lines: 6.1 6.12
#   tools/kernels.sh release LINE    e.g. 6.12.117+deb12-amd64
#   tools/kernels.sh kdir LINE       the headers' build tree
#   tools/kernels.sh image LINE      the vmlinuz to boot
set -eu

LINES="6.1 6.12"

meta() {
	case "$1" in
	6.1)	echo linux-image-amd64 ;;
	6.12)	echo linux-image-6.12-amd64 ;;
	*)	echo "kernels.sh: unknown kernel line '$1' (supported: $LINES)" >&2
		exit 1 ;;
	esac
}

release() {
	m=$(meta "$1")
	dep=$(dpkg-query -W -f '${Depends}' "$m" 2>/dev/null) || {
		echo "kernels.sh: $m is not installed (run tools/install-deps.sh)" >&2
		exit 1
	}
	# "linux-image-6.1.0-56-amd64 (= 6.1.192-2)" -> "6.1.0-56-amd64"
	echo "$dep" | tr ',' '\n' | sed -n 's/^ *linux-image-\([^ ]*\).*/\1/p' | head -n 1
}

case "${1:-}" in
lines)	echo "$LINES" ;;
release) release "$2" ;;
kdir)	echo "/usr/src/linux-headers-$(release "$2")" ;;
image)	echo "/boot/vmlinuz-$(release "$2")" ;;
*)	echo "usage: kernels.sh lines|release LINE|kdir LINE|image LINE" >&2
	exit 1 ;;
esac
